//! The link-analysis commands of the CLI on a small demo: paths, neighbourhoods, measures,
//! communities, the exposure finder (and recording a lead), charts saved around a nominal, and
//! the exports (GraphML, FtM, a chart as SVG, PNG and Analyst's Notebook); JSON shapes, exit
//! codes and the audit entry of each.

use crate::common;

use crate::common::Sandbox;
use serde_json::Value;

const DEMO_USER: &str = "DI Demo";
const DEMO_PASSWORD: &str = "demo pass phrase";
const PURPOSE: &str = "OP-CLI-GRAPH";

fn demo(sandbox: &Sandbox) -> Value {
    let answers = sandbox.path("answers.json");
    sandbox
        .cli()
        .env("CCU_NEW_PASSWORD", DEMO_PASSWORD)
        .args(["demo", "--scale", "small", "--seed", "5", "--answers"])
        .arg(&answers)
        .assert()
        .success();
    serde_json::from_slice(&std::fs::read(&answers).unwrap()).unwrap()
}

fn run(sandbox: &Sandbox, args: &[&str]) -> std::process::Output {
    sandbox
        .cli_as(DEMO_USER, DEMO_PASSWORD)
        .arg("--purpose")
        .arg(PURPOSE)
        .args(args)
        .output()
        .unwrap()
}

fn json(output: &std::process::Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn id(value: &Value) -> String {
    value.as_i64().unwrap().to_string()
}

#[test]
fn graph_commands_answer_in_json_with_workbench_ids() {
    let sandbox = Sandbox::new();
    let answers = demo(&sandbox);
    let planted = answers["exposures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["declared"] == false)
        .unwrap();
    let (employee, member, ocg) = (
        id(&planted["employee"]),
        id(&planted["associate"]),
        id(&planted["ocg"]),
    );

    // Path: the employee reaches the OCG through the member, two links.
    let path = json(&run(
        &sandbox,
        &["graph", "path", &employee, &ocg, "--json"],
    ));
    let nodes = path["nodes"].as_array().unwrap();
    assert_eq!(id(&nodes[0]), employee);
    assert_eq!(id(nodes.last().unwrap()), ocg);
    assert!(nodes.len() <= 3, "{path}");
    assert_eq!(path["links"].as_array().unwrap().len(), nodes.len() - 1);
    let text = run(&sandbox, &["graph", "path", &employee, &ocg]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("link(s):"));

    // Linked: the member is one link away.
    let linked = json(&run(
        &sandbox,
        &["graph", "linked", &employee, "--hops", "1", "--json"],
    ));
    let rows = linked.as_array().unwrap();
    assert_eq!(id(&rows[0]["id"]), employee);
    assert_eq!(rows[0]["hops"], 0);
    assert!(
        rows.iter()
            .any(|r| id(&r["id"]) == member && r["hops"] == 1)
    );

    // Centrality: top N, highest first, normalised to [0, 1].
    for measure in ["degree", "betweenness", "closeness", "eigenvector"] {
        let out = json(&run(
            &sandbox,
            &[
                "graph",
                "centrality",
                "--measure",
                measure,
                "--top",
                "5",
                "--json",
            ],
        ));
        let top = out["top"].as_array().unwrap();
        assert_eq!(top.len(), 5, "{measure}");
        let scores: Vec<f64> = top.iter().map(|r| r["score"].as_f64().unwrap()).collect();
        assert!(
            scores.windows(2).all(|w| w[0] >= w[1]),
            "{measure} {scores:?}"
        );
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{measure}");
        assert!(top.iter().all(|r| r["label"].is_string()));
    }
    let unknown = run(&sandbox, &["graph", "centrality", "--measure", "pagerank"]);
    assert_eq!(unknown.status.code(), Some(7));

    // Communities: a partition of the graph, largest first.
    let communities = json(&run(&sandbox, &["graph", "communities", "--json"]));
    let groups = communities["communities"].as_array().unwrap();
    let sizes: Vec<usize> = groups.iter().map(|g| g.as_array().unwrap().len()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
    let mut all: Vec<i64> = groups
        .iter()
        .flat_map(|g| g.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()))
        .collect();
    let total = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), total, "a nominal is in two communities");
    let modularity = communities["modularity"].as_f64().unwrap();
    assert!(modularity > 0.3 && modularity <= 1.0, "{modularity}");

    // A filter that keeps no friend links cuts the planted route.
    let filtered = json(&run(
        &sandbox,
        &[
            "graph",
            "path",
            &employee,
            &member,
            "--link-type",
            "family_close",
            "--json",
        ],
    ));
    assert!(filtered.is_null());

    // Each question is in the audit log with the purpose.
    let audit = common::audit_json_as(&sandbox, DEMO_USER, DEMO_PASSWORD);
    let queries = audit
        .iter()
        .filter(|e| e["action"] == "graph.query" && e["justification"] == PURPOSE)
        .count();
    assert!(queries >= 8, "{queries}");
}

