//! Records that arrive in bulk from force systems, not typed by a detective: system audit
//! events (who looked up whom), call records, gifts and hospitality, business interests and
//! procurement contracts, crime and incident records, command and control deployments. Each kind declares its fields, so an import specification can be
//! checked against it before a single row is read, and each row becomes a typed record or a
//! reason naming the field.

use super::{IsoDate, NominalDetails, PersonFlags};
use serde::Serialize;

/// What a bulk file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Force system audit trail: time, staff id, system, subject looked up, reason code.
    AuditEvents,
    /// Call data: caller, callee, start, duration, direction.
    Calls,
    /// The gifts and hospitality register.
    Hospitality,
    /// The business interests and secondary employment register.
    BusinessInterests,
    /// Procurement contract awards.
    Contracts,
    /// Extracts from HR and Professional Standards systems: performance reviews, sickness
    /// absences and complaints, per member of staff. The transferee package (HMICFRS
    /// recommendation 2) carries them; the CCU does not keep them itself.
    WorkforceRecords,
    /// Conduct outcomes from the Professional Standards case system: staff number, the date,
    /// the allegation's national corruption category, the outcome, and whether it went to the
    /// IOPC. The only sanctions the workbench knows.
    ConductOutcomes,
    /// Nominals from a register or another system: staff, persons, OCGs, organisations,
    /// phones. A row that names a nominal the workbench has is matched, not created again.
    Nominals,
    /// Links between nominals the workbench has, each end named by staff number, phone,
    /// person (name and date of birth) or organisation name; the import is their provenance.
    Links,
    /// Intelligence items (a legacy log, a partner's referrals), graded 3x5x2, with their
    /// subject named as a link's end is; each gets the next CCU reference, status received.
    IntelItems,
    /// The notifiable association register as a force keeps it: employee by staff number,
    /// associate as a link's end is named, category, relationship, declared on, origin and
    /// conditions. Each row is registered as one typed in is; a pair already live is matched.
    NotifiableAssociations,
    /// Crime and incident records: reference, victim, officer in charge by staff number,
    /// opened and closed on. What "look-ups of a victim after the case closed" reads.
    Cases,
    /// Vetting records: staff number, level held, granted and expiry dates, and the level the
    /// member of staff's post requires.
    Vetting,
    /// Command and control incident logs, one row per officer deployed per person involved:
    /// incident reference, time assigned, officer by staff number, whether the officer
    /// self-deployed, and the person involved by external id or by surname and date of birth.
    Deployments,
}

/// The type a field's text must parse to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// A calendar date, read with the column's declared format.
    Date,
    /// A date and time, read with the column's declared format, stored as Unix seconds (UTC).
    Timestamp,
    /// A whole number (seconds of a call).
    Integer,
    /// An amount of money (`£1,234.50`), stored in pence.
    Money,
    /// A phone number, normalised to E.164.
    Phone,
    /// Yes or no.
    Flag,
    /// One of a fixed list of codes.
    Code(&'static [&'static str]),
}

/// One field of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    /// Whether a date may fall after the day of the import (an expiry, the end of a link);
    /// any other date after it is a bad row.
    pub may_be_future: bool,
}

const fn field(name: &'static str, ty: FieldType, required: bool) -> FieldDef {
    FieldDef {
        name,
        ty,
        required,
        may_be_future: false,
    }
}

/// A date field that may lie ahead (an expiry).
const fn future_field(name: &'static str, ty: FieldType, required: bool) -> FieldDef {
    FieldDef {
        name,
        ty,
        required,
        may_be_future: true,
    }
}

/// The kinds of nominal a nominals file can hold.
pub const IMPORTABLE_NOMINAL_KINDS: &[&str] =
    &["employee", "person", "ocg", "organisation", "phone"];

/// The kinds of workforce record, as stored.
pub const WORKFORCE_RECORD_TYPES: &[&str] = &["performance", "sickness", "complaint"];

/// Call directions, as stored.
pub const CALL_DIRECTIONS: &[&str] = &["outgoing", "incoming"];

const AUDIT_EVENT_FIELDS: &[FieldDef] = &[
    field("occurred_at", FieldType::Timestamp, true),
    field("staff_number", FieldType::Text, true),
    field("system", FieldType::Text, true),
    field("subject_surname", FieldType::Text, false),
    field("subject_forenames", FieldType::Text, false),
    field("subject_date_of_birth", FieldType::Date, false),
    field("subject_phone", FieldType::Phone, false),
    field("subject_external_id", FieldType::Text, false),
    field("reason_code", FieldType::Text, false),
    // The incident or case the look-up was made for, where the system records one.
    field("incident_reference", FieldType::Text, false),
];

const CALL_FIELDS: &[FieldDef] = &[
    field("caller", FieldType::Phone, true),
    field("callee", FieldType::Phone, true),
    field("started_at", FieldType::Timestamp, true),
    field("duration_secs", FieldType::Integer, true),
    field("direction", FieldType::Code(CALL_DIRECTIONS), false),
];

const HOSPITALITY_FIELDS: &[FieldDef] = &[
    field("staff_number", FieldType::Text, true),
    field("offered_on", FieldType::Date, true),
    field("provider", FieldType::Text, true),
    field("description", FieldType::Text, false),
    field("value", FieldType::Money, false),
    field("accepted", FieldType::Flag, false),
];

const BUSINESS_INTEREST_FIELDS: &[FieldDef] = &[
    field("staff_number", FieldType::Text, true),
    field("organisation", FieldType::Text, true),
    field("description", FieldType::Text, false),
    field("declared_on", FieldType::Date, false),
    field("approved", FieldType::Flag, false),
];

const CONTRACT_FIELDS: &[FieldDef] = &[
    // Optional: made from the supplier and the date when the register has none.
    field("reference", FieldType::Text, false),
    field("supplier", FieldType::Text, true),
    field("awarded_on", FieldType::Date, true),
    field("value", FieldType::Money, false),
    field("awarded_by", FieldType::Text, false),
];

const WORKFORCE_RECORD_FIELDS: &[FieldDef] = &[
    field("staff_number", FieldType::Text, true),
    field("record_type", FieldType::Code(WORKFORCE_RECORD_TYPES), true),
    field("recorded_on", FieldType::Date, true),
    field("summary", FieldType::Text, true),
    field("ended_on", FieldType::Date, false),
    field("outcome", FieldType::Text, false),
    field("reference", FieldType::Text, false),
];

const CONDUCT_OUTCOME_FIELDS: &[FieldDef] = &[
    field("staff_number", FieldType::Text, true),
    field("decided_on", FieldType::Date, true),
    field("category", FieldType::Text, true),
    field(
        "outcome",
        FieldType::Code(super::ConductOutcomeKind::CODES),
        true,
    ),
    field("referred_to_iopc", FieldType::Flag, false),
];

