//! Restoring a dump taken on RDS onto a plain server: what only RDS has (its `rdsadmin` owner
//! and grants, its own extensions, MySQL definers and GTID settings) is left out on the way in,
//! unless `--no-portable`.

use std::io::{self, Write};

use crate::sanitize::{LineFilter, Stats};
use crate::source::Engine;

/// Extensions that exist only on RDS / Aurora.
const RDS_EXTENSIONS: [&str; 9] = [
    "aws_commons",
    "aws_s3",
    "aws_lambda",
    "aws_ml",
    "rds_tools",
    "rdsutils",
    "apg_plan_mgmt",
    "aurora_stat_utils",
    "pg_transport",
];

/// A filter that passes everything, or drops what a plain server refuses.
pub fn filter(engine: Engine, portable: bool) -> Box<dyn LineFilter> {
    match (engine, portable) {
        (_, false) => Box::new(PassThrough),
        (Engine::Postgres, true) => Box::new(PortablePostgres),
        (Engine::Mysql, true) => Box::new(PortableMysql),
    }
}

struct PassThrough;

impl LineFilter for PassThrough {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, _: &mut Stats) -> io::Result<()> {
        out.write_all(line)
    }
}

/// pg_dump writes each of these statements on one line.
struct PortablePostgres;

fn drop_postgres(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else { return false };
    if text.starts_with("ALTER ") && text.contains(" OWNER TO ") {
        return true;
    }
    if text.starts_with("GRANT ") || text.starts_with("REVOKE ") || text.starts_with("ALTER DEFAULT PRIVILEGES ") {
        return true;
    }
    if text.starts_with("COMMENT ON EXTENSION ") {
        return true;
    }
    text.starts_with("CREATE EXTENSION ")
        && RDS_EXTENSIONS.iter().any(|e| text.contains(&format!(" {e} ")) || text.contains(&format!(" {e};")))
}

impl LineFilter for PortablePostgres {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, _: &mut Stats) -> io::Result<()> {
        // COPY rows never start with these words followed by SQL (a value would be tab-separated
        // text); a row that happened to would be a one-column table starting `GRANT ` — not worth
        // tracking COPY state for.
        if drop_postgres(line) { Ok(()) } else { out.write_all(line) }
    }
}

struct PortableMysql;

impl LineFilter for PortableMysql {
    fn line(&mut self, line: &[u8], out: &mut dyn Write, _: &mut Stats) -> io::Result<()> {
        if line.starts_with(b"SET @@GLOBAL.GTID_PURGED")
            || memchr::memmem::find(line, b"SQL_LOG_BIN").is_some() && line.starts_with(b"SET ")
        {
            return Ok(());
        }
        if line.starts_with(b"INSERT ") {
            return out.write_all(line);
        }
        match memchr::memmem::find(line, b"DEFINER=") {
            None => out.write_all(line),
            Some(start) => {
                // DEFINER=`user`@`host` (two backquoted names and the @ between).
                let mut end = start + "DEFINER=".len();
                for _ in 0..2 {
                    if line.get(end) == Some(&b'`') {
                        end += 1 + line[end + 1..].iter().position(|b| *b == b'`').map_or(0, |p| p + 1);
                    }
                    if line.get(end) == Some(&b'@') {
                        end += 1;
                    }
                }
                out.write_all(&line[..start])?;
                out.write_all(line[end..].strip_prefix(b" ").unwrap_or(&line[end..]))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(engine: Engine, text: &str) -> String {
        let mut f = filter(engine, true);
        let mut out = Vec::new();
        for line in text.split_inclusive('\n') {
            f.line(line.as_bytes(), &mut out, &mut Stats::default()).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rds_only_statements_are_dropped() {
        let pg = "CREATE TABLE public.t (id int);\nALTER TABLE public.t OWNER TO rdsadmin;\nGRANT ALL ON TABLE public.t TO app;\nCREATE EXTENSION IF NOT EXISTS aws_s3 WITH SCHEMA public;\nCREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n";
        assert_eq!(
            run(Engine::Postgres, pg),
            "CREATE TABLE public.t (id int);\nCREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n"
        );
        let my = "SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'x:1-5';\n/*!50013 DEFINER=`rdsadmin`@`localhost` SQL SECURITY DEFINER */\nINSERT INTO `t` VALUES ('DEFINER=`a`@`b`');\n";
        assert_eq!(
            run(Engine::Mysql, my),
            "/*!50013 SQL SECURITY DEFINER */\nINSERT INTO `t` VALUES ('DEFINER=`a`@`b`');\n"
        );
    }
}
