//! Link analysis through the library on demo workbenches: the exposure finder against the
//! demo's planted answers, recording a lead as intelligence with its path as provenance, saved
//! charts, GraphML export as an audited disclosure.

use crate::common::CHEAP;
use ccu_workbench::Workbench;
use ccu_workbench::demo::{DemoAnswers, DemoScale};
use ccu_workbench::graph::{
    ChartPlacement, ExposureOptions, GraphFilter, SavedChart, find_exposures,
};
use ccu_workbench::workbench::{DemoSpec, WorkbenchError};
use std::collections::HashSet;

fn small_demo(dir: &std::path::Path) -> (Workbench, DemoAnswers) {
    let spec = DemoSpec {
        admin_name: "DI Graph",
        password: "demo pass phrase",
        kdf: CHEAP,
        scale: DemoScale::Small,
        seed: 7,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let (mut wb, answers) =
        Workbench::create_demo(&dir.join("graph.ccuwb"), &spec, &mut |_| {}, &cancel).unwrap();
    wb.set_purpose("OP-GRAPH-TEST").unwrap();
    (wb, answers)
}

fn audit_actions(wb: &mut Workbench) -> Vec<(String, String)> {
    wb.audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.justification))
        .collect()
}

#[test]
fn the_exposure_finder_finds_every_planted_case_and_none_a_declaration_explains() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    assert_eq!(answers.exposures.len(), 4);
    let leads = wb.find_exposures(&ExposureOptions::default()).unwrap();
    for planted in &answers.exposures {
        let found = leads
            .iter()
            .any(|l| l.employee == planted.employee && l.target == planted.associate);
        assert_eq!(
            found, !planted.declared,
            "planted {planted:?}: found {found}"
        );
    }
    // No lead passes through (or ends at) one of its employee's declared associates.
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    let declared: HashSet<(i64, i64)> = graph
        .edges()
        .filter(|e| &*e.link_type == "declared_association")
        .flat_map(|e| [(e.from.0, e.to.0), (e.to.0, e.from.0)])
        .collect();
    assert!(!declared.is_empty());
    for lead in &leads {
        assert_eq!(lead.path.nodes[0], lead.employee);
        assert_eq!(*lead.path.nodes.last().unwrap(), lead.target);
        assert_eq!(lead.path.links.len() + 1, lead.path.nodes.len());
        assert!(lead.path.hops() <= 3);
        for node in &lead.path.nodes[1..] {
            assert!(
                !declared.contains(&(lead.employee.0, node.0)),
                "lead {lead:?} passes a declared associate"
            );
        }
        let target = graph.node(lead.target).unwrap();
        let flags = match wb.view_nominal(lead.target).unwrap().nominal.details {
            ccu_workbench::domain::NominalDetails::Person { flags, .. } => flags,
            _ => ccu_workbench::domain::PersonFlags::default(),
        };
        assert!(target.ocg || target.criminal || flags.journalist || flags.private_investigator);
    }
    // Ranked: best first.
    assert!(leads.windows(2).all(|w| w[0].score >= w[1].score));
    // The library result is the pure finder's on the same graph.
    let today = ccu_workbench::domain::IsoDate::today_utc();
    let dated = wb
        .link_graph(&GraphFilter {
            valid_on: Some(today),
            ..GraphFilter::default()
        })
        .unwrap();
    let options = ExposureOptions {
        context: wb.store_for_tests().reader().exposure_context().unwrap(),
        ..ExposureOptions::default()
    };
    assert_eq!(find_exposures(&dated, &options), leads);
    let actions = audit_actions(&mut wb);
    assert!(
        actions
            .iter()
            .any(|(a, j)| a == "graph.exposure" && j == "OP-GRAPH-TEST")
    );
    assert!(
        actions
            .iter()
            .any(|(a, j)| a == "graph.query" && j == "OP-GRAPH-TEST")
    );
    // Out-of-range hop limits are refused.
    for max_hops in [0, 7] {
        let refused = wb.find_exposures(&ExposureOptions {
            max_hops,
            ..ExposureOptions::default()
        });
        assert!(matches!(refused, Err(WorkbenchError::Refused(_))));
    }
}