const NOMINAL_FIELDS: &[FieldDef] = &[
    field(
        "nominal_kind",
        FieldType::Code(IMPORTABLE_NOMINAL_KINDS),
        true,
    ),
    field("staff_number", FieldType::Text, false),
    field("forenames", FieldType::Text, false),
    field("surname", FieldType::Text, false),
    field("date_of_birth", FieldType::Date, false),
    field("rank_grade", FieldType::Text, false),
    field("role", FieldType::Text, false),
    field("department", FieldType::Text, false),
    field("employee_type", FieldType::Text, false),
    field("status", FieldType::Text, false),
    field("vetting_level", FieldType::Text, false),
    field("name", FieldType::Text, false),
    field("description", FieldType::Text, false),
    field("number", FieldType::Phone, false),
    field("ocg_member", FieldType::Flag, false),
    field("criminal", FieldType::Flag, false),
    field("vulnerable", FieldType::Flag, false),
    field("victim", FieldType::Flag, false),
    field("journalist", FieldType::Flag, false),
    field("private_investigator", FieldType::Flag, false),
    field("external_id", FieldType::Text, false),
    // The phone the person or employee uses, and a person's OCG: matched or created, and
    // linked (`uses_phone`, `ocg_member`) in the same import.
    field("phone", FieldType::Phone, false),
    field("ocg_name", FieldType::Text, false),
];

const LINK_FIELDS: &[FieldDef] = &[
    field("link_type", FieldType::Text, true),
    field("confidence", FieldType::Text, false),
    field("valid_from", FieldType::Date, false),
    future_field("valid_to", FieldType::Date, false),
    field("from_external_id", FieldType::Text, false),
    field("from_staff_number", FieldType::Text, false),
    field("from_phone", FieldType::Phone, false),
    field("from_surname", FieldType::Text, false),
    field("from_forenames", FieldType::Text, false),
    field("from_date_of_birth", FieldType::Date, false),
    field("from_name", FieldType::Text, false),
    field("to_external_id", FieldType::Text, false),
    field("to_staff_number", FieldType::Text, false),
    field("to_phone", FieldType::Phone, false),
    field("to_surname", FieldType::Text, false),
    field("to_forenames", FieldType::Text, false),
    field("to_date_of_birth", FieldType::Date, false),
    field("to_name", FieldType::Text, false),
];

const INTEL_ITEM_FIELDS: &[FieldDef] = &[
    field("received_on", FieldType::Date, true),
    field("source_type", FieldType::Text, true),
    field("narrative", FieldType::Text, true),
    // The 3x5x2 grading, or the legacy 5x5x5 one below (kept as graded, mapped to 3x5x2 by the
    // reference data): a row needs one of the two.
    field("source_evaluation", FieldType::Text, false),
    field("intelligence_assessment", FieldType::Text, false),
    field("handling_code", FieldType::Text, false),
    field("handling_conditions", FieldType::Text, false),
    field("legacy_source_evaluation", FieldType::Text, false),
    field("legacy_intelligence_evaluation", FieldType::Text, false),
    field("legacy_handling_code", FieldType::Text, false),
    field("category", FieldType::Text, true),
    field("subcategory", FieldType::Text, false),
    field("subject_external_id", FieldType::Text, false),
    field("subject_staff_number", FieldType::Text, false),
    field("subject_phone", FieldType::Phone, false),
    field("subject_surname", FieldType::Text, false),
    field("subject_forenames", FieldType::Text, false),
    field("subject_date_of_birth", FieldType::Date, false),
    field("subject_name", FieldType::Text, false),
];

/// How an association came to the CCU, as a register row says it.
pub const NA_ORIGINS: &[&str] = &["declared", "discovered"];

const NOTIFIABLE_ASSOCIATION_FIELDS: &[FieldDef] = &[
    field("employee_staff_number", FieldType::Text, true),
    field("associate_external_id", FieldType::Text, false),
    field("associate_staff_number", FieldType::Text, false),
    field("associate_phone", FieldType::Phone, false),
    field("associate_surname", FieldType::Text, false),
    field("associate_forenames", FieldType::Text, false),
    field("associate_date_of_birth", FieldType::Date, false),
    field("associate_name", FieldType::Text, false),
    field("category", FieldType::Text, true),
    field(
        "relationship",
        FieldType::Code(super::NaRelationship::CODES),
        false,
    ),
    field("declared_on", FieldType::Date, true),
    field("origin", FieldType::Code(NA_ORIGINS), false),
    field("conditions", FieldType::Text, false),
];

const CASE_FIELDS: &[FieldDef] = &[
    field("reference", FieldType::Text, true),
    field("victim_external_id", FieldType::Text, false),
    field("victim_staff_number", FieldType::Text, false),
    field("victim_phone", FieldType::Phone, false),
    field("victim_surname", FieldType::Text, false),
    field("victim_forenames", FieldType::Text, false),
    field("victim_date_of_birth", FieldType::Date, false),
    field("victim_name", FieldType::Text, false),
    field("officer_staff_number", FieldType::Text, false),
    // What the officer on this row did on the case ("OIC", "FLO", "family liaison officer"...):
    // a liaison role explains contact with the victim while the case is open.
    field("officer_role", FieldType::Text, false),
    // Whether the person named by the victim fields is the victim (the default) or a witness.
    field("party_role", FieldType::Text, false),
    field("opened_on", FieldType::Date, true),
    field("closed_on", FieldType::Date, false),
];

const VETTING_FIELDS: &[FieldDef] = &[
    field("staff_number", FieldType::Text, true),
    field("level", FieldType::Text, true),
    field("granted_on", FieldType::Date, false),
    future_field("expires_on", FieldType::Date, false),
    field("post_requires", FieldType::Text, false),
];

const DEPLOYMENT_FIELDS: &[FieldDef] = &[
    field("incident_reference", FieldType::Text, true),
    field("deployed_at", FieldType::Timestamp, true),
    field("officer_staff_number", FieldType::Text, true),
    field("self_deployed", FieldType::Flag, false),
    // The person involved: by the id the spec's `id_system` gave them, or by surname and date
    // of birth (forenames help the match but are not enough without them).
    field("person_external_id", FieldType::Text, false),
    field("person_surname", FieldType::Text, false),
    field("person_forenames", FieldType::Text, false),
    field("person_date_of_birth", FieldType::Date, false),
];

impl ImportKind {
    pub const ALL: [ImportKind; 14] = [
        ImportKind::AuditEvents,
        ImportKind::Calls,
        ImportKind::Hospitality,
        ImportKind::BusinessInterests,
        ImportKind::Contracts,
        ImportKind::WorkforceRecords,
        ImportKind::ConductOutcomes,
        ImportKind::Nominals,
        ImportKind::Links,
        ImportKind::IntelItems,
        ImportKind::NotifiableAssociations,
        ImportKind::Cases,
        ImportKind::Vetting,
        ImportKind::Deployments,
    ];

