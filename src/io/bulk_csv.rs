//! Reads a bulk CSV export row by row through an import spec: constant memory whatever the
//! file's size, and every problem named by line and column. Messages never repeat a value
//! from the file (a misaligned column could put a name where a date should be).

use super::import_spec::{ColumnRef, ColumnSpec, ImportSpec, Transform};
use crate::domain::bulk_record::{parse_flag, parse_money_pence};
use crate::domain::{BulkRecord, FieldType, FieldValue, IsoDate, phone};
use std::io::Read;
use std::str::FromStr;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// The longest row read; a longer one is refused rather than held in memory.
pub const MAX_ROW_BYTES: usize = 1 << 20;

/// A row (or the header) that cannot be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("line {line}{}: {reason}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct RowError {
    pub line: u64,
    /// The column as the spec names it (`"When"`, or its number from 1).
    pub column: Option<String>,
    pub reason: String,
}

impl RowError {
    fn new(line: u64, column: Option<&ColumnRef>, reason: impl Into<String>) -> Self {
        Self {
            line,
            column: column.map(ToString::to_string),
            reason: reason.into(),
        }
    }
}

/// One row read: its line and its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRow {
    pub line: u64,
    pub record: BulkRecord,
}

/// A streaming reader of one file under one spec.
pub struct BulkCsvReader<'s, R: Read> {
    spec: &'s ImportSpec,
    reader: csv::Reader<R>,
    /// For each spec column, its index in the file's rows.
    positions: Vec<usize>,
    /// How many columns every row must have (the header's count, or the first row's).
    expected_columns: Option<usize>,
    record: csv::ByteRecord,
    values: Vec<Option<FieldValue>>,
    /// A date after this day (a time after its end) is a bad row, unless its field may lie
    /// ahead (an expiry).
    not_after: Option<(IsoDate, i64)>,
}

impl<R: Read> std::fmt::Debug for BulkCsvReader<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkCsvReader")
            .field("spec", &self.spec.name)
            .finish_non_exhaustive()
    }
}

/// A CSV reader whose rows end at a line feed only. The csv crate's own line ends (CR, LF or
/// CRLF) put the start of each row of a Windows (CRLF) file on the line before it, so every
/// error would name the wrong line of the file that Excel saved; here the CR stays at the end
/// of the row's last cell, where the reader's trimming removes it, and a blank line (a lone
/// CR) is skipped as the csv crate skips empty ones.
fn line_reader<R: Read>(delimiter: u8, reader: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(reader)
}

/// Whether a record is a blank line (nothing, or only a CR or spaces).
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record[0].iter().all(u8::is_ascii_whitespace)
}

fn csv_error(error: &csv::Error) -> RowError {
    let line = error.position().map_or(0, csv::Position::line);
    let reason = match error.kind() {
        csv::ErrorKind::Io(e) => format!("the file could not be read: {}", e.kind()),
        _ => "the row is not well-formed CSV".to_owned(),
    };
    RowError::new(line, None, reason)
}

