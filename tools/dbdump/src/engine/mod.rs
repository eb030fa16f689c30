//! The database engines, through their own client tools: `pg_dump`/`psql` and
//! `mariadb-dump`/`mariadb` (or `mysqldump`/`mysql`). This module runs them (connection settings
//! and the password by environment variable, never argv), reads the live schema into a
//! [`Catalog`], and runs the small queries lint and compare need; the engine files hold what
//! differs: the SQL and the arguments.

pub mod mysql;
pub mod portable;
pub mod postgres;

use std::io::Read;
use std::process::{Command, Stdio};

use opskit::{Error, Result};

use crate::source::{DbUrl, Engine};

/// What a column holds, as far as sanitising cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Integer,
    Decimal,
    Date,
    Timestamp,
    Uuid,
    Json,
    Binary,
    Bool,
    Other,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// The engine's own type name (`character varying`, `varchar`).
    pub data_type: String,
    pub kind: ColumnKind,
    /// Characters a text column holds at most.
    pub max_len: Option<usize>,
    pub nullable: bool,
    /// A unique (or primary key) constraint on this column alone.
    pub unique: bool,
}

#[derive(Clone, Debug)]
pub struct Table {
    /// `users`, or `audit.log` outside PostgreSQL's `public` schema: the name rules use.
    pub name: String,
    /// The name quoted for SQL (`"public"."users"`, `` `users` ``).
    pub sql_name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// The live schema: base tables and their columns.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub server_version: String,
    pub tables: Vec<Table>,
}

impl Catalog {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// A stable digest of the schema (tables, columns, types): dumps of the same schema share it.
    pub fn schema_hash(&self) -> String {
        use sha2::Digest;
        let mut hasher = sha2::Sha256::new();
        for t in &self.tables {
            for c in &t.columns {
                hasher.update(
                    format!("{}\t{}\t{}\t{:?}\t{}\t{}\n", t.name, c.name, c.data_type, c.max_len, c.nullable, c.unique)
                        .as_bytes(),
                );
            }
        }
        hex::encode(hasher.finalize())
    }
}

/// Rows of a query's result; `None` is SQL NULL.
pub type Rows = Vec<Vec<Option<String>>>;

/// A connection to one database through the engine's client tools.
#[derive(Clone, Debug)]
pub struct Client {
    pub url: DbUrl,
}

/// The client programs of an engine, and the package that has them.
struct Tools {
    dump: &'static [&'static str],
    client: &'static [&'static str],
    package: &'static str,
}

fn tools(engine: Engine) -> Tools {
    match engine {
        Engine::Postgres => Tools { dump: &["pg_dump"], client: &["psql"], package: "postgresql-client" },
        Engine::Mysql => {
            Tools { dump: &["mariadb-dump", "mysqldump"], client: &["mariadb", "mysql"], package: "mariadb-client" }
        }
    }
}

