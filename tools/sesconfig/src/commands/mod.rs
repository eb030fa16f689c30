//! One file per kind of work: setting up and tearing down, the DNS records, checking, the
//! account (status, production access, a test message).

pub mod account;
pub mod check;
pub mod dns;
pub mod setup;
