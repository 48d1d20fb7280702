//! The machine's file system as the app's own file browser sees it (`ui::file_browser`, used
//! where the system's file dialog cannot be shown): a folder's listing and the rules a chosen
//! path must meet; and whether the system's dialog can appear at all. Here, in the library, because the UI never touches the file system itself.
//!
//! The rules are those of the native path: a file to read must exist and be a file (a folder
//! for a workbench to open); a destination (an export, a saved attachment, a backup, a new
//! workbench) must not exist yet, so nothing is ever overwritten, and its folder must. The
//! messages name paths, never anything in a file.

use std::path::{Path, PathBuf};

/// What a chosen path must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRule {
    /// A file that exists (to read).
    ExistingFile,
    /// A folder that exists (a workbench to open).
    ExistingFolder,
    /// A file that does not exist yet, in a folder that does (an export: never overwritten).
    NewFile,
    /// A workbench folder that does not exist yet (`.ccuwb` added), in a folder that does.
    NewWorkbenchFolder,
}

impl PathRule {
    /// Whether only folders are chosen (and listed).
    #[must_use]
    pub fn wants_folder(self) -> bool {
        matches!(self, Self::ExistingFolder | Self::NewWorkbenchFolder)
    }
}

/// Whether the system's file dialog can appear at all (`ui::file_picker` explains why this is
/// asked): on Linux and the BSDs, a session bus (for the desktop portal) or `zenity` on
/// `PATH`; elsewhere always.
#[must_use]
pub fn native_dialog_possible() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return true;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|dir| Path::new(&dir).join("bus").exists());
    let zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    bus || zenity
}

/// One line of a folder's listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    pub name: String,
    pub path: PathBuf,
    pub is_folder: bool,
}

/// Whether `path` is a folder (following links, as a dialog does).
#[must_use]
pub fn is_folder(path: &Path) -> bool {
    path.is_dir()
}

/// The typed path made absolute: `~` is the home folder, a relative path is in `folder`.
/// `None` when nothing was typed.
#[must_use]
pub fn resolve_typed(typed: &str, folder: &Path, home: Option<&Path>) -> Option<PathBuf> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    if let Some(home) = home {
        if typed == "~" {
            return Some(home.to_path_buf());
        }
        if let Some(rest) = typed.strip_prefix("~/") {
            return Some(home.join(rest));
        }
    }
    let path = Path::new(typed);
    Some(if path.is_absolute() {
        path.to_path_buf()
    } else {
        folder.join(path)
    })
}

/// Whether `path` meets `rule` (see the file's doc).
///
/// # Errors
/// Why not, in words, naming the path and never anything in a file.
pub fn check_path(rule: PathRule, path: &Path) -> Result<(), String> {
    let shown = path.display();
    match rule {
        PathRule::ExistingFile => match std::fs::metadata(path) {
            Ok(meta) if meta.is_file() => Ok(()),
            Ok(_) => Err(format!("{shown} is a folder: choose a file in it.")),
            Err(_) => Err(format!("There is no file at {shown}.")),
        },
        PathRule::ExistingFolder => match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Ok(()),
            Ok(_) => Err(format!("{shown} is a file: choose a folder.")),
            Err(_) => Err(format!("There is no folder at {shown}.")),
        },
        PathRule::NewFile | PathRule::NewWorkbenchFolder => {
            if path.file_name().is_none() {
                return Err(String::from("Type a name for the new file."));
            }
            if std::fs::symlink_metadata(path).is_ok() {
                return Err(format!(
                    "{shown} already exists, and nothing is ever overwritten: choose another name."
                ));
            }
            match path.parent() {
                Some(parent) if parent.as_os_str().is_empty() || parent.is_dir() => Ok(()),
                Some(parent) => Err(format!("There is no folder {}.", parent.display())),
                None => Err(String::from("Type a name for the new file.")),
            }
        }
    }
}

