//! A synthetic force for Operation Beacon screening (issue 24): finding staff who abuse their
//! position for a sexual purpose from the force's own data. Screening is judged on what this
//! writes: an extract set in the shapes real systems export (an HR staff list, the records
//! system's person list with its vulnerable marker, the control room's person index, crime
//! records with every party and officer and their roles, the records system's audit trail with
//! reason codes and incident references, call data, and the command and control deployments
//! log), with ordinary background activity, planted abuse patterns ([`Planted`]: what screening
//! must find) and innocent look-alikes beside them ([`LookAlike`]: what it must keep below its
//! threshold).
//!
//! The files are written as exporters write them: a byte order mark, CRLF line ends, UK dates,
//! names as "SURNAME, Forenames", markers as Y/N, phones in national format (sometimes without
//! spaces or as +44), mixed-case staff numbers and person ids, stray spaces and blank optional
//! cells. All names, numbers and ids are synthetic; phones are in Ofcom's ranges for drama.
//!
//! Self-contained (std, `time` and the `ccu_workbench` crate only): the integration tests use it
//! as `common::beacon_force`, and the screening benchmark includes it by path.

// The benchmark uses a part of it; a generator that cannot go on fails the test that called it,
// with its reason.
#![allow(dead_code, clippy::expect_used)]

use ccu_workbench::demo::SplitMix64;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How big a force to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForceSize {
    /// Members of staff in the HR list (at most 600: their work mobiles are all in 07700 900xxx).
    pub staff: usize,
    /// People in the records system's person list.
    pub people: usize,
    /// Crime records (references); each has one row per officer per party.
    pub cases: usize,
    /// Rows of the audit trail.
    pub audit_rows: usize,
    /// Rows of call data.
    pub calls: usize,
    /// Rows of the command and control deployments log.
    pub deployments: usize,
}

impl ForceSize {
    /// For tests: small, imports in a few seconds in debug.
    pub const TEST: ForceSize = ForceSize {
        staff: 120,
        people: 600,
        cases: 300,
        audit_rows: 6_000,
        calls: 1_500,
        deployments: 1_500,
    };
    /// For the precision/recall benchmark (release).
    pub const BENCH: ForceSize = ForceSize {
        staff: 400,
        people: 3_000,
        cases: 1_500,
        audit_rows: 60_000,
        calls: 10_000,
        deployments: 10_000,
    };
}

/// One file of the set: its import kind (as `ImportKind::as_str` spells it), where it was
/// written and the spec to import it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extract {
    pub kind: &'static str,
    pub file: PathBuf,
    pub spec: PathBuf,
    /// Data rows written (the header not counted).
    pub rows: usize,
}

/// A planted abuse pattern: what screening must find.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Planted {
    /// `lookups_after_closure`, `calls_outside_case`, `self_deployment` or
    /// `contact_after_closure`.
    pub indicator: &'static str,
    /// As it is after import (upper case).
    pub staff_number: String,
    /// The case's reference (upper case); `None` for `self_deployment`.
    pub case_reference: Option<String>,
    /// The person's records-system id, as imported (upper case).
    pub person_id: String,
}

/// An innocent look-alike: what screening must keep below its threshold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LookAlike {
    /// `oic_lookups_during_case`, `liaison_calls_during_case`, `neighbourhood_attendance`,
    /// `lookup_for_new_incident` or `wind_down_contact`.
    pub reading: &'static str,
    pub staff_number: String,
    pub person_id: String,
}

/// What [`write_force`] wrote and planted.
#[derive(Debug, Clone)]
pub struct BeaconForce {
    /// In import order: people before what names them.
    pub extracts: Vec<Extract>,
    pub planted: Vec<Planted>,
    pub look_alikes: Vec<LookAlike>,
    /// The day the force is written as of (the real current UTC date): every date is before it.
    pub today: time::Date,
}

/// The planted indicators, as [`Planted::indicator`] spells them.
pub const INDICATORS: [&str; 4] = [
    "lookups_after_closure",
    "calls_outside_case",
    "self_deployment",
    "contact_after_closure",
];

/// The look-alike readings, as [`LookAlike::reading`] spells them.
pub const READINGS: [&str; 5] = [
    "oic_lookups_during_case",
    "liaison_calls_during_case",
    "neighbourhood_attendance",
    "lookup_for_new_incident",
    "wind_down_contact",
];

/// Ofcom's numbers for drama, 1,000 in each: the work mobiles are the first range, people's
/// phones and the unrelated numbers of call data the others.
const PHONE_RANGES: [&str; 16] = [
    "07700 900",
    "01632 960",
    "020 7946 0",
    "0113 496 0",
    "0114 496 0",
    "0115 496 0",
    "0116 496 0",
    "0117 496 0",
    "0118 496 0",
    "0121 496 0",
    "0131 496 0",
    "0141 496 0",
    "0151 496 0",
    "0161 496 0",
    "0191 498 0",
    "029 2018 0",
];
/// Work mobiles: slots 0..600. People's phones: 600..8000. Unrelated numbers: 8000..16000.
const PEOPLE_PHONES_FROM: usize = 600;
const UNRELATED_PHONES_FROM: usize = 8_000;
const UNRELATED_PHONES: usize = 8_000;

