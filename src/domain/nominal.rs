//! Nominals: the people, groups and things intelligence is about.

use super::grading::unknown_code_message;
use super::reference_data::{ReferenceData, list};
use super::{FieldError, IsoDate, NominalId, UserId};
use serde::{Deserialize, Serialize};

/// Flags on a person that the analysis uses (exposure to OCGs, Beacon indicators).
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts, each recorded as intelligence says"
)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonFlags {
    pub ocg_member: bool,
    pub criminal: bool,
    pub vulnerable: bool,
    pub journalist: bool,
    pub private_investigator: bool,
    pub victim: bool,
}

/// What a nominal is, with the fields of its kind. The JSON form is tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NominalDetails {
    /// An officer, member of staff, PCSO, special, contractor or partnership staff.
    Employee {
        staff_number: String,
        forenames: String,
        surname: String,
        #[serde(default)]
        rank_grade: String,
        #[serde(default)]
        role: String,
        #[serde(default)]
        department: String,
        employee_type: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vetting_level: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        vetting_expiry: Option<IsoDate>,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date_of_birth: Option<IsoDate>,
    },
    /// An associate, victim, criminal or other member of the public.
    Person {
        forenames: String,
        surname: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        aliases: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        date_of_birth: Option<IsoDate>,
        #[serde(default)]
        flags: PersonFlags,
    },
    /// An organised crime group.
    Ocg {
        name: String,
        #[serde(default)]
        description: String,
    },
    /// A business or other organisation.
    Organisation {
        name: String,
        #[serde(default)]
        sector: String,
    },
    /// A phone number, normalised to E.164.
    Phone { number: String },
    /// An email address or social-media account.
    Account { service: String, handle: String },
    Vehicle {
        registration: String,
        #[serde(default)]
        make: String,
        #[serde(default)]
        model: String,
        #[serde(default)]
        colour: String,
    },
    Address {
        lines: Vec<String>,
        #[serde(default)]
        postcode: String,
    },
}

/// The kinds of nominal, for filters and icons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NominalKind {
    Employee,
    Person,
    Ocg,
    Organisation,
    Phone,
    Account,
    Vehicle,
    Address,
}

impl NominalKind {
    pub const ALL: [NominalKind; 8] = [
        NominalKind::Employee,
        NominalKind::Person,
        NominalKind::Ocg,
        NominalKind::Organisation,
        NominalKind::Phone,
        NominalKind::Account,
        NominalKind::Vehicle,
        NominalKind::Address,
    ];

    /// The stored text.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            NominalKind::Employee => "employee",
            NominalKind::Person => "person",
            NominalKind::Ocg => "ocg",
            NominalKind::Organisation => "organisation",
            NominalKind::Phone => "phone",
            NominalKind::Account => "account",
            NominalKind::Vehicle => "vehicle",
            NominalKind::Address => "address",
        }
    }

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            NominalKind::Employee => "Employee",
            NominalKind::Person => "Person",
            NominalKind::Ocg => "OCG",
            NominalKind::Organisation => "Organisation",
            NominalKind::Phone => "Phone",
            NominalKind::Account => "Account",
            NominalKind::Vehicle => "Vehicle",
            NominalKind::Address => "Address",
        }
    }

    /// Parses the stored text.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A nominal as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nominal {
    pub id: NominalId,
    #[serde(flatten)]
    pub details: NominalDetails,
    pub version: u32,
    pub created_at_utc: String,
    pub created_by: UserId,
    pub updated_at_utc: String,
    pub updated_by: UserId,
    /// Set when an inspector merged this nominal into another; it then only keeps its history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<NominalId>,
}

fn require(errors: &mut Vec<FieldError>, field: &str, value: &str, max_chars: usize) {
    let chars = value.trim().chars().count();
    if chars == 0 {
        errors.push(FieldError::new(field, "is empty"));
    } else if chars > max_chars {
        errors.push(FieldError::new(
            field,
            format!("is longer than {max_chars} characters"),
        ));
    }
}

