//! Where the database is: a URL (`postgres://`, `postgresql://`, `mysql://`, `mariadb://`), an
//! environment's `DATABASE_URL` parameter in SSM, an RDS instance, or `env` records on stdin;
//! and the app and environment a dump of it is filed under.
//!
//! Passwords never travel in argv: a password inside `--url` is refused, and the child tools get
//! one by environment variable (see `engine`).

use opskit::aws::AwsResultExt;
use opskit::params::ParamLayout;
use opskit::{Context, Environment, Error, Result, Secret, Tier};

/// The database engine family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Mysql,
}

impl Engine {
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Engine::Postgres => 5432,
            Engine::Mysql => 3306,
        }
    }
}

/// A parsed database URL. The password, when there is one, is a [`Secret`].
#[derive(Clone, Debug)]
pub struct DbUrl {
    pub engine: Engine,
    pub user: Option<String>,
    pub password: Option<Secret>,
    pub host: String,
    pub port: u16,
    pub database: String,
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl DbUrl {
    /// Parse `scheme://[user[:password]@]host[:port]/database[?…]`. Errors never repeat the
    /// URL: it may hold a password.
    pub fn parse(text: &str) -> Result<DbUrl> {
        let bad = |why: &str| {
            Error::usage(format!("invalid database URL: {why}"))
                .with_hint("use postgres://USER@HOST[:PORT]/DATABASE or mysql://USER@HOST[:PORT]/DATABASE")
        };
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("no scheme (postgres://, mysql://, …)"))?;
        let engine = match scheme {
            "postgres" | "postgresql" => Engine::Postgres,
            "mysql" | "mariadb" => Engine::Mysql,
            other => {
                return Err(Error::usage(format!("unknown database scheme `{other}://`"))
                    .with_hint("dbdump knows postgres://, postgresql://, mysql:// and mariadb://"));
            }
        };
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(info) => {
                let (user, password) = match info.split_once(':') {
                    Some((u, p)) => (u, Some(p)),
                    None => (info, None),
                };
                let user = percent_decode(user).ok_or_else(|| bad("the user name is not valid percent-encoding"))?;
                let password = password
                    .map(|p| {
                        percent_decode(p)
                            .map(Secret::from)
                            .ok_or_else(|| bad("the password is not valid percent-encoding"))
                    })
                    .transpose()?;
                (Some(user).filter(|u| !u.is_empty()), password)
            }
            None => (None, None),
        };
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| bad("unclosed [ in the host"))?;
            (host.to_owned(), after.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (hostport.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) => p.parse::<u16>().map_err(|_| bad("the port is not a number"))?,
            None => engine.default_port(),
        };
        let database = percent_decode(path).ok_or_else(|| bad("the database name is not valid percent-encoding"))?;
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if database.is_empty() {
            return Err(bad("no database name after the host"));
        }
        Ok(DbUrl { engine, user, password, host, port, database })
    }

    /// The URL without its password, for messages and records.
    pub fn display(&self) -> String {
        let user = self.user.as_ref().map_or_else(String::new, |u| format!("{u}@"));
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        format!("{}://{user}{host}:{}/{}", self.engine.as_str(), self.port, self.database)
    }
}

/// A database to dump, and where its dumps are filed.
#[derive(Clone, Debug)]
pub struct Source {
    pub url: DbUrl,
    pub app: String,
    pub env: String,
    pub tier: Tier,
    /// Where the URL came from, for messages: `--url`, `SSM /casetracker/staging/DATABASE_URL`.
    pub origin: String,
    /// Whether AWS is involved (the creator then comes from STS).
    pub via_aws: bool,
}

/// `[dbdump]` settings this file needs.
pub struct Lookup<'a> {
    pub url_key: &'a str,
}

/// A database URL given on the command line: a password in it is refused (argv is visible to
/// every user of the machine, and kept in shell history).
pub fn from_flag(text: &str) -> Result<DbUrl> {
    let url = DbUrl::parse(text)?;
    if url.password.is_some() {
        let var = match url.engine {
            Engine::Postgres => "PGPASSWORD (or ~/.pgpass)",
            Engine::Mysql => "MYSQL_PWD",
        };
        return Err(Error::usage("refusing a password inside a database URL on the command line: argv is visible in `ps` and shell history").with_hint(
            format!("leave it out of the URL and set {var}, or keep the URL in the environment's DATABASE_URL parameter and use -e ENV"),
        ));
    }
    Ok(url)
}

/// An environment's database URL, from its `DATABASE_URL` (or `url_key`) parameter in SSM.
pub async fn from_environment(ctx: &Context, app: &str, env: &Environment, lookup: &Lookup<'_>) -> Result<Source> {
    let layout = ParamLayout::new(ctx.config.param_prefix(), app)?;
    let name = layout.name(&env.name, lookup.url_key);
    let sdk = ctx.sdk_for(&env.name).await?;
    let ssm = opskit::aws_client!(aws_sdk_ssm, &sdk);
    let out = ssm.get_parameter().name(&name).with_decryption(true).send().await;
    let value = match out {
        Ok(out) => out.parameter.and_then(|p| p.value).map(Secret::from),
        Err(e)
            if e.as_service_error()
                .is_some_and(aws_sdk_ssm::operation::get_parameter::GetParameterError::is_parameter_not_found) =>
        {
            None
        }
        Err(e) => return Err(opskit::aws::from_sdk(&e, &format!("reading {name}"))),
    };
    let value = value.ok_or_else(|| {
        Error::not_found(format!("environment `{}` has no {} parameter ({name})", env.name, lookup.url_key)).with_hint(
            format!("set it with `envctl set {} {}` (the URL on stdin), or give --url", env.name, lookup.url_key),
        )
    })?;
    // The parameter may hold a password: parse errors must not show it.
    let url = DbUrl::parse(value.expose()).map_err(|e| Error::data(format!("{name}: {e}")))?;
    Ok(Source {
        url,
        app: app.to_owned(),
        env: env.name.clone(),
        tier: env.tier,
        origin: format!("SSM {name}"),
        via_aws: true,
    })
}

