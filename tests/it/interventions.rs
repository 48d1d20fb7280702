//! Management interventions through the library and the CLI: every role against every step
//! from every state it could be tried in (allowed exactly when the rules say, refused with no
//! change otherwise), the forbidden pairs the issue names, the whole lifecycle in the audit log
//! with the chain intact, and the printable record as a disclosure.

use crate::common;

use crate::common::{CHEAP, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{
    Grading, IntelItemFields, InterventionId, InterventionOutcome, InterventionProposal,
    InterventionState, InterventionStep, IsoDate, MeetingRecord, NominalDetails, NominalId,
    OutcomeRecord, Preconditions, Role, StepRefused, Subject,
};
use ccu_workbench::workbench::WorkbenchError;
use std::path::Path;

const PASSWORD: &str = "shared test pass phrase";
const DEPUTY: &str = "DI Deputy Synthetic";
const DETECTIVE: &str = "DC Proposer Synthetic";
const ANALYST: &str = "Analyst Synthetic";
const PURPOSE: &str = "OP-INTERVENTION";

struct Fixture {
    subject: NominalId,
    item: String,
    received: String,
}

fn unlock(root: &Path, name: &str) -> Workbench {
    let password = if name == INSPECTOR {
        INSPECTOR_PASSWORD
    } else {
        PASSWORD
    };
    let mut wb = Workbench::unlock(root, name, password).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb
}

fn item_fields(subject: NominalId) -> IntelItemFields {
    IntelItemFields {
        received_on: "2026-05-05".parse().unwrap(),
        source_type: "supervisor".into(),
        narrative: "Synthetic report of an officer's unsuitable association.".into(),
        grading: Grading {
            source_evaluation: "2".into(),
            intelligence_assessment: "C".into(),
            handling_code: "P".into(),
            handling_conditions: None,
        },
        legacy_grading: None,
        category: "inappropriate_association".into(),
        subcategory: None,
        subjects: vec![Subject {
            nominal_id: subject,
            role: "subject".into(),
        }],
        next_review_on: None,
    }
}

/// A workbench with two inspectors, a detective and an analyst, an employee, an assessed item
/// and an item still received.
fn setup(root: &Path) -> Fixture {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    wb.add_user(DEPUTY, Role::Inspector, PASSWORD).unwrap();
    wb.add_user(DETECTIVE, Role::Detective, PASSWORD).unwrap();
    wb.add_user(ANALYST, Role::Analyst, PASSWORD).unwrap();
    let subject = wb
        .create_nominal(common::employee("S610710", "Jo", "Quarrie"), false)
        .unwrap()
        .id;
    let item = wb.create_item(&item_fields(subject), None).unwrap();
    wb.change_item_status(&item.reference, "assessed", "Assessed by the DS.")
        .unwrap();
    let received = wb.create_item(&item_fields(subject), None).unwrap();
    wb.lock().unwrap();
    Fixture {
        subject,
        item: item.reference,
        received: received.reference,
    }
}

/// The day `days` from today (UTC): the lifecycle's dates follow the day it is taken.
fn in_days(days: i64) -> IsoDate {
    IsoDate::today_utc().plus_days(days)
}

fn all_yes() -> Preconditions {
    Preconditions {
        fully_assessed: Some(true),
        cannot_develop_further: Some(true),
        no_criminal_proceedings: Some(true),
        no_misconduct_proceedings: Some(true),
        no_service_confidence: Some(true),
    }
}

fn proposal(fixture: &Fixture, preconditions: Preconditions) -> InterventionProposal {
    InterventionProposal {
        subject: fixture.subject,
        items: vec![fixture.item.clone()],
        category: "inappropriate_association".into(),
        rationale: "Uncorroborated but consistent reports; early advice is proportionate.".into(),
        proposed_attendees: vec!["DS Synthetic".into(), "PC Quarrie's inspector".into()],
        proposed_date: in_days(14),
        preconditions,
    }
}

fn meeting() -> InterventionStep {
    InterventionStep::RecordMeeting {
        meeting: MeetingRecord {
            held_on: in_days(14),
            attendees: vec!["DS Synthetic".into()],
            summary: "Reminded of the duty to declare associations.".into(),
            officer_response: "Accepted the advice.".into(),
        },
    }
}

fn outcome() -> InterventionStep {
    InterventionStep::RecordOutcome {
        outcome: OutcomeRecord {
            outcome: InterventionOutcome::AdviceGiven,
            follow_up_on: in_days(104),
        },
    }
}

fn authorise() -> InterventionStep {
    InterventionStep::Authorise {
        rationale: "All preconditions met; proportionate.".into(),
    }
}

/// The steps of the lifecycle in order, each with the user who takes it in the fixture path.
fn happy_path() -> Vec<(&'static str, InterventionStep)> {
    vec![
        (INSPECTOR, authorise()),
        (DETECTIVE, meeting()),
        (DETECTIVE, outcome()),
        (
            ANALYST,
            InterventionStep::StartReview {
                note: "Follow-up review opened.".into(),
            },
        ),
        (
            DEPUTY,
            InterventionStep::Close {
                note: "No further concerns.".into(),
            },
        ),
    ]
}

/// A fresh intervention proposed by the detective and walked to `state` along the happy path.
fn intervention_in(root: &Path, fixture: &Fixture, state: InterventionState) -> InterventionId {
    let mut wb = unlock(root, DETECTIVE);
    let id = wb
        .propose_intervention(&proposal(fixture, all_yes()))
        .unwrap()
        .id;
    wb.lock().unwrap();
    for (user, step) in happy_path() {
        let mut wb = unlock(root, user);
        let current = wb.intervention(id).unwrap().intervention.state;
        if current == state {
            wb.lock().unwrap();
            break;
        }
        wb.take_intervention_step(id, None, &step).unwrap();
        wb.lock().unwrap();
    }
    id
}

fn every_step() -> Vec<InterventionStep> {
    vec![
        InterventionStep::Withdraw {
            reason: "No longer needed.".into(),
        },
        authorise(),
        InterventionStep::Decline {
            rationale: "Misconduct proceedings are open.".into(),
        },
        meeting(),
        outcome(),
        InterventionStep::StartReview {
            note: "Review.".into(),
        },
        InterventionStep::Close {
            note: "Closed.".into(),
        },
    ]
}

/// Whether `role` (who is or is not the proposer) may take `step` from its own state.
fn may(role: Role, is_proposer: bool, step: &InterventionStep) -> bool {
    match step {
        InterventionStep::Withdraw { .. } => is_proposer || role == Role::Inspector,
        InterventionStep::Authorise { .. } | InterventionStep::Decline { .. } => {
            role == Role::Inspector && !is_proposer
        }
        InterventionStep::Close { .. } => role == Role::Inspector,
        InterventionStep::RecordMeeting { .. }
        | InterventionStep::RecordOutcome { .. }
        | InterventionStep::StartReview { .. } => true,
    }
}

#[test]
fn every_role_may_take_exactly_the_steps_the_rules_allow_and_a_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("matrix.ccuwb");
    let fixture = setup(&root);
    for step in every_step() {
        let from = step.states().0;
        for (user, role) in [
            (DETECTIVE, Role::Detective),
            (ANALYST, Role::Analyst),
            (DEPUTY, Role::Inspector),
        ] {
            let id = intervention_in(&root, &fixture, from);
            let before = unlock(&root, INSPECTOR).intervention(id).unwrap();
            let mut wb = unlock(&root, user);
            let result = wb.take_intervention_step(id, None, &step);
            wb.lock().unwrap();
            let after = unlock(&root, INSPECTOR).intervention(id).unwrap();
            if may(role, user == DETECTIVE, &step) {
                let taken = result.unwrap_or_else(|e| panic!("{user} {}: {e}", step.kind()));
                assert_eq!(taken.state, step.states().1);
                assert_eq!(after.intervention, taken);
                let last = taken.history.last().unwrap();
                assert_eq!(last.step, step.kind());
                assert_eq!(last.from, Some(from));
            } else {
                let err = result.unwrap_err();
                assert!(
                    matches!(
                        err,
                        WorkbenchError::PermissionDenied { .. }
                            | WorkbenchError::Step(
                                StepRefused::OwnProposal
                                    | StepRefused::NotProposer
                                    | StepRefused::InspectorOnly(_)
                            )
                    ),
                    "{user} {}: {err}",
                    step.kind()
                );
                assert_eq!(
                    after.intervention,
                    before.intervention,
                    "{user} {}",
                    step.kind()
                );
            }
        }
    }
}

