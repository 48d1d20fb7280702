//! Import specifications (TOML): how the columns of one force system's CSV export become the
//! fields of a bulk record kind, as iBase import specifications do, but versioned and checked
//! whole before a row is read. Every problem is reported with the line of the spec it is on.
//!
//! ```toml
//! name = "rms-audit"              # stable across versions
//! version = 1
//! kind = "audit_events"           # audit_events, calls, hospitality, business_interests, contracts
//! description = "Records system audit export"
//! delimiter = ","                 # one character; "\t" for tab
//! header = true                   # the first line names the columns
//! encoding = "utf-8"              # the only encoding read; anything else is refused
//! default_region = "GB"           # how national phone numbers are read
//! match_subject_by = ["name_and_dob", "phone"]   # how a looked-up subject is matched, in order
//! id_system = "rms"               # the system whose ids the file's *external_id columns hold
//!
//! [[columns]]
//! column = "When"                 # by header name; or index = 0 (from 0) without a header
//! field = "occurred_at"
//! format = "[day]/[month]/[year] [hour]:[minute]"  # dates and times: the `time` crate's syntax
//!
//! [[columns]]
//! column = "Name"
//! rsplit = " "                    # split into several fields, from the right (or split = ",")
//! fields = ["subject_forenames", "subject_surname"]
//! transforms = ["trim", "collapse_spaces"]        # trim, upper, lower, collapse_spaces
//!
//! [[columns]]
//! column = "Reason"
//! field = "reason_code"
//! map = { OP = "operational", TR = "training" }   # a value not in the map is refused (empty is missing)
//!
//! [[columns]]
//! value = "RMS"                   # a constant: every row gets it (no column)
//! field = "system"
//!
//! [[columns]]
//! column = "Person ID"            # one column may fill several fields, whole (no split),
//! fields = ["subject_external_id", "reason_code"]  # or appear in several [[columns]] entries
//! ```
//!
//! A field whose column is empty on a row is left out of that row (a required one makes the row
//! bad). Kinds: `audit_events`, `calls`, `hospitality`, `business_interests`, `contracts`,
//! `workforce_records`, `conduct_outcomes`, `nominals`, `links`, `intel_items`,
//! `notifiable_associations`, `cases`, `vetting`, `deployments`. Wherever a row names a nominal it may do so by the id the spec's `id_system`
//! gave it (`external_id` on a nominals row; `from_external_id`, `to_external_id`,
//! `subject_external_id`, `associate_external_id`, `victim_external_id`,
//! `person_external_id`), tried before the
//! staff number, phone, name and date of birth, or organisation name.

use super::numeric_date_format::NumericDateFormat;
use crate::domain::{FieldType, ImportKind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use time::format_description::OwnedFormatItem;
use toml::Spanned;

/// A spec that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name} line {line}: {reason}")]
pub struct ImportSpecError {
    pub source_name: String,
    pub line: usize,
    pub reason: String,
}

/// A text change applied to a column's value before it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    Trim,
    Upper,
    Lower,
    CollapseSpaces,
}

/// Where a column is in the file, or the constant a spec gives instead of a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnRef {
    Name(String),
    Index(usize),
    /// `value = "..."`: every row gets this text.
    Constant(String),
}

impl std::fmt::Display for ColumnRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ColumnRef::Name(name) => write!(f, "\"{name}\""),
            ColumnRef::Index(index) => write!(f, "{}", index + 1),
            // Never the value itself: errors name where, not what.
            ColumnRef::Constant(_) => write!(f, "(the spec's constant)"),
        }
    }
}

/// How one column's text is split over several fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub separator: String,
    pub from_right: bool,
}

/// One column of the file and the field(s) it fills.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    pub column: ColumnRef,
    /// Indices into the kind's fields.
    pub fields: Vec<usize>,
    pub split: Option<Split>,
    pub transforms: Vec<Transform>,
    /// For date and timestamp fields; `None` reads ISO 8601 (RFC 3339 for timestamps).
    pub format: Option<OwnedFormatItem>,
    /// Whether the format carries a UTC offset (otherwise times are read as UTC).
    pub format_has_offset: bool,
    /// The format compiled for the common all-numeric case; cells it cannot read go to
    /// `format`.
    pub numeric_format: Option<NumericDateFormat>,
    pub map: Option<BTreeMap<String, String>>,
}