    /// The name used in specs, on the command line and in the imports table.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::AuditEvents => "audit_events",
            ImportKind::Calls => "calls",
            ImportKind::Hospitality => "hospitality",
            ImportKind::BusinessInterests => "business_interests",
            ImportKind::Contracts => "contracts",
            ImportKind::WorkforceRecords => "workforce_records",
            ImportKind::ConductOutcomes => "conduct_outcomes",
            ImportKind::Nominals => "nominals",
            ImportKind::Links => "links",
            ImportKind::IntelItems => "intel_items",
            ImportKind::NotifiableAssociations => "notifiable_associations",
            ImportKind::Cases => "cases",
            ImportKind::Vetting => "vetting",
            ImportKind::Deployments => "deployments",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            ImportKind::AuditEvents => "System audit events",
            ImportKind::Calls => "Call records",
            ImportKind::Hospitality => "Gifts and hospitality",
            ImportKind::BusinessInterests => "Business interests",
            ImportKind::Contracts => "Procurement contracts",
            ImportKind::WorkforceRecords => "Performance, sickness and complaints",
            ImportKind::ConductOutcomes => "Conduct outcomes",
            ImportKind::Nominals => "Nominals: staff, people, OCGs, organisations, phones",
            ImportKind::Links => "Links",
            ImportKind::IntelItems => "Intelligence items",
            ImportKind::NotifiableAssociations => "Notifiable association register",
            ImportKind::Cases => "Crime and incident records",
            ImportKind::Vetting => "Vetting records",
            ImportKind::Deployments => "Command and control deployments",
        }
    }

    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The fields a row of this kind has, in a fixed order (a row's values are indexed by it).
    #[must_use]
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            ImportKind::AuditEvents => AUDIT_EVENT_FIELDS,
            ImportKind::Calls => CALL_FIELDS,
            ImportKind::Hospitality => HOSPITALITY_FIELDS,
            ImportKind::BusinessInterests => BUSINESS_INTEREST_FIELDS,
            ImportKind::Contracts => CONTRACT_FIELDS,
            ImportKind::WorkforceRecords => WORKFORCE_RECORD_FIELDS,
            ImportKind::ConductOutcomes => CONDUCT_OUTCOME_FIELDS,
            ImportKind::Nominals => NOMINAL_FIELDS,
            ImportKind::Links => LINK_FIELDS,
            ImportKind::IntelItems => INTEL_ITEM_FIELDS,
            ImportKind::NotifiableAssociations => NOTIFIABLE_ASSOCIATION_FIELDS,
            ImportKind::Cases => CASE_FIELDS,
            ImportKind::Vetting => VETTING_FIELDS,
            ImportKind::Deployments => DEPLOYMENT_FIELDS,
        }
    }

    /// The index of a field in [`ImportKind::fields`].
    #[must_use]
    pub fn field_index(self, name: &str) -> Option<usize> {
        self.fields().iter().position(|f| f.name == name)
    }
}

/// A field's value once its text has been read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Date(IsoDate),
    /// Unix seconds, UTC.
    Timestamp(i64),
    /// Whole numbers, and money in pence.
    Integer(i64),
    Flag(bool),
}

/// A row that has every field it needs but does not make a record; names the field, never
/// the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct RecordError {
    pub field: &'static str,
    pub reason: &'static str,
}

/// How a looked-up subject was identified in the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectIdentity {
    pub surname: Option<String>,
    pub forenames: Option<String>,
    pub date_of_birth: Option<IsoDate>,
    pub phone: Option<String>,
}

impl SubjectIdentity {
    /// The text stored with the event, from which the subject can be matched again later:
    /// `SURNAME|FORENAMES|YYYY-MM-DD|+44...`, empty parts where unknown.
    #[must_use]
    pub fn key(&self) -> String {
        let mut key = String::with_capacity(64);
        if let Some(surname) = &self.surname {
            push_name_key(&mut key, surname);
        }
        key.push('|');
        if let Some(forenames) = &self.forenames {
            push_name_key(&mut key, forenames);
        }
        key.push('|');
        if let Some(date_of_birth) = self.date_of_birth {
            date_of_birth.push_to(&mut key);
        }
        key.push('|');
        if let Some(phone) = &self.phone {
            key.push_str(phone);
        }
        key
    }
}

/// A look-up on a force system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemAuditEvent {
    pub occurred_at: i64,
    pub staff_number: String,
    pub system: String,
    pub subject: SubjectIdentity,
    /// The subject's id in the system the spec names (`id_system`), tried first.
    pub subject_external_id: Option<String>,
    pub reason_code: Option<String>,
    /// The incident or case the look-up was made for (upper case), where the system records
    /// one: a look-up tied to a new incident involving its subject has a policing purpose.
    pub incident_reference: Option<String>,
}

/// One call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord {
    pub caller: String,
    pub callee: String,
    pub started_at: i64,
    pub duration_secs: i64,
    pub direction: String,
}

/// A gift or hospitality offered to a member of staff.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GiftHospitality {
    pub staff_number: String,
    pub offered_on: IsoDate,
    pub provider: String,
    pub description: String,
    pub value_pence: Option<i64>,
    pub accepted: bool,
}

/// A declared business interest or second job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BusinessInterest {
    pub staff_number: String,
    pub organisation: String,
    pub description: String,
    pub declared_on: Option<IsoDate>,
    pub approved: bool,
}

/// A performance review, sickness absence or complaint against a member of staff, from the
/// HR or Professional Standards system that holds it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WorkforceRecord {
    pub staff_number: String,
    /// One of [`WORKFORCE_RECORD_TYPES`].
    pub record_type: String,
    pub recorded_on: IsoDate,
    /// A sickness absence's last day, a complaint's finalisation.
    pub ended_on: Option<IsoDate>,
    pub summary: String,
    pub outcome: Option<String>,
    /// The source system's own reference.
    pub reference: Option<String>,
}

/// A procurement contract award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcurementContract {
    /// The register's reference, or one made from the supplier and the date.
    pub reference: String,
    pub supplier: String,
    pub awarded_on: IsoDate,
    pub value_pence: Option<i64>,
    pub awarded_by: Option<String>,
}

