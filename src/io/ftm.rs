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

use crate::domain::{Link, Nominal, NominalDetails, NominalId, NominalKind};
use serde::Serialize;
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
            entity.add("name", format!("{forenames} {surname}"));
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
            entity.add("name", format!("{forenames} {surname}"));
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
}
