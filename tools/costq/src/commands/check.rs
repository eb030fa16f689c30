//! `costq check --budget N`: a budget gate for cron and CI — exit 1 when the spend (or, with
//! `--forecast`, the month's projected total) exceeds the budget; the record is printed either way.

use clap::Args;
use opskit::output::Layout;
use opskit::{Context, Error, Exit};
use rust_decimal::Decimal;

use crate::answer::{Shaping, assemble};
use crate::args::{self, MoneyArgs, PeriodArgs, SourceArgs};
use crate::commands::query::check_forecast;
use crate::money::Money;
use crate::record::BudgetRecord;
use crate::source::{self, Source};

#[derive(Args, Clone, Debug)]
pub struct CheckArgs {
    /// The budget, in the costs' currency (5000, 1234.56)
    #[arg(long, value_name = "AMOUNT", value_parser = parse_budget)]
    pub budget: Decimal,
    /// Check the month's projected total (spend so far plus Cost Explorer's forecast) instead
    #[arg(long)]
    pub forecast: bool,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub money: MoneyArgs,
    #[command(flatten)]
    pub source: SourceArgs,
}

fn parse_budget(text: &str) -> Result<Decimal, String> {
    let amount = crate::money::Amount::parse(text.as_bytes())
        .ok()
        .flatten()
        .and_then(crate::money::Amount::to_decimal)
        .ok_or_else(|| format!("--budget `{text}` is not an amount (5000, 1234.56)"))?;
    if amount.is_sign_negative() {
        return Err(format!("--budget `{text}` is negative"));
    }
    Ok(amount)
}

pub async fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<Exit> {
    let settings = args::settings(ctx)?;
    let spec = args.source.spec(&settings)?;
    let query = args::cost_query(&args.period, &args.money, Vec::new(), false, &spec)?;
    if args.forecast {
        check_forecast(&spec, &query)?;
    }
    if ctx.dry_run {
        opskit::error::note(&source::dry_run_note(&spec, &query, 1, u32::from(args.forecast))?);
        return Ok(Exit::Success);
    }
    let source = Source::open(ctx, &spec).await?;
    let costs = source.costs(ctx, &query).await?;
    let source_name = costs.source.clone();
    let estimated = costs.rows.iter().any(|r| r.estimated);
    let answer = assemble(&query, costs, None, Shaping::default())?;
    if answer.totals.len() > 1 {
        let currencies: Vec<&str> = answer.totals.iter().map(|(c, _, _)| c.as_str()).collect();
        return Err(Error::data(format!(
            "costs in several currencies ({}): one budget cannot hold them",
            currencies.join(", ")
        ))
        .into());
    }
    let (currency, spend) =
        answer.totals.first().map_or_else(|| ("USD".to_owned(), Money::ZERO), |(c, a, _)| (c.clone(), a.total()));
    let forecast = if args.forecast { Some(source.forecast(&query, args::today(&args.period)?).await?) } else { None };
    let forecast_amount = forecast.as_ref().map(|f| Money::new(f.mean));
    let projected = forecast_amount.map(|f| spend.checked_add(f).unwrap_or(f));
    let checked = projected.unwrap_or(spend);
    let budget = Money::new(args.budget);
    let exceeded = checked.0 > budget.0;
    let (start, end) = query.period.map_or_else(
        || {
            answer
                .records
                .first()
                .map_or((crate::query::Date::today(), crate::query::Date::today()), |r| (r.start, r.end))
        },
        |r| (r.period.start, r.period.end),
    );
    let record = BudgetRecord {
        kind: "budget",
        start,
        end,
        amount: spend,
        budget,
        checked: if projected.is_some() { "projected" } else { "amount" },
        forecast: forecast_amount,
        projected,
        remaining: budget.checked_sub(checked).unwrap_or_default(),
        exceeded,
        currency,
        metric: query.metric.as_str(),
        estimated,
        source: source_name,
    };
    let mut out = ctx.emitter().layout(Layout::Detail);
    if ctx.format == opskit::output::Format::Table {
        // A table rounds money to cents; the other formats keep every digit.
        let mut shown = record.clone();
        for m in [&mut shown.amount, &mut shown.budget, &mut shown.remaining] {
            *m = m.round_cents();
        }
        for m in [&mut shown.forecast, &mut shown.projected] {
            *m = m.map(Money::round_cents);
        }
        out.emit(&shown)?;
    } else {
        out.emit(&record)?;
    }
    out.finish()?;
    if exceeded {
        opskit::error::note(&format!(
            "over budget: {} {} against {} {}",
            checked.cents(),
            record.currency,
            budget.cents(),
            record.currency
        ));
        return Ok(Exit::No);
    }
    Ok(Exit::Success)
}
