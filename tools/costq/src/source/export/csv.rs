//! CSV exports (plain or gzip), streamed and parsed in parallel with flat memory.
//!
//! One thread reads (and decompresses) the file into chunks of whole records — a chunk ends at
//! the last newline outside quotes, told by counting quotes, since every chunk starts at a record
//! boundary — and worker threads parse chunks into their own [`Tally`]. Buffers are recycled, so
//! memory holds a few chunks however large the file. A record without quotes (nearly all) is
//! split at its commas eight bytes at a time, looking closely only at the fields the query
//! reads; a record with quotes takes the careful path (quoted commas, doubled quotes, newlines
//! inside fields). Every record must have the header's number of fields: a short line is an
//! error naming its line, never a silent shift of columns.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender};
use opskit::Error;

use super::detect::{Plan, Shape};
use super::tally::{Filter, Row, RowError, Tally, json_get};
use crate::money::{Amount, AmountError};
use crate::query::{CostQuery, Date};

/// Bytes per chunk handed to a worker.
const CHUNK: usize = 2 << 20;

/// What one file gave.
pub struct Scanned {
    pub shape: Shape,
    pub tally: Tally,
    pub plan: Plan,
    /// Physical lines read, the header included.
    pub lines: u64,
}

/// A place in a file, for errors.
fn at(file: &str, line: u64, column: Option<(usize, &str)>) -> String {
    match column {
        Some((n, name)) => format!("{file}: line {line}, column {n} ({name})"),
        None => format!("{file}: line {line}"),
    }
}

/// The decompressed bytes of `input`: gzip (one or more members) is told by its magic number.
pub fn decoded(input: Box<dyn Read + Send>, file: &str) -> Result<Box<dyn Read + Send>, Error> {
    let mut buffered = BufReader::with_capacity(256 << 10, input);
    let head = buffered.fill_buf().map_err(|e| read_error(file, &e, 0))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(flate2::bufread::MultiGzDecoder::new(buffered)))
    } else if head.starts_with(b"PK\x03\x04") {
        Err(Error::data(format!("{file}: a ZIP archive; costq reads CSV, gzip-compressed CSV and Parquet"))
            .with_hint("unzip it first, or export as GZIP or Parquet"))
    } else {
        Ok(Box::new(buffered))
    }
}

/// A read failure as the user's error: a truncated gzip or a broken download is bad input or
/// an unavailable service, never our bug.
fn read_error(file: &str, err: &io::Error, lines: u64) -> Error {
    if let Some(ours) = err.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
        return Error::new(ours.exit(), format!("{file}: {ours}"));
    }
    let after = if lines > 0 { format!(" after line {lines}") } else { String::new() };
    match err.kind() {
        io::ErrorKind::UnexpectedEof => Error::data(format!(
            "{file}: the gzip data ends early{after}: the file is truncated or still being written"
        ))
        .with_hint("download or export it again; no partial total is given"),
        io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
            Error::data(format!("{file}: corrupt gzip data{after}: {err}")).with_hint("download or export it again")
        }
        _ => Error::unavailable(format!("{file}: cannot read{after}: {err}")),
    }
}