impl<'s, R: Read> BulkCsvReader<'s, R> {
    /// Opens `reader` under `spec`, reading the header when the spec has one.
    ///
    /// # Errors
    /// An empty file, a header that is not UTF-8 or lacks a column the spec names, a column
    /// named twice in the header.
    pub fn new(spec: &'s ImportSpec, reader: R) -> Result<Self, RowError> {
        let mut reader = line_reader(spec.delimiter, reader);
        let mut record = csv::ByteRecord::new();
        let mut positions = Vec::with_capacity(spec.columns.len());
        let mut expected_columns = None;
        if spec.header {
            let found = reader
                .read_byte_record(&mut record)
                .map_err(|e| csv_error(&e))?;
            if !found || is_blank(&record) {
                return Err(RowError::new(1, None, "the file is empty"));
            }
            if record.as_slice().len() > MAX_ROW_BYTES {
                return Err(RowError::new(1, None, "the header is longer than 1 MiB"));
            }
            let mut names = Vec::with_capacity(record.len());
            for (index, raw) in record.iter().enumerate() {
                let raw = if index == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
                let name = std::str::from_utf8(raw).map_err(|_| {
                    RowError::new(
                        1,
                        Some(&ColumnRef::Index(index)),
                        "the header is not valid UTF-8",
                    )
                })?;
                names.push(name.trim().to_owned());
            }
            for column in &spec.columns {
                let ColumnRef::Name(wanted) = &column.column else {
                    positions.push(match column.column {
                        ColumnRef::Index(index) => index,
                        _ => 0,
                    });
                    continue;
                };
                let mut matches = names.iter().enumerate().filter(|(_, n)| *n == wanted);
                let position = matches.next().map(|(i, _)| i).ok_or_else(|| {
                    RowError::new(
                        1,
                        Some(&column.column),
                        "the header has no such column (the spec names it)",
                    )
                })?;
                if matches.next().is_some() {
                    return Err(RowError::new(
                        1,
                        Some(&column.column),
                        "the header names this column twice",
                    ));
                }
                positions.push(position);
            }
            expected_columns = Some(names.len());
        } else {
            for column in &spec.columns {
                positions.push(match column.column {
                    ColumnRef::Index(index) => index,
                    ColumnRef::Name(_) | ColumnRef::Constant(_) => 0,
                });
            }
        }
        Ok(Self {
            spec,
            reader,
            positions,
            expected_columns,
            record,
            values: vec![None; spec.kind.fields().len()],
            not_after: None,
        })
    }

    /// Refuses, as a bad row, a row dated after `day` (the day of the import): a date after it,
    /// or a time after its end. Fields that may lie ahead (an expiry) are not checked.
    #[must_use]
    pub fn refusing_dates_after(mut self, day: IsoDate) -> Self {
        self.not_after = Some((day, day.plus_days(1).unix_midnight_utc()));
        self
    }

    /// The underlying reader, once every row has been read.
    pub fn into_inner(self) -> R {
        self.reader.into_inner()
    }

    /// Bytes of the file consumed so far (for progress).
    #[must_use]
    pub fn bytes_read(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next row, `None` at the end of the file.
    ///
    /// # Errors
    /// The row's problem: a wrong number of columns, text that is not UTF-8, a value that does
    /// not read as its field's type, a code the spec's map lacks, a required field empty.
    pub fn next_row(&mut self) -> Option<Result<BulkRow, RowError>> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Err(e) => return Some(Err(csv_error(&e))),
                Ok(false) => return None,
                Ok(true) if is_blank(&self.record) => {}
                Ok(true) => return Some(self.read_record()),
            }
        }
    }

    fn read_record(&mut self) -> Result<BulkRow, RowError> {
        let line = self.record.position().map_or(0, csv::Position::line);
        if self.record.as_slice().len() > MAX_ROW_BYTES {
            return Err(RowError::new(
                line,
                None,
                format!(
                    "the row is {} bytes; the limit is {MAX_ROW_BYTES}",
                    self.record.as_slice().len()
                ),
            ));
        }
        let count = self.record.len();
        match self.expected_columns {
            Some(expected) if expected != count => {
                return Err(RowError::new(
                    line,
                    None,
                    format!("expected {expected} columns, found {count}"),
                ));
            }
            Some(_) => {}
            None => self.expected_columns = Some(count),
        }
        let spec = self.spec;
        let fields = spec.kind.fields();
        for slot in &mut self.values {
            *slot = None;
        }
        for (column, &position) in spec.columns.iter().zip(&self.positions) {
            let text = if let ColumnRef::Constant(value) = &column.column {
                value.as_str()
            } else {
                let raw = self.record.get(position).ok_or_else(|| {
                    RowError::new(
                        line,
                        Some(&column.column),
                        format!("expected at least {} columns, found {count}", position + 1),
                    )
                })?;
                std::str::from_utf8(raw).map_err(|_| {
                    RowError::new(
                        line,
                        Some(&column.column),
                        "not valid UTF-8 (the file must be UTF-8)",
                    )
                })?
            };
            let text = transformed(text, &column.transforms);
            // Most columns fill one field: no list of parts for them. Without a split, each
            // field the column fills gets the whole text.
            let parts = if column.split.is_some() {
                split(&text, column)
            } else {
                Vec::new()
            };
            let whole = text.as_ref();
            for (i, &field_index) in column.fields.iter().enumerate() {
                let part = if column.split.is_some() {
                    parts.get(i).copied().unwrap_or("")
                } else {
                    whole
                };
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let mapped = match &column.map {
                    None => part,
                    Some(map) => map.get(part).map(String::as_str).ok_or_else(|| {
                        RowError::new(
                            line,
                            Some(&column.column),
                            "an unknown code: the spec's map does not list it",
                        )
                    })?,
                };
                if mapped.is_empty() {
                    continue;
                }
                let field = &fields[field_index];
                let value = read_value(field.ty, mapped, column, spec)
                    .map_err(|reason| RowError::new(line, Some(&column.column), reason))?;
                if let Some((day, end_of_day)) = self.not_after
                    && !field.may_be_future
                    && match value {
                        FieldValue::Date(date) => date > day,
                        FieldValue::Timestamp(at) => {
                            field.ty == FieldType::Timestamp && at >= end_of_day
                        }
                        _ => false,
                    }
                {
                    return Err(RowError::new(
                        line,
                        Some(&column.column),
                        format!("{}: dated after the day of the import", field.name),
                    ));
                }
                self.values[field_index] = Some(value);
            }
        }
        let record = BulkRecord::from_values(spec.kind, &mut self.values).map_err(|e| {
            let column = spec.columns.iter().find(|c| {
                c.fields
                    .iter()
                    .any(|&i| spec.kind.fields()[i].name == e.field)
            });
            RowError {
                line,
                column: column.map(|c| c.column.to_string()),
                reason: format!("{}: {}", e.field, e.reason),
            }
        })?;
        Ok(BulkRow { line, record })
    }
}

