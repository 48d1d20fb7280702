//! Need-to-know restriction, tested as a leak: an inspector restricts an item whose narrative,
//! attachment and link carry a canary to themself and one detective; then another detective and
//! an analyst produce every output they can (the log in every order and filter, the item, its
//! history and attachments, search, the subject's profile, the graph and its exports, reports,
//! the CLI's text and JSON) and the canary reaches none of them. The detective on the list sees
//! it all; lifting the restriction gives it back to everyone; both are recorded.

use crate::common::{self, CHEAP, INSPECTOR, INSPECTOR_PASSWORD, Sandbox};
use ccu_workbench::Workbench;
use ccu_workbench::domain::{IntelQuery, IntelSort, LinkFields, Provenance, Role, SearchQuery};
use ccu_workbench::graph::GraphFilter;
use ccu_workbench::workbench::WorkbenchError;
use std::path::Path;

const CANARY: &str = "NTKCANARY7Q4Z";
const PASSWORD: &str = "need to know pass phrase";
const ON_LIST: &str = "DC Onlist Synthetic";
const OTHER: &str = "DC Other Synthetic";
const ANALYST: &str = "Analyst Other Synthetic";
const PURPOSE: &str = "OP-NEED-TO-KNOW";

struct Planted {
    reference: String,
    employee: ccu_workbench::domain::NominalId,
    associate: ccu_workbench::domain::NominalId,
    attachment: ccu_workbench::domain::AttachmentId,
}

fn fields(
    subject: ccu_workbench::domain::NominalId,
    narrative: &str,
) -> ccu_workbench::domain::IntelItemFields {
    common::item_fields(subject, narrative)
}

fn plant(root: &Path) -> Planted {
    let mut wb = Workbench::create(root, INSPECTOR, INSPECTOR_PASSWORD, CHEAP).unwrap();
    for (name, role) in [
        (ON_LIST, Role::Detective),
        (OTHER, Role::Detective),
        (ANALYST, Role::Analyst),
    ] {
        wb.add_user(name, role, PASSWORD).unwrap();
    }
    wb.set_purpose(PURPOSE).unwrap();
    let employee = wb
        .create_nominal(common::employee("S720001", "Ria", "Guarded"), false)
        .unwrap()
        .id;
    let associate = wb
        .create_nominal(
            common::person_born(
                "Sol",
                "Contact",
                "1980-02-03",
                ccu_workbench::domain::PersonFlags::default(),
            ),
            false,
        )
        .unwrap()
        .id;
    // An ordinary item beside it, so the listings are not empty.
    let open = wb
        .create_item(&fields(employee, "Routine synthetic report."), None)
        .unwrap();
    let item = wb
        .create_item(
            &fields(
                employee,
                &format!("Source reports the officer meets {CANARY} weekly."),
            ),
            None,
        )
        .unwrap();
    let attachment = wb
        .attach_file(
            &item.reference,
            &format!("{CANARY}-note.txt"),
            format!("Handwritten note naming {CANARY}.").as_bytes(),
        )
        .unwrap()
        .id;
    // A link known only from the restricted item.
    wb.create_link(&LinkFields {
        link_type: "associate".into(),
        from: employee,
        to: associate,
        valid_from: None,
        valid_to: None,
        confidence: "possible".into(),
        provenance: vec![Provenance::IntelItem {
            reference: item.reference.clone(),
        }],
    })
    .unwrap();
    let _ = open;
    let list = wb.restrict_item(&item.reference, &[ON_LIST]).unwrap();
    assert_eq!(list, [INSPECTOR, ON_LIST]);
    wb.lock().unwrap();
    Planted {
        reference: item.reference,
        employee,
        associate,
        attachment,
    }
}

fn session(root: &Path, name: &str) -> Workbench {
    let mut wb = Workbench::unlock(root, name, PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb
}

/// Every library output `name` can produce, as text, plus the files it wrote under `out`.
fn outputs_of(root: &Path, name: &str, planted: &Planted, out: &Path) -> String {
    let mut wb = session(root, name);
    let mut seen = String::new();
    let mut note = |what: &str, value: String| {
        seen.push_str(what);
        seen.push('\n');
        seen.push_str(&value);
        seen.push('\n');
    };
    for sort in [
        IntelSort::Reference,
        IntelSort::ReceivedOn,
        IntelSort::Status,
        IntelSort::Category,
    ] {
        for query in [
            IntelQuery {
                sort,
                ..IntelQuery::default()
            },
            IntelQuery {
                sort,
                category: Some("inappropriate_association".into()),
                ..IntelQuery::default()
            },
        ] {
            note("count", format!("{:?}", wb.intel_count(&query)));
            note("page", format!("{:?}", wb.intel_page(&query, 0, 100)));
        }
    }
    note("view", format!("{:?}", wb.view_item(&planted.reference)));
    note(
        "view with context",
        format!(
            "{:?}",
            wb.view_item_with_context(&planted.reference)
                .map(|v| v.item)
        ),
    );
    note(
        "history",
        format!("{:?}", wb.item_history(&planted.reference)),
    );
    note(
        "attachments",
        format!("{:?}", wb.attachments(&planted.reference)),
    );
    note(
        "attachment",
        format!("{:?}", wb.view_attachment(planted.attachment)),
    );
    let _ = wb.export_attachment(
        planted.attachment,
        &out.join(format!("{name}-attachment.bin")),
    );
    for words in [CANARY, "weekly", "Source reports"] {
        note(
            "search",
            format!(
                "{:?}",
                wb.search(&SearchQuery {
                    text: words.into(),
                    ..SearchQuery::default()
                })
            ),
        );
    }
    for nominal in [planted.employee, planted.associate] {
        note("profile", format!("{:?}", wb.view_nominal(nominal)));
    }
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    note(
        "graph",
        format!(
            "{:?}",
            graph.edges().map(|e| (e.from, e.to)).collect::<Vec<_>>()
        ),
    );
    let link_count = graph.edges().count();
    note("graph links", link_count.to_string());
    let _ = wb.export_graphml(
        &GraphFilter::default(),
        &out.join(format!("{name}.graphml")),
    );
    let _ = wb.export_ftm(&out.join(format!("{name}.ftm.jsonl")));
    let _ = wb.export_threat_assessment(
        "2026-01-01".parse().unwrap(),
        "2026-12-31".parse().unwrap(),
        ccu_workbench::risk::threat_assessment::Edition::Restricted,
        &out.join(format!("{name}-ta.html")),
    );
    let _ = wb.export_transferee_package(
        planted.employee,
        &out.join(format!("{name}-transferee.html")),
        ccu_workbench::workbench::Release {
            recipient: "DCI Receiving Unit",
            confirm_c_items: true,
            include_left_out: false,
        },
    );
    note(
        "transferee",
        format!("{:?}", wb.transferee_package(planted.employee)),
    );
    note(
        "item graph path",
        format!("{:?}", wb.item_graph_path(&planted.reference)),
    );
    wb.lock().unwrap();
    for entry in std::fs::read_dir(out).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(name)
        {
            note(
                "file",
                String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
            );
        }
    }
    seen
}

