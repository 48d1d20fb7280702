//! File dialogs behind a trait, so tests never open a real dialog, and so a desktop without a
//! working dialog still gets one: the app's own browser (`file_browser.rs`).
//!
//! Every file the GUI reads or writes is asked for with a [`FileRequest`]: what the file is for
//! ([`FilePurpose`]), which decides the dialog's title, its filter and the rule the chosen path
//! must meet. The wording of each request is here, once, for the native dialog and the in-app
//! browser alike.
//!
//! A picker answers `Ok(Some(path))`, `Ok(None)` (the user cancelled) or
//! `Err(PickerUnavailable)` (no dialog could be shown). `rfd` 0.17 cannot say the last itself:
//! on Linux its `xdg-portal` backend loads libdbus at run time, asks the desktop portal, falls
//! back to `zenity`, and when all of that fails it logs and returns `None`, exactly as for a
//! cancel (its async API returns the same `Option`). So [`NativeFilePicker`] decides it in two
//! steps:
//! 1. before asking: with neither a session bus (`DBUS_SESSION_BUS_ADDRESS`, or the socket
//!    `$XDG_RUNTIME_DIR/bus`) nor `zenity` on `PATH`, no dialog can appear, and none is tried;
//! 2. after asking: a "no file" that came back faster than anyone can cancel a dialog
//!    ([`FASTEST_CANCEL`]) is a failure (a bus without a portal, libdbus missing, zenity
//!    missing): `rfd` fails in a few milliseconds there.
//!
//! On Windows and macOS the system dialogs are always there, and `None` is a cancel.
//!
//! [`PathAsker`] is what a command uses: the native dialog, unless the unit always uses the
//! in-app browser or the dialog is unavailable; then the request is kept, the browser opens,
//! and the command is applied again with the browser's answer (the same code after the path
//! is known).

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What a file is asked for. Decides the title, the filter and the rule for the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// An existing workbench folder to open.
    OpenWorkbench,
    /// Where to create a new workbench folder (it must not exist yet).
    NewWorkbench,
    /// Where to write a backup folder (it must not exist yet).
    Backup,
    /// A file to attach to an item.
    Attachment,
    /// Where to save an attachment (a disclosure).
    AttachmentDestination,
    /// Where to write an export (a disclosure): a file that leaves the workbench.
    ExportDestination,
    /// A risk instrument file (TOML) to publish as a new version.
    InstrumentFile,
    /// A bulk file (CSV) to import.
    ImportFile,
    /// An import spec (TOML).
    ImportSpec,
    /// A signed audit head file (JSON) to check the chain against.
    SignedHead,
    /// A FollowTheMoney JSON lines file to import.
    FtmFile,
}

pub use crate::platform::file_choice::PathRule;

impl FilePurpose {
    /// The dialog's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::OpenWorkbench => "Open a workbench (.ccuwb folder)",
            Self::NewWorkbench => "Create a workbench",
            Self::Backup => "Write a backup",
            Self::Attachment => "Attach a file",
            Self::AttachmentDestination => "Save the attachment (recorded as a disclosure)",
            Self::ExportDestination => "Save the export (recorded as a disclosure)",
            Self::InstrumentFile => "Publish a risk instrument file",
            Self::ImportFile => "Import a file",
            Self::ImportSpec => "Choose an import spec",
            Self::SignedHead => "Check the log against a signed head",
            Self::FtmFile => "Import a FollowTheMoney file",
        }
    }

    /// The files offered: a name and the extensions (without dots); `None` offers every file.
    #[must_use]
    pub fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Self::InstrumentFile => Some(("Instrument (TOML)", &["toml"])),
            Self::ImportFile => Some(("CSV", &["csv", "txt", "tsv"])),
            Self::ImportSpec => Some(("Import spec (TOML)", &["toml"])),
            Self::SignedHead => Some(("Signed audit head (JSON)", &["json"])),
            Self::FtmFile => Some((
                "FollowTheMoney (JSON lines)",
                &["jsonl", "json", "ftm", "ijson"],
            )),
            Self::OpenWorkbench
            | Self::NewWorkbench
            | Self::Backup
            | Self::Attachment
            | Self::AttachmentDestination
            | Self::ExportDestination => None,
        }
    }

    /// What the chosen path must be.
    #[must_use]
    pub fn rule(self) -> PathRule {
        match self {
            Self::OpenWorkbench => PathRule::ExistingFolder,
            Self::NewWorkbench | Self::Backup => PathRule::NewWorkbenchFolder,
            Self::AttachmentDestination | Self::ExportDestination => PathRule::NewFile,
            Self::Attachment
            | Self::InstrumentFile
            | Self::ImportFile
            | Self::ImportSpec
            | Self::SignedHead
            | Self::FtmFile => PathRule::ExistingFile,
        }
    }

    /// The file name offered when none is given.
    fn default_file_name(self) -> Option<&'static str> {
        match self {
            Self::NewWorkbench => Some("New workbench.ccuwb"),
            Self::Backup => Some("Backup.ccuwb"),
            Self::OpenWorkbench
            | Self::Attachment
            | Self::AttachmentDestination
            | Self::ExportDestination
            | Self::InstrumentFile
            | Self::ImportFile
            | Self::ImportSpec
            | Self::SignedHead
            | Self::FtmFile => None,
        }
    }
}

