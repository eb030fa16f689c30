//! The flags, as clap parses them ("low args"), and their validation into a [`CostQuery`] and a
//! [`SourceSpec`] ("high args") before any work starts.

use std::collections::BTreeSet;

use clap::Args;
use opskit::{Context, Error};

use crate::query::period::{self, PeriodSpec};
use crate::query::{Charge, CostQuery, Date, Dimension, Granularity, Metric, Resolved};
use crate::source::export::Location;
use crate::source::{Settings, SourceSpec};

/// Which days, split how.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct PeriodArgs {
    /// This month to date (the default), or the month given
    #[arg(long, value_name = "YYYY-MM", num_args = 0..=1, default_missing_value = "", group = "period", help_heading = "Period")]
    pub month: Option<String>,
    /// The last calendar month
    #[arg(long, group = "period", help_heading = "Period")]
    pub last_month: bool,
    /// From this day (inclusive; with --to)
    #[arg(long, value_name = "DATE", requires = "to", group = "period", help_heading = "Period")]
    pub from: Option<String>,
    /// To this day (inclusive)
    #[arg(long, value_name = "DATE", requires = "from", help_heading = "Period")]
    pub to: Option<String>,
    /// The N days ending yesterday
    #[arg(long, value_name = "N", group = "period", help_heading = "Period")]
    pub days: Option<u32>,
    /// A record per day
    #[arg(long, conflicts_with = "monthly", help_heading = "Period")]
    pub daily: bool,
    /// A record per calendar month
    #[arg(long, help_heading = "Period")]
    pub monthly: bool,
    /// Compute periods as if today were DATE [default: today, UTC]
    #[arg(long, value_name = "DATE", help_heading = "Period")]
    pub as_of: Option<String>,
}

/// Where costs come from.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceArgs {
    /// ce (Cost Explorer), athena, or billing export files: FILE, DIR or s3://bucket/prefix
    /// [default: `source` in [costq] of opskit.toml, else ce]
    #[arg(long, value_name = "SRC", help_heading = "Source")]
    pub source: Option<String>,
    /// Athena: the database of the export's table
    #[arg(long, value_name = "D", help_heading = "Source")]
    pub database: Option<String>,
    /// Athena: the export's table
    #[arg(long, value_name = "T", help_heading = "Source")]
    pub table: Option<String>,
    /// Athena: the workgroup to run in
    #[arg(long, value_name = "W", help_heading = "Source")]
    pub workgroup: Option<String>,
    /// Athena: print the SQL instead of running it
    #[arg(long, help_heading = "Source")]
    pub print_sql: bool,
    /// Cost Explorer: ask again even for closed periods answered before (refreshes the cache)
    #[arg(long, help_heading = "Source")]
    pub no_cache: bool,
}

/// Which cost, and which charges.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct MoneyArgs {
    /// Which cost
    #[arg(long, value_enum, default_value_t, help_heading = "Costs")]
    pub metric: Metric,
    /// Leave out these charges (comma-separated)
    #[arg(long, value_enum, value_name = "CHARGES", value_delimiter = ',', help_heading = "Costs")]
    pub exclude: Vec<Excludable>,
}

impl MoneyArgs {
    /// The charges `--exclude` leaves out.
    pub fn excluded(&self) -> BTreeSet<Charge> {
        self.exclude.iter().map(|e| e.charge()).collect()
    }
}

/// Charges `--exclude` can leave out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Excludable {
    Credits,
    Refunds,
    Tax,
}

impl Excludable {
    fn charge(self) -> Charge {
        match self {
            Excludable::Credits => Charge::Credits,
            Excludable::Refunds => Charge::Refunds,
            Excludable::Tax => Charge::Tax,
        }
    }
}

/// `--by`, repeatable or comma-separated.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupArgs {
    /// Group by: service, account, region, usage-type, operation, charge-type, tag:KEY, env
    /// (the environment tag); repeatable
    #[arg(long = "by", value_name = "DIM", value_delimiter = ',', help_heading = "Costs")]
    pub by: Vec<String>,
}

impl GroupArgs {
    pub fn dimensions(&self, env_tag: &str) -> Result<Vec<Dimension>, Error> {
        let mut dims = Vec::new();
        for text in &self.by {
            let dim = Dimension::parse(text.trim(), env_tag)?;
            if dims.contains(&dim) {
                return Err(Error::usage(format!("--by {dim} is given twice")));
            }
            dims.push(dim);
        }
        Ok(dims)
    }
}

/// A day given on the command line.
fn date(flag: &str, text: &str) -> Result<Date, Error> {
    Date::parse(text).filter(|_| text.len() == 10).ok_or_else(|| {
        Error::usage(format!("{flag} `{text}` is not a date")).with_hint("write days as YYYY-MM-DD, e.g. 2026-09-30")
    })
}

/// The day costq takes as today.
pub fn today(args: &PeriodArgs) -> Result<Date, Error> {
    args.as_of.as_deref().map_or_else(|| Ok(Date::today()), |d| date("--as-of", d))
}