#[test]
fn a_lead_recorded_as_intelligence_keeps_its_path_as_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let planted = answers.exposures.iter().find(|e| !e.declared).unwrap();
    let lead = wb
        .find_exposures(&ExposureOptions::default())
        .unwrap()
        .into_iter()
        .find(|l| l.employee == planted.employee && l.target == planted.associate)
        .unwrap();
    let item = wb
        .record_exposure(&lead, &ccu_workbench::graph::suggested_exposure_grading())
        .unwrap();
    assert_eq!(item.status, "received");
    assert_eq!(item.fields.category, "inappropriate_association");
    assert_eq!(item.fields.subjects[0].nominal_id, lead.employee);
    assert_eq!(item.fields.subjects[0].role, "subject");
    assert!(
        item.fields
            .subjects
            .iter()
            .any(|s| s.nominal_id == lead.target && s.role == "associate")
    );
    assert!(item.fields.narrative.contains("Exposure finder"));
    let path = wb.item_graph_path(&item.reference).unwrap().unwrap();
    assert_eq!(path, lead.path);

    // A path whose link does not join its nominals is refused and writes nothing.
    let before = wb
        .intel_count(&ccu_workbench::domain::IntelQuery::default())
        .unwrap();
    let mut wrong = lead.clone();
    wrong.path.links[0] = ccu_workbench::domain::LinkId(i64::MAX);
    assert!(matches!(
        wb.record_exposure(&wrong, &ccu_workbench::graph::suggested_exposure_grading()),
        Err(WorkbenchError::Refused(_))
    ));
    assert_eq!(
        wb.intel_count(&ccu_workbench::domain::IntelQuery::default())
            .unwrap(),
        before
    );
}

#[test]
fn charts_are_saved_reopened_replaced_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let planted = &answers.exposures[0];
    let chart = SavedChart {
        name: "Op Lantern network".into(),
        placements: vec![
            ChartPlacement {
                id: planted.employee,
                x: -40.5,
                y: 12.25,
                pinned: true,
            },
            ChartPlacement {
                id: planted.associate,
                x: 80.0,
                y: -3.0,
                pinned: false,
            },
        ],
        hidden: vec![planted.ocg],
        filter: GraphFilter {
            link_types: Some(["friend".to_owned()].into()),
            ..GraphFilter::default()
        },
        highlighted: None,
        groups: vec![],
    };
    wb.save_chart(&chart).unwrap();
    assert_eq!(wb.open_chart("Op Lantern network").unwrap(), chart);
    let mut moved = chart.clone();
    moved.placements[1].x = 5.0;
    wb.save_chart(&moved).unwrap();
    assert_eq!(wb.chart_names().unwrap().len(), 1);
    assert_eq!(wb.open_chart("Op Lantern network").unwrap(), moved);
    assert!(matches!(
        wb.save_chart(&SavedChart::default()),
        Err(WorkbenchError::Refused(_))
    ));
    wb.delete_chart("Op Lantern network").unwrap();
    assert!(wb.open_chart("Op Lantern network").is_err());
    let actions: Vec<String> = audit_actions(&mut wb).into_iter().map(|(a, _)| a).collect();
    for expected in ["chart.save", "chart.open", "chart.delete"] {
        assert!(actions.iter().any(|a| a == expected), "{expected}");
    }
}

