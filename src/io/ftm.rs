//! FollowTheMoney (FtM) JSON lines: nominals and links as the entities that `followthemoney`,
//! Aleph and OpenSanctions read, one JSON object per line, so a regional unit or another force
//! can load what the CCU chooses to share without a converter.
//!
//! Nominals become `Person` (employees and persons), `Organization` (OCGs and organisations),
//! `UserAccount` (phones and online accounts), `Vehicle` and `Address`; links become `Family`,
//! `Associate`, `Membership` and `Employment` where both ends fit FtM's types, and
//! `UnknownLink` otherwise, with the workbench's link type as the relationship or role. What FtM
//! has no property for (an employee's status, a person's flags, a link's confidence) is kept in
//! `ccu:` keywords and descriptions, so the file can be read back without loss. Entity ids are
//! `ccu-nominal-<id>` and `ccu-link-<id>`: what another tool reports traces back to the record.
//!
//! Reading ([`read_ftm_line`]) turns a line of any FtM file (ours, or a regional unit's) into a
//! nominal or a link between two entity ids; matching and recording are the workbench's. Errors
//! name the line and the property, never a value.

use super::bulk_csv::RowError;
use crate::domain::{IsoDate, Link, Nominal, NominalDetails, NominalId, NominalKind, PersonFlags};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// One FtM entity: its id, schema and properties (every property a list of strings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FtmEntity {
    pub id: String,
    pub schema: &'static str,
    pub properties: BTreeMap<&'static str, Vec<String>>,
}

impl FtmEntity {
    fn new(id: String, schema: &'static str) -> Self {
        Self {
            id,
            schema,
            properties: BTreeMap::new(),
        }
    }

    /// Adds a value, unless it is empty (FtM has no empty values).
    fn add(&mut self, property: &'static str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            self.properties.entry(property).or_default().push(value);
        }
    }

    /// Adds a `ccu:<name>=<value>` keyword for a field FtM has no property for.
    fn keep(&mut self, name: &str, value: &str) {
        if !value.trim().is_empty() {
            self.add("keywords", format!("ccu:{name}={value}"));
        }
    }
}

/// The FtM id of a nominal.
#[must_use]
pub fn nominal_entity_id(id: NominalId) -> String {
    format!("ccu-nominal-{}", id.0)
}

