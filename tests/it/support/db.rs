//! Real database servers: a fresh database per test on the PostgreSQL and MariaDB servers
//! that tests/backends.sh made sure are running, dropped when the test ends.

use std::process::Command;

use super::unique;

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {} (are the test databases up? tests/backends.sh starts them)",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A PostgreSQL database of the test's own.
pub struct PgDb {
    pub name: String,
}

impl PgDb {
    const ADMIN: [&'static str; 6] = ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres"];

    pub fn new() -> PgDb {
        let name = unique("opskit_t").replace('-', "_");
        run(
            "psql",
            &[&Self::ADMIN[..], &["-d", "postgres", "-qAt", "-c", &format!("CREATE DATABASE \"{name}\"")]].concat(),
        );
        PgDb { name }
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{}", self.name)
    }

    /// Run SQL in this database and return psql's unaligned output.
    pub fn sql(&self, sql: &str) -> String {
        run("psql", &[&Self::ADMIN[..], &["-d", &self.name, "-qAt", "-v", "ON_ERROR_STOP=1", "-c", sql]].concat())
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args(Self::ADMIN)
            .args(["-d", "postgres", "-qAt", "-c", &format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name)])
            .output();
    }
}

/// A MariaDB database of the test's own.
pub struct MariaDb {
    pub name: String,
}

impl MariaDb {
    const ADMIN: [&'static str; 6] = ["-h", "127.0.0.1", "-P", "3306", "-u", "root"];

    pub fn new() -> MariaDb {
        let name = unique("opskit_t").replace('-', "_");
        run("mariadb", &[&Self::ADMIN[..], &["-e", &format!("CREATE DATABASE `{name}`")]].concat());
        MariaDb { name }
    }

    pub fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:3306/{}", self.name)
    }

    /// Run SQL in this database and return the client's batch (tab-separated) output.
    pub fn sql(&self, sql: &str) -> String {
        run("mariadb", &[&Self::ADMIN[..], &["-N", "-B", "-D", &self.name, "-e", sql]].concat())
    }
}

impl Drop for MariaDb {
    fn drop(&mut self) {
        let _ = Command::new("mariadb")
            .args(Self::ADMIN)
            .args(["-e", &format!("DROP DATABASE IF EXISTS `{}`", self.name)])
            .output();
    }
}
