//! Parquet exports: only the columns the query reads (not the date column, nor a dimension's
//! fallback column, of a row group whose statistics already answer for them), row groups shared
//! among threads, each reading its own batches into its own [`Tally`]. Costs may be doubles (as
//! AWS writes them: each is taken as the shortest decimal that reads back as it), decimals or
//! text; days may be timestamps, dates or text; tags a map or JSON text.
//!
//! A batch whose grouping columns are dictionary-encoded (as exports are) goes the fast way,
//! [`Keyed`]: groups by dictionary ids, ten-decimal costs summed as integers. Any other batch,
//! and any line item the fast way cannot take, goes row by row through the [`Tally`].

use std::borrow::Cow;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
};
use arrow_array::{Array, ArrayRef, MapArray, RecordBatch, UInt64Array};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use opskit::Error;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::statistics::StatisticsConverter;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use rustc_hash::FxHashMap;

use super::csv::Scanned;
use super::detect::{CostExpr, Plan, Shape, Source};
use super::tally::{Filter, Row, Sums, Tally, json_get, widen};
use crate::money::{Amount, AmountError, TenDecimalSum, ten_decimals};
use crate::query::{Charge, CostQuery, Date};

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
        ArrowReaderOptions::new().with_schema(Arc::new(hinted)),
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
    let days = known_days(&metadata, &plan, &filter);
    let reads = slots_read(&metadata, &plan, &days);
    tracing::debug!(
        "{file}: {} of {groups} row groups read their days from their statistics, not their date column",
        days.iter().flatten().count()
    );
    tracing::debug!(
        "{file}: {} of {groups} row groups read no fallback column of a dimension: their statistics show the first always has a value",
        reads
            .iter()
            .filter(|read| plan.dims.iter().flatten().any(|s| matches!(s, Source::Column(c) if !read[*c])))
            .count()
    );
    let reading = Reading {
        metadata: &metadata,
        plan: &plan,
        filter: &filter,
        first_rows: &first_rows,
        days: &days,
        reads: &reads,
    };
    let workers = workers.clamp(1, groups.max(1));
    let results: Vec<Result<(Tally, u64), Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let mine: Vec<usize> = (w..groups).step_by(workers).collect();
                let reading = &reading;
                s.spawn(move || {
                    // Groups of up to two dimensions are keyed by one integer.
                    if reading.plan.dims.len() <= 2 {
                        read_row_groups::<u128>(&open, reading, &mine, file)
                    } else {
                        read_row_groups::<Wide>(&open, reading, &mine, file)
                    }
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

/// What every thread reads by: the file's metadata, the plan, and what is known of each row group.
struct Reading<'a> {
    metadata: &'a ArrowReaderMetadata,
    plan: &'a Plan,
    filter: &'a Filter,
    /// The number of each row group's first row.
    first_rows: &'a [u64],
    /// Per row group, the first and last day of its line items when its statistics make reading
    /// the date column needless (see [`known_days`]).
    days: &'a [Option<(Date, Date)>],
    /// Per row group, whether each slot is read (see [`slots_read`]).
    reads: &'a [Vec<bool>],
}

/// Per row group, the first and last day of its line items, where its statistics show that
/// reading its date column would change nothing: every line item has a day, all of them lie in
/// the query's period and in one bucket, and every line item counts (no `--exclude`, no
/// environment filter), so the days seen and counted are the statistics' minimum and maximum.
/// Such a row group is read without its date column; any other (no statistics, nulls, days
/// across a bucket's edge, text dates) is read whole.
fn known_days(metadata: &ArrowReaderMetadata, plan: &Plan, filter: &Filter) -> Vec<Option<(Date, Date)>> {
    let groups = metadata.metadata().row_groups();
    let unknown = || vec![None; groups.len()];
    if filter.exclude.iter().any(|e| *e) || filter.envs.is_some() {
        return unknown();
    }
    let Some(Statistics { mins, maxes, nulls }) = statistics(metadata, &plan.names[plan.date]) else {
        return unknown();
    };
    // Typed days only: text dates' statistics order text, not days.
    let (Ok(Column::Days(mins)), Ok(Column::Days(maxes))) = (Column::new(&mins), Column::new(&maxes)) else {
        return unknown();
    };
    (0..groups.len())
        .map(|g| {
            let (first, last) = (Date::from_days(mins[g]?), Date::from_days(maxes[g]?));
            let in_period = filter.period.is_none_or(|p| p.contains(first) && p.contains(last));
            let no_nulls = nulls.is_valid(g) && nulls.value(g) == 0;
            (no_nulls && in_period && first <= last && filter.bucket_key(first) == filter.bucket_key(last))
                .then_some((first, last))
        })
        .collect()
}

/// Per row group, whether each slot is read: all of them, except the date column where its
/// days are known (see [`known_days`]), and the fallbacks of a dimension (`lineItem/ProductCode`
/// behind `product/ProductName`) where the statistics show the first column has a non-empty
/// value on every line item (no nulls; the least value is not empty), so no fallback is asked.
fn slots_read(metadata: &ArrowReaderMetadata, plan: &Plan, days: &[Option<(Date, Date)>]) -> Vec<Vec<bool>> {
    let groups = metadata.metadata().row_groups();
    // Only where the cost is one column: its slots are then all named here.
    let firsts: Vec<Vec<bool>> = plan
        .dims
        .iter()
        .map(|sources| match sources.as_slice() {
            [Source::Column(slot), _, ..] if matches!(plan.cost, CostExpr::Column(_)) => {
                always_has_text(metadata, &plan.names[*slot])
            }
            _ => vec![false; groups.len()],
        })
        .collect();
    (0..groups.len())
        .map(|g| {
            // An amortized cost reads many columns: all of them are read.
            let CostExpr::Column(cost) = plan.cost else {
                let mut read = vec![true; plan.columns.len()];
                read[plan.date] = days[g].is_none();
                return read;
            };
            let mut read = vec![false; plan.columns.len()];
            read[plan.date] = days[g].is_none();
            for slot in plan.currency.into_iter().chain(plan.charge).chain([cost]) {
                read[slot] = true;
            }
            for (d, sources) in plan.dims.iter().enumerate() {
                let wanted = if firsts[d][g] { &sources[..1] } else { &sources[..] };
                for source in wanted {
                    match source {
                        Source::Column(slot) | Source::MapKey { slot, .. } => read[*slot] = true,
                    }
                }
            }
            read
        })
        .collect()
}

/// Per row group, whether its statistics show that the text column `name` has a non-empty
/// value on every line item; `false` wherever they do not say.
fn always_has_text(metadata: &ArrowReaderMetadata, name: &str) -> Vec<bool> {
    let groups = metadata.metadata().row_groups();
    let Some(Statistics { mins, nulls, .. }) = statistics(metadata, name) else {
        return vec![false; groups.len()];
    };
    let Ok(mins @ (Column::Text(_) | Column::Dictionary { .. })) = Column::new(&mins) else {
        return vec![false; groups.len()];
    };
    // Text orders bytewise: a least value that is not empty means none is (a truncated least
    // value is a prefix of it, no less telling).
    let columns = [mins];
    (0..groups.len())
        .map(|g| nulls.is_valid(g) && nulls.value(g) == 0 && ParquetRow { columns: &columns, i: g }.text(0).is_some())
        .collect()
}

/// A column's statistics, one entry per row group (null where a row group has none).
struct Statistics {
    mins: ArrayRef,
    maxes: ArrayRef,
    nulls: UInt64Array,
}

/// The statistics of the column `name`; `None` where the file has none to give. A missing null
/// count stays unknown (parquet-rs writers leave it out), never taken as zero.
fn statistics(metadata: &ArrowReaderMetadata, name: &str) -> Option<Statistics> {
    let groups = metadata.metadata().row_groups();
    let converter = StatisticsConverter::try_new(name, metadata.schema(), metadata.parquet_schema())
        .ok()?
        .with_missing_null_counts_as_zero(false)
        .with_column_orders(metadata.metadata().file_metadata().column_orders().map(Vec::as_slice));
    Some(Statistics {
        mins: converter.row_group_mins(groups).ok()?,
        maxes: converter.row_group_maxes(groups).ok()?,
        nulls: converter.row_group_null_counts(groups).ok()?,
    })
}

/// One thread's share: its row groups, batch by batch, into its own tally.
fn read_row_groups<K: GroupKey>(
    open: &impl Fn() -> Result<File, Error>,
    reading: &Reading<'_>,
    mine: &[usize],
    file: &str,
) -> Result<(Tally, u64), Error> {
    let Reading { metadata, plan, first_rows, days, reads, .. } = *reading;
    let mut tally = Tally::new(plan.dims.len());
    let mut keyed = Keyed::<K>::new(plan);
    let mut rows = 0u64;
    for &group in mine {
        let known = days[group];
        let columns = plan.columns.iter().zip(&reads[group]).filter(|(_, read)| **read).map(|(c, _)| *c);
        let mask = ProjectionMask::roots(metadata.parquet_schema(), columns);
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, metadata.clone())
            .with_projection(mask)
            .with_row_groups(vec![group])
            .with_batch_size(BATCH)
            .build()
            .map_err(|e| Error::data(format!("{file}: {e}")))?;
        let mut row_number = first_rows[group];
        for batch in reader {
            let batch = batch.map_err(|e| Error::data(format!("{file}: row group {group}: {e}")))?;
            tally_batch(&batch, reading, group, &mut tally, &mut keyed, row_number, file)?;
            row_number += batch.num_rows() as u64;
            rows += batch.num_rows() as u64;
        }
        // Every line item of the group was counted, on its first day as far as the tallies
        // know: the days it spans are the statistics'.
        if let Some(range) = known.filter(|_| row_number > first_rows[group]) {
            tally.add_days(Some(range), Some(range));
        }
    }
    keyed.flush(&mut tally);
    Ok((tally, rows))
}