/// How an audit event's subject is matched to a nominal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectMatch {
    NameAndDob,
    Phone,
}

/// A checked import specification.
#[derive(Debug, Clone)]
pub struct ImportSpec {
    pub name: String,
    pub version: u32,
    pub kind: ImportKind,
    pub description: String,
    pub delimiter: u8,
    pub header: bool,
    pub default_region: String,
    pub match_subject_by: Vec<SubjectMatch>,
    /// The system whose ids the file's external id fields hold (lower case), if it has any.
    pub id_system: Option<String>,
    pub columns: Vec<ColumnSpec>,
    /// The file as read, saved in the workbench with the version.
    pub document: String,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    name: String,
    version: u32,
    kind: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    delimiter: Option<Spanned<String>>,
    #[serde(default = "default_true")]
    header: bool,
    #[serde(default)]
    encoding: Option<Spanned<String>>,
    #[serde(default)]
    default_region: Option<Spanned<String>>,
    #[serde(default)]
    match_subject_by: Option<Vec<SubjectMatch>>,
    #[serde(default)]
    id_system: Option<Spanned<String>>,
    columns: Vec<Spanned<RawColumn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    #[serde(default)]
    column: Option<String>,
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    fields: Option<Vec<String>>,
    #[serde(default)]
    split: Option<String>,
    #[serde(default)]
    rsplit: Option<String>,
    #[serde(default)]
    transforms: Vec<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    map: Option<BTreeMap<String, String>>,
}

/// Reads and checks the import spec in the file at `path` (a spec is a few hundred bytes), named
/// in errors by its path.
///
/// # Errors
/// The file cannot be read (line 0, with the kind of I/O error), or [`parse`] refuses it.
pub fn read_file(path: &std::path::Path) -> Result<ImportSpec, ImportSpecError> {
    let source_name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|err| ImportSpecError {
        source_name: source_name.clone(),
        line: 0,
        reason: format!("could not read the file: {}", err.kind()),
    })?;
    parse(&text, &source_name)
}