/// Read and tally a whole CSV export.
pub fn scan(mut input: Box<dyn Read + Send>, file: &str, query: &CostQuery, workers: usize) -> Result<Scanned, Error> {
    // The header: read until its record ends.
    let mut first = vec![0u8; CHUNK];
    let mut filled = 0;
    let (names, header_end, header_lines) = loop {
        let n = input.read(&mut first[filled..]).map_err(|e| read_error(file, &e, 0))?;
        filled += n;
        match header_record(&first[..filled], n == 0) {
            HeaderRead::Found(names, end, lines) => break (names, end, lines),
            HeaderRead::Empty => {
                return Err(Error::data(format!("{file}: the file is empty: no header, no line items")));
            }
            HeaderRead::More if filled == first.len() => first.resize(first.len() * 2, 0),
            HeaderRead::More => {}
        }
    };
    let shape = Shape::detect(&names).ok_or_else(|| {
        Error::data(format!(
            "{}: no known export shape: the header has none of lineItem/UnblendedCost (legacy CUR), line_item_unblended_cost (CUR 2.0), BilledCost (FOCUS 1.0)",
            at(file, 1, None)
        ))
        .with_hint(format!("the header starts: {}", names.iter().take(5).cloned().collect::<Vec<_>>().join(",")))
    })?;
    let plan = Plan::new(shape, &names, query).map_err(|e| Error::new(e.exit(), format!("{file}: {e}")))?;
    let layout = Layout::new(&plan, names.len());
    let filter = Filter::new(query);
    first.copy_within(header_end..filled, 0);
    let carry = filled - header_end;

    let failed = AtomicBool::new(false);
    let workers = workers.max(1);
    let (chunks_tx, chunks_rx) = crossbeam_channel::bounded::<(usize, Vec<u8>, usize)>(workers * 2);
    let (spare_tx, spare_rx) = crossbeam_channel::unbounded::<Vec<u8>>();
    let (outcomes, read) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (rx, spare) = (chunks_rx.clone(), spare_tx.clone());
                let (layout, plan, filter, failed) = (&layout, &plan, &filter, &failed);
                s.spawn(move || work(&rx, &spare, layout, plan, filter, failed))
            })
            .collect();
        drop(chunks_rx);
        let read = produce(&mut *input, first, carry, &chunks_tx, &spare_rx, &failed);
        drop(chunks_tx);
        let outcomes: Vec<Outcome> =
            handles.into_iter().map(|h| h.join().expect("a parsing thread panicked")).collect();
        (outcomes, read)
    });

    let mut lines_of: Vec<u64> = Vec::new();
    let mut first_error: Option<(usize, u64, Option<usize>, String)> = None;
    let mut tally = Tally::new(plan.dims.len());
    for outcome in outcomes {
        for (seq, lines) in outcome.lines {
            if lines_of.len() <= seq {
                lines_of.resize(seq + 1, 0);
            }
            lines_of[seq] = lines;
        }
        if let Some(err) = outcome.error
            && first_error.as_ref().is_none_or(|(seq, line, ..)| (err.0, err.1) < (*seq, *line))
        {
            first_error = Some(err);
        }
        tally.merge(outcome.tally);
    }
    let line_before = |seq: usize| header_lines + lines_of.iter().take(seq).sum::<u64>();
    if let Some((seq, line, slot, message)) = first_error {
        let line = line_before(seq) + line;
        let column = slot.map(|s| (plan.columns[s] + 1, plan.names[s].as_str()));
        return Err(Error::data(format!("{}: {message}", at(file, line, column))));
    }
    let lines = line_before(lines_of.len());
    read.map_err(|e| read_error(file, &e, lines))?;
    Ok(Scanned { shape, tally, plan, lines })
}

/// Read chunks of whole records into `chunks` until the input ends, a worker fails, or reading
/// fails. `first` holds `carry` bytes already read (after the header).
fn produce(
    input: &mut dyn Read,
    mut buf: Vec<u8>,
    mut carry: usize,
    chunks: &Sender<(usize, Vec<u8>, usize)>,
    spare: &Receiver<Vec<u8>>,
    failed: &AtomicBool,
) -> io::Result<()> {
    let mut seq = 0;
    loop {
        let mut filled = carry;
        let mut eof = false;
        while filled < buf.len() {
            let n = match input.read(&mut buf[filled..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    // What was read whole is still counted, so the error can say where.
                    if let Some(end) = record_boundary(&buf[..filled]) {
                        let _ = chunks.send((seq, buf, end));
                    }
                    return Err(e);
                }
            };
            if n == 0 {
                eof = true;
                break;
            }
            filled += n;
        }
        if failed.load(Ordering::Relaxed) {
            return Ok(());
        }
        if eof {
            if filled > 0 {
                let _ = chunks.send((seq, buf, filled));
            }
            return Ok(());
        }
        let Some(end) = record_boundary(&buf[..filled]) else {
            // One record longer than the buffer: grow it and read on.
            buf.resize(buf.len() * 2, 0);
            carry = filled;
            continue;
        };
        let mut next = spare.try_recv().unwrap_or_else(|_| vec![0u8; CHUNK]);
        if next.len() < filled - end {
            next.resize(filled - end, 0);
        }
        next[..filled - end].copy_from_slice(&buf[end..filled]);
        carry = filled - end;
        if chunks.send((seq, buf, end)).is_err() {
            return Ok(());
        }
        seq += 1;
        buf = next;
    }
}

