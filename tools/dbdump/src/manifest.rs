//! A dump's manifest: what it is, written last (a dump without one is incomplete: never
//! listed by default, never restored), and the `dump` record `ls` prints.

use std::collections::BTreeMap;

use opskit::output::Record;
use serde::{Deserialize, Serialize};

use crate::source::Engine;

/// `manifest.json` beside `data.sql.zst`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub id: String,
    pub app: String,
    pub env: String,
    #[serde(flatten)]
    pub details: Details,
}

/// What a manifest says of a dump, beyond which it is.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Details {
    pub engine: Engine,
    pub server_version: String,
    /// RFC 3339 UTC.
    pub created: String,
    /// Who made it: the AWS identity (from STS) where AWS is in use, else `user@host`.
    pub creator: String,
    /// Bytes stored (compressed).
    pub size: u64,
    /// Bytes of SQL inside.
    pub sql_bytes: u64,
    /// SHA-256 of the stored object, hex.
    pub sha256: String,
    pub sanitised: bool,
    /// Why a dump was taken without sanitising (`--no-sanitise --reason`).
    pub no_sanitise_reason: Option<String>,
    pub rules_hash: Option<String>,
    /// Dumps with the same key fingerprint give the same person the same fakes.
    pub key_fingerprint: Option<String>,
    pub schema_hash: String,
    pub schema_only: bool,
    pub database: String,
    /// Where the database was: `SSM /casetracker/staging/DATABASE_URL`, `--url`, `rds db-1`.
    pub source: String,
    /// `dbdump <version>`.
    pub tool: String,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
}

/// A dump as `ls` (and `create`) report it: which it is, where, whether complete, and its
/// manifest's details when it has one.
#[derive(Clone, Debug, Serialize)]
pub struct DumpRecord {
    pub kind: &'static str,
    pub id: String,
    pub app: String,
    pub env: String,
    pub complete: bool,
    pub location: String,
    #[serde(flatten)]
    pub details: Option<Details>,
}

impl Record for DumpRecord {
    const KIND: &'static str = "dump";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "id",
        "app",
        "env",
        "complete",
        "location",
        "engine",
        "server_version",
        "created",
        "creator",
        "size",
        "sql_bytes",
        "sha256",
        "sanitised",
        "no_sanitise_reason",
        "rules_hash",
        "key_fingerprint",
        "schema_hash",
        "schema_only",
        "database",
        "source",
        "tool",
        "tables.*",
    ];
}

impl DumpRecord {
    /// A table's columns (every one with `--wide`): what a person choosing a dump reads.
    pub const BRIEF: &'static [&'static str] =
        &["id", "env", "engine", "created", "size", "sanitised", "complete", "creator"];

    /// Every column but the per-table row counts (known only from the dumps listed).
    pub fn fixed_columns() -> impl Iterator<Item = String> {
        <Self as Record>::COLUMNS.iter().filter(|c| !c.ends_with(".*")).map(|c| (*c).to_owned())
    }

    pub fn of(manifest: &Manifest, location: String) -> DumpRecord {
        let m = manifest.clone();
        DumpRecord {
            kind: "dump",
            id: m.id,
            app: m.app,
            env: m.env,
            complete: true,
            location,
            details: Some(m.details),
        }
    }

    pub fn incomplete(id: &str, app: &str, env: &str, location: String) -> DumpRecord {
        DumpRecord {
            kind: "dump",
            id: id.into(),
            app: app.into(),
            env: env.into(),
            complete: false,
            location,
            details: None,
        }
    }
}

/// A new dump's id: sortable by time (the suffix starts with the milliseconds, so two dumps of
/// the same second sort in the order they were made), unique across concurrent creates.
pub fn new_id(now: std::time::SystemTime) -> String {
    use sha2::Digest;
    let stamp = humantime::format_rfc3339_seconds(now).to_string().replace(['-', ':'], "");
    let since = now.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let noise =
        sha2::Sha256::digest(format!("{}:{}:{:?}", since.as_nanos(), std::process::id(), std::thread::current().id()));
    format!("{stamp}-{:03}{}", since.subsec_millis(), &hex::encode(noise)[..3])
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_sort_by_time_and_differ() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_hours(500_000);
        let a = super::new_id(t);
        assert!(a.starts_with("20270115T080000Z-"), "{a}");
        assert_eq!(a.len(), "20270115T080000Z-".len() + 6);
        assert!(super::new_id(t + std::time::Duration::from_secs(1)) > a);
        // Within a second, by the millisecond.
        let later = super::new_id(t + std::time::Duration::from_millis(7));
        assert!(later.starts_with("20270115T080000Z-007") && later > a, "{a} then {later}");
    }
}
