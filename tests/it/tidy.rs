//! Tidy: the architecture rules of ARCHITECTURE.md that a reader of the source can check, checked
//! on every `cargo test` (as rust-analyzer's `xtask/src/tidy.rs`), so a change that breaks one
//! fails here, naming the file and line, instead of waiting for a reviewer to notice.
//!
//! 1. `rusqlite` and SQL only in `src/store` ("only `store` knows SQL").
//! 2. No `egui` or `eframe` in `src/domain`, `src/graph`, `src/risk` or `src/crypto`.
//! 3. No `std::fs` in `src/ui` (the UI reaches files through the session thread and the library).
//! 4. Every module ARCHITECTURE.md names still exists.
//! 5. Every public `Workbench` method is in the access matrix (`tests/it/access_matrix.rs`), or
//!    in [`NEEDS_NO_ACCESS_CHECK`] with the reason it needs no permission.
//! 6. The modules of `src/ui` import each other without a cycle (the session protocol depends on
//!    no panel; panels share widgets through `widgets`).
//!
//! Each check is a function of a file's path and text (or of a small in-memory [`Tree`]), so the
//! tests at the end show each one failing on a planted violation without touching the real tree.
//! A `#[cfg(test)] mod tests` block at the end of a file is test code and is not checked by rules
//! 1 to 3; comment lines are never checked by them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Public `Workbench` methods that are not rows of the access matrix, each with the reason it
/// needs no permission check of its own.
const NEEDS_NO_ACCESS_CHECK: &[(&str, &str)] = &[
    (
        "create",
        "makes a new workbench whose creator is its first inspector",
    ),
    (
        "create_demo",
        "makes a new synthetic demo workbench, as `create`",
    ),
    (
        "unlock",
        "opens a session: the password is the check, and every later call is checked",
    ),
    (
        "unlock_on_machine",
        "opens a session as `unlock` does, naming where this machine notes the last audit head",
    ),
    (
        "unlock_warnings",
        "accessor: what the session's own unlock found, already recorded in the audit log",
    ),
    ("lock", "ends one's own session; any signed-in user may"),
    (
        "idle_lock_policy",
        "accessor: the unit's longest idle time, which every session applies to itself",
    ),
    ("root", "accessor: the workbench folder the user opened"),
    ("user", "accessor: the signed-in user themselves"),
    ("role", "accessor: the signed-in user's own role"),
    ("purpose", "accessor: the purpose the user set themselves"),
    (
        "today",
        "accessor: today by the session's clock, what every operation dates by",
    ),
    (
        "set_clock",
        "exists only with the `test-hooks` feature, so tests can fix today",
    ),
    (
        "require",
        "is the permission check itself, which every operation calls",
    ),
    (
        "set_purpose",
        "every role states a purpose before consulting; it is audited, not permitted",
    ),
    (
        "user_names",
        "colleagues' names to show owners and authors, not personal data from the records",
    ),
    (
        "audit_head",
        "the chain head's sequence number and hash for the status bar: no content",
    ),
    (
        "interventions_awaiting_my_decision",
        "a count for the login notice: 0 for a role without `DecideIntervention`, checked inline",
    ),
    (
        "instruments",
        "the risk instruments' names and versions: the force's tools, not personal data",
    ),
    (
        "instrument",
        "a risk instrument's definition: the force's tool, not personal data",
    ),
    (
        "reference_data",
        "the current code lists every form validates against: no personal data",
    ),
    (
        "reference_version",
        "an earlier version of the code lists: no personal data",
    ),
    (
        "reference_versions",
        "the code lists' version history: no personal data",
    ),
    ("label", "a code's label from the reference data"),
    (
        "next_statuses",
        "the item statuses the reference data allows next",
    ),
    (
        "category_codes",
        "the item categories of the reference data",
    ),
    (
        "store_for_tests",
        "exists only with the `test-hooks` feature, for tamper tests",
    ),
    (
        "store_for_tests_mut",
        "exists only with the `test-hooks` feature, for tamper tests",
    ),
    (
        "master_key_for_tests",
        "exists only with the `test-hooks` feature, for key tests",
    ),
    (
        "actor_for_tests",
        "exists only with the `test-hooks` feature, for store tests",
    ),
];

