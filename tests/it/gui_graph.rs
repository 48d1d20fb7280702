//! GUI test of the Graph area with `egui_kittest`, through the whole app: open the chart for a
//! nominal from its profile, expand a node, find a path from the context menu and see it
//! highlighted; the exposure finder lists the planted lead.

use crate::common::gui::{
    ScriptedPicker, app_harness, idle, main_screen, run_settled, sign_in, type_into,
    wait_until_or_report,
};
use ccu_workbench::Workbench;
use ccu_workbench::crypto::KdfParams;
use ccu_workbench::domain::{
    Grading, IntelItemFields, LinkFields, NominalDetails, NominalId, PersonFlags, Provenance,
    Subject,
};
use ccu_workbench::ui::{Screen, WorkbenchApp};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::Path;

const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;
const INSPECTOR: &str = "DI Charting";
const PASSWORD: &str = "inspector password one";

/// Ids of the planted chain employee - friend - associate - criminal associate - member - OCG.
struct Chain {
    employee: NominalId,
    member: NominalId,
}

fn person(fore: &str, sur: &str, ocg_member: bool) -> NominalDetails {
    NominalDetails::Person {
        forenames: fore.into(),
        surname: sur.into(),
        aliases: vec![],
        date_of_birth: None,
        flags: PersonFlags {
            ocg_member,
            ..PersonFlags::default()
        },
    }
}

