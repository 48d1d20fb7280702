//! Building a demo workbench: a new workbench filled with the synthetic force of [`crate::demo`],
//! recorded as one import so every demo link has provenance.

use super::{Workbench, WorkbenchError};
use crate::crypto::KdfParams;
use crate::demo::{self, DemoAnswers, DemoPlan, DemoScale, PlantedExposure, PlantedTerm};
use crate::domain::{
    AuditAction, InterventionOutcome, InterventionState, LinkFields, NaRelationship,
    NaReviewOutcome, NewAuditEntry, Role, UserId,
};
use crate::store::ResolvedSource;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The demo team's other members (same password as the inspector who builds it).
pub const DEMO_DETECTIVE: &str = "DC Demo";
pub const DEMO_ANALYST: &str = "Analyst Demo";

/// Items per transaction: large enough to be fast, small enough to report progress often.
const ITEMS_PER_BATCH: usize = 20_000;

/// What demo to build, and for whom.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec<'a> {
    /// The demo inspector's name.
    pub admin_name: &'a str,
    /// The password of all three demo users.
    pub password: &'a str,
    pub kdf: KdfParams,
    pub scale: DemoScale,
    pub seed: u64,
}

/// Where a demo build has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoProgress {
    pub stage: &'static str,
    pub done: u64,
    pub total: u64,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Workbench {
    /// Creates a workbench at `root` and fills it with the demo force of `spec`.
    /// The inspector `spec.admin_name` builds it; `DC Demo` (detective) and `Analyst Demo` (analyst)
    /// get the same password. Returns the unlocked workbench and the planted patterns' answers
    /// (which the caller writes out only in test mode). A failed or cancelled build leaves no
    /// folder behind.
    ///
    /// # Errors
    /// Creation errors; [`WorkbenchError::Refused`] when cancelled; store errors.
    pub fn create_demo(
        root: &Path,
        spec: &DemoSpec<'_>,
        progress: &mut dyn FnMut(DemoProgress),
        cancel: &AtomicBool,
    ) -> Result<(Workbench, DemoAnswers), WorkbenchError> {
        let existed = root.exists();
        let mut workbench = Workbench::create(root, spec.admin_name, spec.password, spec.kdf)?;
        let built = (|| {
            workbench.add_user(DEMO_DETECTIVE, Role::Detective, spec.password)?;
            workbench.add_user(DEMO_ANALYST, Role::Analyst, spec.password)?;
            let plan = demo::plan(spec.scale, spec.seed);
            workbench.load_demo(&plan, progress, cancel)
        })();
        match built {
            Ok(answers) => Ok((workbench, answers)),
            Err(err) => {
                drop(workbench);
                crate::store::WorkbenchLayout::new(root).remove_half_built(existed);
                Err(err)
            }
        }
    }

    #[expect(
        clippy::too_many_lines,
        reason = "the demo loaded in order: users, reference data, records, bulk files"
    )]
    fn load_demo(
        &mut self,
        plan: &DemoPlan,
        progress: &mut dyn FnMut(DemoProgress),
        cancel: &AtomicBool,
    ) -> Result<DemoAnswers, WorkbenchError> {
        let today = self.today();
        let check_cancel = || {
            if cancel.load(Ordering::Relaxed) {
                Err(WorkbenchError::Refused("the demo build was cancelled"))
            } else {
                Ok(())
            }
        };
        let reference = self.reference.clone();
        let owners: Vec<UserId> = self.store.all_users()?.iter().map(|u| u.user.id).collect();
        let detail =
            serde_json::json!({ "seed": plan.seed, "scale": plan.scale.as_str() }).to_string();

        // Nominals and links, in one transaction.
        progress(DemoProgress {
            stage: "nominals",
            done: 0,
            total: count(plan.nominals.len()),
        });
        let (import_id, ids, register) =
            self.store
                .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                    let import_id = tx.insert_import("demo", "demo generator", None, &detail)?;
                    let mut ids = Vec::with_capacity(plan.nominals.len());
                    for details in &plan.nominals {
                        let mut details = details.clone();
                        details
                            .normalise(super::DEFAULT_PHONE_REGION)
                            .map_err(|_| {
                                WorkbenchError::Refused("the demo produced an invalid phone number")
                            })?;
                        ids.push(tx.insert_nominal(&details)?);
                    }
                    let sources = [ResolvedSource::Import(import_id)];
                    let mut declared = Vec::new();
                    for link in &plan.links {
                        let fields = LinkFields {
                            link_type: link.link_type.to_owned(),
                            from: ids[link.from],
                            to: ids[link.to],
                            valid_from: link.valid_from,
                            valid_to: None,
                            confidence: link.confidence.to_owned(),
                            provenance: Vec::new(),
                        };
                        let directed = reference.link_is_directed(link.link_type);
                        let id = tx.insert_link_resolved(
                            &fields,
                            directed,
                            reference.version,
                            &sources,
                        )?;
                        if link.link_type == super::DECLARED_LINK_TYPE {
                            declared.push((link, id));
                        }
                    }
                    tx.set_import_rows(import_id, count(plan.nominals.len() + plan.links.len()))?;
                    let register =
                        register_demo_associations(tx, &declared, &ids, plan.seed, today)?;
                    Ok((import_id, ids, register))
                })?;
        progress(DemoProgress {
            stage: "nominals",
            done: count(ids.len()),
            total: count(ids.len()),
        });

        // Items, in batches.
        let mut references = vec![String::new(); plan.planted_terms.len()];
        let mut by_category: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        let mut start = 0;
        while start < plan.item_count {
            check_cancel()?;
            let end = (start + ITEMS_PER_BATCH).min(plan.item_count);
            self.store
                .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                    for index in start..end {
                        let mut item = demo::demo_item(plan, index);
                        for subject in &mut item.fields.subjects {
                            let position = usize::try_from(subject.nominal_id.0).unwrap_or(0);
                            subject.nominal_id = ids[position];
                        }
                        let owner = owners[index % owners.len()];
                        let year = item.fields.received_on.year();
                        let (_, reference_text) = tx.insert_item(
                            &item.fields,
                            reference.version,
                            item.status,
                            owner,
                            year,
                        )?;
                        *by_category.entry(item.fields.category.clone()).or_default() += 1;
                        for (slot, (term_index, _)) in plan.planted_terms.iter().enumerate() {
                            if *term_index == index {
                                references[slot].clone_from(&reference_text);
                            }
                        }
                    }
                    Ok(())
                })?;
            start = end;
            progress(DemoProgress {
                stage: "items",
                done: count(start),
                total: count(plan.item_count),
            });
        }

        check_cancel()?;
        let beacon = self.store.write(&self.actor(), |tx| {
            let beacon = plant_beacon_cohort(tx, plan, &ids, today)?;
            plant_item_priorities(tx, today)?;
            Ok::<_, WorkbenchError>(beacon)
        })?;
        let interventions = self.plant_interventions(plan, &ids)?;
        self.plant_threat_assessment_text(today)?;
        check_cancel()?;
        progress(DemoProgress {
            stage: "bulk data",
            done: 0,
            total: 1,
        });
        let bulk = self.plant_bulk_data(plan, &ids)?;

        let answers = DemoAnswers {
            seed: plan.seed,
            scale: plan.scale.as_str().to_owned(),
            employees: plan
                .nominals
                .iter()
                .filter(|n| n.kind() == crate::domain::NominalKind::Employee)
                .count(),
            // With the staff phones the bulk data's subscriber checks add (one link each).
            nominals: plan.nominals.len() + bulk.staff_phones,
            items: plan.item_count,
            links: plan.links.len() + bulk.staff_phones,
            declared_associations: plan
                .links
                .iter()
                .filter(|l| l.link_type == "declared_association")
                .count(),
            exposures: plan
                .exposures
                .iter()
                .map(|&(employee, associate, ocg, declared)| PlantedExposure {
                    employee: ids[employee],
                    associate: ids[associate],
                    ocg: ids[ocg],
                    declared,
                })
                .collect(),
            near_duplicates: plan
                .near_duplicates
                .iter()
                .map(|&(a, b)| (ids[a], ids[b]))
                .collect(),
            planted_terms: plan
                .planted_terms
                .iter()
                .zip(references)
                .map(|((_, term), reference)| PlantedTerm {
                    term: term.clone(),
                    reference,
                })
                .collect(),
            items_by_category: by_category.into_iter().collect(),
            live_associations: register.live,
            closed_associations: register.closed,
            associations_by_category: register.live_by_category.into_iter().collect(),
            beacon_subjects: beacon.0,
            beacon_assessments: beacon.1,
            interventions_by_state: interventions.0,
            interventions_by_outcome: interventions.1,
            planted_leads: bulk.planted_leads,
            bulk_records: bulk.records_by_kind,
        };
        let summary = serde_json::json!({
            "seed": plan.seed,
            "scale": plan.scale.as_str(),
            "import": import_id.0,
            "nominals": answers.nominals,
            "links": answers.links,
            "items": answers.items,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::DemoGenerated, "workbench")
                    .with_detail(summary.to_string()),
            )
        })?;
        progress(DemoProgress {
            stage: "statistics",
            done: 0,
            total: 1,
        });
        self.store.analyze()?;
        Ok(answers)
    }
}

