//! The query, costq's default command: costs for a period, grouped, from one source.

use clap::Args;
use opskit::output::{Format, Record};
use opskit::{Context, Error, Exit};
use serde_json::{Map, Value};

use crate::answer::{Answer, Shaping, assemble};
use crate::args::{self, GroupArgs, MoneyArgs, PeriodArgs, SourceArgs};
use crate::query::{CostQuery, Dimension};
use crate::record::{CostRecord, ForecastRecord, MONEY_FIELDS, percent};
use crate::source::{self, Source, SourceSpec};

/// The default command's arguments.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub group: GroupArgs,
    #[command(flatten)]
    pub money: MoneyArgs,
    /// Show usage, credits, refunds and tax as fields of their own beside amount
    #[arg(long, help_heading = "Costs")]
    pub split: bool,
    /// Keep the N groups that cost most; sum the rest as `other`
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub top: Option<usize>,
    /// Add a total record (per period bucket)
    #[arg(long, help_heading = "Output")]
    pub total: bool,
    /// Add the previous equal period: previous, delta, delta_pct
    #[arg(long, help_heading = "Output")]
    pub compare: bool,
    /// Add Cost Explorer's forecast to the end of this month, with its 80% interval
    #[arg(long, help_heading = "Output")]
    pub forecast: bool,
    #[command(flatten)]
    pub source: SourceArgs,
    /// `-`: read `env` records from stdin (envctl ls | costq --by env -) and report each
    /// environment's cost
    #[arg(value_name = "-", value_parser = stdin_marker)]
    pub input: Option<String>,
}

fn stdin_marker(text: &str) -> Result<String, String> {
    if text == "-" {
        Ok(text.to_owned())
    } else {
        let near = opskit::suggest::closest(text, ["check", "anomalies", "report", "doctor"]);
        Err(match near.first() {
            Some(command) => format!(
                "`{text}` is not a command; did you mean `{command}`? (the only argument is `-`, for env records on stdin)"
            ),
            None => format!(
                "`{text}` is not a command (check, anomalies, report, doctor); the only argument is `-`, for env records on stdin"
            ),
        })
    }
}

/// The names of the `env` records on stdin.
fn environments_on_stdin(ctx: &Context) -> Result<Vec<String>, Error> {
    opskit::input::names_or_stdin(&["-".to_owned()], "costq", &["env"], "name", ctx.app_if_known())
}

pub async fn run(ctx: &Context, args: QueryArgs) -> anyhow::Result<Exit> {
    let settings = args::settings(ctx)?;
    let spec = args.source.spec(&settings)?;
    let mut dims = args.group.dimensions(ctx.config.env_tag())?;
    let stdin = args.input.is_some() || args.period.month_swallowed_stdin();
    let envs = if stdin {
        if !dims.iter().any(|d| matches!(d, Dimension::Env { .. })) {
            dims.insert(0, Dimension::Env { tag: ctx.config.env_tag().to_owned() });
        }
        let names = environments_on_stdin(ctx)?;
        if names.is_empty() {
            opskit::error::note("no env records on stdin: nothing to report");
            return Ok(Exit::Success);
        }
        Some(names)
    } else {
        None
    };
    let mut query = args::cost_query(&args.period, &args.money, dims, args.split, &spec)?;
    query.envs = envs;
    if args.compare && query.period.is_none() {
        return Err(Error::usage("--compare needs a period when reading export files")
            .with_hint("name one: --month YYYY-MM, --last-month, --from/--to or --days N")
            .into());
    }
    if args.forecast {
        check_forecast(&spec, &query)?;
    }
    if let SourceSpec::Athena { print_sql: true, .. } = &spec {
        return print_sql(ctx, &spec, &query, args.compare).await;
    }
    if ctx.dry_run {
        let questions = 1 + u32::from(args.compare);
        opskit::error::note(&source::dry_run_note(&spec, &query, questions, u32::from(args.forecast))?);
        return Ok(Exit::Success);
    }
    let source = Source::open(ctx, &spec).await?;
    let costs = source.costs(ctx, &query).await?;
    let previous = match (args.compare, query.period) {
        (true, Some(r)) => {
            let p = r.previous();
            Some((source.costs(ctx, &query.for_period(p)).await?, p))
        }
        _ => None,
    };
    let forecast = if args.forecast {
        let today = args::today(&args.period)?;
        Some(source.forecast(&query, today).await?)
    } else {
        None
    };
    let answer = assemble(&query, costs, previous, Shaping { top: args.top, total: args.total })?;
    let forecast = forecast.map(|f| {
        let actual = answer
            .totals
            .iter()
            .find(|(c, _, _)| *c == f.currency)
            .map_or(crate::money::Money::ZERO, |(_, a, _)| a.total());
        let mean = crate::money::Money::new(f.mean);
        ForecastRecord {
            kind: "forecast",
            start: f.period.start,
            end: f.period.end,
            amount: mean,
            lower: f.lower.map(crate::money::Money::new),
            upper: f.upper.map(crate::money::Money::new),
            interval: f.interval,
            actual_to_date: actual,
            projected: actual.checked_add(mean).unwrap_or(mean),
            currency: f.currency.clone(),
            metric: query.metric.as_str(),
            source: "ce",
        }
    });
    emit(ctx, &query, answer, forecast, args.compare)?;
    Ok(Exit::Success)
}