#[test]
fn the_exposure_finder_lists_and_records_leads_and_graphml_leaves_as_a_disclosure() {
    let sandbox = Sandbox::new();
    let answers = demo(&sandbox);
    let leads = json(&run(&sandbox, &["graph", "exposure", "--json"]));
    let leads = leads.as_array().unwrap();
    for planted in answers["exposures"].as_array().unwrap() {
        let found = leads
            .iter()
            .any(|l| l["employee"] == planted["employee"] && l["target"] == planted["associate"]);
        assert_eq!(found, planted["declared"] == false, "{planted}");
    }
    let text = run(&sandbox, &["graph", "exposure", "--max-hops", "2"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("score"));
    assert_eq!(
        run(&sandbox, &["graph", "exposure", "--max-hops", "9"])
            .status
            .code(),
        Some(1)
    );

    // Recording the first lead makes an item whose subject is the lead's employee.
    let out = run(&sandbox, &["graph", "exposure", "--record", "1"]);
    assert!(!out.status.success(), "a grading is asked for");
    assert!(String::from_utf8_lossy(&out.stderr).contains("suggested: --grading 2C --handling P"));
    let out = run(
        &sandbox,
        &[
            "graph",
            "exposure",
            "--record",
            "1",
            "--grading",
            "3D",
            "--handling",
            "P",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let item = json(&run(&sandbox, &["intel", "show", &reference, "--json"]));
    assert_eq!(item["subjects"][0]["nominal_id"], leads[0]["employee"]);
    assert_eq!(item["category"], "inappropriate_association");
    assert_eq!(item["grading"]["source_evaluation"], "3");
    assert_eq!(item["grading"]["intelligence_assessment"], "D");

    // GraphML: written once, audited with its hash; never over an existing file.
    let out_path = sandbox.path("graph.graphml");
    let out = run(
        &sandbox,
        &["export", "graphml", "--out", out_path.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(text.contains("<graphml"));
    let links = usize::try_from(answers["links"].as_u64().unwrap()).unwrap();
    assert_eq!(text.matches("<edge ").count(), links);
    let again = run(
        &sandbox,
        &["export", "graphml", "--out", out_path.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), text);
    let audit = common::audit_json_as(&sandbox, DEMO_USER, DEMO_PASSWORD);
    assert_eq!(
        audit
            .iter()
            .filter(|e| e["action"] == "graph.export" && e["justification"] == PURPOSE)
            .count(),
        1
    );
    // Without a purpose, nothing leaves.
    let no_purpose = sandbox
        .cli_as(DEMO_USER, DEMO_PASSWORD)
        .args(["export", "graphml", "--out"])
        .arg(sandbox.path("other.graphml"))
        .output()
        .unwrap();
    assert_eq!(no_purpose.status.code(), Some(4));
    assert!(!sandbox.path("other.graphml").exists());
}

#[test]
fn export_ftm_writes_every_nominal_and_link_once_audited_and_another_workbench_imports_it() {
    let sandbox = Sandbox::new();
    let answers = demo(&sandbox);
    let out_path = sandbox.path("share.ftm.jsonl");
    let out = run(
        &sandbox,
        &["export", "ftm", "--out", out_path.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_path).unwrap();
    let links = usize::try_from(answers["links"].as_u64().unwrap()).unwrap();
    assert_eq!(text.matches("\"id\":\"ccu-link-").count(), links);
    assert!(
        text.lines()
            .all(|line| serde_json::from_str::<serde_json::Value>(line).is_ok())
    );
    let again = run(
        &sandbox,
        &["export", "ftm", "--out", out_path.to_str().unwrap()],
    );
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), text);
    let audit = common::audit_json_as(&sandbox, DEMO_USER, DEMO_PASSWORD);
    let exports: Vec<_> = audit
        .iter()
        .filter(|e| e["action"] == "graph.export" && e["justification"] == PURPOSE)
        .collect();
    assert_eq!(exports.len(), 1);
    assert!(
        exports[0]["detail"]
            .as_str()
            .unwrap()
            .contains("\"format\":\"ftm\"")
    );
    let no_purpose = sandbox
        .cli_as(DEMO_USER, DEMO_PASSWORD)
        .args(["export", "ftm", "--out"])
        .arg(sandbox.path("other.jsonl"))
        .output()
        .unwrap();
    assert_eq!(no_purpose.status.code(), Some(4));
    assert!(!sandbox.path("other.jsonl").exists());

    // Another workbench imports the file: a dry run first, which records nothing.
    let receiver = Sandbox::new();
    receiver.create_with_detective();
    let import = |extra: &[&str]| {
        receiver
            .cli_as(common::INSPECTOR, common::INSPECTOR_PASSWORD)
            .args(["--purpose", "OP-CLI-RECEIVE", "import", "ftm"])
            .arg(&out_path)
            .args(extra)
            .output()
            .unwrap()
    };
    let dry = import(&["--dry-run", "--json"]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    let dry: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(dry["dry_run"], true);
    let report = import(&["--json"]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["links_created"].as_u64(), Some(links as u64));
    assert_eq!(
        report["nominals_created"], dry["nominals_created"],
        "the dry run changed nothing"
    );
    assert_eq!(report["entities_rejected"], 0);
    // A spec has no place in an FtM import; a CSV import still needs one.
    let with_spec = import(&["--spec", "rms-audit"]);
    assert_eq!(with_spec.status.code(), Some(1));
    let no_spec = receiver
        .cli_as(common::INSPECTOR, common::INSPECTOR_PASSWORD)
        .args(["--purpose", "OP-CLI-RECEIVE", "import", "calls"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&no_spec.stderr).contains("--spec"));
}

#[test]
fn report_threat_assessment_prints_json_writes_html_and_includes_the_control_strategy() {
    let sandbox = Sandbox::new();
    demo(&sandbox);
    let strategy = sandbox.path("strategy.json");
    std::fs::write(
        &strategy,
        r#"[{"priority": "Inappropriate relations", "intervention": "Robust enforcement",
             "protection": "Monitoring of force systems", "prevention": "Code of Ethics"}]"#,
    )
    .unwrap();
    let set = run(
        &sandbox,
        &[
            "report",
            "control-strategy",
            "--set",
            strategy.to_str().unwrap(),
        ],
    );
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let rows = json(&run(&sandbox, &["report", "control-strategy", "--json"]));
    assert_eq!(rows[0]["priority"], "Inappropriate relations");

    let bad = sandbox.path("bad.json");
    std::fs::write(&bad, r#"[{"priority": "x", "colour": "red"}]"#).unwrap();
    let refused = run(
        &sandbox,
        &["report", "control-strategy", "--set", bad.to_str().unwrap()],
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("line 1"));

    let out = sandbox.path("assessment.html");
    let report = run(
        &sandbox,
        &[
            "report",
            "threat-assessment",
            "--from",
            "2026-05-01",
            "--to",
            "2026-10-31",
            "--edition",
            "restricted",
            "--out",
            out.to_str().unwrap(),
            "--json",
            "--print",
        ],
    );
    let figures = json(&report);
    // The line saying what was written goes to stderr, so the JSON stays one document.
    assert!(
        String::from_utf8_lossy(&report.stderr).contains("Wrote the threat assessment"),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert!(figures["current"]["total"].as_u64().unwrap() > 0);
    // May to October is 184 days; the period before ends on 30 April.
    assert_eq!(figures["previous_from"], "2025-10-29");
    assert_eq!(figures["previous_to"], "2026-04-30");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("Inappropriate relations"));
    assert!(html.contains(&format!("<strong>{}</strong>", figures["current"]["total"])));
    let backwards = run(
        &sandbox,
        &[
            "report",
            "threat-assessment",
            "--from",
            "2026-05-01",
            "--to",
            "2026-01-01",
        ],
    );
    assert!(!backwards.status.success());
}

/// Issue 25, part 2: a report written to a file is reported in exactly one line (what, where,
/// that the disclosure is recorded) that names nobody; the report itself is printed without
/// --out, or with --print beside it; the sanitised edition printed names nobody.
#[test]
fn report_commands_with_out_say_one_line_and_name_nobody() {
    let sandbox = Sandbox::new();
    let answers = demo(&sandbox);
    let period = ["--from", "2026-01-01", "--to", "2026-12-31"];
    let assessment = |extra: &[&str]| {
        let mut args = vec!["report", "threat-assessment"];
        args.extend(period);
        args.extend(extra);
        let output = run(&sandbox, &args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // The people the data names: the restricted edition's exposure leads, and the employee whose
    // profile and package are written below.
    let restricted =
        serde_json::from_str::<Value>(&assessment(&["--edition", "restricted", "--json"])).unwrap();
    let employee = id(&answers["exposures"][0]["employee"]);
    let shown = json(&run(&sandbox, &["nominal", "show", &employee, "--json"]));
    let surname = shown["nominal"]["surname"].as_str().unwrap().to_uppercase();
    let mut names: Vec<String> = vec![surname];
    for lead in restricted["top_exposures"].as_array().unwrap() {
        names.push(lead["employee"].as_str().unwrap().to_owned());
        names.push(lead["target"].as_str().unwrap().to_owned());
    }
    assert!(names.len() > 2, "the demo has exposure leads: {restricted}");
    let names_nobody = |text: &str| {
        for name in &names {
            assert!(!text.contains(name.as_str()), "{name} in {text}");
        }
    };
    let one_line = |text: &str, starts: &str| {
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with(starts), "{text}");
        assert!(text.contains("the disclosure is recorded"), "{text}");
        names_nobody(text);
    };

    // Without --out: the report is printed; the sanitised edition names nobody.
    let printed = assessment(&[]);
    assert!(
        printed.contains("Most pressing exposure leads"),
        "{printed}"
    );
    assert!(printed.contains("A member of staff -> a nominal of concern"));
    names_nobody(&printed);

    // With --out, in either edition and any format: one line.
    for (edition, file) in [
        ("sanitised", "ta.pdf"),
        ("restricted", "ta.html"),
        ("restricted", "ta.csv"),
    ] {
        let out = sandbox.path(file);
        let said = assessment(&["--edition", edition, "--out", out.to_str().unwrap()]);
        one_line(
            &said,
            &format!("Wrote the threat assessment ({edition} edition, "),
        );
        assert!(said.contains(file), "{said}");
        assert!(out.exists());
    }
    // With --out and --print: the report and the line.
    let out = sandbox.path("printed.html");
    let both = assessment(&["--out", out.to_str().unwrap(), "--print"]);
    assert!(both.contains("Most pressing exposure leads"), "{both}");
    assert!(
        both.lines()
            .last()
            .unwrap()
            .starts_with("Wrote the threat assessment (sanitised edition, HTML) to ")
    );
    names_nobody(&both);
    let out = sandbox.path("printed-restricted.html");
    let both = assessment(&[
        "--edition",
        "restricted",
        "--out",
        out.to_str().unwrap(),
        "--print",
    ]);
    assert!(both.contains(names[1].as_str()), "{both}");

    // The other reports written to a file: one line each, naming nobody.
    let said = |args: &[&str]| {
        let output = run(&sandbox, args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let pib = sandbox.path("pib.html");
    one_line(
        &said(&["report", "pib", "--out", pib.to_str().unwrap()]),
        "Wrote the People Intelligence Board pack (HTML) to ",
    );
    let profile = sandbox.path("profile.pdf");
    one_line(
        &said(&[
            "report",
            "subject",
            &employee,
            "--out",
            profile.to_str().unwrap(),
        ]),
        "Wrote the subject profile (PDF) to ",
    );
    let package = sandbox.path("package.html");
    one_line(
        &said(&[
            "report",
            "transferee",
            &employee,
            "--out",
            package.to_str().unwrap(),
            "--recipient",
            "DCI Receiving Unit",
            "--confirm-c-items",
        ]),
        "Wrote the transferee information package (HTML) to ",
    );
    let interventions = json(&run(&sandbox, &["intervention", "list", "--json"]));
    let intervention = id(&interventions[0]["intervention"]["id"]);
    let record = sandbox.path("record.html");
    one_line(
        &said(&[
            "intervention",
            "export",
            &intervention,
            "--out",
            record.to_str().unwrap(),
        ]),
        "Wrote the intervention's authorisation record (HTML) to ",
    );
    // --print belongs with --out.
    let alone = run(
        &sandbox,
        &[
            "report",
            "threat-assessment",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--print",
        ],
    );
    assert_eq!(alone.status.code(), Some(2));
}

/// `graph chart save` lays out a neighbourhood and saves it; `export chart` draws the saved
/// chart as SVG (one named element per nominal and per link, under the marking) and as PNG
/// (at the size asked for), each a recorded disclosure that never overwrites a file; the
/// same chart as an Analyst's Notebook chart keeps its places, labels and icons.
#[test]
#[expect(
    clippy::cast_possible_truncation,
    reason = "chart coordinates are a few thousand units at most"
)]
fn a_chart_saved_around_a_nominal_exports_as_svg_png_and_anx() {
    use ccu_workbench::domain::NominalId;
    use ccu_workbench::graph::{GraphFilter, GraphQuestion};
    use std::collections::{BTreeMap, BTreeSet};
    let sandbox = Sandbox::new();
    let answers = demo(&sandbox);
    let employee = id(&answers["exposures"][0]["employee"]);
    let saved = run(
        &sandbox,
        &[
            "graph",
            "chart",
            "save",
            "Op Picture",
            "--around",
            &employee,
            "--hops",
            "2",
        ],
    );
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let said = String::from_utf8(saved.stdout).unwrap();
    assert!(said.starts_with("saved chart \"Op Picture\": "), "{said}");
    assert_eq!(said.lines().count(), 1, "{said}");

    // The saved chart holds the neighbourhood, spread out by the layout.
    let mut wb =
        ccu_workbench::Workbench::unlock(&sandbox.workbench(), DEMO_USER, DEMO_PASSWORD).unwrap();
    wb.set_purpose(PURPOSE).unwrap();
    let chart = wb.open_chart("Op Picture").unwrap();
    let ccu_workbench::graph::GraphAnswer::Linked { within, .. } = wb
        .graph_query(
            &GraphFilter::default(),
            &GraphQuestion::Linked {
                from: NominalId(employee.parse().unwrap()),
                hops: 2,
                follow_direction: false,
            },
        )
        .unwrap()
    else {
        panic!("a linked question has a linked answer");
    };
    let on_chart: BTreeSet<NominalId> = chart.placements.iter().map(|p| p.id).collect();
    assert_eq!(on_chart, within.iter().map(|(n, _)| *n).collect());
    assert!(on_chart.len() >= 3, "{}", on_chart.len());
    assert_eq!(chart.placements.len(), on_chart.len());
    let places: BTreeSet<(i64, i64)> = chart
        .placements
        .iter()
        .map(|p| {
            assert!(p.x.is_finite() && p.y.is_finite());
            (p.x.round() as i64, p.y.round() as i64)
        })
        .collect();
    assert_eq!(
        places.len(),
        on_chart.len(),
        "every nominal in its own place"
    );
    let graph = wb.link_graph(&chart.filter).unwrap();
    let labels: BTreeMap<String, String> = on_chart
        .iter()
        .map(|n| {
            (
                format!("nominal-{n}"),
                graph.node(*n).unwrap().label.clone(),
            )
        })
        .collect();
    let links: BTreeSet<String> = graph
        .edges()
        .filter(|e| on_chart.contains(&e.from) && on_chart.contains(&e.to))
        .map(|e| format!("link-{}", e.link))
        .collect();
    assert!(
        links.len() >= on_chart.len() - 1,
        "a neighbourhood is connected"
    );
    wb.lock().unwrap();

    let export = |format: &str, extra: &[&str], out: &std::path::Path| {
        let mut args = vec![
            "export",
            "chart",
            "--chart",
            "Op Picture",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        run(&sandbox, &args)
    };

    // SVG: well-formed, one node element per nominal titled with its label, one link element
    // per link among them, the marking at the top and foot.
    let svg_path = sandbox.path("chart.svg");
    let out = export("svg", &[], &svg_path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!(
            "{} nominals, {} links as an SVG picture",
            on_chart.len(),
            links.len()
        )),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = std::fs::read_to_string(&svg_path).unwrap();
    let document = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    assert_eq!(document.root_element().tag_name().name(), "svg");
    let of_class = |class: &str| -> Vec<roxmltree::Node<'_, '_>> {
        document
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|word| word == class))
            })
            .collect()
    };
    let title = |node: &roxmltree::Node<'_, '_>| {
        node.children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or_default()
            .to_owned()
    };
    let nodes = of_class("node");
    assert_eq!(nodes.len(), on_chart.len(), "one element per nominal");
    let drawn: BTreeMap<String, String> = nodes
        .iter()
        .map(|n| (n.attribute("id").unwrap().to_owned(), title(n)))
        .collect();
    assert_eq!(
        drawn, labels,
        "each nominal by its id, titled with its label"
    );
    let link_elements = of_class("link");
    assert_eq!(link_elements.len(), links.len(), "one element per link");
    let drawn_links: BTreeSet<String> = link_elements
        .iter()
        .map(|n| n.attribute("id").unwrap().to_owned())
        .collect();
    assert_eq!(drawn_links, links);
    assert!(link_elements.iter().all(|n| !title(n).is_empty()));
    let markings: Vec<_> = of_class("marking")
        .iter()
        .map(roxmltree::Node::text)
        .collect();
    assert_eq!(
        markings,
        [Some("OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT"); 2]
    );

    // Never over an existing file: refused, the file unchanged, nothing more recorded.
    let again = export("svg", &[], &svg_path);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("the output file already exists"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(std::fs::read_to_string(&svg_path).unwrap(), text);
    let refused = export("svg", &["--scale", "2"], &sandbox.path("scaled.svg"));
    assert!(!refused.status.success());
    assert!(!sandbox.path("scaled.svg").exists());

    // PNG: at the picture size, or finer when asked.
    let (width, height) = ccu_workbench::workbench::CHART_PICTURE_SIZE_PX;
    for (extra, size) in [
        (&[][..], (width, height)),
        (&["--scale", "2"][..], (2 * width, 2 * height)),
    ] {
        let png_path = sandbox.path(&format!("chart-{}.png", size.0));
        let out = export("png", extra, &png_path);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let picture = image::load_from_memory(&std::fs::read(&png_path).unwrap()).unwrap();
        assert_eq!((picture.width(), picture.height()), size);
    }
    let too_fine = export("png", &["--scale", "6"], &sandbox.path("huge.png"));
    assert!(!too_fine.status.success());
    let missing = sandbox.path("none.svg");
    let refused = run(
        &sandbox,
        &[
            "export",
            "chart",
            "--chart",
            "No such chart",
            "--format",
            "svg",
            "--out",
            missing.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(!missing.exists());

    // The same chart for Analyst's Notebook: every nominal where it was placed, with its
    // label and an icon.
    let anx_path = sandbox.path("chart.anx");
    let out = run(
        &sandbox,
        &[
            "export",
            "anx",
            "--chart",
            "Op Picture",
            "--out",
            anx_path.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let anx = std::fs::read_to_string(&anx_path).unwrap();
    let anx = roxmltree::Document::parse(&anx).unwrap();
    let mut entities = 0;
    for entity in anx.descendants().filter(|n| n.has_tag_name("Entity")) {
        let id: i64 = entity.attribute("EntityId").unwrap()[1..].parse().unwrap();
        let placement = chart.placements.iter().find(|p| p.id.0 == id).unwrap();
        let end = entity.parent().unwrap();
        let item = end.parent().unwrap();
        assert_eq!(
            item.attribute("Label"),
            Some(labels[&format!("nominal-{id}")].as_str())
        );
        assert_eq!(
            item.attribute("XPosition").unwrap().parse::<i64>().unwrap(),
            placement.x.round() as i64
        );
        assert_eq!(
            end.attribute("Y").unwrap().parse::<i64>().unwrap(),
            placement.y.round() as i64
        );
        assert!(
            entity
                .descendants()
                .any(|n| n.has_tag_name("IconStyle") && n.attribute("Type").is_some())
        );
        entities += 1;
    }
    assert_eq!(entities, on_chart.len());

    // Each picture and the save are in the audit log, with the purpose.
    let audit = common::audit_json_as(&sandbox, DEMO_USER, DEMO_PASSWORD);
    let exports: Vec<&str> = audit
        .iter()
        .filter(|e| e["action"] == "graph.export" && e["justification"] == PURPOSE)
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    let with_format = |format: &str| {
        exports
            .iter()
            .filter(|d| d.contains(&format!("\"format\":\"{format}\"")))
            .count()
    };
    assert_eq!(
        (with_format("svg"), with_format("png"), with_format("anx")),
        (1, 2, 1)
    );
    assert!(
        audit
            .iter()
            .any(|e| e["action"] == "chart.save" && e["justification"] == PURPOSE)
    );
}

/// Issue 25, part 4: the analyst's text from the command line: shown (the demo's), saved from
/// a JSON file as the next version, refused with the field named when wrong, and carried in
/// the report's JSON with the ranked threats' figures.
#[test]
fn report_assessment_text_shows_saves_versions_and_reaches_the_report() {
    let sandbox = Sandbox::new();
    demo(&sandbox);
    let (from, to) = ("2026-01-01", "2026-06-30");
    // `report assessment-text` for the period, with `extra` arguments.
    let text_command = |extra: &[&str]| {
        let mut args = vec!["report", "assessment-text", "--from", from, "--to", to];
        args.extend_from_slice(extra);
        run(&sandbox, &args)
    };
    let empty = text_command(&[]);
    assert!(
        String::from_utf8_lossy(&empty.stdout).contains("No text has been written"),
        "{}",
        String::from_utf8_lossy(&empty.stdout)
    );
    let file = sandbox.path("text.json");
    std::fs::write(
        &file,
        r#"{"summary": "Synthetic summary for the half year.",
            "key_judgements": ["Synthetic judgement."],
            "threats": [{"category": "disclosure", "assessment": "Synthetic: first."},
                        {"category": "drugs"}],
            "recommendations": ["Synthetic recommendation."]}"#,
    )
    .unwrap();
    let file_arg = file.to_str().unwrap();
    let set = text_command(&["--set", file_arg]);
    assert!(
        String::from_utf8_lossy(&set.stdout).contains("saved as version 1"),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let bad = sandbox.path("bad.json");
    std::fs::write(&bad, r#"{"threats": [{"category": "made_up"}]}"#).unwrap();
    let refused = text_command(&["--set", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("threats[0].category"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    text_command(&["--set", file_arg]);
    let versions = json(&text_command(&["--all", "--json"]));
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["version"], 2);
    assert_eq!(versions[0]["written_by"], DEMO_USER);

    let report = json(&run(
        &sandbox,
        &[
            "report",
            "threat-assessment",
            "--from",
            from,
            "--to",
            to,
            "--json",
        ],
    ));
    assert_eq!(
        report["text"]["text"]["summary"],
        "Synthetic summary for the half year."
    );
    assert_eq!(report["priority_threats"][0]["trend"]["code"], "disclosure");
    assert_eq!(report["priority_threats"][1]["trend"]["code"], "drugs");
    assert_eq!(report["priority_threats"][1]["priority"], 2);
    let printed = run(
        &sandbox,
        &["report", "threat-assessment", "--from", from, "--to", to],
    );
    let printed = String::from_utf8_lossy(&printed.stdout);
    let summary = printed.find("Executive summary").unwrap();
    let judgements = printed.find("Key judgements").unwrap();
    let figures = printed.find("Intelligence by national category").unwrap();
    assert!(summary < judgements && judgements < figures, "{printed}");
    assert!(printed.contains("Synthetic summary for the half year."));
}