/// What the demo's bulk data added.
struct PlantedBulk {
    planted_leads: Vec<crate::demo::PlantedLead>,
    records_by_kind: Vec<(String, usize)>,
    /// Phone nominals added for staff, each with its `uses_phone` link.
    staff_phones: usize,
}

impl Workbench {
    /// Imports the demo's bulk data (audit trail, calls, registers) as one import, with the
    /// staff phones the CCU's subscriber checks found, matched to nominals exactly as a file
    /// import is. Returns the planted leads (with the graph's planted undeclared routes) and
    /// the records by kind.
    fn plant_bulk_data(
        &mut self,
        plan: &DemoPlan,
        ids: &[crate::domain::NominalId],
    ) -> Result<PlantedBulk, WorkbenchError> {
        use crate::io::import_spec::SubjectMatch;
        let bulk = crate::demo::bulk_plan(plan);
        let reference = self.reference.clone();
        let mut by_kind = std::collections::BTreeMap::<String, usize>::new();
        self.store
            .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                let import_id = tx.insert_import(
                    "demo_bulk",
                    "demo generator: audit trail, calls, registers",
                    None,
                    "{}",
                )?;
                let sources = [ResolvedSource::Import(import_id)];
                for (employee, number) in &bulk.staff_phones {
                    let phone = tx.insert_nominal(&crate::domain::NominalDetails::Phone {
                        number: number.clone(),
                    })?;
                    tx.insert_link_resolved(
                        &LinkFields {
                            link_type: "uses_phone".into(),
                            from: ids[*employee],
                            to: phone,
                            valid_from: None,
                            valid_to: None,
                            confidence: "confirmed".into(),
                            provenance: Vec::new(),
                        },
                        reference.link_is_directed("uses_phone"),
                        reference.version,
                        &sources,
                    )?;
                }
                let matcher = tx.reader().nominal_matcher()?;
                let rules = [SubjectMatch::NameAndDob, SubjectMatch::Phone];
                for record in &bulk.records {
                    let found = super::import_ops::match_record(record, &matcher, (&rules, None));
                    tx.insert_bulk_record(import_id, record, &found)?;
                    *by_kind
                        .entry(record.kind().as_str().to_owned())
                        .or_default() += 1;
                }
                tx.set_import_rows(import_id, count(bulk.records.len()))?;
                Ok(())
            })?;
        let mut planted: Vec<crate::demo::PlantedLead> = bulk
            .planted
            .iter()
            .map(|p| crate::demo::PlantedLead {
                kind: p.kind.as_str().to_owned(),
                employee: ids[p.employee],
                other: p.other.map(|o| ids[o]),
            })
            .collect();
        planted.extend(
            crate::demo::undeclared_direct_associations(plan)
                .into_iter()
                .map(|(employee, person)| crate::demo::PlantedLead {
                    kind: crate::risk::crossref::LeadKind::UndeclaredAssociation
                        .as_str()
                        .to_owned(),
                    employee: ids[employee],
                    other: Some(ids[person]),
                }),
        );
        planted.sort();
        Ok(PlantedBulk {
            planted_leads: planted,
            records_by_kind: by_kind.into_iter().collect(),
            staff_phones: bulk.staff_phones.len(),
        })
    }
}

