//! DMARC records (RFC 7489): parsed strictly enough to say what is wrong, rendered back, and
//! merged so that a policy already published keeps its stricter settings.

use crate::settings::DmarcPolicy;

/// A parsed DMARC record: its tags in order, and the ones that matter here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dmarc {
    pub tags: Vec<(String, String)>,
}

impl Dmarc {
    /// Parse a record; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Dmarc, String> {
        let mut tags: Vec<(String, String)> = Vec::new();
        for (i, part) in text.split(';').map(str::trim).enumerate() {
            if part.is_empty() {
                continue;
            }
            let Some((name, value)) = part.split_once('=') else {
                return Err(format!("`{part}` is not a tag=value pair"));
            };
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
            if i == 0 && (name != "v" || value != "DMARC1") {
                return Err("a DMARC record starts with v=DMARC1".to_owned());
            }
            if tags.iter().any(|(n, _)| *n == name) {
                return Err(format!("the tag `{name}` appears twice"));
            }
            check_tag(&name, &value)?;
            tags.push((name, value));
        }
        if tags.is_empty() {
            return Err("the record is empty".to_owned());
        }
        let dmarc = Dmarc { tags };
        if dmarc.get("p").is_none() {
            return Err("the policy tag p= is missing (p=none, quarantine or reject)".to_owned());
        }
        Ok(dmarc)
    }

    pub fn get(&self, tag: &str) -> Option<&str> {
        self.tags.iter().find(|(n, _)| n == tag).map(|(_, v)| v.as_str())
    }

    fn set(&mut self, tag: &str, value: String) {
        match self.tags.iter_mut().find(|(n, _)| n == tag) {
            Some(slot) => slot.1 = value,
            None => self.tags.push((tag.to_owned(), value)),
        }
    }

    pub fn policy(&self) -> DmarcPolicy {
        self.get("p").and_then(DmarcPolicy::parse).unwrap_or(DmarcPolicy::None)
    }

    /// Whether SPF must align strictly (`aspf=s`): the MAIL FROM domain equal to the From domain.
    pub fn strict_spf(&self) -> bool {
        self.get("aspf") == Some("s")
    }

    pub fn render(&self) -> String {
        self.tags.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// The record a domain should publish: `wanted` policy and report address, keeping every
    /// setting of `existing` that is stricter (a higher policy, a higher pct, strict alignment)
    /// and every report address it already has.
    pub fn merged(existing: Option<&Dmarc>, wanted: DmarcPolicy, rua: Option<&str>) -> Dmarc {
        let mut out = existing.cloned().unwrap_or_else(|| Dmarc { tags: vec![("v".into(), "DMARC1".into())] });
        let policy = existing.map_or(wanted, |e| e.policy().max(wanted));
        out.set("p", policy.as_str().to_owned());
        if let Some(rua) = rua {
            let mut addresses: Vec<String> =
                out.get("rua").map(|r| r.split(',').map(|a| a.trim().to_owned()).collect()).unwrap_or_default();
            for address in rua.split(',') {
                if !addresses.iter().any(|a| a.eq_ignore_ascii_case(address)) {
                    addresses.push(address.to_owned());
                }
            }
            out.set("rua", addresses.join(","));
        }
        // A pct below 100 applies the policy to fewer messages: SES setup asks for all of them.
        if out.get("pct").is_some_and(|p| p != "100") && existing.is_some_and(|e| e.policy() < wanted) {
            out.set("pct", "100".to_owned());
        }
        // v=DMARC1 then p= first, as receivers expect.
        out.tags.sort_by_key(|(n, _)| match n.as_str() {
            "v" => 0,
            "p" => 1,
            _ => 2,
        });
        out
    }
}

fn check_tag(name: &str, value: &str) -> Result<(), String> {
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&value) {
            Ok(())
        } else {
            Err(format!("{name}={value}: expected {}", allowed.join(" or ")))
        }
    };
    match name {
        "v" => Ok(()),
        "p" | "sp" | "np" => one_of(&["none", "quarantine", "reject"]),
        "adkim" | "aspf" => one_of(&["r", "s"]),
        "pct" => match value.parse::<u8>() {
            Ok(n) if n <= 100 => Ok(()),
            _ => Err(format!("pct={value}: expected a whole number from 0 to 100")),
        },
        "ri" => value.parse::<u32>().map(|_| ()).map_err(|_| format!("ri={value}: expected seconds")),
        "rua" | "ruf" => {
            for uri in value.split(',').map(str::trim) {
                let address = uri.split('!').next().unwrap_or(uri);
                let ok = address.strip_prefix("mailto:").is_some_and(|a| a.contains('@'))
                    || address.starts_with("https://")
                    || address.starts_with("http://");
                if !ok {
                    return Err(format!("{name}={value}: `{uri}` is not a mailto: URI"));
                }
            }
            Ok(())
        }
        "fo" => {
            if value.split(':').all(|o| matches!(o, "0" | "1" | "d" | "s")) {
                Ok(())
            } else {
                Err(format!("fo={value}: expected 0, 1, d or s (colon separated)"))
            }
        }
        "rf" => one_of(&["afrf"]),
        _ => Err(format!("unknown tag `{name}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let d = Dmarc::parse("v=DMARC1; p=quarantine; rua=mailto:d@example.gov; aspf=s").unwrap();
        assert_eq!(d.policy(), DmarcPolicy::Quarantine);
        assert!(d.strict_spf());
        for (bad, why) in [
            ("v=DMARC1; p=block", "p=block"),
            ("p=none; v=DMARC1", "starts with v=DMARC1"),
            ("v=DMARC1", "p= is missing"),
            ("v=DMARC1; p=none; rua=dmarc@example.gov", "not a mailto"),
            ("v=DMARC1; p=none; pct=200", "pct=200"),
            ("v=DMARC1; p=none; p=reject", "twice"),
            ("v=DMARC1 p=none", "starts with v=DMARC1"),
        ] {
            let err = Dmarc::parse(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn merge_keeps_the_stricter_settings() {
        let existing = Dmarc::parse("v=DMARC1; p=reject; adkim=s; rua=mailto:a@x.gov").unwrap();
        let merged = Dmarc::merged(Some(&existing), DmarcPolicy::None, Some("mailto:b@x.gov"));
        assert_eq!(merged.render(), "v=DMARC1; p=reject; adkim=s; rua=mailto:a@x.gov,mailto:b@x.gov");
        let weak = Dmarc::parse("v=DMARC1; p=none; pct=10").unwrap();
        let merged = Dmarc::merged(Some(&weak), DmarcPolicy::Quarantine, None);
        assert_eq!(merged.render(), "v=DMARC1; p=quarantine; pct=100");
        assert_eq!(Dmarc::merged(None, DmarcPolicy::None, None).render(), "v=DMARC1; p=none");
    }
}