/// Where the last complete record of `buf` ends (after its newline), `buf` starting at a record
/// boundary: the last newline with an even number of quotes before it.
fn record_boundary(buf: &[u8]) -> Option<usize> {
    let quotes = bytecount::count(buf, b'"');
    let mut after = 0;
    let mut end = buf.len();
    while let Some(nl) = memchr::memrchr(b'\n', &buf[..end]) {
        after += bytecount::count(&buf[nl + 1..end], b'"');
        if (quotes - after).is_multiple_of(2) {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

/// What reading the header found so far.
enum HeaderRead {
    /// More bytes are needed.
    More,
    /// The input is empty (or blank).
    Empty,
    /// The header's fields, where it ends, and the lines up to its end.
    Found(Vec<String>, usize, u64),
}

/// The header record (after a byte order mark and blank lines, if any).
fn header_record(data: &[u8], at_eof: bool) -> HeaderRead {
    let bom = if data.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let start = bom + data[bom..].iter().take_while(|c| c.is_ascii_whitespace()).count();
    if start == data.len() {
        return if at_eof { HeaderRead::Empty } else { HeaderRead::More };
    }
    // The first newline outside quotes.
    let mut quotes = 0usize;
    let mut found = None;
    for (i, c) in data.iter().enumerate().skip(start) {
        match c {
            b'"' => quotes += 1,
            b'\n' if quotes.is_multiple_of(2) => {
                found = Some(i + 1);
                break;
            }
            _ => {}
        }
    }
    let end = match found {
        Some(end) => end,
        None if at_eof => data.len(),
        None => return HeaderRead::More,
    };
    let text = &data[start..end];
    let mut slots = Vec::new();
    if split_careful(text, 0, &mut |_, s, e, flags| slots.push((s, e, flags))).is_err() {
        return if at_eof { HeaderRead::Empty } else { HeaderRead::More };
    }
    let fields = slots
        .into_iter()
        .map(|(s, e, flags)| {
            let raw = &text[s..e];
            let value = if flags & ESCAPED != 0 { unescape(raw) } else { raw.to_vec() };
            String::from_utf8_lossy(&value).trim().to_owned()
        })
        .collect();
    let lines = bytecount::count(&data[..end], b'\n') as u64;
    HeaderRead::Found(fields, end, lines.max(1))
}

const QUOTED: u8 = 1;
const ESCAPED: u8 = 2;

fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        out.push(raw[i]);
        i += if raw[i] == b'"' && raw.get(i + 1) == Some(&b'"') { 2 } else { 1 };
    }
    out
}

/// Split one record starting at `pos` with full CSV rules, calling `field(index, start, end,
/// flags)` for each field (`start..end` inside the quotes of a quoted one). Returns where the
/// next record starts and the record's field count; `Err` with the record's start when a quote
/// never closes.
fn split_careful(
    data: &[u8],
    pos: usize,
    field: &mut dyn FnMut(usize, usize, usize, u8),
) -> Result<(usize, usize), usize> {
    let mut i = pos;
    let mut index = 0;
    loop {
        let (start, end, flags, after);
        if data.get(i) == Some(&b'"') {
            start = i + 1;
            let mut j = start;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &data[j..]) {
                    None => return Err(pos),
                    Some(k) if data.get(j + k + 1) == Some(&b'"') => {
                        escaped = true;
                        j += k + 2;
                    }
                    Some(k) => break j + k,
                }
            };
            end = close;
            flags = QUOTED | if escaped { ESCAPED } else { 0 };
            // Anything between the closing quote and the delimiter is kept out (lenient, as
            // most readers are).
            after = memchr::memchr2(b',', b'\n', &data[close + 1..]).map_or(data.len(), |k| close + 1 + k);
        } else {
            start = i;
            after = memchr::memchr2(b',', b'\n', &data[i..]).map_or(data.len(), |k| i + k);
            end = if after > start && data[after - 1] == b'\r' && data.get(after) != Some(&b',') {
                after - 1
            } else {
                after
            };
            flags = 0;
        }
        field(index, start, end, flags);
        match data.get(after) {
            Some(b',') => {
                index += 1;
                i = after + 1;
            }
            Some(_) => return Ok((after + 1, index + 1)),
            None => return Ok((data.len(), index + 1)),
        }
    }
}