/// What the demo register holds.
struct DemoRegister {
    live: usize,
    closed: usize,
    live_by_category: std::collections::BTreeMap<String, usize>,
}

/// One NA register entry per declared pair of the plan (a pair declared twice is registered
/// once), with review dates spread around today so some are overdue and some due soon, and
/// every 26th closed (the association ended).
fn register_demo_associations(
    tx: &mut crate::store::StoreTx<'_>,
    declared: &[(&crate::demo::DemoLink, crate::domain::LinkId)],
    ids: &[crate::domain::NominalId],
    seed: u64,
    today: crate::domain::IsoDate,
) -> Result<DemoRegister, WorkbenchError> {
    use crate::domain::{NaChange, NaDraft, NaOrigin};
    let mut registered_pairs = std::collections::HashSet::new();
    let mut register = DemoRegister {
        live: 0,
        closed: 0,
        live_by_category: std::collections::BTreeMap::new(),
    };
    for (link, link_id) in declared {
        let (employee, associate) = (ids[link.from], ids[link.to]);
        if !registered_pairs.insert((employee, associate)) {
            continue;
        }
        let k = i64::try_from(registered_pairs.len()).unwrap_or(0);
        let salt = i64::try_from(seed % 97).unwrap_or(0);
        let declared_on = link.valid_from.unwrap_or(today).min(today);
        // From 60 days overdue to 359 days ahead.
        let review = today.plus_days((k * 37 + salt) % 420 - 60);
        let draft = NaDraft {
            employee,
            associate,
            category: link.na_category.unwrap_or("other").to_owned(),
            origin: NaOrigin::Declared,
            declared_on,
            conditions: String::new(),
            assessment: None,
            review_due_on: Some(review.max(declared_on.plus_days(30))),
            relationship: Some(demo_relationship(link.na_category, k)),
        };
        let id = tx.insert_notifiable_association(&draft, Some(*link_id))?;
        if k % 26 == 0 {
            let entry = tx
                .reader()
                .notifiable_association(id)?
                .ok_or(WorkbenchError::NoSuchAssociation)?;
            let closed = NaChange::Closed {
                closed_on: declared_on.max(today.plus_days(-90)),
                reason: String::from("Demo: the association ended."),
            }
            .apply(&entry)
            .map_err(|_| WorkbenchError::Refused("the demo closed an entry it could not"))?;
            tx.update_notifiable_association(&entry, &closed, "closed")?;
            register.closed += 1;
        } else {
            register.live += 1;
            *register
                .live_by_category
                .entry(draft.category.clone())
                .or_default() += 1;
            // Some entries were reviewed last year: the review's outcome and its reasons.
            let reviewed_on = declared_on.plus_days(365);
            if k % 7 == 3 && reviewed_on < today {
                let entry = tx
                    .reader()
                    .notifiable_association(id)?
                    .ok_or(WorkbenchError::NoSuchAssociation)?;
                let (outcome, rationale, conditions) =
                    DEMO_REVIEWS[usize::try_from(k / 7 % 3).unwrap_or(0)];
                let change = NaChange::Reviewed {
                    reviewed_on,
                    next_due_on: reviewed_on.plus_days(365).max(today.plus_days(14)),
                    outcome,
                    rationale: rationale.to_owned(),
                    conditions: conditions.map(str::to_owned),
                };
                let reviewed = change.apply(&entry).map_err(|_| {
                    WorkbenchError::Refused("the demo reviewed an entry it could not")
                })?;
                tx.update_notifiable_association(&entry, &reviewed, "review")?;
                if let NaChange::Reviewed { next_due_on, .. } = change {
                    tx.insert_na_review(id, reviewed_on, outcome, rationale, Some(next_due_on))?;
                }
            }
        }
    }
    Ok(register)
}

