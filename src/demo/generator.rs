//! What the demo force contains, and the patterns planted in it.

use super::names;
use super::rng::SplitMix64;
use crate::domain::{
    Grading, IntelItemFields, IsoDate, NominalDetails, NominalId, PersonFlags, Subject,
};
use serde::{Deserialize, Serialize};

/// How big the demo is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemoScale {
    /// Seconds to build: the tests' demo.
    Small,
    /// A busy unit's few years.
    Medium,
    /// At least a million items and a hundred thousand nominals: the benchmarks' demo.
    Large,
}

impl DemoScale {
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "small" => Some(DemoScale::Small),
            "medium" => Some(DemoScale::Medium),
            "large" => Some(DemoScale::Large),
            _ => None,
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DemoScale::Small => "small",
            DemoScale::Medium => "medium",
            DemoScale::Large => "large",
        }
    }

    fn params(self) -> ScaleParams {
        match self {
            DemoScale::Small => ScaleParams {
                persons: 700,
                ocgs: 8,
                ocg_members: 12,
                organisations: 40,
                vehicles: 150,
                addresses: 150,
                items: 600,
            },
            DemoScale::Medium => ScaleParams {
                persons: 12_000,
                ocgs: 25,
                ocg_members: 20,
                organisations: 300,
                vehicles: 2_000,
                addresses: 2_000,
                items: 60_000,
            },
            DemoScale::Large => ScaleParams {
                persons: 100_000,
                ocgs: 60,
                ocg_members: 25,
                organisations: 2_000,
                vehicles: 10_000,
                addresses: 10_000,
                items: 1_000_000,
            },
        }
    }
}

struct ScaleParams {
    persons: usize,
    ocgs: usize,
    ocg_members: usize,
    organisations: usize,
    vehicles: usize,
    addresses: usize,
    items: usize,
}

/// A link between two planned nominals (by index into [`DemoPlan::nominals`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLink {
    pub link_type: &'static str,
    pub from: usize,
    pub to: usize,
    pub confidence: &'static str,
    pub valid_from: Option<IsoDate>,
    /// For a declared association: the NA category it was declared under.
    pub na_category: Option<&'static str>,
}

/// An employee two hops from an OCG through an associate (planted for the exposure finder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedExposure {
    pub employee: NominalId,
    pub associate: NominalId,
    pub ocg: NominalId,
    /// Whether the employee declared the association (then it is explained, not a lead).
    pub declared: bool,
}

/// A cross-reference lead planted in the demo's bulk data (or its link graph).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlantedLead {
    /// The lead kind's code (`watched_lookup`...).
    pub kind: String,
    pub employee: NominalId,
    /// The person looked up or called, or the associate, where the lead names one.
    pub other: Option<NominalId>,
}

/// A word planted in exactly one item's narrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlantedTerm {
    pub term: String,
    pub reference: String,
}

/// The answers to the planted patterns, written beside a demo only in test mode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAnswers {
    pub seed: u64,
    pub scale: String,
    pub employees: usize,
    pub nominals: usize,
    pub items: usize,
    pub links: usize,
    pub declared_associations: usize,
    pub exposures: Vec<PlantedExposure>,
    /// Pairs of persons recorded twice with slightly different spellings and the same birth date.
    pub near_duplicates: Vec<(NominalId, NominalId)>,
    pub planted_terms: Vec<PlantedTerm>,
    /// Items per category, as generated.
    pub items_by_category: Vec<(String, usize)>,
    /// Live notifiable association register entries (one per declared pair, less the closed).
    #[serde(default)]
    pub live_associations: usize,
    #[serde(default)]
    pub closed_associations: usize,
    /// Live register entries by category code.
    #[serde(default)]
    pub associations_by_category: Vec<(String, usize)>,
    /// Employees assessed under Operation Beacon, and how many assessments they have in all.
    #[serde(default)]
    pub beacon_subjects: Vec<NominalId>,
    #[serde(default)]
    pub beacon_assessments: usize,
    /// Management interventions by state code, and by outcome code.
    #[serde(default)]
    pub interventions_by_state: Vec<(String, usize)>,
    #[serde(default)]
    pub interventions_by_outcome: Vec<(String, usize)>,
    /// Cross-reference leads planted in the bulk data and the graph, by kind, employee and
    /// the other nominal.
    #[serde(default)]
    pub planted_leads: Vec<PlantedLead>,
    /// Bulk records imported, by kind code.
    #[serde(default)]
    pub bulk_records: Vec<(String, usize)>,
}