/// One row of a bulk file, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkRecord {
    AuditEvent(SystemAuditEvent),
    Call(CallRecord),
    Hospitality(GiftHospitality),
    BusinessInterest(BusinessInterest),
    Contract(ProcurementContract),
    WorkforceRecord(WorkforceRecord),
    ConductOutcome(super::ConductOutcome),
    /// A nominal's details as read (normalised and validated against the reference data
    /// before it is written), with its id in the source system, its phone and its OCG.
    Nominal(NominalRow),
    /// A link as read; its ends are matched to nominals before it is written.
    Link(LinkRow),
    /// An intelligence item as read; its subject is matched before it is written.
    IntelItem(IntelItemRow),
    /// A register entry as read; its employee and associate are matched before it is written.
    NotifiableAssociation(NaRegisterRow),
    /// A crime or incident record as read; its victim is matched before it is written.
    Case(CaseRow),
    /// A vetting record.
    Vetting(VettingRecord),
    /// An officer's deployment to an incident with a person involved, as read; the officer
    /// and the person are matched before it is written.
    Deployment(DeploymentRow),
}

/// One row of a command and control incident log: one officer deployed to one incident, with
/// one person involved (the log is exported one row per person per officer, as cases are one
/// row per officer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentRow {
    /// The incident's reference in the command and control system, upper case.
    pub incident_reference: String,
    /// When the officer was assigned, Unix seconds (UTC).
    pub deployed_at: i64,
    pub officer_staff_number: String,
    /// Whether the officer put themselves on the incident rather than being sent.
    pub self_deployed: bool,
    /// The person involved: `external_id` (in the spec's `id_system`), or `person` with a
    /// surname and date of birth; never a staff number, phone or organisation name.
    pub person: NominalRef,
}

/// A row of a nominals file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NominalRow {
    pub details: NominalDetails,
    /// The nominal's id in the system the spec names (`id_system`).
    pub external_id: Option<String>,
    /// The phone the person or employee uses (E.164).
    pub phone: Option<String>,
    /// The OCG a person belongs to, by name.
    pub ocg_name: Option<String>,
}

/// A row of the notifiable association register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NaRegisterRow {
    pub employee_staff_number: String,
    pub associate: NominalRef,
    pub category: String,
    pub relationship: Option<super::NaRelationship>,
    pub declared_on: IsoDate,
    pub origin: super::NaOrigin,
    pub conditions: String,
}

/// Whether the person a case row names is its victim or a witness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseParty {
    #[default]
    Victim,
    Witness,
}

impl CaseParty {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            CaseParty::Victim => "victim",
            CaseParty::Witness => "witness",
        }
    }

    /// Reads the words records systems use: victim or witness, or their first letter (any
    /// case, spaces trimmed).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "victim" | "v" | "ip" | "injured party" | "aggrieved" => Some(CaseParty::Victim),
            "witness" | "w" | "wit" => Some(CaseParty::Witness),
            _ => None,
        }
    }
}

/// A crime or incident record: who the victim was, who had the case, when it was open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub reference: String,
    pub victim: NominalRef,
    /// The officer in charge (a case with several officers has a row for each).
    pub officer_staff_number: Option<String>,
    /// What that officer did on the case, as the system words it (upper case, single spaces).
    pub officer_role: Option<String>,
    /// Whether the person named is the case's victim or a witness.
    pub party_role: CaseParty,
    pub opened_on: IsoDate,
    pub closed_on: Option<IsoDate>,
}

/// A vetting record: the level a member of staff holds, and the level their post requires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VettingRecord {
    pub staff_number: String,
    /// A code of the `vetting_level` list.
    pub level: String,
    pub granted_on: Option<IsoDate>,
    pub expires_on: Option<IsoDate>,
    /// The level the post requires, a code of the same list.
    pub post_requires: Option<String>,
}

/// An intelligence item from a file: the fields a detective would type, and how the file
/// names its subject (if it names one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntelItemRow {
    pub received_on: IsoDate,
    pub source_type: String,
    pub narrative: String,
    pub source_evaluation: String,
    pub intelligence_assessment: String,
    pub handling_code: String,
    pub handling_conditions: Option<String>,
    /// A 5x5x5 grading as the file gives it; the 3x5x2 fields left empty are filled from it.
    pub legacy: Option<super::LegacyGrading>,
    pub category: String,
    pub subcategory: Option<String>,
    pub subject: Option<NominalRef>,
}

/// How a row names one end of a link: whichever of these the file gives, tried in this order
/// (external id, staff number, phone, person by name and date of birth, organisation name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NominalRef {
    /// The nominal's id in the system the spec names (`id_system`): tried first.
    pub external_id: Option<String>,
    pub staff_number: Option<String>,
    pub person: SubjectIdentity,
    pub name: Option<String>,
}

impl NominalRef {
    fn is_empty(&self) -> bool {
        self.external_id.is_none()
            && self.staff_number.is_none()
            && self.person.phone.is_none()
            && self.person.surname.is_none()
            && self.name.is_none()
    }
}

/// A link between two nominals, from a links file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub link_type: String,
    pub confidence: String,
    pub valid_from: Option<IsoDate>,
    pub valid_to: Option<IsoDate>,
    pub from: NominalRef,
    pub to: NominalRef,
}

/// Takes the values of a row (indexed as [`ImportKind::fields`]) one by one.
struct Values<'a> {
    fields: &'static [FieldDef],
    slots: &'a mut [Option<FieldValue>],
    /// Where the next field is looked for first: records take their fields mostly in the
    /// order the kind declares them, so a million-row file compares one name per field
    /// instead of scanning the list each time.
    next: usize,
}

impl Values<'_> {
    fn take(&mut self, name: &'static str) -> Option<FieldValue> {
        let (earlier, later) = self.fields.split_at(self.next.min(self.fields.len()));
        let index = later
            .iter()
            .position(|f| f.name == name)
            .map(|i| i + earlier.len())
            .or_else(|| earlier.iter().position(|f| f.name == name))?;
        self.next = index + 1;
        self.slots.get_mut(index)?.take()
    }

    fn text(&mut self, name: &'static str) -> Option<String> {
        match self.take(name) {
            Some(FieldValue::Text(text)) if !text.is_empty() => Some(text),
            _ => None,
        }
    }

    fn required_text(&mut self, name: &'static str) -> Result<String, RecordError> {
        self.text(name).ok_or(RecordError {
            field: name,
            reason: "is required",
        })
    }

    fn date(&mut self, name: &'static str) -> Option<IsoDate> {
        match self.take(name) {
            Some(FieldValue::Date(date)) => Some(date),
            _ => None,
        }
    }

    fn required_date(&mut self, name: &'static str) -> Result<IsoDate, RecordError> {
        self.date(name).ok_or(RecordError {
            field: name,
            reason: "is required",
        })
    }

    fn integer(&mut self, name: &'static str) -> Option<i64> {
        match self.take(name) {
            Some(FieldValue::Integer(n) | FieldValue::Timestamp(n)) => Some(n),
            _ => None,
        }
    }

    fn required_integer(&mut self, name: &'static str) -> Result<i64, RecordError> {
        self.integer(name).ok_or(RecordError {
            field: name,
            reason: "is required",
        })
    }

    fn flag(&mut self, name: &'static str) -> bool {
        matches!(self.take(name), Some(FieldValue::Flag(true)))
    }
}