/// The backticked paths of ARCHITECTURE.md that must exist, by how they start. `tests/` joins
/// them once ARCHITECTURE.md names the integration tests by their place in `tests/it/`.
const CHECKED_PATHS: &[&str] = &["src/", "tests/"];

/// The layers that are plain Rust: no GUI toolkit.
const PURE_LAYERS: &[&str] = &["src/domain", "src/graph", "src/risk", "src/crypto"];

/// Whether `path` is the module `module` (`src/x`): its root file `src/x.rs` or a file under
/// `src/x/`.
fn in_module(path: &str, module: &str) -> bool {
    path == format!("{module}.rs") || path.starts_with(&format!("{module}/"))
}

/// The identifiers and words of `line`.
fn words(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
}

/// The checked lines of a Rust file, numbered from 1: not comment lines, and nothing from a
/// `#[cfg(test)]` module on.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines[index + 1..]
                .iter()
                .find(|next| !next.trim().is_empty())
                .is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        code.push((index + 1, *line));
    }
    code
}

/// SQL a line holds: a statement's opening words, upper case as the store writes them.
fn sql_in(line: &str) -> Option<&'static str> {
    const OPENINGS: &[&str] = &[
        "SELECT ",
        "INSERT INTO ",
        "INSERT OR ",
        "DELETE FROM ",
        "CREATE TABLE",
        "CREATE INDEX",
        "CREATE UNIQUE INDEX",
        "CREATE VIRTUAL TABLE",
        "CREATE TRIGGER",
        "DROP TABLE",
        "ALTER TABLE",
        "PRAGMA ",
    ];
    if let Some(opening) = OPENINGS.iter().find(|opening| line.contains(*opening)) {
        return Some(opening);
    }
    // `UPDATE table SET`
    let mut rest = line;
    while let Some(at) = rest.find("UPDATE ") {
        rest = &rest[at + "UPDATE ".len()..];
        let table_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if table_end > 0 && rest[table_end..].starts_with(" SET") {
            return Some("UPDATE … SET");
        }
    }
    None
}

