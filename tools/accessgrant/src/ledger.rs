//! The ledger, in S3: each grant's current state as one object (`grants/<id>.json`) that every
//! change rewrites only if nobody else wrote it since it was read, and the audit log, one object
//! per event (`audit/<time>_<grant>_<seq>_<event>.json`), each written once and never again
//! (S3 Object Lock on the bucket, when configured, makes that a promise of the bucket's too).
//! Keys sort by time, so the log reads in order and `--since` starts in the middle.

use std::collections::HashSet;
use std::time::SystemTime;

use aws_sdk_s3::Client;
use futures_util::{StreamExt, TryStreamExt};
use opskit::s3::{Precondition, PutOptions, Written};
use opskit::{Error, Exit, Result};

use crate::grant::{Event, GrantDoc, stamp_millis};

const GRANTS: &str = "grants/";
const AUDIT: &str = "audit/";
/// Objects read at once when listing.
const READS_IN_FLIGHT: usize = 16;

/// A grant as read, with the ETag a change must match.
#[derive(Clone, Debug)]
pub struct Stored {
    pub doc: GrantDoc,
    pub etag: String,
}

pub struct Ledger {
    s3: Client,
    bucket: String,
}

fn json() -> PutOptions {
    PutOptions { kms_key_id: None, content_type: Some("application/json".to_owned()) }
}

/// `2026-11-27T14:30:00.123Z` → `20261127T143000.123Z`: fixed width, so keys sort by time.
fn compact(at: &str) -> String {
    at.chars().filter(|c| *c != '-' && *c != ':').collect()
}

impl Ledger {
    pub fn new(s3: Client, bucket: &str) -> Ledger {
        Ledger { s3, bucket: bucket.to_owned() }
    }

    pub fn grant_key(id: &str) -> String {
        format!("{GRANTS}{id}.json")
    }

    /// The audit log's key for an event: its time, its grant, its number (or, for an event of
    /// no grant, a random tag), and what happened.
    pub fn event_key(event: &Event) -> String {
        let tag = if event.seq == 0 {
            let tag: String = (0..6).map(|_| fastrand::alphanumeric().to_ascii_lowercase()).collect();
            format!("x{tag}")
        } else {
            format!("{:04}", event.seq)
        };
        let subject: String =
            event.grant.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        format!("{AUDIT}{}_{subject}_{tag}_{}.json", compact(&event.at), event.happened.as_str())
    }

    /// A missing bucket is a setting to fix, said with the command that creates it.
    fn explain(&self, err: Error) -> Error {
        if err.exit() == Exit::NotFound && err.to_string().contains("NoSuchBucket") {
            let bucket = &self.bucket;
            return err.with_hint(format!(
                "create the ledger: `aws s3api create-bucket --bucket {bucket} --object-lock-enabled-for-bucket` (Object Lock keeps the audit log unrewritable), or fix `bucket` in [accessgrant]"
            ));
        }
        err
    }