fn code(
    errors: &mut Vec<FieldError>,
    reference: &ReferenceData,
    field: &str,
    list_name: &str,
    value: &str,
) {
    if !reference.is_current(list_name, value) {
        errors.push(FieldError::new(
            field,
            unknown_code_message(reference, list_name),
        ));
    }
}

fn not_future(errors: &mut Vec<FieldError>, field: &str, date: Option<IsoDate>, today: IsoDate) {
    if date.is_some_and(|d| d > today) {
        errors.push(FieldError::new(field, "is in the future"));
    }
}

const NAME_CHARS: usize = 120;

impl PersonFlags {
    /// The flags set, in words (`None` when there are none).
    #[must_use]
    pub fn in_words(&self) -> String {
        let words: Vec<&str> = [
            (self.ocg_member, "member of an OCG"),
            (self.criminal, "criminal"),
            (self.vulnerable, "vulnerable"),
            (self.victim, "victim"),
            (self.journalist, "journalist"),
            (self.private_investigator, "private investigator"),
        ]
        .into_iter()
        .filter_map(|(set, word)| set.then_some(word))
        .collect();
        if words.is_empty() {
            "None".to_owned()
        } else {
            words.join(", ")
        }
    }
}

impl NominalDetails {
    /// The details as a profile shows them: each field by its name in words, in the order a
    /// person reads a record (name first), codes by their reference-data labels, empty fields
    /// left out.
    #[must_use]
    pub fn fields_in_words(&self, reference: &ReferenceData) -> Vec<(&'static str, String)> {
        let mut rows: Vec<(&'static str, String)> = Vec::new();
        let mut add = |label: &'static str, value: String| {
            if !value.trim().is_empty() {
                rows.push((label, value));
            }
        };
        let date = |d: &Option<IsoDate>| d.map(|d| d.to_string()).unwrap_or_default();
        match self {
            NominalDetails::Employee {
                staff_number,
                forenames,
                surname,
                rank_grade,
                role,
                department,
                employee_type,
                vetting_level,
                vetting_expiry,
                status,
                date_of_birth,
            } => {
                add("Name", format!("{forenames} {surname}"));
                add("Staff number", staff_number.clone());
                add("Rank or grade", rank_grade.clone());
                add("Role", role.clone());
                add("Department", department.clone());
                add(
                    "Employee type",
                    reference
                        .label(list::EMPLOYEE_TYPE, employee_type)
                        .to_owned(),
                );
                add(
                    "Status",
                    reference.label(list::EMPLOYEE_STATUS, status).to_owned(),
                );
                add(
                    "Vetting level (record)",
                    vetting_level
                        .as_deref()
                        .map(|v| reference.label(list::VETTING_LEVEL, v).to_owned())
                        .unwrap_or_default(),
                );
                add("Vetting expiry (record)", date(vetting_expiry));
                add("Date of birth", date(date_of_birth));
            }
            NominalDetails::Person {
                forenames,
                surname,
                aliases,
                date_of_birth,
                flags,
            } => {
                add("Name", format!("{forenames} {surname}"));
                add("Also known as", aliases.join(", "));
                add("Date of birth", date(date_of_birth));
                add("Flags", flags.in_words());
            }
            NominalDetails::Ocg { name, description } => {
                add("Name", name.clone());
                add("Description", description.clone());
            }
            NominalDetails::Organisation { name, sector } => {
                add("Name", name.clone());
                add("Sector", sector.clone());
            }
            NominalDetails::Phone { number } => add("Number", number.clone()),
            NominalDetails::Account { service, handle } => {
                add("Service", service.clone());
                add("Handle", handle.clone());
            }
            NominalDetails::Vehicle {
                registration,
                make,
                model,
                colour,
            } => {
                add("Registration", registration.clone());
                add("Make", make.clone());
                add("Model", model.clone());
                add("Colour", colour.clone());
            }
            NominalDetails::Address { lines, postcode } => {
                add("Address", lines.join(", "));
                add("Postcode", postcode.clone());
            }
        }
        rows
    }