/// A nominal as an FtM entity.
#[must_use]
pub fn nominal_entity(nominal: &Nominal) -> FtmEntity {
    let id = nominal_entity_id(nominal.id);
    match &nominal.details {
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
            let mut entity = FtmEntity::new(id, "Person");
            entity.add("name", format!("{forenames} {surname}").trim());
            entity.add("firstName", forenames.as_str());
            entity.add("lastName", surname.as_str());
            entity.add("idNumber", staff_number.as_str());
            entity.add("position", rank_grade.as_str());
            if let Some(date) = date_of_birth {
                entity.add("birthDate", date.to_string());
            }
            entity.keep("kind", "employee");
            entity.keep("staff_number", staff_number);
            entity.keep("rank_grade", rank_grade);
            entity.keep("role", role);
            entity.keep("department", department);
            entity.keep("employee_type", employee_type);
            entity.keep("status", status);
            if let Some(level) = vetting_level {
                entity.keep("vetting_level", level);
            }
            if let Some(expiry) = vetting_expiry {
                entity.keep("vetting_expiry", &expiry.to_string());
            }
            entity
        }
        NominalDetails::Person {
            forenames,
            surname,
            aliases,
            date_of_birth,
            flags,
        } => {
            let mut entity = FtmEntity::new(id, "Person");
            entity.add("name", format!("{forenames} {surname}").trim());
            entity.add("firstName", forenames.as_str());
            entity.add("lastName", surname.as_str());
            for alias in aliases {
                entity.add("alias", alias.as_str());
            }
            if let Some(date) = date_of_birth {
                entity.add("birthDate", date.to_string());
            }
            if flags.criminal || flags.ocg_member {
                entity.add("topics", "crime");
            }
            if flags.journalist {
                entity.add("topics", "role.journo");
            }
            entity.keep("kind", "person");
            for (set, name) in [
                (flags.ocg_member, "ocg_member"),
                (flags.criminal, "criminal"),
                (flags.vulnerable, "vulnerable"),
                (flags.journalist, "journalist"),
                (flags.private_investigator, "private_investigator"),
                (flags.victim, "victim"),
            ] {
                if set {
                    entity.keep("flag", name);
                }
            }
            entity
        }
        NominalDetails::Ocg { name, description } => {
            let mut entity = FtmEntity::new(id, "Organization");
            entity.add("name", name.as_str());
            entity.add("description", description.as_str());
            entity.add("topics", "crime");
            entity.keep("kind", "ocg");
            entity
        }
        NominalDetails::Organisation { name, sector } => {
            let mut entity = FtmEntity::new(id, "Organization");
            entity.add("name", name.as_str());
            entity.add("sector", sector.as_str());
            entity.keep("kind", "organisation");
            entity
        }
        NominalDetails::Phone { number } => {
            let mut entity = FtmEntity::new(id, "UserAccount");
            entity.add("name", number.as_str());
            // FtM requires a user name of every account: a phone's is its number.
            entity.add("username", number.as_str());
            // A number outside the allocated ranges (the demo's drama numbers) would be dropped
            // by FtM's phone type: it stays as the name and a keyword.
            if crate::domain::phone::is_allocated(number) {
                entity.add("phone", number.as_str());
            }
            entity.keep("number", number);
            entity.add("service", "telephone");
            entity.keep("kind", "phone");
            entity
        }
        NominalDetails::Account { service, handle } => {
            let mut entity = FtmEntity::new(id, "UserAccount");
            entity.add("name", format!("{service}: {handle}"));
            entity.add("service", service.as_str());
            entity.add("username", handle.as_str());
            entity.keep("kind", "account");
            entity
        }
        NominalDetails::Vehicle {
            registration,
            make,
            model,
            colour,
        } => {
            let mut entity = FtmEntity::new(id, "Vehicle");
            entity.add("name", registration.as_str());
            entity.add("registrationNumber", registration.as_str());
            entity.add("model", model.as_str());
            entity.keep("kind", "vehicle");
            entity.keep("make", make);
            entity.keep("colour", colour);
            entity
        }
        NominalDetails::Address { lines, postcode } => {
            let mut entity = FtmEntity::new(id, "Address");
            let mut full: Vec<&str> = lines.iter().map(String::as_str).collect();
            full.push(postcode);
            full.retain(|part| !part.trim().is_empty());
            entity.add("full", full.join(", "));
            for line in lines {
                entity.add("street", line.as_str());
            }
            entity.add("postalCode", postcode.as_str());
            entity.keep("kind", "address");
            entity
        }
    }
}

fn is_person(kind: NominalKind) -> bool {
    matches!(kind, NominalKind::Employee | NominalKind::Person)
}

fn is_organisation(kind: NominalKind) -> bool {
    matches!(kind, NominalKind::Ocg | NominalKind::Organisation)
}

