//! Which existing nominal a bulk row speaks of: any nominal by the id a force system gave it,
//! staff by staff number, phones by their E.164 number, people by surname, forenames and date
//! of birth, organisations by their compared name. Built once per import from the store, then
//! asked per row with no I/O.

use super::bulk_record::{SubjectIdentity, organisation_key, push_name_key};
use super::{IsoDate, NominalDetails, NominalId};
use rustc_hash::FxHashMap;

/// Lookup tables from identifying values to nominal ids.
#[derive(Debug, Default, Clone)]
pub struct NominalMatcher {
    staff: FxHashMap<String, NominalId>,
    phones: FxHashMap<String, NominalId>,
    /// `SURNAME|FORENAMES|YYYY-MM-DD`: a person is only matched on all three.
    people: FxHashMap<String, NominalId>,
    organisations: FxHashMap<String, NominalId>,
    /// System, then the system's id: looked up with the row's text, no key built per row.
    external: FxHashMap<String, FxHashMap<String, NominalId>>,
}

fn person_key(surname: &str, forenames: &str, dob: IsoDate) -> String {
    let mut key = String::with_capacity(surname.len() + forenames.len() + 12);
    push_name_key(&mut key, surname);
    key.push('|');
    push_name_key(&mut key, forenames);
    key.push('|');
    dob.push_to(&mut key);
    key
}

impl NominalMatcher {
    /// Adds a nominal (merged nominals should not be offered).
    pub fn add(&mut self, id: NominalId, details: &NominalDetails) {
        match details {
            NominalDetails::Employee { staff_number, .. } => {
                self.staff.insert(staff_number.trim().to_uppercase(), id);
            }
            NominalDetails::Phone { number } => {
                self.phones.insert(number.clone(), id);
            }
            NominalDetails::Person {
                forenames,
                surname,
                date_of_birth: Some(dob),
                ..
            } => {
                self.people.insert(person_key(surname, forenames, *dob), id);
            }
            NominalDetails::Ocg { name, .. } | NominalDetails::Organisation { name, .. } => {
                self.organisations.insert(organisation_key(name), id);
            }
            _ => {}
        }
    }

    /// Adds the id `system` gives a nominal.
    pub fn add_external(&mut self, system: &str, id: String, nominal: NominalId) {
        self.external
            .entry(system.to_owned())
            .or_default()
            .insert(id, nominal);
    }

    /// The nominal `system` knows by `id`.
    #[must_use]
    pub fn external(&self, system: &str, id: &str) -> Option<NominalId> {
        self.external.get(system)?.get(id).copied()
    }

    #[must_use]
    pub fn staff(&self, staff_number: &str) -> Option<NominalId> {
        self.staff.get(staff_number).copied()
    }

    #[must_use]
    pub fn phone(&self, e164: &str) -> Option<NominalId> {
        self.phones.get(e164).copied()
    }

    #[must_use]
    pub fn organisation(&self, name: &str) -> Option<NominalId> {
        self.organisations.get(&organisation_key(name)).copied()
    }

    /// The person a subject is by surname, forenames and date of birth. A name without a date
    /// of birth matches nobody: too many people share one.
    #[must_use]
    pub fn person(&self, subject: &SubjectIdentity) -> Option<NominalId> {
        let (Some(surname), Some(forenames), Some(dob)) =
            (&subject.surname, &subject.forenames, subject.date_of_birth)
        else {
            return None;
        };
        self.people
            .get(&person_key(surname, forenames, dob))
            .copied()
    }

    /// The person with this `SURNAME|FORENAMES|YYYY-MM-DD` key (as the first three parts of
    /// [`SubjectIdentity::key`]); a key with an empty part matches nobody.
    #[must_use]
    pub fn person_by_key(&self, key: &str) -> Option<NominalId> {
        if key.split('|').any(str::is_empty) {
            return None;
        }
        self.people.get(key).copied()
    }

    /// The nominal a look-up's subject is, by name and date of birth first, then by phone.
    #[must_use]
    pub fn subject(&self, subject: &SubjectIdentity) -> Option<NominalId> {
        self.person(subject)
            .or_else(|| subject.phone.as_deref().and_then(|p| self.phone(p)))
    }

    /// How many identifying values are known, for the dry run's summary.
    #[must_use]
    pub fn len(&self) -> usize {
        self.staff.len()
            + self.phones.len()
            + self.people.len()
            + self.organisations.len()
            + self.external.values().map(FxHashMap::len).sum::<usize>()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IsoDate, PersonFlags};

    #[test]
    fn a_person_is_matched_on_name_and_date_of_birth_and_not_on_name_alone() {
        let mut matcher = NominalMatcher::default();
        let dob = IsoDate::from_ymd(1980, 5, 17);
        matcher.add(
            NominalId(7),
            &NominalDetails::Person {
                forenames: "Jo  Ann".into(),
                surname: "Smith".into(),
                aliases: vec![],
                date_of_birth: dob,
                flags: PersonFlags::default(),
            },
        );
        let mut subject = SubjectIdentity {
            surname: Some("SMITH".into()),
            forenames: Some("jo ann".into()),
            date_of_birth: dob,
            phone: None,
        };
        assert_eq!(matcher.subject(&subject), Some(NominalId(7)));
        subject.date_of_birth = None;
        assert_eq!(matcher.subject(&subject), None);
    }
}