fn transformed<'t>(text: &'t str, transforms: &[Transform]) -> std::borrow::Cow<'t, str> {
    let mut text = std::borrow::Cow::Borrowed(text);
    for transform in transforms {
        text = match transform {
            Transform::Trim => match text {
                std::borrow::Cow::Borrowed(t) => std::borrow::Cow::Borrowed(t.trim()),
                std::borrow::Cow::Owned(t) => std::borrow::Cow::Owned(t.trim().to_owned()),
            },
            // Each copies only when the text would change (most cells are already clean).
            Transform::Upper if has_lowercase(&text) => {
                std::borrow::Cow::Owned(text.to_uppercase())
            }
            Transform::Lower if has_uppercase(&text) => {
                std::borrow::Cow::Owned(text.to_lowercase())
            }
            Transform::CollapseSpaces if !is_collapsed(&text) => {
                std::borrow::Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
            }
            Transform::Upper | Transform::Lower | Transform::CollapseSpaces => text,
        };
    }
    text
}

/// Whether `text` has a lower-case letter (ASCII text, nearly every cell, byte by byte).
fn has_lowercase(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_lowercase())
    } else {
        text.chars().any(char::is_lowercase)
    }
}

/// Whether `text` has an upper-case letter (as [`has_lowercase`]).
fn has_uppercase(text: &str) -> bool {
    if text.is_ascii() {
        text.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        text.chars().any(char::is_uppercase)
    }
}

/// Whether `text` has no leading, trailing or repeated whitespace, and no whitespace but
/// single spaces.
fn is_collapsed(text: &str) -> bool {
    let bytes = text.as_bytes();
    let only_single_spaces = if text.is_ascii() {
        // In ASCII, Unicode's whitespace is the ASCII whitespace and the vertical tab.
        !bytes
            .iter()
            .any(|&b| b != b' ' && (b.is_ascii_whitespace() || b == 0x0B))
    } else {
        !text.chars().any(|c| c.is_whitespace() && c != ' ')
    };
    only_single_spaces
        && !bytes.first().is_some_and(u8::is_ascii_whitespace)
        && !bytes.last().is_some_and(u8::is_ascii_whitespace)
        && !bytes.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
}