/// A link as an FtM entity, given the kinds of its two ends (FtM's link schemata say what
/// each end must be; a link that fits none is an `UnknownLink`).
#[must_use]
pub fn link_entity(link: &Link, from_kind: NominalKind, to_kind: NominalKind) -> FtmEntity {
    let fields = &link.fields;
    let from = nominal_entity_id(fields.from);
    let to = nominal_entity_id(fields.to);
    let id = format!("ccu-link-{}", link.id.0);
    let link_type = fields.link_type.as_str();
    let mut entity = match link_type {
        "family_close" | "family_extended" | "partner"
            if is_person(from_kind) && is_person(to_kind) =>
        {
            let mut entity = FtmEntity::new(id, "Family");
            entity.add("person", from);
            entity.add("relative", to);
            entity.add("relationship", link_type);
            entity
        }
        "friend" | "associate" | "criminal_associate" | "declared_association"
            if is_person(from_kind) && is_person(to_kind) =>
        {
            let mut entity = FtmEntity::new(id, "Associate");
            entity.add("person", from);
            entity.add("associate", to);
            entity.add("relationship", link_type);
            entity
        }
        "ocg_member"
            if (is_person(from_kind) || is_organisation(from_kind)) && is_organisation(to_kind) =>
        {
            let mut entity = FtmEntity::new(id, "Membership");
            entity.add("member", from);
            entity.add("organization", to);
            entity.add("role", link_type);
            entity
        }
        "employed_by" if is_person(from_kind) && is_organisation(to_kind) => {
            let mut entity = FtmEntity::new(id, "Employment");
            entity.add("employee", from);
            entity.add("employer", to);
            entity.add("role", link_type);
            entity
        }
        _ => {
            let mut entity = FtmEntity::new(id, "UnknownLink");
            entity.add("subject", from);
            entity.add("object", to);
            entity.add("role", link_type);
            entity
        }
    };
    if let Some(date) = fields.valid_from {
        entity.add("startDate", date.to_string());
    }
    if let Some(date) = fields.valid_to {
        entity.add("endDate", date.to_string());
    }
    entity.add(
        "description",
        format!(
            "ccu:link_type={link_type}; ccu:confidence={}; ccu:directed={}",
            fields.confidence, link.directed
        ),
    );
    entity
}

/// Writes `nominals`, then the `links` between them, as FtM JSON lines; returns how many of
/// each were written. A link whose end is not among `nominals` is left out (it would name an
/// entity the file does not hold).
///
/// # Errors
/// Whatever the writer reports.
pub fn write_ftm(
    nominals: &[Nominal],
    links: &[Link],
    mut out: impl Write,
) -> io::Result<(usize, usize)> {
    let kinds: HashMap<NominalId, NominalKind> = nominals
        .iter()
        .map(|nominal| (nominal.id, nominal.details.kind()))
        .collect();
    for nominal in nominals {
        serde_json::to_writer(&mut out, &nominal_entity(nominal))?;
        out.write_all(b"\n")?;
    }
    let mut written = 0;
    for link in links {
        let (Some(&from), Some(&to)) = (kinds.get(&link.fields.from), kinds.get(&link.fields.to))
        else {
            continue;
        };
        serde_json::to_writer(&mut out, &link_entity(link, from, to))?;
        out.write_all(b"\n")?;
        written += 1;
    }
    Ok((nominals.len(), written))
}

/// What a line of an FtM file gives the workbench.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FtmRecord {
    Nominal {
        /// The entity's id in the file (what links name).
        id: String,
        details: NominalDetails,
    },
    Link(FtmLink),
}

/// A link between two entities of the file, as FtM gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtmLink {
    pub id: String,
    /// The ids of the two ends, and the properties that named them (for errors).
    pub from: String,
    pub from_property: &'static str,
    pub to: String,
    pub to_property: &'static str,
    /// The link type the entity names (`ccu:link_type`, or its relationship or role), which the
    /// workbench takes if its reference data has it.
    pub named_type: Option<String>,
    /// The link type that stands for the schema otherwise (`Family`: close family).
    pub schema_type: &'static str,
    /// `ccu:confidence`, if given (the workbench takes "possible" otherwise).
    pub confidence: Option<String>,
    pub valid_from: Option<IsoDate>,
    pub valid_to: Option<IsoDate>,
}

#[derive(Deserialize)]
struct RawEntity {
    id: String,
    schema: String,
    #[serde(default)]
    properties: BTreeMap<String, Vec<serde_json::Value>>,
}

/// One entity's properties, read.
struct Properties<'e> {
    line: u64,
    values: &'e BTreeMap<String, Vec<serde_json::Value>>,
}