impl BulkRecord {
    /// The kind of file a record of this sort comes from.
    #[must_use]
    pub fn kind(&self) -> ImportKind {
        match self {
            BulkRecord::AuditEvent(_) => ImportKind::AuditEvents,
            BulkRecord::Call(_) => ImportKind::Calls,
            BulkRecord::Hospitality(_) => ImportKind::Hospitality,
            BulkRecord::BusinessInterest(_) => ImportKind::BusinessInterests,
            BulkRecord::Contract(_) => ImportKind::Contracts,
            BulkRecord::WorkforceRecord(_) => ImportKind::WorkforceRecords,
            BulkRecord::ConductOutcome(_) => ImportKind::ConductOutcomes,
            BulkRecord::Nominal(_) => ImportKind::Nominals,
            BulkRecord::Link(_) => ImportKind::Links,
            BulkRecord::IntelItem(_) => ImportKind::IntelItems,
            BulkRecord::NotifiableAssociation(_) => ImportKind::NotifiableAssociations,
            BulkRecord::Case(_) => ImportKind::Cases,
            BulkRecord::Vetting(_) => ImportKind::Vetting,
            BulkRecord::Deployment(_) => ImportKind::Deployments,
        }
    }

    /// Builds the record of `kind` from a row's values, taking them out of `values` (so the
    /// caller can reuse the buffer without cloning).
    ///
    /// # Errors
    /// A required field that is missing, or a row-level rule broken (an audit event must
    /// identify its subject somehow; a call cannot last a negative time).
    pub fn from_values(
        kind: ImportKind,
        values: &mut [Option<FieldValue>],
    ) -> Result<Self, RecordError> {
        let mut v = Values {
            fields: kind.fields(),
            slots: values,
            next: 0,
        };
        Ok(match kind {
            ImportKind::AuditEvents => {
                let occurred_at = v.required_integer("occurred_at")?;
                let staff_number = upper(v.required_text("staff_number")?);
                let system = v.required_text("system")?;
                let subject = SubjectIdentity {
                    surname: v.text("subject_surname"),
                    forenames: v.text("subject_forenames"),
                    date_of_birth: v.date("subject_date_of_birth"),
                    phone: v.text("subject_phone"),
                };
                let subject_external_id = v.text("subject_external_id");
                if subject.surname.is_none()
                    && subject.phone.is_none()
                    && subject_external_id.is_none()
                {
                    return Err(RecordError {
                        field: "subject_surname",
                        reason: "the subject must be identified by an external id, a surname or a phone number",
                    });
                }
                BulkRecord::AuditEvent(SystemAuditEvent {
                    occurred_at,
                    staff_number,
                    system,
                    subject,
                    subject_external_id,
                    reason_code: v.text("reason_code"),
                    incident_reference: v.text("incident_reference").map(upper),
                })
            }
            ImportKind::Calls => {
                let from_phone = v.required_text("caller")?;
                let to_phone = v.required_text("callee")?;
                let started_at = v.required_integer("started_at")?;
                let duration_secs = v.required_integer("duration_secs")?;
                if duration_secs < 0 {
                    return Err(RecordError {
                        field: "duration_secs",
                        reason: "a call cannot last a negative time",
                    });
                }
                BulkRecord::Call(CallRecord {
                    caller: from_phone,
                    callee: to_phone,
                    started_at,
                    duration_secs,
                    direction: v.text("direction").unwrap_or_else(|| "outgoing".into()),
                })
            }
            ImportKind::Hospitality => BulkRecord::Hospitality(GiftHospitality {
                staff_number: upper(v.required_text("staff_number")?),
                offered_on: v.required_date("offered_on")?,
                provider: v.required_text("provider")?,
                description: v.text("description").unwrap_or_default(),
                value_pence: v.integer("value"),
                accepted: v.flag("accepted"),
            }),
            ImportKind::BusinessInterests => BulkRecord::BusinessInterest(BusinessInterest {
                staff_number: upper(v.required_text("staff_number")?),
                organisation: v.required_text("organisation")?,
                description: v.text("description").unwrap_or_default(),
                declared_on: v.date("declared_on"),
                approved: v.flag("approved"),
            }),
            ImportKind::WorkforceRecords => {
                let staff_number = upper(v.required_text("staff_number")?);
                let record_type = v.required_text("record_type")?;
                let recorded_on = v.required_date("recorded_on")?;
                let summary = v.required_text("summary")?;
                let ended_on = v.date("ended_on");
                if ended_on.is_some_and(|end| end < recorded_on) {
                    return Err(RecordError {
                        field: "ended_on",
                        reason: "a record cannot end before it was recorded",
                    });
                }
                BulkRecord::WorkforceRecord(WorkforceRecord {
                    staff_number,
                    record_type,
                    recorded_on,
                    ended_on,
                    summary,
                    outcome: v.text("outcome"),
                    reference: v.text("reference"),
                })
            }
            ImportKind::Nominals => BulkRecord::Nominal(nominal_from(&mut v)?),
            ImportKind::Links => BulkRecord::Link(link_from(&mut v)?),
            ImportKind::IntelItems => intel_item_from(&mut v)?,
            ImportKind::ConductOutcomes => {
                let staff_number = upper(v.required_text("staff_number")?);
                let decided_on = v.required_date("decided_on")?;
                let category = v.required_text("category")?;
                let outcome = super::ConductOutcomeKind::parse(&v.required_text("outcome")?)
                    .ok_or(RecordError {
                        field: "outcome",
                        reason: "is not a conduct outcome",
                    })?;
                BulkRecord::ConductOutcome(super::ConductOutcome {
                    staff_number,
                    decided_on,
                    category,
                    outcome,
                    referred_to_iopc: v.flag("referred_to_iopc"),
                })
            }
            ImportKind::Contracts => {
                let reference = v.text("reference");
                let supplier = v.required_text("supplier")?;
                let awarded_on = v.required_date("awarded_on")?;
                BulkRecord::Contract(ProcurementContract {
                    reference: reference
                        .unwrap_or_else(|| format!("{} {awarded_on}", organisation_key(&supplier))),
                    supplier,
                    awarded_on,
                    value_pence: v.integer("value"),
                    awarded_by: v.text("awarded_by").map(upper),
                })
            }
            ImportKind::NotifiableAssociations => na_row_from(&mut v)?,
            ImportKind::Cases => case_from(&mut v)?,
            ImportKind::Vetting => vetting_from(&mut v)?,
            ImportKind::Deployments => deployment_from(&mut v)?,
        })
    }
}

