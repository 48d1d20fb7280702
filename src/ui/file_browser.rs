//! The app's own file browser, for desktops where the system's file dialog cannot be shown (no
//! desktop portal, no zenity) and for units that want no desktop integration (My account:
//! "Always use the in-app file browser"). Without it, "Choose file…" on such a desktop did
//! nothing and said nothing (issue 26).
//!
//! A modal window with the request's title and filter, a typed path, the recent folders, and
//! the current folder's sub-folders and matching files (listed by the library,
//! `platform::file_choice`: the UI never touches the file system). It keeps the same rules as
//! the native path, checked by [`check_choice`]: a file to read must exist and be a
//! file (a folder for a workbench to open); an export, a saved attachment, a backup or a new
//! workbench must not exist yet (nothing is ever overwritten) and its folder must.
//!
//! It changes nothing itself: [`FileBrowser::ui`] answers a [`BrowserOutcome`], and the app
//! applies the command that asked for the path again with it (`workbench_app.rs`), so the
//! operation after the path is known is the one the native dialog leads to. It writes nothing
//! anywhere, and its messages name paths, never what is in a file.
//!
//! Written here rather than taken from `egui_file` 0.29 (the one release for egui 0.37; two
//! crates, itself and `dyn-clone`, about 1,100 lines): its path fields have no accessible name,
//! which fails the GUI tests' accessibility check, its save mode accepts an existing file, and
//! it offers renaming and new folders, which this app does not want. This one is about 400
//! lines here and 260 in `platform::file_choice` (with their tests), and adds no dependency.

use super::file_picker::{DIALOG_UNAVAILABLE, Deferred, FileRequest, PathRule};
use super::{theme, widgets};
use crate::platform::file_choice::{self, FolderEntry};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// How many entries of one folder are listed (a folder of a million files stays quick).
pub const MAX_ENTRIES: usize = 5_000;

/// What the browser answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserOutcome {
    /// A path that meets the request's rule.
    Chosen(PathBuf),
    /// Closed without a choice: nothing happens.
    Cancelled,
}

/// The in-app file browser for one request.
#[derive(Debug)]
pub struct FileBrowser {
    request: FileRequest,
    /// The native dialog was tried and failed: the browser says so.
    native_failed: bool,
    folder: PathBuf,
    path_text: String,
    entries: Vec<FolderEntry>,
    /// More entries than [`MAX_ENTRIES`] were in the folder.
    cut_off: bool,
    listing_error: Option<String>,
    message: Option<String>,
    recent: Vec<PathBuf>,
    home: Option<PathBuf>,
    /// The path field has had the keyboard focus once (it gets it when the browser opens).
    focused: bool,
}