/// The first of `names` found on PATH.
fn find_program(names: &[&'static str], package: &str) -> Result<&'static str> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().copied().find(|name| std::env::split_paths(&path).any(|dir| dir.join(name).is_file())).ok_or_else(
        || {
            Error::unavailable(format!("{} is not installed (not found on PATH)", names.join(" or "))).with_hint(
                format!("install it: `apt-get install {package}` (Debian/Ubuntu), `brew install {package}` (macOS)"),
            )
        },
    )
}

impl Client {
    pub fn new(url: DbUrl) -> Client {
        Client { url }
    }

    pub fn engine(&self) -> Engine {
        self.url.engine
    }

    /// The same server, another database (to create or drop one).
    pub fn with_database(&self, database: &str) -> Client {
        let mut url = self.url.clone();
        database.clone_into(&mut url.database);
        Client { url }
    }

    /// The dump tool, connected.
    pub fn dump_command(&self) -> Result<Command> {
        let t = tools(self.engine());
        Ok(self.connected(find_program(t.dump, t.package)?))
    }

    /// The SQL client, connected.
    pub fn client_command(&self) -> Result<Command> {
        let t = tools(self.engine());
        let mut cmd = self.connected(find_program(t.client, t.package)?);
        if self.engine() == Engine::Mysql {
            // The client takes a connect timeout; the dump tool has none.
            cmd.arg("--connect-timeout=10");
        }
        Ok(cmd)
    }

    /// `program` with the connection in its environment (and, for MySQL, its arguments): the
    /// password goes by environment variable, which other users cannot read, never by argv.
    fn connected(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        let url = &self.url;
        match url.engine {
            Engine::Postgres => {
                cmd.env("PGHOST", &url.host).env("PGPORT", url.port.to_string()).env("PGDATABASE", &url.database);
                cmd.env("PGCONNECT_TIMEOUT", "10").env("PGAPPNAME", "dbdump");
                if let Some(user) = &url.user {
                    cmd.env("PGUSER", user);
                }
                if let Some(password) = &url.password {
                    cmd.env("PGPASSWORD", password.expose());
                }
            }
            Engine::Mysql => {
                // ~/.my.cnf still applies (as ~/.pgpass does): arguments override it.
                cmd.args(["--host", &url.host, "--port", &url.port.to_string(), "--protocol=TCP"]);
                if let Some(user) = &url.user {
                    cmd.args(["--user", user]);
                }
                if let Some(password) = &url.password {
                    cmd.env("MYSQL_PWD", password.expose());
                }
            }
        }
        cmd
    }

    /// Run a query; its rows. Connection failures, refusals and missing tools each get their
    /// own error, with the client's own message.
    pub fn query(&self, sql: &str) -> Result<Rows> {
        let mut cmd = self.client_command()?;
        match self.engine() {
            Engine::Postgres => postgres::query_args(&mut cmd, sql),
            Engine::Mysql => mysql::query_args(&mut cmd, &self.url.database, sql),
        }
        let out = run(cmd, &format!("querying {}", self.url.display()))?;
        Ok(match self.engine() {
            Engine::Postgres => postgres::parse_rows(&out),
            Engine::Mysql => mysql::parse_rows(&out),
        })
    }

    /// Run independent queries at once, each in its own client (each client's start-up, a
    /// connection and, on Debian, a Perl wrapper, is most of a catalog query's time); their
    /// rows in order, or the first query's error.
    pub fn queries<const N: usize>(&self, sqls: [&str; N]) -> Result<[Rows; N]> {
        let results: Vec<Result<Rows>> = std::thread::scope(|s| {
            let running: Vec<_> = sqls.map(|sql| s.spawn(move || self.query(sql))).into_iter().collect();
            running.into_iter().map(|h| h.join().expect("a catalog query thread panicked")).collect()
        });
        let rows = results.into_iter().collect::<Result<Vec<Rows>>>()?;
        Ok(rows.try_into().unwrap_or_else(|_| unreachable!("one result per query")))
    }

    /// Run statements that return nothing.
    pub fn execute(&self, sql: &str) -> Result<()> {
        let mut cmd = self.client_command()?;
        match self.engine() {
            Engine::Postgres => {
                cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]);
            }
            Engine::Mysql => {
                cmd.args(["--batch", "--execute", sql]);
            }
        }
        run(cmd, &format!("running SQL on {}", self.url.display())).map(|_| ())
    }

    pub fn catalog(&self) -> Result<Catalog> {
        match self.engine() {
            Engine::Postgres => postgres::catalog(self),
            Engine::Mysql => mysql::catalog(self),
        }
    }

    /// Whether the database exists (asked of the server's maintenance database).
    pub fn database_exists(&self) -> Result<bool> {
        let (admin, sql) = match self.engine() {
            Engine::Postgres => (self.with_database("postgres"), postgres::exists_sql(&self.url.database)),
            Engine::Mysql => (self.with_database(""), mysql::exists_sql(&self.url.database)),
        };
        Ok(!admin.query(&sql)?.is_empty())
    }

    /// Tables in the database (to refuse restoring over a non-empty one).
    pub fn table_count(&self) -> Result<usize> {
        let sql = match self.engine() {
            Engine::Postgres => postgres::TABLE_COUNT,
            Engine::Mysql => mysql::TABLE_COUNT,
        };
        let rows = self.query(sql)?;
        Ok(rows.first().and_then(|r| r.first()).and_then(|v| v.as_deref()).and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    pub fn create_database(&self) -> Result<()> {
        let name = &self.url.database;
        match self.engine() {
            Engine::Postgres => {
                self.with_database("postgres").execute(&format!("CREATE DATABASE {}", postgres::quote_ident(name)))
            }
            Engine::Mysql => self
                .with_database("")
                .execute(&format!("CREATE DATABASE {} CHARACTER SET utf8mb4", mysql::quote_ident(name))),
        }
    }

    pub fn drop_database(&self) -> Result<()> {
        let name = &self.url.database;
        match self.engine() {
            Engine::Postgres => self
                .with_database("postgres")
                .execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", postgres::quote_ident(name))),
            Engine::Mysql => {
                self.with_database("").execute(&format!("DROP DATABASE IF EXISTS {}", mysql::quote_ident(name)))
            }
        }
    }
}

/// Run a client command to its end; stdout, or an error carrying the tool's own message.
fn run(mut cmd: Command, what: &str) -> Result<Vec<u8>> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::unavailable(format!("{what}: cannot run {}: {e}", cmd.get_program().display())))?;
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut stdout)
        .map_err(|e| Error::unavailable(format!("{what}: {e}")))?;
    let status = child.wait().map_err(|e| Error::unavailable(format!("{what}: {e}")))?;
    let stderr = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(stdout);
    }
    Err(client_error(what, &stderr))
}