/// A row of the notifiable association register.
fn na_row_from(v: &mut Values<'_>) -> Result<BulkRecord, RecordError> {
    let employee_staff_number = upper(v.required_text("employee_staff_number")?);
    let associate = nominal_ref(v, "associate")?;
    let category = v.required_text("category")?.to_lowercase();
    let relationship = v
        .text("relationship")
        .and_then(|code| super::NaRelationship::parse(&code));
    let declared_on = v.required_date("declared_on")?;
    let origin = v
        .text("origin")
        .and_then(|code| super::NaOrigin::parse(&code))
        .unwrap_or(super::NaOrigin::Declared);
    Ok(BulkRecord::NotifiableAssociation(NaRegisterRow {
        employee_staff_number,
        associate,
        category,
        relationship,
        declared_on,
        origin,
        conditions: v.text("conditions").unwrap_or_default(),
    }))
}

/// A crime or incident record's row.
fn case_from(v: &mut Values<'_>) -> Result<BulkRecord, RecordError> {
    let reference = v.required_text("reference")?;
    let victim = nominal_ref(v, "victim")?;
    let officer_staff_number = v.text("officer_staff_number").map(upper);
    let officer_role = v
        .text("officer_role")
        .map(|role| upper(role.split_whitespace().collect::<Vec<_>>().join(" ")));
    let party_role = match v.text("party_role") {
        None => CaseParty::Victim,
        Some(text) => CaseParty::parse(&text).ok_or(RecordError {
            field: "party_role",
            reason: "expected victim or witness (V or W)",
        })?,
    };
    let opened_on = v.required_date("opened_on")?;
    let closed_on = v.date("closed_on");
    if closed_on.is_some_and(|closed| closed < opened_on) {
        return Err(RecordError {
            field: "closed_on",
            reason: "a case cannot close before it was opened",
        });
    }
    Ok(BulkRecord::Case(CaseRow {
        reference,
        victim,
        officer_staff_number,
        officer_role,
        party_role,
        opened_on,
        closed_on,
    }))
}

/// A command and control deployment's row: the person involved must be named by an external
/// id, or by surname and date of birth.
fn deployment_from(v: &mut Values<'_>) -> Result<BulkRecord, RecordError> {
    let incident_reference = upper(v.required_text("incident_reference")?);
    let deployed_at = v.required_integer("deployed_at")?;
    let officer_staff_number = upper(v.required_text("officer_staff_number")?);
    let self_deployed = v.flag("self_deployed");
    let external_id = v.text("person_external_id");
    let person = SubjectIdentity {
        surname: v.text("person_surname"),
        forenames: v.text("person_forenames"),
        date_of_birth: v.date("person_date_of_birth"),
        phone: None,
    };
    if external_id.is_none() {
        match (&person.surname, person.date_of_birth) {
            (Some(_), Some(_)) => {}
            (Some(_), None) => {
                return Err(RecordError {
                    field: "person_date_of_birth",
                    reason: "a person named by surname needs a date of birth",
                });
            }
            (None, Some(_)) => {
                return Err(RecordError {
                    field: "person_surname",
                    reason: "a person named by date of birth needs a surname",
                });
            }
            (None, None) => {
                return Err(RecordError {
                    field: "person_external_id",
                    reason: "the person involved must be named by an external id, or by surname and date of birth",
                });
            }
        }
    }
    Ok(BulkRecord::Deployment(DeploymentRow {
        incident_reference,
        deployed_at,
        officer_staff_number,
        self_deployed,
        person: NominalRef {
            external_id,
            staff_number: None,
            person,
            name: None,
        },
    }))
}

/// A vetting record's row.
fn vetting_from(v: &mut Values<'_>) -> Result<BulkRecord, RecordError> {
    let staff_number = upper(v.required_text("staff_number")?);
    let level = upper(v.required_text("level")?);
    let granted_on = v.date("granted_on");
    let expires_on = v.date("expires_on");
    if let (Some(granted), Some(expires)) = (granted_on, expires_on)
        && expires < granted
    {
        return Err(RecordError {
            field: "expires_on",
            reason: "vetting cannot expire before it was granted",
        });
    }
    Ok(BulkRecord::Vetting(VettingRecord {
        staff_number,
        level,
        granted_on,
        expires_on,
        post_requires: v.text("post_requires").map(upper),
    }))
}

fn nominal_ref(v: &mut Values<'_>, end: &'static str) -> Result<NominalRef, RecordError> {
    let [external, staff, phone, surname, forenames, dob, name] = match end {
        "from" => [
            "from_external_id",
            "from_staff_number",
            "from_phone",
            "from_surname",
            "from_forenames",
            "from_date_of_birth",
            "from_name",
        ],
        "subject" => [
            "subject_external_id",
            "subject_staff_number",
            "subject_phone",
            "subject_surname",
            "subject_forenames",
            "subject_date_of_birth",
            "subject_name",
        ],
        "associate" => [
            "associate_external_id",
            "associate_staff_number",
            "associate_phone",
            "associate_surname",
            "associate_forenames",
            "associate_date_of_birth",
            "associate_name",
        ],
        "victim" => [
            "victim_external_id",
            "victim_staff_number",
            "victim_phone",
            "victim_surname",
            "victim_forenames",
            "victim_date_of_birth",
            "victim_name",
        ],
        _ => [
            "to_external_id",
            "to_staff_number",
            "to_phone",
            "to_surname",
            "to_forenames",
            "to_date_of_birth",
            "to_name",
        ],
    };
    let reference = NominalRef {
        external_id: v.text(external),
        staff_number: v.text(staff).map(upper),
        person: SubjectIdentity {
            surname: v.text(surname),
            forenames: v.text(forenames),
            date_of_birth: v.date(dob),
            phone: v.text(phone),
        },
        name: v.text(name),
    };
    if reference.is_empty() {
        return Err(RecordError {
            field: staff,
            reason: "must be named by an external id, a staff number, a phone, a person or an organisation name",
        });
    }
    Ok(reference)
}