fn tally_batch<K: GroupKey>(
    batch: &RecordBatch,
    reading: &Reading<'_>,
    group: usize,
    tally: &mut Tally,
    keyed: &mut Keyed<K>,
    first_row: u64,
    file: &str,
) -> Result<(), Error> {
    let (plan, filter) = (reading.plan, reading.filter);
    // The projected batch holds the plan's columns in file order; slots follow the plan.
    let columns: Vec<Column<'_>> = plan
        .names
        .iter()
        .enumerate()
        .map(|(slot, name)| {
            if !reading.reads[group][slot] {
                return Ok(match reading.days[group] {
                    Some((first, _)) if slot == plan.date => Column::Day(first),
                    _ => Column::Unread,
                });
            }
            let array = batch.column_by_name(name).expect("projected column");
            Column::new(array)
                .map_err(|kind| Error::data(format!("{file}: column {name} has type {kind}, which costq cannot read")))
        })
        .collect::<Result<_, _>>()?;
    let one_row = |i: usize| {
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
        })
    };
    if Keyed::<K>::takes(&columns, plan, filter) {
        keyed.batch(&columns, plan, filter, batch.num_rows(), one_row)
    } else {
        (0..batch.num_rows()).try_for_each(one_row)
    }
}

/// The fast way through a batch, taken when the grouping reads only dictionary-encoded text (as
/// exports are written) and at most [`MAX_DIMS`] dimensions: each distinct text gets a small id
/// once per dictionary, a line item's group is its bucket and those ids, and a cost with at most
/// ten decimals (as exports write them) is added as one integer. No text is copied or hashed per
/// line item. A line item it cannot take as simply (no day, a cost that does not read as a
/// number) goes to the [`Tally`] on its own, which counts it or names the error, exactly as
/// without this.
struct Keyed<K> {
    /// Text to id, and back; id 0 is no value (null or empty).
    ids: FxHashMap<Box<[u8]>, u32>,
    texts: Vec<Box<[u8]>>,
    /// The charge of each id's text, for the line item type column.
    charges: Vec<Charge>,
    /// Per slot: the last dictionary seen and its values' ids (the batches of a row group
    /// share one dictionary), and this batch's id of each row.
    dictionaries: Vec<Option<(ArrayRef, Vec<u32>)>>,
    rows: Vec<Vec<u32>>,
    /// A group's key to its index in `sums`, and the last row's.
    groups: FxHashMap<K, usize>,
    last: Option<(K, usize)>,
    sums: Vec<GroupSums>,
    seen: Option<(Date, Date)>,
    counted: Option<(Date, Date)>,
    line_items: u64,
    found: Vec<bool>,
    /// The last day's bucket key.
    last_bucket: Option<(Date, i32)>,
}