/// The parts of a column's text, one per field it fills (missing parts are empty).
fn split<'t>(text: &'t str, column: &ColumnSpec) -> Vec<&'t str> {
    let wanted = column.fields.len();
    let Some(split) = &column.split else {
        return vec![text];
    };
    let mut parts: Vec<&str> = if split.from_right {
        let mut parts: Vec<&str> = text.rsplitn(wanted, split.separator.as_str()).collect();
        parts.reverse();
        parts
    } else {
        text.splitn(wanted, split.separator.as_str()).collect()
    };
    if parts.len() < wanted {
        // Too few parts: fill the fields from the far end (a surname without forenames).
        let missing = wanted - parts.len();
        if split.from_right {
            let mut filled = vec![""; missing];
            filled.extend(parts);
            parts = filled;
        } else {
            parts.extend(std::iter::repeat_n("", missing));
        }
    }
    parts
}

fn read_value(
    ty: FieldType,
    text: &str,
    column: &ColumnSpec,
    spec: &ImportSpec,
) -> Result<FieldValue, String> {
    Ok(match ty {
        FieldType::Text => FieldValue::Text(text.to_owned()),
        FieldType::Date => {
            let fast = column.numeric_format.as_ref().and_then(|f| f.date(text));
            let date = fast.map(IsoDate).or_else(|| match &column.format {
                Some(format) => Date::parse(text, format).map(IsoDate).ok(),
                None => IsoDate::from_str(text).ok(),
            });
            FieldValue::Date(
                date.ok_or_else(|| "not a date in the column's declared format".to_owned())?,
            )
        }
        FieldType::Timestamp => {
            let fast = column
                .numeric_format
                .as_ref()
                .and_then(|f| f.date_time(text));
            let at = fast
                .map(PrimitiveDateTime::assume_utc)
                .or_else(|| match &column.format {
                    Some(format) if column.format_has_offset => {
                        OffsetDateTime::parse(text, format).ok()
                    }
                    Some(format) => PrimitiveDateTime::parse(text, format)
                        .ok()
                        .map(PrimitiveDateTime::assume_utc),
                    None => OffsetDateTime::parse(text, &Rfc3339).ok(),
                });
            FieldValue::Timestamp(
                at.ok_or_else(|| "not a date and time in the column's declared format".to_owned())?
                    .unix_timestamp(),
            )
        }
        FieldType::Integer => {
            FieldValue::Integer(text.parse().map_err(|_| "not a whole number".to_owned())?)
        }
        FieldType::Money => FieldValue::Integer(
            parse_money_pence(text)
                .ok_or_else(|| "not an amount of money (such as 1,234.50)".to_owned())?,
        ),
        FieldType::Phone => FieldValue::Text(
            phone::to_e164(text, &spec.default_region)
                .ok_or_else(|| "not a phone number".to_owned())?,
        ),
        FieldType::Flag => {
            FieldValue::Flag(parse_flag(text).ok_or_else(|| "not yes or no".to_owned())?)
        }
        FieldType::Code(codes) => {
            if !codes.contains(&text) {
                return Err(format!(
                    "an unknown code; expected one of {}",
                    codes.join(", ")
                ));
            }
            FieldValue::Text(text.to_owned())
        }
    })
}

/// The first rows of a file as text, for the import wizard to show before anything is read
/// into the workbench.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvPreview {
    /// The first row (the header, when the file has one).
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Reads the first row and up to `max_rows` after it. Bytes that are not UTF-8 show as the
/// replacement character here; the import itself refuses them naming the line.
///
/// # Errors
/// An empty file; a read error.
pub fn preview(reader: impl Read, delimiter: u8, max_rows: usize) -> Result<CsvPreview, RowError> {
    let mut reader = line_reader(delimiter, reader);
    let mut record = csv::ByteRecord::new();
    let cells = |record: &csv::ByteRecord| -> Vec<String> {
        record
            .iter()
            .map(|cell| {
                // The CR of a CRLF line end stays on the last cell (see `line_reader`).
                let cell = cell.strip_suffix(b"\r").unwrap_or(cell);
                let mut text = String::from_utf8_lossy(cell).into_owned();
                if text.len() > 200 {
                    let mut end = 200;
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    text.truncate(end);
                    text.push('…');
                }
                text
            })
            .collect()
    };
    if !reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(&e))?
    {
        return Err(RowError::new(1, None, "the file is empty"));
    }
    let mut header = cells(&record);
    if let Some(first) = header.first_mut()
        && let Some(stripped) = first.strip_prefix('\u{FEFF}')
    {
        *first = stripped.trim().to_owned();
    }
    for name in &mut header {
        *name = name.trim().to_owned();
    }
    let mut rows = Vec::new();
    while rows.len() < max_rows
        && reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&e))?
    {
        if !is_blank(&record) {
            rows.push(cells(&record));
        }
    }
    Ok(CsvPreview { header, rows })
}