#[test]
fn graphml_export_is_an_audited_disclosure_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _) = small_demo(dir.path());
    let out = dir.path().join("graph.graphml");
    let (nodes, links) = wb.export_graphml(&GraphFilter::default(), &out).unwrap();
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    assert_eq!((nodes, links), (graph.node_count(), graph.edge_count()));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("<node id=").count(), nodes);
    assert_eq!(text.matches("<edge id=").count(), links);
    let exported = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .find(|e| e.action == "graph.export")
        .unwrap();
    assert_eq!(exported.justification, "OP-GRAPH-TEST");
    // The record describes exactly the file that left.
    let detail: serde_json::Value = serde_json::from_str(&exported.detail).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(detail["bytes"], bytes.len());
    assert_eq!(
        detail["sha256"],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    let exports = |wb: &mut Workbench| {
        wb.audit_entries(1, 1_000_000)
            .unwrap()
            .iter()
            .filter(|e| e.action == "graph.export")
            .count()
    };
    let recorded = exports(&mut wb);
    let again = wb.export_graphml(&GraphFilter::default(), &out);
    assert!(again.is_err());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    assert_eq!(
        exports(&mut wb),
        recorded,
        "a refused export is not recorded"
    );
}

#[test]
fn a_new_link_or_nominal_shows_in_the_next_graph_loaded() {
    use ccu_workbench::domain::{LinkFields, NominalDetails, Provenance};
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let before = wb.link_graph(&GraphFilter::default()).unwrap();
    let again = wb.link_graph(&GraphFilter::default()).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&before, &again),
        "unchanged data is not reloaded"
    );
    let org = wb
        .create_nominal(
            NominalDetails::Organisation {
                name: "Synthetic Haulage Ltd".into(),
                sector: "transport".into(),
            },
            false,
        )
        .unwrap();
    let reference = answers.planted_terms[0].reference.clone();
    wb.create_link(&LinkFields {
        link_type: "associate".into(),
        from: answers.exposures[0].employee,
        to: org.id,
        valid_from: None,
        valid_to: None,
        confidence: "possible".into(),
        provenance: vec![Provenance::IntelItem { reference }],
    })
    .unwrap();
    let after = wb.link_graph(&GraphFilter::default()).unwrap();
    assert_eq!(after.node_count(), before.node_count() + 1);
    assert_eq!(after.edge_count(), before.edge_count() + 1);
    assert!(
        after
            .edges_of(org.id)
            .any(|e| e.from == answers.exposures[0].employee)
    );
    // A provenance filter counts each link's sources: the new link cites an item.
    let by_items = wb
        .link_graph(&GraphFilter {
            provenance: ccu_workbench::graph::ProvenanceFilter::IntelItems,
            ..GraphFilter::default()
        })
        .unwrap();
    assert!(by_items.edges_of(org.id).any(|e| e.item_sources == Some(1)));
    assert!(
        by_items
            .edges()
            .all(|e| e.item_sources.is_some_and(|n| n > 0))
    );
    assert!(after.edges().all(|e| e.item_sources.is_none()));
}

/// Issue 4's load target: the graph is read on one thread and built on another, batch by batch.
/// Whatever the batching, the graph loaded is the one the store holds: every link, with its
/// ends, type and confidence, and each code shared rather than copied per link.
#[test]
fn a_graph_read_in_batches_on_two_threads_is_the_graph_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _) = small_demo(dir.path());
    // Enough links for several batches.
    {
        let conn = wb.store_for_tests().raw_connection();
        let ids: Vec<i64> = conn
            .prepare("SELECT id FROM nominals WHERE merged_into IS NULL ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        conn.execute_batch("BEGIN").unwrap();
        let mut insert = conn
            .prepare(
                "INSERT INTO links (link_type, from_id, to_id, directed, confidence,
                    reference_version, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5,
                    (SELECT max(version) FROM reference_versions), '2026-11-22T00:00:00Z', 1)",
            )
            .unwrap();
        for i in 0..40_000_usize {
            let from = ids[i % ids.len()];
            let to = ids[(i * 7 + 1) % ids.len()];
            if from == to {
                continue;
            }
            let link_type = ["associate", "uses_phone", "family"][i % 3];
            let confidence = ["probable", "confirmed"][i % 2];
            insert
                .execute(rusqlite::params![
                    link_type,
                    from,
                    to,
                    i64::from(i % 2 == 1),
                    confidence
                ])
                .unwrap();
        }
        drop(insert);
        conn.execute_batch("COMMIT").unwrap();
    }
    let expected = {
        let reader = wb.store_for_tests().reader();
        let mut edges = reader.graph_edges(false).unwrap();
        edges.sort_by_key(|e| e.link);
        (reader.graph_nodes().unwrap().len(), edges)
    };
    assert!(expected.1.len() > 40_000);

    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    assert_eq!(graph.node_count(), expected.0);
    let mut loaded: Vec<_> = graph.edges().cloned().collect();
    loaded.sort_by_key(|e| e.link);
    assert_eq!(loaded, expected.1);
    // One string per code, shared by every link that has it.
    let associates: Vec<_> = graph
        .edges()
        .filter(|e| &*e.link_type == "associate")
        .collect();
    assert!(associates.len() > 10_000);
    assert!(
        associates
            .windows(2)
            .all(|pair| std::sync::Arc::ptr_eq(&pair[0].link_type, &pair[1].link_type))
    );
}

