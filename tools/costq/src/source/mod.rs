//! Where costs come from: one backend per file — Cost Explorer ([`ce`]), the billing export
//! files ([`export`]), Athena ([`athena`]) — behind one [`Source`] the commands ask.

pub mod athena;
pub mod cache;
pub mod ce;
pub mod export;

use opskit::{Context, Error};
use serde::Deserialize;

use self::export::Location;
use crate::query::{CostQuery, Costs, Date};

/// `[costq]` in opskit.toml.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The default `--source`: `ce`, `athena`, a file, a directory, or `s3://bucket/prefix`.
    pub source: Option<String>,
    /// Athena: the database and table of the export, the workgroup, and where Athena writes
    /// results (when the workgroup does not say).
    pub database: Option<String>,
    pub table: Option<String>,
    pub workgroup: Option<String>,
    pub output_location: Option<String>,
}

/// A source named by `--source` (or the config), validated.
#[derive(Clone, Debug)]
pub enum SourceSpec {
    CostExplorer {
        cache: bool,
    },
    Athena {
        database: String,
        table: String,
        workgroup: Option<String>,
        output_location: Option<String>,
        print_sql: bool,
    },
    Export(Location),
}

impl SourceSpec {
    pub fn is_export(&self) -> bool {
        matches!(self, SourceSpec::Export(_))
    }

    pub fn is_ce(&self) -> bool {
        matches!(self, SourceSpec::CostExplorer { .. })
    }
}

/// An open source.
pub enum Source {
    CostExplorer(ce::CostExplorer),
    Athena(athena::Athena),
    Export(export::Exports),
}

impl Source {
    pub async fn open(ctx: &Context, spec: &SourceSpec) -> Result<Source, Error> {
        Ok(match spec {
            SourceSpec::CostExplorer { cache } => Source::CostExplorer(ce::CostExplorer::new(ctx, *cache).await?),
            SourceSpec::Athena { database, table, workgroup, output_location, .. } => Source::Athena(
                athena::Athena::new(ctx, database.clone(), table.clone(), workgroup.clone(), output_location.clone())
                    .await?,
            ),
            SourceSpec::Export(location) => Source::Export(export::Exports::new(location.clone())),
        })
    }

    pub async fn costs(&self, ctx: &Context, query: &CostQuery) -> Result<Costs, Error> {
        match self {
            Source::CostExplorer(ce) => ce.costs(query).await,
            Source::Athena(athena) => athena.costs(query).await,
            Source::Export(exports) => exports.costs(ctx, query).await,
        }
    }

    /// The forecast to the end of `today`'s month; only Cost Explorer forecasts.
    pub async fn forecast(&self, query: &CostQuery, today: Date) -> Result<ce::Forecast, Error> {
        match self {
            Source::CostExplorer(ce) => ce.forecast(query, today).await,
            _ => Err(Error::usage(
                "--forecast needs Cost Explorer (--source ce): export files and Athena hold no forecast",
            )),
        }
    }
}

/// What a run would do, for `--dry-run`, said before anything is asked: `requests` Cost
/// Explorer requests per question, `questions` questions.
pub fn dry_run_note(spec: &SourceSpec, query: &CostQuery, questions: u32, forecasts: u32) -> Result<String, Error> {
    Ok(match spec {
        SourceSpec::CostExplorer { cache } => {
            let (per_question, more) = ce::CostExplorer::plan(query)?;
            let requests = per_question * questions + forecasts;
            let cached = if *cache { "; closed periods may come from the cache instead" } else { "" };
            format!(
                "would make at least {requests} Cost Explorer request{} ({}){more}, more if answers span pages{cached}",
                if requests == 1 { "" } else { "s" },
                ce::dollars(requests)
            )
        }
        SourceSpec::Athena { database, table, .. } => {
            format!(
                "would run {} Athena quer{} on {database}.{table} (--print-sql shows them)",
                questions + 1,
                if questions == 0 { "y" } else { "ies" }
            )
        }
        SourceSpec::Export(location) => {
            let place = match location {
                Location::Local(p) => p.display().to_string(),
                Location::S3(u) => u.to_string(),
            };
            format!("would read the export files in {place} (no API charges)")
        }
    })
}