/// The sub-folders of `folder` and, unless `rule` wants a folder, its files whose extension is
/// one of `extensions` (every file when `None`): folders first, each group by name; hidden
/// entries (a leading dot) left out; at most `max` (in the folder's own order), and whether
/// more were there.
///
/// # Errors
/// When the folder cannot be read.
pub fn list_folder(
    folder: &Path,
    rule: PathRule,
    extensions: Option<&[&str]>,
    max: usize,
) -> std::io::Result<(Vec<FolderEntry>, bool)> {
    let mut entries = Vec::new();
    let mut cut_off = false;
    for entry in std::fs::read_dir(folder)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let is_folder = path.is_dir();
        let wanted = is_folder
            || (!rule.wants_folder()
                && extensions.is_none_or(|extensions| {
                    path.extension().is_some_and(|ext| {
                        extensions
                            .iter()
                            .any(|wanted| ext.eq_ignore_ascii_case(wanted))
                    })
                }));
        if !wanted {
            continue;
        }
        if entries.len() == max {
            cut_off = true;
            break;
        }
        entries.push(FolderEntry {
            name,
            path,
            is_folder,
        });
    }
    entries.sort_by(|a, b| {
        b.is_folder
            .cmp(&a.is_folder)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok((entries, cut_off))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("b.csv"), "x").expect("write");
        std::fs::write(dir.path().join("A.CSV"), "x").expect("write");
        std::fs::write(dir.path().join("notes.toml"), "x").expect("write");
        std::fs::write(dir.path().join(".hidden.csv"), "x").expect("write");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        std::fs::create_dir(dir.path().join("Old.ccuwb")).expect("mkdir");
        dir
    }

    #[test]
    fn a_file_to_read_must_exist_and_be_a_file() {
        let dir = folder();
        let rule = PathRule::ExistingFile;
        assert_eq!(check_path(rule, &dir.path().join("b.csv")), Ok(()));
        let missing = check_path(rule, &dir.path().join("none.csv")).unwrap_err();
        assert!(missing.starts_with("There is no file at"), "{missing}");
        let folder = check_path(rule, &dir.path().join("sub")).unwrap_err();
        assert!(
            folder.ends_with("is a folder: choose a file in it."),
            "{folder}"
        );
    }

    #[test]
    fn a_workbench_to_open_must_be_a_folder() {
        let dir = folder();
        let rule = PathRule::ExistingFolder;
        assert!(check_path(rule, &dir.path().join("Old.ccuwb")).is_ok());
        assert!(check_path(rule, &dir.path().join("b.csv")).is_err());
        assert!(check_path(rule, &dir.path().join("gone.ccuwb")).is_err());
    }

    #[test]
    fn a_destination_that_exists_is_refused_and_its_folder_must_exist() {
        let dir = folder();
        for rule in [PathRule::NewFile, PathRule::NewWorkbenchFolder] {
            let refused = check_path(rule, &dir.path().join("b.csv")).unwrap_err();
            assert!(refused.contains("nothing is ever overwritten"), "{refused}");
            assert!(check_path(rule, &dir.path().join("sub")).is_err());
            assert_eq!(check_path(rule, &dir.path().join("new.html")), Ok(()));
            let no_folder = check_path(rule, &dir.path().join("gone/new.html")).unwrap_err();
            assert!(no_folder.starts_with("There is no folder"), "{no_folder}");
        }
    }

    #[test]
    fn the_listing_has_folders_first_then_matching_files_and_no_hidden_ones() {
        let dir = folder();
        let csv: &[&str] = &["csv"];
        let (entries, cut_off) =
            list_folder(dir.path(), PathRule::ExistingFile, Some(csv), 100).expect("listed");
        let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Old.ccuwb", "sub", "A.CSV", "b.csv"]);
        assert!(!cut_off);
        let (folders, _) =
            list_folder(dir.path(), PathRule::NewWorkbenchFolder, None, 100).expect("listed");
        assert_eq!(folders.len(), 2);
        let (every, _) = list_folder(dir.path(), PathRule::NewFile, None, 100).expect("listed");
        assert_eq!(every.len(), 5);
        let (few, cut_off) =
            list_folder(dir.path(), PathRule::ExistingFile, None, 2).expect("listed");
        assert_eq!(few.len(), 2);
        assert!(cut_off);
    }

    #[test]
    fn a_typed_path_is_made_absolute() {
        let folder = Path::new("/data/in");
        let home = Path::new("/home/u");
        assert_eq!(resolve_typed("  ", folder, Some(home)), None);
        assert_eq!(
            resolve_typed("a.csv", folder, Some(home)),
            Some(PathBuf::from("/data/in/a.csv"))
        );
        assert_eq!(
            resolve_typed("~/x.csv", folder, Some(home)),
            Some(PathBuf::from("/home/u/x.csv"))
        );
        assert_eq!(
            resolve_typed("/abs/y.csv", folder, Some(home)),
            Some(PathBuf::from("/abs/y.csv"))
        );
    }
}