/// The demo's annual reviews: an outcome, the reviewer's reasons (risk, necessity and
/// proportionality) and, for changed conditions, the new ones.
const DEMO_REVIEWS: [(NaReviewOutcome, &str, Option<&str>); 3] = [
    (
        NaReviewOutcome::ContinueUnchanged,
        "Contact remains occasional and social; no access concerns found in the audit trail. \
         Continuing is necessary and proportionate.",
        None,
    ),
    (
        NaReviewOutcome::ConditionsChanged,
        "The associate's circumstances changed during the year; a further condition is \
         proportionate to the raised risk.",
        Some("No discussion of police work; report any contact about police matters to the CCU."),
    ),
    (
        NaReviewOutcome::Escalated,
        "Audit checks show look-ups with no reason code since the last review: referred to the \
         CCU for assessment.",
        None,
    ),
];

/// Who a demo associate is to the employee, by the association's category.
fn demo_relationship(category: Option<&str>, k: i64) -> NaRelationship {
    match category {
        Some("family") => {
            if k % 3 == 0 {
                NaRelationship::ExtendedFamily
            } else {
                NaRelationship::CloseFamily
            }
        }
        Some("business_interest") => NaRelationship::Business,
        _ => match k % 4 {
            0 => NaRelationship::Partner,
            1 | 2 => NaRelationship::Friend,
            _ => NaRelationship::Other,
        },
    }
}

