//! The shared crate of the opskit tools: config, AWS auth, environments, output, input
//! records, errors and exit codes. DESIGN.md is the contract this crate implements.

pub mod aws;
pub mod cli;
pub mod config;
pub mod context;
pub mod doctor;
pub mod env_vars;
pub mod environment;
pub mod error;
pub mod exit;
pub mod input;
pub mod interrupt;
mod log;
pub mod output;
pub mod params;
pub mod progress;
pub mod prompt;
#[cfg(feature = "ssm")]
pub mod registry;
#[cfg(feature = "s3")]
pub mod s3;
pub mod secret;
pub mod suggest;

pub use cli::{CommonCommand, Globals, Tool};
pub use context::Context;
pub use environment::{Environment, Tier};
pub use error::{Error, Result};
pub use exit::Exit;
pub use secret::Secret;