/// One request for a path: what for, where to start, and the file name offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRequest {
    pub purpose: FilePurpose,
    /// The folder the dialog opens in, if the command knows a good one.
    pub start: Option<PathBuf>,
    /// The file name offered (saving).
    pub file_name: Option<String>,
}

impl FileRequest {
    /// A request with no start folder and the purpose's own file name, if any.
    #[must_use]
    pub fn new(purpose: FilePurpose) -> Self {
        Self {
            purpose,
            start: None,
            file_name: purpose.default_file_name().map(str::to_owned),
        }
    }

    /// Where to write an export called `file_name` (offered).
    #[must_use]
    pub fn export(file_name: &str) -> Self {
        Self::new(FilePurpose::ExportDestination).named(file_name)
    }

    /// Opens in `start`, if given.
    #[must_use]
    pub fn starting_in(mut self, start: Option<&Path>) -> Self {
        self.start = start.map(Path::to_path_buf);
        self
    }

    /// Offers `file_name`.
    #[must_use]
    pub fn named(mut self, file_name: &str) -> Self {
        self.file_name = Some(file_name.to_owned());
        self
    }

    /// The path as the command uses it: a new workbench or backup folder gets `.ccuwb`.
    #[must_use]
    pub fn finish(&self, path: PathBuf) -> PathBuf {
        match self.purpose.rule() {
            PathRule::NewWorkbenchFolder => with_workbench_extension(path),
            PathRule::ExistingFile | PathRule::ExistingFolder | PathRule::NewFile => path,
        }
    }
}

/// No dialog could be shown (no desktop portal, no zenity, no session bus): the app's own
/// browser is used instead. Carries nothing but the fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PickerUnavailable;

impl std::fmt::Display for PickerUnavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(DIALOG_UNAVAILABLE)
    }
}

impl std::error::Error for PickerUnavailable {}

/// What the app says when the system dialog could not be shown.
pub const DIALOG_UNAVAILABLE: &str =
    "The system file dialog is not available on this desktop; choose the file here instead.";

/// A picker's answer: a path, `None` when the user cancelled, or no dialog at all.
pub type Picked = Result<Option<PathBuf>, PickerUnavailable>;

/// Asks the user for paths. The GUI uses [`NativeFilePicker`]; tests use a scripted one.
pub trait FilePicker {
    /// Shows a dialog for `request` and waits for the answer.
    ///
    /// # Errors
    /// [`PickerUnavailable`] when no dialog could be shown.
    fn pick(&mut self, request: &FileRequest) -> Picked;
}

/// The platform's dialogs (through `rfd`: the Windows common dialogs, the desktop portal or
/// zenity on Linux).
#[derive(Debug, Default)]
pub struct NativeFilePicker;

/// Faster than this, a "no file" from the native dialog is a failure, not a cancel: a dialog
/// has to appear and be read before anyone dismisses it.
pub const FASTEST_CANCEL: Duration = Duration::from_millis(300);

impl FilePicker for NativeFilePicker {
    fn pick(&mut self, request: &FileRequest) -> Picked {
        if !crate::platform::file_choice::native_dialog_possible() {
            tracing::warn!(
                "no system file dialog (no session bus, no zenity): using the app's own"
            );
            return Err(PickerUnavailable);
        }
        let purpose = request.purpose;
        let mut dialog = rfd::FileDialog::new().set_title(purpose.title());
        if let Some((name, extensions)) = purpose.filter() {
            dialog = dialog.add_filter(name, extensions);
        }
        if let Some(dir) = &request.start {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = &request.file_name {
            dialog = dialog.set_file_name(name);
        }
        let asked = std::time::Instant::now();
        let answer = match purpose.rule() {
            PathRule::ExistingFile => dialog.pick_file(),
            PathRule::ExistingFolder => dialog.pick_folder(),
            PathRule::NewFile | PathRule::NewWorkbenchFolder => dialog.save_file(),
        };
        if answer.is_none() && cancel_means_failure(asked.elapsed()) {
            tracing::warn!("the system file dialog failed: using the app's own");
            return Err(PickerUnavailable);
        }
        Ok(answer)
    }
}

/// Whether a "no file" after `elapsed` is a failure (Linux and the BSDs, where `rfd` says
/// nothing of failures; see the file's doc).
fn cancel_means_failure(elapsed: Duration) -> bool {
    cfg!(all(unix, not(target_os = "macos"))) && elapsed < FASTEST_CANCEL
}

/// A request kept for the in-app browser: the native dialog was not tried (the unit always
/// uses the browser) or could not be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    pub request: FileRequest,
    /// The native dialog was tried and failed (the browser says so).
    pub native_failed: bool,
}