/// Everything but the items, which are generated one by one by [`demo_item`].
#[derive(Debug, Clone)]
pub struct DemoPlan {
    pub seed: u64,
    pub scale: DemoScale,
    pub nominals: Vec<NominalDetails>,
    pub links: Vec<DemoLink>,
    pub item_count: usize,
    employees: Vec<usize>,
    associates: Vec<usize>,
    /// Persons each employee is linked to (family, friends), to name in narratives.
    employee_associates: Vec<Vec<usize>>,
    /// Planted: (employee, associate, ocg, declared), by index.
    pub exposures: Vec<(usize, usize, usize, bool)>,
    pub near_duplicates: Vec<(usize, usize)>,
    /// Planted: (item index, term).
    pub planted_terms: Vec<(usize, String)>,
}

/// The last day of the demo's timeline: fixed, so a seed gives the same demo whenever it runs.
#[must_use]
pub const fn demo_end_date() -> IsoDate {
    IsoDate(time::macros::date!(2026 - 10 - 31))
}

/// How many days the items span.
const ITEM_SPAN_DAYS: i64 = 3 * 365;

const STAFF_BY_TYPE: [(&str, usize); 5] = [
    // Seed 000 §1.2: 1,280 officers, 125 PCSOs, 267 police staff, 385 partnership staff,
    // 63 special constables.
    ("officer", 1_280),
    ("pcso", 125),
    ("staff", 267),
    ("partnership", 385),
    ("special", 63),
];

const OFFICER_RANKS: [(&str, u32); 6] = [
    ("PC", 70),
    ("DC", 12),
    ("Sgt", 10),
    ("DS", 3),
    ("Insp", 4),
    ("Ch Insp", 1),
];

fn phone_number(rng: &mut SplitMix64, used: &mut std::collections::HashSet<String>) -> String {
    // Ofcom's ranges for drama: 07700 900000-900999 and 01xx 496 0000-0999, 020 7946 0000-0999.
    const LANDLINE_PREFIXES: [&str; 10] = [
        "0113 496", "0114 496", "0115 496", "0116 496", "0117 496", "0118 496", "0121 496",
        "0131 496", "0141 496", "0161 496",
    ];
    loop {
        let number = match rng.below(12) {
            0..=5 => format!("07700 900{:03}", rng.below(1000)),
            6 => format!("020 7946 0{:03}", rng.below(1000)),
            _ => format!("{} 0{:03}", rng.pick(&LANDLINE_PREFIXES), rng.below(1000)),
        };
        if used.insert(number.clone()) {
            return number;
        }
    }
}

fn date_of_birth(rng: &mut SplitMix64, youngest: i32, oldest: i32) -> IsoDate {
    let span = usize::try_from(oldest - youngest).unwrap_or(1).max(1);
    let year = 2026 - youngest - i32::try_from(rng.below(span)).unwrap_or(0);
    let month = u8::try_from(1 + rng.below(12)).unwrap_or(1);
    let day = u8::try_from(1 + rng.below(28)).unwrap_or(1);
    IsoDate::from_ymd(year, month, day).unwrap_or_else(demo_end_date)
}

fn person(rng: &mut SplitMix64, flags: PersonFlags) -> NominalDetails {
    NominalDetails::Person {
        forenames: (*rng.pick(names::FORENAMES)).to_owned(),
        surname: (*rng.pick(names::SURNAMES)).to_owned(),
        aliases: Vec::new(),
        date_of_birth: Some(date_of_birth(rng, 18, 70)),
        flags,
    }
}

