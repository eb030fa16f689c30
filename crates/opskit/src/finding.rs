//! The `finding` record every checking command prints (dbdump lint and compare, sesconfig
//! check, …): one per check, `ok`, `warn` or `fail`, with what was expected and found and what
//! to do. A command that finds any `fail` exits 1.

use serde::Serialize;

use crate::output::Record;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub kind: &'static str,
    /// What was checked: `personal_by_name`, `row_count`, `dkim_cname`, …
    pub check: String,
    /// What it was checked on: `users.email`, `orders`, `selector1._domainkey.example.gov`.
    pub name: String,
    pub status: Status,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub hint: Option<String>,
}

impl Finding {
    pub fn new(check: impl Into<String>, name: impl Into<String>, status: Status) -> Finding {
        Finding {
            kind: "finding",
            check: check.into(),
            name: name.into(),
            status,
            expected: None,
            found: None,
            hint: None,
        }
    }

    pub fn ok(check: impl Into<String>, name: impl Into<String>) -> Finding {
        Finding::new(check, name, Status::Ok)
    }

    pub fn warn(check: impl Into<String>, name: impl Into<String>) -> Finding {
        Finding::new(check, name, Status::Warn)
    }

    pub fn fail(check: impl Into<String>, name: impl Into<String>) -> Finding {
        Finding::new(check, name, Status::Fail)
    }

    #[must_use]
    pub fn expected(mut self, expected: impl Into<String>) -> Finding {
        self.expected = Some(expected.into());
        self
    }

    #[must_use]
    pub fn found(mut self, found: impl Into<String>) -> Finding {
        self.found = Some(found.into());
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }
}

impl Record for Finding {
    const KIND: &'static str = "finding";
    const COLUMNS: &'static [&'static str] = &["kind", "check", "name", "status", "expected", "found", "hint"];
}
