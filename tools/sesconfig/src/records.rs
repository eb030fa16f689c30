//! The records sesconfig prints (DESIGN.md: every record an object whose first field is `kind`):
//! `dns_record` (what the domain needs), `finding` (one per check), `identity`, `account`, and
//! `step` (what setup and teardown did or would do).

use opskit::output::Record;
use serde::{Deserialize, Serialize};

/// A DNS record the domain needs, as `sesconfig dns` prints it and `sesconfig check -` reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsRecord {
    pub kind: String,
    /// Fully qualified, without the trailing dot (`abc._domainkey.example.gov`).
    pub name: String,
    /// `CNAME`, `MX` or `TXT`.
    pub r#type: String,
    /// As a DNS provider's console takes it: an MX value is `PRIORITY HOST`, a TXT value is the
    /// text itself, unquoted.
    pub value: String,
    pub ttl: u32,
    /// What it is for: `dkim`, `mail_from_mx`, `mail_from_spf`, `dmarc`.
    pub purpose: String,
}

impl Record for DnsRecord {
    const KIND: &'static str = "dns_record";
    const COLUMNS: &'static [&'static str] = &["kind", "name", "type", "value", "ttl", "purpose"];
}

impl DnsRecord {
    pub fn new(name: &str, r#type: &str, value: impl Into<String>, purpose: Purpose) -> DnsRecord {
        DnsRecord {
            kind: DnsRecord::KIND.to_owned(),
            name: name.to_owned(),
            r#type: r#type.to_owned(),
            value: value.into(),
            ttl: DEFAULT_TTL,
            purpose: purpose.as_str().to_owned(),
        }
    }

    pub fn purpose(&self) -> Option<Purpose> {
        Purpose::parse(&self.purpose)
    }
}

/// The TTL suggested for new records: short enough to fix a mistake within the hour.
pub const DEFAULT_TTL: u32 = 1800;

/// What a DNS record is for; each has its own check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Dkim,
    MailFromMx,
    MailFromSpf,
    Dmarc,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [Purpose::Dkim, Purpose::MailFromMx, Purpose::MailFromSpf, Purpose::Dmarc];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Dkim => "dkim",
            Purpose::MailFromMx => "mail_from_mx",
            Purpose::MailFromSpf => "mail_from_spf",
            Purpose::Dmarc => "dmarc",
        }
    }

    pub fn parse(text: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The record type a record of this purpose has.
    pub fn record_type(self) -> &'static str {
        match self {
            Purpose::Dkim => "CNAME",
            Purpose::MailFromMx => "MX",
            Purpose::MailFromSpf | Purpose::Dmarc => "TXT",
        }
    }
}

/// A check's result: the `finding` record every opskit checker prints.
pub use opskit::finding::{Finding, Status};

/// An SES email identity as `setup`, `check` and `teardown` see it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IdentityRecord {
    pub kind: &'static str,
    pub domain: String,
    pub region: String,
    pub verified: bool,
    pub verification_status: Option<String>,
    pub dkim_signing: bool,
    pub dkim_status: Option<String>,
    /// `AWS_SES` (Easy DKIM) or `EXTERNAL` (bring your own key, no CNAMEs).
    pub dkim_origin: Option<String>,
    pub dkim_tokens: Vec<String>,
    pub mail_from: Option<String>,
    pub mail_from_status: Option<String>,
    pub configuration_set: Option<String>,
}

impl Record for IdentityRecord {
    const KIND: &'static str = "identity";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "domain",
        "region",
        "verified",
        "verification_status",
        "dkim_signing",
        "dkim_status",
        "dkim_origin",
        "dkim_tokens",
        "mail_from",
        "mail_from_status",
        "configuration_set",
    ];
}

/// The SES account in one region, as `status` shows it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct AccountRecord {
    pub kind: &'static str,
    pub region: String,
    /// `production` or `sandbox`.
    pub access: String,
    pub sending_enabled: bool,
    /// `HEALTHY`, `PROBATION` or `SHUTDOWN`.
    pub enforcement_status: Option<String>,
    pub max_24_hour_send: Option<f64>,
    pub max_send_rate: Option<f64>,
    pub sent_last_24_hours: Option<f64>,
    pub suppressed_reasons: Vec<String>,
    /// The production-access request under review, if any.
    pub review_status: Option<String>,
    pub review_case_id: Option<String>,
}

impl Record for AccountRecord {
    const KIND: &'static str = "account";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "region",
        "access",
        "sending_enabled",
        "enforcement_status",
        "max_24_hour_send",
        "max_send_rate",
        "sent_last_24_hours",
        "suppressed_reasons",
        "review_status",
        "review_case_id",
    ];
}

/// How a step of setup or teardown went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    /// `--dry-run`: the call that would be made.
    Planned,
    /// Made the change.
    Done,
    /// Already as wanted: nothing to do.
    Unchanged,
    /// The endpoint does not have this operation.
    Unsupported,
    Failed,
}

/// One API call setup or teardown makes (or would make, with `--dry-run`).
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    pub kind: &'static str,
    /// Which part of the setup: `identity`, `mail_from`, `configuration_set`, …
    pub part: &'static str,
    /// The SES API operation (`CreateEmailIdentity`).
    pub api: &'static str,
    /// What it acts on.
    pub target: String,
    pub status: StepStatus,
    pub detail: Option<String>,
}

impl Record for Step {
    const KIND: &'static str = "step";
    const COLUMNS: &'static [&'static str] = &["kind", "part", "api", "target", "status", "detail"];
}

/// A sent test message.
#[derive(Clone, Debug, Serialize)]
pub struct MessageRecord {
    pub kind: &'static str,
    pub message_id: String,
    pub from: String,
    pub to: String,
    pub configuration_set: Option<String>,
}

impl Record for MessageRecord {
    const KIND: &'static str = "message";
    const COLUMNS: &'static [&'static str] = &["kind", "message_id", "from", "to", "configuration_set"];
}
