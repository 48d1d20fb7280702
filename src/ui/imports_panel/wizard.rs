//! The import wizard's screens: the file format, the CSV file and its spec (shipped, a file, or
//! mapped here), the preview of its first rows, and the FtM file.

use super::reports::{ftm_report_ui, report_ui, running_ui};
use super::{
    CommandQueue, FieldType, ImportFormat, ImportKind, ImportsPanel, MainCommand, RichText,
    SpecSource, Ui, mapping_for, theme, widgets,
};

impl ImportsPanel {
    pub(super) fn wizard_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        let busy = self.wizard.running.is_some();
        let format_before = self.wizard.format;
        ui.add_enabled_ui(!busy, |ui| {
            ui.horizontal(|ui| {
                ui.label("File format");
                ui.radio_value(
                    &mut self.wizard.format,
                    ImportFormat::Csv,
                    "CSV through a spec",
                );
                ui.radio_value(
                    &mut self.wizard.format,
                    ImportFormat::Ftm,
                    "FollowTheMoney JSON lines",
                );
            });
            match self.wizard.format {
                ImportFormat::Csv => self.csv_ui(ui, commands),
                ImportFormat::Ftm => self.ftm_ui(ui, commands),
            }
        });
        if self.wizard.format != format_before {
            // An error was about the other kind of file.
            self.wizard.error = None;
        }
        if self.wizard.format == ImportFormat::Csv {
            match &self.wizard.check {
                Some(Ok(message)) => {
                    ui.label(RichText::new(message).color(theme::OK));
                }
                Some(Err(message)) => widgets::error_ui(ui, message),
                None => {}
            }
        }
        if let Some(running) = &self.wizard.running {
            running_ui(ui, running);
        }
        if let Some(error) = &self.wizard.error {
            widgets::error_ui(ui, error);
        }
        match self.wizard.format {
            ImportFormat::Csv => {
                if let Some(report) = &self.wizard.report {
                    report_ui(ui, report);
                }
            }
            ImportFormat::Ftm => {
                if let Some(report) = &self.wizard.ftm_report {
                    ftm_report_ui(ui, report);
                }
            }
        }
    }

    /// The FtM half of the wizard: the file, the options, the button.
    pub(super) fn ftm_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label("File");
            if ui.button("Choose FtM file…").clicked() {
                commands.send(MainCommand::PickFtmFile);
            }
            ui.label(
                self.wizard
                    .ftm_file
                    .as_ref()
                    .map_or_else(|| "No file chosen".to_owned(), |p| p.display().to_string()),
            );
        });
        ui.label(
            RichText::new(
                "Nominals and links, one entity a line (a regional unit's share, or a \
                 workbench's own export). Each entity is checked and matched to the \
                 workbench's nominals as a CSV row is; each link records this import as its \
                 source, or corroborates the link already recorded.",
            )
            .color(theme::MUTED),
        );
        ui.checkbox(
            &mut self.wizard.ftm_dry_run,
            "Dry run (read and match everything, then change nothing)",
        );
        ui.checkbox(
            &mut self.wizard.skip_bad_rows,
            "Skip bad lines (import the rest and list the rejected lines)",
        );
        let ready = self.wizard.ftm_file.is_some();
        let label = if self.wizard.ftm_dry_run {
            "Dry run the FtM file"
        } else {
            "Import the FtM file"
        };
        if ui.add_enabled(ready, egui::Button::new(label)).clicked() {
            self.start_ftm(commands);
        }
    }

    /// The CSV half of the wizard: kind, file, spec, preview, options, buttons.
    pub(super) fn csv_ui(&mut self, ui: &mut Ui, commands: &CommandQueue) {
        egui::Grid::new("import_wizard_grid")
            .num_columns(2)
            .spacing([theme::ITEM_SPACING * 2.0, theme::ITEM_SPACING])
            .show(ui, |ui| {
                ui.label("Record kind");
                let mut kind = self.wizard.kind;
                egui::ComboBox::from_id_salt("import_kind")
                    .selected_text(kind.label())
                    // Every kind in view at once: no scrolling inside the list.
                    .height(480.0)
                    .show_ui(ui, |ui| {
                        for k in ImportKind::ALL {
                            ui.selectable_value(&mut kind, k, k.label());
                        }
                    })
                    .response
                    .widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Record kind")
                    });
                if kind != self.wizard.kind {
                    self.wizard.kind = kind;
                    self.wizard.mapping = mapping_for(kind);
                    self.wizard.mapped_name = format!("mapped-{}", kind.as_str().replace('_', "-"));
                    self.wizard.check = None;
                    if let Some(header) = self.wizard.preview.as_ref().map(|p| p.header.clone()) {
                        self.auto_map(&header);
                    }
                }
                ui.end_row();

                ui.label("File");
                ui.horizontal(|ui| {
                    if ui.button("Choose file…").clicked() {
                        commands.send(MainCommand::PickImportFile);
                    }
                    ui.label(
                        self.wizard.file.as_ref().map_or_else(
                            || "No file chosen".to_owned(),
                            |p| p.display().to_string(),
                        ),
                    );
                });
                ui.end_row();

                ui.label("Spec");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.wizard.source, SpecSource::Shipped, "Shipped spec");
                    ui.radio_value(&mut self.wizard.source, SpecSource::File, "Spec file");
                    ui.radio_value(
                        &mut self.wizard.source,
                        SpecSource::Mapped,
                        "Map columns here",
                    );
                });
                ui.end_row();
            });
        match self.wizard.source {
            SpecSource::Shipped => {
                ui.label(
                    RichText::new(format!(
                        "The shipped spec for {} (assets/import_specs/{}.toml).",
                        self.wizard.kind.label(),
                        self.wizard.kind.as_str()
                    ))
                    .color(theme::MUTED),
                );
            }
            SpecSource::File => {
                ui.horizontal(|ui| {
                    if ui.button("Choose spec file…").clicked() {
                        commands.send(MainCommand::PickImportSpec);
                    }
                    if let Some((path, spec)) = &self.wizard.spec_file {
                        ui.label(format!(
                            "{} ({} v{})",
                            path.display(),
                            spec.name,
                            spec.version
                        ));
                    }
                });
            }
            SpecSource::Mapped => self.mapping_ui(ui),
        }
        self.preview_ui(ui);
        ui.checkbox(
            &mut self.wizard.skip_bad_rows,
            "Skip bad rows (import the rest and list the rejected rows)",
        );
        ui.horizontal(|ui| {
            if ui.button("Check the spec").clicked() {
                self.wizard.check = Some(self.check_spec());
            }
            let ready = self.wizard.file.is_some();
            if ui
                .add_enabled(ready, egui::Button::new("Dry run"))
                .clicked()
            {
                self.start(true, commands);
            }
            if ui.add_enabled(ready, egui::Button::new("Import")).clicked() {
                self.start(false, commands);
            }
        });
    }

    pub(super) fn mapping_ui(&mut self, ui: &mut Ui) {
        let header = self
            .wizard
            .preview
            .as_ref()
            .map(|p| p.header.clone())
            .unwrap_or_default();
        ui.horizontal(|ui| {
            widgets::labelled_text_ui(ui, "Spec name", &mut self.wizard.mapped_name, "my-export");
        });
        ui.horizontal(|ui| {
            let label = ui.label("Spec version");
            ui.add(egui::TextEdit::singleline(&mut self.wizard.mapped_version).desired_width(48.0))
                .labelled_by(label.id);
            let label = ui.label("Delimiter");
            ui.add(egui::TextEdit::singleline(&mut self.wizard.delimiter).desired_width(24.0))
                .labelled_by(label.id);
            let label = ui.label("Ids from system");
            ui.add(
                egui::TextEdit::singleline(&mut self.wizard.id_system)
                    .desired_width(64.0)
                    .hint_text("rms"),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "The system whose ids the external id columns hold (such as rms): a nominal keeps \
                 the id, and later files naming it by that id are matched on it",
            );
        });
        if header.is_empty() {
            ui.label(RichText::new("Choose a file to map its columns.").color(theme::MUTED));
            return;
        }
        let kind = self.wizard.kind;
        egui::Grid::new("import_mapping_grid")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label(RichText::new("Field").strong());
                ui.label(RichText::new("Column").strong());
                ui.label(RichText::new("Date format").strong());
                ui.end_row();
                for (def, mapping) in kind.fields().iter().zip(&mut self.wizard.mapping) {
                    let name = if def.required {
                        format!("{} (required)", def.name)
                    } else {
                        def.name.to_owned()
                    };
                    ui.label(&name);
                    let shown = if mapping.column.is_empty() {
                        "(not mapped)".to_owned()
                    } else {
                        mapping.column.clone()
                    };
                    let accessible = format!("Column for {}", def.name);
                    egui::ComboBox::from_id_salt(("import_map", def.name))
                        .selected_text(shown)
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut mapping.column, String::new(), "(not mapped)");
                            for column in &header {
                                ui.selectable_value(&mut mapping.column, column.clone(), column);
                            }
                        })
                        .response
                        .widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &accessible)
                        });
                    if matches!(def.ty, FieldType::Date | FieldType::Timestamp) {
                        let label = format!("Date format for {}", def.name);
                        ui.add(
                            egui::TextEdit::singleline(&mut mapping.format)
                                .hint_text("ISO 8601, or [day]/[month]/[year]")
                                .desired_width(240.0),
                        )
                        .widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label)
                        });
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                }
            });
    }

    pub(super) fn preview_ui(&self, ui: &mut Ui) {
        let Some(preview) = &self.wizard.preview else {
            if self.wizard.file.is_some() {
                widgets::busy_ui(ui, "Reading the first rows…");
            }
            return;
        };
        ui.label(RichText::new(format!("First {} row(s)", preview.rows.len())).strong());
        egui::ScrollArea::horizontal()
            .id_salt("import_preview_scroll")
            .max_height(180.0)
            .show(ui, |ui| {
                egui::Grid::new("import_preview_grid")
                    .striped(true)
                    .show(ui, |ui| {
                        for name in &preview.header {
                            ui.label(RichText::new(name).strong());
                        }
                        ui.end_row();
                        for row in &preview.rows {
                            for cell in row {
                                ui.label(cell);
                            }
                            ui.end_row();
                        }
                    });
            });
    }
}