    fn parse(&self, key: &str, bytes: &[u8]) -> Result<GrantDoc> {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::data(format!("s3://{}/{key}: not a grant: {e}", self.bucket)).with_hint(
                "the ledger's objects are written by accessgrant; restore this one from its previous version",
            )
        })
    }

    /// A grant by id; `None` when there is no such grant.
    pub async fn read(&self, id: &str) -> Result<Option<Stored>> {
        let key = Ledger::grant_key(id);
        let Some(found) = opskit::s3::get_versioned(&self.s3, &self.bucket, &key).await.map_err(|e| self.explain(e))?
        else {
            return Ok(None);
        };
        Ok(Some(Stored { doc: self.parse(&key, &found.bytes)?, etag: found.etag }))
    }

    /// Write a grant: a new one only where no grant is, a changed one only over the version read.
    pub async fn write(&self, doc: &GrantDoc, over: Option<&str>) -> Result<Written> {
        let key = Ledger::grant_key(&doc.grant.id);
        let body = serde_json::to_vec_pretty(doc).map_err(|e| Error::internal(format!("encoding a grant: {e}")))?;
        let precondition = over.map_or(Precondition::Absent, Precondition::Unchanged);
        opskit::s3::put_conditional(&self.s3, &self.bucket, &key, body, precondition, &json())
            .await
            .map_err(|e| self.explain(e))
    }

    /// Every grant in the ledger (every app's), in id order, which is the order they were asked for.
    pub async fn grants(&self) -> Result<Vec<Stored>> {
        let objects = opskit::s3::list(&self.s3, &self.bucket, GRANTS).await.map_err(|e| self.explain(e))?;
        futures_util::stream::iter(
            objects
                .into_iter()
                .filter(|o| std::path::Path::new(&o.key).extension().is_some_and(|e| e.eq_ignore_ascii_case("json"))),
        )
        .map(|object| async move {
            let found = opskit::s3::get_versioned(&self.s3, &self.bucket, &object.key).await?;
            // Deleted between the listing and the read: it is not a grant any more.
            let Some(found) = found else { return Ok(None) };
            Ok::<_, Error>(Some(Stored { doc: self.parse(&object.key, &found.bytes)?, etag: found.etag }))
        })
        .buffered(READS_IN_FLIGHT)
        .try_filter_map(|x| async move { Ok(x) })
        .try_collect()
        .await
    }

    /// Add events to the audit log. Each key is written once: an event already there (a retry
    /// after a failure) is left as it is.
    pub async fn append(&self, events: &[Event]) -> Result<()> {
        for event in events {
            let key = Ledger::event_key(event);
            let body = serde_json::to_vec(event).map_err(|e| Error::internal(format!("encoding an event: {e}")))?;
            let written =
                opskit::s3::put_conditional(&self.s3, &self.bucket, &key, body, Precondition::Absent, &json())
                    .await
                    .map_err(|e| self.explain(e))?;
            if written == Written::Lost {
                tracing::debug!(key, "event already in the audit log");
            }
        }
        Ok(())
    }

    /// The audit log's keys from `since` on.
    pub async fn logged(&self, since: Option<SystemTime>) -> Result<HashSet<String>> {
        let start = since.map(|t| format!("{AUDIT}{}", compact(&stamp_millis(t))));
        let objects = opskit::s3::list_after(&self.s3, &self.bucket, AUDIT, start.as_deref())
            .await
            .map_err(|e| self.explain(e))?;
        Ok(objects.into_iter().map(|o| o.key).collect())
    }

    /// The audit log from `since` on (all of it without), in order.
    pub async fn events(&self, since: Option<SystemTime>) -> Result<Vec<Event>> {
        let start = since.map(|t| format!("{AUDIT}{}", compact(&stamp_millis(t))));
        let objects = opskit::s3::list_after(&self.s3, &self.bucket, AUDIT, start.as_deref())
            .await
            .map_err(|e| self.explain(e))?;
        futures_util::stream::iter(objects)
            .map(|object| async move {
                let bytes = opskit::s3::get_bytes(&self.s3, &self.bucket, &object.key).await?;
                serde_json::from_slice::<Event>(&bytes)
                    .map_err(|e| Error::data(format!("s3://{}/{}: not an audit event: {e}", self.bucket, object.key)))
            })
            .buffered(READS_IN_FLIGHT)
            .try_collect()
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grant::EventKind;

    fn event(at: &str, grant: &str, seq: u32, kind: EventKind) -> Event {
        Event {
            kind: "audit".into(),
            at: at.into(),
            happened: kind,
            grant: grant.into(),
            seq,
            app: "shop".into(),
            env: None,
            role: None,
            tier: None,
            actor: "a".into(),
            grantee: None,
            break_glass: false,
            reason: None,
            ticket: None,
            duration_seconds: None,
            expires_at: None,
            detail: None,
        }
    }

    #[test]
    fn event_keys_sort_by_time_then_grant_then_number() {
        let a = Ledger::event_key(&event("2026-11-27T10:00:00.000Z", "0k3x9a7qzp", 1, EventKind::Requested));
        let b = Ledger::event_key(&event("2026-11-27T10:00:00.000Z", "0k3x9a7qzp", 2, EventKind::Activated));
        let c = Ledger::event_key(&event("2026-11-27T10:00:00.001Z", "00000000aa", 1, EventKind::Requested));
        assert_eq!(a, "audit/20261127T100000.000Z_0k3x9a7qzp_0001_requested.json");
        assert!(a < b && b < c, "{a} {b} {c}");
        let orphan = Ledger::event_key(&event("2026-11-27T10:00:00.000Z", "accessgrant-x", 0, EventKind::Swept));
        assert!(orphan.starts_with("audit/20261127T100000.000Z_accessgrant-x_x"), "{orphan}");
        assert!(orphan.ends_with("_swept.json"), "{orphan}");
    }
}