/// Rule 1: `rusqlite` and SQL appear only in `src/store`.
fn sql_outside_store(path: &str, text: &str) -> Vec<String> {
    if !path.starts_with("src/") || in_module(path, "src/store") {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for (number, line) in code_lines(text) {
        if words(line).any(|word| word == "rusqlite") {
            problems.push(format!(
                "{path}:{number}: `rusqlite` outside src/store (only the store knows SQL)"
            ));
        }
        if let Some(sql) = sql_in(line) {
            problems.push(format!(
                "{path}:{number}: SQL (`{sql}`) outside src/store (only the store knows SQL)"
            ));
        }
    }
    problems
}

/// Rule 2: the pure layers name neither egui nor eframe.
fn gui_in_pure_layer(path: &str, text: &str) -> Vec<String> {
    let Some(layer) = PURE_LAYERS.iter().find(|layer| in_module(path, layer)) else {
        return Vec::new();
    };
    code_lines(text)
        .into_iter()
        .filter(|(_, line)| {
            words(line).any(|word| word == "eframe" || word == "egui" || word.starts_with("egui_"))
        })
        .map(|(number, _)| {
            format!("{path}:{number}: egui/eframe in {layer}, a layer that is plain Rust")
        })
        .collect()
}

/// Rule 3: the UI does not touch the file system itself; `allowed` names files tolerated.
fn fs_in_ui(path: &str, text: &str, allowed: &[&str]) -> Vec<String> {
    if !in_module(path, "src/ui") {
        return Vec::new();
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if allowed.contains(&name) {
        return Vec::new();
    }
    code_lines(text)
        .into_iter()
        .filter(|(_, line)| {
            line.contains("std::fs")
                || line.match_indices("fs::").any(|(at, _)| {
                    !line[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                })
        })
        .map(|(number, _)| {
            format!("{path}:{number}: std::fs in src/ui (files go through the library)")
        })
        .collect()
}

/// The modules of `src/ui` (`src/ui/x.rs` and everything under `src/ui/x/`) that the file at
/// `path` names: `super::x` from a file of `src/ui`, `super::super::x` from a file one level
/// down, `crate::ui::x` from anywhere, each alone or in a `{…}` group.
fn ui_imports(path: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let depth = path.trim_start_matches("src/ui/").matches('/').count();
    let parent = "super::".repeat(depth + 1);
    let mut named = BTreeSet::new();
    for (_, line) in code_lines(text) {
        for prefix in [parent.as_str(), "crate::ui::"] {
            for (at, _) in line.match_indices(prefix) {
                // `super::super::x` also holds `super::x`: only a whole prefix counts.
                if prefix.starts_with("super::") && line[..at].ends_with("super::") {
                    continue;
                }
                let rest = &line[at + prefix.len()..];
                let group = rest
                    .strip_prefix('{')
                    .map(|inner| &inner[..inner.find('}').unwrap_or(inner.len())]);
                for word in group.map_or_else(
                    || words(rest).take(1).collect::<Vec<_>>(),
                    |g| g.split(',').filter_map(|item| words(item).next()).collect(),
                ) {
                    if modules.contains(word) {
                        named.insert(word.to_owned());
                    }
                }
            }
        }
    }
    named
}

/// Depth-first search from `module`; a module met again on the stack closes a cycle.
fn visit(
    module: &str,
    edges: &BTreeMap<String, BTreeSet<String>>,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
    cycles: &mut Vec<String>,
) {
    if let Some(at) = stack.iter().position(|m| m == module) {
        cycles.push(format!(
            "src/ui import cycle: {} -> {module}",
            stack[at..].join(" -> ")
        ));
        return;
    }
    if done.contains(module) {
        return;
    }
    stack.push(module.to_owned());
    for next in edges.get(module).into_iter().flatten() {
        visit(next, edges, stack, done, cycles);
    }
    stack.pop();
    done.insert(module.to_owned());
}

/// Rule 6: a cycle of imports among the modules of `src/ui`, as the modules on it.
fn ui_import_cycles(sources: &BTreeMap<String, String>) -> Vec<String> {
    let module_of = |path: &str| {
        let rest = path.strip_prefix("src/ui/")?;
        let first = rest.split('/').next()?;
        Some(first.trim_end_matches(".rs").to_owned())
    };
    let modules: BTreeSet<String> = sources.keys().filter_map(|p| module_of(p)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (path, text) in sources {
        let Some(module) = module_of(path) else {
            continue;
        };
        let mut named = ui_imports(path, text, &modules);
        named.remove(&module);
        edges.entry(module).or_default().extend(named);
    }
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for module in edges.keys() {
        visit(module, &edges, &mut Vec::new(), &mut done, &mut cycles);
    }
    cycles
}

/// A source tree in memory: the text of every `.rs` file under `src/`, and the path of every
/// other file ARCHITECTURE.md may name.
#[derive(Default)]
struct Tree {
    /// Path relative to the crate root, with `/`, to text.
    sources: BTreeMap<String, String>,
    /// Paths of the other files (tests, benches, docs, assets…).
    others: BTreeSet<String>,
}

impl Tree {
    /// The crate this test is built from.
    fn real() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut tree = Tree::default();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if relative.starts_with('.') || relative.split('/').any(|part| part == "target") {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                } else if relative.starts_with("src/")
                    && path.extension().is_some_and(|ext| ext == "rs")
                {
                    tree.sources
                        .insert(relative, std::fs::read_to_string(&path).unwrap());
                } else {
                    tree.others.insert(relative);
                }
            }
        }
        tree
    }

    /// Whether `path` is a file of the tree or a folder holding one; a module `src/x` may be
    /// the file `src/x.rs`.
    fn exists(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        let folder = format!("{path}/");
        let module_file = format!("{path}.rs");
        self.sources
            .keys()
            .chain(&self.others)
            .any(|file| file == path || *file == module_file || file.starts_with(&folder))
    }

    /// Whether `src/…/name.rs` or a folder `src/…/name/` exists under `module` (`src/x`).
    fn has_module_named(&self, module: &str, name: &str) -> bool {
        let file = format!("/{name}.rs");
        let folder = format!("/{name}/");
        self.sources.keys().any(|path| {
            in_module(path, module) && (path.ends_with(&file) || path.contains(&folder))
        })
    }

    /// Every word in the code (not comments) of `src/`: identifiers, and the words of strings.
    fn code_words(&self) -> BTreeSet<&str> {
        self.sources
            .values()
            .flat_map(|text| {
                text.lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .flat_map(words)
            })
            .collect()
    }
}

/// Whether `word` is `snake_case` (a module or function name).
fn is_snake(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `word` is `CamelCase` (a type name).
fn is_camel(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Rule 4: what ARCHITECTURE.md (`text`) names still exists in `tree`:
/// - every backticked path under `src/` ([`CHECKED_PATHS`]), and every path in a `###`
///   heading, exists;
/// - a backticked `module::name` (`io::bulk_csv`) is a module file under `src/module`, or a name
///   the code still uses; a backticked `Type::name` is a type and a name the code still uses;
/// - a backticked `snake_case` name in a `### src/x` section is a module under `src/x` or a name
///   the code still uses (functions, tables, crates): a module that was moved or removed, and
///   is no longer named anywhere in the code, fails.
fn stale_architecture_names(text: &str, tree: &Tree) -> Vec<String> {
    let code_words = tree.code_words();
    let top_modules: BTreeSet<String> = tree
        .sources
        .keys()
        .filter_map(|path| path.strip_prefix("src/"))
        .filter_map(|rest| rest.split('/').next())
        .map(|first| first.trim_end_matches(".rs").to_owned())
        .collect();
    let mut problems = Vec::new();
    let mut section: Option<String> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let heading = line.starts_with('#');
        if heading {
            section = None;
        }
        for (position, token) in line.split('`').enumerate() {
            if position % 2 == 0 {
                continue; // outside backticks
            }
            let token = token.trim();
            if CHECKED_PATHS.iter().any(|prefix| token.starts_with(prefix))
                || (heading && (token.contains('/') || line.starts_with("### ")))
            {
                if !tree.exists(token) {
                    problems.push(format!(
                        "ARCHITECTURE.md:{number}: `{token}` does not exist"
                    ));
                }
                if heading
                    && line.starts_with("### ")
                    && token.starts_with("src/")
                    && section.is_none()
                {
                    section = Some(token.to_owned());
                }
                continue;
            }
            if let Some((first, name)) = token.split_once("::") {
                if name.contains("::") || !(is_snake(name) || is_camel(name)) {
                    continue;
                }
                let known = if top_modules.contains(first) && is_snake(first) {
                    tree.has_module_named(&format!("src/{first}"), name)
                        || code_words.contains(name)
                } else if is_camel(first) {
                    code_words.contains(first) && code_words.contains(name)
                } else {
                    true // another crate's path
                };
                if !known {
                    problems.push(format!(
                        "ARCHITECTURE.md:{number}: `{token}` names nothing in src/"
                    ));
                }
                continue;
            }
            if let Some(module) = &section
                && is_snake(token)
                && !tree.has_module_named(module, token)
                && !code_words.contains(token)
            {
                problems.push(format!(
                    "ARCHITECTURE.md:{number}: `{token}` is no module of {module} and names nothing in src/"
                ));
            }
        }
    }
    problems
}

/// Every `pub fn` of an `impl Workbench` block in `src/workbench`, with where it is.
fn workbench_methods(tree: &Tree) -> Vec<(String, String)> {
    let mut methods = Vec::new();
    for (path, text) in &tree.sources {
        if !in_module(path, "src/workbench") {
            continue;
        }
        let mut inside = false;
        for (index, line) in text.lines().enumerate() {
            if line.starts_with("impl Workbench {") {
                inside = true;
            } else if inside && line.starts_with('}') {
                inside = false;
            } else if inside && let Some(rest) = line.strip_prefix("    pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                methods.push((name, format!("{path}:{}", index + 1)));
            }
        }
    }
    methods
}

/// The body of the access matrix's `operations()` table: the rows.
fn matrix_rows(matrix: &str) -> &str {
    let Some(start) = matrix.find("fn operations()") else {
        return "";
    };
    let rows = &matrix[start..];
    rows.find("\n}\n").map_or(rows, |end| &rows[..end])
}

/// Rule 5: each public `Workbench` method is called in a row of the access matrix (`.name(`
/// in `operations()`) or allowlisted in `allowed` with a reason; an allowlist entry that names
/// no method, or a method with a row of its own (`("name",`), is a problem too (the list stays
/// short and true). An allowlisted method may still be called inside a row, as a step.
fn unmatrixed_methods(tree: &Tree, matrix: &str, allowed: &[(&str, &str)]) -> Vec<String> {
    let rows = matrix_rows(matrix);
    let methods = workbench_methods(tree);
    let mut problems = Vec::new();
    for (name, place) in &methods {
        let in_matrix = rows.contains(&format!(".{name}("));
        let listed = allowed.iter().any(|(allowed, _)| allowed == name);
        if !in_matrix && !listed {
            problems.push(format!(
                "{place}: `Workbench::{name}` is neither a row of tests/it/access_matrix.rs nor in \
                 tidy's NEEDS_NO_ACCESS_CHECK with a reason"
            ));
        }
        if listed && rows.contains(&format!("(\"{name}\",")) {
            problems.push(format!(
                "{place}: `Workbench::{name}` is a row of the access matrix: take it out of \
                 NEEDS_NO_ACCESS_CHECK"
            ));
        }
    }
    for (name, reason) in allowed {
        if reason.trim().is_empty() {
            problems.push(format!("NEEDS_NO_ACCESS_CHECK: `{name}` has no reason"));
        }
        if !methods.iter().any(|(method, _)| method == name) {
            problems.push(format!(
                "NEEDS_NO_ACCESS_CHECK: `{name}` is no public Workbench method"
            ));
        }
    }
    problems
}

/// Fails with every problem, one a line.
fn assert_tidy(rule: &str, problems: &[String]) {
    assert!(problems.is_empty(), "{rule}:\n{}", problems.join("\n"));
}

fn each_source(check: impl Fn(&str, &str) -> Vec<String>) -> Vec<String> {
    Tree::real()
        .sources
        .iter()
        .flat_map(|(path, text)| check(path, text))
        .collect()
}

#[test]
fn only_the_store_knows_sql() {
    assert_tidy(
        "rusqlite or SQL outside src/store",
        &each_source(sql_outside_store),
    );
}

#[test]
fn the_pure_layers_have_no_gui() {
    assert_tidy("egui in a pure layer", &each_source(gui_in_pure_layer));
}

#[test]
fn the_ui_does_not_touch_files() {
    assert_tidy(
        "std::fs in src/ui",
        &each_source(|path, text| fs_in_ui(path, text, &[])),
    );
}

#[test]
fn the_ui_modules_import_each_other_without_a_cycle() {
    assert_tidy(
        "an import cycle in src/ui",
        &ui_import_cycles(&Tree::real().sources),
    );
}

#[test]
fn an_import_cycle_in_the_ui_is_found_and_a_chain_is_not() {
    let file = |text: &str| text.to_owned();
    let mut sources = BTreeMap::new();
    sources.insert(
        "src/ui/app_command.rs".to_owned(),
        file("use super::session::Request;\n"),
    );
    sources.insert("src/ui/session.rs".to_owned(), file("mod worker;\n"));
    sources.insert(
        "src/ui/session/worker.rs".to_owned(),
        file("use super::super::widgets;\n"),
    );
    sources.insert("src/ui/widgets.rs".to_owned(), file("use egui::Ui;\n"));
    assert_eq!(ui_import_cycles(&sources), Vec::<String>::new());
    // The session's worker now names a panel that names the commands: a cycle.
    sources.insert(
        "src/ui/session/worker.rs".to_owned(),
        file("use crate::ui::{graph_panel::GraphIntent, widgets};\n"),
    );
    sources.insert(
        "src/ui/graph_panel.rs".to_owned(),
        file("use super::app_command::{AppCommand, CommandQueue};\n"),
    );
    let cycles = ui_import_cycles(&sources);
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    for module in ["app_command", "session", "graph_panel"] {
        assert!(cycles[0].contains(module), "{cycles:?}");
    }
}

#[test]
fn architecture_md_names_only_what_exists() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    assert_tidy(
        "ARCHITECTURE.md names what is gone",
        &stale_architecture_names(&text, &Tree::real()),
    );
}

#[test]
fn every_public_workbench_method_is_in_the_access_matrix_or_needs_no_check() {
    let matrix = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/access_matrix.rs"),
    )
    .unwrap();
    assert_tidy(
        "public Workbench methods without an access check",
        &unmatrixed_methods(&Tree::real(), &matrix, NEEDS_NO_ACCESS_CHECK),
    );
}

