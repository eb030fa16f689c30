//! Parquet exports: only the columns the query reads, row groups shared among threads, each
//! reading its own batches into its own [`Tally`]. Costs may be doubles (as AWS writes them:
//! each is taken as the shortest decimal that reads back as it), decimals or text; days may be
//! timestamps, dates or text; tags a map or JSON text.

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, MapArray, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use opskit::Error;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};

use super::csv::Scanned;
use super::detect::{Plan, Shape};
use super::tally::{Filter, Row, Tally, json_get};
use crate::money::{Amount, AmountError};
use crate::query::{CostQuery, Date};

const BATCH: usize = 16 * 1024;

/// Read and tally a whole Parquet export at `path` (named `file` in messages).
pub fn scan(path: &Path, file: &str, query: &CostQuery, workers: usize) -> Result<Scanned, Error> {
    let open = || File::open(path).map_err(|e| Error::not_found(format!("{file}: {e}")));
    let metadata = ArrowReaderMetadata::load(&open()?, ArrowReaderOptions::default())
        .map_err(|e| Error::data(format!("{file}: not a readable Parquet file: {e}")))?;
    let names: Vec<String> = metadata.schema().fields().iter().map(|f| f.name().clone()).collect();
    // Text read as dictionaries: dictionary-encoded pages stay keys into their values, never a
    // string per row.
    let hinted = arrow_schema::Schema::new(
        metadata
            .schema()
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Utf8 => f
                    .as_ref()
                    .clone()
                    .with_data_type(DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))),
                _ => f.as_ref().clone(),
            })
            .collect::<Vec<_>>(),
    );
    let metadata = ArrowReaderMetadata::try_new(
        metadata.metadata().clone(),
        ArrowReaderOptions::new().with_schema(std::sync::Arc::new(hinted)),
    )
    .map_err(|e| Error::data(format!("{file}: {e}")))?;
    let shape = Shape::detect(&names).ok_or_else(|| {
        Error::data(format!(
            "{file}: no known export shape: the schema has none of lineItem/UnblendedCost (legacy CUR), line_item_unblended_cost (CUR 2.0), BilledCost (FOCUS 1.0)"
        ))
    })?;
    let plan = Plan::new(shape, &names, query)
        .map_err(|e| Error::new(e.exit(), format!("{file}: {}", e.to_string().trim_start_matches("line 1: "))))?;
    let filter = Filter::new(query);
    let groups = metadata.metadata().num_row_groups();
    let first_rows: Vec<u64> = (0..groups)
        .scan(0u64, |acc, g| {
            let first = *acc;
            *acc += u64::try_from(metadata.metadata().row_group(g).num_rows()).unwrap_or(0);
            Some(first)
        })
        .collect();
    let workers = workers.clamp(1, groups.max(1));
    let results: Vec<Result<(Tally, u64), Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<usize> = (w..groups).step_by(workers).collect();
                let (metadata, plan, filter, first_rows) = (&metadata, &plan, &filter, &first_rows);
                s.spawn(move || -> Result<(Tally, u64), Error> {
                    let mut tally = Tally::new(plan.dims.len());
                    let mut rows = 0u64;
                    for group in mine {
                        let mask = ProjectionMask::roots(metadata.parquet_schema(), plan.columns.iter().copied());
                        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, metadata.clone())
                            .with_projection(mask)
                            .with_row_groups(vec![group])
                            .with_batch_size(BATCH)
                            .build()
                            .map_err(|e| Error::data(format!("{file}: {e}")))?;
                        let mut row_number = first_rows[group];
                        for batch in reader {
                            let batch = batch.map_err(|e| Error::data(format!("{file}: row group {group}: {e}")))?;
                            tally_batch(&batch, plan, filter, &mut tally, row_number, file)?;
                            row_number += batch.num_rows() as u64;
                            rows += batch.num_rows() as u64;
                        }
                    }
                    Ok((tally, rows))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a Parquet thread panicked")).collect()
    });
    let mut tally = Tally::new(plan.dims.len());
    let mut lines = 0;
    for result in results {
        let (t, rows) = result?;
        tally.merge(t);
        lines += rows;
    }
    Ok(Scanned { shape, tally, plan, lines })
}

