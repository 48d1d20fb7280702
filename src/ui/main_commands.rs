//! The main window's commands, applied after the frame that sent them: navigation, opening
//! records, the file dialogs in front of exports and imports, and requests to the session
//! thread. Matched without a catch-all arm.

use super::app_command::{CommandQueue, MainCommand};
use super::file_picker::{FilePurpose, FileRequest, PathAsker};
use super::main_screen::{IntelRoute, MainScreen};
use super::session::{Origin, Request};

impl MainScreen {
    /// Applies one command; `asker` asks the user for files.
    #[expect(clippy::too_many_lines, reason = "one arm per main-window command")]
    pub fn apply_command(
        &mut self,
        ctx: &egui::Context,
        command: MainCommand,
        asker: &mut PathAsker<'_>,
        commands: &CommandQueue,
    ) {
        match command {
            MainCommand::Search(owner, query) => self.search_for(owner, query),
            MainCommand::Send(origin, request) => self.send(origin, request),
            MainCommand::BrowseForBackup => {
                let start = self.path.parent().map(std::path::Path::to_path_buf);
                if let Some(path) =
                    asker.ask(FileRequest::new(FilePurpose::Backup).starting_in(start.as_deref()))
                {
                    self.send(Origin::Users, Request::Backup(path));
                }
            }
            MainCommand::ExportAuditHead => {
                if let Some(path) = asker.ask(FileRequest::export("audit-head.json")) {
                    self.send(Origin::Audit, Request::ExportAuditHead(path));
                }
            }
            MainCommand::CheckAuditHead => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::SignedHead)) {
                    self.send(Origin::Audit, Request::CheckAuditHead(path));
                }
            }
            MainCommand::Navigate(area) => {
                if area.is_visible_to(self.session.user.role) {
                    self.area = area;
                    self.notice = None;
                }
            }
            MainCommand::Lock => self.start_lock(),
            MainCommand::OpenItem(reference) => self.open_item(reference),
            MainCommand::OpenNominal(id) => self.open_nominal(id),
            MainCommand::OpenRecord(record) => self.open_record(&record, commands),
            MainCommand::OpenChartFor(id) => self.open_chart_for(id),
            MainCommand::ExportGraphml(filter) => {
                if let Some(path) = asker.ask(FileRequest::export("graph.graphml")) {
                    self.send(Origin::Graph, Request::ExportGraphml { path, filter });
                }
            }
            MainCommand::ExportChart(chart, format) => {
                let suggested = match format {
                    crate::workbench::ChartFormat::Svg => "chart.svg",
                    crate::workbench::ChartFormat::Png { .. } => "chart.png",
                };
                if let Some(path) = asker.ask(FileRequest::export(suggested)) {
                    self.send(
                        Origin::Graph,
                        Request::ExportChart {
                            path,
                            chart,
                            format,
                        },
                    );
                }
            }
            MainCommand::NewItem => {
                self.item_form = super::item_form::ItemForm::default();
                self.intel_route = IntelRoute::Form;
            }
            MainCommand::EditItem => {
                if let Some(item) = &self.item.item {
                    self.item_form =
                        super::item_form::ItemForm::for_item(item, &self.item.subject_names);
                    self.intel_route = IntelRoute::Form;
                }
            }
            MainCommand::CloseItemForm => {
                self.intel_route = if self.item_form.editing.is_some() {
                    IntelRoute::Item
                } else {
                    IntelRoute::Log
                };
            }
            MainCommand::BackToLog => {
                self.intel_route = IntelRoute::Log;
                self.item.viewing = None;
                ctx.forget_all_images();
            }
            MainCommand::AttachFile(reference) => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::Attachment)) {
                    self.send(Origin::Item, Request::AttachFile { reference, path });
                }
            }
            MainCommand::SaveAttachment(id, file_name) => {
                if let Some(path) = asker
                    .ask(FileRequest::new(FilePurpose::AttachmentDestination).named(&file_name))
                {
                    self.send(Origin::Item, Request::ExportAttachment { id, path });
                }
            }
            MainCommand::AssessNominal(id, name) => {
                self.area = super::area::Area::RiskTools;
                self.notice = None;
                self.risk.assess(id, name);
            }
            MainCommand::AssessUnderBeacon(id, name) => {
                self.area = super::area::Area::RiskTools;
                self.notice = None;
                self.risk.assess_under_beacon(id, name, commands);
            }
            MainCommand::ShowAssessmentHistory(id, name) => {
                self.risk.history.show_subject(id, name, commands);
                self.risk.view = super::RiskView::History;
            }
            MainCommand::ExportSubjectReport(id) => {
                if let Some(path) = asker.ask(FileRequest::export("subject-profile.html")) {
                    self.send(Origin::Nominals, Request::ExportSubjectReport { path, id });
                }
            }
            MainCommand::ExportPibPack { since } => {
                if let Some(path) = asker.ask(FileRequest::export("pib-pack.html")) {
                    self.send(Origin::Reports, Request::ExportPibPack { path, since });
                }
            }
            MainCommand::ExportThreatAssessment { from, to, edition } => {
                let name = format!("threat-assessment-{}.html", edition.as_str());
                if let Some(path) = asker.ask(FileRequest::export(&name)) {
                    self.send(
                        Origin::Reports,
                        Request::ExportThreatAssessment {
                            path,
                            from,
                            to,
                            edition,
                        },
                    );
                }
            }
            MainCommand::ExportTransfereePackage {
                previewed,
                recipient,
                confirm_c_items,
            } => {
                if let Some(path) = asker.ask(FileRequest::export("transferee-package.html")) {
                    self.send(
                        Origin::Reports,
                        Request::ExportTransfereePackage {
                            previewed,
                            path,
                            recipient,
                            confirm_c_items,
                        },
                    );
                }
            }
            MainCommand::ExportPibList => {
                if let Some(path) = asker.ask(FileRequest::export("pib-list.csv")) {
                    self.send(
                        Origin::Risk,
                        Request::ExportPibList {
                            path,
                            as_of: self.session.today,
                        },
                    );
                }
            }
            MainCommand::ExportIntervention(id) => {
                if let Some(path) =
                    asker.ask(FileRequest::export(&format!("intervention-{id}.html")))
                {
                    self.send(
                        Origin::Interventions,
                        Request::ExportIntervention { id, path },
                    );
                }
            }
            MainCommand::RegisterDiscoveredNa {
                employee,
                associate,
            } => {
                self.area = super::area::Area::NaRegister;
                self.notice = None;
                self.na_register.register_discovered(employee, associate);
            }
            MainCommand::PickImportFile => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::ImportFile)) {
                    self.imports.file_chosen(path, commands);
                }
            }
            MainCommand::PickFtmFile => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::FtmFile)) {
                    self.imports.ftm_file_chosen(path);
                }
            }
            MainCommand::PickImportSpec => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::ImportSpec)) {
                    // A spec is a few hundred bytes: read here, checked by `io`.
                    let spec =
                        crate::io::import_spec::read_file(&path).map_err(|err| err.to_string());
                    self.imports.spec_file_chosen(path, spec);
                }
            }
            MainCommand::ImportInstrumentFile => {
                if let Some(path) = asker.ask(FileRequest::new(FilePurpose::InstrumentFile)) {
                    self.send(Origin::Risk, Request::PublishInstrumentFile(path));
                }
            }
            MainCommand::NominalsRoute(route) => self.nominals.route = route,
            MainCommand::ToggleSearch => {
                if self.search.open {
                    self.search.close();
                } else {
                    self.search.open();
                }
            }
        }
    }
}