/// How many employees the demo assesses under Operation Beacon.
const DEMO_BEACON_SUBJECTS: usize = 12;

/// A Beacon cohort: twelve employees with one to three assessments each, a third of them
/// rising, a third falling, a third steady or new, the last assessments spread over the past
/// seven months so some reviews are overdue. Returns the subjects and the number of assessments.
fn plant_beacon_cohort(
    tx: &mut crate::store::StoreTx<'_>,
    plan: &DemoPlan,
    ids: &[crate::domain::NominalId],
    today: crate::domain::IsoDate,
) -> Result<(Vec<crate::domain::NominalId>, usize), WorkbenchError> {
    use crate::domain::NominalKind;
    let employees: Vec<usize> = plan
        .nominals
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind() == NominalKind::Employee)
        .map(|(i, _)| i)
        .collect();
    if employees.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let (version_id, instrument) = tx
        .reader()
        .instrument(super::BEACON_INSTRUMENT, None)?
        .ok_or(WorkbenchError::NoSuchInstrument)?;
    let mut subjects = Vec::new();
    let mut assessments = 0;
    for i in 0..DEMO_BEACON_SUBJECTS {
        let subject = ids[employees[(i * 53 + 7) % employees.len()]];
        if subjects.contains(&subject) {
            continue;
        }
        subjects.push(subject);
        let intensities: &[usize] = match i % 4 {
            0 => &[0, 1, 3],
            1 => &[3, 1],
            2 => &[2, 2],
            _ => &[1],
        };
        let last_on = today.plus_days(-i64::try_from((i * 19) % 210).unwrap_or(0));
        for (j, &intensity) in intensities.iter().enumerate() {
            let answers: crate::risk::Answers = instrument
                .factors()
                .iter()
                .enumerate()
                .map(|(f, factor)| {
                    let level = if (f + i) % 3 == 0 { intensity } else { 0 };
                    let option = &factor.options[level.min(factor.options.len() - 1)];
                    (factor.key.clone(), option.key.clone())
                })
                .collect();
            let score = crate::risk::score(&instrument, &answers)
                .map_err(|_| WorkbenchError::Refused("the demo answered Beacon wrongly"))?;
            let back = i64::try_from(intensities.len() - 1 - j).unwrap_or(0) * 120;
            let assessed_on = last_on.plus_days(-back);
            tx.insert_assessment(&crate::store::NewAssessment {
                instrument_version_id: version_id,
                subject,
                answers: &answers,
                score: &score,
                rationale: "Demo assessment from synthetic intelligence.",
                assessed_on,
                next_review_on: assessed_on.plus_days(i64::from(score.review_days)),
            })?;
            assessments += 1;
        }
        // The IOPC referral decision for some of the cohort: referred, or not with the reason.
        let decision = match i % 4 {
            0 => Some((true, "")),
            1 => Some((
                false,
                "Below the criteria for a mandatory referral; managed by Professional Standards.",
            )),
            _ => None,
        };
        if let Some((referred, reason)) = decision {
            tx.insert_iopc_decision(
                subject,
                &crate::risk::IopcDecision {
                    referred,
                    decided_on: last_on,
                    reason: reason.to_owned(),
                },
            )?;
        }
    }
    Ok((subjects, assessments))
}

