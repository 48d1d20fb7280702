//! The demo force's bulk data: a system audit trail, call records of staff phones, the gifts
//! and hospitality register and procurement contract awards, as the CCU would import them.
//! Most of it is ordinary; a few patterns are planted for the cross-reference engine to find,
//! and innocent look-alikes beside them (a look-up with a reason code, a single look-up of a
//! criminal, hospitality from a company that won no contract, a contract won long before the
//! hospitality) that it must leave below its threshold.

use super::DemoPlan;
use super::rng::SplitMix64;
use crate::domain::{
    BulkRecord, CallRecord, GiftHospitality, IsoDate, NominalDetails, ProcurementContract,
    SubjectIdentity, SystemAuditEvent, WorkforceRecord, phone,
};
use crate::risk::crossref::LeadKind;
use std::collections::HashSet;

/// Reason codes the demo's audit trail gives (the shipped spec's codes, mapped).
const REASONS: [&str; 4] = ["investigation", "intelligence", "custody", "warrant"];

/// A pattern planted in the bulk data, by index into the plan's nominals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedLeadPlan {
    pub kind: LeadKind,
    pub employee: usize,
    /// The person looked up or called, where the lead names one.
    pub other: Option<usize>,
}

/// What the demo imports, and what it planted.
#[derive(Debug, Clone, Default)]
pub struct DemoBulk {
    /// Phones the CCU's subscriber checks attribute to members of staff (employee, E.164).
    pub staff_phones: Vec<(usize, String)>,
    pub records: Vec<BulkRecord>,
    pub planted: Vec<PlantedLeadPlan>,
}

/// The pairs the plan declares as notifiable associations, both ways round.
fn declared_pairs(plan: &DemoPlan) -> HashSet<(usize, usize)> {
    plan.links
        .iter()
        .filter(|l| l.link_type == "declared_association")
        .flat_map(|l| [(l.from, l.to), (l.to, l.from)])
        .collect()
}

/// The plan's employees linked directly to an OCG member, a criminal, a journalist or a private
/// investigator (the exposure finder's targets, seed 000's control strategy) with no declared
/// association between them: the planted exposures, and the family and friends of staff the
/// generator happened to pick from such persons (a third of staff have recorded associates,
/// about one person in eight is a criminal and one in fifty a journalist or investigator).
/// (employee, person), by index.
#[must_use]
pub fn undeclared_direct_associations(plan: &DemoPlan) -> Vec<(usize, usize)> {
    let is_employee = |i: usize| matches!(plan.nominals[i], NominalDetails::Employee { .. });
    let flagged = |i: usize| {
        matches!(&plan.nominals[i], NominalDetails::Person { flags, .. }
            if flags.ocg_member || flags.criminal || flags.journalist || flags.private_investigator)
    };
    let declared = declared_pairs(plan);
    let mut pairs: Vec<(usize, usize)> = plan
        .links
        .iter()
        .filter(|l| l.link_type != "declared_association")
        .filter_map(|l| {
            if is_employee(l.from) && flagged(l.to) {
                Some((l.from, l.to))
            } else if is_employee(l.to) && flagged(l.from) {
                Some((l.to, l.from))
            } else {
                None
            }
        })
        .filter(|pair| !declared.contains(pair))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Seconds from the Unix epoch to midnight UTC of `date`.
fn unix_midnight(date: IsoDate) -> i64 {
    date.0.midnight().assume_utc().unix_timestamp()
}

struct People<'p> {
    plan: &'p DemoPlan,
}

impl People<'_> {
    fn staff_number(&self, index: usize) -> String {
        match &self.plan.nominals[index] {
            NominalDetails::Employee { staff_number, .. } => staff_number.clone(),
            _ => String::new(),
        }
    }

    fn subject(&self, index: usize) -> SubjectIdentity {
        match &self.plan.nominals[index] {
            NominalDetails::Person {
                forenames,
                surname,
                date_of_birth,
                ..
            } => SubjectIdentity {
                surname: Some(surname.clone()),
                forenames: Some(forenames.clone()),
                date_of_birth: *date_of_birth,
                phone: None,
            },
            _ => SubjectIdentity::default(),
        }
    }
}