    #[must_use]
    pub fn kind(&self) -> NominalKind {
        match self {
            NominalDetails::Employee { .. } => NominalKind::Employee,
            NominalDetails::Person { .. } => NominalKind::Person,
            NominalDetails::Ocg { .. } => NominalKind::Ocg,
            NominalDetails::Organisation { .. } => NominalKind::Organisation,
            NominalDetails::Phone { .. } => NominalKind::Phone,
            NominalDetails::Account { .. } => NominalKind::Account,
            NominalDetails::Vehicle { .. } => NominalKind::Vehicle,
            NominalDetails::Address { .. } => NominalKind::Address,
        }
    }

    /// How the nominal is shown in lists and charts.
    #[must_use]
    pub fn display_name(&self) -> String {
        match self {
            NominalDetails::Employee {
                staff_number,
                forenames,
                surname,
                rank_grade,
                ..
            } => {
                let rank = if rank_grade.is_empty() {
                    String::new()
                } else {
                    format!("{rank_grade} ")
                };
                format!(
                    "{rank}{forenames} {} ({staff_number})",
                    surname.to_uppercase()
                )
            }
            NominalDetails::Person {
                forenames, surname, ..
            } => format!("{forenames} {}", surname.to_uppercase()),
            NominalDetails::Ocg { name, .. } | NominalDetails::Organisation { name, .. } => {
                name.clone()
            }
            NominalDetails::Phone { number } => number.clone(),
            NominalDetails::Account { service, handle } => format!("{handle} ({service})"),
            NominalDetails::Vehicle { registration, .. } => registration.clone(),
            NominalDetails::Address { lines, postcode } => {
                let mut text = lines.join(", ");
                if !postcode.is_empty() {
                    text.push_str(", ");
                    text.push_str(postcode);
                }
                text
            }
        }
    }

    /// The value that identifies the nominal uniquely within its kind, where there is one:
    /// staff number, E.164 number, account, registration.
    #[must_use]
    pub fn identity_key(&self) -> Option<String> {
        match self {
            NominalDetails::Employee { staff_number, .. } => {
                Some(staff_number.trim().to_uppercase())
            }
            NominalDetails::Phone { number } => Some(number.clone()),
            NominalDetails::Account { service, handle } => Some(format!(
                "{}:{}",
                service.trim().to_lowercase(),
                handle.trim().to_lowercase()
            )),
            NominalDetails::Vehicle { registration, .. } => Some(registration.clone()),
            _ => None,
        }
    }

    /// The date of birth, for employees and persons.
    #[must_use]
    pub fn date_of_birth(&self) -> Option<IsoDate> {
        match self {
            NominalDetails::Employee { date_of_birth, .. }
            | NominalDetails::Person { date_of_birth, .. } => *date_of_birth,
            _ => None,
        }
    }

    /// (forenames, surname) for employees and persons.
    #[must_use]
    pub fn person_name(&self) -> Option<(&str, &str)> {
        match self {
            NominalDetails::Employee {
                forenames, surname, ..
            }
            | NominalDetails::Person {
                forenames, surname, ..
            } => Some((forenames, surname)),
            _ => None,
        }
    }

    /// Aliases, for persons.
    #[must_use]
    pub fn aliases(&self) -> &[String] {
        match self {
            NominalDetails::Person { aliases, .. } => aliases,
            _ => &[],
        }
    }

    /// Text for the search index: names, aliases, identifiers, descriptions.
    #[must_use]
    pub fn search_text(&self) -> String {
        let mut parts = vec![self.display_name()];
        match self {
            NominalDetails::Employee {
                role, department, ..
            } => {
                parts.push(role.clone());
                parts.push(department.clone());
            }
            NominalDetails::Person { aliases, .. } => parts.extend(aliases.iter().cloned()),
            NominalDetails::Ocg { description, .. } => parts.push(description.clone()),
            NominalDetails::Organisation { sector, .. } => parts.push(sector.clone()),
            NominalDetails::Phone { number } => {
                // National format too, so "07700 900123" finds "+447700900123".
                if let Some(national) = number.strip_prefix("+44") {
                    parts.push(format!("0{national}"));
                }
            }
            NominalDetails::Vehicle {
                make,
                model,
                colour,
                ..
            } => parts.extend([make.clone(), model.clone(), colour.clone()]),
            NominalDetails::Account { .. } | NominalDetails::Address { .. } => {}
        }
        parts.retain(|p| !p.trim().is_empty());
        parts.join(" ")
    }

