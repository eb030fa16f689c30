//! dbdump against real PostgreSQL and MariaDB servers, the emulator (S3, SSM, RDS) and the AWS
//! CLI: lint → rules init → create → ls → restore → compare, for both engines, and every way it
//! can go wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::db::{MariaDb, PgDb};
use crate::support::{Sandbox, stderr_of, stdout_of, unique};

/// One engine's test database, behind one interface.
enum Db {
    Pg(PgDb),
    My(MariaDb),
}

impl Db {
    fn new(engine: &str) -> Db {
        if engine == "postgres" { Db::Pg(PgDb::new()) } else { Db::My(MariaDb::new()) }
    }

    /// A database of the same engine with nothing in it.
    fn sibling(&self) -> Db {
        match self {
            Db::Pg(_) => Db::Pg(PgDb::new()),
            Db::My(_) => Db::My(MariaDb::new()),
        }
    }

    fn url(&self) -> String {
        match self {
            Db::Pg(d) => d.url(),
            Db::My(d) => d.url(),
        }
    }

    fn is_pg(&self) -> bool {
        matches!(self, Db::Pg(_))
    }

    fn sql(&self, sql: &str) -> String {
        match self {
            Db::Pg(d) => d.sql(sql),
            Db::My(d) => d.sql(sql),
        }
    }

    /// Rows of a query, each row's columns joined by `|` (psql -A's separator; MariaDB's tabs
    /// become it).
    fn rows(&self, sql: &str) -> Vec<String> {
        self.sql(sql).lines().map(|l| l.replace('\t', "|")).collect()
    }
}

/// People with awkward values: unique emails, NULLs, quotes, backslashes, tabs, newlines,
/// unicode, binary, JSON, long text; their orders (a foreign key, the same email again); an
/// audit log (data skipped) and events (a subset).
fn seed(db: &Db, people: usize) {
    let (bin, json, text_type, serial, bigserial) = if db.is_pg() {
        ("bytea", "jsonb", "text", "serial PRIMARY KEY", "bigserial PRIMARY KEY")
    } else {
        ("blob", "json", "text", "int AUTO_INCREMENT PRIMARY KEY", "bigint AUTO_INCREMENT PRIMARY KEY")
    };
    let charset = if db.is_pg() { "" } else { " CHARACTER SET utf8mb4" };
    db.sql(&format!(
        "CREATE TABLE people (id {serial}, email varchar(80) NOT NULL UNIQUE, first_name varchar(40), last_name varchar(40), \
         ssn char(11), phone varchar(30), dob date, address {text_type}, last_ip varchar(45), note {text_type}, profile {json}, \
         avatar {bin}, balance numeric(12,2)){charset};\
         CREATE TABLE orders (id {bigserial}, person_id int NOT NULL REFERENCES people(id), contact_email varchar(80), total numeric(10,2), status varchar(20)){charset};\
         CREATE TABLE audit_log (id {serial}, message {text_type}){charset};\
         CREATE TABLE events (id {serial}, kind varchar(20), created date){charset};"
    ));
    let bin_literal =
        |i: usize| if db.is_pg() { format!("'\\x00ff{i:02x}0a27'::bytea") } else { format!("x'00ff{i:02x}0a27'") };
    let escape = |s: &str| if db.is_pg() { s.replace('\'', "''") } else { s.replace('\\', "\\\\").replace('\'', "''") };
    let mut people_sql = Vec::new();
    let mut orders_sql = Vec::new();
    for i in 0..people {
        let email = format!("person{i}.real@corp-mail.org");
        let note = match i % 5 {
            0 => "quote ' double \" backslash \\ tab\there newline\nend".to_owned(),
            1 => "ünïcødé ✓ 日本語 🚀 Ωmega".to_owned(),
            2 => "x".repeat(5000),
            3 => "a;b,c)(d'e'',''".to_owned(),
            _ => String::new(),
        };
        let note = if i % 7 == 6 { "NULL".to_owned() } else { format!("'{}'", escape(&note)) };
        let json = format!("'{}'", escape(&format!("{{\"n\": {i}, \"tags\": [\"a\", \"b\\\"c\"], \"t\": \"x\\ty\"}}")));
        people_sql.push(format!(
            "('{email}', 'First{i}', 'Last{i}', '{:03}-{:02}-{:04}', '+1 (555) {:03}-{:04}', '19{:02}-0{}-1{}', '{i} Real Street, Realtown', '10.{}.{}.{}', {note}, {json}, {}, {}.{:02})",
            100 + i % 800,
            10 + i % 89,
            1000 + i,
            100 + i % 900,
            1000 + i,
            50 + i % 40,
            1 + i % 9,
            i % 10,
            i % 250,
            (i / 250) % 250,
            i % 200 + 1,
            bin_literal(i % 256),
            i * 3,
            i % 100,
        ));
        orders_sql.push(format!("({}, '{email}', {}.{:02}, 'open')", i + 1, i, i % 100));
    }
    for chunk in people_sql.chunks(500) {
        db.sql(&format!(
            "INSERT INTO people (email, first_name, last_name, ssn, phone, dob, address, last_ip, note, profile, avatar, balance) VALUES {}",
            chunk.join(",")
        ));
    }
    for chunk in orders_sql.chunks(500) {
        db.sql(&format!("INSERT INTO orders (person_id, contact_email, total, status) VALUES {}", chunk.join(",")));
    }
    db.sql("INSERT INTO audit_log (message) VALUES ('login by person0.real@corp-mail.org'), ('secret stuff')");
    db.sql(
        "INSERT INTO events (kind, created) VALUES ('old', '2020-01-01'), ('old', '2020-06-01'), ('new', '2026-01-01')",
    );
}

