//! `costq report --html FILE`: the HTML report of a period (see [`crate::report`]).

use std::path::PathBuf;

use clap::Args;
use opskit::{Context, Error, Exit};

use crate::args::{self, GroupArgs, MoneyArgs, PeriodArgs, SourceArgs};
use crate::money::Money;
use crate::query::{Dimension, Granularity};
use crate::record::ReportRecord;
use crate::report::{self, Report, Table};
use crate::source::{self, Source};

#[derive(Args, Clone, Debug)]
pub struct ReportArgs {
    /// Write the report to this HTML file
    #[arg(long, value_name = "FILE")]
    pub html: PathBuf,
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Add a table grouped by these dimensions too (repeatable; service is always shown)
    #[command(flatten)]
    pub group: GroupArgs,
    #[command(flatten)]
    pub money: MoneyArgs,
    #[command(flatten)]
    pub source: SourceArgs,
}

pub async fn run(ctx: &Context, args: ReportArgs) -> anyhow::Result<Exit> {
    let settings = args::settings(ctx)?;
    let spec = args.source.spec(&settings)?;
    if args.period.daily || args.period.monthly {
        return Err(Error::usage("the report is always daily: leave out --daily and --monthly").into());
    }
    let extra = args.group.dimensions(ctx.config.env_tag())?;
    let mut daily = args::cost_query(&args.period, &args.money, vec![Dimension::Service], false, &spec)?;
    daily.granularity = Granularity::Daily;
    // The chart needs days: export files read whole are taken as their span, once known.
    if ctx.dry_run {
        let questions = 2 + u32::from(!extra.is_empty()) * 2;
        opskit::error::note(&source::dry_run_note(&spec, &daily, questions, 0)?);
        return Ok(Exit::Success);
    }
    let source = Source::open(ctx, &spec).await?;
    let current = source.costs(ctx, &daily).await?;
    let period = match (daily.period, current.span) {
        (Some(r), _) => r.period,
        (None, Some(span)) => span,
        (None, None) => return Err(Error::data(format!("{}: no line items to report", source_label(&spec))).into()),
    };
    let resolved = daily.period.unwrap_or_else(|| {
        crate::query::period::resolve(&crate::query::PeriodSpec::Range(period.start, period.end), period.end)
            .map(|r| r.0)
            .expect("a span in the past")
    });
    let previous_period = resolved.previous();
    let mut by_service = daily.clone();
    by_service.period = Some(resolved.with_period(previous_period));
    by_service.granularity = Granularity::Period;
    let previous = source.costs(ctx, &by_service).await?;
    let currencies: std::collections::BTreeSet<&str> = current.rows.iter().map(|r| r.currency.as_str()).collect();
    if currencies.len() > 1 {
        return Err(Error::data(format!(
            "costs in several currencies ({}): the report shows one",
            currencies.into_iter().collect::<Vec<_>>().join(", ")
        ))
        .into());
    }
    let currency = currencies.into_iter().next().unwrap_or("USD").to_owned();
    let services = report::lines(&current.rows, &previous.rows);
    let total = Money::new(services.iter().map(|l| l.amount.0).sum());
    let previous_total = Money::new(services.iter().map(|l| l.previous.0).sum());
    let mut tables =
        vec![Table { title: "Cost by service".into(), headings: vec!["service".into()], lines: services.clone() }];
    if !extra.is_empty() && extra != [Dimension::Service] {
        let mut q = daily.clone();
        q.dims.clone_from(&extra);
        q.granularity = Granularity::Period;
        q.period = Some(resolved);
        let now = source.costs(ctx, &q).await?;
        q.period = Some(resolved.with_period(previous_period));
        let before = source.costs(ctx, &q).await?;
        tables.push(Table {
            title: format!("Cost by {}", extra.iter().map(ToString::to_string).collect::<Vec<_>>().join(" and ")),
            headings: extra.iter().map(Dimension::field).collect(),
            lines: report::lines(&now.rows, &before.rows),
        });
    }
    let as_of = args::today(&args.period)?;
    let page = Report {
        title: format!("AWS costs, {period}"),
        period,
        previous: previous_period,
        source: current.source.clone(),
        metric: daily.metric.as_str().to_owned(),
        currency: currency.clone(),
        estimated: current.rows.iter().any(|r| r.estimated),
        total,
        previous_total,
        days: period.buckets(Granularity::Daily).into_iter().map(|b| b.start).collect(),
        series: report::daily_series(&current.rows, period),
        movers: report::movers(&services),
        tables,
        as_of,
    };
    let html = report::render(&page);
    std::fs::write(&args.html, html).map_err(|e| Error::cant_create(format!("{}: {e}", args.html.display())))?;
    opskit::error::note(&format!("wrote {}", args.html.display()));
    let mut out = ctx.emitter();
    out.emit(&ReportRecord {
        kind: "report",
        path: args.html.display().to_string(),
        start: period.start,
        end: period.end,
        amount: total,
        currency,
        services: services.len(),
        source: current.source,
    })?;
    out.finish()?;
    Ok(Exit::Success)
}

fn source_label(spec: &source::SourceSpec) -> String {
    match spec {
        source::SourceSpec::Export(location) => match location {
            source::export::Location::Local(p) => p.display().to_string(),
            source::export::Location::S3(u) => u.to_string(),
        },
        source::SourceSpec::CostExplorer { .. } => "Cost Explorer".into(),
        source::SourceSpec::Athena { database, table, .. } => format!("{database}.{table}"),
    }
}