/// The .anx export parsed as XML: the exchange structure ANB reads (a `Chart` declaring its
/// attribute classes, link and entity types, then one chart item per nominal and link), every
/// link between declared entities, and every attribute and type declared before use.
#[test]
fn anx_export_is_well_formed_chart_xml_with_every_nominal_and_link() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _) = small_demo(dir.path());
    let out = dir.path().join("chart.anx");
    let (nodes, links) = wb.export_anx(&GraphFilter::default(), &out).unwrap();
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    assert_eq!((nodes, links), (graph.node_count(), graph.edge_count()));

    let text = std::fs::read_to_string(&out).unwrap();
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let chart = document.root_element();
    assert_eq!(chart.tag_name().name(), "Chart");
    let sections: Vec<&str> = chart
        .children()
        .filter(roxmltree::Node::is_element)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(
        sections,
        [
            "AttributeClassCollection",
            "LinkTypeCollection",
            "EntityTypeCollection",
            "ChartItemCollection"
        ]
    );
    let declared = |collection: &str, element: &str| -> HashSet<String> {
        document
            .descendants()
            .filter(|n| {
                n.has_tag_name(element) && n.parent().is_some_and(|p| p.has_tag_name(collection))
            })
            .map(|n| n.attribute("Name").unwrap().to_owned())
            .collect()
    };
    let attribute_classes = declared("AttributeClassCollection", "AttributeClass");
    let link_types = declared("LinkTypeCollection", "LinkType");
    let entity_types = declared("EntityTypeCollection", "EntityType");

    let entity_ids: HashSet<&str> = document
        .descendants()
        .filter(|n| n.has_tag_name("Entity"))
        .map(|n| n.attribute("EntityId").unwrap())
        .collect();
    assert_eq!(
        entity_ids.len(),
        nodes,
        "one entity per nominal, ids unique"
    );
    let link_items: Vec<roxmltree::Node<'_, '_>> = document
        .descendants()
        .filter(|n| n.has_tag_name("Link"))
        .collect();
    assert_eq!(link_items.len(), links);
    for link in &link_items {
        for end in ["End1Id", "End2Id"] {
            assert!(
                entity_ids.contains(link.attribute(end).unwrap()),
                "{end} names an entity"
            );
        }
        let style = link
            .children()
            .find(|n| n.has_tag_name("LinkStyle"))
            .unwrap();
        assert!(link_types.contains(style.attribute("Type").unwrap()));
    }
    for style in document
        .descendants()
        .filter(|n| n.has_tag_name("IconStyle"))
    {
        assert!(entity_types.contains(style.attribute("Type").unwrap()));
    }
    for attribute in document
        .descendants()
        .filter(|n| n.has_tag_name("Attribute"))
    {
        assert!(attribute_classes.contains(attribute.attribute("AttributeClass").unwrap()));
    }
    let items = document
        .descendants()
        .filter(|n| n.has_tag_name("ChartItem"))
        .count();
    assert_eq!(items, nodes + links);

    let recorded = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "graph.export")
        .unwrap();
    assert!(recorded.detail.contains("\"format\":\"anx\""));
    assert_eq!(recorded.justification, "OP-GRAPH-TEST");
    assert!(
        wb.export_anx(&GraphFilter::default(), &out).is_err(),
        "never overwritten"
    );
}