// The checks themselves, each shown to fail on a planted violation (and to pass the same code
// where it belongs).

#[test]
fn sql_is_found_outside_the_store_and_left_alone_inside_it() {
    let code = "fn f() {\n    let n: i64 = conn.query_row(\"SELECT COUNT(*) FROM t\", [], |r| r.get(0));\n}\n";
    assert_eq!(
        sql_outside_store("src/store/nominals.rs", code),
        Vec::<String>::new()
    );
    assert_eq!(
        sql_outside_store("src/store.rs", code),
        Vec::<String>::new()
    );
    let found = sql_outside_store("src/workbench/intel_ops.rs", code);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("src/workbench/intel_ops.rs:2:"),
        "{found:?}"
    );
    for planted in [
        "use rusqlite::Connection;",
        "tx.execute(\"UPDATE nominals SET surname = ?1\", [])",
        "let sql = \"DELETE FROM links\";",
        "conn.pragma(\"PRAGMA key = 'x'\")",
    ] {
        assert_eq!(
            sql_outside_store("src/ui/x.rs", planted).len(),
            1,
            "{planted}"
        );
    }
    // Comments, prose and test modules are not code that runs SQL.
    for clean in [
        "//! (2) `PRAGMA rekey` the store",
        "let label = \"Update the register\";",
        "#[cfg(test)]\nmod tests {\n    const Q: &str = \"SELECT 1\";\n}",
    ] {
        assert_eq!(
            sql_outside_store("src/ui/x.rs", clean),
            Vec::<String>::new(),
            "{clean}"
        );
    }
}