const SURNAME_HEADS: [&str; 20] = [
    "Ash", "Brack", "Cold", "Dun", "Fen", "Gar", "Hol", "Kel", "Lind", "Mor", "Nor", "Pell",
    "Quin", "Rad", "Sel", "Thorn", "Wick", "Yar", "Elm", "Orl",
];
const SURNAME_TAILS: [&str; 12] = [
    "by", "combe", "ford", "well", "more", "ton", "ley", "wick", "stead", "hurst", "gate", "den",
];
const FORENAMES: [&str; 24] = [
    "Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Lee", "Kim", "Dana", "Ash", "Jordan", "Casey",
    "Morgan", "Riley", "Taylor", "Jamie", "Charlie", "Frankie", "Rowan", "Skye", "Ellis", "Noel",
    "Avery", "Quinn",
];

/// The phone in a slot, in national format.
#[must_use]
pub fn phone_number(slot: usize) -> String {
    format!("{}{:03}", PHONE_RANGES[slot / 1_000], slot % 1_000)
}

/// A staff number as stored (upper case).
fn staff_number(index: usize) -> String {
    format!("E{:05}", 20_000 + index)
}

/// A person's records-system id as stored (upper case).
fn person_id(index: usize) -> String {
    format!("P{:07}", 4_100_000 + index * 7)
}

/// A person's id in the control room's person index.
fn cad_person_id(index: usize) -> String {
    format!("CAD-P-{:06}", 300_000 + index * 3)
}

fn uk_date(day: time::Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        day.day(),
        u8::from(day.month()),
        day.year()
    )
}

fn days(n: usize) -> i64 {
    i64::try_from(n).expect("a day count fits i64")
}

#[derive(Debug, Clone)]
struct Staff {
    number: String,
    forename: &'static str,
    surname: String,
    dob: time::Date,
    rank: &'static str,
    title: &'static str,
    department: &'static str,
    officer: bool,
    leaver: bool,
}

#[derive(Debug, Clone)]
struct Person {
    id: String,
    forename: &'static str,
    surname: String,
    dob: time::Date,
    /// Every person has a slot of their own; only those who `wants_phone` have it on record.
    phone_slot: usize,
    wants_phone: bool,
    vulnerable: bool,
    criminal: bool,
    cad_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Party {
    Victim,
    Witness,
}

#[derive(Debug, Clone)]
struct Case {
    serial: usize,
    reference: String,
    /// Days before today.
    opened: i64,
    closed: Option<i64>,
    /// Staff index and role as the system words it; the officer in charge first.
    officers: Vec<(usize, &'static str)>,
    parties: Vec<(usize, Party)>,
}

impl Case {
    /// The last day (days ago) the case was open: the day before closure, or yesterday.
    fn last_open_day(&self) -> i64 {
        self.closed.map_or(1, |c| c + 1)
    }
}

/// The force being written: everything in memory, files written at the end.
struct Gen {
    rng: SplitMix64,
    today: time::Date,
    staff: Vec<Staff>,
    people: Vec<Person>,
    cases: Vec<Case>,
    /// (sort key, row) so each file is in time order as systems export.
    audit: Vec<(i64, String)>,
    calls: Vec<(i64, String)>,
    deployments: Vec<(i64, String)>,
    next_incident: usize,
    /// (officer, person) pairs with a self-deployment in the background noise.
    noise_self: BTreeSet<(usize, usize)>,
    planted: Vec<Planted>,
    look_alikes: Vec<LookAlike>,
}

impl Gen {
    fn range(&mut self, from: i64, to: i64) -> i64 {
        // Inclusive; `to` < `from` gives `from`.
        let span = usize::try_from((to - from).max(0) + 1).expect("a span");
        from + days(self.rng.below(span))
    }

    fn day(&self, days_ago: i64) -> time::Date {
        self.today - time::Duration::days(days_ago)
    }

    /// A sort key and the date and time as `dd/mm/yyyy HH:MM[:SS]`.
    fn stamp(&self, days_ago: i64, minute_of_day: i64, seconds: bool) -> (i64, String) {
        let minute_of_day = minute_of_day.clamp(0, 24 * 60 - 1);
        let mut key = -days_ago * 86_400 + minute_of_day * 60;
        let (h, m) = (minute_of_day / 60, minute_of_day % 60);
        let mut text = format!("{} {h:02}:{m:02}", uk_date(self.day(days_ago)));
        if seconds {
            let second = (days_ago * 31 + minute_of_day * 17 + 13).rem_euclid(60);
            key += second;
            let _ = write!(text, ":{second:02}");
        }
        (key, text)
    }

    /// A minute of the day, mostly in working hours.
    fn minute(&mut self) -> i64 {
        if self.rng.chance(80) {
            self.range(7 * 60, 21 * 60)
        } else {
            self.range(0, 24 * 60 - 1)
        }
    }

    fn staff_cell(&mut self, staff: usize) -> String {
        let number = staff_number(staff);
        match self.rng.below(20) {
            0 | 1 => number.to_lowercase(),
            2 => format!(" {number} "),
            _ => number,
        }
    }

    fn person_cell(&mut self, person: usize) -> String {
        let id = self.people[person].id.clone();
        match self.rng.below(25) {
            0 => id.to_lowercase(),
            1 => format!("{id} "),
            _ => id,
        }
    }

    fn phone_cell(&mut self, slot: usize) -> String {
        let national = phone_number(slot);
        match self.rng.below(10) {
            0 | 1 => national.replace(' ', ""),
            2 => format!("+44 {}", &national[1..]),
            _ => national,
        }
    }

    fn staff_phone(staff: usize) -> usize {
        staff
    }

    fn person_phone(&self, person: usize) -> usize {
        assert!(self.people[person].wants_phone, "a person given a phone");
        self.people[person].phone_slot
    }

