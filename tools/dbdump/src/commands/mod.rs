//! One file per kind of work: taking a dump, the dumps in a store, restoring one, and reading a
//! live database (lint, rules init, compare).

pub mod catalog;
pub mod create;
pub mod inspect;
pub mod restore;