/// Writes a rejects report: one CSV row per rejected row with its line, column and reason.
/// Holds no value from the imported file, so it discloses nothing of it; the command line
/// writes it next to the workbench's own data, never beside the source file.
///
/// # Errors
/// I/O errors.
pub fn write_rejects(writer: impl std::io::Write, rejects: &[RowError]) -> std::io::Result<()> {
    let mut out = csv::Writer::from_writer(writer);
    out.write_record(["line", "column", "reason"])?;
    for reject in rejects {
        out.write_record([
            reject.line.to_string(),
            reject.column.clone().unwrap_or_default(),
            reject.reason.clone(),
        ])?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ImportKind;
    use crate::io::import_spec::shipped_spec;
    use proptest::prelude::*;

    const CALLS_HEADER: &str = "Caller,Callee,Start,Duration (s),Direction\n";

    fn read_all(kind: ImportKind, text: &[u8]) -> Vec<Result<BulkRow, RowError>> {
        let spec = shipped_spec(kind).unwrap();
        let mut reader = match BulkCsvReader::new(&spec, text) {
            Ok(reader) => reader,
            Err(e) => return vec![Err(e)],
        };
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row() {
            rows.push(row);
        }
        rows
    }

    fn read_with(
        spec_text: &str,
        csv: &str,
        today: Option<&str>,
    ) -> Vec<Result<BulkRow, RowError>> {
        let spec = crate::io::import_spec::parse(spec_text, "spec.toml").unwrap();
        let mut reader = BulkCsvReader::new(&spec, csv.as_bytes()).unwrap();
        if let Some(day) = today {
            reader = reader.refusing_dates_after(day.parse().unwrap());
        }
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row() {
            rows.push(row);
        }
        rows
    }

    /// Issue 21: "A constant: `[[columns]]` with `value = "employee"` and `field =
    /// "nominal_kind"` (no `column`)"; "One column may feed several fields, and a field may be
    /// left out of a row when its column is empty."
    #[test]
    fn a_constant_fills_every_row_one_column_feeds_two_fields_and_an_empty_cell_is_left_out() {
        let spec = r#"
name = "rms-people"
version = 1
kind = "nominals"
id_system = "rms"

[[columns]]
value = "person"
field = "nominal_kind"

[[columns]]
column = "Person ID"
fields = ["external_id", "description"]

[[columns]]
column = "Name"
rsplit = " "
fields = ["forenames", "surname"]

[[columns]]
column = "DOB"
field = "date_of_birth"
format = "[day]/[month]/[year]"

[[columns]]
column = "Mobile"
field = "phone"
"#;
        let rows = read_with(
            spec,
            "Person ID,Name,DOB,Mobile\nP187,Lee Marsh,03/02/1985,07700 900111\nP188,Kim Vale,,\n",
            None,
        );
        let BulkRecord::Nominal(first) = &rows[0].as_ref().unwrap().record else {
            panic!("{rows:?}")
        };
        assert_eq!(first.external_id.as_deref(), Some("P187"));
        assert_eq!(first.phone.as_deref(), Some("+447700900111"));
        let crate::domain::NominalDetails::Person { surname, .. } = &first.details else {
            panic!("{first:?}")
        };
        assert_eq!(surname, "Marsh");
        let BulkRecord::Nominal(second) = &rows[1].as_ref().unwrap().record else {
            panic!("{rows:?}")
        };
        assert_eq!(
            (second.external_id.as_deref(), second.phone.as_deref()),
            (Some("P188"), None)
        );
        let crate::domain::NominalDetails::Person { date_of_birth, .. } = &second.details else {
            panic!("{second:?}")
        };
        assert_eq!(*date_of_birth, None);
    }

    /// Issue 21: "a row dated after the day of the import is refused as a bad row with that
    /// reason"; an expiry may lie ahead.
    #[test]
    fn a_row_dated_after_the_import_is_refused_but_an_expiry_may_lie_ahead() {
        let text = "Staff No,Vetting Level,Granted,Expires,Post Requires\n\
                    AB1,MV,01/01/2024,01/01/2031,MV\n\
                    AB2,MV,01/01/2027,01/01/2031,MV\n";
        let spec = shipped_spec(ImportKind::Vetting).unwrap();
        let mut reader = BulkCsvReader::new(&spec, text.as_bytes())
            .unwrap()
            .refusing_dates_after("2026-12-04".parse().unwrap());
        assert!(reader.next_row().unwrap().is_ok());
        let error = reader.next_row().unwrap().unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(error.column.as_deref(), Some("\"Granted\""));
        assert_eq!(
            error.reason,
            "granted_on: dated after the day of the import"
        );
        // A time on the day itself is not after it; the next morning is.
        let audit = r#"
name = "a"
version = 1
kind = "audit_events"
[[columns]]
column = "At"
field = "occurred_at"
[[columns]]
column = "By"
field = "staff_number"
[[columns]]
value = "RMS"
field = "system"
[[columns]]
column = "Surname"
field = "subject_surname"
"#;
        let rows = read_with(
            audit,
            "At,By,Surname\n2026-12-04T23:59:00Z,AB1,Marsh\n2026-12-05T00:00:00Z,AB1,Marsh\n",
            Some("2026-12-04"),
        );
        assert!(rows[0].is_ok(), "{rows:?}");
        assert_eq!(
            rows[1].as_ref().unwrap_err().reason,
            "occurred_at: dated after the day of the import"
        );
    }

    /// Excel on Windows writes CRLF: an error names the line of the file, blank lines are
    /// skipped, and no CR reaches a value.
    #[test]
    fn a_crlf_file_names_its_lines_right_and_its_blank_lines_are_skipped() {
        let text = format!(
            "{}\r\n07700 900111,07700 900222,2026-03-01T10:00:00Z,65,O\r\n\r\n07700 900111,07700 900222,2026-03-01T10:00:00Z,x,O\r\n",
            CALLS_HEADER.trim_end()
        );
        let rows = read_all(ImportKind::Calls, text.as_bytes());
        assert_eq!(rows.len(), 2, "{rows:?}");
        let BulkRecord::Call(call) = &rows[0].as_ref().unwrap().record else {
            panic!("{rows:?}")
        };
        assert_eq!(call.direction, "outgoing");
        assert_eq!(rows[1].as_ref().unwrap_err().line, 4);
        let preview = preview(text.as_bytes(), b',', 8).unwrap();
        assert_eq!(preview.header.last().map(String::as_str), Some("Direction"));
        assert_eq!(preview.rows.len(), 2);
        assert_eq!(preview.rows[0].last().map(String::as_str), Some("O"));
    }

    #[test]
    fn a_call_row_reads_with_its_phones_in_e164_and_direction_mapped() {
        let text =
            format!("{CALLS_HEADER}07700 900123,+44 7700 900456,2026-03-01T10:00:00Z,65,I\n");
        let rows = read_all(ImportKind::Calls, text.as_bytes());
        let row = rows[0].as_ref().unwrap();
        assert_eq!(row.line, 2);
        let BulkRecord::Call(call) = &row.record else {
            panic!("{row:?}")
        };
        assert_eq!(call.caller, "+447700900123");
        assert_eq!(call.callee, "+447700900456");
        assert_eq!(call.duration_secs, 65);
        assert_eq!(call.direction, "incoming");
    }

    #[test]
    fn errors_name_the_line_and_column_and_never_the_value() {
        let text = format!(
            "{CALLS_HEADER}07700 900123,07700 900456,2026-03-01T10:00:00Z,65,O\n07700 900123,07700 900456,SECRETNAME,65,O\n07700 900123,07700 900456\n07700 900123,07700 900456,2026-03-01T10:00:00Z,65,X\n"
        );
        let rows = read_all(ImportKind::Calls, text.as_bytes());
        let errors: Vec<RowError> = rows.into_iter().filter_map(Result::err).collect();
        assert_eq!(errors.len(), 3);
        assert_eq!(errors[0].line, 3);
        assert_eq!(errors[0].column.as_deref(), Some("\"Start\""));
        assert!(!errors[0].to_string().contains("SECRETNAME"));
        assert_eq!(errors[1].line, 4);
        assert!(errors[1].reason.contains("expected 5 columns, found 2"));
        assert_eq!(errors[2].column.as_deref(), Some("\"Direction\""));
        assert!(errors[2].reason.contains("unknown code"));
    }

    #[test]
    fn bad_utf8_an_empty_file_and_a_missing_header_column_are_refused() {
        let mut bytes = CALLS_HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"07700 900123,07700 9\xff0456,2026-03-01T10:00:00Z,65,O\n");
        let errors: Vec<RowError> = read_all(ImportKind::Calls, &bytes)
            .into_iter()
            .filter_map(Result::err)
            .collect();
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[0].column.as_deref(), Some("\"Callee\""));
        assert!(errors[0].reason.contains("UTF-8"));

        let empty = read_all(ImportKind::Calls, b"");
        assert!(empty[0].as_ref().unwrap_err().reason.contains("empty"));

        let missing = read_all(ImportKind::Calls, b"Caller,Start\n");
        let error = missing[0].as_ref().unwrap_err();
        assert_eq!(
            (error.line, error.column.as_deref()),
            (1, Some("\"Callee\""))
        );
    }

    #[test]
    fn a_row_over_the_limit_is_refused_naming_its_line() {
        let mut text = CALLS_HEADER.to_owned();
        text.push_str("07700 900123,07700 900456,2026-03-01T10:00:00Z,65,O\n");
        text.push_str(&"x".repeat(MAX_ROW_BYTES + 10));
        text.push_str(",b,c,d,e\n");
        let rows = read_all(ImportKind::Calls, text.as_bytes());
        let error = rows[1].as_ref().unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.reason.contains("the limit is"), "{error}");
    }

    #[test]
    fn an_audit_event_reads_uk_dates_and_a_mapped_reason() {
        let text = "Timestamp,User ID,System,Subject Surname,Subject Forenames,Subject DOB,Subject Phone,Reason\n\
                    01/03/2026 09:15:00, ab123 ,RMS,Smith, Jo ,17/05/1980,,inv\n";
        let rows = read_all(ImportKind::AuditEvents, text.as_bytes());
        let BulkRecord::AuditEvent(event) = &rows[0].as_ref().unwrap().record else {
            panic!()
        };
        assert_eq!(event.staff_number, "AB123");
        assert_eq!(event.reason_code.as_deref(), Some("investigation"));
        assert_eq!(event.subject.date_of_birth, IsoDate::from_ymd(1980, 5, 17));
        assert_eq!(event.occurred_at, 1_772_356_500);
    }

    /// The definitions the ASCII fast paths stand in for.
    fn is_collapsed_by_chars(text: &str) -> bool {
        text.split_whitespace().collect::<Vec<_>>().join(" ") == text
    }

    proptest! {
        #[test]
        fn case_and_space_checks_match_their_char_by_char_definitions(
            text in "\\PC{0,12}|[ a-zA-Z0-9\t\n\r\u{b}\u{c}\u{1c}\u{1f}\u{a0}\u{85}éß]{0,12}",
        ) {
            prop_assert_eq!(is_collapsed(&text), is_collapsed_by_chars(&text));
            prop_assert_eq!(has_lowercase(&text), text.chars().any(char::is_lowercase));
            prop_assert_eq!(has_uppercase(&text), text.chars().any(char::is_uppercase));
        }

        #[test]
        fn arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for kind in ImportKind::ALL {
                let _ = read_all(kind, &bytes);
            }
        }

        #[test]
        fn arbitrary_rows_of_plausible_cells_never_panic(
            cells in proptest::collection::vec("[ -~£\\t\\n\"]{0,12}", 0..40),
        ) {
            let mut text = CALLS_HEADER.to_owned();
            for chunk in cells.chunks(5) {
                text.push_str(&chunk.join(","));
                text.push('\n');
            }
            let _ = read_all(ImportKind::Calls, text.as_bytes());
        }
    }
}
