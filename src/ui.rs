//! The GUI (eframe/egui).

use std::path::PathBuf;

/// Opens the main window.
///
/// # Errors
/// If the window cannot be created.
pub fn run(initial_workbench: Option<PathBuf>) -> anyhow::Result<()> {
    let _ = initial_workbench;
    anyhow::bail!("GUI not built yet")
}
