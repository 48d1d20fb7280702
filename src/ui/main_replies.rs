//! What the main window does with what the session thread says: each reply goes to the origin
//! that asked (a result to its panel, a failure to its panel or form), and news nobody asked
//! for (progress, the audit head, the lock) to whoever shows it. Every response and every
//! failure is matched without a catch-all arm.

use super::app_command::CommandQueue;
use super::item_form::ItemForm;
use super::main_screen::{MainScreen, Notice};
use super::session::{Failure, Origin, Reply, Request, Response, SearchOwner, SessionEvent};
use crate::domain::SearchHit;

impl MainScreen {
    /// Applies an event from the session thread; follow-up requests go on `commands`. Returns
    /// true when the session has ended.
    pub fn apply_event(&mut self, event: SessionEvent, commands: &CommandQueue) -> bool {
        match event {
            SessionEvent::Reply(Reply { origin, outcome }) => {
                self.session.busy = None;
                match outcome {
                    Ok(response) => self.apply_response(origin, response, commands),
                    Err(failure) => self.apply_failure(origin, failure),
                }
            }
            SessionEvent::ImportProgress(progress) => self.imports.import_progress(progress),
            SessionEvent::Head(head) => {
                if head.seq != self.session.head.seq {
                    self.audit.forget_partial_pages();
                }
                self.session.head = head;
            }
            SessionEvent::Locked => return true,
            // Only a session that is opening sends these; the main window's has opened.
            SessionEvent::Opened { .. }
            | SessionEvent::OpenFailed { .. }
            | SessionEvent::DemoProgress(_) => {
                tracing::warn!("an opening event reached an open session");
            }
        }
        false
    }

    /// A failure, shown where the request came from: the form beside its fields, or the panel,
    /// and the notice line.
    fn apply_failure(&mut self, origin: Origin, failure: Failure) {
        let failure = match (origin, failure) {
            (Origin::ItemForm, Failure::Invalid(invalid)) => {
                self.item_form.show_errors(&invalid);
                return;
            }
            (Origin::NominalForm, Failure::Invalid(invalid)) => {
                self.nominals.form.show_errors(&invalid);
                return;
            }
            (Origin::NominalForm, Failure::PossibleDuplicates(matches)) => {
                self.nominals.form.saving = false;
                self.nominals.form.duplicates = matches;
                return;
            }
            (_, failure) => failure,
        };
        let message = failure.message();
        match origin {
            Origin::ImportWizard => {
                // The wizard shows its own error; nothing was changed.
                self.imports.import_failed(message);
                return;
            }
            Origin::Leads => self.imports.failed(),
            Origin::Reports | Origin::Search(SearchOwner::Transferee) => self.reports.failed(),
            Origin::Interventions | Origin::Search(SearchOwner::Intervention) => {
                self.interventions.failed(&message);
            }
            Origin::Risk | Origin::Search(SearchOwner::Risk) => self.risk.failed(&message),
            Origin::NaRegister | Origin::Search(SearchOwner::NaParty(_)) => {
                self.na_register.failed(&message);
            }
            Origin::ItemForm | Origin::Search(SearchOwner::Subject) => {
                self.item_form.saving = false;
            }
            Origin::NominalForm => self.nominals.form.saving = false,
            Origin::Main
            | Origin::Users
            | Origin::Audit
            | Origin::Account
            | Origin::IntelLog
            | Origin::Item
            | Origin::Nominals
            | Origin::Graph
            | Origin::Search(SearchOwner::Global | SearchOwner::Nominals | SearchOwner::Graph) => {}
        }
        self.notice = Some(Notice {
            text: message,
            is_error: true,
        });
    }