/// An RDS instance: endpoint, port and engine from DescribeDBInstances.
pub async fn from_rds(
    ctx: &Context,
    instance: &str,
    env: Option<&str>,
    database: Option<&str>,
    user: Option<&str>,
) -> Result<DbUrl> {
    let sdk = match env {
        Some(env) => ctx.sdk_for(env).await?,
        None => ctx.sdk().await?,
    };
    let rds = opskit::aws_client!(aws_sdk_rds, &sdk);
    let out = rds
        .describe_db_instances()
        .db_instance_identifier(instance)
        .send()
        .await
        .aws_context(format_args!("describing the RDS instance {instance}"))?;
    let db = out
        .db_instances
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| Error::not_found(format!("no RDS instance `{instance}`")))?;
    let engine_name = db.engine.clone().unwrap_or_default();
    let engine = if engine_name.contains("postgres") {
        Engine::Postgres
    } else if engine_name.contains("mysql") || engine_name.contains("mariadb") {
        Engine::Mysql
    } else {
        return Err(Error::data(format!("RDS instance {instance} runs `{engine_name}`, which dbdump does not dump"))
            .with_hint("dbdump dumps PostgreSQL and MariaDB/MySQL"));
    };
    let endpoint = db.endpoint.ok_or_else(|| {
        Error::unavailable(format!(
            "RDS instance {instance} has no endpoint yet (status {})",
            db.db_instance_status.unwrap_or_default()
        ))
    })?;
    let database = database.map(str::to_owned).or(db.db_name).ok_or_else(|| {
        Error::usage(format!("RDS instance {instance} names no database")).with_hint("name one with --database NAME")
    })?;
    Ok(DbUrl {
        engine,
        user: user.map(str::to_owned).or(db.master_username),
        password: None,
        host: endpoint.address.unwrap_or_default(),
        port: endpoint.port.and_then(|p| u16::try_from(p).ok()).unwrap_or(engine.default_port()),
        database,
    })
}

/// An RDS IAM authentication token for `url`'s user: a SigV4-presigned `connect` action, good
/// for 15 minutes, used as the password.
pub async fn iam_token(ctx: &Context, env: Option<&str>, url: &DbUrl) -> Result<Secret> {
    use aws_sdk_rds::auth_token::{AuthTokenGenerator, Config};
    let sdk = match env {
        Some(env) => ctx.sdk_for(env).await?,
        None => ctx.sdk().await?,
    };
    let user = url.user.clone().ok_or_else(|| {
        Error::usage("--iam-auth needs a database user")
            .with_hint("put it in the URL (postgres://USER@HOST/DB) or give --user")
    })?;
    let region = sdk
        .region()
        .cloned()
        .ok_or_else(|| Error::config("--iam-auth needs an AWS region (the token is signed for it)"))?;
    let config = Config::builder()
        .hostname(&url.host)
        .port(u64::from(url.port))
        .username(&user)
        .region(region)
        .build()
        .map_err(|e| Error::internal(format!("building the RDS auth token: {e}")))?;
    let token = AuthTokenGenerator::new(config)
        .auth_token(&sdk)
        .await
        .map_err(|e| Error::no_perm(format!("signing an RDS auth token for {user}: {e}")))?;
    Ok(Secret::new(token.as_str()))
}

/// The app and environment a `--url`-only dump is filed under: the database name stands in for
/// the app, `adhoc` for the environment.
pub fn adhoc(url: DbUrl, app: Option<&str>, env: Option<&Environment>) -> Source {
    let app = app.map_or_else(|| sanitize_name(&url.database), str::to_owned);
    let (env, tier) = env.map_or(("adhoc".to_owned(), Tier::Prod), |e| (e.name.clone(), e.tier));
    Source { url, app, env, tier, origin: "--url".to_owned(), via_aws: false }
}

/// A database name as an app name (letters, digits, `-`, `_`, `.`).
fn sanitize_name(name: &str) -> String {
    let clean: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if clean.is_empty() { "db".into() } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = DbUrl::parse("postgresql://app%40corp:p%40ss@db.example:6543/case_tracker?sslmode=require").unwrap();
        assert_eq!(u.engine, Engine::Postgres);
        assert_eq!(u.user.as_deref(), Some("app@corp"));
        assert_eq!(u.password.as_ref().map(Secret::expose), Some("p@ss"));
        assert_eq!((u.host.as_str(), u.port, u.database.as_str()), ("db.example", 6543, "case_tracker"));
        assert_eq!(u.display(), "postgres://app@corp@db.example:6543/case_tracker");
        let m = DbUrl::parse("mariadb://root@[::1]/shop").unwrap();
        assert_eq!((m.engine, m.host.as_str(), m.port), (Engine::Mysql, "::1", 3306));
        assert!(DbUrl::parse("oracle://x/y").unwrap_err().to_string().contains("unknown database scheme `oracle://`"));
        assert!(DbUrl::parse("postgres://host").is_err());
        let err = DbUrl::parse("postgres://u:hunter2@h:port/d").unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn a_password_in_the_flag_is_refused_without_being_repeated() {
        let err = from_flag("mysql://root:hunter2@127.0.0.1/shop").unwrap_err();
        assert_eq!(err.exit(), opskit::Exit::Usage);
        assert!(!err.to_string().contains("hunter2") && !err.hint().unwrap().contains("hunter2"));
        assert!(err.hint().unwrap().contains("MYSQL_PWD"));
    }
}