/// An intelligence row: graded 3x5x2, or 5x5x5 in the legacy columns (all three of them), or
/// both (the 3x5x2 columns then win and the legacy grading is kept beside them).
fn intel_item_from(v: &mut Values<'_>) -> Result<BulkRecord, RecordError> {
    let received_on = v.required_date("received_on")?;
    let source_type = v.required_text("source_type")?;
    let narrative = v.required_text("narrative")?;
    let legacy_parts = [
        v.text("legacy_source_evaluation").map(upper),
        v.text("legacy_intelligence_evaluation").map(upper),
        v.text("legacy_handling_code").map(upper),
    ];
    let legacy = match legacy_parts {
        [
            Some(source_evaluation),
            Some(intelligence_evaluation),
            Some(handling_code),
        ] => Some(super::LegacyGrading {
            source_evaluation,
            intelligence_evaluation,
            handling_code,
        }),
        [None, None, None] => None,
        [source, intelligence, _] => {
            return Err(RecordError {
                field: if source.is_none() {
                    "legacy_source_evaluation"
                } else if intelligence.is_none() {
                    "legacy_intelligence_evaluation"
                } else {
                    "legacy_handling_code"
                },
                reason: "a legacy 5x5x5 grading needs all three of its parts",
            });
        }
    };
    let mut graded = |name: &'static str| match v.text(name) {
        Some(code) => Ok(upper(code)),
        None if legacy.is_some() => Ok(String::new()),
        None => Err(RecordError {
            field: name,
            reason: "is required (or give the legacy 5x5x5 grading)",
        }),
    };
    let source_evaluation = graded("source_evaluation")?;
    let intelligence_assessment = graded("intelligence_assessment")?;
    let handling_code = graded("handling_code")?;
    Ok(BulkRecord::IntelItem(IntelItemRow {
        received_on,
        source_type,
        narrative,
        source_evaluation,
        intelligence_assessment,
        handling_code,
        handling_conditions: v.text("handling_conditions"),
        legacy,
        category: v.required_text("category")?,
        subcategory: v.text("subcategory"),
        subject: nominal_ref(v, "subject").ok(),
    }))
}

fn link_from(v: &mut Values<'_>) -> Result<LinkRow, RecordError> {
    Ok(LinkRow {
        link_type: v.required_text("link_type")?.to_lowercase(),
        confidence: v
            .text("confidence")
            .map_or_else(|| "probable".to_owned(), |c| c.to_lowercase()),
        valid_from: v.date("valid_from"),
        valid_to: v.date("valid_to"),
        from: nominal_ref(v, "from")?,
        to: nominal_ref(v, "to")?,
    })
}

/// The nominal a row of a nominals file describes, by its `nominal_kind`, with its external
/// id, phone and OCG.
fn nominal_from(v: &mut Values<'_>) -> Result<NominalRow, RecordError> {
    let mut details = nominal_details_from(v)?;
    let external_id = v.text("external_id");
    let phone = v.text("phone");
    let ocg_name = v.text("ocg_name");
    if phone.is_some()
        && !matches!(
            details,
            NominalDetails::Employee { .. } | NominalDetails::Person { .. }
        )
    {
        return Err(RecordError {
            field: "phone",
            reason: "only a person's or an employee's row may carry the phone they use",
        });
    }
    if ocg_name.is_some() && !matches!(details, NominalDetails::Person { .. }) {
        return Err(RecordError {
            field: "ocg_name",
            reason: "only a person's row may name their organised crime group",
        });
    }
    if let (Some(_), NominalDetails::Person { flags, .. }) = (&ocg_name, &mut details) {
        flags.ocg_member = true;
    }
    Ok(NominalRow {
        details,
        external_id,
        phone,
        ocg_name,
    })
}

fn nominal_details_from(v: &mut Values<'_>) -> Result<NominalDetails, RecordError> {
    let kind = v.required_text("nominal_kind")?;
    Ok(match kind.as_str() {
        "employee" => NominalDetails::Employee {
            staff_number: upper(v.required_text("staff_number")?),
            forenames: v.required_text("forenames")?,
            surname: v.required_text("surname")?,
            rank_grade: v.text("rank_grade").unwrap_or_default(),
            role: v.text("role").unwrap_or_default(),
            department: v.text("department").unwrap_or_default(),
            employee_type: v.required_text("employee_type")?,
            vetting_level: v.text("vetting_level"),
            vetting_expiry: None,
            status: v.text("status").unwrap_or_else(|| "serving".into()),
            date_of_birth: v.date("date_of_birth"),
        },
        "person" => NominalDetails::Person {
            forenames: v.required_text("forenames")?,
            surname: v.required_text("surname")?,
            aliases: Vec::new(),
            date_of_birth: v.date("date_of_birth"),
            flags: PersonFlags {
                ocg_member: v.flag("ocg_member"),
                criminal: v.flag("criminal"),
                vulnerable: v.flag("vulnerable"),
                victim: v.flag("victim"),
                journalist: v.flag("journalist"),
                private_investigator: v.flag("private_investigator"),
            },
        },
        "ocg" => NominalDetails::Ocg {
            name: v.required_text("name")?,
            description: v.text("description").unwrap_or_default(),
        },
        "organisation" => NominalDetails::Organisation {
            name: v.required_text("name")?,
            sector: v.text("description").unwrap_or_default(),
        },
        "phone" => NominalDetails::Phone {
            number: v.required_text("number")?,
        },
        _ => {
            return Err(RecordError {
                field: "nominal_kind",
                reason: "not a kind of nominal a file can hold",
            });
        }
    })
}

/// The text in upper case, copied only if it has a lower-case letter.
fn upper(mut text: String) -> String {
    if text.is_ascii() {
        // In place: no copy for the ASCII staff numbers of a million-row file.
        text.make_ascii_uppercase();
        text
    } else if text.chars().any(char::is_lowercase) {
        text.to_uppercase()
    } else {
        text
    }
}

/// A name as it is compared: upper case, single spaces.
#[must_use]
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    push_name_key(&mut key, name);
    key
}

/// Appends `name` as it is compared (see [`name_key`]) to `key`. Runs twice per row of a
/// million-row audit trail, so ASCII words (nearly all) are copied and upper-cased in place.
pub fn push_name_key(key: &mut String, name: &str) {
    let start = key.len();
    for word in name.split_ascii_whitespace() {
        if word.bytes().all(|b| b.is_ascii_graphic()) {
            if key.len() > start {
                key.push(' ');
            }
            let from = key.len();
            key.push_str(word);
            key[from..].make_ascii_uppercase();
        } else {
            // Letters beyond ASCII, or Unicode spaces within the word.
            for word in word.split_whitespace() {
                if key.len() > start {
                    key.push(' ');
                }
                for c in word.chars() {
                    key.extend(c.to_uppercase());
                }
            }
        }
    }
}

/// An organisation's name as it is compared across registers: upper case letters and digits,
/// without the legal suffix, so "Acme Security Ltd." and "ACME SECURITY LIMITED" are one
/// company.
#[must_use]
pub fn organisation_key(name: &str) -> String {
    const SUFFIXES: [&str; 6] = ["LTD", "LIMITED", "PLC", "LLP", "CO", "INC"];
    let upper = name.to_uppercase();
    let mut words: Vec<String> = upper
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| SUFFIXES.contains(&w.as_str())) {
        words.pop();
    }
    words.join(" ")
}