/// The most dimensions [`Keyed`] groups by (more go row by row).
const MAX_DIMS: usize = 4;

/// A group: its bucket, currency id and one id per dimension (zeros after).
type Parts = [u32; 2 + MAX_DIMS];

/// How [`Keyed`] keys its groups: one integer for up to two dimensions, else the parts.
trait GroupKey: Copy + Eq + std::hash::Hash {
    fn new(parts: &Parts) -> Self;
    fn parts(self) -> Parts;
}

impl GroupKey for u128 {
    fn new(parts: &Parts) -> u128 {
        parts[..4].iter().rev().fold(0, |key, part| key << 32 | u128::from(*part))
    }

    fn parts(self) -> Parts {
        let mut parts = Parts::default();
        for (i, part) in parts[..4].iter_mut().enumerate() {
            *part = u32::try_from(self >> (32 * i) & u128::from(u32::MAX)).expect("32 bits");
        }
        parts
    }
}

type Wide = Parts;

impl GroupKey for Wide {
    fn new(parts: &Parts) -> Parts {
        *parts
    }

    fn parts(self) -> Parts {
        self
    }
}

/// A group's sums: ten-decimal costs as integers, any other exactly.
#[derive(Default)]
struct GroupSums {
    ten: [TenDecimalSum; 4],
    other: Sums,
}