/// A client tool's failure, classified by its message: cannot connect (69), denied (77), the
/// database or table missing (66), a server newer than the tool (69, with the package), else
/// the SQL was refused (65).
pub fn client_error(what: &str, stderr: &str) -> Error {
    // The tool's own words, on one line, without its name (`psql: error: `) and its notices.
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("NOTICE:") && !l.starts_with("WARNING:"))
        .map(|l| {
            let mut l = l;
            for prefix in
                ["psql:", "pg_dump:", "mariadb-dump:", "mysqldump:", "mariadb:", "mysql:", " error:", "error:"]
            {
                l = l.strip_prefix(prefix).unwrap_or(l).trim_start();
            }
            l
        })
        .collect();
    let joined = opskit::error::one_line(&lines.join(" "));
    let message = if joined.is_empty() { "failed".to_owned() } else { joined.chars().take(400).collect() };
    let lower = stderr.to_ascii_lowercase();
    let sentence = format!("{what}: {message}");
    if lower.contains("server version mismatch") || lower.contains("aborting because of server version") {
        return Error::unavailable(sentence)
            .with_hint("the server is newer than this pg_dump: install the matching postgresql-client (apt.postgresql.org has every version)");
    }
    if lower.contains("could not connect")
        || lower.contains("connection refused")
        || lower.contains("can't connect")
        || lower.contains("could not translate host")
        || lower.contains("unknown mysql server host")
        || lower.contains("unknown server host")
        || lower.contains("timeout expired")
        || lower.contains("lost connection")
    {
        return Error::unavailable(sentence).with_hint("check the host, port and network; is the server running?");
    }
    if lower.contains("password authentication failed")
        || lower.contains("access denied")
        || lower.contains("permission denied")
        || lower.contains("no password supplied")
    {
        let hint = "check the user and password (PGPASSWORD or ~/.pgpass, MYSQL_PWD, the environment's DATABASE_URL, or --iam-auth)";
        return Error::no_perm(sentence).with_hint(hint);
    }
    if lower.contains("does not exist") || lower.contains("unknown database") || lower.contains("doesn't exist") {
        return Error::not_found(sentence);
    }
    Error::data(sentence)
}