impl<'e> Properties<'e> {
    fn error(&self, property: &str, reason: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            column: Some(property.to_owned()),
            reason: reason.into(),
        }
    }

    fn all(&self, property: &str) -> Vec<&'e str> {
        self.values
            .get(property)
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .collect()
    }

    fn first(&self, property: &str) -> Option<&'e str> {
        self.all(property).into_iter().next()
    }

    /// The `ccu:<name>=<value>` keywords (or description parts) with this name.
    fn kept(&self, property: &str, name: &str) -> Vec<&'e str> {
        let prefix = format!("ccu:{name}=");
        self.all(property)
            .into_iter()
            .flat_map(|value| value.split("; "))
            .filter_map(|part| part.trim().strip_prefix(prefix.as_str()))
            .collect()
    }

    fn keyword(&self, name: &str) -> Option<&'e str> {
        self.kept("keywords", name).into_iter().next()
    }

    fn text(&self, property: &str) -> String {
        self.first(property).unwrap_or_default().to_owned()
    }

    fn date(&self, property: &str) -> Result<Option<IsoDate>, RowError> {
        self.first(property)
            .map(|text| {
                text.parse::<IsoDate>().map_err(|_| {
                    self.error(property, "not a full date (YYYY-MM-DD); FtM allows partial dates, the workbench does not")
                })
            })
            .transpose()
    }

    fn reference(&self, property: &'static str) -> Result<String, RowError> {
        self.first(property)
            .map(str::to_owned)
            .ok_or_else(|| self.error(property, "a link must name both its ends"))
    }
}

/// A person's forenames and surname: FtM's first (and middle) and last names, or else the
/// full name split at its last word.
fn person_names(p: &Properties<'_>) -> Result<(String, String), RowError> {
    if let Some(surname) = p.first("lastName") {
        let mut forenames: Vec<&str> = p.all("firstName");
        forenames.extend(p.all("middleName"));
        return Ok((forenames.join(" "), surname.to_owned()));
    }
    let name = p
        .first("name")
        .ok_or_else(|| p.error("name", "a person needs a name"))?;
    Ok(match name.rsplit_once(char::is_whitespace) {
        Some((forenames, surname)) => (forenames.trim().to_owned(), surname.to_owned()),
        None => (String::new(), name.to_owned()),
    })
}

fn person_details(p: &Properties<'_>) -> Result<NominalDetails, RowError> {
    let (forenames, surname) = person_names(p)?;
    let date_of_birth = p.date("birthDate")?;
    if p.keyword("kind") == Some("employee") {
        return Ok(NominalDetails::Employee {
            staff_number: p
                .keyword("staff_number")
                .or_else(|| p.first("idNumber"))
                .unwrap_or_default()
                .to_owned(),
            forenames,
            surname,
            rank_grade: p.keyword("rank_grade").unwrap_or_default().to_owned(),
            role: p.keyword("role").unwrap_or_default().to_owned(),
            department: p.keyword("department").unwrap_or_default().to_owned(),
            employee_type: p.keyword("employee_type").unwrap_or_default().to_owned(),
            vetting_level: p.keyword("vetting_level").map(str::to_owned),
            vetting_expiry: p
                .keyword("vetting_expiry")
                .map(|text| {
                    text.parse()
                        .map_err(|_| p.error("keywords", "ccu:vetting_expiry is not a date"))
                })
                .transpose()?,
            status: p.keyword("status").unwrap_or_default().to_owned(),
            date_of_birth,
        });
    }
    let flags = if p.keyword("kind").is_some() {
        // Written by a workbench: the flags as they were.
        let kept = p.kept("keywords", "flag");
        PersonFlags {
            ocg_member: kept.contains(&"ocg_member"),
            criminal: kept.contains(&"criminal"),
            vulnerable: kept.contains(&"vulnerable"),
            journalist: kept.contains(&"journalist"),
            private_investigator: kept.contains(&"private_investigator"),
            victim: kept.contains(&"victim"),
        }
    } else {
        // From another tool: what its topics say.
        let topics = p.all("topics");
        PersonFlags {
            criminal: topics.iter().any(|t| t.starts_with("crime")),
            journalist: topics.contains(&"role.journo"),
            ..PersonFlags::default()
        }
    };
    Ok(NominalDetails::Person {
        forenames,
        surname,
        aliases: p.all("alias").into_iter().map(str::to_owned).collect(),
        date_of_birth,
        flags,
    })
}