#[test]
fn a_restricted_items_canary_reaches_no_output_of_anyone_off_its_list() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ntk.ccuwb");
    let planted = plant(&root);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();

    for name in [OTHER, ANALYST] {
        let seen = outputs_of(&root, name, &planted, &out);
        assert!(!seen.contains(CANARY), "{name} saw the canary:\n{seen}");
        assert!(
            seen.contains(&format!("restricted item {}", planted.reference)),
            "{name} sees the reference as restricted in the unfiltered log"
        );
    }
    // Their graph lacks the link known only from the item.
    let mut other = session(&root, OTHER);
    let graph = other.link_graph(&GraphFilter::default()).unwrap();
    assert!(
        graph
            .edges()
            .all(|e| e.to != planted.associate && e.from != planted.associate)
    );
    let profile = other.view_nominal(planted.employee).unwrap();
    assert!(
        profile
            .links
            .iter()
            .all(|l| l.fields.to != planted.associate)
    );
    assert!(matches!(
        other.view_item(&planted.reference),
        Err(WorkbenchError::RestrictedItem { .. })
    ));
    other.lock().unwrap();

    // The detective on the list sees it all.
    let seen = outputs_of(&root, ON_LIST, &planted, &out);
    assert!(seen.contains(CANARY));

    // Lifted, it is everyone's again; both steps, and the refusals, are in the log.
    let mut wb = Workbench::unlock(&root, INSPECTOR, INSPECTOR_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    wb.unrestrict_item(&planted.reference).unwrap();
    let entries = wb.audit_entries(1, 100_000).unwrap();
    assert!(entries.iter().any(|e| e.action == "item.restrict"));
    assert!(entries.iter().any(|e| e.action == "item.unrestrict"));
    assert!(entries.iter().any(|e| e.action == "permission.refused"
        && e.object == format!("item:{}", planted.reference)
        && e.user_name == OTHER));
    wb.lock().unwrap();
    let mut other = session(&root, OTHER);
    assert!(
        other
            .view_item(&planted.reference)
            .unwrap()
            .fields
            .narrative
            .contains(CANARY)
    );
    other.lock().unwrap();
}

#[test]
fn the_cli_restricts_and_shows_others_only_the_reference() {
    let sandbox = Sandbox::new();
    let planted = plant(&sandbox.workbench());
    let run = |user: &str, args: &[&str]| {
        let out = sandbox
            .cli_as(user, PASSWORD)
            .args(["--purpose", PURPOSE])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    for args in [
        vec!["intel", "list"],
        vec!["intel", "list", "--json"],
        vec!["intel", "list", "--sort", "reference"],
        vec!["intel", "show", planted.reference.as_str()],
        vec!["intel", "history", planted.reference.as_str()],
        vec!["search", CANARY],
        vec!["search", "weekly", "--json"],
        vec!["attachment", "list", planted.reference.as_str()],
    ] {
        let (_, text) = run(OTHER, &args);
        assert!(!text.contains(CANARY), "{args:?}: {text}");
    }
    let (code, text) = run(OTHER, &["intel", "list"]);
    assert_eq!(code, 0);
    assert!(
        text.contains(&format!("{}  restricted item", planted.reference)),
        "{text}"
    );
    let (code, text) = run(OTHER, &["intel", "show", &planted.reference]);
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("restricted item"), "{text}");
    // Only inspectors restrict.
    let (code, _) = run(ON_LIST, &["intel", "unrestrict", &planted.reference]);
    assert_eq!(code, 4);
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args(["intel", "unrestrict", &planted.reference])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sandbox
        .cli_as(INSPECTOR, INSPECTOR_PASSWORD)
        .args([
            "intel",
            "restrict",
            &planted.reference,
            "--users",
            &format!("{ON_LIST},{OTHER}"),
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains(OTHER));
    let (_, text) = run(OTHER, &["intel", "show", &planted.reference]);
    assert!(text.contains(CANARY));
}
