//! The Audit area: the chain head, verification, and (inspectors) the log in a virtualised table.

use super::app_command::{CommandQueue, MainCommand};
use super::session::{Origin, Request};
use super::session_view::SessionView;
use super::{theme, widgets};
use crate::domain::{Action, AuditEntry};
use crate::store::AuditVerification;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};
use std::collections::{BTreeMap, BTreeSet};

/// Entries fetched per request: a screenful many times over, small enough to arrive at once.
const PAGE_ENTRIES: usize = 200;
const PAGE_ENTRIES_I64: i64 = 200;

/// State of the Audit area.
#[derive(Debug, Default)]
pub struct AuditPanel {
    pub verification: Option<AuditVerification>,
    /// The last check of the chain against a signed head file.
    pub head_check: Option<crate::workbench::HeadCheck>,
    /// Pages by index (page `n` holds entries `n * PAGE_ENTRIES + 1 ..`).
    pages: BTreeMap<i64, Vec<AuditEntry>>,
    requested: BTreeSet<i64>,
}

impl AuditPanel {
    pub fn store_page(&mut self, first_seq: i64, entries: Vec<AuditEntry>) {
        let page = (first_seq - 1) / PAGE_ENTRIES_I64;
        self.requested.remove(&page);
        self.pages.insert(page, entries);
    }

    /// Drops every cached page (a new purpose means a new consultation).
    pub fn forget_pages(&mut self) {
        self.pages.clear();
        self.requested.clear();
    }

    /// Drops pages that were not full: the log has grown into them.
    pub fn forget_partial_pages(&mut self) {
        self.pages
            .retain(|_, entries| entries.len() == PAGE_ENTRIES);
    }

    pub fn ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        ui.horizontal(|ui| {
            ui.label(format!(
                "Chain head: entry {} · {}",
                session.head.seq,
                session.head.hash.to_hex()
            ));
        });
        ui.horizontal(|ui| {
            if ui
                .button("Verify chain")
                .on_hover_text(
                    "Check every entry, every transaction's signature and every role grant",
                )
                .clicked()
            {
                commands.request(Origin::Audit, Request::VerifyAudit);
            }
            if ui
                .button("Export signed head…")
                .on_hover_text(
                    "Write the chain head, signed by you, to a file to keep on write-once storage",
                )
                .clicked()
            {
                commands.send(MainCommand::ExportAuditHead);
            }
            if ui
                .button("Check against a signed head…")
                .on_hover_text("Check the log still holds a head exported earlier")
                .clicked()
            {
                commands.send(MainCommand::CheckAuditHead);
            }
        });
        if let Some(v) = &self.verification {
            verification_ui(ui, v);
        }
        if let Some(check) = &self.head_check {
            head_check_ui(ui, check);
        }
        ui.add_space(theme::SECTION_SPACING);
        if !session.may(Action::ViewAuditLog) {
            ui.label(
                RichText::new("Reading the log's entries is for inspectors.").color(theme::MUTED),
            );
            return;
        }
        if session.purpose.is_none() {
            ui.label(
                RichText::new(
                    "Set a purpose in the top bar to read the log: reading it is a consultation the law asks you to justify.",
                )
                .color(theme::WARNING),
            );
            return;
        }
        self.table_ui(ui, session, commands);
    }

    fn table_ui(&mut self, ui: &mut Ui, session: &SessionView, commands: &CommandQueue) {
        let total = usize::try_from(session.head.seq).unwrap_or(0);
        let mut wanted = BTreeSet::new();
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::auto().at_least(60.0))
            .column(Column::auto().at_least(170.0))
            .column(Column::auto().at_least(140.0))
            .column(Column::auto().at_least(120.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::remainder().at_least(160.0))
            .header(theme::TABLE_ROW_HEIGHT, |mut header| {
                for title in [
                    "#",
                    "Time (UTC)",
                    "User",
                    "Action",
                    "Object",
                    "Justification",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(theme::TABLE_ROW_HEIGHT, total, |mut row| {
                    let index = row.index();
                    let page = i64::try_from(index / PAGE_ENTRIES).unwrap_or(i64::MAX);
                    let entry = self
                        .pages
                        .get(&page)
                        .and_then(|entries| entries.get(index % PAGE_ENTRIES));
                    if let Some(entry) = entry {
                        let cells = [
                            entry.seq.to_string(),
                            entry.at_utc.clone(),
                            entry.user_name.clone(),
                            entry.action.clone(),
                            entry.object.clone(),
                            entry.justification.clone(),
                        ];
                        for cell in cells {
                            row.col(|ui| {
                                ui.label(cell);
                            });
                        }
                    } else {
                        wanted.insert(page);
                        row.col(|ui| {
                            ui.label((index + 1).to_string());
                        });
                        row.col(|ui| {
                            widgets::busy_ui(ui, "");
                        });
                    }
                });
            });
        for page in wanted {
            if self.requested.insert(page) {
                commands.request(
                    Origin::Audit,
                    Request::AuditPage {
                        first_seq: page * PAGE_ENTRIES_I64 + 1,
                        count: PAGE_ENTRIES,
                    },
                );
            }
        }
    }
}

/// What the last verification found, in words: intact, or the first bad entry and every role
/// grant that does not verify.
fn verification_ui(ui: &mut Ui, v: &AuditVerification) {
    if v.is_intact() {
        ui.label(
            RichText::new(format!(
                "Intact: {} entries, {} transaction signatures and every role grant verified.",
                v.entries_checked, v.signatures_checked
            ))
            .color(theme::OK),
        );
    }
    if let Some(bad) = &v.first_break {
        ui.label(
            RichText::new(format!("Broken at entry {}: {}.", bad.seq, bad.reason))
                .color(theme::DANGER)
                .strong(),
        );
    }
    for problem in &v.grant_problems {
        ui.label(
            RichText::new(format!(
                "The role of {} is not backed by a valid grant: {}.",
                problem.user_name, problem.reason
            ))
            .color(theme::DANGER),
        );
    }
    if v.signed_from > 1 {
        ui.label(
            RichText::new(format!(
                "Entries before {} were written before signatures and are protected by the hash chain alone.",
                v.signed_from
            ))
            .color(theme::MUTED),
        );
    }
}

fn head_check_ui(ui: &mut Ui, check: &crate::workbench::HeadCheck) {
    let signer = check.signed_by.as_deref().unwrap_or("an unknown user");
    let (text, colour) = if check.holds() {
        (
            format!(
                "The log still holds the signed head of entry {} (signed by {signer}).",
                check.seq
            ),
            theme::OK,
        )
    } else if !check.chain_holds_head {
        (
            format!(
                "The log no longer holds the signed head of entry {}: it was cut short or replaced.",
                check.seq
            ),
            theme::DANGER,
        )
    } else {
        (
            format!(
                "The signed head of entry {} does not carry a valid signature of {signer}.",
                check.seq
            ),
            theme::DANGER,
        )
    };
    ui.label(RichText::new(text).color(colour).strong());
}
