//! Helpers shared by the GUI tests (`gui*.rs`): the whole app in a headless `egui_kittest`
//! harness with scripted file dialogs, and the steps every test takes through it (type into a
//! field, click, wait for the session thread, sign in). One copy here instead of one per file, so
//! a fix to how the tests wait for the app reaches every GUI test.

use super::CHEAP;
use ccu_workbench::ui::{
    AppConfig, FilePicker, FilePurpose, FileRequest, MainScreen, Picked, PickerUnavailable, Screen,
    WorkbenchApp,
};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Answers file dialogs from a script instead of opening them.
#[derive(Default)]
pub struct ScriptedPicker {
    /// What "choose where to create a workbench" answers.
    pub new_workbench: Option<PathBuf>,
    /// What "choose where to write an export" answers.
    pub export_destination: Option<PathBuf>,
    /// What "choose an instrument file" answers.
    pub instrument_file: Option<PathBuf>,
    /// What "choose a file to import" answers (a FollowTheMoney file too).
    pub import_file: Option<PathBuf>,
    /// What "choose an import spec" answers.
    pub import_spec: Option<PathBuf>,
    /// What "choose a signed audit head" answers.
    pub signed_head: Option<PathBuf>,
    /// The native dialog cannot be shown (no desktop portal, no zenity): every request fails.
    pub native_fails: bool,
    /// How many times a native dialog was asked for (shared with the test).
    pub asked: Arc<AtomicUsize>,
}

impl FilePicker for ScriptedPicker {
    fn pick(&mut self, request: &FileRequest) -> Picked {
        self.asked.fetch_add(1, Ordering::SeqCst);
        if self.native_fails {
            return Err(PickerUnavailable);
        }
        Ok(match request.purpose {
            FilePurpose::NewWorkbench => self.new_workbench.clone(),
            FilePurpose::ExportDestination => self.export_destination.clone(),
            FilePurpose::InstrumentFile => self.instrument_file.clone(),
            FilePurpose::ImportFile | FilePurpose::FtmFile => self.import_file.clone(),
            FilePurpose::ImportSpec => self.import_spec.clone(),
            FilePurpose::SignedHead => self.signed_head.clone(),
            FilePurpose::OpenWorkbench
            | FilePurpose::Backup
            | FilePurpose::Attachment
            | FilePurpose::AttachmentDestination => None,
        })
    }
}

/// Runs GUI frames until the app stops asking for them.
///
/// The session thread wakes the UI when it answers, so on a loaded machine an answer can land
/// in the middle of `Harness::run` and be counted as "never settles" (issue 3's CI failure).
/// This gives the thread a moment and runs again, and only fails if the app keeps asking.
pub fn run_settled<S>(harness: &mut Harness<'_, S>) {
    for _ in 0..200 {
        if harness.try_run().is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run();
}

/// The whole app in a headless harness of `width` × `height` points, with `picker` answering
/// file dialogs and the cheap key derivation.
pub fn app_harness(
    settings: &Path,
    initial: Option<PathBuf>,
    picker: ScriptedPicker,
    (width, height): (f32, f32),
) -> Harness<'static, WorkbenchApp> {
    let app = WorkbenchApp::new(
        AppConfig {
            settings_dir: Some(settings.to_path_buf()),
            file_picker: Box::new(picker),
            kdf: CHEAP,
        },
        initial,
    );
    Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_ui_state(|ui, app: &mut WorkbenchApp| app.ui_root(ui), app)
}

/// Whether the session thread has answered everything asked of it.
pub fn idle(harness: &Harness<'_, WorkbenchApp>) -> bool {
    !harness.state().is_busy()
}

