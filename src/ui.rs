//! The GUI (eframe/egui), in the style of rerun's viewer: panels are structs with a `ui` method
//! that reads a borrowed view of the session and changes state only by sending commands; the
//! store is reached only through the session thread.

mod account_panel;
mod app_command;
mod area;
mod assessment_form;
pub(crate) mod assessment_history;
mod assessment_text_editor;
mod audit_panel;
mod beacon_cohort_view;
mod beacon_screening_view;
mod chart_geometry;
mod control_strategy_editor;
mod create_screen;
mod demo_screen;
mod exposure_results;
mod file_browser;
mod file_picker;
mod grading_form;
mod graph_panel;
mod idle_lock;
mod imports_panel;
mod instrument_editor;
mod intel_log_panel;
mod interventions_panel;
mod item_form;
mod item_panel;
mod item_priority_view;
mod link_chart;
mod main_commands;
mod main_replies;
mod main_screen;
mod na_register_panel;
mod nominals_panel;
mod reports_panel;
mod risk_panel;
mod search_overlay;
mod session;
mod session_view;
mod start_screen;
mod subject_timeline;
pub mod theme;
mod transferee_view;
mod unlock_screen;
mod users_panel;
mod widgets;
mod workbench_app;

pub use app_command::{AppCommand, CommandQueue, MainCommand};
pub use area::Area;
pub use assessment_form::{LiveScore, live_score};
pub use chart_geometry::{MAX_DRAWN_EDGES, MAX_LABELS};
pub use file_browser::{BrowserOutcome, FileBrowser, check_choice};
pub use file_picker::{
    DIALOG_UNAVAILABLE, Deferred, FilePicker, FilePurpose, FileRequest, NativeFilePicker, PathRule,
    Picked, PickerUnavailable, with_workbench_extension,
};
pub use graph_panel::GraphPanel;
pub use idle_lock::IdleLock;
pub use imports_panel::{ImportFormat, ImportsPanel, ImportsTab, SpecSource};
pub use intel_log_panel::IntelLogPanel;
pub use interventions_panel::{InterventionRoute, InterventionsPanel};
pub use link_chart::{ChartCommand, FrameStats, LinkChart, MAX_NODE_WIDGETS};
pub use main_screen::{IntelRoute, MainScreen, Notice};
pub use na_register_panel::{NaRegisterPanel, NaRoute};
pub use nominals_panel::NominalsPanel;
pub use risk_panel::{RiskPanel, RiskView};
pub use session::{
    Envelope, Failure, GraphIntent, NaParty, NominalsRoute, Origin, Reply, Request, Response,
    SearchOwner, SessionEvent, SessionStart, SessionWorker,
};
pub use session_view::SessionView;
pub use workbench_app::{AppConfig, Screen, WorkbenchApp};

use crate::crypto::KdfParams;
use std::path::PathBuf;

/// Opens the main window and runs until it is closed.
///
/// # Errors
/// If the window cannot be created (no display, no OpenGL).
pub fn run(initial_workbench: Option<PathBuf>) -> anyhow::Result<()> {
    // The window opens at the size it was last left at (kept in the app's settings).
    let size = crate::platform::data_dir()
        .as_deref()
        .map(crate::platform::AppSettings::load)
        .and_then(|settings| settings.window_size)
        .unwrap_or([1200, 780]);
    let (min, _) = crate::platform::WINDOW_SIZE_BOUNDS;
    #[expect(
        clippy::cast_precision_loss,
        reason = "window sizes are far below 2^24"
    )]
    let points = |[w, h]: [u32; 2]| [w as f32, h as f32];
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("CCU Workbench")
            .with_inner_size(points(size))
            .with_min_inner_size(points(min)),
        ..Default::default()
    };
    let config = AppConfig {
        settings_dir: crate::platform::data_dir(),
        file_picker: Box::new(NativeFilePicker),
        kdf: KdfParams::INTERACTIVE,
    };
    eframe::run_native(
        "CCU Workbench",
        options,
        Box::new(move |_creation| Ok(Box::new(WorkbenchApp::new(config, initial_workbench)))),
    )
    .map_err(|err| anyhow::anyhow!("could not open the window: {err}"))
}
