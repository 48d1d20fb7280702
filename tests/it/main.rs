//! The integration tests, as one test binary (as ripgrep keeps its integration tests): each file of
//! `tests/it/` is a module here. One binary links SQLCipher and eframe once instead of once per
//! file, and every test still runs in its own thread with its own temporary folders.
//!
//! Run one file's tests with its module as the filter: `cargo test --test it crash_consistency`.
//! Helpers shared by the files are in `common` (GUI helpers in `common::gui`); tests that run
//! this binary again as a child (`crash_consistency`) name the child test by its full path with
//! `--exact`.

// A failing unwrap is a failing test with a clear location; helpers fail the test on error as the
// tests themselves do.
#![expect(clippy::unwrap_used)]
#![expect(
    clippy::too_many_lines,
    reason = "a test reads as one story from set-up to the last assertion"
)]

mod common;
// The parsers of outside input, shared with the cargo-fuzz targets in `tests/fuzz/`.
#[path = "../fuzz_inputs/mod.rs"]
mod fuzz_inputs;

mod access_matrix;
mod audit_tamper;
mod beacon_force;
mod beacon_screening;
mod bulk_import;
mod canary;
mod cli_graph;
mod cli_records;
mod cli_workbench;
mod concurrent_keying;
mod crash_consistency;
mod crossref;
mod deployments;
mod force_extracts;
mod ftm_interop;
mod fuzz_quick;
mod graph_analysis;
mod graph_networkx;
#[cfg(feature = "gui")]
mod gui;
#[cfg(feature = "gui")]
mod gui_assessment_text;
mod gui_beacon;
#[cfg(feature = "gui")]
mod gui_chart;
#[cfg(feature = "gui")]
mod gui_chart_detail;
mod gui_chart_snapshots;
#[cfg(feature = "gui")]
mod gui_file_browser;
#[cfg(feature = "gui")]
mod gui_ftm_import;
#[cfg(feature = "gui")]
mod gui_graph;
#[cfg(feature = "gui")]
mod gui_idle_lock;
#[cfg(feature = "gui")]
mod gui_imports;
#[cfg(feature = "gui")]
mod gui_insider;
#[cfg(feature = "gui")]
mod gui_intel;
#[cfg(feature = "gui")]
mod gui_interventions;
#[cfg(feature = "gui")]
mod gui_na_register;
#[cfg(feature = "gui")]
mod gui_reports;
#[cfg(feature = "gui")]
mod gui_risk;
#[cfg(feature = "gui")]
mod gui_snapshots;
#[cfg(feature = "gui")]
mod gui_subject;
#[cfg(feature = "gui")]
mod gui_transferee;
mod insider;
mod intel_records;
mod interventions;
mod key_rotation;
mod leak_scan;
mod migrations;
mod na_register;
mod need_to_know;
mod risk_tools;
mod threat_assessment;
mod tidy;
mod transferee_package;