#[test]
fn the_forbidden_pairs_are_refused_with_a_clear_message_and_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("forbidden.ccuwb");
    let fixture = setup(&root);

    // Self-authorisation: an inspector proposes, then tries to authorise.
    let mut wb = unlock(&root, INSPECTOR);
    let own = wb
        .propose_intervention(&proposal(&fixture, all_yes()))
        .unwrap();
    let err = wb
        .take_intervention_step(own.id, None, &authorise())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the person who proposed an intervention cannot decide it (four eyes)"
    );
    assert_eq!(
        wb.intervention(own.id).unwrap().intervention.state,
        InterventionState::Proposed
    );
    wb.lock().unwrap();

    // A detective deciding.
    let id = intervention_in(&root, &fixture, InterventionState::Proposed);
    let mut wb = unlock(&root, ANALYST);
    let err = wb
        .take_intervention_step(
            id,
            None,
            &InterventionStep::Decline {
                rationale: "No.".into(),
            },
        )
        .unwrap_err();
    assert!(
        matches!(err, WorkbenchError::PermissionDenied { .. }),
        "{err}"
    );
    wb.lock().unwrap();

    // Skipping a state: the meeting before any decision.
    let mut wb = unlock(&root, DETECTIVE);
    let err = wb.take_intervention_step(id, None, &meeting()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "an intervention that is proposed cannot be given a meeting record; it must be authorised first"
    );
    wb.lock().unwrap();

    // Deciding without a rationale.
    let mut wb = unlock(&root, DEPUTY);
    let err = wb
        .take_intervention_step(
            id,
            None,
            &InterventionStep::Authorise {
                rationale: "   ".into(),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("a decision needs a written rationale"),
        "{err}"
    );

    // Authorising with an unmet precondition (declining is still possible).
    wb.lock().unwrap();
    let mut wb = unlock(&root, DETECTIVE);
    let mut preconditions = all_yes();
    preconditions.no_service_confidence = Some(false);
    let unmet = wb
        .propose_intervention(&proposal(&fixture, preconditions))
        .unwrap();
    wb.lock().unwrap();
    let mut wb = unlock(&root, DEPUTY);
    let err = wb
        .take_intervention_step(unmet.id, None, &authorise())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot authorise while preconditions are unmet: the person is not subject to the Service Confidence procedure"
    );
    assert_eq!(
        wb.intervention(unmet.id).unwrap().intervention.state,
        InterventionState::Proposed
    );
    let declined = wb
        .take_intervention_step(
            unmet.id,
            None,
            &InterventionStep::Decline {
                rationale: "Service Confidence procedure applies.".into(),
            },
        )
        .unwrap();
    assert_eq!(declined.state, InterventionState::Declined);

    // Proposals: an unassessed item, a non-employee subject, an unanswered precondition.
    let field_of = |result: Result<_, WorkbenchError>| match result {
        Err(WorkbenchError::Invalid(invalid)) => invalid.errors[0].field.clone(),
        other => panic!("expected a field error, got {other:?}"),
    };
    let mut unassessed = proposal(&fixture, all_yes());
    unassessed.items = vec![fixture.received.clone()];
    assert_eq!(field_of(wb.propose_intervention(&unassessed)), "items[0]");
    let mut unanswered = proposal(&fixture, all_yes());
    unanswered.preconditions.cannot_develop_further = None;
    assert_eq!(
        field_of(wb.propose_intervention(&unanswered)),
        "preconditions.cannot_develop_further"
    );
    let item_subject = wb
        .create_nominal(
            NominalDetails::Organisation {
                name: "Synthetic Ltd".into(),
                sector: String::new(),
            },
            false,
        )
        .unwrap()
        .id;
    let mut not_employee = proposal(&fixture, all_yes());
    not_employee.subject = item_subject;
    assert_eq!(field_of(wb.propose_intervention(&not_employee)), "subject");
}