const RULES: &str = r#"
[tables.people.columns]
email = "email"
first_name = "first_name"
last_name = "last_name"
ssn = "hash"
phone = "phone"
dob = { rule = "date_shift", days = 60 }
address = "address"
last_ip = "null"

[tables.orders.columns]
contact_email = "email"

[tables.audit_log]
skip_data = true

[tables.events]
where = "created >= '2025-01-01'"
"#;

fn ok(out: &Output) -> &Output {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), stderr_of(out));
    out
}

fn json_lines(out: &Output) -> Vec<Value> {
    stdout_of(ok(out)).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A sandbox for dbdump with a project, a sanitising key, and a local store.
fn project() -> (Sandbox, String, PathBuf) {
    let mut sb = Sandbox::aws();
    let app = unique("shop");
    sb.write("opskit.toml", &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n"));
    sb.write("rules.toml", RULES);
    sb.set("DBDUMP_KEY", "a test key");
    let store = sb.path().join("dumps");
    (sb, app, store)
}

fn dbdump(sb: &Sandbox, store: &Path) -> assert_cmd::Command {
    let mut cmd = sb.tool("dbdump");
    cmd.arg("--store").arg(store);
    cmd
}

/// Decompressed contents of a stored dump, read with the zstd tool (an independent reader).
fn unzstd(path: &Path) -> String {
    let out = std::process::Command::new("zstd").args(["-dc"]).arg(path).output().unwrap();
    assert!(out.status.success(), "zstd -dc: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn whole_cycle(engine: &str) {
    let (sb, app, store) = project();
    let source = Db::new(engine);
    seed(&source, 120);

    // lint: personal columns without rules, by name and by content; exit 1.
    let out = dbdump(&sb, &store).args(["lint", "--url", &source.url()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let findings: Vec<Value> = stdout_of(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let flagged: Vec<&str> = findings.iter().map(|f| f["name"].as_str().unwrap()).collect();
    for column in [
        "people.email",
        "people.first_name",
        "people.ssn",
        "people.phone",
        "people.dob",
        "people.last_ip",
        "orders.contact_email",
    ] {
        assert!(flagged.contains(&column), "{column} not flagged: {flagged:?}");
    }
    assert!(!flagged.contains(&"people.balance") && !flagged.contains(&"orders.total"), "{flagged:?}");
    // With the rules, nothing is left.
    dbdump(&sb, &store).args(["lint", "--url", &source.url(), "--rules", "rules.toml"]).assert().success().stdout("");

    // rules init drafts a file that lint then accepts.
    let drafted = stdout_of(ok(&dbdump(&sb, &store).args(["rules", "init", "--url", &source.url()]).output().unwrap()));
    assert!(drafted.contains("[tables.people.columns]") && drafted.contains("email = \"email\""), "{drafted}");
    sb.write("drafted.toml", &drafted);
    dbdump(&sb, &store).args(["lint", "--url", &source.url(), "--rules", "drafted.toml"]).assert().success();

    // create, filed under the app and env.
    let out = dbdump(&sb, &store)
        .args(["-e", "staging", "create", "--url", &source.url(), "--rules", "rules.toml"])
        .output()
        .unwrap();
    let dump = &json_lines(&out)[0];
    assert_eq!(
        (dump["kind"].as_str(), dump["app"].as_str(), dump["env"].as_str()),
        (Some("dump"), Some(app.as_str()), Some("staging"))
    );
    assert_eq!(dump["sanitised"], true);
    assert_eq!(dump["tables"]["people"], 120);
    assert_eq!(dump["tables"]["orders"], 120);
    assert_eq!(dump["tables"]["events"], 1, "the subset: only the rows the where clause keeps");
    assert_eq!(dump["tables"]["audit_log"], 0, "skip_data: no rows");
    let id = dump["id"].as_str().unwrap().to_owned();

    // ls agrees.
    let listed = json_lines(&dbdump(&sb, &store).args(["ls"]).output().unwrap());
    assert_eq!(listed.iter().map(|d| d["id"].as_str().unwrap()).collect::<Vec<_>>(), [id.as_str()]);

    // No real email, SSN, phone or address anywhere in the stored object.
    let sql = unzstd(Path::new(dump["location"].as_str().unwrap()));
    for real in ["@corp-mail.org", "Real Street", "(555) 100-1000", "First1", "Last1", "100-10-1000"] {
        assert!(!sql.contains(real), "`{real}` survived in the dump");
    }
    assert!(!sql.contains("secret stuff"), "skipped data is not in the dump");

    // restore into a fresh database.
    let target = source.sibling();
    let out = dbdump(&sb, &store).args(["restore", "latest", "--to", &target.url()]).output().unwrap();
    assert_eq!(json_lines(&out)[0]["kind"], "restore");
    for table in ["people", "orders", "events"] {
        let count = |db: &Db| db.sql(&format!("SELECT count(*) FROM {table}")).trim().to_owned();
        if table == "events" {
            assert_eq!(count(&target), "1");
        } else {
            assert_eq!(count(&source), count(&target), "{table}");
        }
    }
    // Columns without rules are equal, byte for byte (quotes, backslashes, unicode, JSON, binary).
    let kept = if source.is_pg() {
        "SELECT id, note, profile::text, encode(avatar, 'hex'), balance FROM people ORDER BY id"
    } else {
        "SELECT id, note, profile, hex(avatar), balance FROM people ORDER BY id"
    };
    assert_eq!(source.rows(kept), target.rows(kept));
    // No row keeps its real personal values; the same person's fake email is the same in both
    // tables (the join survives); emails stay unique.
    let real = source.rows("SELECT email, first_name, last_name, ssn, phone, address FROM people ORDER BY id");
    let fake = target.rows("SELECT email, first_name, last_name, ssn, phone, address FROM people ORDER BY id");
    assert_eq!(real.len(), 120);
    for (r, f) in real.iter().zip(&fake) {
        for (rv, fv) in r.split('|').zip(f.split('|')) {
            assert_ne!(rv, fv, "a real value survived: {r} / {f}");
        }
    }
    // Dates move by up to 60 days either way: a few may land where they were.
    let moved = source
        .rows("SELECT dob FROM people ORDER BY id")
        .iter()
        .zip(target.rows("SELECT dob FROM people ORDER BY id"))
        .filter(|(a, b)| **a != *b)
        .count();
    assert!(moved >= 100, "only {moved} of 120 dates moved");
    let joined =
        target.sql("SELECT count(*) FROM orders o JOIN people p ON p.id = o.person_id WHERE p.email = o.contact_email");
    assert_eq!(joined.trim(), "120", "fake emails match across tables");
    assert_eq!(target.sql("SELECT count(DISTINCT email) FROM people").trim(), "120");
    assert!(target.sql("SELECT count(*) FROM people WHERE last_ip IS NOT NULL").trim() == "0");

    compare_finds_a_deleted_row(&sb, &store, &source);
}

/// An unsanitised copy (the MariaDB→RDS move) compares equal; one deleted row is found.
fn compare_finds_a_deleted_row(sb: &Sandbox, store: &Path, source: &Db) {
    let copy = source.sibling();
    dbdump(sb, store)
        .args(["-e", "dev", "create", "--url", &source.url(), "--no-sanitise", "--reason", "move to RDS"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("\"no_sanitise_reason\":\"move to RDS\"")
                .and(predicate::str::contains("\"sanitised\":false")),
        );
    ok(&dbdump(sb, store).args(["-e", "dev", "restore", "latest", "--to", &copy.url()]).output().unwrap());
    dbdump(sb, store).args(["compare", &source.url(), &copy.url()]).assert().success();
    copy.sql("DELETE FROM orders WHERE id = 7");
    let out = dbdump(sb, store).args(["compare", &source.url(), &copy.url()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diffs: Vec<Value> = stdout_of(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let orders = diffs.iter().find(|f| f["name"] == "orders").unwrap();
    assert_eq!(
        (orders["status"].as_str(), orders["expected"].as_str(), orders["found"].as_str()),
        (Some("fail"), Some("120"), Some("119"))
    );
    assert!(diffs.iter().filter(|f| f["name"] != "orders").all(|f| f["status"] == "ok"), "{diffs:?}");
}

#[test]
fn postgres_lint_rules_create_ls_restore_compare() {
    whole_cycle("postgres");
}

#[test]
fn mariadb_lint_rules_create_ls_restore_compare() {
    whole_cycle("mysql");
}

#[test]
fn the_same_person_gets_the_same_fakes_in_both_engines() {
    let (sb, _, store) = project();
    let (pg, my) = (Db::new("postgres"), Db::new("mysql"));
    seed(&pg, 5);
    seed(&my, 5);
    let mut fakes = Vec::new();
    for db in [&pg, &my] {
        let target = db.sibling();
        ok(&dbdump(&sb, &store)
            .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
            .output()
            .unwrap());
        ok(&dbdump(&sb, &store).args(["-e", "dev", "restore", "latest", "--to", &target.url()]).output().unwrap());
        fakes
            .push(target.rows("SELECT email, first_name, last_name, ssn, phone, dob, address FROM people ORDER BY id"));
    }
    assert_eq!(fakes[0], fakes[1]);
}

#[test]
fn a_prod_dump_with_personal_columns_and_no_rules_refuses_to_start() {
    let (sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 3);
    let out = dbdump(&sb, &store).args(["-e", "prod", "create", "--url", &db.url()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(
        err.starts_with("dbdump: error: refusing to dump prod (tier prod):") && err.contains("people.email"),
        "{err}"
    );
    assert!(!store.exists(), "nothing was written");
    // A URL alone is an undeclared environment: as careful as prod.
    dbdump(&sb, &store).args(["create", "--url", &db.url()]).assert().code(1);
    // A dev dump goes ahead, says what was left, and is not marked sanitised.
    let out = dbdump(&sb, &store).args(["-e", "dev", "create", "--url", &db.url()]).output().unwrap();
    assert!(
        stderr_of(&out).contains("warning: dev (tier dev) is dumped with personal-looking columns left as they are")
    );
    assert_eq!(json_lines(&out)[0]["sanitised"], false);
    // --no-sanitise needs a reason.
    dbdump(&sb, &store).args(["-e", "prod", "create", "--url", &db.url(), "--no-sanitise"]).assert().code(2);
}

#[test]
fn dumps_go_to_s3_readable_by_the_aws_cli_and_the_environments_database_url() {
    let (sb, app, _) = project();
    let db = Db::new("mysql");
    seed(&db, 10);
    let bucket = unique("dumps");
    ok(&sb.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap());
    // Dumps are encrypted with the team's KMS key.
    let key: Value =
        serde_json::from_slice(&ok(&sb.aws_cli().args(["kms", "create-key"]).output().unwrap()).stdout).unwrap();
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
    let config = std::fs::read_to_string(sb.path().join("opskit.toml")).unwrap();
    sb.write("opskit.toml", &format!("{config}[dbdump]\nkms_key_id = \"{key_id}\"\n"));
    // The staging DATABASE_URL lives in SSM; envctl puts it there, dbdump reads it.
    ok(&sb.tool("envctl").args(["set", "staging", "DATABASE_URL"]).write_stdin(db.url()).output().unwrap());
    let store = format!("s3://{bucket}/team");
    let show = stdout_of(ok(&sb.tool("envctl").args(["show", "staging", "-o", "ndjson"]).output().unwrap()));
    let out = sb
        .tool("dbdump")
        .args(["--store", &store, "create", "-", "--rules", "rules.toml"])
        .write_stdin(show)
        .output()
        .unwrap();
    let dump = &json_lines(&out)[0];
    assert_eq!((dump["app"].as_str(), dump["env"].as_str()), (Some(app.as_str()), Some("staging")));
    assert!(dump["source"].as_str().unwrap().contains(&format!("SSM /{app}/staging/DATABASE_URL")));
    assert!(dump["creator"].as_str().unwrap().starts_with("arn:aws:"), "{dump}");
    // The AWS CLI reads what dbdump stored.
    let key = format!("team/{app}/staging/{}/data.sql.zst", dump["id"].as_str().unwrap());
    let local = sb.path().join("fetched.zst");
    ok(&sb.aws_cli().args(["s3", "cp", &format!("s3://{bucket}/{key}")]).arg(&local).output().unwrap());
    let head: Value = serde_json::from_slice(
        &ok(&sb.aws_cli().args(["s3api", "head-object", "--bucket", &bucket, "--key", &key]).output().unwrap()).stdout,
    )
    .unwrap();
    assert_eq!(head["ServerSideEncryption"], "aws:kms", "{head}");
    assert!(head["SSEKMSKeyId"].as_str().unwrap().contains(&key_id), "{head}");
    let sql = unzstd(&local);
    assert!(sql.contains("INSERT INTO `people`") && !sql.contains("@corp-mail.org"));
    let manifest = sb.path().join("manifest.json");
    ok(&sb
        .aws_cli()
        .args(["s3", "cp", &format!("s3://{bucket}/team/{app}/staging/{}/manifest.json", dump["id"].as_str().unwrap())])
        .arg(&manifest)
        .output()
        .unwrap());
    let m: Value = serde_json::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
    assert_eq!(m["sha256"], dump["sha256"]);
    // And restores it from there, through a dump record on stdin (as `jq -s first` passes it).
    let target = db.sibling();
    let listed = stdout_of(ok(&sb.tool("dbdump").args(["--store", &store, "ls", "-e", "staging"]).output().unwrap()));
    ok(&sb
        .tool("dbdump")
        .args(["--store", &store, "restore", "-", "--to", &target.url()])
        .write_stdin(listed)
        .output()
        .unwrap());
    assert_eq!(target.sql("SELECT count(*) FROM people").trim(), "10");
}

#[test]
fn a_killed_create_leaves_nothing_listed_and_no_multipart_upload() {
    let (sb, app, _) = project();
    let db = PgDb::new();
    db.sql("CREATE TABLE big (id int, email text, filler text); INSERT INTO big SELECT g, 'p' || g || '@corp-mail.org', repeat('x', 200) FROM generate_series(1, 400000) g");
    sb.write("big.toml", "[tables.big.columns]\nemail = \"email\"\n");
    let bucket = unique("killed");
    ok(&sb.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap());
    let store = format!("s3://{bucket}");
    let mut cmd = sb.std_command(crate::support::bin("dbdump"));
    cmd.args(["--store", &store, "-vv", "-e", "dev", "create", "--url", &db.url(), "--rules", "big.toml"]);
    let (out, rest) = crate::support::signal_when(
        cmd,
        "multipart upload started",
        std::time::Duration::from_millis(300),
        libc::SIGTERM,
    );
    assert_eq!(out.status.code(), Some(130), "{rest}");
    assert!(out.stdout.is_empty());
    let uploads =
        stdout_of(ok(&sb.aws_cli().args(["s3api", "list-multipart-uploads", "--bucket", &bucket]).output().unwrap()));
    assert!(!uploads.contains("UploadId"), "an upload was left: {uploads}");
    let objects =
        stdout_of(ok(&sb.aws_cli().args(["s3api", "list-objects-v2", "--bucket", &bucket]).output().unwrap()));
    assert!(!objects.contains(&app), "{objects}");
    sb.tool("dbdump").args(["--store", &store, "ls", "--all"]).assert().success().stdout("");
}

#[test]
fn a_corrupted_dump_is_refused_before_anything_is_restored() {
    let (sb, _, store) = project();
    let db = Db::new("mysql");
    seed(&db, 5);
    let out = dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
        .output()
        .unwrap();
    let location = PathBuf::from(json_lines(&out)[0]["location"].as_str().unwrap());
    let mut bytes = std::fs::read(&location).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&location, &bytes).unwrap();
    let target = format!("opskit_never_{}", std::process::id());
    let out = dbdump(&sb, &store)
        .args(["-e", "dev", "restore", "latest", "--to", &format!("mysql://root@127.0.0.1:3306/{target}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("is corrupted"), "{}", stderr_of(&out));
    let exists = db.sql(&format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{target}'"));
    assert_eq!(exists.trim(), "0", "no database was created");
    // cat refuses it too.
    dbdump(&sb, &store).args(["-e", "dev", "cat", "latest"]).assert().code(65).stdout("");
}

#[test]
fn restore_refuses_non_empty_and_prod_targets_and_cleans_when_asked() {
    let (sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 4);
    ok(&dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
        .output()
        .unwrap());
    let target = db.sibling();
    target.sql("CREATE TABLE stray (x int)");
    dbdump(&sb, &store)
        .args(["-e", "dev", "restore", "latest", "--to", &target.url()])
        .assert()
        .code(73)
        .stderr(predicate::str::contains("already holds 1 tables").and(predicate::str::contains("--clean")));
    dbdump(&sb, &store)
        .args(["-e", "dev", "restore", "latest", "--to", &target.url(), "--to-env", "prod"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("prod-tier"));
    ok(&dbdump(&sb, &store)
        .args(["-e", "dev", "restore", "latest", "--to", &target.url(), "--clean", "--yes"])
        .output()
        .unwrap());
    assert_eq!(target.sql("SELECT count(*) FROM people").trim(), "4");
    assert_eq!(target.sql("SELECT count(*) FROM pg_tables WHERE tablename = 'stray'").trim(), "0");
}

#[test]
fn a_failing_restore_rolls_back_and_leaves_no_database() {
    let (sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 3);
    ok(&dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
        .output()
        .unwrap());
    // An empty database where a type named like a table makes the restore fail half-way.
    let target = db.sibling();
    target.sql("CREATE TYPE people AS (x int)");
    let out = dbdump(&sb, &store).args(["-e", "dev", "restore", "latest", "--to", &target.url()]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr_of(&out).starts_with("dbdump: error: restoring "), "{}", stderr_of(&out));
    assert_eq!(target.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").trim(), "0", "rolled back");
}

#[test]
fn bad_input_is_one_clear_line_with_its_exit_code() {
    let (mut sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 2);
    for (args, code, says) in [
        (vec!["create", "--url", "oracle://h/db"], 2, "unknown database scheme `oracle://`"),
        (vec!["create", "--url", "postgres://u:hunter2@127.0.0.1/x"], 2, "refusing a password inside a database URL"),
        (vec!["-e", "dev", "create", "--url", "postgres://postgres@127.0.0.1:1/x"], 69, "Connection refused"),
        (
            vec!["-e", "dev", "create", "--url", &db.url(), "--rules", "nope.toml"],
            66,
            "cannot read the rules file nope.toml",
        ),
        (vec!["-e", "dev", "create", "--url", &db.url(), "--tables", "peple"], 66, "did you mean `people`?"),
        (vec!["-e", "dev", "restore", "nosuchid", "--to", &db.url()], 66, "no dump `nosuchid`"),
        (vec!["create"], 2, "no database given"),
    ] {
        let out = dbdump(&sb, &store).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.starts_with("dbdump: error: ") && err.contains(says), "{args:?}: {err}");
        assert!(err.lines().count() <= 2 && !err.contains("hunter2"), "{err}");
    }
    // Rules naming a column or a rule that does not exist: file and line.
    sb.write("bad.toml", "[tables.people.columns]\nemail = \"email\"\nemial = \"email\"\n");
    dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "bad.toml"])
        .assert()
        .code(65)
        .stderr(
            predicate::str::contains("bad.toml:3: table `people` has no column `emial`")
                .and(predicate::str::contains("did you mean `email`?")),
        );
    sb.write("bad2.toml", "[tables.people.columns]\nemail = \"scramble\"\n");
    dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "bad2.toml"])
        .assert()
        .code(65)
        .stderr(predicate::str::contains("bad2.toml:2: `people.email`: unknown rule `scramble`"));
    // A store that cannot be written.
    let blocked = sb.write("blocked", "a file, not a directory");
    sb.tool("dbdump")
        .arg("--store")
        .arg(&blocked)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
        .assert()
        .code(73);
    // The dump tool missing: the package to install.
    sb.set("PATH", "/nonexistent");
    sb.tool("dbdump")
        .arg("--store")
        .arg(&store)
        .args(["-e", "dev", "lint", "--url", &db.url()])
        .assert()
        .code(69)
        .stderr(
            predicate::str::contains("psql is not installed")
                .and(predicate::str::contains("apt-get install postgresql-client")),
        );
}

#[test]
fn rm_prune_and_dry_runs() {
    let (sb, app, store) = project();
    let db = Db::new("mysql");
    seed(&db, 2);
    let mut ids = Vec::new();
    for _ in 0..3 {
        let out = dbdump(&sb, &store)
            .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
            .output()
            .unwrap();
        ids.push(json_lines(&out)[0]["id"].as_str().unwrap().to_owned());
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let planned = json_lines(
        &dbdump(&sb, &store).args(["-e", "dev", "--dry-run", "prune", "--keep-last", "1"]).output().unwrap(),
    );
    assert_eq!(planned.len(), 2);
    assert!(planned.iter().all(|r| r["status"] == "planned"));
    assert_eq!(json_lines(&dbdump(&sb, &store).args(["-e", "dev", "ls"]).output().unwrap()).len(), 3, "dry run");
    dbdump(&sb, &store)
        .args(["-e", "dev", "prune", "--keep-last", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    ok(&dbdump(&sb, &store).args(["-e", "dev", "prune", "--keep-last", "1", "--yes"]).output().unwrap());
    let left: Vec<String> = json_lines(&dbdump(&sb, &store).args(["-e", "dev", "ls"]).output().unwrap())
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(left, [ids[2].clone()]);
    let listing = stdout_of(&dbdump(&sb, &store).args(["-e", "dev", "ls"]).output().unwrap());
    ok(&dbdump(&sb, &store).args(["rm", "--yes", "-"]).write_stdin(listing).output().unwrap());
    dbdump(&sb, &store).args(["-e", "dev", "ls"]).assert().success().stdout("");
    // An incomplete dump (no manifest) shows only with --all, and is never restored.
    let dir = store.join(&app).join("dev").join("20200101T000000Z-abcdef");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("data.sql.zst.partial"), b"half").unwrap();
    dbdump(&sb, &store).args(["-e", "dev", "ls"]).assert().success().stdout("");
    let all = json_lines(&dbdump(&sb, &store).args(["-e", "dev", "ls", "--all"]).output().unwrap());
    assert_eq!((all.len(), all[0]["complete"].as_bool()), (1, Some(false)));
    dbdump(&sb, &store)
        .args(["-e", "dev", "restore", "20200101T000000Z-abcdef", "--to", &db.sibling().url()])
        .assert()
        .code(65);
}

/// Which tables a dump counted, as `ls -o csv` reads back.
#[test]
fn ls_csv_has_a_column_per_table() {
    let (sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 2);
    ok(&dbdump(&sb, &store)
        .args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"])
        .output()
        .unwrap());
    let text = stdout_of(ok(&dbdump(&sb, &store).args(["-e", "dev", "ls", "-o", "csv"]).output().unwrap()));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let row: BTreeMap<String, String> =
        headers.iter().cloned().zip(reader.records().next().unwrap().unwrap().iter().map(str::to_owned)).collect();
    assert_eq!(row["tables.people"], "2");
    assert_eq!(row["kind"], "dump");
}

#[test]
fn an_rds_instance_is_found_through_describe_db_instances() {
    let (sb, _, store) = project();
    let instance = unique("db");
    let out = sb
        .aws_cli()
        // The AWS CLI's RDS commands ignore AWS_ENDPOINT_URL: name it.
        .args(["--endpoint-url", crate::support::aws::moto_endpoint()])
        .args(["rds", "create-db-instance", "--db-instance-identifier", &instance, "--engine", "postgres"])
        .args([
            "--db-instance-class",
            "db.t3.micro",
            "--master-username",
            "admin",
            "--master-user-password",
            "secret123",
            "--db-name",
            "shop",
        ])
        .output()
        .unwrap();
    ok(&out);
    let described: Value = serde_json::from_slice(&out.stdout).unwrap();
    let host = described["DBInstance"]["Endpoint"]["Address"].as_str().unwrap().to_owned();
    // The emulator's endpoint does not exist: dbdump must have asked for it, and says it cannot
    // reach it. With --iam-auth it signs a token for it first.
    for extra in [&[][..], &["--iam-auth"]] {
        let out = dbdump(&sb, &store).args(["lint", "--rds-instance", &instance]).args(extra).output().unwrap();
        assert_eq!(out.status.code(), Some(69), "{extra:?}: {}", stderr_of(&out));
        assert!(stderr_of(&out).contains(&host), "{}", stderr_of(&out));
    }
    dbdump(&sb, &store)
        .args(["lint", "--rds-instance", "no-such-instance"])
        .assert()
        .code(66)
        .stderr(predicate::str::contains("no-such-instance"));
}

#[test]
fn schema_only_and_table_selection() {
    let (sb, _, store) = project();
    let db = Db::new("mysql");
    seed(&db, 3);
    let out = dbdump(&sb, &store).args(["-e", "dev", "create", "--url", &db.url(), "--schema-only"]).output().unwrap();
    let dump = &json_lines(&out)[0];
    assert_eq!((dump["schema_only"].as_bool(), dump["tables"]["people"].as_u64()), (Some(true), Some(0)));
    assert!(!unzstd(Path::new(dump["location"].as_str().unwrap())).contains("INSERT INTO"));
    let out = dbdump(&sb, &store)
        .args([
            "-e",
            "dev",
            "create",
            "--url",
            &db.url(),
            "--rules",
            "rules.toml",
            "--tables",
            "people,orders",
            "--exclude-tables",
            "orders",
        ])
        .output()
        .unwrap();
    let tables: Vec<String> = json_lines(&out)[0]["tables"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(tables, ["people"]);
}

#[test]
fn concurrent_creates_never_clobber_each_other() {
    let (sb, _, store) = project();
    let db = Db::new("postgres");
    seed(&db, 20);
    let spawn = || {
        let mut cmd = dbdump(&sb, &store);
        cmd.args(["-e", "dev", "create", "--url", &db.url(), "--rules", "rules.toml"]);
        std::thread::spawn(move || cmd.output().unwrap())
    };
    let runs: Vec<_> = (0..3).map(|_| spawn()).collect();
    let mut ids: Vec<String> =
        runs.into_iter().map(|r| json_lines(&r.join().unwrap())[0]["id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "three distinct dumps");
    let listed = json_lines(&dbdump(&sb, &store).args(["-e", "dev", "ls"]).output().unwrap());
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|d| d["complete"] == true && d["tables"]["people"] == 20));
}

/// `--no-sanitise` copies a database as it is: rules written for another schema (the app's
/// `[dbdump] rules`, naming tables this server lacks) stop a sanitised dump, not this one.
#[test]
fn an_unsanitised_copy_ignores_rules_written_for_another_schema() {
    let (sb, app, store) = project();
    sb.write(
        "opskit.toml",
        &format!("app = \"{app}\"\n[envs.prod]\ntier = \"prod\"\n[dbdump]\nrules = \"rules.toml\"\n"),
    );
    let db = PgDb::new();
    db.sql("CREATE TABLE ledger (id int PRIMARY KEY, note text); INSERT INTO ledger VALUES (1, 'kept as it is');");
    let refused = dbdump(&sb, &store).args(["-e", "prod", "create", "--url", &db.url()]).output().unwrap();
    assert_eq!(refused.status.code(), Some(65), "{}", stderr_of(&refused));
    assert!(stderr_of(&refused).contains("there is no table"), "{}", stderr_of(&refused));
    let out = dbdump(&sb, &store)
        .args(["-e", "prod", "create", "--url", &db.url(), "--no-sanitise", "--reason", "move to RDS"])
        .output()
        .unwrap();
    let dump = &json_lines(&out)[0];
    assert_eq!((dump["sanitised"].as_bool(), dump["tables"]["ledger"].as_u64()), (Some(false), Some(1)), "{dump}");
    let sql = stdout_of(&dbdump(&sb, &store).args(["-e", "prod", "cat", "latest"]).output().unwrap());
    assert!(sql.contains("kept as it is"), "the row as it was");
}
