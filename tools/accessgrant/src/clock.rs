//! What time it is. Expiry and sweeping depend on it, so the tests move it with
//! `ACCESSGRANT_NOW` instead of sleeping. Only debug builds (what `cargo build` and the tests
//! run) honour it: the clock decides how long access lasts, so no installed release binary can be
//! talked into another time.

use std::time::SystemTime;

use opskit::{Error, Result};

/// `ACCESSGRANT_NOW=2026-11-27T16:00:00Z`: the time debug builds take as now.
pub const NOW_VAR: &str = "ACCESSGRANT_NOW";

/// Now, as this run sees it.
pub fn now() -> Result<SystemTime> {
    let Some(text) = std::env::var(NOW_VAR).ok().filter(|v| !v.is_empty()) else {
        return Ok(SystemTime::now());
    };
    if !cfg!(debug_assertions) {
        opskit::error::warn(&format!("{NOW_VAR} is ignored: only test (debug) builds take the time from it"));
        return Ok(SystemTime::now());
    }
    humantime::parse_rfc3339_weak(&text)
        .map_err(|e| Error::config(format!("{NOW_VAR}=`{text}`: {e} (use RFC 3339, such as 2026-11-27T16:00:00Z)")))
}