/// Plans the demo force for `scale` and `seed`.
#[expect(
    clippy::too_many_lines,
    reason = "one deterministic plan of the demo force, read top to bottom"
)]
#[must_use]
pub fn plan(scale: DemoScale, seed: u64) -> DemoPlan {
    let params = scale.params();
    let mut rng = SplitMix64::new(seed);
    let mut nominals = Vec::new();
    let mut links = Vec::new();
    let mut phones_used = std::collections::HashSet::new();
    let start = demo_end_date().plus_days(-ITEM_SPAN_DAYS * 2);

    // Staff.
    let mut employees = Vec::new();
    let mut staff_number = 10_000;
    for (employee_type, count) in STAFF_BY_TYPE {
        for _ in 0..count {
            staff_number += 1 + rng.below(3);
            let rank = match employee_type {
                "officer" => OFFICER_RANKS[rng.weighted(&OFFICER_RANKS.map(|(_, w)| w))].0,
                "pcso" => "PCSO",
                "special" => "SC",
                _ => "",
            };
            let vetting = match employee_type {
                "partnership" => ["NPPV2", "NPPV3", "NPPV2A"][rng.below(3)],
                _ if rng.chance(20) => "MV",
                _ => "RV",
            };
            let status = [
                "serving",
                "serving",
                "serving",
                "serving",
                "serving",
                "restricted",
                "suspended",
            ][rng.below(7)];
            employees.push(nominals.len());
            nominals.push(NominalDetails::Employee {
                staff_number: format!("S{staff_number:06}"),
                forenames: (*rng.pick(names::FORENAMES)).to_owned(),
                surname: (*rng.pick(names::SURNAMES)).to_owned(),
                rank_grade: rank.to_owned(),
                role: String::new(),
                department: (*rng.pick(names::DEPARTMENTS)).to_owned(),
                employee_type: employee_type.to_owned(),
                vetting_level: Some(vetting.to_owned()),
                vetting_expiry: Some(
                    demo_end_date().plus_days(i64::try_from(rng.below(2_000)).unwrap_or(0) - 300),
                ),
                status: status.to_owned(),
                date_of_birth: Some(date_of_birth(&mut rng, 19, 64)),
            });
        }
    }

    // OCGs and their members, each member with a phone.
    let mut ocgs = Vec::new();
    let mut ocg_members: Vec<Vec<usize>> = Vec::new();
    for index in 0..params.ocgs {
        let ocg = nominals.len();
        ocgs.push(ocg);
        nominals.push(NominalDetails::Ocg {
            name: format!(
                "{} {} ({})",
                rng.pick(names::PLACES),
                rng.pick(names::GROUP_NOUNS),
                index + 1
            ),
            description: String::from("Synthetic organised crime group"),
        });
        let mut members = Vec::new();
        for _ in 0..params.ocg_members {
            let member = nominals.len();
            nominals.push(person(
                &mut rng,
                PersonFlags {
                    ocg_member: true,
                    criminal: true,
                    ..PersonFlags::default()
                },
            ));
            links.push(DemoLink {
                link_type: "ocg_member",
                from: member,
                to: ocg,
                confidence: if rng.chance(70) {
                    "confirmed"
                } else {
                    "probable"
                },
                valid_from: Some(start.plus_days(i64::try_from(rng.below(700)).unwrap_or(0))),
                na_category: None,
            });
            let phone = nominals.len();
            nominals.push(NominalDetails::Phone {
                number: phone_number(&mut rng, &mut phones_used),
            });
            links.push(DemoLink {
                link_type: "uses_phone",
                from: member,
                to: phone,
                confidence: "probable",
                valid_from: None,
                na_category: None,
            });
            members.push(member);
        }
        ocg_members.push(members);
    }

    // Other persons: criminals, victims, journalists, investigators, ordinary associates.
    let mut associates = Vec::new();
    for _ in 0..params.persons {
        let roll = rng.below(100);
        let flags = PersonFlags {
            criminal: roll < 12,
            vulnerable: (12..20).contains(&roll),
            victim: (12..24).contains(&roll),
            journalist: roll == 24,
            private_investigator: roll == 25,
            ocg_member: false,
        };
        let index = nominals.len();
        nominals.push(person(&mut rng, flags));
        associates.push(index);
    }

    // Organisations, vehicles, addresses.
    for _ in 0..params.organisations {
        nominals.push(NominalDetails::Organisation {
            name: format!(
                "{} {}",
                rng.pick(names::PLACES),
                rng.pick(names::ORGANISATION_KINDS)
            ),
            sector: String::from("private"),
        });
    }
    let mut registrations = std::collections::HashSet::new();
    for _ in 0..params.vehicles {
        let (make, model) = *rng.pick(names::VEHICLE_MAKES);
        let registration = loop {
            let letters: String = (0..2)
                .map(|_| char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0)))
                .collect();
            let tail: String = (0..3)
                .map(|_| char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0)))
                .collect();
            let candidate = format!("{letters}{:02}{tail}", 51 + rng.below(24));
            if registrations.insert(candidate.clone()) {
                break candidate;
            }
        };
        let vehicle = nominals.len();
        nominals.push(NominalDetails::Vehicle {
            registration,
            make: make.to_owned(),
            model: model.to_owned(),
            colour: (*rng.pick(names::COLOURS)).to_owned(),
        });
        let keeper = *rng.pick(&associates);
        links.push(DemoLink {
            link_type: "keeper_of_vehicle",
            from: keeper,
            to: vehicle,
            confidence: "confirmed",
            valid_from: None,
            na_category: None,
        });
    }
    for _ in 0..params.addresses {
        let address = nominals.len();
        nominals.push(NominalDetails::Address {
            lines: vec![format!(
                "{} {}",
                1 + rng.below(200),
                rng.pick(names::STREETS)
            )],
            postcode: format!(
                "TS{} {}{}{}",
                1 + rng.below(25),
                rng.below(10),
                char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0)),
                char::from(b'A' + u8::try_from(rng.below(26)).unwrap_or(0))
            ),
        });
        let resident = *rng.pick(&associates);
        links.push(DemoLink {
            link_type: "lives_at",
            from: resident,
            to: address,
            confidence: "probable",
            valid_from: None,
            na_category: None,
        });
    }

    // Family and friends of staff: about a third of staff have one or two recorded associates.
    let mut employee_associates = vec![Vec::new(); employees.len()];
    for (position, &employee) in employees.iter().enumerate() {
        if !rng.chance(33) {
            continue;
        }
        for _ in 0..=rng.below(2) {
            let associate = *rng.pick(&associates);
            let link_type = ["family_close", "family_extended", "friend", "partner"]
                [rng.weighted(&[4, 2, 3, 1])];
            links.push(DemoLink {
                link_type,
                from: employee,
                to: associate,
                confidence: "confirmed",
                valid_from: None,
                na_category: None,
            });
            employee_associates[position].push(associate);
        }
    }
    // Associations among persons, and criminal associates of OCG members.
    for _ in 0..params.persons / 4 {
        let (a, b) = (*rng.pick(&associates), *rng.pick(&associates));
        if a != b {
            links.push(DemoLink {
                link_type: ["associate", "friend", "family_close"][rng.below(3)],
                from: a,
                to: b,
                confidence: ["confirmed", "probable", "possible"][rng.below(3)],
                valid_from: None,
                na_category: None,
            });
        }
    }
    for members in &ocg_members {
        for &member in members {
            let associate = *rng.pick(&associates);
            links.push(DemoLink {
                link_type: "criminal_associate",
                from: member,
                to: associate,
                confidence: "possible",
                valid_from: None,
                na_category: None,
            });
        }
    }

    // About 150 live notifiable associations (seeds 000 §4.11, 001 §4.2.3): most of them family,
    // "criminal" the largest single category.
    let na_categories = [
        ("family", 80_u32),
        ("criminal", 35),
        ("business_interest", 12),
        ("vulnerable_person", 8),
        ("journalist", 5),
        ("private_investigator", 4),
        ("other", 6),
    ];
    let mut declared = 0;
    while declared < 150 {
        let employee = *rng.pick(&employees);
        let category = na_categories[rng.weighted(&na_categories.map(|(_, w)| w))].0;
        let associate = *rng.pick(&associates);
        links.push(DemoLink {
            link_type: "declared_association",
            from: employee,
            to: associate,
            confidence: "confirmed",
            valid_from: Some(start.plus_days(i64::try_from(rng.below(1_000)).unwrap_or(0))),
            na_category: Some(category),
        });
        declared += 1;
    }

    // Planted: employees two hops from an OCG through an associate; one of them declared.
    let mut exposures = Vec::new();
    for plant in 0..4 {
        let employee = employees[(plant * 397 + 11) % employees.len()];
        let members = &ocg_members[plant % ocg_members.len()];
        let member = members[plant % members.len()];
        let ocg = ocgs[plant % ocgs.len()];
        let declared = plant == 3;
        let link_type = if declared {
            "declared_association"
        } else {
            "friend"
        };
        links.push(DemoLink {
            link_type,
            from: employee,
            to: member,
            confidence: "probable",
            // After every OCG membership the demo dates (start + 0..700 days): the declared
            // case was declared knowing of it, so nothing changed since and it stays explained.
            valid_from: Some(start.plus_days(750)),
            na_category: declared.then_some("criminal"),
        });
        exposures.push((employee, member, ocg, declared));
    }

    // Planted: near-duplicate persons (same birth date, spelling variants).
    let variants = [
        ("John", "Smith", "Jon", "Smyth"),
        ("Katherine", "Thompson", "Catherine", "Thomson"),
        ("Mohammed", "Hussain", "Mohammad", "Hussein"),
    ];
    let mut near_duplicates = Vec::new();
    for (fore_a, sur_a, fore_b, sur_b) in variants {
        let born = date_of_birth(&mut rng, 25, 50);
        let a = nominals.len();
        nominals.push(NominalDetails::Person {
            forenames: fore_a.to_owned(),
            surname: sur_a.to_owned(),
            aliases: Vec::new(),
            date_of_birth: Some(born),
            flags: PersonFlags::default(),
        });
        let b = nominals.len();
        nominals.push(NominalDetails::Person {
            forenames: fore_b.to_owned(),
            surname: sur_b.to_owned(),
            aliases: Vec::new(),
            date_of_birth: Some(born),
            flags: PersonFlags::default(),
        });
        near_duplicates.push((a, b));
    }

    // Planted search terms in spread-out items.
    let terms = [
        "quillfeather",
        "marrowgate",
        "tinderbox",
        "silverlock",
        "ravensworth",
    ];
    let planted_terms = terms
        .iter()
        .enumerate()
        .map(|(n, term)| ((n * 7919 + 13) % params.items, (*term).to_owned()))
        .collect();

    DemoPlan {
        seed,
        scale,
        nominals,
        links,
        item_count: params.items,
        employees,
        associates,
        employee_associates,
        exposures,
        near_duplicates,
        planted_terms,
    }
}