    /// Search results for the panel that owns the search; an answer to an older search than
    /// the panel's newest is dropped.
    fn search_answered(&mut self, owner: SearchOwner, number: u64, hits: Vec<SearchHit>) {
        match owner {
            SearchOwner::Global => self.search.apply(number, hits),
            SearchOwner::Subject => {
                if self.item_form.subject_search == Some(number) {
                    self.item_form.subject_hits = hits;
                }
            }
            SearchOwner::Nominals => {
                if self.nominals.search_number == Some(number) {
                    self.nominals.hits = hits;
                    self.nominals.answered = true;
                }
            }
            SearchOwner::Risk => {
                if self.risk.form.subject_search == Some(number) {
                    self.risk.form.subject_hits = hits;
                }
            }
            SearchOwner::NaParty(party) => {
                if self.na_register.form.search == Some((party, number)) {
                    self.na_register.form.hits = hits;
                }
            }
            SearchOwner::Intervention => {
                if self.interventions.form.search == Some(number) {
                    self.interventions.form.hits = hits;
                }
            }
            SearchOwner::Transferee => {
                if self.reports.transferee.search == Some(number) {
                    self.reports.transferee.hits = hits;
                }
            }
            SearchOwner::Graph => {
                if self.graph.nominal_search == Some(number) {
                    self.graph.nominal_hits = hits;
                }
            }
        }
    }

