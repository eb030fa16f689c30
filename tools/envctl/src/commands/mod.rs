//! One file per kind of work: reading, writing keys, whole environments, running commands.

pub mod exec;
pub mod lifecycle;
pub mod read;
pub mod write;