/// `--forecast` is Cost Explorer's, for the month under way.
pub fn check_forecast(spec: &SourceSpec, query: &CostQuery) -> Result<(), Error> {
    if !spec.is_ce() {
        return Err(Error::usage(
            "--forecast needs Cost Explorer (--source ce): export files and Athena hold no forecast",
        ));
    }
    if !query.period.is_some_and(|r| r.month_to_date) {
        return Err(Error::usage(
            "--forecast forecasts the rest of this month: use it with this month (--month, the default)",
        ));
    }
    Ok(())
}

async fn print_sql(ctx: &Context, spec: &SourceSpec, query: &CostQuery, compare: bool) -> anyhow::Result<Exit> {
    let Source::Athena(athena) = Source::open(ctx, spec).await? else { unreachable!("an Athena spec opens Athena") };
    let mut text = athena.sql(query).await?.0;
    text.push_str(";\n");
    if compare && let Some(r) = query.period {
        text.push('\n');
        text.push_str(&athena.sql(&query.for_period(r.previous())).await?.0);
        text.push_str(";\n");
    }
    opskit::output::write_stdout(text.as_bytes())?;
    Ok(Exit::Success)
}

/// The csv/tsv columns: the record's, with `group.*` spelled out.
pub fn columns(query: &CostQuery) -> Vec<String> {
    CostRecord::COLUMNS
        .iter()
        .flat_map(|c| {
            if *c == "group.*" {
                query.group_fields().into_iter().map(|f| format!("group.{f}")).collect()
            } else {
                vec![(*c).to_owned()]
            }
        })
        .collect()
}

fn emit(
    ctx: &Context,
    query: &CostQuery,
    answer: Answer,
    forecast: Option<ForecastRecord>,
    compare: bool,
) -> anyhow::Result<()> {
    let table = ctx.format == Format::Table;
    let group_columns: Vec<String> = query.group_fields().into_iter().map(|f| format!("group.{f}")).collect();
    let mut brief: Vec<String> = Vec::new();
    if answer.buckets > 1 {
        brief.push("start".into());
    }
    brief.extend(group_columns.iter().cloned());
    brief.push("amount".into());
    if query.split {
        brief.extend(["usage", "credits", "refunds", "tax"].map(String::from));
    }
    if compare {
        brief.extend(["previous", "delta", "delta_pct"].map(String::from));
    }
    if answer.totals.len() > 1 {
        brief.push("currency".into());
    }
    let brief_refs: Vec<&str> = brief.iter().map(String::as_str).collect();
    let mut right: Vec<&str> = MONEY_FIELDS.to_vec();
    right.push("delta_pct");
    if answer.records.is_empty() {
        let period = query.period.map_or_else(|| "the export".to_owned(), |r| r.period.to_string());
        let why = match query.period {
            Some(r) if r.month_to_date && r.period.days() == 1 => {
                " (the month began today: Cost Explorer shows a day's costs within about 24 hours)"
            }
            _ => "",
        };
        opskit::error::note(&format!("no costs for {period}{why}"));
    }
    let mut out =
        ctx.emitter().columns(columns(query)).brief::<CostRecord>(&brief_refs).align_right::<CostRecord>(&right);
    let mut rows = 0;
    let tag_fields: Vec<String> = query.dims.iter().filter(|d| d.tag_key().is_some()).map(Dimension::field).collect();
    for mut record in answer.records {
        if table {
            // The grand total is the table's last line; totals per bucket stay as rows.
            if record.total && answer.buckets == 1 {
                continue;
            }
            for field in &tag_fields {
                if let Some(value) = record.group.get_mut(field)
                    && value.as_str() == Some("")
                {
                    *value = Value::String("(untagged)".into());
                }
            }
            out.emit(&record.for_table())?;
        } else {
            out.emit(&record)?;
        }
        rows += 1;
    }
    if table && rows > 0 && (!group_columns.is_empty() || answer.buckets > 1) {
        let label = brief.first().cloned().unwrap_or_else(|| "amount".into());
        let lines: Vec<Map<String, Value>> = answer
            .totals
            .iter()
            .map(|(currency, amounts, previous)| {
                let mut line = Map::new();
                line.insert(label.clone(), Value::String("total".into()));
                line.insert("amount".into(), Value::String(amounts.total().cents()));
                if query.split {
                    for charge in crate::query::Charge::ALL {
                        line.insert(charge.as_str().into(), Value::String(amounts.get(charge).cents()));
                    }
                }
                if let Some(previous) = previous {
                    let (now, before) = (amounts.total(), previous.total());
                    let delta = now.checked_sub(before).unwrap_or_default();
                    line.insert("previous".into(), Value::String(before.cents()));
                    line.insert("delta".into(), Value::String(delta.cents()));
                    line.insert("delta_pct".into(), percent(delta, before));
                }
                line.insert("currency".into(), Value::String(currency.clone()));
                line
            })
            .collect();
        out.footer::<CostRecord>(lines);
    }
    if let Some(forecast) = forecast {
        out.emit(&forecast)?;
    }
    out.finish()?;
    Ok(())
}