    /// A result, for the panel that asked.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per response, each a line or two"
    )]
    fn apply_response(&mut self, origin: Origin, response: Response, commands: &CommandQueue) {
        match response {
            Response::IntelCount { query, count } => self.intel_log.apply_count(&query, count),
            Response::IntelPage {
                query,
                offset,
                rows,
            } => self.intel_log.apply_page(&query, offset, rows),
            Response::Item {
                item,
                attachments,
                user_names,
                subject_names,
            } => self
                .item
                .show(*item, attachments, user_names, subject_names),
            Response::ItemHistory {
                reference,
                versions,
            } => {
                if self
                    .item
                    .item
                    .as_ref()
                    .is_some_and(|i| i.reference == reference)
                {
                    self.item.history = Some(versions);
                }
            }
            Response::ItemSaved(item) => {
                self.intel_log.invalidate();
                self.item_form = ItemForm::default();
                self.notice = Some(Notice {
                    text: format!("{} saved (version {}).", item.reference, item.version),
                    is_error: false,
                });
                self.open_item(item.reference.clone());
            }
            Response::SearchResults { number, hits } => {
                if let Origin::Search(owner) = origin {
                    self.search_answered(owner, number, hits);
                } else {
                    tracing::warn!("search results for a panel that did not search");
                }
            }
            Response::Nominal(profile) => {
                self.nominals
                    .show_profile(*profile, &self.session.reference);
            }
            Response::NominalSaved(nominal) => {
                self.nominals.form = super::nominals_panel::NominalForm::default();
                self.notice = Some(Notice {
                    text: format!("Nominal {} recorded.", nominal.id),
                    is_error: false,
                });
                self.open_nominal(nominal.id);
            }
            Response::Attachment { info, content } => self.item.viewing = Some((info, content)),
            Response::GraphAnswer { intent, answer } => self.graph.apply_answer(intent, *answer),
            Response::Exposures { leads, names } => {
                self.graph.message = Some(format!("{} exposure lead(s).", leads.len()));
                self.graph.lead_names = names.into_iter().collect();
                self.graph.leads = Some(leads);
                self.graph.results.page = 0;
            }
            Response::LeadShown { path, network } => self.graph.show_lead(&path, &network),
            Response::ChartSaved(name) => {
                self.notice = Some(Notice {
                    text: format!("Chart \"{name}\" saved."),
                    is_error: false,
                });
                commands.request(Origin::Graph, Request::ListCharts);
            }
            Response::Charts(names) => self.graph.chart_names = names,
            Response::ChartContext(context) => self.graph.set_context(*context),
            Response::ChartOpened { chart, network } => self.graph.open_saved(*chart, &network),
            Response::Exported(path) => {
                self.notice = Some(Notice {
                    text: format!("Saved to {} (recorded as a disclosure).", path.display()),
                    is_error: false,
                });
            }
            Response::Instruments(versions) => self.risk.instruments = Some(versions),
            Response::Instrument {
                instrument,
                for_form,
            } => self.risk.apply_instrument(*instrument, for_form),
            Response::Assessed(record) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Assessment #{} saved: total {}, band {}.",
                        record.id, record.score.total, record.score.band
                    ),
                    is_error: false,
                });
                self.risk.apply_saved(&record, commands);
            }
            Response::Assessments { subject, records } => {
                if origin == Origin::NaRegister {
                    if let Some((employee, slot)) = &mut self.na_register.employee_assessments
                        && *employee == subject
                    {
                        *slot = Some(records);
                    }
                } else {
                    self.risk.history.apply(subject, records);
                }
            }
            Response::Rescored { id, rescore } => self.risk.history.rescore = Some((id, *rescore)),
            Response::InstrumentPublished { key, version } => {
                self.notice = Some(Notice {
                    text: format!("Instrument {key} version {version} published."),
                    is_error: false,
                });
                self.risk.apply_published(commands);
            }
            Response::BeaconCohort(entries) => self.risk.cohort.entries = Some(entries),
            Response::BeaconDue(due) => self.risk.cohort.due = Some(due),
            Response::BeaconScreening(screening) => self.risk.screening.screened(*screening),
            Response::BeaconFindingOpened(opened) => self.risk.screening.opened(*opened),
            Response::BeaconSuggestions(suggestions) => {
                self.risk.form.apply_suggestions(*suggestions);
            }
            Response::ItemPriority {
                reference,
                instrument,
                history,
            } => self.item.priority.apply(reference, *instrument, history),
            Response::ItemPrioritised(priority) => {
                self.notice = Some(Notice {
                    text: format!(
                        "{} scored {} (score {}).",
                        priority.item, priority.score.band, priority.score.total
                    ),
                    is_error: false,
                });
                self.item.priority.saved(commands);
                self.intel_log.invalidate();
            }
            Response::CohortChanged(text) => {
                self.notice = Some(Notice {
                    text,
                    is_error: false,
                });
                self.risk.cohort.invalidate();
            }
            Response::ThreatAssessment(assessment) => self.reports.assessed(assessment),
            Response::ControlStrategy(rows) => self.reports.strategy.read(rows),
            Response::AssessmentTextVersions(versions) => {
                self.reports.text_editor.history = Some(versions);
            }
            Response::AssessmentTextSaved {
                version,
                assessment,
            } => {
                self.notice = Some(Notice {
                    text: format!(
                        "Version {version} of the analyst's text for {} to {} saved.",
                        assessment.from, assessment.to
                    ),
                    is_error: false,
                });
                self.reports.text_editor.saved();
                self.reports.assessed(assessment);
            }
            Response::TransfereePackage(package) => self.reports.transferee.previewed(package),
            Response::NaList { filter, rows } => self.na_register.apply_rows(&filter, rows),
            Response::NaCounts(counts) => self.na_register.counts = Some(counts),
            Response::NaSaved(entry) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Register entry NA {} saved ({}).",
                        entry.id,
                        entry.status.label().to_lowercase()
                    ),
                    is_error: false,
                });
                self.na_register.saved();
            }
            Response::Interventions(rows) => self.interventions.rows = Some(rows),
            Response::Intervention(view) => self.interventions.open = Some(*view),
            Response::InterventionSaved(id) => {
                self.notice = Some(Notice {
                    text: format!("Intervention {id} saved."),
                    is_error: false,
                });
                self.interventions.saved(id, commands);
            }
            Response::AwaitingDecision(count) => {
                self.interventions.awaiting = Some(count);
                if count > 0 {
                    self.notice = Some(Notice {
                        text: format!(
                            "{count} management intervention(s) await your decision (Interventions)."
                        ),
                        is_error: false,
                    });
                }
            }
            Response::ImportPreview { path, preview } => self.imports.previewed(&path, preview),
            Response::Imported(report) => self.imports.imported(*report),
            Response::FtmImported(report) => self.imports.ftm_imported(*report),
            Response::CrossrefRun(run) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Cross-reference: {} lead(s) at or above the threshold; {} pattern(s) below it.",
                        run.leads.len(),
                        run.below_threshold.len()
                    ),
                    is_error: false,
                });
                self.imports.leads.below = run.below_threshold;
                let mut leads = run.leads;
                // Keep every lead found before, with this run's first.
                if let Some(rows) = self.imports.leads.rows.take() {
                    for old in rows {
                        if !leads.iter().any(|l| l.id == old.id) {
                            leads.push(old);
                        }
                    }
                }
                self.imports.leads_read(leads);
            }
            Response::Leads(rows) => self.imports.leads_read(rows),
            Response::LeadPromoted { lead, reference } => {
                self.notice = Some(Notice {
                    text: format!("Lead {lead} recorded as {reference}."),
                    is_error: false,
                });
                self.imports.lead_promoted(lead, &reference);
            }
            Response::PurposeSet(purpose) => {
                self.purpose_input.clone_from(&purpose);
                self.session.purpose = Some(purpose);
                self.audit.forget_pages();
                self.notice = None;
            }
            Response::Users(users) => self.users.users = Some(users),
            Response::UserAdded(user) => {
                self.users.clear_add_form();
                self.notice = Some(Notice {
                    text: format!("Added user #{} as {}.", user.id.0, user.role.label()),
                    is_error: false,
                });
                commands.request(Origin::Users, Request::ListUsers);
            }
            Response::UserRemoved => {
                self.notice = Some(Notice {
                    text: String::from(
                        "User removed and their key slot deleted. Rotate the master key so that any copy of their slot opens nothing.",
                    ),
                    is_error: false,
                });
                commands.request(Origin::Users, Request::ListUsers);
            }
            Response::PasswordReset => {
                self.users.clear_reset_form();
                self.notice = Some(Notice {
                    text: String::from("Password reset: the user has a new key slot."),
                    is_error: false,
                });
            }
            Response::PasswordChanged => {
                self.account.clear();
                self.notice = Some(Notice {
                    text: String::from("Your password has been changed."),
                    is_error: false,
                });
            }
            Response::Rekeyed(report) => {
                self.notice = Some(Notice {
                    text: format!(
                        "Master key rotated (generation {}); {} key slot(s) re-sealed.",
                        report.new_epoch, report.slots_resealed
                    ),
                    is_error: false,
                });
            }
            Response::BackupWritten(report) => {
                self.notice = Some(Notice {
                    text: format!("Backup written to {}.", report.path.display()),
                    is_error: false,
                });
            }
            Response::Verified(verification) => self.audit.verification = Some(verification),
            Response::AuditHeadExported { seq, path } => {
                self.notice = Some(Notice {
                    text: format!(
                        "Signed head of entry {seq} written to {} (recorded in the log). Keep it on write-once storage.",
                        path.display()
                    ),
                    is_error: false,
                });
            }
            Response::AuditHeadChecked(check) => self.audit.head_check = Some(check),
            Response::IdleLockPolicySet(policy) => {
                self.idle_lock_max_minutes = policy;
                self.account.unit_policy = policy;
                // The user's own setting, never longer than the unit's.
                let own = self.account.idle_minutes.unwrap_or(5);
                self.idle
                    .set_timeout_minutes(policy.map_or(own, |max| own.min(max)));
                self.notice = Some(Notice {
                    text: policy.map_or_else(
                        || String::from("The unit's idle lock policy was removed."),
                        |max| {
                            format!(
                                "Every session now locks after at most {max} minutes without input."
                            )
                        },
                    ),
                    is_error: false,
                });
            }
            Response::AuditPage { first_seq, entries } => self.audit.store_page(first_seq, entries),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{FieldError, InvalidRecord, Role, User, UserId};
    use crate::ui::area::Area;
    use crate::ui::session::{SessionStart, SessionWorker};
    use crate::ui::session_view::SessionView;
    use crate::workbench::WorkbenchError;

    /// A main window whose session thread has ended (it was asked to unlock nothing): the
    /// replies below are handed to it directly, as the worker would.
    fn main_screen() -> MainScreen {
        let worker = SessionWorker::spawn(
            SessionStart::Unlock {
                path: std::path::PathBuf::from("no-such-folder.ccuwb"),
                user_name: "Nobody Synthetic".into(),
                password: zeroize::Zeroizing::new("not a password".into()),
                machine_dir: None,
            },
            || {},
        )
        .unwrap();
        let session = SessionView {
            user: User {
                id: UserId(1),
                name: "Inspector Synthetic".into(),
                role: Role::Inspector,
                created_at_utc: String::new(),
                removed_at_utc: None,
            },
            purpose: Some("OP-ORIGIN".into()),
            head: crate::store::AuditHead {
                seq: 0,
                hash: crate::domain::genesis_hash("origin"),
            },
            busy: None,
            reference: std::sync::Arc::new(crate::io::reference_file::shipped_default().unwrap()),
            today: "2026-06-01".parse().unwrap(),
        };
        MainScreen::new("origin.ccuwb".into(), worker, session, 5)
    }

    fn reply(origin: Origin, failure: Failure) -> SessionEvent {
        SessionEvent::Reply(Reply {
            origin,
            outcome: Err(failure),
        })
    }

    fn invalid(field: &str) -> InvalidRecord {
        InvalidRecord {
            what: "record",
            errors: vec![FieldError {
                field: field.into(),
                message: "is required".into(),
            }],
        }
    }

    #[test]
    fn a_failure_reaches_only_the_form_that_asked() {
        let mut main = main_screen();
        let commands = CommandQueue::default();
        main.item_form.saving = true;
        main.nominals.form.saving = true;
        main.na_register.form.saving = true;

        main.apply_event(
            reply(Origin::NaRegister, Failure::Refused("refused".into())),
            &commands,
        );
        assert!(!main.na_register.form.saving);
        assert_eq!(main.na_register.form.error.as_deref(), Some("refused"));
        // The other forms still wait for their own answers.
        assert!(main.item_form.saving);
        assert!(main.nominals.form.saving);
        assert!(main.notice.as_ref().is_some_and(|n| n.is_error));

        // Field errors go to the form that asked, whichever area is showing.
        main.area = Area::Nominals;
        main.apply_event(
            reply(Origin::ItemForm, Failure::Invalid(invalid("narrative"))),
            &commands,
        );
        assert!(main.item_form.errors.contains_key("narrative"));
        assert!(!main.item_form.saving);
        assert!(main.nominals.form.errors.is_empty());
        assert!(main.nominals.form.saving);

        // Likely duplicates are shown by the new-nominal form, not reported as an error.
        main.notice = None;
        main.apply_event(
            reply(Origin::NominalForm, Failure::PossibleDuplicates(Vec::new())),
            &commands,
        );
        assert!(!main.nominals.form.saving);
        assert!(main.notice.is_none());
    }

    #[test]
    fn every_workbench_error_is_mapped_to_what_its_origin_shows() {
        assert!(matches!(
            Failure::from(WorkbenchError::Invalid(invalid("name"))),
            Failure::Invalid(_)
        ));
        assert!(matches!(
            Failure::from(WorkbenchError::PossibleDuplicates(Vec::new())),
            Failure::PossibleDuplicates(_)
        ));
        let refused = Failure::from(WorkbenchError::NoSuchItem);
        assert_eq!(refused.message(), WorkbenchError::NoSuchItem.to_string());
    }
}