/// How many of the demo's items are prioritised (one in ten, newest first, of the first ones).
const DEMO_PRIORITISED_ITEMS: i64 = 60;

/// The demo's item priorities: some items scored under the intelligence priority instrument,
/// their grading answering the grading factors, spread over its bands, so the log's Priority
/// column has something in each.
fn plant_item_priorities(
    tx: &mut crate::store::StoreTx<'_>,
    today: crate::domain::IsoDate,
) -> Result<(), WorkbenchError> {
    use crate::risk::{ITEM_PRIORITY_INSTRUMENT, grading_answer, grading_code};
    let Some((version_id, instrument)) = tx.reader().instrument(ITEM_PRIORITY_INSTRUMENT, None)?
    else {
        return Ok(());
    };
    for k in 0..DEMO_PRIORITISED_ITEMS {
        let Some(item) = tx.reader().item(crate::domain::ItemId(1 + k * 10))? else {
            break;
        };
        let level = usize::try_from(k % 4).unwrap_or(0);
        let mut answers = crate::risk::Answers::new();
        for factor in instrument.factors() {
            let answer = if let Some(code) = grading_code(&factor.key, &item.fields.grading) {
                grading_answer(factor, code).map(str::to_owned)
            } else {
                factor
                    .options
                    .get(level.min(factor.options.len().saturating_sub(1)))
                    .map(|o| o.key.clone())
            };
            if let Some(answer) = answer {
                answers.insert(factor.key.clone(), answer);
            }
        }
        let Ok(score) = crate::risk::score(&instrument, &answers) else {
            continue;
        };
        let band_rank = instrument.band_index(&score.band).unwrap_or(0) + 1;
        let priority = crate::risk::ItemPriority {
            item: item.reference.clone(),
            version: instrument.version(),
            answers,
            next_review_on: today.plus_days(i64::from(score.review_days)),
            score,
            rationale: String::from("Demo priority from synthetic intelligence."),
            assessed_on: today,
            created_at_utc: String::new(),
            created_by: tx.actor_user().unwrap_or(crate::domain::UserId(0)),
        };
        tx.insert_item_priority(item.id, version_id, &priority, band_rank)?;
    }
    Ok(())
}

/// The demo's interventions: one per row, the states they are walked to, and the outcome of
/// those that have one.
const DEMO_INTERVENTIONS: [(InterventionState, Option<InterventionOutcome>); 9] = [
    (InterventionState::Proposed, None),
    (InterventionState::Proposed, None),
    (InterventionState::Declined, None),
    (InterventionState::Withdrawn, None),
    (InterventionState::Authorised, None),
    (InterventionState::MeetingHeld, None),
    (
        InterventionState::OutcomeRecorded,
        Some(InterventionOutcome::ReflectivePractice),
    ),
    (
        InterventionState::UnderReview,
        Some(InterventionOutcome::NoFurtherAction),
    ),
    (
        InterventionState::Closed,
        Some(InterventionOutcome::AdviceGiven),
    ),
];

type StateCounts = Vec<(String, usize)>;

/// When a demo intervention's events fall, in days from today: proposed, decided (authorised,
/// declined or withdrawn), the meeting (the proposed date, and the day it is held), the
/// follow-up review, and closing. Always in order: proposed on or before the proposed date,
/// the meeting not before the decision, the follow-up after the meeting.
struct DemoDays {
    proposed: i64,
    decided: i64,
    meeting: i64,
    follow_up: i64,
    closed: i64,
}

