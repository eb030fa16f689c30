//! What looks personal: a column's name (email, name, phone, address, ssn, dob, ip, token,
//! password, …) or its values (emails, phone numbers, SSNs, card numbers, IP addresses,
//! whatever the column is called), and the rule each suggests.

use super::rules::Transform;
use crate::engine::{Column, ColumnKind};

/// Why a column looks personal, and the rule that fits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suspicion {
    /// `by_name` or `by_content`.
    pub check: &'static str,
    /// What was seen: `name looks like an email address`, `82% of sampled values are emails`.
    pub detail: String,
    pub suggested: Transform,
}

/// The words of a column name: `firstName`, `first_name`, `FIRST-NAME` → `first`, `name`.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// By name: the first kind of personal data the column's name suggests.
pub fn by_name(column: &Column) -> Option<Suspicion> {
    let w = words(&column.name);
    let has = |x: &str| w.iter().any(|word| word == x);
    let joined = w.join("");
    let any = |xs: &[&str]| xs.iter().any(|x| has(x) || joined == *x);
    let text = matches!(column.kind, ColumnKind::Text | ColumnKind::Other);
    let (what, suggested) = if any(&["email", "mail", "emailaddress"]) {
        ("an email address", Transform::Email)
    } else if any(&[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "salt",
        "otp",
    ]) || joined.contains("password")
        || joined.contains("apikey")
        || joined.contains("accesskey")
    {
        ("a secret", if column.nullable { Transform::Null } else { Transform::Hash })
    } else if any(&["ssn", "socialsecurity", "nationalid", "nin", "passport", "taxid", "tin", "sin"]) {
        ("a national identifier", Transform::Hash)
    } else if any(&["card", "creditcard", "ccnumber", "pan", "iban", "cvv", "accountnumber", "bankaccount"]) {
        ("a payment card or bank account", Transform::Mask { first: 0, last: 4 })
    } else if any(&["dob", "birthday", "birthdate", "dateofbirth", "birth"]) {
        ("a date of birth", Transform::DateShift { days: 180 })
    } else if any(&["phone", "mobile", "cell", "telephone", "tel", "fax", "msisdn"]) {
        ("a phone number", Transform::Phone)
    } else if any(&["address", "street", "addr", "zip", "zipcode", "postcode", "postal", "city"]) {
        ("a postal address", Transform::Address)
    } else if any(&["ip", "ipaddress", "ipaddr", "remoteaddr"]) {
        ("an IP address", Transform::Hash)
    } else if has("first") && has("name") || any(&["firstname", "givenname", "forename"]) {
        ("a first name", Transform::FirstName)
    } else if (has("last") || has("family") || has("sur")) && has("name") || any(&["lastname", "surname", "familyname"])
    {
        ("a last name", Transform::LastName)
    } else if joined == "name"
        || any(&["fullname", "displayname", "username", "nickname", "maidenname", "contactname", "personname"])
    {
        ("a person's name", Transform::Name)
    } else {
        return None;
    };
    let suggested = if text || matches!(suggested, Transform::DateShift { .. } | Transform::Null) {
        suggested
    } else {
        Transform::Null
    };
    Some(Suspicion { check: "by_name", detail: format!("its name looks like {what}"), suggested })
}

/// What a detector looks for, its test, and the rule that fits.
type Detector = (&'static str, fn(&str) -> bool, Transform);

/// By content: the kind of personal data most sampled values look like, when at least half do.
pub fn by_content(values: &[String]) -> Option<Suspicion> {
    let values: Vec<&str> = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return None;
    }
    let detectors: [Detector; 5] = [
        ("emails", looks_like_email, Transform::Email),
        ("SSNs", looks_like_ssn, Transform::Hash),
        ("card numbers", looks_like_card, Transform::Mask { first: 0, last: 4 }),
        ("IP addresses", looks_like_ip, Transform::Hash),
        ("phone numbers", looks_like_phone, Transform::Phone),
    ];
    for (what, test, suggested) in detectors {
        let hits = values.iter().filter(|v| test(v)).count();
        if hits * 2 >= values.len() {
            let pct = hits * 100 / values.len();
            return Some(Suspicion {
                check: "by_content",
                detail: format!("{pct}% of {} sampled values look like {what}", values.len()),
                suggested,
            });
        }
    }
    None
}

pub fn looks_like_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else { return false };
    !local.is_empty()
        && !v.contains(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

pub fn looks_like_ssn(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 11
        && b[3] == b'-'
        && b[6] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 3 || i == 6 || c.is_ascii_digit())
}

/// 13–19 digits (spaces and dashes allowed) passing the Luhn check.
pub fn looks_like_card(v: &str) -> bool {
    if !v.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
        return false;
    }
    let digits: Vec<u32> = v.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(13..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d })
        .sum();
    sum.is_multiple_of(10)
}

pub fn looks_like_ip(v: &str) -> bool {
    v.parse::<std::net::IpAddr>().is_ok()
}

/// 7–15 digits, with the punctuation phone numbers carry (`+`, spaces, `-`, `.`, parentheses).
pub fn looks_like_phone(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let punctuated = v.chars().any(|c| "+-. ()".contains(c));
    (7..=15).contains(&digits)
        && punctuated
        && v.chars().all(|c| c.is_ascii_digit() || "+-. ()x".contains(c))
        && !looks_like_ssn(v)
        && !looks_like_ip(v)
        && !(v.len() == 10 && v.as_bytes()[4] == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str) -> Column {
        Column {
            name: name.into(),
            data_type: "text".into(),
            kind: ColumnKind::Text,
            max_len: None,
            nullable: true,
            unique: false,
        }
    }

    #[test]
    fn names() {
        assert_eq!(by_name(&col("email")).unwrap().suggested, Transform::Email);
        assert_eq!(by_name(&col("contactEmail")).unwrap().suggested, Transform::Email);
        assert_eq!(by_name(&col("first_name")).unwrap().suggested, Transform::FirstName);
        assert_eq!(by_name(&col("LastName")).unwrap().suggested, Transform::LastName);
        assert_eq!(by_name(&col("name")).unwrap().suggested, Transform::Name);
        assert_eq!(by_name(&col("mobile_phone")).unwrap().suggested, Transform::Phone);
        assert_eq!(by_name(&col("password_hash")).unwrap().suggested, Transform::Null);
        assert!(by_name(&col("product_name")).is_none());
        assert!(by_name(&col("created_at")).is_none());
        assert!(by_name(&col("total")).is_none());
    }

    #[test]
    fn contents() {
        let emails: Vec<String> = ["a@b.co", "x.y@z.org", "not one"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(by_content(&emails).unwrap().suggested, Transform::Email);
        assert!(looks_like_card("4111 1111 1111 1111"));
        assert!(!looks_like_card("4111 1111 1111 1112"));
        assert!(looks_like_ssn("123-45-6789"));
        assert!(looks_like_ip("10.0.0.1") && looks_like_ip("2001:db8::1"));
        assert!(looks_like_phone("+1 (555) 010-4477"));
        assert!(!looks_like_phone("2024-01-31"), "a date is not a phone number");
        assert!(by_content(&["12.50".to_owned(), "3".to_owned()]).is_none());
    }
}
