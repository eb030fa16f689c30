//! Real database servers: a fresh database per test on the PostgreSQL and MariaDB servers
//! that tests/backends.sh made sure are running, dropped when the test ends.

use std::process::Command;

use super::unique;

fn run(program: &str, args: &[&str]) -> String {
    run_with_input(program, args, "")
}

/// Run a client with SQL on its stdin (no argv limit on its size).
fn run_with_input(program: &str, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    let feeder = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    let _ = feeder.join();
    let args: Vec<&str> = args.iter().map(|a| if a.len() > 200 { "…" } else { a }).collect();
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
        pg_sql(&self.name, sql)
    }
}

/// Run SQL in any database of the test server (one the test did not make, such as the
/// sandbox's) and return psql's unaligned output.
pub fn pg_sql(database: &str, sql: &str) -> String {
    run_with_input(
        "psql",
        &[&PgDb::ADMIN[..], &["-d", database, "-qAt", "-v", "ON_ERROR_STOP=1", "-f", "-"]].concat(),
        sql,
    )
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
    const ADMIN: [&'static str; 7] = ["-h", "127.0.0.1", "-P", "3306", "-u", "root", "--default-character-set=utf8mb4"];

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
        run_with_input("mariadb", &[&Self::ADMIN[..], &["-N", "-B", "-D", &self.name]].concat(), sql)
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