/// Category mix of seed 001 §4.2.3: disclosure and misuse of systems first, then sexual
/// misconduct, vulnerability, inappropriate association.
const CATEGORY_WEIGHTS: [(&str, u32); 12] = [
    ("disclosure", 26),
    ("misuse_of_systems", 10),
    ("sexual_misconduct", 18),
    ("vulnerability", 14),
    ("inappropriate_association", 12),
    ("theft_fraud", 5),
    ("drugs", 4),
    ("abuse_of_authority", 4),
    ("perverting_justice", 2),
    ("infiltration", 2),
    ("assist_offender", 2),
    ("other", 1),
];

const SOURCE_TYPES: [(&str, u32); 7] = [
    ("confidential_line", 30),
    ("anonymous_email", 15),
    ("supervisor", 15),
    ("audit_check", 20),
    ("partner_agency", 8),
    ("complaint", 8),
    ("covert_source", 4),
];

/// One item of the demo, with subjects as indices into the plan's nominals (as `NominalId`s
/// holding the index) until the loader maps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoItem {
    pub fields: IntelItemFields,
    pub status: &'static str,
}

fn full_name(details: &NominalDetails) -> String {
    details.person_name().map_or_else(
        || details.display_name(),
        |(fore, sur)| format!("{fore} {sur}"),
    )
}