/// A saved chart exported for Analyst's Notebook keeps the analyst's layout: only the nominals
/// on the chart (not those hidden), each where it was placed, and the links between them.
#[test]
fn a_saved_chart_is_exported_to_anx_where_the_analyst_placed_each_nominal() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let planted = &answers.exposures[0];
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    let neighbour = graph
        .edges_of(planted.employee)
        .map(|e| {
            if e.from == planted.employee {
                e.to
            } else {
                e.from
            }
        })
        .find(|&n| n != planted.associate)
        .unwrap();
    let placed = [
        (planted.employee, -40.4_f32, 12.6_f32),
        (planted.associate, 300.0, -75.0),
        (neighbour, 120.0, 240.0),
    ];
    let chart = SavedChart {
        name: "Op Lantern for ANB".into(),
        placements: placed
            .iter()
            .chain([(planted.ocg, 0.0, 0.0)].iter())
            .map(|&(id, x, y)| ChartPlacement {
                id,
                x,
                y,
                pinned: false,
            })
            .collect(),
        hidden: vec![planted.ocg],
        filter: GraphFilter::default(),
        highlighted: None,
        groups: vec![],
    };
    wb.save_chart(&chart).unwrap();
    let out = dir.path().join("lantern.anx");
    let (nodes, links) = wb.export_chart_anx(&chart.name, &out).unwrap();

    let on_chart: HashSet<_> = placed.iter().map(|(id, _, _)| *id).collect();
    let expected_links = graph
        .edges()
        .filter(|e| on_chart.contains(&e.from) && on_chart.contains(&e.to))
        .count();
    assert_eq!((nodes, links), (3, expected_links));
    assert!(expected_links >= 2, "the employee's links to both are kept");

    let text = std::fs::read_to_string(&out).unwrap();
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let mut found: Vec<(String, i64, i64)> = document
        .descendants()
        .filter(|n| n.has_tag_name("Entity"))
        .map(|entity| {
            let end = entity.parent().unwrap();
            let item = end.parent().unwrap();
            (
                entity.attribute("EntityId").unwrap().to_owned(),
                item.attribute("XPosition").unwrap().parse().unwrap(),
                end.attribute("Y").unwrap().parse().unwrap(),
            )
        })
        .collect();
    found.sort();
    let mut expected: Vec<(String, i64, i64)> = [
        (planted.employee, -40, 13),
        (planted.associate, 300, -75),
        (neighbour, 120, 240),
    ]
    .iter()
    .map(|(id, x, y)| (format!("n{id}"), *x, *y))
    .collect();
    expected.sort();
    assert_eq!(found, expected, "every placed nominal, where it was placed");
    assert!(
        !text.contains(&format!("\"n{}\"", planted.ocg)),
        "hidden stays out"
    );
    let link_count = document
        .descendants()
        .filter(|n| n.has_tag_name("Link"))
        .count();
    assert_eq!(link_count, expected_links);
    assert!(matches!(
        wb.export_chart_anx("No such chart", &dir.path().join("none.anx")),
        Err(WorkbenchError::Refused(_))
    ));
    assert!(!dir.path().join("none.anx").exists());
}

