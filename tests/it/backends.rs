//! The harness's own promises: the backends are real and each test gets its own.

use serde_json::Value;

use crate::support::db::{MariaDb, PgDb};
use crate::support::{Sandbox, stderr_of, unique};

#[test]
fn moto_serves_what_the_aws_cli_writes() {
    let sb = Sandbox::aws();
    let bucket = unique("harness");
    let out = sb.aws_cli().args(["s3api", "create-bucket", "--bucket", &bucket]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let out = sb.aws_cli().args(["s3api", "list-buckets"]).output().unwrap();
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(listed["Buckets"].as_array().unwrap().iter().any(|b| b["Name"] == bucket.as_str()));
}

#[test]
fn sandboxes_see_exactly_the_variables_they_were_given() {
    let sb = Sandbox::aws();
    let out = sb.command("env").output().unwrap();
    let mut keys: Vec<String> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('=').next().unwrap().to_owned()).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_CONFIG_FILE",
            "AWS_EC2_METADATA_DISABLED",
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SHARED_CREDENTIALS_FILE",
            "HOME",
            "LANG",
            "PATH",
            "XDG_CONFIG_HOME",
        ]
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("HOME={}", sb.path().display())));
}

#[test]
fn postgres_gives_each_test_a_fresh_database() {
    let a = PgDb::new();
    let b = PgDb::new();
    assert_ne!(a.name, b.name);
    a.sql("CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t VALUES (1, 'ünïcode');");
    assert_eq!(a.sql("SELECT note FROM t").trim(), "ünïcode");
    assert_eq!(b.sql("SELECT count(*) FROM pg_tables WHERE tablename = 't'").trim(), "0");
    let name = a.name.clone();
    drop(a);
    assert_eq!(b.sql(&format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'")).trim(), "0");
}

#[test]
fn mariadb_gives_each_test_a_fresh_database() {
    let a = MariaDb::new();
    let b = MariaDb::new();
    assert_ne!(a.name, b.name);
    a.sql("CREATE TABLE t (id INT PRIMARY KEY, note TEXT) CHARACTER SET utf8mb4; INSERT INTO t VALUES (1, 'ünïcode');");
    assert_eq!(a.sql("SELECT note FROM t").trim(), "ünïcode");
    assert_eq!(b.sql("SHOW TABLES").trim(), "");
    let name = a.name.clone();
    drop(a);
    assert_eq!(
        b.sql(&format!("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = '{name}'")).trim(),
        "0"
    );
}