fn narrative(
    rng: &mut SplitMix64,
    category: &str,
    subject: &NominalDetails,
    associate: Option<&NominalDetails>,
) -> String {
    let who = match subject {
        NominalDetails::Employee {
            rank_grade,
            staff_number,
            department,
            ..
        } => format!(
            "{rank_grade} {} ({staff_number}) of {department}",
            full_name(subject)
        )
        .trim()
        .to_owned(),
        other => full_name(other),
    };
    let other = associate.map_or_else(|| String::from("an unidentified male"), full_name);
    let relation = rng.pick(names::RELATIONS);
    let thing = rng.pick(names::THINGS);
    let place = rng.pick(names::MEETING_PLACES);
    let area = rng.pick(names::PLACES);
    match category {
        "disclosure" | "misuse_of_systems" => match rng.below(3) {
            0 => format!(
                "It is reported that {who} has disclosed details of {thing} to {other}, {relation}, during a meeting at {place} in {area}."
            ),
            1 => format!(
                "An audit of force systems shows {who} viewed {thing} with no policing purpose recorded; the record concerns {other}."
            ),
            _ => format!(
                "Information suggests {who} passed information about {thing} by phone to {other}, believed to be {relation}."
            ),
        },
        "sexual_misconduct" | "abuse_of_authority" => match rng.below(3) {
            0 => format!(
                "A victim of crime reports that {who} continued to message her after her case closed, including late at night, and visited her home in {area} off duty."
            ),
            1 => format!(
                "Concerns are raised that {who} repeatedly self-deployed to calls involving {other}, a vulnerable witness, and exchanged personal phone numbers."
            ),
            _ => format!(
                "It is alleged that {who} made sexualised comments to {other} and offered help with a case in return for contact."
            ),
        },
        "vulnerability" => match rng.below(3) {
            0 => format!(
                "Colleagues report that {who} is in significant debt and has been seen at {place} in {area} with {other}, {relation}."
            ),
            1 => format!(
                "A supervisor reports {who} attending work under the influence of alcohol on several occasions."
            ),
            _ => format!(
                "Information indicates {who} is in a volatile domestic situation involving {other}."
            ),
        },
        "inappropriate_association" | "infiltration" | "assist_offender" => match rng.below(3) {
            0 => format!(
                "{who} has been seen socialising at {place} in {area} with {other}, who is known for supply of controlled drugs."
            ),
            1 => format!(
                "Intelligence suggests {who} is {relation} of {other} and has not declared the association."
            ),
            _ => format!(
                "A partner agency reports that {other} boasts of a contact in the police, believed to be {who}."
            ),
        },
        "drugs" => format!(
            "It is reported that {who} uses steroids bought from {other} at {place} in {area}."
        ),
        "theft_fraud" => format!(
            "Expense claims by {who} include journeys that did not take place; {other} is named as a beneficiary."
        ),
        _ => format!(
            "Information received concerning {who} and {other} in {area}; further assessment is required."
        ),
    }
}

