//! Every environment variable opskit reads, named once. The README's table is generated from
//! [`ALL`], so the docs cannot drift from the code.

pub const OPSKIT_APP: &str = "OPSKIT_APP";
pub const OPSKIT_ENV: &str = "OPSKIT_ENV";
pub const OPSKIT_OUTPUT: &str = "OPSKIT_OUTPUT";
pub const OPSKIT_CONFIG: &str = "OPSKIT_CONFIG";
pub const OPSKIT_ROLE_ARN: &str = "OPSKIT_ROLE_ARN";
pub const OPSKIT_TIMEOUT: &str = "OPSKIT_TIMEOUT";
pub const AWS_PROFILE: &str = "AWS_PROFILE";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
pub const AWS_MAX_ATTEMPTS: &str = "AWS_MAX_ATTEMPTS";
pub const AWS_RETRY_MODE: &str = "AWS_RETRY_MODE";
pub const RUST_LOG: &str = "RUST_LOG";
pub const NO_COLOR: &str = "NO_COLOR";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";

/// (variable, what it sets) for the docs.
pub const ALL: [(&str, &str); 14] = [
    (OPSKIT_APP, "application name, as `--app`"),
    (OPSKIT_ENV, "environment, as `--env`"),
    (OPSKIT_OUTPUT, "output format, as `--output`"),
    (OPSKIT_CONFIG, "config file, as `--config`"),
    (OPSKIT_ROLE_ARN, "IAM role to assume, as `--role-arn`"),
    (OPSKIT_TIMEOUT, "overall deadline of one AWS call, retries included (`timeout` in opskit.toml; default 2m)"),
    (AWS_PROFILE, "AWS profile when neither `--profile` nor opskit.toml names one"),
    (AWS_REGION, "AWS region when neither `--region` nor opskit.toml names one"),
    (AWS_ENDPOINT_URL, "AWS endpoint, as `--endpoint-url`; `AWS_ENDPOINT_URL_<SERVICE>` per service"),
    (AWS_MAX_ATTEMPTS, "attempts per AWS call, retries included (default 5)"),
    (AWS_RETRY_MODE, "`standard` or `adaptive` (default) retries"),
    (RUST_LOG, "log filter for stderr, overrides `-v`/`-q`"),
    (NO_COLOR, "any value turns colour off, as `--no-color`"),
    (XDG_CONFIG_HOME, "where the user config lives (`$XDG_CONFIG_HOME/opskit/config.toml`, default `~/.config`)"),
];