/// Plans the bulk data for a demo plan (deterministic from the plan's seed).
#[expect(
    clippy::too_many_lines,
    reason = "one deterministic plan of every bulk file, read top to bottom"
)]
#[must_use]
pub fn bulk_plan(plan: &DemoPlan) -> DemoBulk {
    let mut rng = SplitMix64::for_index(plan.seed, 0xB01C, 0);
    let people = People { plan };
    let end = super::generator::demo_end_date();
    let start = end.plus_days(-300);
    let span_secs = unix_midnight(end) - unix_midnight(start);
    let at = |rng: &mut SplitMix64| {
        unix_midnight(start)
            + i64::try_from(rng.below(usize::try_from(span_secs).unwrap_or(1))).unwrap_or(0)
    };

    let employees: Vec<usize> = (0..plan.nominals.len())
        .filter(|&i| matches!(plan.nominals[i], NominalDetails::Employee { .. }))
        .collect();
    let flags_of = |i: usize| match &plan.nominals[i] {
        NominalDetails::Person {
            flags,
            date_of_birth: Some(_),
            ..
        } => Some(*flags),
        _ => None,
    };
    let persons: Vec<usize> = (0..plan.nominals.len())
        .filter(|&i| flags_of(i).is_some())
        .collect();
    let watched = |i: usize| {
        flags_of(i).is_some_and(|f| f.ocg_member || f.criminal || f.vulnerable || f.victim)
    };
    let ordinary: Vec<usize> = persons.iter().copied().filter(|&i| !watched(i)).collect();
    let ocg_members: Vec<usize> = persons
        .iter()
        .copied()
        .filter(|&i| flags_of(i).is_some_and(|f| f.ocg_member))
        .collect();
    let vulnerable: Vec<usize> = persons
        .iter()
        .copied()
        .filter(|&i| flags_of(i).is_some_and(|f| f.vulnerable && !f.ocg_member && !f.criminal))
        .collect();
    let criminals: Vec<usize> = persons
        .iter()
        .copied()
        .filter(|&i| {
            flags_of(i).is_some_and(|f| f.criminal && !f.ocg_member && !f.vulnerable && !f.victim)
        })
        .collect();
    // Pairs the employee declared (both ways): looking them up is its own pattern.
    let declared = declared_pairs(plan);
    let mut bulk = DemoBulk::default();
    if employees.len() < 12 || ocg_members.len() < 3 || ordinary.is_empty() {
        return bulk;
    }
    // Staff with planted patterns are kept out of the noise, so each pattern is what it is.
    let planted_staff: Vec<usize> = (0..8)
        .map(|n| employees[(n * 211 + 5) % employees.len()])
        .collect();
    let noise_staff: Vec<usize> = employees
        .iter()
        .copied()
        .filter(|e| !planted_staff.contains(e))
        .collect();

    let lookup = |staff: usize, subject: usize, at: i64, reason: Option<&str>| {
        BulkRecord::AuditEvent(SystemAuditEvent {
            occurred_at: at,
            staff_number: people.staff_number(staff),
            system: "RMS".into(),
            subject: people.subject(subject),
            subject_external_id: None,
            reason_code: reason.map(str::to_owned),
            incident_reference: None,
        })
    };

    // Ordinary look-ups: of ordinary people (with or without a reason code), and of watched
    // people always with one.
    for _ in 0..2_000 {
        let staff = *rng.pick(&noise_staff);
        let (subject, reason) = if rng.chance(20) {
            (*rng.pick(&persons), Some(*rng.pick(&REASONS)))
        } else {
            let subject = *rng.pick(&ordinary);
            let reason = rng.chance(70).then(|| *rng.pick(&REASONS));
            (subject, reason)
        };
        if declared.contains(&(staff, subject)) {
            continue;
        }
        let when = at(&mut rng);
        bulk.records.push(lookup(staff, subject, when, reason));
    }
    // Look-alike: one unexplained look-up of a criminal (below the threshold alone).
    if let Some(&criminal) = criminals.first() {
        let staff = noise_staff[0];
        if !declared.contains(&(staff, criminal)) {
            let when = at(&mut rng);
            bulk.records.push(lookup(staff, criminal, when, None));
        }
    }
    // Planted: unexplained look-ups of OCG members by three officers...
    for (n, &staff) in planted_staff[..3].iter().enumerate() {
        let member = ocg_members[(n * 7 + 1) % ocg_members.len()];
        for _ in 0..=n {
            let when = at(&mut rng);
            bulk.records.push(lookup(staff, member, when, None));
        }
        bulk.planted.push(PlantedLeadPlan {
            kind: LeadKind::WatchedLookup,
            employee: staff,
            other: Some(member),
        });
    }
    // ...and repeated late-night look-ups of a vulnerable person (a Beacon warning sign).
    if let Some(&person) = vulnerable.first() {
        let staff = planted_staff[3];
        for _ in 0..3 {
            let when = at(&mut rng);
            bulk.records.push(lookup(staff, person, when, None));
        }
        bulk.planted.push(PlantedLeadPlan {
            kind: LeadKind::WatchedLookup,
            employee: staff,
            other: Some(person),
        });
    }

    // Phones: staff phones from the subscriber checks, numbers no demo nominal has.
    let used: HashSet<String> = plan
        .nominals
        .iter()
        .filter_map(|n| match n {
            NominalDetails::Phone { number } => phone::to_e164(number, "GB"),
            _ => None,
        })
        .collect();
    let mut free = (0..1000)
        .map(|n| format!("+447700900{n:03}"))
        .chain((0..1000).map(|n| format!("+441134960{n:03}")))
        .chain((0..1000).map(|n| format!("+442079460{n:03}")))
        .filter(|number| !used.contains(number));
    let caller_staff: Vec<usize> = planted_staff[4..6]
        .iter()
        .copied()
        .chain(noise_staff.iter().copied().take(20))
        .collect();
    for &staff in &caller_staff {
        if let Some(number) = free.next() {
            bulk.staff_phones.push((staff, number));
        }
    }
    let strangers: Vec<String> = free.by_ref().take(60).collect();
    let member_phone = |member: usize| {
        plan.links
            .iter()
            .find(|l| l.link_type == "uses_phone" && l.from == member)
            .and_then(|l| match &plan.nominals[l.to] {
                NominalDetails::Phone { number } => phone::to_e164(number, "GB"),
                _ => None,
            })
    };
    if bulk.staff_phones.len() == caller_staff.len() && !strangers.is_empty() {
        // Ordinary calls between staff phones and numbers nobody in the workbench has.
        for _ in 0..400 {
            let (_, mine) = rng.pick(&bulk.staff_phones).clone();
            let theirs = rng.pick(&strangers).clone();
            let outgoing = rng.chance(50);
            let when = at(&mut rng);
            bulk.records.push(BulkRecord::Call(CallRecord {
                caller: if outgoing {
                    mine.clone()
                } else {
                    theirs.clone()
                },
                callee: if outgoing { theirs } else { mine },
                started_at: when,
                duration_secs: i64::try_from(rng.below(900)).unwrap_or(0),
                direction: if outgoing { "outgoing" } else { "incoming" }.into(),
            }));
        }
        // Planted: two officers' phones in calls with OCG members' phones.
        for n in 0..2 {
            let (staff, mine) = bulk.staff_phones[n].clone();
            let member = ocg_members[(n * 5 + 2) % ocg_members.len()];
            let Some(theirs) = member_phone(member) else {
                continue;
            };
            for call in 0..=n * 2 {
                let when = at(&mut rng);
                bulk.records.push(BulkRecord::Call(CallRecord {
                    caller: if call % 2 == 0 {
                        mine.clone()
                    } else {
                        theirs.clone()
                    },
                    callee: if call % 2 == 0 {
                        theirs.clone()
                    } else {
                        mine.clone()
                    },
                    started_at: when,
                    duration_secs: 120 + i64::try_from(rng.below(300)).unwrap_or(0),
                    direction: "outgoing".into(),
                }));
            }
            bulk.planted.push(PlantedLeadPlan {
                kind: LeadKind::CallsWithCriminals,
                employee: staff,
                other: Some(member),
            });
        }
    }

    // Hospitality and contracts: register entries from companies that won nothing, awards to
    // companies that offered nothing, one award long before the hospitality, and two planted.
    let hosts = [
        "Brightwater Catering Ltd",
        "Kestrel Events Limited",
        "Orchard Training Services",
        "Harbour View Hotels plc",
        "Lantern Conference Centre",
    ];
    let suppliers = [
        "Ironbridge Fleet Services Ltd",
        "Cobalt IT Solutions Limited",
        "Meadow Cleaning Co",
        "Sentinel Body Armour plc",
    ];
    for n in 0..40 {
        let staff = *rng.pick(&noise_staff);
        let day = end.plus_days(-i64::try_from(rng.below(300)).unwrap_or(0));
        bulk.records.push(BulkRecord::Hospitality(GiftHospitality {
            staff_number: people.staff_number(staff),
            offered_on: day,
            provider: hosts[n % hosts.len()].into(),
            description: "Lunch".into(),
            value_pence: Some(i64::try_from(1_500 + rng.below(6_000)).unwrap_or(0)),
            accepted: rng.chance(60),
        }));
    }
    for n in 0..24 {
        let day = end.plus_days(-i64::try_from(rng.below(300)).unwrap_or(0));
        bulk.records.push(BulkRecord::Contract(ProcurementContract {
            reference: format!("PRC-{:04}", 100 + n),
            supplier: suppliers[n % suppliers.len()].into(),
            awarded_on: day,
            value_pence: Some(i64::try_from(500_000 + rng.below(20_000_000)).unwrap_or(0)),
            awarded_by: None,
        }));
    }
    // Look-alike: the award came a year before the hospitality.
    let early_staff = noise_staff[1];
    bulk.records.push(BulkRecord::Contract(ProcurementContract {
        reference: "PRC-0090".into(),
        supplier: "Greystone Facilities Ltd".into(),
        awarded_on: end.plus_days(-290),
        value_pence: Some(4_000_000),
        awarded_by: Some(people.staff_number(early_staff)),
    }));
    bulk.records.push(BulkRecord::Hospitality(GiftHospitality {
        staff_number: people.staff_number(early_staff),
        offered_on: end.plus_days(-10),
        provider: "GREYSTONE FACILITIES LIMITED".into(),
        description: "Christmas hamper".into(),
        value_pence: Some(9_000),
        accepted: false,
    }));
    // Planted: hospitality from a company, then an award to it (one awarded by the officer).
    for (n, company) in ["Northgate Security Ltd", "Apex Custody Services Limited"]
        .into_iter()
        .enumerate()
    {
        let staff = planted_staff[6 + n];
        let offered = end.plus_days(-200 + i64::try_from(n).unwrap_or(0) * 30);
        bulk.records.push(BulkRecord::Hospitality(GiftHospitality {
            staff_number: people.staff_number(staff),
            offered_on: offered,
            provider: company.to_uppercase(),
            description: "Corporate box at the races".into(),
            value_pence: Some(45_000),
            accepted: true,
        }));
        bulk.records.push(BulkRecord::Contract(ProcurementContract {
            reference: format!("PRC-09{n}1"),
            supplier: company.into(),
            awarded_on: offered.plus_days(45 + i64::try_from(n).unwrap_or(0) * 60),
            value_pence: Some(25_000_000),
            awarded_by: (n == 0).then(|| people.staff_number(staff)),
        }));
        bulk.planted.push(PlantedLeadPlan {
            kind: LeadKind::HospitalityBeforeContract,
            employee: staff,
            other: None,
        });
    }
    // HR and Professional Standards extracts: a performance review for most staff, some
    // sickness absences and complaints, for the transferee package.
    let complaints = [
        ("Incivility to a member of the public", "Local resolution"),
        ("Failure to update a victim", "No case to answer"),
        ("Discourtesy on a call", "Reflective practice"),
    ];
    for (n, &staff) in noise_staff.iter().enumerate() {
        let staff_number = people.staff_number(staff);
        let year_end = end.plus_days(-i64::try_from(rng.below(60)).unwrap_or(0));
        bulk.records
            .push(BulkRecord::WorkforceRecord(WorkforceRecord {
                staff_number: staff_number.clone(),
                record_type: "performance".into(),
                recorded_on: year_end,
                ended_on: None,
                summary: "Annual performance and development review".into(),
                outcome: Some(
                    (*rng.pick(&["Competent", "Competent", "Exceeds", "Development plan"])).into(),
                ),
                reference: Some(format!("PDR-{:05}", n + 1)),
            }));
        if rng.chance(25) {
            let began = end.plus_days(-i64::try_from(30 + rng.below(250)).unwrap_or(0));
            bulk.records
                .push(BulkRecord::WorkforceRecord(WorkforceRecord {
                    staff_number: staff_number.clone(),
                    record_type: "sickness".into(),
                    recorded_on: began,
                    ended_on: Some(began.plus_days(i64::try_from(1 + rng.below(14)).unwrap_or(1))),
                    summary: "Sickness absence".into(),
                    outcome: None,
                    reference: Some(format!("ABS-{:05}", n + 1)),
                }));
        }
        if rng.chance(8) {
            let (summary, outcome) = *rng.pick(&complaints);
            let made = end.plus_days(-i64::try_from(rng.below(280)).unwrap_or(0));
            bulk.records
                .push(BulkRecord::WorkforceRecord(WorkforceRecord {
                    staff_number,
                    record_type: "complaint".into(),
                    recorded_on: made,
                    ended_on: Some(made.plus_days(28)),
                    summary: summary.into(),
                    outcome: Some(outcome.into()),
                    reference: Some(format!("CO-{:05}", n + 1)),
                }));
        }
    }
    conduct_outcomes(&mut bulk, &people, &noise_staff, &ordinary, &declared, end);
    bulk
}