    /// Person flags (all false for other kinds).
    #[must_use]
    pub fn person_flags(&self) -> PersonFlags {
        match self {
            NominalDetails::Person { flags, .. } => *flags,
            _ => PersonFlags::default(),
        }
    }

    /// Trims text, upper-cases registrations and postcodes, lower-cases emails, and puts phone
    /// numbers in E.164 (`default_region` for national numbers, `GB` normally).
    ///
    /// # Errors
    /// A field error for a phone number that does not parse.
    pub fn normalise(&mut self, default_region: &str) -> Result<(), FieldError> {
        match self {
            NominalDetails::Employee {
                staff_number,
                forenames,
                surname,
                ..
            } => {
                *staff_number = staff_number.trim().to_uppercase();
                trim_in_place(forenames);
                trim_in_place(surname);
            }
            NominalDetails::Person {
                forenames,
                surname,
                aliases,
                ..
            } => {
                trim_in_place(forenames);
                trim_in_place(surname);
                for alias in aliases.iter_mut() {
                    trim_in_place(alias);
                }
                aliases.retain(|a| !a.is_empty());
            }
            NominalDetails::Ocg { name, .. } | NominalDetails::Organisation { name, .. } => {
                trim_in_place(name);
            }
            NominalDetails::Phone { number } => {
                *number = super::phone::to_e164(number, default_region)
                    .ok_or_else(|| FieldError::new("number", "is not a valid phone number"))?;
            }
            NominalDetails::Account { service, handle } => {
                *service = service.trim().to_lowercase();
                trim_in_place(handle);
                if service == "email" {
                    *handle = handle.to_lowercase();
                }
            }
            NominalDetails::Vehicle { registration, .. } => {
                *registration = registration
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_uppercase();
            }
            NominalDetails::Address { lines, postcode } => {
                for line in lines.iter_mut() {
                    trim_in_place(line);
                }
                lines.retain(|l| !l.is_empty());
                *postcode = postcode.trim().to_uppercase();
            }
        }
        Ok(())
    }

    /// Every problem with the details (call after `normalise`).
    #[must_use]
    pub fn validate(&self, reference: &ReferenceData, today: IsoDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self {
            NominalDetails::Employee {
                staff_number,
                forenames,
                surname,
                employee_type,
                vetting_level,
                vetting_expiry,
                status,
                date_of_birth,
                ..
            } => {
                require(&mut errors, "staff_number", staff_number, 20);
                require(&mut errors, "forenames", forenames, NAME_CHARS);
                require(&mut errors, "surname", surname, NAME_CHARS);
                code(
                    &mut errors,
                    reference,
                    "employee_type",
                    list::EMPLOYEE_TYPE,
                    employee_type,
                );
                code(
                    &mut errors,
                    reference,
                    "status",
                    list::EMPLOYEE_STATUS,
                    status,
                );
                if let Some(level) = vetting_level {
                    code(
                        &mut errors,
                        reference,
                        "vetting_level",
                        list::VETTING_LEVEL,
                        level,
                    );
                }
                if vetting_expiry.is_some() && vetting_level.is_none() {
                    errors.push(FieldError::new(
                        "vetting_expiry",
                        "is given without a vetting level",
                    ));
                }
                not_future(&mut errors, "date_of_birth", *date_of_birth, today);
            }
            NominalDetails::Person {
                forenames,
                surname,
                aliases,
                date_of_birth,
                ..
            } => {
                if forenames.trim().is_empty() && surname.trim().is_empty() {
                    errors.push(FieldError::new(
                        "surname",
                        "a person needs a forename or a surname",
                    ));
                }
                for (field, value) in [("forenames", forenames), ("surname", surname)] {
                    if value.chars().count() > NAME_CHARS {
                        errors.push(FieldError::new(
                            field,
                            format!("is longer than {NAME_CHARS} characters"),
                        ));
                    }
                }
                for (index, alias) in aliases.iter().enumerate() {
                    require(&mut errors, &format!("aliases[{index}]"), alias, NAME_CHARS);
                }
                not_future(&mut errors, "date_of_birth", *date_of_birth, today);
            }
            NominalDetails::Ocg { name, .. } | NominalDetails::Organisation { name, .. } => {
                require(&mut errors, "name", name, 200);
            }
            NominalDetails::Phone { number } => require(&mut errors, "number", number, 20),
            NominalDetails::Account { service, handle } => {
                require(&mut errors, "service", service, 40);
                require(&mut errors, "handle", handle, 200);
                if service == "email" && !handle.contains('@') {
                    errors.push(FieldError::new("handle", "is not an email address"));
                }
            }
            NominalDetails::Vehicle { registration, .. } => {
                require(&mut errors, "registration", registration, 12);
            }
            NominalDetails::Address { lines, .. } => {
                if lines.is_empty() {
                    errors.push(FieldError::new(
                        "lines",
                        "an address needs at least one line",
                    ));
                }
            }
        }
        errors
    }
}