impl DemoDays {
    fn for_state(target: InterventionState) -> Self {
        match target {
            // Waiting for a decision: proposed this week for a meeting in a fortnight.
            InterventionState::Proposed => Self {
                proposed: -3,
                decided: -3,
                meeting: 14,
                follow_up: 104,
                closed: 104,
            },
            InterventionState::Declined | InterventionState::Withdrawn => Self {
                proposed: -30,
                decided: -27,
                meeting: -16,
                follow_up: 74,
                closed: 74,
            },
            InterventionState::Authorised => Self {
                proposed: -10,
                decided: -7,
                meeting: 7,
                follow_up: 97,
                closed: 97,
            },
            // Still to be followed up: the meeting a month ago, the follow-up in two months.
            InterventionState::MeetingHeld | InterventionState::OutcomeRecorded => Self {
                proposed: -45,
                decided: -42,
                meeting: -30,
                follow_up: 60,
                closed: 60,
            },
            // Followed up: the meeting four months ago, reviewed, then closed.
            InterventionState::UnderReview | InterventionState::Closed => Self {
                proposed: -135,
                decided: -132,
                meeting: -120,
                follow_up: -30,
                closed: -20,
            },
        }
    }
}

impl Workbench {
    /// The demo's control strategy, and the analyst's text of the threat assessment for the
    /// year to `today` (the Reports area's default period on the day the demo is built),
    /// written by the inspector who builds the demo through the same operations, checks and
    /// audit entries as anyone's.
    fn plant_threat_assessment_text(
        &mut self,
        today: crate::domain::IsoDate,
    ) -> Result<(), WorkbenchError> {
        self.set_control_strategy(&demo::demo_control_strategy())?;
        self.save_assessment_text(
            today.plus_days(-364),
            today,
            &demo::demo_assessment_text(),
            None,
        )?;
        Ok(())
    }