/// Professional Standards' conduct outcomes: a final written warning for misusing force systems
/// followed by unexplained look-ups (planted: sanctioned, still querying), management advice for
/// disclosure followed by the same look-ups (the look-alike: advice is not a sanction), and a
/// spread of outcomes in other categories.
fn conduct_outcomes(
    bulk: &mut DemoBulk,
    people: &People<'_>,
    noise_staff: &[usize],
    ordinary: &[usize],
    declared: &HashSet<(usize, usize)>,
    end: IsoDate,
) {
    use crate::domain::{ConductOutcome, ConductOutcomeKind};
    if noise_staff.len() < 12 || ordinary.is_empty() {
        return;
    }
    let outcome = |staff: usize, days_before_end: i64, category: &str, kind, iopc| {
        BulkRecord::ConductOutcome(ConductOutcome {
            staff_number: people.staff_number(staff),
            decided_on: end.plus_days(-days_before_end),
            category: category.into(),
            outcome: kind,
            referred_to_iopc: iopc,
        })
    };
    let (sanctioned, advised) = (noise_staff[2], noise_staff[3]);
    bulk.records.push(outcome(
        sanctioned,
        240,
        "misuse_of_systems",
        ConductOutcomeKind::FinalWrittenWarning,
        true,
    ));
    bulk.records.push(outcome(
        advised,
        240,
        "disclosure",
        ConductOutcomeKind::ManagementAdvice,
        false,
    ));
    for (n, staff) in [sanctioned, advised].into_iter().enumerate() {
        for k in 0..3_usize {
            let subject = ordinary[(n * 5 + k * 3) % ordinary.len()];
            if declared.contains(&(staff, subject)) {
                continue;
            }
            let day = end.plus_days(-90 + i64::try_from(k * 11 + n).unwrap_or(0));
            bulk.records.push(BulkRecord::AuditEvent(SystemAuditEvent {
                occurred_at: unix_midnight(day) + 22 * 3_600,
                staff_number: people.staff_number(staff),
                system: "PNC".into(),
                subject: people.subject(subject),
                subject_external_id: None,
                reason_code: None,
                incident_reference: None,
            }));
        }
    }
    bulk.planted.push(PlantedLeadPlan {
        kind: LeadKind::SanctionedStillQuerying,
        employee: sanctioned,
        other: None,
    });
    let spread = [
        (
            "abuse_of_authority",
            ConductOutcomeKind::WrittenWarning,
            false,
        ),
        (
            "inappropriate_association",
            ConductOutcomeKind::ReflectivePractice,
            false,
        ),
        ("theft_fraud", ConductOutcomeKind::Dismissal, true),
        ("disclosure", ConductOutcomeKind::NoCaseToAnswer, false),
        ("other", ConductOutcomeKind::ManagementAdvice, false),
        (
            "sexual_misconduct",
            ConductOutcomeKind::FinalWrittenWarning,
            true,
        ),
    ];
    for (n, (category, kind, iopc)) in spread.into_iter().enumerate() {
        let staff = noise_staff[4 + n];
        let days = 30 + i64::try_from(n).unwrap_or(0) * 47;
        bulk.records
            .push(outcome(staff, days, category, kind, iopc));
    }
}