fn workbench(root: &Path) -> Chain {
    let mut wb = Workbench::create(root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    let employee = wb
        .create_nominal(
            NominalDetails::Employee {
                staff_number: "S200300".into(),
                forenames: "Robin".into(),
                surname: "Fieldhouse".into(),
                rank_grade: "PC".into(),
                role: String::new(),
                department: "Response".into(),
                employee_type: "officer".into(),
                vetting_level: None,
                vetting_expiry: None,
                status: "serving".into(),
                date_of_birth: None,
            },
            false,
        )
        .unwrap()
        .id;
    let associate = wb
        .create_nominal(person("Dean", "Marsh", false), false)
        .unwrap()
        .id;
    let member = wb
        .create_nominal(person("Kyle", "Brennan", true), false)
        .unwrap()
        .id;
    let ocg = wb
        .create_nominal(
            NominalDetails::Ocg {
                name: "Northside Crew".into(),
                description: String::new(),
            },
            false,
        )
        .unwrap()
        .id;
    let item = wb
        .create_item(
            &IntelItemFields {
                received_on: "2026-09-01".parse().unwrap(),
                source_type: "confidential_line".into(),
                narrative: "Synthetic report linking the people on this chart.".into(),
                grading: Grading {
                    source_evaluation: "2".into(),
                    intelligence_assessment: "B".into(),
                    handling_code: "P".into(),
                    handling_conditions: None,
                },
                legacy_grading: None,
                category: "inappropriate_association".into(),
                subcategory: None,
                subjects: vec![Subject {
                    nominal_id: employee,
                    role: "subject".into(),
                }],
                next_review_on: None,
            },
            None,
        )
        .unwrap();
    for (link_type, from, to) in [
        ("friend", employee, associate),
        ("criminal_associate", associate, member),
        ("ocg_member", member, ocg),
    ] {
        wb.create_link(&LinkFields {
            link_type: link_type.into(),
            from,
            to,
            valid_from: None,
            valid_to: None,
            confidence: "probable".into(),
            provenance: vec![Provenance::IntelItem {
                reference: item.reference.clone(),
            }],
        })
        .unwrap();
    }
    wb.lock().unwrap();
    Chain { employee, member }
}

/// What the chart holds and shows, printed when a wait on the chart fails.
fn chart_report(harness: &Harness<'_, WorkbenchApp>) -> String {
    let Screen::Main(main) = harness.state().screen() else {
        return String::new();
    };
    format!(
        "graph: {} nodes, message {:?}, notice {:?}, area {:?}, layout {:?}, stats {:?}, zoom {} pan {:?} positions {:?}",
        main.graph.graph.node_count(),
        main.graph.message,
        main.notice,
        main.area,
        main.graph.chart.layout_state(),
        main.graph.chart.stats(),
        main.graph.chart.zoom,
        main.graph.chart.pan,
        main.graph
            .graph
            .nodes()
            .map(|n| main.graph.chart.position(n.id))
            .collect::<Vec<_>>(),
    )
}

/// Waits as the common helper does, reporting the chart's state if it never happens.
fn wait_until(
    harness: &mut Harness<'_, WorkbenchApp>,
    what: &str,
    done: impl Fn(&Harness<'_, WorkbenchApp>) -> bool,
) {
    wait_until_or_report(harness, what, done, chart_report);
}

#[test]
fn a_chart_opened_from_a_profile_expands_and_highlights_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("chart.ccuwb");
    let chain = workbench(&root);
    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root),
        ScriptedPicker::default(),
        (1400.0, 1000.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-GRAPH");

    // Open the employee's profile, then the chart from it.
    harness.get_by_label("Nominals").click();
    run_settled(&mut harness);
    type_into(&mut harness, "Find nominals", "Fieldhouse");
    wait_until(&mut harness, "the employee in the results", |h| {
        h.query_by_label_contains("FIELDHOUSE").is_some()
    });
    harness.get_by_label_contains("FIELDHOUSE").click();
    wait_until(&mut harness, "the profile", |h| {
        h.query_by_label("Open in link chart").is_some() && idle(h)
    });
    harness.get_by_label("Open in link chart").click();
    wait_until(
        &mut harness,
        "the chart with the employee and the friend",
        |h| {
            main_screen(h).graph.graph.node_count() == 2
                && h.query_by_label("PC Robin FIELDHOUSE (S200300)").is_some()
                && h.query_by_label("Dean MARSH").is_some()
        },
    );
    assert!(h_not_present(&harness, "Kyle BRENNAN"));
    // The list beside the chart names what is on it; a row selects its nominal on the chart.
    harness.get_by_label("On the chart (2)").click();
    run_settled(&mut harness);
    harness.get_by_label("Person · Dean MARSH").click();
    run_settled(&mut harness);
    let friend = main_screen(&harness)
        .graph
        .graph
        .nodes()
        .find(|n| n.label == "Dean MARSH")
        .unwrap()
        .id;
    assert_eq!(main_screen(&harness).graph.chart.selected(), Some(friend));

    // Expand the friend from its context menu: the OCG member comes onto the chart.
    harness.get_by_label("Dean MARSH").click_secondary();
    run_settled(&mut harness);
    harness.get_by_label("Expand").click();
    wait_until(&mut harness, "the expanded chart", |h| {
        main_screen(h).graph.graph.contains(chain.member)
            && h.query_by_label("Kyle BRENNAN").is_some()
    });

    // Select the employee, then "Find path to selected" on the member.
    harness
        .get_by_label("PC Robin FIELDHOUSE (S200300)")
        .click();
    run_settled(&mut harness);
    harness.get_by_label("Kyle BRENNAN").click_secondary();
    run_settled(&mut harness);
    harness.get_by_label("Find path to selected").click();
    wait_until(&mut harness, "the highlighted path", |h| {
        main_screen(h).graph.chart.highlighted_path().is_some()
    });
    let chart = &main_screen(&harness).graph.chart;
    let path = chart.highlighted_path().unwrap();
    assert_eq!(path.hops(), 2, "{path:?}");
    let ends = [path.nodes[0], *path.nodes.last().unwrap()];
    assert!(ends.contains(&chain.employee) && ends.contains(&chain.member));
    assert!(chart.is_highlighted(chain.employee));
    assert!(
        harness
            .query_by_label_contains("Path of 2 link(s)")
            .is_some()
    );

    // The side panel hides and the chart takes the whole area; it comes back as it was.
    harness.get_by_label("Hide side panel").click();
    run_settled(&mut harness);
    assert!(harness.query_by_label("Find exposures").is_none());
    assert!(!main_screen(&harness).graph.side_panel_open);
    harness.get_by_label("Show side panel").click();
    run_settled(&mut harness);
    assert!(harness.query_by_label("Find exposures").is_some());

    // Hide from the node's menu, then Undo and Redo from the toolbar.
    harness.get_by_label("Dean MARSH").click_secondary();
    run_settled(&mut harness);
    harness.get_by_label("Hide").click();
    run_settled(&mut harness);
    assert!(h_not_present(&harness, "Dean MARSH"));
    harness.get_by_label("Undo").click();
    run_settled(&mut harness);
    assert!(harness.query_by_label("Dean MARSH").is_some());
    harness.get_by_label("Redo").click();
    run_settled(&mut harness);
    assert!(h_not_present(&harness, "Dean MARSH"));
    harness.get_by_label("Undo").click();
    run_settled(&mut harness);
    assert!(harness.query_by_label("Dean MARSH").is_some());

    // Layouts: the circle puts every nominal the same distance from its centre, except one the
    // analyst pinned, which stays where it was left; the hierarchy puts the selected on top.
    harness.get_by_label("Kyle BRENNAN").click_secondary();
    run_settled(&mut harness);
    harness.get_by_label("Pin").click();
    run_settled(&mut harness);
    let pinned_at = main_screen(&harness)
        .graph
        .chart
        .position(chain.member)
        .unwrap();
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Layout")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Circle")
        .click();
    run_settled(&mut harness);
    {
        let chart = &main_screen(&harness).graph.chart;
        assert_eq!(chart.position(chain.member), Some(pinned_at));
        let others: Vec<[f32; 2]> = [chain.employee, friend]
            .iter()
            .map(|id| chart.position(*id).unwrap())
            .collect();
        let radius = |p: [f32; 2]| p[0].hypot(p[1]);
        assert!(
            (radius(others[0]) - radius(others[1])).abs() < 0.5 && radius(others[0]) > 1.0,
            "{others:?}"
        );
    }
    harness
        .get_by_label("PC Robin FIELDHOUSE (S200300)")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Layout")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Hierarchy from the selected")
        .click();
    run_settled(&mut harness);
    {
        let chart = &main_screen(&harness).graph.chart;
        let top = chart.position(chain.employee).unwrap();
        let below = chart.position(friend).unwrap();
        assert!(below[1] > top[1], "{top:?} {below:?}");
    }
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Layout")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Force-directed")
        .click();
    run_settled(&mut harness);

    // The exposure finder lists the employee's undeclared route to the member.
    harness.get_by_label("Find exposures").click();
    wait_until(&mut harness, "the leads", |h| {
        main_screen(h).graph.leads.is_some() && idle(h)
    });
    let leads = main_screen(&harness).graph.leads.clone().unwrap();
    assert_eq!(leads.len(), 1, "{leads:?}");
    assert_eq!(leads[0].employee, chain.employee);
    assert_eq!(leads[0].target, chain.member);
    assert!(harness.query_by_label("Record lead 1 as an item").is_some());

    // Registering the lead as a notifiable association is one form, filled in already.
    let associate = leads[0].path.nodes[1];
    harness
        .get_by_label("Register lead 1 as a notifiable association")
        .click();
    run_settled(&mut harness);
    {
        let form = &main_screen(&harness).na_register.form;
        assert_eq!(
            form.employee.as_ref().map(|(id, _)| *id),
            Some(chain.employee)
        );
        assert_eq!(form.associate.as_ref().map(|(id, _)| *id), Some(associate));
        assert_eq!(form.origin, ccu_workbench::domain::NaOrigin::Discovered);
    }
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Category")
        .click();
    run_settled(&mut harness);
    harness.get_by_label("Criminal").click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Relationship")
        .click();
    run_settled(&mut harness);
    harness.get_by_label("Friend").click();
    run_settled(&mut harness);
    harness.get_by_label("Register").click();
    wait_until(&mut harness, "the entry in the register", |h| {
        main_screen(h)
            .na_register
            .rows
            .as_ref()
            .is_some_and(|rows| rows.len() == 1)
            && idle(h)
    });
    let entry = main_screen(&harness).na_register.rows.clone().unwrap()[0]
        .record
        .clone();
    assert_eq!(entry.origin, ccu_workbench::domain::NaOrigin::Discovered);
    assert_eq!(
        (entry.employee, entry.associate),
        (chain.employee, associate)
    );

    // Conditional formatting: coloured by notifiable association, the employee and the
    // associate stand out and carry the marker; the legend says what the colours mean.
    crate::common::gui::navigate(&mut harness, "Graph");
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Colour by")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Notifiable association")
        .click();
    wait_until(&mut harness, "the chart coloured by association", |h| {
        main_screen(h)
            .graph
            .chart
            .formatting()
            .markers
            .contains_key(&chain.employee)
            && idle(h)
    });
    {
        let formatting = main_screen(&harness).graph.chart.formatting();
        assert_ne!(
            formatting.fill[&chain.employee],
            formatting.fill[&chain.member]
        );
        assert_eq!(
            formatting.fill[&chain.employee],
            formatting.fill[&associate]
        );
    }
    assert!(harness.query_by_label("Legend").is_some());
    assert!(
        harness
            .query_by_label("Party to a live notifiable association")
            .is_some()
    );
    assert!(
        harness
            .query_by_label("Live notifiable association")
            .is_some()
    );
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Size by")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Degree centrality")
        .click();
    run_settled(&mut harness);
    {
        // The friend links the employee and the member: the most links, the biggest.
        let scale = &main_screen(&harness).graph.chart.formatting().scale;
        assert!(scale[&associate] > scale[&chain.employee], "{scale:?}");
    }
    assert!(harness.query_by_label("Size: degree centrality").is_some());

    // The finder no longer reports the route: the association is declared now.
    harness.get_by_label("Find exposures").click();
    wait_until(&mut harness, "the leads again", |h| {
        main_screen(h)
            .graph
            .leads
            .as_ref()
            .is_some_and(Vec::is_empty)
            && idle(h)
    });
    assert!(
        harness
            .query_by_label("No undeclared routes found.")
            .is_some()
    );
}

