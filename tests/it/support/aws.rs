//! The AWS side: one moto server per test process, and the AWS CLI as a second client.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command as StdCommand, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::{Sandbox, root};

/// moto's default account.
pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";

/// The virtualenv holding moto and the AWS CLI (made by tests/backends.sh).
pub fn venv() -> PathBuf {
    std::env::var_os("OPSKIT_TEST_VENV").map_or_else(|| root().join(".venv"), PathBuf::from)
}

fn venv_bin(name: &str) -> PathBuf {
    let path = venv().join("bin").join(name);
    assert!(
        path.is_file(),
        "{} is missing: run tests/run.sh, which installs the test backends (or tests/backends.sh)",
        path.display()
    );
    path
}

/// The endpoint of this process's moto server, started on first use on a free loopback port.
pub fn moto_endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(start_moto)
}

fn start_moto() -> String {
    start_moto_with(&[])
}

/// A second moto server of this test process, enforcing IAM for every request after its first
/// three, which make an administrator (`Action: *`): its endpoint and the administrator's keys.
/// Tests make their own users with the administrator and run the tools as them.
pub fn enforcing_moto() -> &'static (String, Keys) {
    static SERVER: OnceLock<(String, Keys)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let endpoint = start_moto_with(&[("INITIAL_NO_AUTH_ACTION_COUNT", "3")]);
        let mut sb = Sandbox::new();
        sb.set("AWS_ENDPOINT_URL", &endpoint)
            .set("AWS_ACCESS_KEY_ID", "testing")
            .set("AWS_SECRET_ACCESS_KEY", "testing")
            .set("AWS_REGION", REGION);
        let admin = "opskit-admin";
        let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
        let run = |args: &[&str]| {
            let out = sb.aws_cli().args(args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        run(&["iam", "create-user", "--user-name", admin]);
        run(&["iam", "put-user-policy", "--user-name", admin, "--policy-name", "all", "--policy-document", policy]);
        let key: serde_json::Value =
            serde_json::from_slice(&run(&["iam", "create-access-key", "--user-name", admin])).unwrap();
        let keys = Keys {
            access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
            secret_access_key: key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned(),
            session_token: None,
        };
        (endpoint, keys)
    })
}

fn start_moto_with(env: &[(&str, &str)]) -> String {
    let server = venv_bin("moto_server");
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let log_path = std::env::temp_dir().join(format!("opskit-moto-{}-{port}.log", std::process::id()));
    let log = std::fs::File::create(&log_path).expect("moto log file");
    // The server must die with the test process, however that ends. The parent-death signal
    // fires when the *thread* that spawned the child ends, so spawn from a thread that lives
    // as long as the process.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut cmd = StdCommand::new(server);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        die_with_parent(&mut cmd);
        tx.send(cmd.spawn().map(|_| ())).unwrap();
        loop {
            std::thread::park();
        }
    });
    rx.recv().unwrap().expect("start moto_server");
    let deadline = Instant::now() + Duration::from_mins(1);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start; see {}", log_path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
    format!("http://127.0.0.1:{port}")
}