impl PeriodArgs {
    /// What was asked; `None` when no period flag was given.
    pub fn spec(&self) -> Result<Option<PeriodSpec>, Error> {
        if let Some(month) = &self.month {
            if month.is_empty() || month == "-" {
                return Ok(Some(PeriodSpec::ThisMonth));
            }
            let first = Date::parse_month(month).ok_or_else(|| {
                Error::usage(format!("--month `{month}` is not a month"))
                    .with_hint("write months as YYYY-MM, e.g. --month 2026-09")
            })?;
            return Ok(Some(PeriodSpec::Month(first)));
        }
        if self.last_month {
            return Ok(Some(PeriodSpec::LastMonth));
        }
        if let (Some(from), Some(to)) = (&self.from, &self.to) {
            return Ok(Some(PeriodSpec::Range(date("--from", from)?, date("--to", to)?)));
        }
        Ok(self.days.map(PeriodSpec::Days))
    }

    /// `--month -`: the `-` was meant as "records on stdin", not as a month.
    pub fn month_swallowed_stdin(&self) -> bool {
        self.month.as_deref() == Some("-")
    }

    pub fn granularity(&self) -> Granularity {
        if self.daily {
            Granularity::Daily
        } else if self.monthly {
            Granularity::Monthly
        } else {
            Granularity::Period
        }
    }

    /// The period resolved on today; `None` for export files read whole (no period flag).
    pub fn resolve(&self, whole_export: bool) -> Result<Option<Resolved>, Error> {
        let today = today(self)?;
        let spec = match self.spec()? {
            Some(spec) => spec,
            None if whole_export => return Ok(None),
            None => PeriodSpec::ThisMonth,
        };
        let (resolved, clamped) = period::resolve(&spec, today)?;
        if clamped {
            opskit::error::note(&format!("the period ends today, {today}: there are no costs after it"));
        }
        Ok(Some(resolved))
    }
}

impl SourceArgs {
    /// The source asked for, from the flag or `[costq] source`, validated.
    pub fn spec(&self, settings: &Settings) -> Result<SourceSpec, Error> {
        let source = self.source.clone().or_else(|| settings.source.clone()).unwrap_or_else(|| "ce".to_owned());
        let athena_only = [
            ("--database", self.database.is_some()),
            ("--table", self.table.is_some()),
            ("--workgroup", self.workgroup.is_some()),
            ("--print-sql", self.print_sql),
        ];
        let spec = match source.as_str() {
            "ce" => SourceSpec::CostExplorer { cache: !self.no_cache },
            "athena" => {
                let database = self.database.clone().or_else(|| settings.database.clone());
                let table = self.table.clone().or_else(|| settings.table.clone());
                let (Some(database), Some(table)) = (database, table) else {
                    return Err(Error::usage("--source athena needs --database and --table")
                        .with_hint("or set `database` and `table` in [costq] of opskit.toml"));
                };
                SourceSpec::Athena {
                    database,
                    table,
                    workgroup: self.workgroup.clone().or_else(|| settings.workgroup.clone()),
                    output_location: settings.output_location.clone(),
                    print_sql: self.print_sql,
                }
            }
            "" => return Err(Error::usage("--source needs a value: ce, athena, FILE, DIR or s3://bucket/prefix")),
            path => SourceSpec::Export(Location::parse(path)?),
        };
        if !matches!(spec, SourceSpec::Athena { .. })
            && let Some((flag, _)) = athena_only.iter().find(|(_, given)| *given)
        {
            return Err(Error::usage(format!("{flag} is for --source athena")));
        }
        if self.no_cache && !spec.is_ce() {
            return Err(Error::usage("--no-cache is for --source ce (only Cost Explorer answers are cached)"));
        }
        Ok(spec)
    }
}

/// The validated question.
pub fn cost_query(
    period: &PeriodArgs,
    money: &MoneyArgs,
    dims: Vec<Dimension>,
    split: bool,
    spec: &SourceSpec,
) -> Result<CostQuery, Error> {
    let resolved = period.resolve(spec.is_export())?;
    Ok(CostQuery {
        period: resolved,
        granularity: period.granularity(),
        dims,
        metric: money.metric,
        split,
        exclude: money.excluded(),
        envs: None,
    })
}

/// `[costq]` of the config, validated.
pub fn settings(ctx: &Context) -> Result<Settings, Error> {
    Ok(ctx.config.section::<Settings>("costq")?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_flag_forms() {
        let args = |m: Option<&str>| PeriodArgs { month: m.map(str::to_owned), ..PeriodArgs::default() };
        assert_eq!(args(Some("")).spec().unwrap(), Some(PeriodSpec::ThisMonth));
        assert_eq!(args(Some("-")).spec().unwrap(), Some(PeriodSpec::ThisMonth));
        assert_eq!(args(Some("2026-09")).spec().unwrap(), Some(PeriodSpec::Month(Date::parse("2026-09-01").unwrap())));
        assert_eq!(args(Some("2026-13")).spec().unwrap_err().exit(), opskit::Exit::Usage);
        assert_eq!(args(None).spec().unwrap(), None);
    }

    #[test]
    fn sources() {
        let spec = |s: &str| SourceArgs { source: Some(s.into()), ..SourceArgs::default() }.spec(&Settings::default());
        assert!(matches!(spec("ce").unwrap(), SourceSpec::CostExplorer { cache: true }));
        assert!(matches!(spec("s3://bucket/cur/").unwrap(), SourceSpec::Export(Location::S3(_))));
        assert!(matches!(spec("./exports").unwrap(), SourceSpec::Export(Location::Local(_))));
        assert!(spec("athena").is_err(), "needs a database and table");
        let with_table = SourceArgs { source: Some("ce".into()), table: Some("t".into()), ..SourceArgs::default() };
        assert!(with_table.spec(&Settings::default()).is_err());
    }
}