#[test]
fn the_lifecycle_is_audited_step_by_step_and_the_record_exports_as_a_disclosure() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lifecycle.ccuwb");
    let fixture = setup(&root);
    let id = intervention_in(&root, &fixture, InterventionState::Closed);
    let mut wb = unlock(&root, DEPUTY);
    let view = wb.intervention(id).unwrap();
    let steps: Vec<&str> = view
        .intervention
        .history
        .iter()
        .map(|h| h.step.as_str())
        .collect();
    assert_eq!(
        steps,
        vec![
            "propose",
            "authorise",
            "record_meeting",
            "record_outcome",
            "start_review",
            "close"
        ]
    );
    assert_eq!(
        view.intervention.outcome.as_ref().map(|o| o.outcome),
        Some(InterventionOutcome::AdviceGiven)
    );
    let counts = wb.intervention_counts().unwrap();
    assert_eq!(counts.by_state.get("closed"), Some(&1));
    assert_eq!(counts.by_outcome.get("advice_given"), Some(&1));
    assert_eq!(
        counts.by_category.get("inappropriate_association"),
        Some(&1)
    );

    // The item the intervention rests on becomes handling code C: its conditions travel with
    // the exported record.
    let mut fields = wb.view_item(&fixture.item).unwrap().fields;
    fields.grading.handling_code = "C".into();
    fields.grading.handling_conditions = Some("Not to be shared outside the CCU".into());
    wb.update_item(&fixture.item, &fields).unwrap();
    let out = dir.path().join("record.html");
    wb.export_intervention(id, &out).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains(&format!(
            "<tr><td>{}</td><td>C</td><td>Not to be shared outside the CCU</td></tr>",
            fixture.item
        )),
        "{html}"
    );
    assert!(html.contains("Authorised by DI Synthetic"), "{html}");
    assert!(html.contains("All preconditions met; proportionate."));
    assert!(html.contains(&fixture.item));
    assert!(html.contains("Reminded of the duty to declare associations."));
    assert!(!html.contains("<script"));
    // People by name and staff number, items by reference: no database id for the reader.
    assert!(!html.contains("(nominal "), "{html}");
    assert!(html.contains("Jo QUARRIE (S610710)"), "{html}");
    // Issue 25, part 5: as a reader reads it. Steps in words, times to the minute, the
    // marking at the head and foot of every printed page, A4.
    assert!(html.contains("<td>Propose</td>"), "{html}");
    assert!(html.contains("<td>Record meeting</td>"), "{html}");
    assert!(
        !html
            .as_bytes()
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'T' && w[2].is_ascii_digit()),
        "an RFC 3339 time in {html}"
    );
    assert!(html.contains("<thead><tr><td><p class=\"marking\">OFFICIAL-SENSITIVE"));
    assert!(html.contains("<tfoot><tr><td><p class=\"marking\">OFFICIAL-SENSITIVE"));
    assert!(html.contains("@page{size:A4"));
    let ids = [id.0.to_string(), fixture.subject.0.to_string()];
    let numbers = numbers_read(&html);
    assert!(
        ids.iter().all(|id| !numbers.contains(id)),
        "a database id in {numbers:?}"
    );

    let entries = wb.audit_entries(1, 1_000_000).unwrap();
    let steps_audited: Vec<String> = entries
        .iter()
        .filter(|e| e.action == "intervention.step")
        .map(|e| e.detail.clone())
        .collect();
    assert_eq!(steps_audited.len(), 5);
    assert!(entries.iter().any(|e| e.action == "intervention.propose"));
    assert!(
        entries
            .iter()
            .any(|e| e.action == "intervention.export" && e.justification == PURPOSE)
    );
    // The export names the items the record rests on, and completes after the file is written.
    let export = entries
        .iter()
        .find(|e| e.action == "intervention.export")
        .unwrap();
    assert!(export.detail.contains(&fixture.item), "{}", export.detail);
    assert!(entries.iter().any(|e| e.action == "export.complete"));
    // The audit details carry steps and states, never the rationale or the meeting's words.
    assert!(
        steps_audited
            .iter()
            .all(|d| !d.contains("proportionate") && !d.contains("Reminded"))
    );
    assert!(wb.verify_audit_log().unwrap().is_intact());
    wb.lock().unwrap();

    // Awaiting decision: an inspector sees proposals by others, not their own.
    let mut wb = unlock(&root, DETECTIVE);
    wb.propose_intervention(&proposal(&fixture, all_yes()))
        .unwrap();
    assert_eq!(wb.interventions_awaiting_my_decision().unwrap(), 0);
    wb.lock().unwrap();
    assert_eq!(
        unlock(&root, DEPUTY)
            .interventions_awaiting_my_decision()
            .unwrap(),
        1
    );
}