#[test]
fn egui_is_found_in_a_pure_layer_and_left_alone_in_the_ui() {
    let code = "use egui::Color32;\nfn f() {}\n";
    assert_eq!(
        gui_in_pure_layer("src/ui/theme.rs", code),
        Vec::<String>::new()
    );
    for path in [
        "src/domain/role.rs",
        "src/graph.rs",
        "src/risk/scoring.rs",
        "src/crypto/kdf.rs",
    ] {
        let found = gui_in_pure_layer(path, code);
        assert_eq!(found.len(), 1, "{path}: {found:?}");
        assert!(found[0].starts_with(&format!("{path}:1: ")), "{found:?}");
    }
    assert_eq!(
        gui_in_pure_layer("src/graph/layout.rs", "fn f(ctx: &eframe::Frame) {}").len(),
        1
    );
    assert_eq!(
        gui_in_pure_layer(
            "src/graph/layout.rs",
            "let p = egui_plot::Plot::new(\"x\");"
        )
        .len(),
        1
    );
    // A word that merely contains the name is not a use of it.
    assert_eq!(
        gui_in_pure_layer("src/graph/layout.rs", "let regui = 1;"),
        Vec::<String>::new()
    );
}

#[test]
fn std_fs_is_found_in_the_ui_unless_the_file_is_allowlisted() {
    let code = "fn f() {\n    let text = std::fs::read_to_string(path);\n}\n";
    let found = fs_in_ui("src/ui/new_panel.rs", code, &[]);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("src/ui/new_panel.rs:2:"), "{found:?}");
    assert_eq!(
        fs_in_ui(
            "src/ui/new_panel.rs",
            "use std::{fs, io};\nfn f() { fs::write(p, b) }",
            &[]
        )
        .len(),
        1
    );
    assert_eq!(
        fs_in_ui("src/ui/new_panel.rs", code, &["new_panel.rs"]),
        Vec::<String>::new()
    );
    assert_eq!(fs_in_ui("src/io/ftm.rs", code, &[]), Vec::<String>::new());
    assert_eq!(
        fs_in_ui("src/ui/x.rs", "let t = prefs::load();", &[]),
        Vec::<String>::new()
    );
}

