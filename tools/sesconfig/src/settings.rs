//! `[sesconfig]` in opskit.toml: the defaults of `setup`, `dns` and `check`, each overridden by
//! its flag.

use serde::Deserialize;

/// `[sesconfig]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The domain commands act on when none is given.
    pub domain: Option<String>,
    /// The MAIL FROM subdomain [default: mail.<domain>].
    pub mail_from: Option<String>,
    pub dmarc_policy: Option<DmarcPolicy>,
    /// Where aggregate DMARC reports go (`mailto:dmarc@example.gov`).
    pub dmarc_rua: Option<String>,
    /// The configuration set made the identity's default.
    pub configuration_set: Option<String>,
    /// Where bounce and complaint events go: `sns:ARN`, `eventbridge` or `cloudwatch`.
    pub events: Option<String>,
    /// What SES does when the MAIL FROM MX record is missing: `use-default-value` (send from
    /// amazonses.com) or `reject-message`.
    pub mail_from_mx_failure: Option<MxFailure>,
}

/// A DMARC `p=` policy, weakest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum DmarcPolicy {
    None,
    Quarantine,
    Reject,
}

impl DmarcPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            DmarcPolicy::None => "none",
            DmarcPolicy::Quarantine => "quarantine",
            DmarcPolicy::Reject => "reject",
        }
    }

    pub fn parse(text: &str) -> Option<DmarcPolicy> {
        match text.to_ascii_lowercase().as_str() {
            "none" => Some(DmarcPolicy::None),
            "quarantine" => Some(DmarcPolicy::Quarantine),
            "reject" => Some(DmarcPolicy::Reject),
            _ => None,
        }
    }
}

/// SES's behaviour when the MAIL FROM domain's MX record is missing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum MxFailure {
    /// Send with amazonses.com as the MAIL FROM (mail still flows; SPF no longer aligns).
    #[default]
    UseDefaultValue,
    /// Refuse to send until the MX record is back.
    RejectMessage,
}

/// Where setup sends bounce and complaint events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Events {
    Sns(String),
    EventBridge,
    CloudWatch,
}

impl Events {
    pub fn parse(text: &str) -> Result<Events, String> {
        match text {
            "eventbridge" => Ok(Events::EventBridge),
            "cloudwatch" => Ok(Events::CloudWatch),
            _ => match text.strip_prefix("sns:") {
                Some(arn) if arn.starts_with("arn:") && arn.split(':').count() >= 6 => Ok(Events::Sns(arn.to_owned())),
                Some(arn) => Err(format!("`{arn}` is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC)")),
                None => Err(format!("`{text}`: use sns:ARN, eventbridge or cloudwatch")),
            },
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Events::Sns(arn) => format!("SNS topic {arn}"),
            Events::EventBridge => "EventBridge (default event bus)".to_owned(),
            Events::CloudWatch => "CloudWatch metrics".to_owned(),
        }
    }
}

/// `--events` value parser.
pub fn parse_events(text: &str) -> Result<Events, String> {
    Events::parse(text)
}

/// `--dmarc-rua` value parser: one or more `mailto:` URIs, comma separated.
pub fn parse_rua(text: &str) -> Result<String, String> {
    for uri in text.split(',').map(str::trim) {
        let Some(address) = uri.strip_prefix("mailto:") else {
            return Err(format!("`{uri}`: DMARC report addresses are mailto: URIs (mailto:dmarc@example.gov)"));
        };
        if !address.contains('@') || address.contains(';') || address.contains(char::is_whitespace) {
            return Err(format!("`{uri}` is not a mailto: URI with an email address"));
        }
    }
    Ok(text.split(',').map(str::trim).collect::<Vec<_>>().join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events() {
        assert_eq!(Events::parse("eventbridge"), Ok(Events::EventBridge));
        assert!(matches!(Events::parse("sns:arn:aws:sns:us-east-1:123456789012:bounces"), Ok(Events::Sns(_))));
        assert!(Events::parse("sns:bounces").is_err());
        assert!(Events::parse("kinesis").is_err());
    }

    #[test]
    fn rua() {
        assert_eq!(parse_rua("mailto:a@x.gov, mailto:b@y.gov").unwrap(), "mailto:a@x.gov,mailto:b@y.gov");
        assert!(parse_rua("a@x.gov").is_err());
        assert!(parse_rua("mailto:nobody").is_err());
    }
}