/// Steps the app until `done` holds (the session thread answers in the background), then gives
/// the session thread time to finish what it was asked, then settles.
pub fn wait_until(
    harness: &mut Harness<'_, WorkbenchApp>,
    what: &str,
    done: impl Fn(&Harness<'_, WorkbenchApp>) -> bool,
) {
    wait_until_or_report(harness, what, done, |_| String::new());
}

/// [`wait_until`], printing `report` of the app's state first when `done` never holds (for
/// tests whose failures are hard to read from the assertion alone).
pub fn wait_until_or_report(
    harness: &mut Harness<'_, WorkbenchApp>,
    what: &str,
    done: impl Fn(&Harness<'_, WorkbenchApp>) -> bool,
    report: impl Fn(&Harness<'_, WorkbenchApp>) -> String,
) {
    for _ in 0..6000 {
        harness.step();
        if done(harness) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    if !done(harness) {
        let report = report(harness);
        if !report.is_empty() {
            eprintln!("{report}");
        }
    }
    assert!(done(harness), "never happened: {what}");
    for _ in 0..4000 {
        if idle(harness) {
            break;
        }
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    run_settled(harness);
}

/// Steps frames until the session thread has answered (it runs Argon2id and `SQLCipher` off the
/// UI thread), then runs to a settled frame, which also checks every widget is labelled.
pub fn settle(harness: &mut Harness<'_, WorkbenchApp>) {
    harness.run_steps(2);
    wait_until(harness, "the session thread to answer", idle);
}

/// Scrolls the field labelled `label` into view, clicks it and types `text`.
pub fn type_into<S>(harness: &mut Harness<'_, S>, label: &str, text: &str) {
    harness.get_by_label(label).scroll_to_me();
    run_settled(harness);
    harness.get_by_label(label).click();
    harness.get_by_label(label).type_text(text);
    run_settled(harness);
}

/// Scrolls the widget labelled `label` into view and clicks it.
pub fn click<S>(harness: &mut Harness<'_, S>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    run_settled(harness);
    harness.get_by_label(label).click();
    run_settled(harness);
}

/// Opens an area from the navigation (its button: the area's own heading has the same words
/// when the app opens on it, as it does on the area last left).
pub fn navigate(harness: &mut Harness<'_, WorkbenchApp>, area: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::Button, area)
        .click();
    run_settled(harness);
}

/// Clicks the widget labelled `label` and waits for the session thread to answer.
pub fn click_and_settle(harness: &mut Harness<'_, WorkbenchApp>, label: &str) {
    click(harness, label);
    settle(harness);
}

/// Whether the app shows the unlocked main window.
pub fn is_main(harness: &Harness<'_, WorkbenchApp>) -> bool {
    matches!(harness.state().screen(), Screen::Main(_))
}

/// Whether the app shows the unlock screen.
pub fn is_unlock(harness: &Harness<'_, WorkbenchApp>) -> bool {
    matches!(harness.state().screen(), Screen::Unlock(_))
}

/// Types `password` on the unlock screen and presses Unlock, waiting for the answer (right or
/// wrong: the caller checks which).
pub fn submit_password(harness: &mut Harness<'_, WorkbenchApp>, password: &str) {
    type_into(harness, "Password", password);
    click_and_settle(harness, "Unlock");
}

/// Types `user` and `password` on the unlock screen and presses Unlock, waiting for the answer
/// (right or wrong: the caller checks which).
pub fn try_unlock(harness: &mut Harness<'_, WorkbenchApp>, user: &str, password: &str) {
    type_into(harness, "User name", user);
    submit_password(harness, password);
}

/// Unlocks the app's workbench as `user`, waiting for the main window.
pub fn unlock(harness: &mut Harness<'_, WorkbenchApp>, user: &str, password: &str) {
    try_unlock(harness, user, password);
    wait_until(harness, "the workbench to unlock", is_main);
}

/// Sets the session's purpose from the top bar, waiting for it to be set.
pub fn set_purpose(harness: &mut Harness<'_, WorkbenchApp>, purpose: &str) {
    type_into(harness, "Purpose", purpose);
    click(harness, "Set purpose");
    wait_until(harness, "the purpose to be set", |h| {
        main_screen(h).session.purpose.is_some()
    });
}

/// Unlocks the app's workbench as `user` and sets the session's purpose, waiting for each.
pub fn sign_in(harness: &mut Harness<'_, WorkbenchApp>, user: &str, password: &str, purpose: &str) {
    unlock(harness, user, password);
    set_purpose(harness, purpose);
}

/// The unlocked main window.
pub fn main_screen<'a>(harness: &'a Harness<'_, WorkbenchApp>) -> &'a MainScreen {
    match harness.state().screen() {
        Screen::Main(main) => main,
        _ => panic!("not unlocked"),
    }
}