fn h_not_present(harness: &Harness<'_, WorkbenchApp>, label: &str) -> bool {
    harness.query_by_label(label).is_none()
}

/// Issue 22: the small demo's exposure leads (hundreds of routes) read grouped by member of
/// staff, filtered by what the target is and how far, in the order asked for, a page at a time.
#[test]
fn exposure_leads_are_grouped_by_member_of_staff_filtered_sorted_and_paged() {
    use ccu_workbench::workbench::DemoSpec;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("demo.ccuwb");
    let spec = DemoSpec {
        admin_name: INSPECTOR,
        password: PASSWORD,
        kdf: CHEAP,
        scale: ccu_workbench::demo::DemoScale::Small,
        seed: 3,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (wb, _) = Workbench::create_demo(&root, &spec, &mut |_| {}, &cancel).unwrap();
    wb.lock().unwrap();
    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root),
        ScriptedPicker::default(),
        (1400.0, 1200.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-EXPOSURES");
    harness.get_by_label("Graph").click();
    run_settled(&mut harness);
    harness.get_by_label("Find exposures").click();
    wait_until(&mut harness, "the leads", |h| {
        main_screen(h).graph.leads.is_some() && idle(h)
    });
    let leads = main_screen(&harness).graph.leads.clone().unwrap();
    let staff: std::collections::BTreeSet<_> = leads.iter().map(|l| l.employee).collect();
    assert!(
        leads.len() > 100 && staff.len() > 20,
        "{} {}",
        leads.len(),
        staff.len()
    );
    let pages = staff.len().div_ceil(20);
    assert!(
        harness
            .query_by_label(&format!(
                "{} route(s) from {} member(s) of staff; page 1 of {pages}",
                leads.len(),
                staff.len()
            ))
            .is_some()
    );
    // Twenty members of staff on the page, each heading naming their routes.
    let headings = harness
        .query_all_by_label_contains(" route(s) · best score ")
        .count();
    assert_eq!(headings, 20);
    harness.get_by_label("Next page").click();
    run_settled(&mut harness);
    assert_eq!(main_screen(&harness).graph.results.page, 1);
    assert!(
        harness
            .query_by_label_contains(&format!("page 2 of {pages}"))
            .is_some()
    );
    // Only routes to OCG members: the count and the groups follow, and the page starts again.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Target kind")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "OCG member")
        .click();
    run_settled(&mut harness);
    let members: Vec<_> = leads
        .iter()
        .filter(|l| l.target_kind == "ocg_member")
        .collect();
    let member_staff: std::collections::BTreeSet<_> = members.iter().map(|l| l.employee).collect();
    assert!(!members.is_empty() && members.len() < leads.len());
    assert_eq!(main_screen(&harness).graph.results.page, 0);
    assert!(
        harness
            .query_by_label_contains(&format!(
                "{} route(s) from {} member(s) of staff; page 1 of",
                members.len(),
                member_staff.len()
            ))
            .is_some()
    );
    // ...one link away only.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Links away")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "1")
        .click();
    run_settled(&mut harness);
    let direct = members.iter().filter(|l| l.path.hops() == 1).count();
    assert!(
        harness
            .query_by_label_contains(&format!("{direct} route(s) from"))
            .is_some()
    );
    // By name: the first group is the first name in order.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Order")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "By name")
        .click();
    run_settled(&mut harness);
    let screen = main_screen(&harness);
    let groups = screen
        .graph
        .results
        .groups(&leads, &screen.graph.lead_names);
    let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

/// Issue 23: expanding a hub puts at most 200 new nominals on the chart, says how many it left
/// out, and brings them when asked.
#[test]
fn expanding_a_hub_is_capped_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hub.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-GUI-HUB setup").unwrap();
    let hub = wb
        .create_nominal(person("Harper", "Hubley", false), false)
        .unwrap()
        .id;
    let item = wb
        .create_item(
            &crate::common::item_fields(hub, "Synthetic report naming a busy hub."),
            None,
        )
        .unwrap();
    let link = |wb: &mut Workbench, from, to| {
        wb.create_link(&LinkFields {
            link_type: "associate".into(),
            from,
            to,
            valid_from: None,
            valid_to: None,
            confidence: "probable".into(),
            provenance: vec![Provenance::IntelItem {
                reference: item.reference.clone(),
            }],
        })
        .unwrap();
    };
    let anchor = wb
        .create_nominal(person("Eve", "Anchor", false), false)
        .unwrap()
        .id;
    link(&mut wb, anchor, hub);
    for n in 0..230 {
        let contact = wb
            .create_nominal(person("Contact", &format!("Number{n:03}"), false), true)
            .unwrap()
            .id;
        link(&mut wb, hub, contact);
    }
    wb.lock().unwrap();
    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root),
        ScriptedPicker::default(),
        (1400.0, 1000.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-HUB");
    harness.get_by_label("Graph").click();
    run_settled(&mut harness);
    type_into(&mut harness, "Open a chart on", "Anchor");
    wait_until(&mut harness, "the anchor to chart", |h| {
        !main_screen(h).graph.nominal_hits.is_empty()
    });
    let title = main_screen(&harness).graph.nominal_hits[0].title.clone();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &format!("Chart {title}"))
        .click();
    wait_until(&mut harness, "the anchor and the hub", |h| {
        main_screen(h).graph.graph.node_count() == 2 && idle(h)
    });
    harness.get_by_label("Harper HUBLEY").click_secondary();
    run_settled(&mut harness);
    harness.get_by_label("Expand").click();
    wait_until(&mut harness, "the capped expansion", |h| {
        main_screen(h).graph.graph.node_count() > 2 && idle(h)
    });
    assert_eq!(main_screen(&harness).graph.graph.node_count(), 202);
    assert_eq!(main_screen(&harness).graph.graph.edge_count(), 201);
    assert!(
        harness
            .query_by_label_contains("200 of 230 new nominal(s) on the chart; 30 left out")
            .is_some()
    );
    harness.get_by_label("Add the 30 left out").click();
    run_settled(&mut harness);
    assert_eq!(main_screen(&harness).graph.graph.node_count(), 232);
    assert_eq!(main_screen(&harness).graph.graph.edge_count(), 231);
    assert!(harness.query_by_label_contains("left out").is_none());
}