/// The `index`-th item of the plan (0-based), generated on its own from the seed, so items can
/// be produced in batches without holding a million in memory.
#[must_use]
pub fn demo_item(plan: &DemoPlan, index: usize) -> DemoItem {
    let mut rng = SplitMix64::for_index(plan.seed, 1, u64::try_from(index).unwrap_or(0));
    // Items are spread evenly over the timeline, oldest first, so references follow dates.
    let total = i64::try_from(plan.item_count.max(1)).unwrap_or(1);
    let position = i64::try_from(index).unwrap_or(0);
    let received_on =
        demo_end_date().plus_days(-ITEM_SPAN_DAYS + position * ITEM_SPAN_DAYS / total);
    let age_days = ITEM_SPAN_DAYS - position * ITEM_SPAN_DAYS / total;
    let category = CATEGORY_WEIGHTS[rng.weighted(&CATEGORY_WEIGHTS.map(|(_, w)| w))].0;
    let subcategory = match category {
        "disclosure" => Some(
            [
                "disclosure.criminals",
                "disclosure.family_friends",
                "disclosure.media",
                "disclosure.private_investigators",
            ][rng.weighted(&[4, 4, 1, 1])],
        ),
        "vulnerability" => Some(
            [
                "vulnerability.financial",
                "vulnerability.behavioural",
                "vulnerability.substance",
            ][rng.below(3)],
        ),
        "abuse_of_authority" => Some("abuse_of_authority.sexual_purpose"),
        "drugs" => Some("drugs.steroids"),
        _ => None,
    };
    let employee_position = rng.below(plan.employees.len());
    let subject_index = plan.employees[employee_position];
    let known = &plan.employee_associates[employee_position];
    let associate_index = if !known.is_empty() && rng.chance(60) {
        Some(*rng.pick(known))
    } else if rng.chance(50) {
        Some(*rng.pick(&plan.associates))
    } else {
        None
    };
    let mut text = narrative(
        &mut rng,
        category,
        &plan.nominals[subject_index],
        associate_index.map(|a| &plan.nominals[a]),
    );
    for (term_index, term) in &plan.planted_terms {
        if *term_index == index {
            text.push_str(" The source used the word ");
            text.push_str(term);
            text.push_str(" when describing the meeting.");
        }
    }
    let handling_code = if rng.chance(10) { "C" } else { "P" };
    let grading = Grading {
        source_evaluation: ["1", "2", "3"][rng.weighted(&[3, 6, 1])].to_owned(),
        intelligence_assessment: ["A", "B", "C", "D", "E"][rng.weighted(&[2, 4, 3, 2, 1])]
            .to_owned(),
        handling_code: handling_code.to_owned(),
        handling_conditions: (handling_code == "C").then(|| {
            String::from("Not to be disclosed outside the CCU without the DI's authority")
        }),
    };
    let mut subjects = vec![Subject {
        nominal_id: NominalId(i64::try_from(subject_index).unwrap_or(0)),
        role: String::from("subject"),
    }];
    if let Some(associate) = associate_index {
        subjects.push(Subject {
            nominal_id: NominalId(i64::try_from(associate).unwrap_or(0)),
            role: String::from(if category == "sexual_misconduct" {
                "victim"
            } else {
                "associate"
            }),
        });
    }
    let status = if age_days < 30 {
        ["received", "assessed"][rng.below(2)]
    } else if age_days < 180 {
        [
            "development",
            "investigation",
            "management_intervention",
            "no_further_action",
        ][rng.weighted(&[4, 2, 1, 3])]
    } else if rng.chance(85) {
        "closed"
    } else {
        "no_further_action"
    };
    DemoItem {
        fields: IntelItemFields {
            received_on,
            source_type: SOURCE_TYPES[rng.weighted(&SOURCE_TYPES.map(|(_, w)| w))]
                .0
                .to_owned(),
            narrative: text,
            grading,
            legacy_grading: None,
            category: category.to_owned(),
            subcategory: subcategory.map(str::to_owned),
            subjects,
            next_review_on: (age_days < 180).then(|| received_on.plus_days(90)),
        },
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_small_plan_matches_the_seeds_figures() {
        let plan = plan(DemoScale::Small, 42);
        let employees = plan
            .nominals
            .iter()
            .filter(|n| matches!(n, NominalDetails::Employee { .. }))
            .count();
        assert_eq!(employees, 2_120);
        let declared = plan
            .links
            .iter()
            .filter(|l| l.link_type == "declared_association")
            .count();
        assert!((150..=160).contains(&declared), "{declared}");
        assert_eq!(plan.exposures.len(), 4);
        assert_eq!(plan.near_duplicates.len(), 3);
    }

    #[test]
    fn generation_is_deterministic_per_seed() {
        let a = plan(DemoScale::Small, 7);
        let b = plan(DemoScale::Small, 7);
        assert_eq!(a.nominals, b.nominals);
        assert_eq!(a.links, b.links);
        assert_eq!(demo_item(&a, 123), demo_item(&b, 123));
        let c = plan(DemoScale::Small, 8);
        assert_ne!(a.nominals, c.nominals);
    }

    #[test]
    fn every_generated_record_is_valid() {
        let reference = crate::io::reference_file::shipped_default().unwrap();
        let plan = plan(DemoScale::Small, 3);
        let today = demo_end_date();
        for details in &plan.nominals {
            let mut normalised = details.clone();
            normalised.normalise("GB").unwrap();
            assert!(
                normalised.validate(&reference, today).is_empty(),
                "{details:?}"
            );
        }
        for index in 0..plan.item_count {
            let item = demo_item(&plan, index);
            let errors = item.fields.validate(&reference, today);
            assert!(errors.is_empty(), "{errors:?}");
        }
    }

    #[test]
    fn the_category_mix_puts_disclosure_first() {
        let plan = plan(DemoScale::Small, 5);
        let mut counts = std::collections::BTreeMap::new();
        for index in 0..plan.item_count {
            *counts
                .entry(demo_item(&plan, index).fields.category)
                .or_insert(0) += 1;
        }
        let top = counts
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(c, _)| c.clone());
        assert_eq!(top.as_deref(), Some("disclosure"));
    }
}