impl<K: GroupKey> Keyed<K> {
    fn new(plan: &Plan) -> Keyed<K> {
        Keyed {
            ids: FxHashMap::default(),
            texts: vec![Box::default()],
            charges: vec![Charge::Usage],
            dictionaries: vec![None; plan.columns.len()],
            rows: vec![Vec::new(); plan.columns.len()],
            groups: FxHashMap::default(),
            last: None,
            sums: Vec::new(),
            seen: None,
            counted: None,
            line_items: 0,
            found: vec![false; plan.dims.len()],
            last_bucket: None,
        }
    }

    /// Whether this batch can go the fast way: a plain cost column, no environment filter, at
    /// most [`MAX_DIMS`] dimensions, and every text slot the grouping reads dictionary-encoded.
    fn takes(columns: &[Column<'_>], plan: &Plan, filter: &Filter) -> bool {
        let dictionary = |slot: usize| matches!(columns[slot], Column::Dictionary { .. });
        matches!(plan.cost, CostExpr::Column(_))
            && filter.envs.is_none()
            && plan.dims.len() <= MAX_DIMS
            && plan.charge.is_none_or(dictionary)
            && plan.currency.is_none_or(dictionary)
            && plan.dims.iter().flatten().all(|source| {
                matches!(source, Source::Column(slot) if dictionary(*slot) || matches!(columns[*slot], Column::Unread))
            })
    }

    fn batch(
        &mut self,
        columns: &[Column<'_>],
        plan: &Plan,
        filter: &Filter,
        rows: usize,
        mut one_row: impl FnMut(usize) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let CostExpr::Column(cost_slot) = plan.cost else { unreachable!("taken only for a cost column") };
        let column_of = |source: &Source| match source {
            Source::Column(slot) => *slot,
            Source::MapKey { .. } => unreachable!("taken only for columns"),
        };
        for slot in plan.charge.into_iter().chain(plan.currency).chain(plan.dims.iter().flatten().map(column_of)) {
            self.row_ids(slot, &columns[slot], plan.shape);
        }
        let (days, known_day) = match &columns[plan.date] {
            Column::Days(days) => (Some(days.as_slice()), None),
            Column::Day(day) => (None, Some(*day)),
            _ => (None, None),
        };
        let doubles = match &columns[cost_slot] {
            Column::F64(a) => Some((a.values().as_ref(), a.nulls())),
            _ => None,
        };
        let rows_of = |slot: Option<usize>| slot.map(|slot| self.rows[slot].as_slice());
        let (charges, currencies) = (rows_of(plan.charge), rows_of(plan.currency));
        let dims: Vec<Vec<&[u32]>> = plan
            .dims
            .iter()
            .map(|sources| {
                sources
                    .iter()
                    .map(column_of)
                    .filter(|slot| !matches!(columns[*slot], Column::Unread))
                    .map(|slot| self.rows[slot].as_slice())
                    .collect()
            })
            .collect();
        for i in 0..rows {
            let day = match (days, known_day) {
                (Some(days), _) => days[i].map(Date::from_days),
                (None, Some(day)) => Some(day),
                (None, None) => ParquetRow { columns, i }.day(plan.date).ok().flatten(),
            };
            let cost = match doubles {
                Some((_, Some(nulls))) if nulls.is_null(i) => Cost::None,
                Some((values, _)) => match ten_decimals(values[i]) {
                    Some(mantissa) => Cost::Ten(mantissa),
                    None => Amount::from_f64(values[i]).map_or(Cost::Unreadable, Cost::Exact),
                },
                None => ParquetRow { columns, i }
                    .amount(cost_slot)
                    .map_or(Cost::Unreadable, |a| a.map_or(Cost::None, Cost::Exact)),
            };
            // No day, or a cost that reads as no number: the tally counts the row or names it.
            let Some(day) = day.filter(|_| !matches!(cost, Cost::Unreadable)) else {
                one_row(i)?;
                continue;
            };
            self.seen = Some(widen(self.seen, day, day));
            if let Some(period) = filter.period
                && !period.contains(day)
            {
                continue;
            }
            self.line_items += 1;
            let charge = charges.map_or(Charge::Usage, |ids| self.charges[ids[i] as usize]);
            if filter.exclude[charge as usize] {
                continue;
            }
            let bucket = match self.last_bucket {
                Some((last, bucket)) if last == day => bucket,
                _ => {
                    let bucket = filter.bucket_key(day);
                    self.last_bucket = Some((day, bucket));
                    bucket
                }
            };
            let mut parts = Parts::default();
            parts[0] = u32::from_ne_bytes(bucket.to_ne_bytes());
            parts[1] = currencies.map_or(0, |ids| ids[i]);
            for (d, sources) in dims.iter().enumerate() {
                let id = sources.iter().map(|ids| ids[i]).find(|id| *id != 0).unwrap_or(0);
                self.found[d] |= id != 0;
                parts[2 + d] = id;
            }
            self.counted = Some(widen(self.counted, day, day));
            let key = K::new(&parts);
            let group = match self.last {
                Some((last, group)) if last == key => group,
                _ => {
                    let next = self.sums.len();
                    let group = *self.groups.entry(key).or_insert(next);
                    if group == next {
                        self.sums.push(GroupSums::default());
                    }
                    self.last = Some((key, group));
                    group
                }
            };
            match cost {
                Cost::Ten(mantissa) => self.sums[group].ten[charge as usize].add(mantissa),
                Cost::Exact(amount) => self.sums[group].other[charge as usize].add(amount),
                Cost::None | Cost::Unreadable => {}
            }
        }
        Ok(())
    }

    /// This batch's id of each row of a dictionary column, in `self.rows[slot]`.
    fn row_ids(&mut self, slot: usize, column: &Column<'_>, shape: Shape) {
        let Column::Dictionary { keys, nulls, values, dictionary } = column else { return };
        if !matches!(&self.dictionaries[slot], Some((last, _)) if Arc::ptr_eq(last, dictionary)) {
            let ids = (0..dictionary.len())
                .map(|k| match values.get(k).filter(|t| !t.is_empty()) {
                    None => 0,
                    Some(text) => self.intern(text, shape),
                })
                .collect();
            self.dictionaries[slot] = Some((Arc::clone(dictionary), ids));
        }
        let Some((_, ids)) = &self.dictionaries[slot] else { unreachable!("just set") };
        let out = &mut self.rows[slot];
        out.clear();
        // A null row's key may be anything: looked up without trust, and zeroed.
        let id = |key: usize| ids.get(key).copied().unwrap_or(0);
        match keys {
            Keys::I32(keys) => out.extend(keys.iter().map(|k| id(usize::try_from(*k).unwrap_or(usize::MAX)))),
            Keys::Normalized(keys) => out.extend(keys.iter().map(|k| id(*k))),
        }
        if let Some(nulls) = nulls {
            for (i, out) in out.iter_mut().enumerate() {
                *out *= u32::from(nulls.is_valid(i));
            }
        }
    }

    fn intern(&mut self, text: &[u8], shape: Shape) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = u32::try_from(self.texts.len()).expect("fewer than 4 billion distinct texts");
        self.ids.insert(text.into(), id);
        self.texts.push(text.into());
        self.charges.push(shape.charge(Some(text)));
        id
    }

    /// Hand the groups counted to the tally, by their texts.
    fn flush(self, tally: &mut Tally) {
        let text = |id: &u32| &*self.texts[*id as usize];
        for (key, group) in &self.groups {
            let (key, group) = (key.parts(), &self.sums[*group]);
            let mut sums = group.other;
            for (sum, ten) in sums.iter_mut().zip(&group.ten) {
                sum.add(ten.amount());
            }
            let bucket = i32::from_ne_bytes(key[0].to_ne_bytes());
            tally.add_sums(bucket, text(&key[1]), key[2..2 + self.found.len()].iter().map(text), &sums);
        }
        tally.line_items += self.line_items;
        for (a, b) in tally.found.iter_mut().zip(self.found) {
            *a |= b;
        }
        tally.add_days(self.seen, self.counted);
    }
}

/// A line item's cost, as the fast way reads it.
enum Cost {
    None,
    Ten(i64),
    Exact(Amount),
    Unreadable,
}

/// One column of a batch, by what it holds.
enum Column<'a> {
    Text(Texts<'a>),
    /// Dictionary-encoded text: keys into the values.
    Dictionary {
        keys: Keys<'a>,
        nulls: Option<&'a NullBuffer>,
        values: Texts<'a>,
        dictionary: &'a ArrayRef,
    },
    F64(&'a arrow_array::Float64Array),
    F32(&'a arrow_array::Float32Array),
    Decimal(&'a arrow_array::Decimal128Array, u32),
    I64(&'a arrow_array::Int64Array),
    I32(&'a arrow_array::Int32Array),
    /// Days since the epoch, from a timestamp or date column.
    Days(Vec<Option<i32>>),
    /// A date column left unread: every row's day counts as this one (see [`known_days`]).
    Day(Date),
    /// A fallback column left unread: never asked (see [`slots_read`]).
    Unread,
    Map(&'a MapArray, Texts<'a>, Texts<'a>),
}

/// A dictionary column's keys: Int32 as read (what costq asks for), others normalized.
enum Keys<'a> {
    I32(&'a [i32]),
    Normalized(Vec<usize>),
}

impl Keys<'_> {
    /// The key of a row that is not null.
    #[inline]
    fn get(&self, i: usize) -> usize {
        match self {
            Keys::I32(keys) => usize::try_from(keys[i]).unwrap_or(usize::MAX),
            Keys::Normalized(keys) => keys[i],
        }
    }
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

/// Days since the epoch of each value, `PER_DAY` units a day (a constant: no division per row).
fn days_of<T: arrow_array::ArrowPrimitiveType, const PER_DAY: i64>(array: &dyn Array) -> Vec<Option<i32>>
where
    T::Native: Into<i64>,
{
    let a = array.as_primitive::<T>();
    let nulls = a.nulls();
    // Line items come in time order, many to a timestamp: the last one's day is reused.
    let mut last: Option<(i64, i32)> = None;
    a.values()
        .iter()
        .enumerate()
        .map(|(i, value)| {
            if nulls.is_some_and(|n| n.is_null(i)) {
                return None;
            }
            let value: i64 = (*value).into();
            Some(match last {
                Some((v, day)) if v == value => day,
                _ => {
                    let day = i32::try_from(value.div_euclid(PER_DAY)).unwrap_or(i32::MAX);
                    last = Some((value, day));
                    day
                }
            })
        })
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
                let keys = match a.as_dictionary_opt::<Int32Type>() {
                    // The keys asked for: read where they are.
                    Some(d) if !dict.values().is_empty() => Keys::I32(d.keys().values()),
                    _ if dict.values().is_empty() => Keys::Normalized(vec![0; a.len()]),
                    _ => Keys::Normalized(dict.normalized_keys()),
                };
                Column::Dictionary { keys, nulls: a.nulls(), values, dictionary: dict.values() }
            }
            DataType::Float64 => Column::F64(a.as_primitive::<Float64Type>()),
            DataType::Float32 => Column::F32(a.as_primitive::<Float32Type>()),
            DataType::Decimal128(_, scale) => Column::Decimal(
                a.as_primitive::<Decimal128Type>(),
                u32::try_from(*scale).map_err(|_| "a decimal of negative scale")?,
            ),
            DataType::Int64 => Column::I64(a.as_primitive::<Int64Type>()),
            DataType::Int32 => Column::I32(a.as_primitive::<Int32Type>()),
            DataType::Date32 => Column::Days(days_of::<Date32Type, 1>(a)),
            DataType::Date64 => Column::Days(days_of::<Date64Type, 86_400_000>(a)),
            DataType::Timestamp(unit, _) => Column::Days(match unit {
                TimeUnit::Second => days_of::<TimestampSecondType, 86_400>(a),
                TimeUnit::Millisecond => days_of::<TimestampMillisecondType, 86_400_000>(a),
                TimeUnit::Microsecond => days_of::<TimestampMicrosecondType, 86_400_000_000>(a),
                TimeUnit::Nanosecond => days_of::<TimestampNanosecondType, 86_400_000_000_000>(a),
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
            Column::Dictionary { keys, nulls, values, .. } => {
                if nulls.is_some_and(|n| n.is_null(self.i)) {
                    None
                } else {
                    values.get(keys.get(self.i))
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
            Column::Days(_) | Column::Day(_) | Column::Unread | Column::Map(..) => Err(AmountError::NotANumber),
        }
    }

    fn day(&self, slot: usize) -> Result<Option<Date>, ()> {
        match &self.columns[slot] {
            Column::Days(days) => Ok(days[self.i].map(Date::from_days)),
            Column::Day(day) => Ok(Some(*day)),
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