#[test]
fn exposure_leads_come_with_the_names_of_everyone_on_their_routes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, _) = small_demo(dir.path());
    let searches = |wb: &mut Workbench| {
        audit_actions(wb)
            .iter()
            .filter(|(a, _)| a == "graph.exposure")
            .count()
    };
    let before = searches(&mut wb);
    let findings = wb
        .find_exposures_named(&ExposureOptions::default())
        .unwrap();
    assert_eq!(searches(&mut wb), before + 1, "one recorded search");
    assert!(!findings.leads.is_empty());
    assert_eq!(
        findings.leads,
        wb.find_exposures(&ExposureOptions::default()).unwrap()
    );

    let mut on_routes: Vec<_> = findings
        .leads
        .iter()
        .flat_map(|l| l.path.nodes.iter().copied())
        .collect();
    on_routes.sort_unstable();
    on_routes.dedup();
    let mut expected = wb.nominal_names(&on_routes).unwrap();
    expected.sort();
    assert_eq!(findings.names, expected);
    let named: HashSet<_> = findings.names.iter().map(|(id, _)| *id).collect();
    for lead in &findings.leads {
        for id in [lead.employee, lead.target, lead.path.nodes[1]] {
            assert!(named.contains(&id), "lead {lead:?} lacks the name of {id}");
        }
    }
    assert!(matches!(
        wb.find_exposures_named(&ExposureOptions {
            max_hops: 0,
            ..ExposureOptions::default()
        }),
        Err(WorkbenchError::Refused(_))
    ));
}

/// A chart picture shows the chart's nominals (not those hidden) and the links among them, at
/// the export size, and leaves as a recorded disclosure.
#[test]
fn a_chart_picture_is_drawn_by_the_library_and_recorded_as_a_disclosure() {
    use ccu_workbench::workbench::CHART_PICTURE_SIZE_PX;
    let dir = tempfile::tempdir().unwrap();
    let (mut wb, answers) = small_demo(dir.path());
    let planted = &answers.exposures[0];
    let graph = wb.link_graph(&GraphFilter::default()).unwrap();
    let placed = [
        (planted.employee, -40.0_f32, 10.0_f32),
        (planted.associate, 300.0, -75.0),
        (planted.ocg, 0.0, 0.0),
    ];
    let chart = SavedChart {
        name: "Op Lantern picture".into(),
        placements: placed
            .iter()
            .map(|&(id, x, y)| ChartPlacement {
                id,
                x,
                y,
                pinned: false,
            })
            .collect(),
        hidden: vec![planted.ocg],
        filter: GraphFilter::default(),
        highlighted: None,
        groups: vec![],
    };
    let out = dir.path().join("lantern.png");
    let (nodes, links) = wb
        .export_drawn_chart(
            &chart,
            ccu_workbench::workbench::ChartFormat::Png { scale: 1 },
            &out,
        )
        .unwrap();

    let shown = [planted.employee, planted.associate];
    let expected_links = graph
        .edges()
        .filter(|e| shown.contains(&e.from) && shown.contains(&e.to))
        .count();
    assert_eq!((nodes, links), (shown.len(), expected_links));
    let bytes = std::fs::read(&out).unwrap();
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), CHART_PICTURE_SIZE_PX);

    let entries = wb.audit_entries(1, 1_000_000).unwrap();
    let recorded = entries
        .iter()
        .rfind(|e| e.action == "graph.export")
        .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&recorded.detail).unwrap();
    assert_eq!(detail["format"], "png");
    assert_eq!(detail["bytes"], bytes.len());
    assert_eq!(recorded.justification, "OP-GRAPH-TEST");
    assert!(
        entries.iter().any(|e| e.action == "graph.query"),
        "gathering the chart is a recorded question"
    );
    assert!(
        wb.export_drawn_chart(
            &chart,
            ccu_workbench::workbench::ChartFormat::Png { scale: 1 },
            &out
        )
        .is_err(),
        "never overwritten"
    );
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
}