/// Reads money as written in registers: `£1,234.50`, `1234.5`, `1234`; pence.
#[must_use]
pub fn parse_money_pence(text: &str) -> Option<i64> {
    let cleaned: String = text
        .trim()
        .trim_start_matches('£')
        .chars()
        .filter(|&c| c != ',')
        .collect();
    let (pounds, pence) = match cleaned.split_once('.') {
        Some((pounds, pence)) => (pounds, pence),
        None => (cleaned.as_str(), ""),
    };
    if pounds.is_empty() || !pounds.bytes().all(|b| b.is_ascii_digit()) || pence.len() > 2 {
        return None;
    }
    if !pence.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let pounds: i64 = pounds.parse().ok()?;
    let pence_value: i64 = match pence.len() {
        0 => 0,
        1 => pence.parse::<i64>().ok()? * 10,
        _ => pence.parse().ok()?,
    };
    pounds.checked_mul(100)?.checked_add(pence_value)
}

/// An amount in pence as registers write it: `£1250.00`.
#[must_use]
pub fn format_pence(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    format!("{sign}£{}.{:02}", pence / 100, pence % 100)
}

/// Reads yes or no as registers write it.
#[must_use]
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" | "1" => Some(true),
        "n" | "no" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_its_name_and_has_unique_fields() {
        for kind in ImportKind::ALL {
            assert_eq!(ImportKind::parse(kind.as_str()), Some(kind));
            let fields = kind.fields();
            for (i, f) in fields.iter().enumerate() {
                assert_eq!(kind.field_index(f.name), Some(i));
            }
        }
    }

    #[test]
    fn organisation_names_compare_without_case_punctuation_or_legal_suffix() {
        assert_eq!(organisation_key("Acme Security Ltd."), "ACME SECURITY");
        assert_eq!(organisation_key("ACME  SECURITY LIMITED"), "ACME SECURITY");
        assert_eq!(organisation_key("Ltd"), "LTD");
    }

    #[test]
    fn pence_are_written_as_registers_write_them_and_read_back() {
        for pence in [0, 5, 1_250, 123_450] {
            assert_eq!(parse_money_pence(&format_pence(pence)), Some(pence));
        }
        assert_eq!(format_pence(123_450), "£1234.50");
        assert_eq!(format_pence(-7), "-£0.07");
    }

    #[test]
    fn money_is_read_in_pence_and_nonsense_is_refused() {
        assert_eq!(parse_money_pence("£1,234.50"), Some(123_450));
        assert_eq!(parse_money_pence("12.5"), Some(1250));
        assert_eq!(parse_money_pence("40"), Some(4000));
        for bad in ["", "£", "1.234", "-5", "ten", "1.x"] {
            assert_eq!(parse_money_pence(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_audit_event_without_a_subject_is_refused_naming_the_field() {
        let kind = ImportKind::AuditEvents;
        let mut values = vec![None; kind.fields().len()];
        values[0] = Some(FieldValue::Timestamp(1));
        values[1] = Some(FieldValue::Text("ab12".into()));
        values[2] = Some(FieldValue::Text("RMS".into()));
        let error = BulkRecord::from_values(kind, &mut values).unwrap_err();
        assert_eq!(error.field, "subject_surname");
    }

    fn deployment_values(
        external_id: Option<&str>,
        surname: Option<&str>,
        date_of_birth: Option<IsoDate>,
    ) -> Vec<Option<FieldValue>> {
        let kind = ImportKind::Deployments;
        let mut values = vec![None; kind.fields().len()];
        let mut set = |name: &str, value: FieldValue| {
            values[kind.field_index(name).unwrap()] = Some(value);
        };
        set("incident_reference", FieldValue::Text("inc-1".into()));
        set("deployed_at", FieldValue::Timestamp(1_700_000_000));
        set("officer_staff_number", FieldValue::Text("ab12".into()));
        set("self_deployed", FieldValue::Flag(true));
        if let Some(id) = external_id {
            set("person_external_id", FieldValue::Text(id.into()));
        }
        if let Some(surname) = surname {
            set("person_surname", FieldValue::Text(surname.into()));
        }
        if let Some(date) = date_of_birth {
            set("person_date_of_birth", FieldValue::Date(date));
        }
        values
    }

    #[test]
    fn a_deployment_names_its_person_by_external_id_or_surname_and_date_of_birth() {
        let kind = ImportKind::Deployments;
        let born = IsoDate::from_ymd(1990, 5, 6);
        let record =
            BulkRecord::from_values(kind, &mut deployment_values(Some("P1"), None, None)).unwrap();
        let BulkRecord::Deployment(row) = record else {
            panic!("not a deployment")
        };
        assert_eq!(row.incident_reference, "INC-1");
        assert_eq!(row.officer_staff_number, "AB12");
        assert!(row.self_deployed);
        assert_eq!(row.person.external_id.as_deref(), Some("P1"));
        assert!(
            BulkRecord::from_values(kind, &mut deployment_values(None, Some("Marsh"), born))
                .is_ok()
        );
        for (values, field) in [
            (deployment_values(None, None, None), "person_external_id"),
            (
                deployment_values(None, Some("Marsh"), None),
                "person_date_of_birth",
            ),
            (deployment_values(None, None, born), "person_surname"),
        ] {
            let mut values = values;
            let error = BulkRecord::from_values(kind, &mut values).unwrap_err();
            assert_eq!(error.field, field);
        }
    }

    /// The name key as it was first written (`split_whitespace`, `to_uppercase` per char):
    /// the fast path must give the same key, or stored audit events stop matching people.
    fn name_key_by_chars(name: &str) -> String {
        name.split_whitespace()
            .map(|word| {
                word.chars()
                    .flat_map(char::to_uppercase)
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn name_keys_fold_case_and_spaces_in_any_script() {
        assert_eq!(name_key("  o'brien   mary-jane "), "O'BRIEN MARY-JANE");
        assert_eq!(name_key("Zoë\u{a0}Ångström"), "ZOË ÅNGSTRÖM");
        assert_eq!(name_key("straße"), "STRASSE");
        assert_eq!(name_key("a\u{b}b"), "A B");
        let subject = SubjectIdentity {
            surname: Some("smith ".into()),
            forenames: Some("john  paul".into()),
            date_of_birth: crate::domain::IsoDate::from_ymd(1975, 3, 9),
            phone: None,
        };
        assert_eq!(subject.key(), "SMITH|JOHN PAUL|1975-03-09|");
    }

    proptest::proptest! {
        #[test]
        fn name_key_matches_the_char_by_char_definition(name in "\\PC{0,24}|[ a-zA-Z\t\u{b}\u{a0}\u{3000}ßéÿ]{0,24}") {
            proptest::prop_assert_eq!(name_key(&name), name_key_by_chars(&name));
        }

        #[test]
        fn dates_are_appended_as_display_writes_them(day in 0i32..3_000_000) {
            let date = crate::domain::IsoDate(
                time::Date::from_julian_day(day).unwrap_or(time::Date::MIN),
            );
            let mut pushed = String::new();
            date.push_to(&mut pushed);
            proptest::prop_assert_eq!(pushed, date.to_string());
        }
    }
}