/// Issue 23: a chart opened by typing a name; two nominals selected (click, then Shift-click)
/// give their shortest path or every shortest path, and a selection of three their connecting
/// network, each highlighted on the chart.
#[test]
fn selected_nominals_give_every_shortest_path_and_their_connecting_network() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("diamond.ccuwb");
    let mut wb = Workbench::create(&root, INSPECTOR, PASSWORD, CHEAP).unwrap();
    wb.set_purpose("OP-GUI-PATHS setup").unwrap();
    let mut nominal = |fore: &str, sur: &str| {
        wb.create_nominal(person(fore, sur, false), true)
            .unwrap()
            .id
    };
    let start = nominal("Stella", "Start");
    let left = nominal("Leon", "Left");
    let right = nominal("Rita", "Right");
    let end = nominal("Enzo", "End");
    let beyond = nominal("Bea", "Beyond");
    let item = wb
        .create_item(
            &crate::common::item_fields(start, "Synthetic report drawing a diamond."),
            None,
        )
        .unwrap();
    for (from, to, since) in [
        (start, left, "2024-01-01"),
        (start, right, "2024-01-01"),
        (left, end, "2024-01-01"),
        (right, end, "2024-01-01"),
        (end, beyond, "2025-06-01"),
    ] {
        wb.create_link(&LinkFields {
            link_type: "associate".into(),
            from,
            to,
            valid_from: Some(since.parse().unwrap()),
            valid_to: None,
            confidence: "probable".into(),
            provenance: vec![Provenance::IntelItem {
                reference: item.reference.clone(),
            }],
        })
        .unwrap();
    }
    wb.lock().unwrap();
    let mut harness = app_harness(
        &dir.path().join("settings"),
        Some(root),
        ScriptedPicker {
            export_destination: Some(dir.path().join("diamond.svg")),
            ..ScriptedPicker::default()
        },
        (1600.0, 1000.0),
    );
    run_settled(&mut harness);
    sign_in(&mut harness, INSPECTOR, PASSWORD, "OP-GUI-PATHS");
    harness.get_by_label("Graph").click();
    run_settled(&mut harness);
    harness.get_by_label("Hops").click();
    run_settled(&mut harness);
    harness.key_press(egui::Key::End);
    harness.key_press(egui::Key::Backspace);
    harness.get_by_label("Hops").type_text("3");
    run_settled(&mut harness);
    type_into(&mut harness, "Open a chart on", "Stella");
    wait_until(&mut harness, "the nominal to chart", |h| {
        !main_screen(h).graph.nominal_hits.is_empty()
    });
    let title = main_screen(&harness).graph.nominal_hits[0].title.clone();
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, &format!("Chart {title}"))
        .click();
    wait_until(&mut harness, "the diamond on the chart", |h| {
        main_screen(h).graph.graph.node_count() == 5 && idle(h)
    });
    // Nothing selected yet: the questions about a selection wait for one.
    assert!(
        harness
            .get_by_label("All shortest paths")
            .accesskit_node()
            .is_disabled()
    );

    harness.get_by_label("Stella START").click();
    run_settled(&mut harness);
    harness
        .get_by_label("Enzo END")
        .click_modifiers(egui::Modifiers::SHIFT);
    run_settled(&mut harness);
    assert_eq!(main_screen(&harness).graph.chart.selection().len(), 2);
    assert!(harness.query_by_label("2 selected").is_some());

    harness.get_by_label("All shortest paths").click();
    wait_until(&mut harness, "both paths highlighted", |h| {
        main_screen(h).graph.chart.highlighted_path().is_some() && idle(h)
    });
    {
        let chart = &main_screen(&harness).graph.chart;
        for id in [start, left, right, end] {
            assert!(chart.is_highlighted(id), "{id:?}");
        }
        assert!(!chart.is_highlighted(beyond));
        assert_eq!(chart.highlighted_path().unwrap().links.len(), 4);
    }
    assert!(
        harness
            .query_by_label_contains("2 shortest path(s) of 2 link(s) highlighted")
            .is_some()
    );

    harness.get_by_label("Shortest path").click();
    wait_until(&mut harness, "one path highlighted", |h| {
        main_screen(h)
            .graph
            .chart
            .highlighted_path()
            .is_some_and(|p| p.links.len() == 2)
            && idle(h)
    });

    // A third nominal in the selection: the connecting network reaches it too.
    harness
        .get_by_label("Bea BEYOND")
        .click_modifiers(egui::Modifiers::SHIFT);
    run_settled(&mut harness);
    assert!(harness.query_by_label("3 selected").is_some());
    harness.get_by_label("Connecting network").click();
    wait_until(&mut harness, "the connecting network", |h| {
        main_screen(h)
            .graph
            .chart
            .highlighted_path()
            .is_some_and(|p| p.links.len() == 5)
            && idle(h)
    });
    assert!(main_screen(&harness).graph.chart.is_highlighted(beyond));

    // Shift-click again takes a nominal out of the selection.
    harness
        .get_by_label("Bea BEYOND")
        .click_modifiers(egui::Modifiers::SHIFT);
    run_settled(&mut harness);
    assert_eq!(
        main_screen(&harness).graph.chart.selection(),
        vec![start, end]
    );

    // The valid-on slider: in mid-2024 the last link did not yet exist; all dates bring it
    // back; the replay starts from the first link's date.
    harness
        .get_by_label("Valid on date")
        .set_value_accesskit(152.0);
    wait_until(&mut harness, "the network as on 2024-06-01", |h| {
        main_screen(h).graph.graph.edge_count() == 4 && idle(h)
    });
    assert_eq!(
        main_screen(&harness).graph.filter.valid_on,
        Some("2024-06-01".parse().unwrap())
    );
    assert!(harness.query_by_label("As on 2024-06-01").is_some());
    harness.get_by_label("All dates").click();
    wait_until(&mut harness, "every link again", |h| {
        main_screen(h).graph.graph.edge_count() == 5 && idle(h)
    });
    // The replay steps on its own a few times a second: wherever it has got to, the date is
    // one of the chart's, from its first link's on.
    harness.get_by_label("Replay").click();
    wait_until(&mut harness, "the replay under way", |h| {
        main_screen(h).graph.filter.valid_on.is_some_and(|date| {
            date >= "2024-01-01".parse().unwrap() && date <= "2025-06-01".parse().unwrap()
        })
    });
    // (On a very slow machine the replay may have reached the last day and stopped itself.)
    if let Some(stop) = harness.query_by_label("Stop") {
        stop.click();
    }
    run_settled(&mut harness);
    assert!(harness.query_by_label("Replay").is_some());
    let stopped_on = main_screen(&harness).graph.filter.valid_on;
    for _ in 0..60 {
        harness.step();
    }
    assert_eq!(main_screen(&harness).graph.filter.valid_on, stopped_on);
    wait_until(&mut harness, "the chart as on the day it stopped", idle);

    // Grouped by community: each community round its own circle, none on top of another.
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Layout")
        .click();
    run_settled(&mut harness);
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, "Grouped by community")
        .click();
    run_settled(&mut harness);
    let chart = &main_screen(&harness).graph.chart;
    let placed: Vec<[f32; 2]> = [start, left, right, end, beyond]
        .iter()
        .map(|id| chart.position(*id).unwrap())
        .collect();
    for (i, a) in placed.iter().enumerate() {
        for b in &placed[i + 1..] {
            assert!((a[0] - b[0]).hypot(a[1] - b[1]) > 10.0, "{placed:?}");
        }
    }
    assert!(
        chart.pinned.contains(&start),
        "held where the layout put it"
    );

    // Group the two selected; the group's name selects its members; ungroup, undo, redo.
    harness.get_by_label("Group").click();
    run_settled(&mut harness);
    assert_eq!(main_screen(&harness).graph.chart.groups.len(), 1);
    harness.get_by_label("Leon LEFT").click();
    run_settled(&mut harness);
    assert_eq!(main_screen(&harness).graph.chart.selection(), vec![left]);
    harness.get_by_label("Group 1 (2 nominals)").click();
    run_settled(&mut harness);
    assert_eq!(
        main_screen(&harness).graph.chart.selection(),
        vec![start, end]
    );
    harness.get_by_label("Ungroup").click();
    run_settled(&mut harness);
    assert!(main_screen(&harness).graph.chart.groups.is_empty());
    assert!(harness.query_by_label("Group 1 (2 nominals)").is_none());
    harness.get_by_label("Undo").click();
    run_settled(&mut harness);
    assert_eq!(
        main_screen(&harness).graph.chart.groups[0].members,
        vec![start, end]
    );
    harness.get_by_label("Redo").click();
    run_settled(&mut harness);
    assert!(main_screen(&harness).graph.chart.groups.is_empty());

    // Export the chart as SVG: one labelled element per nominal and link, under the marking,
    // recorded as a disclosure.
    harness.get_by_label("Export").click();
    run_settled(&mut harness);
    harness.get_by_label("Chart as SVG").click();
    let svg_path = dir.path().join("diamond.svg");
    wait_until(&mut harness, "the SVG written", |h| {
        svg_path.exists() && idle(h)
    });
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let document = roxmltree::Document::parse(&svg).unwrap();
    let titles = |class: &str| -> Vec<String> {
        document
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|w| w == class))
            })
            .filter_map(|n| {
                n.children()
                    .find(|c| c.has_tag_name("title"))
                    .and_then(|t| t.text())
                    .map(str::to_owned)
            })
            .collect()
    };
    let mut nodes = titles("node");
    nodes.sort();
    assert_eq!(
        nodes,
        [
            "Bea BEYOND",
            "Enzo END",
            "Leon LEFT",
            "Rita RIGHT",
            "Stella START"
        ]
    );
    // The links as on screen (the replay left the chart as on the day it stopped).
    assert_eq!(
        titles("link").len(),
        main_screen(&harness).graph.graph.edge_count()
    );
    assert!(svg.contains("OFFICIAL-SENSITIVE"));
}