    /// The next person of `order` (popped from its end), given a phone if `phone`.
    fn take_person(&mut self, order: &mut Vec<usize>, phone: bool) -> usize {
        let p = order.pop().expect("enough people for the force");
        if phone {
            self.people[p].wants_phone = true;
        }
        p
    }

    /// One look-up in the audit trail.
    fn lookup(
        &mut self,
        days_ago: i64,
        minute: i64,
        staff: usize,
        person: usize,
        reason: &str,
        incident: &str,
    ) {
        let (key, at) = self.stamp(days_ago, minute, true);
        let user = self.staff_cell(staff);
        let system = if self.rng.chance(5) { "rms" } else { "RMS" };
        let subject = self.person_cell(person);
        self.audit.push((
            key,
            format!("{at},{user},{system},{subject},{reason},{incident}"),
        ));
    }

    /// One call between two phone slots.
    fn call(&mut self, days_ago: i64, minute: i64, a: usize, b: usize, duration: usize) {
        let (key, at) = self.stamp(days_ago, minute, false);
        let (a, b) = (self.phone_cell(a), self.phone_cell(b));
        self.calls.push((key, format!("{a},{b},{at},{duration}")));
    }

    /// A call between a member of staff and a person, either way round.
    fn staff_person_call(&mut self, days_ago: i64, staff: usize, person: usize) {
        let minute = self.minute();
        let duration = 20 + self.rng.below(1_500);
        let (s, p) = (Self::staff_phone(staff), self.person_phone(person));
        if self.rng.chance(60) {
            self.call(days_ago, minute, s, p, duration);
        } else {
            self.call(days_ago, minute, p, s, duration);
        }
    }

    fn new_incident(&mut self, days_ago: i64) -> String {
        self.next_incident += 1;
        format!(
            "INC{:06}/{:02}",
            self.next_incident,
            self.day(days_ago).year() % 100
        )
    }

    /// One row of the deployments log: an officer assigned to an incident with a person
    /// involved, the person by the control room's id where it has one, else by name and date
    /// of birth.
    fn deploy(
        &mut self,
        days_ago: i64,
        minute: i64,
        incident: &str,
        officer: usize,
        self_deployed: bool,
        person: usize,
    ) {
        let (key, at) = self.stamp(days_ago, minute, false);
        let at = if self.rng.chance(3) {
            format!("  {at}")
        } else {
            at
        };
        let incident = if self.rng.chance(10) {
            format!(" {} ", incident.to_lowercase())
        } else {
            incident.to_owned()
        };
        let officer = self.staff_cell(officer);
        let flag = match (self_deployed, self.rng.below(12)) {
            (true, 0) => "y",
            (true, _) => "Y",
            (false, 0) => "",
            (false, 1) => "n",
            (false, _) => "N",
        };
        let p = &self.people[person];
        let by_id = p.cad_id.is_some() && self.rng.chance(80);
        let (id, surname, forename, dob) = if by_id {
            (
                p.cad_id.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
            )
        } else {
            (
                String::new(),
                if self.rng.chance(50) {
                    p.surname.to_uppercase()
                } else {
                    p.surname.clone()
                },
                p.forename.to_owned(),
                uk_date(p.dob),
            )
        };
        self.deployments.push((
            key,
            format!("{incident},{at},{officer},{flag},{id},{surname},{forename},{dob}"),
        ));
    }