#[allow(unsafe_code)]
pub(crate) fn die_with_parent(cmd: &mut StdCommand) {
    use std::os::unix::process::CommandExt;
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

impl Sandbox {
    /// A sandbox whose AWS calls go to this process's moto server with dummy credentials.
    pub fn aws() -> Sandbox {
        let mut sb = Sandbox::new();
        sb.set("AWS_ENDPOINT_URL", moto_endpoint())
            .set("AWS_ACCESS_KEY_ID", "testing")
            .set("AWS_SECRET_ACCESS_KEY", "testing")
            .set("AWS_REGION", REGION);
        sb
    }

    /// A sandbox whose AWS calls go to the enforcing moto server, as the holder of `keys`.
    pub fn enforced(keys: &Keys) -> Sandbox {
        let mut sb = Sandbox::new();
        sb.set("AWS_ENDPOINT_URL", &enforcing_moto().0)
            .set("AWS_ACCESS_KEY_ID", &keys.access_key_id)
            .set("AWS_SECRET_ACCESS_KEY", &keys.secret_access_key)
            .set("AWS_REGION", REGION);
        sb
    }

    /// A new IAM user on the enforcing server holding exactly `policy` (made by the
    /// administrator), and its keys.
    pub fn user_with_policy(name: &str, policy: &str) -> Keys {
        let admin = Sandbox::enforced(&enforcing_moto().1);
        let run = |args: &[&str]| {
            let out = admin.aws_cli().args(args).output().unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            out.stdout
        };
        run(&["iam", "create-user", "--user-name", name]);
        run(&["iam", "put-user-policy", "--user-name", name, "--policy-name", "opskit", "--policy-document", policy]);
        let key: serde_json::Value =
            serde_json::from_slice(&run(&["iam", "create-access-key", "--user-name", name])).unwrap();
        Keys {
            access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
            secret_access_key: key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned(),
            session_token: None,
        }
    }

    /// An AWS sandbox whose opskit.toml declares dev, staging and prod (tiers as named) for a
    /// fresh app; the app's name.
    pub fn project() -> (Sandbox, String) {
        let sb = Sandbox::aws();
        let app = super::unique("app");
        sb.write(
            "opskit.toml",
            &format!("app = \"{app}\"\n[envs.dev]\ntier = \"dev\"\n[envs.staging]\ntier = \"staging\"\n[envs.prod]\ntier = \"prod\"\n"),
        );
        (sb, app)
    }

    /// The AWS CLI, an independent client, in this sandbox.
    pub fn aws_cli(&self) -> assert_cmd::Command {
        let mut cmd = self.command(venv_bin("aws"));
        // AWS CLI v1 reads its region from AWS_DEFAULT_REGION only.
        if let Some(region) = self.var("AWS_REGION") {
            cmd.env("AWS_DEFAULT_REGION", region);
        }
        cmd.args(["--output", "json"]);
        cmd
    }
}

/// POST `body` to moto's own API (`/moto-api/static/…`): how tests seed answers moto cannot
/// compute itself, such as Cost Explorer's costs and Athena's query results.
pub fn moto_api(path: &str, body: &serde_json::Value) {
    moto_api_at(moto_endpoint(), path, body);
}

/// [`moto_api`] on the moto server at `endpoint` (the enforcing one).
pub fn moto_api_at(endpoint: &str, path: &str, body: &serde_json::Value) {
    use std::io::{Read, Write};
    let host = endpoint.trim_start_matches("http://");
    let body = body.to_string();
    let mut stream = TcpStream::connect(host).expect("connect to moto");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap_or("");
    assert!(status.starts_with('2'), "moto refused {path}: {response}");
}

/// An AWS account of this test's own in the emulator: calls made with
/// `OPSKIT_ROLE_ARN=arn:aws:iam::<account>:role/…` are moto's in that account, so answers seeded
/// for it are this test's alone.
pub fn account() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let n = u64::from(std::process::id()) * 1000 + N.fetch_add(1, Ordering::Relaxed);
    format!("{:012}", 200_000_000_000 + n % 100_000_000_000)
}

/// A sandbox whose AWS calls are moto's in an account of the test's own (through an assumed
/// role), so what is seeded for that account is this test's alone; and the account.
pub fn in_own_account() -> (Sandbox, String) {
    let mut sb = Sandbox::aws();
    let account = account();
    sb.set("OPSKIT_ROLE_ARN", format!("arn:aws:iam::{account}:role/opskit-test"));
    (sb, account)
}

/// Queue Cost Explorer answers for `account`: each new question takes the next.
pub fn seed_ce(account: &str, results: &[serde_json::Value]) {
    moto_api(
        "/moto-api/static/ce/cost-and-usage-results",
        &serde_json::json!({"account_id": account, "results": results}),
    );
}