/// Which fields a query reads, by column, and which commas mark them.
struct Layout {
    columns: usize,
    /// Column → slot.
    slot_of: Vec<Option<u16>>,
    /// For each comma index, the next comma index at or after it that starts or ends a field
    /// that is read (`u32::MAX`: none).
    next_interest: Vec<u32>,
    slots: usize,
}

impl Layout {
    fn new(plan: &Plan, columns: usize) -> Layout {
        Layout::reading(&plan.columns, columns)
    }

    /// A layout reading `read` (column numbers; slot `i` is `read[i]`) of `columns`.
    fn reading(read: &[usize], columns: usize) -> Layout {
        let mut slot_of = vec![None; columns + 1];
        let mut interesting = vec![false; columns + 1];
        for (slot, &column) in read.iter().enumerate() {
            slot_of[column] = u16::try_from(slot).ok();
            interesting[column] = true;
            if column > 0 {
                interesting[column - 1] = true;
            }
        }
        let mut next_interest = vec![u32::MAX; columns + 2];
        for c in (0..=columns).rev() {
            next_interest[c] = if interesting[c] { u32::try_from(c).unwrap_or(u32::MAX) } else { next_interest[c + 1] };
        }
        Layout { columns, slot_of, next_interest, slots: read.len() }
    }

    fn next_interest(&self, comma: usize) -> usize {
        self.next_interest.get(comma).map_or(usize::MAX, |n| *n as usize)
    }
}

/// The fields of one record that the plan reads.
struct CsvRow<'a> {
    data: &'a [u8],
    /// (start, end, flags) per slot; `start == u32::MAX` when the record had no such field.
    slots: Vec<(u32, u32, u8)>,
    scratch: Vec<u8>,
}

const IN_SCRATCH: u8 = 4;

impl Row for CsvRow<'_> {
    fn text(&self, slot: usize) -> Option<&[u8]> {
        let (start, end, flags) = self.slots[slot];
        let bytes = if flags & IN_SCRATCH != 0 {
            &self.scratch[start as usize..end as usize]
        } else {
            &self.data[start as usize..end as usize]
        };
        if bytes.is_empty() || (flags & QUOTED == 0 && bytes == b"NULL") { None } else { Some(bytes) }
    }

    fn amount(&self, slot: usize) -> Result<Option<Amount>, AmountError> {
        self.text(slot).map_or(Ok(None), Amount::parse)
    }

    fn day(&self, slot: usize) -> Result<Option<Date>, ()> {
        self.text(slot).map_or(Ok(None), |t| Date::parse_bytes(t.trim_ascii()).map(Some).ok_or(()))
    }

    fn map_get(&self, slot: usize, keys: &[String]) -> Result<Option<std::borrow::Cow<'_, [u8]>>, String> {
        self.text(slot).map_or(Ok(None), |t| json_get(t, keys))
    }
}

struct Outcome {
    tally: Tally,
    /// (chunk, physical lines in it).
    lines: Vec<(usize, u64)>,
    /// (chunk, line in chunk, slot, message): the first error this worker met.
    error: Option<(usize, u64, Option<usize>, String)>,
}

fn work(
    chunks: &Receiver<(usize, Vec<u8>, usize)>,
    spare: &Sender<Vec<u8>>,
    layout: &Layout,
    plan: &Plan,
    filter: &Filter,
    failed: &AtomicBool,
) -> Outcome {
    let mut out = Outcome { tally: Tally::new(plan.dims.len()), lines: Vec::new(), error: None };
    let mut slots = vec![(0u32, 0u32, 0u8); layout.slots];
    let mut scratch = Vec::new();
    for (seq, buf, len) in chunks {
        if out.error.is_some() || failed.load(Ordering::Relaxed) {
            let _ = spare.send(buf);
            continue;
        }
        let mut row =
            CsvRow { data: &buf[..len], slots: std::mem::take(&mut slots), scratch: std::mem::take(&mut scratch) };
        match parse_chunk(&mut row, layout, plan, filter, &mut out.tally) {
            Ok(lines) => out.lines.push((seq, lines)),
            Err((line, slot, message)) => {
                failed.store(true, Ordering::Relaxed);
                out.error = Some((seq, line, slot, message));
            }
        }
        slots = row.slots;
        scratch = row.scratch;
        let _ = spare.send(buf);
    }
    out
}