impl FileBrowser {
    /// A browser for `deferred`'s request, offering `recent` folders (most recent first).
    #[must_use]
    pub fn new(deferred: Deferred, recent: Vec<PathBuf>) -> Self {
        let home = crate::platform::home_folder();
        let folder = deferred
            .request
            .start
            .clone()
            .filter(|dir| file_choice::is_folder(dir))
            .or_else(|| {
                recent
                    .iter()
                    .find(|dir| file_choice::is_folder(dir))
                    .cloned()
            })
            .or_else(|| home.clone())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("/"));
        let mut browser = Self {
            request: deferred.request,
            native_failed: deferred.native_failed,
            folder: PathBuf::new(),
            path_text: String::new(),
            entries: Vec::new(),
            cut_off: false,
            listing_error: None,
            message: None,
            recent,
            home,
            focused: false,
        };
        browser.open_folder(folder);
        browser
    }

    /// The request being answered.
    #[must_use]
    pub fn request(&self) -> &FileRequest {
        &self.request
    }

    /// The folder listed.
    #[must_use]
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The message shown after a refused choice, if any.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Lists `folder` and puts the path the request would take there in the path field.
    pub fn open_folder(&mut self, folder: PathBuf) {
        self.message = None;
        let rule = self.request.purpose.rule();
        self.path_text = match rule {
            PathRule::NewFile | PathRule::NewWorkbenchFolder => {
                let name = Path::new(self.path_text.trim())
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .filter(|_| !self.path_text.trim().is_empty())
                    .or_else(|| self.request.file_name.clone())
                    .unwrap_or_default();
                folder.join(name).display().to_string()
            }
            PathRule::ExistingFile | PathRule::ExistingFolder => {
                let mut text = folder.display().to_string();
                if rule == PathRule::ExistingFile && !text.ends_with(std::path::MAIN_SEPARATOR) {
                    text.push(std::path::MAIN_SEPARATOR);
                }
                text
            }
        };
        let extensions = self
            .request
            .purpose
            .filter()
            .map(|(_, extensions)| extensions);
        match file_choice::list_folder(&folder, rule, extensions, MAX_ENTRIES) {
            Ok((entries, cut_off)) => {
                self.entries = entries;
                self.cut_off = cut_off;
                self.listing_error = None;
            }
            Err(err) => {
                self.entries.clear();
                self.cut_off = false;
                self.listing_error = Some(format!("This folder could not be listed: {err}."));
            }
        }
        self.folder = folder;
    }

    /// Draws the browser; answers once the user has chosen or cancelled.
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<BrowserOutcome> {
        let mut outcome = None;
        let modal = egui::Modal::new(egui::Id::unique("in_app_file_browser")).show(ctx, |ui| {
            ui.set_width(BROWSER_WIDTH);
            outcome = self.contents_ui(ui);
        });
        if outcome.is_none() && modal.should_close() {
            outcome = Some(BrowserOutcome::Cancelled);
        }
        outcome
    }

    fn contents_ui(&mut self, ui: &mut Ui) -> Option<BrowserOutcome> {
        let mut outcome = None;
        let mut go_to: Option<PathBuf> = None;
        // A file clicked in the listing, and whether twice (chosen at once).
        let mut picked: Option<(PathBuf, bool)> = None;
        ui.heading(self.request.purpose.title());
        if self.native_failed {
            ui.label(RichText::new(DIALOG_UNAVAILABLE).color(theme::WARNING));
        }
        ui.label(RichText::new(self.showing_words()).color(theme::MUTED));
        ui.add_space(theme::ITEM_SPACING);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    self.folder.parent().is_some(),
                    egui::Button::new("Parent folder"),
                )
                .clicked()
            {
                go_to = self.folder.parent().map(Path::to_path_buf);
            }
            if let Some(home) = &self.home
                && ui.button("Home folder").clicked()
            {
                go_to = Some(home.clone());
            }
            ui.label(RichText::new(format!("In {}", self.folder.display())).strong());
        });
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_width(RECENT_WIDTH);
                ui.label(RichText::new("Recent folders").strong());
                if self.recent.is_empty() {
                    ui.label(RichText::new("None yet.").color(theme::MUTED));
                }
                for dir in &self.recent {
                    let name = dir.file_name().map_or_else(
                        || dir.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(dir.display().to_string())
                        .clicked()
                    {
                        go_to = Some(dir.clone());
                    }
                }
            });
            ui.add_space(theme::ITEM_SPACING);
            ui.vertical(|ui| {
                if let Some(error) = &self.listing_error {
                    widgets::error_ui(ui, error);
                }
                if self.entries.is_empty() && self.listing_error.is_none() {
                    ui.label(RichText::new(self.nothing_here_words()).color(theme::MUTED));
                }
                let row_height = ui.spacing().interact_size.y;
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("file_browser_listing")
                        .max_height(LISTING_HEIGHT)
                        .auto_shrink([false, false])
                        .show_rows(ui, row_height, self.entries.len(), |ui, rows| {
                            for entry in &self.entries[rows] {
                                let shown = if entry.is_folder {
                                    format!("{}{}", entry.name, std::path::MAIN_SEPARATOR)
                                } else {
                                    entry.name.clone()
                                };
                                let selected = Path::new(self.path_text.trim()) == entry.path;
                                let response = ui.selectable_label(selected, shown);
                                if response.double_clicked() && !entry.is_folder {
                                    picked = Some((entry.path.clone(), true));
                                } else if response.clicked() {
                                    if entry.is_folder {
                                        go_to = Some(entry.path.clone());
                                    } else {
                                        picked = Some((entry.path.clone(), false));
                                    }
                                }
                            }
                        });
                });
                if self.cut_off {
                    ui.label(
                        RichText::new(format!(
                            "Only the first {MAX_ENTRIES} entries are listed: type the path."
                        ))
                        .color(theme::MUTED),
                    );
                }
            });
        });
        if let Some((path, at_once)) = picked {
            self.path_text = path.display().to_string();
            self.message = None;
            if at_once {
                outcome = self.choose();
            }
        }
        ui.add_space(theme::ITEM_SPACING);
        let field_label = match self.request.purpose.rule() {
            PathRule::ExistingFolder | PathRule::NewWorkbenchFolder => "Path of the folder",
            PathRule::ExistingFile | PathRule::NewFile => "Path of the file",
        };
        let label = ui.label(field_label);
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.path_text).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if !self.focused {
            field.request_focus();
            self.focused = true;
        }
        if field.changed() {
            self.message = None;
        }
        let entered = widgets::submitted(ui, &field);
        if let Some(message) = &self.message {
            widgets::error_ui(ui, message);
        }
        ui.add_space(theme::ITEM_SPACING);
        ui.horizontal(|ui| {
            if ui.button(CHOOSE).clicked() {
                outcome = self.choose();
            }
            if ui.button(CANCEL).clicked() {
                outcome = Some(BrowserOutcome::Cancelled);
            }
        });
        if entered && outcome.is_none() {
            // Enter on a folder's path opens it, unless a folder is what is asked for.
            let typed =
                file_choice::resolve_typed(&self.path_text, &self.folder, self.home.as_deref());
            match typed {
                Some(dir)
                    if file_choice::is_folder(&dir)
                        && self.request.purpose.rule() != PathRule::ExistingFolder =>
                {
                    go_to = Some(dir);
                }
                _ => outcome = self.choose(),
            }
        }
        if let Some(dir) = go_to {
            self.open_folder(dir);
        }
        outcome
    }

    /// Checks the typed path against the request's rule: chosen, or a message and no answer.
    fn choose(&mut self) -> Option<BrowserOutcome> {
        let Some(path) =
            file_choice::resolve_typed(&self.path_text, &self.folder, self.home.as_deref())
        else {
            self.message = Some(String::from("Type a path, or choose from the list."));
            return None;
        };
        match check_choice(&self.request, &path) {
            Ok(path) => Some(BrowserOutcome::Chosen(path)),
            Err(message) => {
                self.message = Some(message);
                None
            }
        }
    }

    fn showing_words(&self) -> String {
        match (self.request.purpose.rule(), self.request.purpose.filter()) {
            (PathRule::ExistingFolder | PathRule::NewWorkbenchFolder, _) => {
                String::from("Showing folders.")
            }
            (_, Some((name, extensions))) => format!(
                "Showing folders and {name} files ({}).",
                extensions
                    .iter()
                    .map(|ext| format!(".{ext}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (_, None) => String::from("Showing folders and every file."),
        }
    }

    fn nothing_here_words(&self) -> &'static str {
        match self.request.purpose.rule() {
            PathRule::ExistingFolder | PathRule::NewWorkbenchFolder => "No folders here.",
            PathRule::ExistingFile | PathRule::NewFile => "Nothing here to choose.",
        }
    }
}

/// The button that takes the typed path.
pub const CHOOSE: &str = "Use this path";
/// The button that closes the browser without a choice.
pub const CANCEL: &str = "Cancel";

const BROWSER_WIDTH: f32 = 720.0;
const RECENT_WIDTH: f32 = 170.0;
const LISTING_HEIGHT: f32 = 260.0;

/// Whether `path` meets `request`'s rule (see the file's doc); the path as the command takes
/// it (a new workbench or backup folder gets `.ccuwb` first), or why not, in words.
///
/// # Errors
/// The reason, naming the path, never anything in a file.
pub fn check_choice(request: &FileRequest, path: &Path) -> Result<PathBuf, String> {
    let path = request.finish(path.to_path_buf());
    file_choice::check_path(request.purpose.rule(), &path).map(|()| path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::file_picker::FilePurpose;

    #[test]
    fn a_new_workbench_gets_its_extension_before_it_is_checked() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("Old.ccuwb")).expect("mkdir");
        let request = FileRequest::new(FilePurpose::NewWorkbench);
        let refused = check_choice(&request, &dir.path().join("Old")).unwrap_err();
        assert!(refused.contains("Old.ccuwb already exists"), "{refused}");
        assert_eq!(
            check_choice(&request, &dir.path().join("Fresh")),
            Ok(dir.path().join("Fresh.ccuwb"))
        );
    }

    #[test]
    fn an_export_is_checked_as_it_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let request = FileRequest::export("pib-pack.html");
        assert_eq!(
            check_choice(&request, &dir.path().join("pack")),
            Ok(dir.path().join("pack"))
        );
    }
}