/// A small tree for the ARCHITECTURE.md and access matrix checks.
fn planted_tree() -> Tree {
    let mut tree = Tree::default();
    for (path, text) in [
        ("src/io.rs", "pub mod bulk_csv;\n"),
        ("src/io/bulk_csv.rs", "pub fn read_rows() {}\n"),
        (
            "src/store.rs",
            "pub struct WorkbenchLayout;\nconst T: &str = \"intel_item_versions\";\n",
        ),
        ("src/ui.rs", "mod session_worker;\n"),
        ("src/ui/session_worker.rs", "pub struct SessionWorker;\n"),
        (
            "src/workbench/session.rs",
            "impl Workbench {\n    pub fn role(&self) {}\n    pub fn search(&mut self) {}\n    fn private(&self) {}\n    pub(crate) fn internal(&self) {}\n}\n",
        ),
        (
            "src/workbench/link_ops.rs",
            "impl Workbench {\n    pub fn create_link(&mut self) {}\n}\n",
        ),
    ] {
        tree.sources.insert(path.into(), text.into());
    }
    tree.others.insert("tests/it/main.rs".into());
    tree
}

#[test]
fn architecture_md_naming_a_gone_module_is_found() {
    let tree = planted_tree();
    let sound = "# Architecture\n\n### `src/io`\n\nFiles: `bulk_csv`, read with `io::bulk_csv`; \
                 `store::WorkbenchLayout`; the `intel_item_versions` table.\n\n### `src/ui`\n\n\
                 The `session_worker`.\n\n### `tests`\n\n`src/ui/session_worker.rs`.\n";
    assert_eq!(stale_architecture_names(sound, &tree), Vec::<String>::new());
    for (stale, named) in [
        ("### `src/gone`\n", "`src/gone`"),
        (
            "### `src/ui`\n\nThe `session_thread`.\n",
            "`session_thread`",
        ),
        ("See `src/ui/worker.rs`.\n", "`src/ui/worker.rs`"),
        ("Read with `io::csv_reader`.\n", "`io::csv_reader`"),
        ("Laid out by `store::Layout`.\n", "`store::Layout`"),
        (
            "Opened by `SessionWorker::respawn`.\n",
            "`SessionWorker::respawn`",
        ),
        ("### `benches`\n", "`benches`"),
    ] {
        let found = stale_architecture_names(stale, &tree);
        assert_eq!(found.len(), 1, "{stale}: {found:?}");
        assert!(found[0].contains(named), "{found:?}");
        assert!(found[0].starts_with("ARCHITECTURE.md:"), "{found:?}");
    }
}