/// Every record of a chunk into the tally; the chunk's line count, or (line in chunk, slot,
/// message) of the first bad record.
fn parse_chunk(
    row: &mut CsvRow<'_>,
    layout: &Layout,
    plan: &Plan,
    filter: &Filter,
    tally: &mut Tally,
) -> Result<u64, (u64, Option<usize>, String)> {
    let data = row.data;
    let mut pos = 0;
    let mut line: u64 = 1;
    while pos < data.len() {
        for slot in &mut row.slots {
            *slot = (u32::MAX, 0, 0);
        }
        let record_line = line;
        let split = split_record(data, pos, layout, &mut row.slots).map_err(|()| {
            (record_line, None, "a quoted field never closes: the file is truncated or malformed".to_owned())
        })?;
        line += split.newlines;
        pos = split.next;
        if split.empty {
            continue;
        }
        if split.fields != layout.columns {
            return Err((
                record_line,
                None,
                format!(
                    "this line item has {} fields; the header has {} (a truncated or shifted line)",
                    split.fields, layout.columns
                ),
            ));
        }
        // Doubled quotes inside fields the plan reads are undone in the scratch buffer.
        row.scratch.clear();
        for slot in &mut row.slots {
            if slot.0 != u32::MAX && slot.2 & ESCAPED != 0 {
                let value = unescape(&data[slot.0 as usize..slot.1 as usize]);
                let s = row.scratch.len();
                row.scratch.extend_from_slice(&value);
                *slot =
                    (u32::try_from(s).unwrap_or(0), u32::try_from(row.scratch.len()).unwrap_or(0), slot.2 | IN_SCRATCH);
            }
        }
        tally.add(&*row, plan, filter).map_err(|RowError { slot, message }| (record_line, slot, message))?;
    }
    Ok(line - 1 + u64::from(!data.ends_with(b"\n")))
}

/// One record, split.
struct Split {
    /// Where the next record starts.
    next: usize,
    fields: usize,
    /// Newlines the record spans (its own, and those inside quoted fields).
    newlines: u64,
    /// An empty line, not a record.
    empty: bool,
}

/// The high bit of each byte of `word` equal to `byte` (exact: no carries between bytes).
#[inline]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The fields of one record being split: which comma comes next, and the slots set so far.
struct Fields<'a> {
    layout: &'a Layout,
    slots: &'a mut [(u32, u32, u8)],
    commas: usize,
    /// The next comma index that starts or ends a field the plan reads.
    next: usize,
    /// The field whose start is known (after a comma that was looked at), and where it starts.
    open_field: usize,
    open_start: usize,
    /// A field whose slot was set from inside its quotes.
    quoted_field: usize,
}

fn position(p: usize) -> u32 {
    u32::try_from(p).unwrap_or(u32::MAX)
}

impl Fields<'_> {
    /// A comma at `p`.
    #[inline]
    fn comma(&mut self, p: usize) {
        if self.commas >= self.next {
            self.close(p);
            self.open_field = self.commas + 1;
            self.open_start = p + 1;
            self.next = self.layout.next_interest(self.commas + 1);
        }
        self.commas += 1;
    }

    /// The field being read ends at `p`: its slot, if the plan reads it.
    #[inline]
    fn close(&mut self, p: usize) {
        if self.open_field == self.commas
            && self.quoted_field != self.commas
            && let Some(Some(slot)) = self.layout.slot_of.get(self.commas)
        {
            self.slots[*slot as usize] = (position(self.open_start), position(p), 0);
        }
    }

    /// The current field is quoted: its content is `start..end`.
    fn quoted(&mut self, start: usize, end: usize, escaped: bool) {
        if let Some(Some(slot)) = self.layout.slot_of.get(self.commas) {
            self.slots[*slot as usize] = (position(start), position(end), QUOTED | if escaped { ESCAPED } else { 0 });
            self.quoted_field = self.commas;
        }
    }
}