/// One GetCostAndUsage answer: one time bucket with these groups (keys, amount), and the token
/// of a next page.
pub fn ce_answer(
    start: &str,
    end: &str,
    estimated: bool,
    groups: &[(&[&str], &str)],
    next: Option<&str>,
) -> serde_json::Value {
    use serde_json::json;
    let groups: Vec<serde_json::Value> = groups
        .iter()
        .map(|(keys, amount)| json!({"Keys": keys, "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}))
        .collect();
    let mut page = json!({
        "ResultsByTime": [{"TimePeriod": {"Start": start, "End": end}, "Total": {}, "Groups": groups, "Estimated": estimated}],
        "DimensionValueAttributes": [],
    });
    if let Some(token) = next {
        page["NextPageToken"] = json!(token);
    }
    page
}

/// AWS credentials, as a process reads them from its environment.
#[derive(Clone, Debug)]
pub struct Keys {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl Keys {
    /// Sign `cmd`'s AWS calls with these credentials instead of the sandbox's.
    pub fn apply<'c>(&self, cmd: &'c mut assert_cmd::Command) -> &'c mut assert_cmd::Command {
        cmd.env("AWS_ACCESS_KEY_ID", &self.access_key_id).env("AWS_SECRET_ACCESS_KEY", &self.secret_access_key);
        match &self.session_token {
            Some(token) => cmd.env("AWS_SESSION_TOKEN", token),
            None => cmd.env_remove("AWS_SESSION_TOKEN"),
        }
    }
}

/// An AWS account of the test's own in the emulator. moto keeps each account's IAM, S3 and the
/// rest apart, and answers each access key in the account the key was made in: a test that
/// looks at *everything* in an account (every IAM user's policies) gets one of these, so tests
/// running side by side never see each other's users. Its administrator is a role session.
pub struct Account {
    pub id: String,
    pub admin: Keys,
}

impl Account {
    pub fn new(sb: &Sandbox) -> Account {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Twelve digits, never moto's default account.
        let id = format!("9{:05}{:06}", n % 100_000, std::process::id() % 1_000_000);
        let out = sb
            .aws_cli()
            .args(["sts", "assume-role", "--role-session-name", "admin"])
            .arg("--role-arn")
            .arg(format!("arn:aws:iam::{id}:role/admin"))
            .output()
            .unwrap();
        assert!(out.status.success(), "assume-role: {}", String::from_utf8_lossy(&out.stderr));
        let creds: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let c = &creds["Credentials"];
        let text = |k: &str| c[k].as_str().unwrap().to_owned();
        let admin = Keys {
            access_key_id: text("AccessKeyId"),
            secret_access_key: text("SecretAccessKey"),
            session_token: Some(text("SessionToken")),
        };
        Account { id, admin }
    }

    /// The AWS CLI as this account's administrator.
    pub fn cli(&self, sb: &Sandbox) -> assert_cmd::Command {
        let mut cmd = sb.aws_cli();
        self.admin.apply(&mut cmd);
        cmd
    }

    /// An IAM user of this account, with an access key of its own.
    pub fn user(&self, sb: &Sandbox, name: &str) -> Keys {
        let run = |args: &[&str]| {
            let out = self.cli(sb).args(args).output().unwrap();
            assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()
        };
        run(&["iam", "create-user", "--user-name", name]);
        let key = run(&["iam", "create-access-key", "--user-name", name]);
        Keys {
            access_key_id: key["AccessKey"]["AccessKeyId"].as_str().unwrap().to_owned(),
            secret_access_key: key["AccessKey"]["SecretAccessKey"].as_str().unwrap().to_owned(),
            session_token: None,
        }
    }

    /// `arn:aws:iam::<id>:user/<name>`.
    pub fn user_arn(&self, name: &str) -> String {
        format!("arn:aws:iam::{}:user/{name}", self.id)
    }
}