fn tally_batch(
    batch: &RecordBatch,
    plan: &Plan,
    filter: &Filter,
    tally: &mut Tally,
    first_row: u64,
    file: &str,
) -> Result<(), Error> {
    // The projected batch holds the plan's columns in file order; slots follow the plan.
    let columns: Vec<Column<'_>> = plan
        .names
        .iter()
        .map(|name| {
            let array = batch.column_by_name(name).expect("projected column");
            Column::new(array)
                .map_err(|kind| Error::data(format!("{file}: column {name} has type {kind}, which costq cannot read")))
        })
        .collect::<Result<_, _>>()?;
    for i in 0..batch.num_rows() {
        let row = ParquetRow { columns: &columns, i };
        tally.add(&row, plan, filter).map_err(|e| {
            let place = match e.slot {
                Some(slot) => format!(
                    "row {}, column {} ({})",
                    first_row + i as u64 + 1,
                    plan.columns[slot] + 1,
                    plan.names[slot]
                ),
                None => format!("row {}", first_row + i as u64 + 1),
            };
            Error::data(format!("{file}: {place}: {}", e.message))
        })?;
    }
    Ok(())
}

/// One column of a batch, by what it holds.
enum Column<'a> {
    Text(Texts<'a>),
    /// Dictionary-encoded text: keys into the values.
    Dictionary {
        keys: Vec<usize>,
        nulls: &'a dyn Array,
        values: Texts<'a>,
    },
    F64(&'a arrow_array::Float64Array),
    F32(&'a arrow_array::Float32Array),
    Decimal(&'a arrow_array::Decimal128Array, u32),
    I64(&'a arrow_array::Int64Array),
    I32(&'a arrow_array::Int32Array),
    /// Days since the epoch, from a timestamp or date column.
    Days(Vec<Option<i32>>),
    Map(&'a MapArray, Texts<'a>, Texts<'a>),
}

enum Texts<'a> {
    Utf8(&'a arrow_array::StringArray),
    Large(&'a arrow_array::LargeStringArray),
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Texts<'a> {
    fn new(array: &'a dyn Array) -> Option<Texts<'a>> {
        if let Some(a) = array.as_string_opt::<i32>() {
            Some(Texts::Utf8(a))
        } else if let Some(a) = array.as_string_opt::<i64>() {
            Some(Texts::Large(a))
        } else {
            array.as_string_view_opt().map(Texts::View)
        }
    }

    fn get(&self, i: usize) -> Option<&'a [u8]> {
        let (null, bytes) = match self {
            Texts::Utf8(a) => (a.is_null(i), a.value(i).as_bytes()),
            Texts::Large(a) => (a.is_null(i), a.value(i).as_bytes()),
            Texts::View(a) => (a.is_null(i), a.value(i).as_bytes()),
        };
        (!null).then_some(bytes)
    }
}

fn days_of<T: arrow_array::ArrowPrimitiveType>(array: &dyn Array, per_day: i64) -> Vec<Option<i32>>
where
    T::Native: Into<i64>,
{
    let a = array.as_primitive::<T>();
    (0..a.len())
        .map(|i| (!a.is_null(i)).then(|| i32::try_from(a.value(i).into().div_euclid(per_day)).unwrap_or(i32::MAX)))
        .collect()
}

impl<'a> Column<'a> {
    fn new(array: &'a ArrayRef) -> Result<Column<'a>, String> {
        let a: &dyn Array = array.as_ref();
        Ok(match a.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Column::Text(Texts::new(a).ok_or("text")?),
            DataType::Dictionary(_, value)
                if matches!(**value, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) =>
            {
                let dict = a.as_any_dictionary_opt().ok_or("dictionary")?;
                let values = Texts::new(dict.values().as_ref()).ok_or("dictionary")?;
                let keys = if dict.values().is_empty() { vec![0; a.len()] } else { dict.normalized_keys() };
                Column::Dictionary { keys, nulls: a, values }
            }
            DataType::Float64 => Column::F64(a.as_primitive::<Float64Type>()),
            DataType::Float32 => Column::F32(a.as_primitive::<Float32Type>()),
            DataType::Decimal128(_, scale) => Column::Decimal(
                a.as_primitive::<Decimal128Type>(),
                u32::try_from(*scale).map_err(|_| "a decimal of negative scale")?,
            ),
            DataType::Int64 => Column::I64(a.as_primitive::<Int64Type>()),
            DataType::Int32 => Column::I32(a.as_primitive::<Int32Type>()),
            DataType::Date32 => Column::Days(days_of::<Date32Type>(a, 1)),
            DataType::Date64 => Column::Days(days_of::<Date64Type>(a, 86_400_000)),
            DataType::Timestamp(unit, _) => Column::Days(match unit {
                TimeUnit::Second => days_of::<TimestampSecondType>(a, 86_400),
                TimeUnit::Millisecond => days_of::<TimestampMillisecondType>(a, 86_400_000),
                TimeUnit::Microsecond => days_of::<TimestampMicrosecondType>(a, 86_400_000_000),
                TimeUnit::Nanosecond => days_of::<TimestampNanosecondType>(a, 86_400_000_000_000),
            }),
            DataType::Map(..) => {
                let map = a.as_map_opt().ok_or("map")?;
                let keys = Texts::new(map.keys().as_ref()).ok_or("a map without text keys")?;
                let values = Texts::new(map.values().as_ref()).ok_or("a map without text values")?;
                Column::Map(map, keys, values)
            }
            other => return Err(other.to_string()),
        })
    }
}

struct ParquetRow<'a> {
    columns: &'a [Column<'a>],
    i: usize,
}

impl Row for ParquetRow<'_> {
    fn text(&self, slot: usize) -> Option<&[u8]> {
        let text = match &self.columns[slot] {
            Column::Text(t) => t.get(self.i),
            Column::Dictionary { keys, nulls, values } => {
                if nulls.is_null(self.i) {
                    None
                } else {
                    values.get(keys[self.i])
                }
            }
            _ => None,
        };
        text.filter(|t| !t.is_empty())
    }

    fn amount(&self, slot: usize) -> Result<Option<Amount>, AmountError> {
        let i = self.i;
        match &self.columns[slot] {
            Column::F64(a) => {
                if a.is_null(i) {
                    Ok(None)
                } else {
                    Amount::from_f64(a.value(i)).map(Some)
                }
            }
            Column::F32(a) => {
                if a.is_null(i) {
                    Ok(None)
                } else {
                    Amount::from_f64(f64::from(a.value(i))).map(Some)
                }
            }
            Column::Decimal(a, scale) => Ok((!a.is_null(i)).then(|| Amount::from_i128_scale(a.value(i), *scale))),
            Column::I64(a) => Ok((!a.is_null(i)).then(|| Amount::from_i128_scale(i128::from(a.value(i)), 0))),
            Column::I32(a) => Ok((!a.is_null(i)).then(|| Amount::from_i128_scale(i128::from(a.value(i)), 0))),
            Column::Text(_) | Column::Dictionary { .. } => self.text(slot).map_or(Ok(None), Amount::parse),
            Column::Days(_) | Column::Map(..) => Err(AmountError::NotANumber),
        }
    }

    fn day(&self, slot: usize) -> Result<Option<Date>, ()> {
        match &self.columns[slot] {
            Column::Days(days) => Ok(days[self.i].map(Date::from_days)),
            Column::Text(_) | Column::Dictionary { .. } => {
                self.text(slot).map_or(Ok(None), |t| Date::parse_bytes(t.trim_ascii()).map(Some).ok_or(()))
            }
            _ => Err(()),
        }
    }

    fn map_get(&self, slot: usize, wanted: &[String]) -> Result<Option<Cow<'_, [u8]>>, String> {
        match &self.columns[slot] {
            Column::Map(map, keys, values) => {
                if map.is_null(self.i) {
                    return Ok(None);
                }
                let offsets = map.value_offsets();
                let bound = |o: i32| usize::try_from(o).unwrap_or(0);
                let (start, end) = (bound(offsets[self.i]), bound(offsets[self.i + 1]));
                let mut best: Option<(usize, &[u8])> = None;
                for entry in start..end {
                    let Some(key) = keys.get(entry) else { continue };
                    if let Some(rank) = wanted.iter().position(|w| w.as_bytes() == key)
                        && best.is_none_or(|(r, _)| rank < r)
                        && let Some(value) = values.get(entry)
                    {
                        best = Some((rank, value));
                    }
                }
                Ok(best.map(|(_, v)| Cow::Borrowed(v)))
            }
            _ => self.text(slot).map_or(Ok(None), |t| json_get(t, wanted)),
        }
    }
}