/// How one command asks for its path (see the file's doc).
pub struct PathAsker<'a> {
    picker: &'a mut dyn FilePicker,
    in_app_only: bool,
    /// The in-app browser's answer, when the command is applied again with it.
    answer: Option<PathBuf>,
    deferred: Option<Deferred>,
}

impl std::fmt::Debug for PathAsker<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PathAsker")
            .field("in_app_only", &self.in_app_only)
            .field("deferred", &self.deferred)
            .finish_non_exhaustive()
    }
}

impl<'a> PathAsker<'a> {
    /// Asks through `picker`, or only through the in-app browser when `in_app_only`; `answer`
    /// is the browser's answer to this command's request, when it is applied again with it.
    pub fn new(picker: &'a mut dyn FilePicker, in_app_only: bool, answer: Option<PathBuf>) -> Self {
        Self {
            picker,
            in_app_only,
            answer,
            deferred: None,
        }
    }

    /// The path for `request` (a new workbench or backup folder with `.ccuwb`), or `None`:
    /// cancelled, or kept for the in-app browser.
    pub fn ask(&mut self, request: FileRequest) -> Option<PathBuf> {
        if let Some(path) = self.answer.take() {
            return Some(request.finish(path));
        }
        if self.in_app_only {
            self.deferred = Some(Deferred {
                request,
                native_failed: false,
            });
            return None;
        }
        let Ok(answer) = self.picker.pick(&request) else {
            self.deferred = Some(Deferred {
                request,
                native_failed: true,
            });
            return None;
        };
        answer.map(|path| request.finish(path))
    }

    /// The request left for the in-app browser, if any.
    #[must_use]
    pub fn into_deferred(self) -> Option<Deferred> {
        self.deferred
    }
}

/// Adds `.ccuwb` unless the name already ends with it.
#[must_use]
pub fn with_workbench_extension(path: PathBuf) -> PathBuf {
    let has = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(crate::store::WORKBENCH_EXTENSION));
    if has {
        path
    } else {
        let mut name = path
            .file_name()
            .map(std::ffi::OsStr::to_os_string)
            .unwrap_or_default();
        name.push(".");
        name.push(crate::store::WORKBENCH_EXTENSION);
        path.with_file_name(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_is_added_once() {
        assert_eq!(
            with_workbench_extension(PathBuf::from("/x/Op Alpha")),
            PathBuf::from("/x/Op Alpha.ccuwb")
        );
        assert_eq!(
            with_workbench_extension(PathBuf::from("/x/a.CCUWB")),
            PathBuf::from("/x/a.CCUWB")
        );
    }

    struct Failing(usize);

    impl FilePicker for Failing {
        fn pick(&mut self, _request: &FileRequest) -> Picked {
            self.0 += 1;
            Err(PickerUnavailable)
        }
    }

    #[test]
    fn a_failed_dialog_is_kept_for_the_browser_and_its_answer_finishes_the_command() {
        let mut picker = Failing(0);
        let mut asker = PathAsker::new(&mut picker, false, None);
        assert_eq!(asker.ask(FileRequest::new(FilePurpose::Backup)), None);
        let deferred = asker.into_deferred().expect("kept");
        assert!(deferred.native_failed);
        assert_eq!(deferred.request.file_name.as_deref(), Some("Backup.ccuwb"));
        let mut asker = PathAsker::new(&mut picker, false, Some(PathBuf::from("/x/b")));
        assert_eq!(
            asker.ask(FileRequest::new(FilePurpose::Backup)),
            Some(PathBuf::from("/x/b.ccuwb"))
        );
        assert!(asker.into_deferred().is_none());
        assert_eq!(picker.0, 1, "the answer was not asked for again");
    }

    #[test]
    fn in_app_only_never_tries_the_native_dialog() {
        let mut picker = Failing(0);
        let mut asker = PathAsker::new(&mut picker, true, None);
        assert_eq!(asker.ask(FileRequest::export("a.html")), None);
        let deferred = asker.into_deferred().expect("kept");
        assert!(!deferred.native_failed);
        assert_eq!(picker.0, 0);
    }

    #[test]
    fn only_a_fast_no_file_is_a_failure() {
        assert!(!cancel_means_failure(Duration::from_secs(2)));
        assert_eq!(
            cancel_means_failure(Duration::from_millis(5)),
            cfg!(all(unix, not(target_os = "macos")))
        );
    }
}
