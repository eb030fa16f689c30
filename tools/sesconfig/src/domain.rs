//! Domain names as sesconfig takes them: checked once, before any work, so a typo is a usage
//! error naming it rather than an AWS or DNS error later.

use std::fmt;

use opskit::Error;

/// A domain name: lower case, no trailing dot, at least two labels of letters, digits and
/// hyphens (RFC 1123), 253 characters at most.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Domain(String);

impl Domain {
    pub fn parse(text: &str) -> Result<Domain, Error> {
        let name = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
        let why = if name.is_empty() {
            Some("it is empty")
        } else if name.contains('@') {
            Some("it is an email address; give the part after the @")
        } else if name.contains("://") || name.contains('/') {
            Some("it is a URL; give the host name alone")
        } else if name.len() > 253 {
            Some("it is longer than 253 characters")
        } else if !name.contains('.') {
            Some("a domain has at least two labels (example.gov)")
        } else {
            name.split('.').find_map(label_problem)
        };
        match why {
            Some(why) => Err(Error::usage(format!("`{text}` is not a domain name: {why}"))),
            None => Ok(Domain(name)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `self` is `parent` or under it.
    pub fn is_within(&self, parent: &Domain) -> bool {
        self.0 == parent.0 || self.0.ends_with(&format!(".{}", parent.0))
    }

    /// `label.self`.
    pub fn child(&self, label: &str) -> String {
        format!("{label}.{}", self.0)
    }

    /// The domain one label up (`None` at a top-level domain).
    pub fn parent(&self) -> Option<Domain> {
        self.0.split_once('.').map(|(_, rest)| Domain(rest.to_owned()))
    }

    /// The MAIL FROM domain for this domain: given (it must be a subdomain), else `mail.<domain>`.
    pub fn mail_from(&self, given: Option<&str>) -> Result<Domain, Error> {
        let Some(given) = given else { return Ok(Domain(self.child("mail"))) };
        let sub = Domain::parse(given).map_err(|e| Error::usage(format!("--mail-from: {e}")))?;
        if sub == *self || !sub.is_within(self) {
            return Err(Error::usage(format!(
                "MAIL FROM domain `{sub}` is not a subdomain of `{self}`: SES requires one (like bounce.{self})"
            )));
        }
        Ok(sub)
    }
}

fn label_problem(label: &str) -> Option<&'static str> {
    if label.is_empty() {
        Some("it has an empty label (two dots in a row)")
    } else if label.len() > 63 {
        Some("a label is longer than 63 characters")
    } else if label.starts_with('-') || label.ends_with('-') {
        Some("a label starts or ends with a hyphen")
    } else if !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Some("labels hold letters, digits and hyphens only")
    } else {
        None
    }
}

impl fmt::Display for Domain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A DNS name as records carry it: lower case, without the trailing dot.
pub fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        assert_eq!(Domain::parse("Example.GOV.").unwrap().as_str(), "example.gov");
        for bad in ["", "localhost", "a..b", "-a.b", "user@example.gov", "https://example.gov", "a b.c"] {
            let err = Domain::parse(bad).unwrap_err();
            assert_eq!(err.exit(), opskit::Exit::Usage, "{bad}");
            assert!(err.to_string().contains("is not a domain name"), "{err}");
        }
    }

    #[test]
    fn mail_from_must_be_a_subdomain() {
        let d = Domain::parse("example.gov").unwrap();
        assert_eq!(d.mail_from(None).unwrap().as_str(), "mail.example.gov");
        assert_eq!(d.mail_from(Some("bounce.example.gov")).unwrap().as_str(), "bounce.example.gov");
        for bad in ["example.gov", "bounce.example.org", "notexample.gov", "bounceexample.gov"] {
            let err = d.mail_from(Some(bad)).unwrap_err();
            assert!(err.to_string().contains("is not a subdomain of `example.gov`"), "{bad}: {err}");
        }
    }
}