fn trim_in_place(text: &mut String) {
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        *text = trimmed.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> ReferenceData {
        crate::io::reference_file::shipped_default().unwrap()
    }

    fn today() -> IsoDate {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn phones_are_normalised_to_e164() {
        let mut phone = NominalDetails::Phone {
            number: "07700 900123".into(),
        };
        phone.normalise("GB").unwrap();
        assert_eq!(phone.identity_key().as_deref(), Some("+447700900123"));
        assert!(phone.search_text().contains("07700900123"));
        let mut bad = NominalDetails::Phone {
            number: "12".into(),
        };
        assert_eq!(bad.normalise("GB").unwrap_err().field, "number");
    }

    #[test]
    fn employees_need_known_codes_and_a_staff_number() {
        let employee = NominalDetails::Employee {
            staff_number: " ab123 ".into(),
            forenames: "Sam".into(),
            surname: "Example".into(),
            rank_grade: "PC".into(),
            role: "Response".into(),
            department: "Neighbourhood".into(),
            employee_type: "officer".into(),
            vetting_level: Some("MV".into()),
            vetting_expiry: Some("2028-01-01".parse().unwrap()),
            status: "serving".into(),
            date_of_birth: None,
        };
        let mut normalised = employee.clone();
        normalised.normalise("GB").unwrap();
        assert_eq!(normalised.identity_key().as_deref(), Some("AB123"));
        assert!(normalised.validate(&reference(), today()).is_empty());
        assert_eq!(normalised.display_name(), "PC Sam EXAMPLE (AB123)");

        let NominalDetails::Employee { .. } = &employee else {
            unreachable!()
        };
        let bad = NominalDetails::Employee {
            staff_number: String::new(),
            forenames: "Sam".into(),
            surname: "Example".into(),
            rank_grade: String::new(),
            role: String::new(),
            department: String::new(),
            employee_type: "wizard".into(),
            vetting_level: None,
            vetting_expiry: Some("2028-01-01".parse().unwrap()),
            status: "serving".into(),
            date_of_birth: Some("2030-01-01".parse().unwrap()),
        };
        let fields: Vec<String> = bad
            .validate(&reference(), today())
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "staff_number",
                "employee_type",
                "vetting_expiry",
                "date_of_birth"
            ]
        );
    }

    #[test]
    fn the_json_form_is_tagged_by_kind() {
        let json = r#"{"kind":"person","forenames":"Alex","surname":"Sample","aliases":["Lex"],"flags":{"ocg_member":true}}"#;
        let details: NominalDetails = serde_json::from_str(json).unwrap();
        assert_eq!(details.kind(), NominalKind::Person);
        assert!(details.person_flags().ocg_member);
        assert!(serde_json::from_str::<NominalDetails>(r#"{"kind":"dragon"}"#).is_err());
    }
}