/// The numbers a reader of an HTML page sees: its text (not its markup or style) split at
/// every character that is not a digit.
fn numbers_read(html: &str) -> Vec<String> {
    let body = html.split("</style>").last().unwrap_or(html);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.replace("&#39;", "'").chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Issue 25, part 3: a proposed date cannot be before the proposal, a meeting cannot be held
/// before the intervention was authorised, a follow-up cannot fall before (or on the day of)
/// the meeting; each refusal names the field and changes nothing.
#[test]
fn dates_out_of_order_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dates.ccuwb");
    let fixture = setup(&root);

    let mut wb = unlock(&root, DETECTIVE);
    let mut early = proposal(&fixture, all_yes());
    early.proposed_date = in_days(-1);
    match wb.propose_intervention(&early) {
        Err(WorkbenchError::Invalid(invalid)) => {
            assert_eq!(invalid.errors[0].field, "proposed_date");
        }
        other => panic!("{other:?}"),
    }
    assert!(wb.interventions(None).unwrap().is_empty());
    // Today is not before the proposal.
    early.proposed_date = in_days(0);
    wb.propose_intervention(&early).unwrap();
    wb.lock().unwrap();

    let id = intervention_in(&root, &fixture, InterventionState::Authorised);
    let mut wb = unlock(&root, DETECTIVE);
    let held = |days| InterventionStep::RecordMeeting {
        meeting: MeetingRecord {
            held_on: in_days(days),
            attendees: vec!["DS Synthetic".into()],
            summary: "Reminded of the duty to declare associations.".into(),
            officer_response: String::new(),
        },
    };
    match wb.take_intervention_step(id, None, &held(-1)) {
        Err(WorkbenchError::Step(StepRefused::Invalid(error))) => {
            assert_eq!(error.field, "held_on");
            assert!(error.message.contains("authorised"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
    let state = |wb: &mut Workbench| wb.intervention(id).unwrap().intervention.state;
    assert_eq!(state(&mut wb), InterventionState::Authorised);
    wb.take_intervention_step(id, None, &held(2)).unwrap();

    for days in [1, 2] {
        let step = InterventionStep::RecordOutcome {
            outcome: OutcomeRecord {
                outcome: InterventionOutcome::AdviceGiven,
                follow_up_on: in_days(days),
            },
        };
        match wb.take_intervention_step(id, None, &step) {
            Err(WorkbenchError::Step(StepRefused::Invalid(error))) => {
                assert_eq!(error.field, "follow_up_on");
            }
            other => panic!("{days}: {other:?}"),
        }
        assert_eq!(state(&mut wb), InterventionState::MeetingHeld);
    }
}

#[test]
fn the_cli_refuses_what_the_library_refuses_and_runs_the_lifecycle() {
    let sandbox = Sandbox::new();
    let root = sandbox.workbench();
    let fixture = setup(&root);
    let document = sandbox.path("proposal.json");
    std::fs::write(
        &document,
        serde_json::to_string(&proposal(&fixture, all_yes())).unwrap(),
    )
    .unwrap();
    let run = |user: &str, args: &[&str]| {
        sandbox
            .cli_as(user, PASSWORD)
            .args(["--purpose", PURPOSE, "intervention"])
            .args(args)
            .output()
            .unwrap()
    };
    let output = run(
        DETECTIVE,
        &["propose", "--json", document.to_str().unwrap()],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "proposed intervention 1"
    );

    // A detective deciding: not permitted (exit 4), and nothing changes.
    let output = run(
        DETECTIVE,
        &["decide", "1", "--authorise", "--rationale", "Mine."],
    );
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    // No rationale: a usage error from the grammar; a blank one: refused by the library.
    let output = run(DEPUTY, &["decide", "1", "--authorise"]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let output = run(DEPUTY, &["decide", "1", "--decline", "--rationale", "  "]);
    assert_eq!(output.status.code(), Some(7), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("a decision needs a written rationale")
    );
    // Skipping a state: invalid (exit 7) with the reason.
    let meeting_doc = sandbox.path("meeting.json");
    std::fs::write(
        &meeting_doc,
        format!(
            r#"{{ "held_on": "{}", "attendees": ["DS Synthetic"],
             "summary": "Advice given.", "officer_response": "Understood.",
             "outcome": {{ "outcome": "reflective_practice", "follow_up_on": "{}" }} }}"#,
            in_days(1),
            in_days(91)
        ),
    )
    .unwrap();
    let output = run(
        DETECTIVE,
        &[
            "record-meeting",
            "1",
            "--json",
            meeting_doc.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(7), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("must be authorised first"));
    let list = |state: &str| -> Vec<serde_json::Value> {
        let output = run(DEPUTY, &["list", "--json", "--state", state]);
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    assert_eq!(list("proposed").len(), 1);

    let output = run(
        DEPUTY,
        &[
            "decide",
            "1",
            "--authorise",
            "--rationale",
            "Proportionate.",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let output = run(
        DETECTIVE,
        &[
            "record-meeting",
            "1",
            "--json",
            meeting_doc.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let recorded = list("outcome_recorded");
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0]["intervention"]["outcome"]["outcome"],
        "reflective_practice"
    );
    let out = sandbox.path("record.html");
    let output = run(DEPUTY, &["export", "1", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("Proportionate.")
    );
}

#[test]
fn the_demo_has_interventions_in_every_state_counted_as_planned() {
    let dir = tempfile::tempdir().unwrap();
    let spec = ccu_workbench::workbench::DemoSpec {
        admin_name: "DI Demo Interventions",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: ccu_workbench::demo::DemoScale::Small,
        seed: 5,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (mut wb, answers) =
        Workbench::create_demo(&dir.path().join("demo.ccuwb"), &spec, &mut |_| {}, &cancel)
            .unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let counts = wb.intervention_counts().unwrap();
    let by_state: Vec<(String, usize)> = counts.by_state.into_iter().collect();
    let by_outcome: Vec<(String, usize)> = counts.by_outcome.into_iter().collect();
    assert_eq!(by_state, answers.interventions_by_state);
    assert_eq!(by_outcome, answers.interventions_by_outcome);
    for state in InterventionState::ALL {
        assert!(
            by_state.iter().any(|(s, _)| s == state.as_str()),
            "no demo intervention is {state:?}: {by_state:?}"
        );
    }
    // Every decided one was decided by someone other than its proposer.
    for view in wb.interventions(None).unwrap() {
        let i = view.intervention;
        assert!(i.decided_by.is_none_or(|d| d != i.proposed_by));
        // Its dates are in order: proposed for a day not before the proposal, the meeting
        // not before the authorisation, the follow-up after the meeting.
        let proposed_on = i.proposed_on().unwrap();
        assert!(i.proposal.proposed_date >= proposed_on, "{i:?}");
        if let Some(meeting) = &i.meeting {
            assert!(meeting.held_on >= i.authorised_on().unwrap(), "{i:?}");
            if let Some(outcome) = &i.outcome {
                assert!(outcome.follow_up_on > meeting.held_on, "{i:?}");
            }
        }
    }
    assert!(wb.verify_audit_log().unwrap().is_intact());
}

/// Issue 20, correction 2: "An intervention may rest only on items where the proposed employee is
/// a subject (role `subject`). Proposing is refused, naming the item, when an item concerning the
/// employee is in status `investigation` while `no_criminal_proceedings` or
/// `no_misconduct_proceedings` is answered true."
#[test]
fn interventions_check_what_they_can() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("checks.ccuwb");
    let fixture = setup(&root);
    let mut wb = unlock(&root, DETECTIVE);

    // An item on which the employee is only a witness.
    let colleague = wb
        .create_nominal(common::employee("S610799", "Pat", "Colleague"), false)
        .unwrap()
        .id;
    let mut witnessed = item_fields(colleague);
    witnessed.subjects.push(Subject {
        nominal_id: fixture.subject,
        role: "witness".into(),
    });
    let witnessed = wb.create_item(&witnessed, None).unwrap();
    wb.change_item_status(&witnessed.reference, "assessed", "Assessed by the DS.")
        .unwrap();
    let mut on_witness_item = proposal(&fixture, all_yes());
    on_witness_item.items = vec![witnessed.reference.clone()];
    match wb.propose_intervention(&on_witness_item) {
        Err(WorkbenchError::Invalid(invalid)) => {
            assert_eq!(invalid.errors[0].field, "items[0]");
            assert!(invalid.errors[0].message.contains("not a subject"));
        }
        other => panic!("{other:?}"),
    }

    // An item concerning the employee under investigation, with "no proceedings" answered yes.
    let investigated = wb.create_item(&item_fields(fixture.subject), None).unwrap();
    wb.change_item_status(&investigated.reference, "assessed", "Assessed by the DS.")
        .unwrap();
    wb.change_item_status(
        &investigated.reference,
        "investigation",
        "Criminal investigation.",
    )
    .unwrap();
    match wb.propose_intervention(&proposal(&fixture, all_yes())) {
        Err(WorkbenchError::Invalid(invalid)) => {
            assert_eq!(
                invalid.errors[0].field,
                "preconditions.no_criminal_proceedings"
            );
            assert!(
                invalid.errors[0].message.contains(&investigated.reference),
                "{}",
                invalid.errors[0].message
            );
        }
        other => panic!("{other:?}"),
    }
    // Answered honestly ("no" to no proceedings), the proposal is accepted for decision.
    let mut honest = all_yes();
    honest.no_criminal_proceedings = Some(false);
    honest.no_misconduct_proceedings = Some(false);
    wb.propose_intervention(&proposal(&fixture, honest))
        .unwrap();
}

/// Issue 20, correction 2 (outcomes): "Reflective practice is offered as an outcome only when
/// the subject is a police officer or special constable ...; outcomes are advice given,
/// reflective practice (officers), referred to Professional Standards for a conduct assessment,
/// escalated to investigation, no further action."
#[test]
fn reflective_practice_is_for_officers_and_a_referral_to_professional_standards_is_an_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("outcomes.ccuwb");
    let fixture = setup(&root);
    let id = intervention_in(&root, &fixture, InterventionState::MeetingHeld);
    let step = |outcome| InterventionStep::RecordOutcome {
        outcome: OutcomeRecord {
            outcome,
            follow_up_on: in_days(104),
        },
    };
    // The subject is recorded as police staff: reflective practice does not apply.
    let mut wb = unlock(&root, INSPECTOR);
    let mut staff = common::employee("S610710", "Jo", "Quarrie");
    if let NominalDetails::Employee { employee_type, .. } = &mut staff {
        *employee_type = "staff".into();
    }
    wb.update_nominal(fixture.subject, staff).unwrap();
    assert_eq!(wb.intervention(id).unwrap().subject_employee_type, "staff");
    wb.lock().unwrap();
    let mut wb = unlock(&root, DETECTIVE);
    match wb.take_intervention_step(id, None, &step(InterventionOutcome::ReflectivePractice)) {
        Err(WorkbenchError::Invalid(invalid)) => assert_eq!(invalid.errors[0].field, "outcome"),
        other => panic!("{other:?}"),
    }
    let recorded = wb
        .take_intervention_step(
            id,
            None,
            &step(InterventionOutcome::ReferredToProfessionalStandards),
        )
        .unwrap();
    assert_eq!(
        recorded.outcome.unwrap().outcome.as_str(),
        "referred_to_professional_standards"
    );
    assert!(InterventionOutcome::ReflectivePractice.applies_to("officer"));
    assert!(InterventionOutcome::ReflectivePractice.applies_to("special"));
    assert!(!InterventionOutcome::ReflectivePractice.applies_to("pcso"));
}

/// Issue 20, correction 1. Seed 001 s4.9.2: management interventions are for intelligence that
/// "cannot be corroborated or developed by further inquiries", so an item in development or
/// under investigation can lead to one. Reference data v2: development and investigation may move
/// to management intervention, no further action may go back to assessed (with a reason), and
/// authorising an intervention moves each item it rests on to `management_intervention`, in the
/// item's history with the intervention's id.
#[test]
fn item_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("lifecycle.ccuwb");
    let fixture = setup(&root);
    let mut wb = unlock(&root, DETECTIVE);
    assert_eq!(wb.reference_data().version, 2);

    // An item in development grounds a proposal.
    let developed = wb.create_item(&item_fields(fixture.subject), None).unwrap();
    for (to, why) in [
        ("assessed", "Assessed by the DS."),
        ("development", "Enquiries to corroborate."),
    ] {
        wb.change_item_status(&developed.reference, to, why)
            .unwrap();
    }
    // An item under investigation can be answered by an intervention too (v1 could only close it).
    let investigated = wb.create_item(&item_fields(fixture.subject), None).unwrap();
    for (to, why) in [
        ("assessed", "Assessed by the DS."),
        ("investigation", "Misconduct investigation opened."),
    ] {
        wb.change_item_status(&investigated.reference, to, why)
            .unwrap();
    }
    // "No misconduct proceedings" may be answered yes although one of the items is under
    // investigation: that investigation is what the intervention concludes.
    let mut on_both = proposal(&fixture, all_yes());
    on_both.items = vec![
        fixture.item.clone(),
        developed.reference.clone(),
        investigated.reference.clone(),
    ];
    let proposed = wb.propose_intervention(&on_both).unwrap();
    // Proposing moves nothing.
    assert_eq!(
        wb.view_item(&developed.reference).unwrap().status,
        "development"
    );
    wb.lock().unwrap();

    let mut deputy = unlock(&root, DEPUTY);
    deputy
        .take_intervention_step(proposed.id, None, &authorise())
        .unwrap();
    for reference in [&fixture.item, &developed.reference, &investigated.reference] {
        let item = deputy.view_item(reference).unwrap();
        assert_eq!(item.status, "management_intervention", "{reference}");
        let history = deputy.item_history(reference).unwrap();
        let last = &history.last().unwrap().change;
        assert!(
            last.ends_with(&format!(
                "-> management_intervention: management intervention {} authorised",
                proposed.id.0
            )),
            "{last}"
        );
    }
    let moved = deputy
        .audit_entries(1, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "item.status" && e.detail.contains("\"intervention\""))
        .count();
    assert_eq!(moved, 3);
    // From management intervention the only way on is closed.
    assert_eq!(deputy.next_statuses("management_intervention"), ["closed"]);
    deputy.lock().unwrap();

    // No further action can go back to assessed, with a reason (an empty one is refused).
    let mut wb = unlock(&root, DETECTIVE);
    let reopened = wb.create_item(&item_fields(fixture.subject), None).unwrap();
    wb.change_item_status(&reopened.reference, "assessed", "Assessed.")
        .unwrap();
    wb.change_item_status(&reopened.reference, "no_further_action", "Nothing in it.")
        .unwrap();
    assert!(
        wb.change_item_status(&reopened.reference, "assessed", "  ")
            .is_err()
    );
    wb.change_item_status(
        &reopened.reference,
        "assessed",
        "A second report corroborates the first.",
    )
    .unwrap();
    // An item closed before authorisation refuses the authorisation, naming it; nothing moves.
    let closed = wb.create_item(&item_fields(fixture.subject), None).unwrap();
    wb.change_item_status(&closed.reference, "assessed", "Assessed.")
        .unwrap();
    let mut on_closed = proposal(&fixture, all_yes());
    on_closed.items = vec![reopened.reference.clone(), closed.reference.clone()];
    let second = wb.propose_intervention(&on_closed).unwrap();
    wb.change_item_status(&closed.reference, "no_further_action", "Overtaken.")
        .unwrap();
    wb.change_item_status(&closed.reference, "closed", "Closed.")
        .unwrap();
    wb.lock().unwrap();
    let mut deputy = unlock(&root, DEPUTY);
    match deputy.take_intervention_step(second.id, None, &authorise()) {
        Err(WorkbenchError::Step(StepRefused::Invalid(error))) => {
            assert_eq!(error.field, "items[1]");
            assert!(
                error.message.contains(&closed.reference),
                "{}",
                error.message
            );
            assert!(error.message.contains("is now closed"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        deputy.view_item(&reopened.reference).unwrap().status,
        "assessed"
    );
    assert_eq!(
        deputy.intervention(second.id).unwrap().intervention.state,
        InterventionState::Proposed
    );
}