    /// Plants management interventions proposed by the demo detective on employees' assessed
    /// items and taken, by the right users, to every state (each step checked by the same
    /// `check_step` as a real one). Returns counts by state and by outcome.
    #[expect(
        clippy::too_many_lines,
        reason = "each planted intervention walked through its steps in order"
    )]
    fn plant_interventions(
        &mut self,
        plan: &DemoPlan,
        ids: &[crate::domain::NominalId],
    ) -> Result<(StateCounts, StateCounts), WorkbenchError> {
        use crate::domain::{
            InterventionProposal, InterventionStep, MeetingRecord, NominalKind, OutcomeRecord,
            Preconditions, apply_step, check_step,
        };
        let users = self.store.all_users()?;
        let find = |name: &str| {
            users
                .iter()
                .find(|u| u.user.name == name)
                .map(|u| u.user.id)
        };
        let (Some(detective), Some(inspector)) = (find(DEMO_DETECTIVE), Some(self.user.id)) else {
            return Ok((Vec::new(), Vec::new()));
        };
        let proposer = crate::store::Actor {
            user_id: Some(detective),
            user_name: DEMO_DETECTIVE.to_owned(),
            justification: String::from("demo"),
        };
        let today = self.today();
        self.store
            .write(&proposer, |tx| -> Result<_, WorkbenchError> {
                let mut subjects = Vec::new();
                for (index, details) in plan.nominals.iter().enumerate() {
                    if subjects.len() == DEMO_INTERVENTIONS.len() {
                        break;
                    }
                    if details.kind() != NominalKind::Employee {
                        continue;
                    }
                    let viewer = tx.actor_user().unwrap_or(crate::domain::UserId(0));
                    let assessed = tx
                        .reader()
                        .items_for_nominal(ids[index], 50, viewer)?
                        .into_iter()
                        .find(|(row, _)| row.status != crate::domain::INITIAL_STATUS);
                    if let Some((row, _)) = assessed {
                        subjects.push((ids[index], row));
                    }
                }
                let mut by_state = std::collections::BTreeMap::<String, usize>::new();
                let mut by_outcome = std::collections::BTreeMap::<String, usize>::new();
                for ((subject, row), (target, outcome)) in
                    subjects.into_iter().zip(DEMO_INTERVENTIONS)
                {
                    let yes = Some(true);
                    let days = DemoDays::for_state(target);
                    let at = |offset: i64, time: &str| {
                        format!("{}T{time}.000Z", today.plus_days(offset))
                    };
                    let proposal = InterventionProposal {
                        subject,
                        items: vec![row.reference.clone()],
                        category: row.category.clone(),
                        rationale: String::from(
                            "Demo: consistent but uncorroborated reports; early advice proposed.",
                        ),
                        proposed_attendees: vec![
                            String::from("DS Demo"),
                            String::from("Insp Demo"),
                        ],
                        proposed_date: today.plus_days(days.meeting),
                        preconditions: Preconditions {
                            fully_assessed: yes,
                            cannot_develop_further: yes,
                            no_criminal_proceedings: yes,
                            no_misconduct_proceedings: yes,
                            no_service_confidence: yes,
                        },
                    };
                    crate::domain::InvalidRecord::check(
                        "the intervention",
                        proposal
                            .check_proposed_date(today.plus_days(days.proposed))
                            .into_iter()
                            .collect(),
                    )?;
                    let id = tx.insert_intervention_at(
                        &proposal,
                        &[row.id],
                        &at(days.proposed, "09:30:00"),
                    )?;
                    let mut steps: Vec<(crate::domain::UserId, Role, InterventionStep, String)> =
                        Vec::new();
                    let note = |text: &str| text.to_owned();
                    match target {
                        InterventionState::Declined => steps.push((
                            inspector,
                            Role::Inspector,
                            InterventionStep::Decline {
                                rationale: note("Demo: better dealt with by the line manager."),
                            },
                            at(days.decided, "11:00:00"),
                        )),
                        InterventionState::Withdrawn => steps.push((
                            detective,
                            Role::Detective,
                            InterventionStep::Withdraw {
                                reason: note("Demo: new intelligence supports an investigation."),
                            },
                            at(days.decided, "11:00:00"),
                        )),
                        InterventionState::Proposed => {}
                        _ => steps.push((
                            inspector,
                            Role::Inspector,
                            InterventionStep::Authorise {
                                rationale: note("Demo: preconditions met; proportionate."),
                            },
                            at(days.decided, "11:00:00"),
                        )),
                    }
                    if target >= InterventionState::MeetingHeld {
                        steps.push((
                            detective,
                            Role::Detective,
                            InterventionStep::RecordMeeting {
                                meeting: MeetingRecord {
                                    held_on: today.plus_days(days.meeting),
                                    attendees: vec![String::from("DS Demo")],
                                    summary: note("Demo: reminded of the standards expected."),
                                    officer_response: note("Demo: accepted the advice."),
                                },
                            },
                            at(days.meeting, "16:00:00"),
                        ));
                    }
                    if let Some(outcome) = outcome {
                        steps.push((
                            detective,
                            Role::Detective,
                            InterventionStep::RecordOutcome {
                                outcome: OutcomeRecord {
                                    outcome,
                                    follow_up_on: today.plus_days(days.follow_up),
                                },
                            },
                            at(days.meeting, "16:30:00"),
                        ));
                    }
                    if target >= InterventionState::UnderReview {
                        steps.push((
                            detective,
                            Role::Detective,
                            InterventionStep::StartReview {
                                note: note("Demo: follow-up review held."),
                            },
                            at(days.follow_up, "10:00:00"),
                        ));
                    }
                    if target == InterventionState::Closed {
                        steps.push((
                            inspector,
                            Role::Inspector,
                            InterventionStep::Close {
                                note: note("Demo: no further concerns."),
                            },
                            at(days.closed, "12:00:00"),
                        ));
                    }
                    let mut current = tx
                        .reader()
                        .intervention(id)?
                        .ok_or(WorkbenchError::NoSuchIntervention)?;
                    for (actor, role, step, at_utc) in steps {
                        let to = check_step(&current, actor, role, &step)?;
                        let next = apply_step(&current, actor, &step, to, &at_utc);
                        tx.update_intervention(&current, &next)?;
                        current = next;
                    }
                    *by_state
                        .entry(current.state.as_str().to_owned())
                        .or_default() += 1;
                    if let Some(outcome) = &current.outcome {
                        *by_outcome
                            .entry(outcome.outcome.as_str().to_owned())
                            .or_default() += 1;
                    }
                }
                Ok((
                    by_state.into_iter().collect(),
                    by_outcome.into_iter().collect(),
                ))
            })
    }
}