/// Issue 20, correction 11. Seed 000's control strategy names disclosure to the media and to
/// private investigators beside organised crime: journalists and private investigators are
/// exposure targets, each with its own reason. A declared association explains a route only
/// while the associate is as declared: one who became an OCG member, or gained a criminal link,
/// after the declaration brings the route back, saying so. Innocent look-alikes (a declared
/// journalist, an associate whose criminal link predates the declaration) stay quiet.
#[test]
fn the_exposure_finder_looks_where_the_control_strategy_says() {
    use crate::common::{INSPECTOR, INSPECTOR_PASSWORD, employee, item_fields, person_born};
    use ccu_workbench::domain::{
        LinkFields, NaDraft, NaOrigin, NominalDetails, NominalId, PersonFlags, Provenance,
    };
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbench::create(
        &dir.path().join("control.ccuwb"),
        INSPECTOR,
        INSPECTOR_PASSWORD,
        CHEAP,
    )
    .unwrap();
    wb.set_purpose("OP-CONTROL-STRATEGY").unwrap();
    let mut staff = |n: usize| {
        wb.create_nominal(
            employee(&format!("CS10{n}"), "Staff", &format!("Member{n}")),
            true,
        )
        .unwrap()
        .id
    };
    let staff: Vec<NominalId> = (1..=6).map(&mut staff).collect();
    let mut person = |name: &str, flags: PersonFlags| {
        wb.create_nominal(person_born("Synthetic", name, "1980-01-01", flags), true)
            .unwrap()
            .id
    };
    let journalist = PersonFlags {
        journalist: true,
        ..PersonFlags::default()
    };
    let investigator = PersonFlags {
        private_investigator: true,
        ..PersonFlags::default()
    };
    let criminal = PersonFlags {
        criminal: true,
        ..PersonFlags::default()
    };
    let press = person("Pressman", journalist);
    let sleuth = person("Sleuth", investigator);
    let turned = person("Turned", PersonFlags::default());
    let linked = person("Linked", PersonFlags::default());
    let villain = person("Villain", criminal);
    let declared_press = person("Declaredpress", journalist);
    let old_friend = person("Oldfriend", PersonFlags::default());
    let old_villain = person("Oldvillain", criminal);
    let source = wb
        .create_item(
            &item_fields(staff[0], "Links for the control strategy test."),
            None,
        )
        .unwrap()
        .reference;
    let mut link = |from: NominalId, to: NominalId, link_type: &str, valid_from: Option<&str>| {
        wb.create_link(&LinkFields {
            link_type: link_type.into(),
            from,
            to,
            valid_from: valid_from.map(|d| d.parse().unwrap()),
            valid_to: None,
            confidence: "confirmed".into(),
            provenance: vec![Provenance::IntelItem {
                reference: source.clone(),
            }],
        })
        .unwrap();
    };
    link(staff[0], press, "friend", None);
    link(staff[1], sleuth, "associate", None);
    link(staff[3], linked, "friend", None);
    link(linked, villain, "criminal_associate", Some("2025-06-10"));
    link(staff[5], old_friend, "friend", None);
    link(
        old_friend,
        old_villain,
        "criminal_associate",
        Some("2023-01-01"),
    );
    link(staff[2], turned, "friend", None);
    for (employee, associate, category) in [
        (staff[2], turned, "other"),
        (staff[3], linked, "other"),
        (staff[4], declared_press, "journalist"),
        (staff[5], old_friend, "other"),
    ] {
        wb.register_notifiable_association(&NaDraft {
            employee,
            associate,
            category: category.into(),
            origin: NaOrigin::Declared,
            declared_on: "2024-03-01".parse().unwrap(),
            conditions: String::new(),
            assessment: None,
            review_due_on: None,
            relationship: None,
        })
        .unwrap();
    }
    // Declared as an ordinary friend; later flagged an OCG member.
    let NominalDetails::Person {
        forenames,
        surname,
        aliases,
        date_of_birth,
        ..
    } = wb.view_nominal(turned).unwrap().nominal.details
    else {
        panic!("a person");
    };
    wb.update_nominal(
        turned,
        NominalDetails::Person {
            forenames,
            surname,
            aliases,
            date_of_birth,
            flags: PersonFlags {
                ocg_member: true,
                ..PersonFlags::default()
            },
        },
    )
    .unwrap();
    let today = wb.today();

    let leads = wb.find_exposures(&ExposureOptions::default()).unwrap();
    let found: Vec<(NominalId, NominalId)> = leads.iter().map(|l| (l.employee, l.target)).collect();
    let mut expected = vec![
        (staff[0], press),
        (staff[1], sleuth),
        (staff[2], turned),
        (staff[3], villain),
    ];
    expected.sort();
    let mut sorted = found.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "{leads:#?}");
    let reasons = |employee: NominalId| {
        leads
            .iter()
            .find(|l| l.employee == employee)
            .unwrap()
            .reasons
            .clone()
    };
    assert!(
        reasons(staff[0])
            .contains(&"The target is a journalist: disclosure to the media.".to_owned())
    );
    assert!(reasons(staff[1]).contains(
        &"The target is a private investigator: disclosure to private investigators.".to_owned()
    ));
    assert!(
        reasons(staff[2]).contains(&format!(
            "declared 2024-03-01; became an OCG member {today}"
        )),
        "{:?}",
        reasons(staff[2])
    );
    assert!(
        reasons(staff[3])
            .contains(&"declared 2024-03-01; a new criminal link from 2025-06-10".to_owned()),
        "{:?}",
        reasons(staff[3])
    );
    assert!(reasons(staff[3])[0].contains("through a declared association that changed"));
    assert!(reasons(staff[0])[0].contains("none of them through a declared association"));
}

