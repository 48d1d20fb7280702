//! The start screen: recent workbenches, open, create.

use super::app_command::{AppCommand, CommandQueue};
use super::{theme, widgets};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// State of the start screen.
#[derive(Debug, Default)]
pub struct StartScreen {
    /// A path typed by hand (keyboard users; paths on removable media).
    pub typed_path: String,
    /// A message from the last attempt (a folder that is not a workbench, say).
    pub message: Option<String>,
}

impl StartScreen {
    /// `recent`: the recent workbenches, most recent first, each with the day it was last
    /// opened here (when known).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        recent: &[(PathBuf, Option<String>)],
        commands: &CommandQueue,
    ) {
        ui.heading("CCU Workbench");
        ui.label(
            RichText::new(
                "Offline, encrypted intelligence workbench for the Counter Corruption Unit",
            )
            .color(theme::MUTED),
        );
        ui.add_space(theme::SECTION_SPACING);

        ui.label(RichText::new("Recent workbenches").strong());
        if recent.is_empty() {
            ui.label(RichText::new("None yet.").color(theme::MUTED));
        }
        for (path, opened_on) in recent {
            ui.horizontal(|ui| {
                let name = display_name(path);
                if ui
                    .button(name)
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    commands.send(AppCommand::ChooseWorkbench(path.clone()));
                }
                if let Some(day) = opened_on {
                    ui.label(RichText::new(format!("last opened {day}")).small());
                }
                ui.label(
                    RichText::new(path.display().to_string())
                        .small()
                        .color(theme::MUTED),
                );
                if ui
                    .small_button("Forget")
                    .on_hover_text("Remove from this list")
                    .clicked()
                {
                    commands.send(AppCommand::ForgetRecent(path.clone()));
                }
            });
        }
        ui.add_space(theme::SECTION_SPACING);

        ui.horizontal(|ui| {
            if ui.button("Open…").clicked() {
                commands.send(AppCommand::BrowseForWorkbench);
            }
            if ui.button("New workbench…").clicked() {
                commands.send(AppCommand::ShowCreate);
            }
            if ui
                .button("Create demo workbench…")
                .on_hover_text(
                    "A synthetic force to try the workbench with: no real person is in it",
                )
                .clicked()
            {
                commands.send(AppCommand::ShowDemo);
            }
        });
        ui.add_space(theme::ITEM_SPACING);
        ui.horizontal(|ui| {
            let field = widgets::labelled_text_ui(
                ui,
                "Workbench folder",
                &mut self.typed_path,
                "path to a .ccuwb folder",
            );
            let go = ui.button("Open this folder").clicked() || widgets::submitted(ui, &field);
            if go && !self.typed_path.trim().is_empty() {
                commands.send(AppCommand::ChooseWorkbench(PathBuf::from(
                    self.typed_path.trim(),
                )));
            }
        });
        if let Some(message) = &self.message {
            widgets::error_ui(ui, message);
        }
    }
}

/// The folder name without the extension, for lists.
#[must_use]
pub fn display_name(path: &Path) -> String {
    path.file_stem().or_else(|| path.file_name()).map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