fn nominal_details(schema: &str, p: &Properties<'_>) -> Result<Option<NominalDetails>, RowError> {
    let kind = p.keyword("kind");
    Ok(Some(match schema {
        "Person" => person_details(p)?,
        "Organization" | "Company" | "LegalEntity" => {
            let name = p
                .first("name")
                .ok_or_else(|| p.error("name", "an organisation needs a name"))?
                .to_owned();
            let ocg = match kind {
                Some(kind) => kind == "ocg",
                None => p.all("topics").iter().any(|t| t.starts_with("crime")),
            };
            if ocg {
                NominalDetails::Ocg {
                    name,
                    description: p.text("description"),
                }
            } else {
                NominalDetails::Organisation {
                    name,
                    sector: p.text("sector"),
                }
            }
        }
        "UserAccount" => {
            let phone = match kind {
                Some(kind) => kind == "phone",
                None => {
                    p.first("service")
                        .is_some_and(|s| s.eq_ignore_ascii_case("telephone"))
                        || (p.first("phone").is_some() && p.first("username").is_none())
                }
            };
            if phone {
                let number = p
                    .keyword("number")
                    .or_else(|| p.first("phone"))
                    .or_else(|| p.first("username"))
                    .ok_or_else(|| p.error("phone", "a phone needs its number"))?;
                NominalDetails::Phone {
                    number: number.to_owned(),
                }
            } else {
                NominalDetails::Account {
                    service: p.text("service"),
                    handle: p.text("username"),
                }
            }
        }
        "Vehicle" => NominalDetails::Vehicle {
            registration: p
                .first("registrationNumber")
                .or_else(|| p.first("name"))
                .unwrap_or_default()
                .to_owned(),
            make: p.keyword("make").unwrap_or_default().to_owned(),
            model: p.text("model"),
            colour: p.keyword("colour").unwrap_or_default().to_owned(),
        },
        "Address" => {
            let mut lines: Vec<String> = p.all("street").into_iter().map(str::to_owned).collect();
            if kind.is_none() {
                lines.extend(p.all("street2").into_iter().map(str::to_owned));
                lines.extend(p.all("city").into_iter().map(str::to_owned));
            }
            if lines.is_empty() {
                lines.extend(p.first("full").map(str::to_owned));
            }
            NominalDetails::Address {
                lines,
                postcode: p.text("postalCode"),
            }
        }
        _ => return Ok(None),
    }))
}

/// The two ends of a link schema and the link type that stands for it.
fn link_shape(schema: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match schema {
        "Family" => ("person", "relative", "family_close"),
        "Associate" => ("person", "associate", "associate"),
        "Membership" => ("member", "organization", "ocg_member"),
        "Employment" => ("employee", "employer", "employed_by"),
        "UnknownLink" => ("subject", "object", "associate"),
        _ => return None,
    })
}