    /// A new case, its reference given later.
    fn add_case(
        &mut self,
        opened: i64,
        closed: Option<i64>,
        officers: Vec<(usize, &'static str)>,
        parties: Vec<(usize, Party)>,
    ) -> usize {
        self.cases.push(Case {
            serial: 0,
            reference: String::new(),
            opened,
            closed,
            officers,
            parties,
        });
        self.cases.len() - 1
    }
}

fn shuffle<T>(rng: &mut SplitMix64, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

/// Writes `rows` as Excel saves a CSV: a byte order mark and CRLF line ends.
fn write_csv(path: &Path, header: &str, rows: impl IntoIterator<Item = String>) -> usize {
    let mut text = String::from("\u{feff}");
    text.push_str(header);
    text.push_str("\r\n");
    let mut count = 0;
    for row in rows {
        text.push_str(&row);
        text.push_str("\r\n");
        count += 1;
    }
    std::fs::write(path, text).expect("write an extract");
    count
}

fn spec_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/import_specs")
        .join(relative)
}

/// The roles members of staff are given, so each planted pattern and look-alike has its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Post {
    Response,
    Cid,
    PublicProtection,
    Neighbourhood,
    Custody,
    ContactCentre,
    Intelligence,
}

impl Post {
    fn describe(self) -> (&'static str, &'static str, &'static str, bool) {
        // Rank, job title, department, officer.
        match self {
            Post::Response => ("PC", "Response Officer", "Response", true),
            Post::Cid => ("DC", "Detective Constable", "CID", true),
            Post::PublicProtection => ("DC", "Investigator", "Public Protection", true),
            Post::Neighbourhood => ("PC", "Neighbourhood Officer", "Neighbourhood", true),
            Post::Custody => ("PS", "Custody Sergeant", "Custody", true),
            Post::ContactCentre => ("Grade 3", "Call Handler", "Contact Centre", false),
            Post::Intelligence => ("Grade 5", "Intelligence Analyst", "Intelligence", false),
        }
    }
}

/// Writes the extract set into `dir` (files in import order: people before what names them) and
/// returns what was planted.
#[expect(
    clippy::too_many_lines,
    reason = "one force from staff to deployments, each pattern beside its look-alikes"
)]
pub fn write_force(dir: &Path, seed: u64, size: ForceSize) -> BeaconForce {
    assert!(
        (80..=600).contains(&size.staff),
        "80 to 600 staff (work mobiles are 07700 900xxx)"
    );
    assert!(size.people >= 4 * size.cases / 3 + 120, "too few people");
    assert!(size.people <= 7_000, "too many people for the drama ranges");
    let today = time::OffsetDateTime::now_utc().date();
    let mut g = Gen {
        rng: SplitMix64::new(seed ^ 0xBEAC_0000_0000_0024),
        today,
        staff: Vec::new(),
        people: Vec::new(),
        cases: Vec::new(),
        audit: Vec::new(),
        calls: Vec::new(),
        deployments: Vec::new(),
        next_incident: 0,
        noise_self: BTreeSet::new(),
        planted: Vec::new(),
        look_alikes: Vec::new(),
    };

    // How many of each pattern and look-alike: 3 to 5, by the seed.
    let plant_counts: Vec<usize> = INDICATORS.iter().map(|_| 3 + g.rng.below(3)).collect();
    let alike_counts: Vec<usize> = READINGS.iter().map(|_| 3 + g.rng.below(3)).collect();
    let specials = plant_counts.iter().sum::<usize>() + alike_counts.iter().sum::<usize>();

    // Staff: a shuffled order; the first `specials` each carry one pattern or look-alike, the
    // rest are the ordinary workforce by post.
    let mut order: Vec<usize> = (0..size.staff).collect();
    shuffle(&mut g.rng, &mut order);
    let mut posts = vec![Post::Response; size.staff];
    for (rank, &index) in order.iter().enumerate().skip(specials) {
        posts[index] = match rank % 10 {
            0..=2 => Post::Response,
            3 | 4 => Post::Cid,
            5 => Post::PublicProtection,
            6 => Post::Neighbourhood,
            7 => Post::Custody,
            8 => Post::ContactCentre,
            _ => Post::Intelligence,
        };
    }
    let mut special_staff: Vec<usize> = order[..specials].to_vec();
    special_staff.reverse(); // popped from the end: in shuffled order
    let noise_staff: Vec<usize> = order[specials..].to_vec();
    let noise_oics: Vec<usize> = noise_staff
        .iter()
        .copied()
        .filter(|&s| {
            matches!(
                posts[s],
                Post::Response | Post::Cid | Post::PublicProtection
            )
        })
        .collect();
    let noise_liaison: Vec<usize> = noise_staff
        .iter()
        .copied()
        .filter(|&s| matches!(posts[s], Post::PublicProtection | Post::Cid))
        .collect();

    // People: a shuffled order; the special ones first, then the parties of ordinary cases,
    // then everyone else (looked up, called and attended in the background only).
    let step = (22_000 / size.people).max(1);
    let born_from = time::Date::from_calendar_date(1945, time::Month::January, 1).expect("a date");
    for n in 0..size.people {
        let jitter = g.rng.below(step);
        let head = *g.rng.pick(&SURNAME_HEADS);
        let tail = *g.rng.pick(&SURNAME_TAILS);
        let forename = *g.rng.pick(&FORENAMES);
        let criminal = g.rng.chance(6);
        let vulnerable = g.rng.chance(4);
        let wants_phone = g.rng.chance(70);
        g.people.push(Person {
            id: person_id(n),
            forename,
            surname: format!("{head}{tail}"),
            dob: born_from + time::Duration::days(days(n * step + jitter)),
            phone_slot: PEOPLE_PHONES_FROM + n,
            wants_phone,
            vulnerable,
            criminal,
            cad_id: (n % 3 != 0).then(|| cad_person_id(n)),
        });
    }
    let mut people_order: Vec<usize> = (0..size.people).collect();
    shuffle(&mut g.rng, &mut people_order);
    people_order.reverse(); // popped from the end

    let mut special_post = |post: Post, posts: &mut Vec<Post>| -> usize {
        let s = special_staff
            .pop()
            .expect("a member of staff for each pattern");
        posts[s] = post;
        s
    };
    let pick_noise = |g: &mut Gen, pool: &[usize]| -> usize { *g.rng.pick(pool) };

    // ---- Planted patterns -------------------------------------------------------------------
    // Each by its own member of staff, never recorded on the case; each on its own case and
    // person, so nothing else happens to them that could read as the pattern or excuse it.
    // Indices into `g.planted` of the case-based ones, with their case, to fill in references.
    let mut planted_cases: Vec<(usize, usize)> = Vec::new();
    let mut alike_cases: Vec<usize> = Vec::new();

    // lookups_after_closure: a closed case's victim (or a vulnerable witness) looked up 2-6
    // times after closure by someone not on it, generic reason, no incident.
    for _ in 0..plant_counts[0] {
        let post = *g.rng.pick(&[
            Post::Response,
            Post::Cid,
            Post::ContactCentre,
            Post::Intelligence,
            Post::Custody,
        ]);
        let perp = special_post(post, &mut posts);
        let closed = g.range(25, 220);
        let opened = closed + g.range(15, 150);
        let victim = g.take_person(&mut people_order, false);
        let oic = pick_noise(&mut g, &noise_oics);
        let mut parties = vec![(victim, Party::Victim)];
        let mut target = victim;
        if g.rng.chance(35) {
            let witness = g.take_person(&mut people_order, false);
            parties.push((witness, Party::Witness));
            if g.rng.chance(60) {
                g.people[witness].vulnerable = true;
                target = witness;
            }
        }
        let case = g.add_case(opened, Some(closed), vec![(oic, "OIC")], parties);
        let times = 2 + g.rng.below(5);
        let mut when: BTreeSet<i64> = BTreeSet::new();
        while when.len() < times {
            let d = g.range(1, closed - 1);
            when.insert(d);
        }
        for d in when {
            let minute = g.minute();
            let reason = *g.rng.pick(&["GEN", "GEN", "INT", "ENQ"]);
            g.lookup(d, minute, perp, target, reason, "");
        }
        planted_cases.push((g.planted.len(), case));
        g.planted.push(Planted {
            indicator: INDICATORS[0],
            staff_number: staff_number(perp),
            case_reference: None,
            person_id: g.people[target].id.clone(),
        });
    }

    // calls_outside_case: someone not on a case calls its victim or a witness 3-8 times while
    // it is open (now and then before it opened).
    for _ in 0..plant_counts[1] {
        let post = *g.rng.pick(&[
            Post::Response,
            Post::Cid,
            Post::Custody,
            Post::ContactCentre,
        ]);
        let perp = special_post(post, &mut posts);
        let opened = g.range(30, 200);
        let closed = if g.rng.chance(50) {
            None
        } else {
            Some(g.range(1, opened - 20))
        };
        let victim = g.take_person(&mut people_order, true);
        let oic = pick_noise(&mut g, &noise_oics);
        let mut parties = vec![(victim, Party::Victim)];
        let mut target = victim;
        if g.rng.chance(40) {
            let witness = g.take_person(&mut people_order, true);
            parties.push((witness, Party::Witness));
            if g.rng.chance(50) {
                target = witness;
            }
        }
        let case = g.add_case(opened, closed, vec![(oic, "OIC")], parties);
        let last_open = g.cases[case].last_open_day();
        let times = 3 + g.rng.below(6);
        for k in 0..times {
            let d = if k == 0 && g.rng.chance(30) {
                // Before the case opened: they knew each other already.
                opened + g.range(1, 20)
            } else {
                g.range(last_open, opened - 1)
            };
            g.staff_person_call(d, perp, target);
        }
        planted_cases.push((g.planted.len(), case));
        g.planted.push(Planted {
            indicator: INDICATORS[1],
            staff_number: staff_number(perp),
            case_reference: None,
            person_id: g.people[target].id.clone(),
        });
    }

    // self_deployment: an officer puts themselves on 3-5 incidents over weeks involving the
    // same vulnerable person (flagged, or the victim of a case they are not on).
    for _ in 0..plant_counts[2] {
        let perp = special_post(Post::Response, &mut posts);
        let person = g.take_person(&mut people_order, false);
        if g.rng.chance(65) {
            g.people[person].vulnerable = true;
        } else {
            g.people[person].vulnerable = false;
            let opened = g.range(200, 400);
            let closed = if g.rng.chance(50) {
                Some(g.range(60, opened - 30))
            } else {
                None
            };
            let oic = pick_noise(&mut g, &noise_oics);
            g.add_case(
                opened,
                closed,
                vec![(oic, "OIC")],
                vec![(person, Party::Victim)],
            );
        }
        let times = 3 + g.rng.below(3);
        let mut d = g.range(50, 160);
        for _ in 0..times {
            let minute = g.minute();
            let incident = g.new_incident(d);
            g.deploy(d, minute, &incident, perp, true, person);
            if g.rng.chance(50) {
                let other = pick_noise(&mut g, &noise_oics);
                g.deploy(d, minute - 3, &incident, other, false, person);
            }
            d -= g.range(4, 14);
            d = d.max(1);
        }
        g.planted.push(Planted {
            indicator: INDICATORS[2],
            staff_number: staff_number(perp),
            case_reference: None,
            person_id: g.people[person].id.clone(),
        });
    }

    // contact_after_closure: the officer in charge calls the victim 2-5 times more than 14
    // days after the case closed.
    for _ in 0..plant_counts[3] {
        let post = *g
            .rng
            .pick(&[Post::Cid, Post::Response, Post::PublicProtection]);
        let perp = special_post(post, &mut posts);
        let closed = g.range(40, 260);
        let opened = closed + g.range(20, 150);
        let victim = g.take_person(&mut people_order, true);
        let case = g.add_case(
            opened,
            Some(closed),
            vec![(perp, "OIC")],
            vec![(victim, Party::Victim)],
        );
        let times = 2 + g.rng.below(4);
        for _ in 0..times {
            let d = g.range(1, closed - 15);
            g.staff_person_call(d, perp, victim);
        }
        planted_cases.push((g.planted.len(), case));
        g.planted.push(Planted {
            indicator: INDICATORS[3],
            staff_number: staff_number(perp),
            case_reference: None,
            person_id: g.people[victim].id.clone(),
        });
    }

    // ---- Look-alikes ------------------------------------------------------------------------
    let alike_by = |g: &mut Gen, reading: &'static str, staff: usize, person: usize| {
        let staff_number = staff_number(staff);
        g.look_alikes.push(LookAlike {
            reading,
            staff_number,
            person_id: g.people[person].id.clone(),
        });
    };

    // oic_lookups_during_case: the officer in charge looks their victim up 5-15 times while the
    // case is open.
    for _ in 0..alike_counts[0] {
        let post = *g
            .rng
            .pick(&[Post::Cid, Post::Response, Post::PublicProtection]);
        let oic = special_post(post, &mut posts);
        let opened = g.range(40, 250);
        let closed = if g.rng.chance(50) {
            None
        } else {
            Some(g.range(1, opened - 30))
        };
        let victim = g.take_person(&mut people_order, false);
        let case = g.add_case(
            opened,
            closed,
            vec![(oic, "OIC")],
            vec![(victim, Party::Victim)],
        );
        alike_cases.push(case);
        let last_open = g.cases[case].last_open_day();
        for _ in 0..5 + g.rng.below(11) {
            let d = g.range(last_open, opened - 1);
            let minute = g.minute();
            let reason = *g.rng.pick(&["INV", "INV", "VIC", "GEN"]);
            // The case's reference is filled in later: leave the incident blank here.
            g.lookup(d, minute, oic, victim, reason, "");
        }
        alike_by(&mut g, READINGS[0], oic, victim);
    }

    // liaison_calls_during_case: a family liaison officer on the case calls the victim 5-15
    // times while it is open.
    for _ in 0..alike_counts[1] {
        let flo = special_post(Post::PublicProtection, &mut posts);
        let oic = pick_noise(&mut g, &noise_oics);
        let opened = g.range(40, 250);
        let closed = if g.rng.chance(50) {
            None
        } else {
            Some(g.range(1, opened - 30))
        };
        let victim = g.take_person(&mut people_order, true);
        let role = *g.rng.pick(&["FLO", "Family Liaison Officer", "flo"]);
        let case = g.add_case(
            opened,
            closed,
            vec![(oic, "OIC"), (flo, role)],
            vec![(victim, Party::Victim)],
        );
        alike_cases.push(case);
        let last_open = g.cases[case].last_open_day();
        for _ in 0..5 + g.rng.below(11) {
            let d = g.range(last_open, opened - 1);
            g.staff_person_call(d, flo, victim);
        }
        alike_by(&mut g, READINGS[1], flo, victim);
    }

    // neighbourhood_attendance: a neighbourhood officer sent to the same vulnerable person 5-10
    // times, and at most once going of their own accord.
    for _ in 0..alike_counts[2] {
        let officer = special_post(Post::Neighbourhood, &mut posts);
        let person = g.take_person(&mut people_order, false);
        g.people[person].vulnerable = true;
        let times = 5 + g.rng.below(6);
        let self_once = g.rng.chance(50).then(|| g.rng.below(times));
        let mut d = g.range(120, 330);
        for k in 0..times {
            let minute = g.minute();
            let incident = g.new_incident(d);
            if g.rng.chance(40) {
                let other = pick_noise(&mut g, &noise_oics);
                g.deploy(d, minute, &incident, other, false, person);
            }
            g.deploy(
                d,
                minute + 2,
                &incident,
                officer,
                self_once == Some(k),
                person,
            );
            d -= g.range(3, 25);
            d = d.max(1);
        }
        alike_by(&mut g, READINGS[2], officer, person);
    }

    // lookup_for_new_incident: someone not on a closed case looks its victim up after closure
    // 1-3 times, each for a new incident they were sent to that day with that person in it.
    for _ in 0..alike_counts[3] {
        let post = *g.rng.pick(&[Post::Response, Post::Neighbourhood]);
        let officer = special_post(post, &mut posts);
        let closed = g.range(40, 260);
        let opened = closed + g.range(20, 150);
        let victim = g.take_person(&mut people_order, false);
        let oic = pick_noise(&mut g, &noise_oics);
        g.add_case(
            opened,
            Some(closed),
            vec![(oic, "OIC")],
            vec![(victim, Party::Victim)],
        );
        let times = 1 + g.rng.below(3);
        let mut when: BTreeSet<i64> = BTreeSet::new();
        while when.len() < times {
            let d = g.range(2, closed - 2);
            when.insert(d);
        }
        for d in when {
            let minute = g.range(6 * 60, 20 * 60);
            let incident = g.new_incident(d);
            g.deploy(d, minute, &incident, officer, false, victim);
            let after = minute + g.range(5, 180);
            let reason = *g.rng.pick(&["INV", "GEN", "WAR"]);
            let cell = if g.rng.chance(20) {
                incident.to_lowercase()
            } else {
                incident.clone()
            };
            g.lookup(d, after, officer, victim, reason, &cell);
        }
        alike_by(&mut g, READINGS[3], officer, victim);
    }

    // wind_down_contact: the officer in charge calls the victim once within 7 days of closure.
    for _ in 0..alike_counts[4] {
        let post = *g
            .rng
            .pick(&[Post::Cid, Post::Response, Post::PublicProtection]);
        let oic = special_post(post, &mut posts);
        let closed = g.range(15, 250);
        let opened = closed + g.range(20, 150);
        let victim = g.take_person(&mut people_order, true);
        g.add_case(
            opened,
            Some(closed),
            vec![(oic, "OIC")],
            vec![(victim, Party::Victim)],
        );
        let d = closed - g.range(1, 7);
        g.staff_person_call(d, oic, victim);
        alike_by(&mut g, READINGS[4], oic, victim);
    }

    // Every special person is taken: the rest of the order is ordinary.
    let special_people: BTreeSet<usize> = {
        let rest: BTreeSet<usize> = people_order.iter().copied().collect();
        (0..size.people).filter(|p| !rest.contains(p)).collect()
    };

    // ---- Ordinary cases ---------------------------------------------------------------------
    let noise_cases = size.cases.saturating_sub(g.cases.len());
    for _ in 0..noise_cases {
        let opened = g.range(20, 700);
        let closed = if g.rng.chance(70) {
            Some(g.range(1.max(opened - 400), opened - 5))
        } else {
            None
        };
        let oic = pick_noise(&mut g, &noise_oics);
        let mut officers = vec![(oic, "OIC")];
        if g.rng.chance(25) {
            let second = pick_noise(&mut g, &noise_liaison);
            if second != oic {
                let role =
                    *g.rng
                        .pick(&["FLO", "Family Liaison Officer", "SOLO", "Investigator", ""]);
                officers.push((second, role));
            }
        }
        let victim = g.take_person(&mut people_order, false);
        let mut parties = vec![(victim, Party::Victim)];
        if g.rng.chance(30) {
            let witness = g.take_person(&mut people_order, false);
            parties.push((witness, Party::Witness));
        }
        g.add_case(opened, closed, officers, parties);
    }
    let free_people: Vec<usize> = people_order.clone();
    assert!(
        free_people.len() >= 50,
        "people left over for background activity"
    );
    let case_parties: Vec<usize> = g
        .cases
        .iter()
        .flat_map(|c| c.parties.iter().map(|(p, _)| *p))
        .filter(|p| !special_people.contains(p))
        .collect();

    // References: serials in a shuffled order, so special cases sit among the ordinary ones.
    let mut serials: Vec<usize> = (0..g.cases.len()).collect();
    shuffle(&mut g.rng, &mut serials);
    for (case, serial) in serials.into_iter().enumerate() {
        let year = g.day(g.cases[case].opened).year() % 100;
        g.cases[case].serial = serial;
        g.cases[case].reference = format!("CR/{:05}/{year:02}", 10_000 + serial * 3);
    }
    for (planted, case) in planted_cases {
        g.planted[planted].case_reference = Some(g.cases[case].reference.clone());
    }

    // The staff list itself, now every post is known.
    let staff_born = time::Date::from_calendar_date(1962, time::Month::March, 1).expect("a date");
    for (index, post) in posts.iter().enumerate() {
        let (rank, title, department, officer) = post.describe();
        let head = *g.rng.pick(&SURNAME_HEADS);
        let tail = *g.rng.pick(&SURNAME_TAILS);
        let forename = *g.rng.pick(&FORENAMES);
        let dob = staff_born + time::Duration::days(days(index * 37 + g.rng.below(30)));
        // A few analysts and call handlers have left; no officer on a case has.
        let leaver = !officer && noise_staff.contains(&index) && g.rng.chance(5);
        g.staff.push(Staff {
            number: staff_number(index),
            forename,
            surname: format!("{head}{tail}"),
            dob,
            rank,
            title,
            department,
            officer,
            leaver,
        });
    }

    // ---- Background look-ups ----------------------------------------------------------------
    // The officers on a case look its parties up while it is open (not the look-alike's own).
    for case in 0..g.cases.len() {
        if alike_cases.contains(&case) {
            continue;
        }
        let c = g.cases[case].clone();
        for _ in 0..g.rng.below(5) {
            if g.audit.len() >= size.audit_rows {
                break;
            }
            let (officer, _) = *g.rng.pick(&c.officers);
            let (party, _) = *g.rng.pick(&c.parties);
            let d = g.range(c.last_open_day(), c.opened - 1);
            let minute = g.minute();
            let reason = *g.rng.pick(&["INV", "VIC", "INV", "GEN"]);
            let incident = if g.rng.chance(50) {
                c.reference.clone()
            } else {
                String::new()
            };
            g.lookup(d, minute, officer, party, reason, &incident);
        }
    }
    // Anyone looks up people who are party to no case, for all kinds of reasons.
    while g.audit.len() < size.audit_rows {
        let staff = g.rng.below(size.staff);
        let person = *g.rng.pick(&free_people);
        let d = g.range(1, 400);
        let minute = g.minute();
        let reason = *g.rng.pick(&[
            "GEN", "INV", "INT", "WAR", "CUS", "VIC", "ADM", "INV", "INT", "",
        ]);
        let incident = if g.rng.chance(30) {
            format!(
                "INC{:06}/{:02}",
                900_000 + g.rng.below(90_000),
                g.day(d).year() % 100
            )
        } else {
            String::new()
        };
        g.lookup(d, minute, staff, person, reason, &incident);
    }

    // ---- Background calls -------------------------------------------------------------------
    // Among staff, and with numbers that belong to no one in the person list.
    while g.calls.len() < size.calls {
        let a = g.rng.below(size.staff);
        let b = if g.rng.chance(45) {
            g.rng.below(size.staff)
        } else {
            UNRELATED_PHONES_FROM + g.rng.below(UNRELATED_PHONES.min(2_000 + size.calls / 4))
        };
        if a == b {
            continue;
        }
        let d = g.range(1, 365);
        let minute = g.minute();
        let duration = 5 + g.rng.below(1_800);
        if g.rng.chance(55) {
            g.call(d, minute, a, b, duration);
        } else {
            g.call(d, minute, b, a, duration);
        }
    }

    // ---- Background deployments -------------------------------------------------------------
    // Officers sent to incidents with one or two people in them (ordinary people and parties to
    // ordinary cases); now and then an officer puts themselves on one, once per person.
    let officers: Vec<usize> = (0..size.staff).filter(|&s| posts[s].describe().3).collect();
    let mut involved_pool = free_people.clone();
    involved_pool.extend(case_parties.iter().copied());
    while g.deployments.len() < size.deployments {
        let d = g.range(1, 365);
        let minute = g.minute();
        let incident = g.new_incident(d);
        let room = size.deployments - g.deployments.len();
        let people_on = if room >= 2 && g.rng.chance(20) { 2 } else { 1 };
        let involved: Vec<usize> = (0..people_on)
            .map(|_| *g.rng.pick(&involved_pool))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut sent = vec![*g.rng.pick(&officers)];
        if room >= 2 * involved.len() && g.rng.chance(30) {
            let other = *g.rng.pick(&officers);
            if other != sent[0] {
                sent.push(other);
            }
        }
        for (k, &officer) in sent.iter().enumerate() {
            let self_deployed = k == 0
                && g.rng.chance(4)
                && involved
                    .iter()
                    .all(|&p| !g.noise_self.contains(&(officer, p)));
            if self_deployed {
                for &p in &involved {
                    g.noise_self.insert((officer, p));
                }
            }
            for &p in &involved {
                if g.deployments.len() < size.deployments {
                    g.deploy(
                        d,
                        minute + 4 * i64::from(k > 0),
                        &incident,
                        officer,
                        self_deployed,
                        p,
                    );
                }
            }
        }
    }

    // ---- Files --------------------------------------------------------------------------------
    let mut extracts = Vec::new();
    let mut emit = |kind: &'static str, name: &str, spec: &str, header: &str, rows: Vec<String>| {
        let file = dir.join(name);
        let rows = write_csv(&file, header, rows);
        extracts.push(Extract {
            kind,
            file,
            spec: spec_path(spec),
            rows,
        });
    };

    let mut rows = Vec::new();
    for index in 0..g.staff.len() {
        let s = g.staff[index].clone();
        let number = g.staff_cell(index);
        let phone = g.phone_cell(Gen::staff_phone(index));
        rows.push(format!(
            "{number},{} ,{},{},{},{},{},{},{},{phone}",
            s.forename,
            s.surname,
            uk_date(s.dob),
            s.rank,
            s.title,
            s.department,
            if s.officer {
                "Police Officer"
            } else {
                "Police Staff"
            },
            if s.leaver { "Leaver" } else { "Active" },
        ));
    }
    emit(
        "nominals",
        "hr_staff.csv",
        "examples/hr-staff-nominals.toml",
        "Employee Number,Forename,Surname,Date of Birth,Rank/Grade,Job Title,Department,\
         Employment Type,Status,Work Mobile",
        rows,
    );

    let mut rows = Vec::new();
    for index in 0..g.people.len() {
        let p = g.people[index].clone();
        let id = g.person_cell(index);
        let phone = if p.wants_phone {
            g.phone_cell(p.phone_slot)
        } else {
            String::new()
        };
        let yn = |flag: bool| if flag { "Y" } else { "N" };
        rows.push(format!(
            "{id},\"{}, {}\",{},{phone},,{},{}",
            p.surname.to_uppercase(),
            p.forename,
            uk_date(p.dob),
            yn(p.criminal),
            yn(p.vulnerable),
        ));
    }
    emit(
        "nominals",
        "rms_persons.csv",
        "examples/rms-persons.toml",
        "Person ID,Name,DOB,Mobile No,OCG,Criminal Marker,Vulnerable Marker",
        rows,
    );

    let rows: Vec<String> = g
        .people
        .iter()
        .filter_map(|p| {
            p.cad_id
                .as_ref()
                .map(|id| format!("{id},{},{},{}", p.surname, p.forename, uk_date(p.dob)))
        })
        .collect();
    emit(
        "nominals",
        "cad_persons.csv",
        "examples/cad-persons.toml",
        "CAD Person ID,Surname,Forename,Date of Birth",
        rows,
    );

    let mut cases = g.cases.clone();
    cases.sort_by_key(|c| c.serial);
    let mut rows = Vec::new();
    for case in &cases {
        let opened = uk_date(g.day(case.opened));
        let closed = case.closed.map(|d| uk_date(g.day(d))).unwrap_or_default();
        for &(person, party) in &case.parties {
            for &(officer, role) in &case.officers {
                let id = g.person_cell(person);
                let who = g.staff_cell(officer);
                let involvement = match party {
                    Party::Victim => *g.rng.pick(&["Victim", "Victim", "V", "IP", ""]),
                    Party::Witness => *g.rng.pick(&["Witness", "Witness", "W"]),
                };
                let role = if role == "OIC" && g.rng.chance(10) {
                    "oic "
                } else {
                    role
                };
                rows.push(format!(
                    "{},{id},{involvement},{who},{role},{opened},{closed}",
                    case.reference
                ));
            }
        }
    }
    emit(
        "cases",
        "rms_crimes.csv",
        "examples/rms-crimes-parties.toml",
        "Crime No,Person ID,Involvement,Officer,Officer Role,Reported,Finalised",
        rows,
    );

    let sorted = |mut events: Vec<(i64, String)>| -> Vec<String> {
        events.sort_by_key(|(key, _)| *key);
        events.into_iter().map(|(_, row)| row).collect()
    };
    emit(
        "audit_events",
        "rms_audit.csv",
        "examples/rms-audit-incidents.toml",
        "Event Time,User ID,System,Person ID,Reason Code,Incident Ref",
        sorted(std::mem::take(&mut g.audit)),
    );
    emit(
        "calls",
        "call_data.csv",
        "examples/call-data.toml",
        "A Number,B Number,Call Start,Duration",
        sorted(std::mem::take(&mut g.calls)),
    );
    emit(
        "deployments",
        "cad_log.csv",
        "deployments.toml",
        "Incident No,Date/Time Assigned,Resource Staff No,Self Deployed,Involved Person ID,\
         Involved Surname,Involved Forename,Involved DOB",
        sorted(std::mem::take(&mut g.deployments)),
    );

    g.planted.sort();
    g.look_alikes.sort();
    BeaconForce {
        extracts,
        planted: g.planted,
        look_alikes: g.look_alikes,
        today,
    }
}