/// Reads and checks an import spec. `source_name` names it in errors (the file name).
///
/// # Errors
/// TOML syntax, unknown keys, an unknown kind or field, a field mapped twice, a required field
/// not mapped, a date format that does not parse or on a field that is not a date, a value map
/// onto codes the field does not have, a delimiter that is not one character, an encoding other
/// than UTF-8; each with its line.
#[expect(
    clippy::too_many_lines,
    reason = "every key of a spec checked in file order, each error with its line"
)]
pub fn parse(text: &str, source_name: &str) -> Result<ImportSpec, ImportSpecError> {
    let error = |span: Option<Range<usize>>, reason: String| ImportSpecError {
        source_name: source_name.to_owned(),
        line: span.map_or(1, |span| super::line_of(text, span.start)),
        reason,
    };
    let raw: RawSpec =
        toml::from_str(text).map_err(|e| error(e.span(), e.message().trim().to_owned()))?;
    if raw.name.trim().is_empty() {
        return Err(error(None, "name must not be empty".into()));
    }
    if raw.version == 0 {
        return Err(error(None, "version starts at 1".into()));
    }
    let kind = ImportKind::parse(raw.kind.get_ref()).ok_or_else(|| {
        error(
            Some(raw.kind.span()),
            format!(
                "unknown kind; expected one of {}",
                ImportKind::ALL.map(ImportKind::as_str).join(", ")
            ),
        )
    })?;
    let delimiter = match &raw.delimiter {
        None => b',',
        Some(d) => match d.get_ref().as_bytes() {
            [byte] if byte.is_ascii() && *byte != b'"' && *byte != b'\n' && *byte != b'\r' => *byte,
            _ => {
                return Err(error(
                    Some(d.span()),
                    "delimiter must be one ASCII character other than a quote or a line break"
                        .into(),
                ));
            }
        },
    };
    if let Some(encoding) = &raw.encoding {
        let name = encoding.get_ref().to_ascii_lowercase();
        if name != "utf-8" && name != "utf8" {
            return Err(error(
                Some(encoding.span()),
                "only UTF-8 files are read; convert the export to UTF-8 first".into(),
            ));
        }
    }
    let default_region = match &raw.default_region {
        None => "GB".to_owned(),
        Some(region) => {
            if region
                .get_ref()
                .parse::<phonenumber::country::Id>()
                .is_err()
            {
                return Err(error(
                    Some(region.span()),
                    "default_region must be an ISO 3166 country code such as GB".into(),
                ));
            }
            region.get_ref().clone()
        }
    };
    let fields = kind.fields();
    let mut mapped: BTreeSet<usize> = BTreeSet::new();
    let mut columns = Vec::with_capacity(raw.columns.len());
    for spanned in &raw.columns {
        let span = Some(spanned.span());
        let column = spanned.get_ref();
        let column_ref = match (&column.column, column.index, &column.value) {
            (Some(name), None, None) if raw.header => ColumnRef::Name(name.clone()),
            (Some(_), None, None) => {
                return Err(error(
                    span,
                    "a file without a header names its columns by index, not by name".into(),
                ));
            }
            (None, Some(index), None) => ColumnRef::Index(index),
            (None, None, Some(value)) if value.trim().is_empty() => {
                return Err(error(span, "a constant value must not be empty".into()));
            }
            (None, None, Some(value)) => ColumnRef::Constant(value.clone()),
            _ => {
                return Err(error(
                    span,
                    "give one of: the column by name (column = \"...\"), by index (index = 0), \
                     or a constant (value = \"...\")"
                        .into(),
                ));
            }
        };
        let targets: Vec<String> = match (&column.field, &column.fields) {
            (Some(field), None) => vec![field.clone()],
            (None, Some(targets)) if !targets.is_empty() => targets.clone(),
            _ => {
                return Err(error(
                    span,
                    "give one field (field = \"...\") or several to split into (fields = [...])"
                        .into(),
                ));
            }
        };
        let split = match (&column.split, &column.rsplit) {
            (None, None) => None,
            (Some(sep), None) => Some(Split {
                separator: sep.clone(),
                from_right: false,
            }),
            (None, Some(sep)) => Some(Split {
                separator: sep.clone(),
                from_right: true,
            }),
            (Some(_), Some(_)) => {
                return Err(error(span, "use split or rsplit, not both".into()));
            }
        };
        if split.as_ref().is_some_and(|s| s.separator.is_empty()) {
            return Err(error(span, "a split separator must not be empty".into()));
        }
        if targets.len() < 2 && split.is_some() {
            return Err(error(
                span,
                "a split needs several fields (fields = [...])".into(),
            ));
        }
        let mut indices = Vec::with_capacity(targets.len());
        for target in &targets {
            let index = kind.field_index(target).ok_or_else(|| {
                error(
                    span.clone(),
                    format!(
                        "{} has no field {target}; its fields are {}",
                        kind.as_str(),
                        fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            if !mapped.insert(index) {
                return Err(error(
                    span.clone(),
                    format!("field {target} is filled by two columns"),
                ));
            }
            indices.push(index);
        }
        let mut transforms = Vec::with_capacity(column.transforms.len());
        for name in &column.transforms {
            transforms.push(match name.as_str() {
                "trim" => Transform::Trim,
                "upper" => Transform::Upper,
                "lower" => Transform::Lower,
                "collapse_spaces" => Transform::CollapseSpaces,
                _ => {
                    return Err(error(
                        span,
                        "unknown transform; expected trim, upper, lower or collapse_spaces".into(),
                    ));
                }
            });
        }
        let dated = indices
            .iter()
            .all(|&i| matches!(fields[i].ty, FieldType::Date | FieldType::Timestamp));
        let (format, format_has_offset) = match &column.format {
            None => (None, false),
            Some(_) if !dated => {
                return Err(error(
                    span,
                    "format is only for date and timestamp fields".into(),
                ));
            }
            Some(text) => {
                let item = time::format_description::parse_owned::<2>(text).map_err(|e| {
                    error(span.clone(), format!("the date format does not parse: {e}"))
                })?;
                (Some(item), text.contains("[offset"))
            }
        };
        if let Some(map) = &column.map {
            for &index in &indices {
                if let FieldType::Code(codes) = fields[index].ty
                    && let Some(bad) = map
                        .values()
                        .find(|v| !v.is_empty() && !codes.contains(&v.as_str()))
                {
                    return Err(error(
                        span,
                        format!(
                            "the map gives {bad}, which {} does not have; its codes are {}",
                            fields[index].name,
                            codes.join(", ")
                        ),
                    ));
                }
            }
        }
        columns.push(ColumnSpec {
            column: column_ref,
            fields: indices,
            split,
            transforms,
            numeric_format: column
                .format
                .as_deref()
                .and_then(NumericDateFormat::compile),
            format,
            format_has_offset,
            map: column.map.clone(),
        });
    }
    let id_system = match &raw.id_system {
        None => None,
        Some(system) => {
            let name = system.get_ref().trim().to_ascii_lowercase();
            if name.is_empty()
                || name.len() > 32
                || !name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(error(
                    Some(system.span()),
                    "id_system must be a short name of letters, digits, - or _ (such as rms)"
                        .into(),
                ));
            }
            Some(name)
        }
    };
    if id_system.is_none()
        && let Some((column, _)) = raw.columns.iter().zip(&columns).find(|(_, c)| {
            c.fields
                .iter()
                .any(|&i| fields[i].name.ends_with("external_id"))
        })
    {
        return Err(error(
            Some(column.span()),
            "an external id field needs the spec to name its system (id_system = \"...\")".into(),
        ));
    }
    if let Some(missing) = fields
        .iter()
        .enumerate()
        .find(|(i, f)| f.required && !mapped.contains(i))
    {
        return Err(error(
            None,
            format!(
                "{} needs field {}, and no column fills it",
                kind.as_str(),
                missing.1.name
            ),
        ));
    }
    // Intelligence is graded 3x5x2 or, in a legacy log, 5x5x5: a spec fills one or the other
    // completely (both is allowed: the 3x5x2 columns win, the 5x5x5 grading is kept beside).
    if kind == ImportKind::IntelItems {
        let is_mapped = |name: &str| {
            fields
                .iter()
                .position(|f| f.name == name)
                .is_some_and(|i| mapped.contains(&i))
        };
        let current = [
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
        ];
        let legacy = [
            "legacy_source_evaluation",
            "legacy_intelligence_evaluation",
            "legacy_handling_code",
        ];
        if !current.iter().all(|f| is_mapped(f)) && !legacy.iter().all(|f| is_mapped(f)) {
            let missing = current
                .iter()
                .find(|f| !is_mapped(f))
                .copied()
                .unwrap_or("source_evaluation");
            return Err(error(
                None,
                format!(
                    "intel_items needs field {missing}, and no column fills it (or map all three \
                     legacy 5x5x5 fields: legacy_source_evaluation, \
                     legacy_intelligence_evaluation, legacy_handling_code)"
                ),
            ));
        }
    }
    Ok(ImportSpec {
        name: raw.name.trim().to_owned(),
        version: raw.version,
        kind,
        description: raw.description,
        delimiter,
        header: raw.header,
        default_region,
        match_subject_by: raw
            .match_subject_by
            .unwrap_or_else(|| vec![SubjectMatch::NameAndDob, SubjectMatch::Phone]),
        id_system,
        columns,
        document: text.to_owned(),
    })
}

impl ImportSpec {
    /// The column that fills the field `name`, as errors name it.
    #[must_use]
    pub fn column_of(&self, name: &str) -> Option<String> {
        let index = self.kind.field_index(name)?;
        self.columns
            .iter()
            .find(|c| c.fields.contains(&index))
            .map(|c| c.column.to_string())
    }
}

/// One field's column, as mapped in the import wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    pub field: String,
    /// The header name of the column; empty when the field is left unmapped.
    pub column: String,
    /// A date format (`time` crate syntax) for date and timestamp fields; empty for the
    /// default (ISO 8601).
    pub format: String,
}

#[derive(serde::Serialize)]
struct WrittenColumn<'a> {
    column: &'a str,
    field: &'a str,
    transforms: [&'static str; 1],
    #[serde(skip_serializing_if = "str::is_empty")]
    format: &'a str,
}

#[derive(serde::Serialize)]
struct WrittenSpec<'a> {
    name: &'a str,
    version: u32,
    kind: &'static str,
    description: &'a str,
    delimiter: String,
    header: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_system: Option<&'a str>,
    columns: Vec<WrittenColumn<'a>>,
}

/// What the import wizard sets beside the columns: the spec's name and version, the kind, the
/// delimiter, and the system whose ids the file's external id columns hold (if any).
#[derive(Debug, Clone, Copy)]
pub struct MappedSpec<'a> {
    pub name: &'a str,
    pub version: u32,
    pub kind: ImportKind,
    pub delimiter: char,
    pub id_system: Option<&'a str>,
}

