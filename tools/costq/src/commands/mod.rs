//! The commands: the query (the default), `check`, `anomalies`, `report`.

pub mod anomalies;
pub mod check;
pub mod query;
pub mod report;
