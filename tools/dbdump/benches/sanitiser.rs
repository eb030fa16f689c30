//! The sanitiser alone, as the "at least 200 MB/s per core" means it: the rules, live
//! catalog and key `dbdump create` would use, over dump SQL already on disk (in the page cache),
//! on one thread, into nothing. No dump tool, no zstd, no hashing, no store. bench/dbdump.sh runs
//! it; by hand:
//!
//!   DBDUMP_KEY=… cargo bench -p dbdump --bench sanitiser -- URL RULES SQL [ROUNDS]
//!
//! Prints `BYTES SECONDS`: the SQL's size and the best of ROUNDS (default 3) passes.

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use dbdump::bench::Prepared;

fn main() -> anyhow::Result<()> {
    // cargo bench passes `--bench` to a bench without libtest's harness.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [url, rules, sql, rest @ ..] = args.as_slice() else {
        bail!("usage: sanitiser URL RULES SQL [ROUNDS] (the key in DBDUMP_KEY)");
    };
    let rounds: u32 = rest.first().map_or(Ok(3), |r| r.parse()).context("ROUNDS")?;
    let key = std::env::var("DBDUMP_KEY").context("DBDUMP_KEY: the sanitising key")?;
    let prepared = Prepared::new(url, Path::new(rules), &key)?;
    let (mut best, mut bytes) = (f64::MAX, 0);
    for _ in 0..rounds.max(1) {
        let mut input = BufReader::with_capacity(1 << 20, File::open(sql).with_context(|| sql.clone())?);
        let started = Instant::now();
        let (read, _) = prepared.sanitise(&mut input, &mut io::sink())?;
        best = best.min(started.elapsed().as_secs_f64());
        bytes = read;
    }
    writeln!(io::stdout().lock(), "{bytes} {best:.3}")?;
    Ok(())
}