/// Issue 23: what a chart marks beyond the graph (flags, police staff, live notifiable
/// associations) is read from the store as one consultation that names no one.
#[test]
fn the_chart_context_marks_flags_staff_and_live_associations_and_is_recorded_by_counts() {
    use ccu_workbench::domain::{IsoDate, NaDraft, NaOrigin, NominalDetails, PersonFlags};
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbench::create(
        &dir.path().join("c.ccuwb"),
        "DI Context",
        "context pass one",
        CHEAP,
    )
    .unwrap();
    wb.set_purpose("OP-CONTEXT").unwrap();
    let officer = wb
        .create_nominal(crate::common::employee("S1001", "Robin", "Officer"), false)
        .unwrap()
        .id;
    let mut staff_details = crate::common::employee("S1002", "Sam", "Staff");
    if let NominalDetails::Employee { employee_type, .. } = &mut staff_details {
        *employee_type = "staff".into();
    }
    let staff = wb.create_nominal(staff_details, false).unwrap().id;
    let journalist = wb
        .create_nominal(
            crate::common::person_born(
                "Jo",
                "Pressman",
                "1980-01-01",
                PersonFlags {
                    journalist: true,
                    ..PersonFlags::default()
                },
            ),
            false,
        )
        .unwrap()
        .id;
    let bystander = wb
        .create_nominal(
            crate::common::person_born("Bo", "Stander", "1981-02-02", PersonFlags::default()),
            false,
        )
        .unwrap()
        .id;
    wb.register_notifiable_association(&NaDraft {
        employee: officer,
        associate: journalist,
        category: "family".into(),
        origin: NaOrigin::Declared,
        declared_on: "2025-04-01".parse().unwrap(),
        conditions: String::new(),
        assessment: None,
        review_due_on: None,
        relationship: None,
    })
    .unwrap();

    let context = wb.chart_context(IsoDate::today_utc()).unwrap();
    assert_eq!(context.police_staff, HashSet::from([staff]));
    assert!(context.flags[&journalist].journalist);
    assert!(!context.flags.contains_key(&bystander));
    assert_eq!(
        context.live_associations,
        HashSet::from([officer, journalist])
    );
    let entry = wb
        .audit_entries(1, 1_000_000)
        .unwrap()
        .into_iter()
        .rfind(|e| e.object == "chart:context")
        .unwrap();
    assert_eq!(entry.action, "graph.query");
    assert_eq!(entry.justification, "OP-CONTEXT");
    // Counts, never who.
    let detail: serde_json::Value = serde_json::from_str(&entry.detail).unwrap();
    assert_eq!(
        detail,
        serde_json::json!({ "flagged": 1, "beacon": 0, "live_associations": 2 })
    );
}