/// Writes the spec a column mapping makes (TOML) and reads it back, so a spec mapped in the
/// GUI is checked, saved and versioned exactly as a spec file is.
///
/// # Errors
/// As [`parse`]: a required field not mapped, a date format that does not parse.
pub fn spec_from_mapping(
    spec: MappedSpec<'_>,
    mapping: &[ColumnMapping],
) -> Result<ImportSpec, ImportSpecError> {
    let MappedSpec {
        name,
        version,
        kind,
        delimiter,
        id_system,
    } = spec;
    let written = WrittenSpec {
        name,
        version,
        kind: kind.as_str(),
        description: "Mapped in the import wizard",
        delimiter: delimiter.to_string(),
        header: true,
        id_system: id_system.map(str::trim).filter(|s| !s.is_empty()),
        columns: mapping
            .iter()
            .filter(|m| !m.column.is_empty())
            .map(|m| WrittenColumn {
                column: &m.column,
                field: &m.field,
                transforms: ["trim"],
                format: &m.format,
            })
            .collect(),
    };
    let text = toml::to_string(&written).map_err(|e| ImportSpecError {
        source_name: name.to_owned(),
        line: 1,
        reason: e.to_string(),
    })?;
    parse(&text, name)
}

/// The specs shipped in `assets/import_specs/`, one per kind, for the demo's exports and as
/// examples to copy.
pub const SHIPPED_SPECS: [(&str, &str); 14] = [
    (
        "audit_events.toml",
        include_str!("../../assets/import_specs/audit_events.toml"),
    ),
    (
        "calls.toml",
        include_str!("../../assets/import_specs/calls.toml"),
    ),
    (
        "hospitality.toml",
        include_str!("../../assets/import_specs/hospitality.toml"),
    ),
    (
        "business_interests.toml",
        include_str!("../../assets/import_specs/business_interests.toml"),
    ),
    (
        "contracts.toml",
        include_str!("../../assets/import_specs/contracts.toml"),
    ),
    (
        "nominals.toml",
        include_str!("../../assets/import_specs/nominals.toml"),
    ),
    (
        "links.toml",
        include_str!("../../assets/import_specs/links.toml"),
    ),
    (
        "intel_items.toml",
        include_str!("../../assets/import_specs/intel_items.toml"),
    ),
    (
        "workforce_records.toml",
        include_str!("../../assets/import_specs/workforce_records.toml"),
    ),
    (
        "conduct_outcomes.toml",
        include_str!("../../assets/import_specs/conduct_outcomes.toml"),
    ),
    (
        "notifiable_associations.toml",
        include_str!("../../assets/import_specs/notifiable_associations.toml"),
    ),
    (
        "cases.toml",
        include_str!("../../assets/import_specs/cases.toml"),
    ),
    (
        "vetting.toml",
        include_str!("../../assets/import_specs/vetting.toml"),
    ),
    (
        "deployments.toml",
        include_str!("../../assets/import_specs/deployments.toml"),
    ),
];