#[test]
fn a_workbench_method_outside_the_matrix_and_the_allowlist_is_found() {
    let tree = planted_tree();
    let matrix = "fn setup() { wb.create_link(&x); }\n\nfn operations() -> Vec<Row> {\n    vec![(\"search\", Action::Search, |wb, _| wb.search(&q).map(drop))]\n}\n";
    let allowed = [("role", "accessor")];
    assert_eq!(unmatrixed_methods(&tree, matrix, &allowed).len(), 1);
    let found = unmatrixed_methods(&tree, matrix, &allowed);
    assert!(found[0].contains("Workbench::create_link"), "{found:?}");
    assert!(
        found[0].starts_with("src/workbench/link_ops.rs:2:"),
        "{found:?}"
    );
    // Allowlisted with a reason, it passes; a call outside the table does not count.
    assert_eq!(
        unmatrixed_methods(
            &tree,
            matrix,
            &[("role", "accessor"), ("create_link", "why")]
        ),
        Vec::<String>::new()
    );
    // The allowlist stays true: no stale names, no covered methods, no empty reasons.
    assert_eq!(
        unmatrixed_methods(
            &tree,
            matrix,
            &[("role", "accessor"), ("create_link", "x"), ("gone", "x")]
        )
        .len(),
        1
    );
    assert_eq!(
        unmatrixed_methods(
            &tree,
            matrix,
            &[("role", "accessor"), ("create_link", "x"), ("search", "x")]
        )
        .len(),
        1
    );
    // A row may call an allowlisted method as a step.
    let with_step = matrix.replace("wb.search(&q)", "{ wb.role(); wb.search(&q) }");
    assert_eq!(
        unmatrixed_methods(
            &tree,
            &with_step,
            &[("role", "accessor"), ("create_link", "x")]
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        unmatrixed_methods(&tree, matrix, &[("role", " "), ("create_link", "x")]).len(),
        1
    );
}