/// Where the quoted field whose content starts at `from` closes, and whether it holds doubled
/// quotes; `Err` when it never does.
fn closing_quote(data: &[u8], from: usize) -> Result<(usize, bool), ()> {
    let (mut j, mut escaped) = (from, false);
    loop {
        match memchr::memchr(b'"', &data[j..]) {
            None => return Err(()),
            Some(k) if data.get(j + k + 1) == Some(&b'"') => {
                escaped = true;
                j += k + 2;
            }
            Some(k) => return Ok((j + k, escaped)),
        }
    }
}

/// Split the record starting at `pos`, eight bytes at a time, setting the slots of the fields the
/// plan reads. Commas are only counted, not looked at one by one, until one starts or ends such
/// a field; a quote opening a field is jumped over to its closing quote (doubled quotes,
/// commas and newlines inside it are content). `Err` when a quote never closes.
fn split_record(data: &[u8], pos: usize, layout: &Layout, slots: &mut [(u32, u32, u8)]) -> Result<Split, ()> {
    let len = data.len();
    let next = layout.next_interest(0);
    let mut f = Fields { layout, slots, commas: 0, next, open_field: 0, open_start: pos, quoted_field: usize::MAX };
    let mut inner_newlines = 0u64;
    let mut i = pos;
    let stop = loop {
        // The next quote or newline, counting (and where it matters, marking) commas on the way.
        let mut found = None;
        while found.is_none() && i + 8 <= len {
            let word = u64::from_le_bytes(data[i..i + 8].try_into().unwrap_or_default());
            let comma_bits = bytes_equal(word, b',');
            let stop_bits = bytes_equal(word, b'"') | bytes_equal(word, b'\n');
            if stop_bits == 0 && f.commas + comma_bits.count_ones() as usize <= f.next {
                f.commas += comma_bits.count_ones() as usize;
                i += 8;
                continue;
            }
            let mut bits = comma_bits | stop_bits;
            while bits != 0 {
                let p = i + (bits.trailing_zeros() / 8) as usize;
                if data[p] != b',' {
                    found = Some(p);
                    break;
                }
                f.comma(p);
                bits &= bits - 1;
            }
            i += 8;
        }
        while found.is_none() && i < len {
            match data[i] {
                b',' => f.comma(i),
                b'"' | b'\n' => found = Some(i),
                _ => {}
            }
            i += 1;
        }
        match found {
            None => break len,
            Some(p) if data[p] == b'\n' => break p,
            Some(p) if p == pos || data[p - 1] == b',' => {
                // A quoted field: its content runs to the closing quote.
                let (close, escaped) = closing_quote(data, p + 1)?;
                inner_newlines += bytecount::count(&data[p + 1..close], b'\n') as u64;
                f.quoted(p + 1, close, escaped);
                i = close + 1;
            }
            // A quote inside an unquoted field is only a character.
            Some(p) => i = p + 1,
        }
    };
    let end = if stop > pos && data[stop - 1] == b'\r' { stop - 1 } else { stop };
    f.close(end);
    let ended_by_newline = stop < len;
    Ok(Split {
        next: if ended_by_newline { stop + 1 } else { len },
        fields: f.commas + 1,
        newlines: inner_newlines + u64::from(ended_by_newline),
        empty: f.commas == 0 && end == pos && f.quoted_field == usize::MAX,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_skip_newlines_inside_quotes() {
        assert_eq!(record_boundary(b"a,b\nc,\"x\ny\"\nd"), Some(12));
        assert_eq!(record_boundary(b"a,\"b\nc"), None);
        assert_eq!(record_boundary(b"a,\"b\"\"\nc\"\n"), Some(10));
    }

    #[test]
    fn careful_split_handles_quotes() {
        let data = b"1,\"a, \"\"b\"\"\",\"x\ny\",\r\nnext";
        let mut got = Vec::new();
        let (next, fields) = split_careful(data, 0, &mut |i, s, e, f| got.push((i, s, e, f))).unwrap();
        assert_eq!(fields, 4);
        assert_eq!(&data[next..], b"next");
        let text: Vec<Vec<u8>> = got
            .iter()
            .map(|&(_, s, e, f)| if f & ESCAPED != 0 { unescape(&data[s..e]) } else { data[s..e].to_vec() })
            .collect();
        assert_eq!(text, vec![b"1".to_vec(), b"a, \"b\"".to_vec(), b"x\ny".to_vec(), b"".to_vec()]);
        assert!(split_careful(b"1,\"open", 0, &mut |_, _, _, _| {}).is_err());
    }

    /// The fields split_record reads, as text.
    fn fast_fields(data: &[u8], read: &[usize], columns: usize) -> (Vec<Option<Vec<u8>>>, usize, usize, u64) {
        let layout = Layout::reading(read, columns);
        let mut slots = vec![(u32::MAX, 0u32, 0u8); read.len()];
        let split = split_record(data, 0, &layout, &mut slots).unwrap();
        let values = slots
            .iter()
            .map(|&(s, e, f)| {
                (s != u32::MAX).then(|| {
                    let raw = &data[s as usize..e as usize];
                    if f & ESCAPED != 0 { unescape(raw) } else { raw.to_vec() }
                })
            })
            .collect();
        (values, split.fields, split.next, split.newlines)
    }

    #[test]
    fn records_split_eight_bytes_at_a_time_agree_with_the_careful_reader() {
        // Random records of every kind of field, read whole and in every subset of columns.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let pieces: [&[u8]; 9] = [
            b"",
            b"x",
            b"12.5",
            b"a longer value of text",
            b"\"q,uoted\"",
            b"\"dou\"\"ble\"",
            b"\"multi\nline\"",
            b"mid\"quote",
            b"\"\"",
        ];
        for round in 0..3000 {
            let columns = 1 + usize::try_from(rand(14)).unwrap();
            let mut record = Vec::new();
            for c in 0..columns {
                if c > 0 {
                    record.push(b',');
                }
                record.extend_from_slice(pieces[usize::try_from(rand(pieces.len() as u64)).unwrap()]);
            }
            let ending: &[u8] = [&b"\n"[..], b"\r\n", b""][usize::try_from(rand(3)).unwrap()];
            record.extend_from_slice(ending);
            record.extend_from_slice(b"next,record\n");
            let mut careful: Vec<Vec<u8>> = Vec::new();
            let (next, fields) = split_careful(&record, 0, &mut |_, s, e, f| {
                let raw = &record[s..e];
                careful.push(if f & ESCAPED != 0 { unescape(raw) } else { raw.to_vec() });
            })
            .unwrap();
            let read: Vec<usize> = (0..columns).filter(|_| round % 2 == 0 || rand(2) == 0).collect();
            let (values, fast_fields_count, fast_next, newlines) = fast_fields(&record, &read, columns);
            let text = String::from_utf8_lossy(&record);
            assert_eq!(fast_fields_count, fields, "{text:?}");
            assert_eq!(fast_next, next, "{text:?}");
            assert_eq!(newlines, bytecount::count(&record[..next], b'\n') as u64, "{text:?}");
            for (slot, &column) in read.iter().enumerate() {
                assert_eq!(values[slot].as_deref(), Some(careful[column].as_slice()), "column {column} of {text:?}");
            }
        }
    }

    #[test]
    fn the_header_is_read_with_its_quotes_and_bom() {
        let HeaderRead::Found(names, end, lines) = header_record(b"\xEF\xBB\xBF\"a\",b,\"c,d\"\n1,2,3\n", false) else {
            panic!("a header")
        };
        assert_eq!(names, ["a", "b", "c,d"]);
        assert_eq!(end, 15);
        assert_eq!(lines, 1);
        assert!(matches!(header_record(b"a,b", false), HeaderRead::More), "more bytes needed");
        assert!(matches!(header_record(b"", true), HeaderRead::Empty));
        assert!(matches!(header_record(b"\n\n", true), HeaderRead::Empty), "blank is empty, not a wait for ever");
        assert!(
            matches!(header_record(b"\r\nx,y\n", false), HeaderRead::Found(ref n, 6, 2) if n == &["x", "y"]),
            "a blank line before the header"
        );
    }
}