/// Reads one line of an FtM JSON lines file (`line` numbers it, from 1).
///
/// # Errors
/// A line that is not an FtM entity, a schema the workbench does not record, a link without
/// both ends, a date that is not a full date. Each names the line and the property.
pub fn read_ftm_line(line: u64, text: &str) -> Result<FtmRecord, RowError> {
    let raw: RawEntity = serde_json::from_str(text).map_err(|_| RowError {
        line,
        column: None,
        reason: "not an FtM entity (a JSON object with id, schema and properties)".into(),
    })?;
    let p = Properties {
        line,
        values: &raw.properties,
    };
    if let Some((from_property, to_property, schema_type)) = link_shape(&raw.schema) {
        let named_type = p
            .kept("description", "link_type")
            .into_iter()
            .next()
            .or_else(|| p.first("relationship"))
            .or_else(|| p.first("role"))
            .map(str::to_owned);
        return Ok(FtmRecord::Link(FtmLink {
            from: p.reference(from_property)?,
            from_property,
            to: p.reference(to_property)?,
            to_property,
            named_type,
            schema_type,
            confidence: p
                .kept("description", "confidence")
                .into_iter()
                .next()
                .map(str::to_owned),
            valid_from: p.date("startDate")?,
            valid_to: p.date("endDate")?,
            id: raw.id,
        }));
    }
    if let Some(details) = nominal_details(&raw.schema, &p)? {
        return Ok(FtmRecord::Nominal {
            id: raw.id,
            details,
        });
    }
    // The schema is FtM's vocabulary, not a value; shown only if it looks like one.
    let reason = if raw.schema.len() <= 40 && raw.schema.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        format!("the schema {} is not one the workbench records", raw.schema)
    } else {
        "a schema the workbench does not record".to_owned()
    };
    Err(RowError {
        line,
        column: Some("schema".into()),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IsoDate, LinkFields, LinkId, PersonFlags, UserId};

    fn nominal(id: i64, details: NominalDetails) -> Nominal {
        Nominal {
            id: NominalId(id),
            details,
            version: 1,
            created_at_utc: String::new(),
            created_by: UserId(1),
            updated_at_utc: String::new(),
            updated_by: UserId(1),
            merged_into: None,
        }
    }

    fn link(id: i64, link_type: &str, from: i64, to: i64) -> Link {
        Link {
            id: LinkId(id),
            fields: LinkFields {
                link_type: link_type.into(),
                from: NominalId(from),
                to: NominalId(to),
                valid_from: IsoDate::from_ymd(2024, 1, 2),
                valid_to: None,
                confidence: "probable".into(),
                provenance: Vec::new(),
            },
            directed: false,
            created_at_utc: String::new(),
            created_by: UserId(1),
        }
    }

    fn person(id: i64) -> Nominal {
        nominal(
            id,
            NominalDetails::Person {
                forenames: "Synthetic".into(),
                surname: format!("Person{id}"),
                aliases: vec!["Alias One".into()],
                date_of_birth: IsoDate::from_ymd(1980, 5, 17),
                flags: PersonFlags {
                    criminal: true,
                    vulnerable: true,
                    ..PersonFlags::default()
                },
            },
        )
    }

    fn ocg(id: i64) -> Nominal {
        nominal(
            id,
            NominalDetails::Ocg {
                name: "Synthetic Crew".into(),
                description: String::new(),
            },
        )
    }

    #[test]
    fn a_person_keeps_names_birth_date_topics_and_flags() {
        let entity = nominal_entity(&person(7));
        assert_eq!(entity.id, "ccu-nominal-7");
        assert_eq!(entity.schema, "Person");
        assert_eq!(entity.properties["lastName"], ["Person7"]);
        assert_eq!(entity.properties["birthDate"], ["1980-05-17"]);
        assert_eq!(entity.properties["topics"], ["crime"]);
        assert_eq!(
            entity.properties["keywords"],
            [
                "ccu:kind=person",
                "ccu:flag=criminal",
                "ccu:flag=vulnerable"
            ]
        );
        assert!(
            !entity.properties.contains_key("description"),
            "no empty values"
        );
    }

    #[test]
    fn links_take_the_schema_their_ends_fit_and_unknown_link_otherwise() {
        let phone = nominal(
            3,
            NominalDetails::Phone {
                number: "+447700900123".into(),
            },
        );
        let nominals = [person(1), ocg(2), phone, person(4)];
        let links = [
            link(10, "ocg_member", 1, 2),
            link(11, "friend", 1, 4),
            link(12, "friend", 1, 2),
            link(13, "uses_phone", 1, 3),
            link(14, "partner", 4, 1),
            link(15, "associate", 1, 99),
        ];
        let mut out = Vec::new();
        let (written_nominals, written_links) = write_ftm(&nominals, &links, &mut out).unwrap();
        assert_eq!(
            (written_nominals, written_links),
            (4, 5),
            "a link to a nominal not in the file is left out"
        );
        let entities: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        let schema_of = |id: &str| {
            entities
                .iter()
                .find(|entity| entity["id"] == id)
                .map(|entity| entity["schema"].as_str().unwrap().to_owned())
        };
        assert_eq!(schema_of("ccu-nominal-3").as_deref(), Some("UserAccount"));
        assert_eq!(schema_of("ccu-link-10").as_deref(), Some("Membership"));
        assert_eq!(schema_of("ccu-link-11").as_deref(), Some("Associate"));
        assert_eq!(schema_of("ccu-link-12").as_deref(), Some("UnknownLink"));
        assert_eq!(schema_of("ccu-link-13").as_deref(), Some("UnknownLink"));
        assert_eq!(schema_of("ccu-link-14").as_deref(), Some("Family"));
        assert_eq!(schema_of("ccu-link-15"), None);
        let membership = entities.iter().find(|e| e["id"] == "ccu-link-10").unwrap();
        assert_eq!(membership["properties"]["member"][0], "ccu-nominal-1");
        assert_eq!(membership["properties"]["organization"][0], "ccu-nominal-2");
        assert_eq!(membership["properties"]["startDate"][0], "2024-01-02");
        assert!(
            membership["properties"]["description"][0]
                .as_str()
                .unwrap()
                .contains("ccu:confidence=probable")
        );
    }

    fn read_back(entity: &FtmEntity) -> FtmRecord {
        read_ftm_line(1, &serde_json::to_string(entity).unwrap()).unwrap()
    }

    #[test]
    fn every_kind_of_nominal_reads_back_as_it_was_written() {
        let all = [
            NominalDetails::Employee {
                staff_number: "PC01234".into(),
                forenames: "Jo Ann".into(),
                surname: "Synthetic".into(),
                rank_grade: "PC".into(),
                role: "Response".into(),
                department: "North".into(),
                employee_type: "officer".into(),
                vetting_level: Some("MV".into()),
                vetting_expiry: IsoDate::from_ymd(2027, 3, 1),
                status: "serving".into(),
                date_of_birth: IsoDate::from_ymd(1985, 2, 3),
            },
            person(2).details,
            NominalDetails::Person {
                forenames: String::new(),
                surname: "Mononym".into(),
                aliases: Vec::new(),
                date_of_birth: None,
                flags: PersonFlags {
                    ocg_member: true,
                    private_investigator: true,
                    victim: true,
                    journalist: true,
                    ..PersonFlags::default()
                },
            },
            ocg(3).details,
            NominalDetails::Ocg {
                name: "Described Crew".into(),
                description: "Synthetic description".into(),
            },
            NominalDetails::Organisation {
                name: "Synthetic Haulage Ltd".into(),
                sector: "transport".into(),
            },
            NominalDetails::Phone {
                number: "+447700900123".into(),
            },
            NominalDetails::Phone {
                number: "+447911123456".into(),
            },
            NominalDetails::Account {
                service: "Snapchat".into(),
                handle: "synthetic_handle".into(),
            },
            NominalDetails::Vehicle {
                registration: "AB12CDE".into(),
                make: "Ford".into(),
                model: "Focus".into(),
                colour: "Blue".into(),
            },
            NominalDetails::Address {
                lines: vec!["1 Synthetic Street".into(), "Testville".into()],
                postcode: "ZZ1 1ZZ".into(),
            },
        ];
        for (index, details) in all.into_iter().enumerate() {
            let written = nominal_entity(&nominal(i64::try_from(index).unwrap(), details.clone()));
            assert_eq!(
                read_back(&written),
                FtmRecord::Nominal {
                    id: written.id.clone(),
                    details
                }
            );
        }
    }

    #[test]
    fn a_link_reads_back_with_its_type_confidence_and_dates() {
        let mut written = link(10, "criminal_associate", 1, 4);
        written.fields.confidence = "confirmed".into();
        written.fields.valid_to = IsoDate::from_ymd(2025, 6, 30);
        let FtmRecord::Link(read) = read_back(&link_entity(
            &written,
            NominalKind::Person,
            NominalKind::Employee,
        )) else {
            panic!("not a link")
        };
        assert_eq!(
            (read.from.as_str(), read.to.as_str()),
            ("ccu-nominal-1", "ccu-nominal-4")
        );
        assert_eq!(read.named_type.as_deref(), Some("criminal_associate"));
        assert_eq!(read.confidence.as_deref(), Some("confirmed"));
        assert_eq!(read.valid_from, IsoDate::from_ymd(2024, 1, 2));
        assert_eq!(read.valid_to, IsoDate::from_ymd(2025, 6, 30));
    }

    #[test]
    fn another_tools_entities_read_by_their_ftm_properties() {
        let line = r#"{"id":"os-1","schema":"Person","properties":{"name":["Synthetic Middle Target"],"birthDate":["1970-01-31"],"topics":["crime.traffick"]}}"#;
        let FtmRecord::Nominal { details, .. } = read_ftm_line(3, line).unwrap() else {
            panic!()
        };
        let NominalDetails::Person {
            forenames,
            surname,
            flags,
            ..
        } = details
        else {
            panic!("{details:?}")
        };
        assert_eq!(
            (forenames.as_str(), surname.as_str()),
            ("Synthetic Middle", "Target")
        );
        assert!(flags.criminal);
        let group = r#"{"id":"os-2","schema":"Organization","properties":{"name":["Synthetic Firm"],"topics":["crime"]}}"#;
        assert!(matches!(
            read_ftm_line(4, group).unwrap(),
            FtmRecord::Nominal {
                details: NominalDetails::Ocg { .. },
                ..
            }
        ));
        let membership = r#"{"id":"os-3","schema":"Membership","properties":{"member":["os-1"],"organization":["os-2"],"role":["enforcer"]}}"#;
        let FtmRecord::Link(member_of) = read_ftm_line(5, membership).unwrap() else {
            panic!()
        };
        assert_eq!(
            (member_of.schema_type, member_of.named_type.as_deref()),
            ("ocg_member", Some("enforcer"))
        );
        assert_eq!(member_of.confidence, None);
    }

    #[test]
    fn bad_lines_name_the_line_and_property_and_never_a_value() {
        let cases = [
            ("not json at all SECRETNAME", None, "not an FtM entity"),
            (
                r#"{"id":"x","schema":"Sanction","properties":{"entity":["SECRETNAME"]}}"#,
                Some("schema"),
                "Sanction is not one",
            ),
            (
                r#"{"id":"x","schema":"Person","properties":{"name":["SECRETNAME"],"birthDate":["1970"]}}"#,
                Some("birthDate"),
                "not a full date",
            ),
            (
                r#"{"id":"x","schema":"Family","properties":{"person":["SECRETNAME"]}}"#,
                Some("relative"),
                "both its ends",
            ),
            (
                r#"{"id":"x","schema":"Person","properties":{"alias":["SECRETNAME"]}}"#,
                Some("name"),
                "needs a name",
            ),
        ];
        for (text, column, reason) in cases {
            let error = read_ftm_line(7, text).unwrap_err();
            assert_eq!(error.line, 7);
            assert_eq!(error.column.as_deref(), column, "{text}");
            assert!(error.reason.contains(reason), "{error}");
            assert!(!error.to_string().contains("SECRETNAME"));
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic_the_reader(text in "\\PC{0,200}") {
            let _ = read_ftm_line(1, &text);
        }

        #[test]
        fn arbitrary_properties_never_panic_the_reader(
            schema in "Person|Organization|UserAccount|Vehicle|Address|Family|Membership|UnknownLink|Thing",
            values in proptest::collection::btree_map("[a-zA-Z]{1,12}", proptest::collection::vec("\\PC{0,20}", 0..3), 0..6),
        ) {
            let entity = serde_json::json!({"id": "p", "schema": schema, "properties": values});
            let _ = read_ftm_line(1, &entity.to_string());
        }
    }
}