/// The shipped spec for a kind.
///
/// # Errors
/// Never for the shipped files (a test parses each); the error is kept for honesty.
pub fn shipped_spec(kind: ImportKind) -> Result<ImportSpec, ImportSpecError> {
    let (name, text) = SHIPPED_SPECS
        .iter()
        .find(|(name, _)| name.trim_end_matches(".toml") == kind.as_str())
        .copied()
        .unwrap_or(SHIPPED_SPECS[0]);
    parse(text, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_specs_parse_and_each_is_for_its_kind() {
        for kind in ImportKind::ALL {
            let spec = shipped_spec(kind).unwrap();
            assert_eq!(spec.kind, kind);
        }
    }

    fn refused(text: &str) -> ImportSpecError {
        parse(text, "spec.toml").unwrap_err()
    }

    const HEAD: &str = "name = \"t\"\nversion = 1\nkind = \"calls\"\n";

    #[test]
    fn a_mapping_makes_a_spec_that_reads_back_and_an_unmapped_required_field_is_refused() {
        let map = |field: &str, column: &str| ColumnMapping {
            field: field.into(),
            column: column.into(),
            format: String::new(),
        };
        let mut mapping = vec![
            map("caller", "From \"A\""),
            map("callee", "To"),
            map("started_at", "When"),
            map("duration_secs", "Secs"),
        ];
        let wizard = MappedSpec {
            name: "wizard",
            version: 3,
            kind: ImportKind::Calls,
            delimiter: ';',
            id_system: None,
        };
        let spec = spec_from_mapping(wizard, &mapping).unwrap();
        assert_eq!((spec.version, spec.delimiter), (3, b';'));
        assert_eq!(spec.columns[0].column, ColumnRef::Name("From \"A\"".into()));
        mapping[1].column.clear();
        let error = spec_from_mapping(wizard, &mapping).unwrap_err();
        assert!(error.reason.contains("needs field callee"), "{error}");
    }

    #[test]
    fn an_unknown_field_is_refused_naming_its_line() {
        let text = format!(
            "{HEAD}[[columns]]\ncolumn = \"a\"\nfield = \"caller\"\n\n[[columns]]\ncolumn = \"b\"\nfield = \"nope\"\n"
        );
        let e = refused(&text);
        assert_eq!(e.line, 8, "{e}");
        assert!(e.reason.contains("no field nope"), "{e}");
    }

    #[test]
    fn a_required_field_left_unmapped_is_refused() {
        let text = format!("{HEAD}[[columns]]\ncolumn = \"a\"\nfield = \"caller\"\n");
        assert!(refused(&text).reason.contains("needs field callee"));
    }

    #[test]
    fn a_bad_date_format_and_a_format_on_text_are_refused() {
        let base = "[[columns]]\ncolumn = \"a\"\nfield = \"caller\"\n[[columns]]\ncolumn = \"b\"\nfield = \"callee\"\n[[columns]]\ncolumn = \"d\"\nfield = \"duration_secs\"\n";
        let bad_format = format!(
            "{HEAD}{base}[[columns]]\ncolumn = \"s\"\nfield = \"started_at\"\nformat = \"[day\"\n"
        );
        let e = refused(&bad_format);
        assert_eq!(e.line, 13, "{e}");
        let on_text =
            format!("{HEAD}[[columns]]\ncolumn = \"a\"\nfield = \"caller\"\nformat = \"[day]\"\n");
        assert!(refused(&on_text).reason.contains("only for date"));
    }

    #[test]
    fn a_map_onto_a_code_the_field_lacks_is_refused() {
        let text = format!(
            "{HEAD}[[columns]]\ncolumn = \"x\"\nfield = \"direction\"\nmap = {{ O = \"sideways\" }}\n"
        );
        assert!(refused(&text).reason.contains("sideways"));
    }

    #[test]
    fn constants_and_id_systems_are_checked_naming_their_lines() {
        let refused_at = |text: &str| {
            let e = refused(text);
            (e.line, e.reason)
        };
        let head = "name = \"t\"\nversion = 1\nkind = \"audit_events\"\n";
        let base = "[[columns]]\ncolumn = \"a\"\nfield = \"occurred_at\"\n\
                    [[columns]]\ncolumn = \"b\"\nfield = \"staff_number\"\n";
        // A constant and a column on one entry.
        let (line, reason) = refused_at(&format!(
            "{head}{base}[[columns]]\ncolumn = \"c\"\nvalue = \"RMS\"\nfield = \"system\"\n"
        ));
        assert_eq!(line, 10);
        assert!(reason.contains("a constant"), "{reason}");
        // An empty constant.
        let (line, reason) = refused_at(&format!(
            "{head}{base}[[columns]]\nvalue = \" \"\nfield = \"system\"\n"
        ));
        assert_eq!(
            (line, reason.as_str()),
            (10, "a constant value must not be empty")
        );
        // An external id without the system it comes from.
        let (line, reason) = refused_at(&format!(
            "{head}{base}[[columns]]\nvalue = \"RMS\"\nfield = \"system\"\n\
             [[columns]]\ncolumn = \"p\"\nfield = \"subject_external_id\"\n"
        ));
        assert_eq!(line, 13);
        assert!(reason.contains("id_system"), "{reason}");
        // A system name that is not a short name.
        let (line, reason) = refused_at(&format!("{head}id_system = \"r m s\"\n{base}"));
        assert_eq!(line, 4);
        assert!(reason.contains("id_system"), "{reason}");
        // With both, the spec reads, the system in lower case.
        let spec = parse(
            &format!(
                "{head}id_system = \"RMS\"\n{base}[[columns]]\nvalue = \"RMS\"\nfield = \"system\"\n\
                 [[columns]]\ncolumn = \"p\"\nfield = \"subject_external_id\"\n"
            ),
            "spec.toml",
        )
        .unwrap();
        assert_eq!(spec.id_system.as_deref(), Some("rms"));
        assert_eq!(spec.columns[2].column, ColumnRef::Constant("RMS".into()));
    }

    /// One `[[columns]]` entry of the new grammar, from parts a generator picks: where its text
    /// comes from (a column, an index, a constant, several or none), what it fills, and options.
    fn column_entry(source: u8, field: &str, second: &str, split: u8, text: &str) -> String {
        let source = match source % 5 {
            0 => format!("column = {text:?}\n"),
            1 => "index = 2\n".to_owned(),
            2 => format!("value = {text:?}\n"),
            3 => format!("column = {text:?}\nvalue = {text:?}\n"),
            _ => String::new(),
        };
        let target = if second.is_empty() {
            format!("field = {field:?}\n")
        } else {
            format!("fields = [{field:?}, {second:?}]\n")
        };
        let split = match split % 3 {
            0 => String::new(),
            1 => "split = \",\"\n".to_owned(),
            _ => format!("rsplit = {text:?}\n"),
        };
        format!("[[columns]]\n{source}{target}{split}")
    }

    proptest::proptest! {
        /// Issue 21: "Property tests of the new spec grammar (no panic, errors by spec line)".
        #[test]
        fn the_new_grammar_never_panics_and_every_error_names_a_line_of_the_spec(
            kind in proptest::sample::select(ImportKind::ALL.to_vec()),
            id_system in proptest::option::of("[a-zA-Z _-]{0,6}"),
            entries in proptest::collection::vec(
                (0u8..5, 0usize..40, proptest::option::of(0usize..40), 0u8..3, "[ -~]{0,6}"),
                0..8,
            ),
        ) {
            let fields = kind.fields();
            let mut text = format!("name = \"p\"\nversion = 1\nkind = \"{}\"\n", kind.as_str());
            if let Some(system) = &id_system {
                let _ = std::fmt::Write::write_fmt(
                    &mut text,
                    format_args!("id_system = {system:?}\n"),
                );
            }
            for (source, field, second, split, value) in &entries {
                let name = fields.get(*field).map_or("no_such_field", |f| f.name);
                let second = second.and_then(|i| fields.get(i)).map_or("", |f| f.name);
                text.push_str(&column_entry(*source, name, second, *split, value));
            }
            let lines = text.lines().count();
            match parse(&text, "p.toml") {
                Ok(spec) => proptest::prop_assert_eq!(spec.kind, kind),
                Err(error) => proptest::prop_assert!(
                    (1..=lines.max(1)).contains(&error.line),
                    "line {} of {lines}: {}", error.line, error.reason
                ),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics_the_spec_parser(text in "\\PC{0,400}") {
            let _ = parse(&text, "fuzz.toml");
        }

        #[test]
        fn shipped_specs_with_one_line_changed_never_panic(
            kind_index in 0usize..SHIPPED_SPECS.len(),
            line in 0usize..60,
            replacement in "[ -~]{0,40}",
        ) {
            let text = SHIPPED_SPECS[kind_index].1;
            let mut lines: Vec<&str> = text.lines().collect();
            if line < lines.len() {
                lines[line] = &replacement;
            }
            let _ = parse(&lines.join("\n"), "fuzz.toml");
        }
    }
}
