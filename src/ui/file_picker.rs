//! File dialogs behind a trait, so tests never open a real dialog.

use std::path::{Path, PathBuf};

/// Asks the user for paths. The GUI uses [`NativeFilePicker`]; tests use a scripted one.
pub trait FilePicker {
    /// An existing workbench folder to open.
    fn pick_workbench(&mut self, start: Option<&Path>) -> Option<PathBuf>;
    /// Where to create a new workbench folder (it must not exist yet).
    fn pick_new_workbench(&mut self, start: Option<&Path>) -> Option<PathBuf>;
    /// Where to write a backup folder (it must not exist yet).
    fn pick_backup(&mut self, start: Option<&Path>) -> Option<PathBuf>;
    /// A file to attach to an item.
    fn pick_attachment(&mut self, start: Option<&Path>) -> Option<PathBuf>;
    /// Where to save an attachment (a disclosure).
    fn pick_attachment_destination(
        &mut self,
        start: Option<&Path>,
        file_name: &str,
    ) -> Option<PathBuf>;
    /// Where to write an export (a disclosure): a file that leaves the workbench, as an
    /// attachment saved to disk does.
    fn pick_export_destination(&mut self, file_name: &str) -> Option<PathBuf> {
        self.pick_attachment_destination(None, file_name)
    }
    /// A risk instrument file (TOML) to publish as a new version.
    fn pick_instrument_file(&mut self) -> Option<PathBuf> {
        self.pick_attachment(None)
    }
    /// A bulk file (CSV) to import.
    fn pick_import_file(&mut self) -> Option<PathBuf> {
        self.pick_attachment(None)
    }
    /// An import spec (TOML).
    fn pick_import_spec(&mut self) -> Option<PathBuf> {
        self.pick_attachment(None)
    }
    /// A signed audit head file (JSON) to check the chain against.
    fn pick_signed_head(&mut self) -> Option<PathBuf> {
        self.pick_attachment(None)
    }
    /// A FollowTheMoney JSON lines file to import. A file to import like a CSV one, so a
    /// picker that does not tell them apart answers both alike.
    fn pick_ftm_file(&mut self) -> Option<PathBuf> {
        self.pick_import_file()
    }
}

/// The platform's dialogs (through `rfd`: the Windows common dialogs, GTK/portal on Linux).
#[derive(Debug, Default)]
pub struct NativeFilePicker;

impl FilePicker for NativeFilePicker {
    fn pick_workbench(&mut self, start: Option<&Path>) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new().set_title("Open a workbench (.ccuwb folder)");
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog.pick_folder()
    }

    fn pick_new_workbench(&mut self, start: Option<&Path>) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Create a workbench")
            .set_file_name("New workbench.ccuwb");
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog.save_file().map(with_workbench_extension)
    }

    fn pick_backup(&mut self, start: Option<&Path>) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Write a backup")
            .set_file_name("Backup.ccuwb");
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog.save_file().map(with_workbench_extension)
    }

    fn pick_instrument_file(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Publish a risk instrument file")
            .add_filter("Instrument (TOML)", &["toml"])
            .pick_file()
    }

    fn pick_import_file(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import a file")
            .add_filter("CSV", &["csv", "txt", "tsv"])
            .pick_file()
    }

    fn pick_ftm_file(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Import a FollowTheMoney file")
            .add_filter(
                "FollowTheMoney (JSON lines)",
                &["jsonl", "json", "ftm", "ijson"],
            )
            .pick_file()
    }

    fn pick_signed_head(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Check the log against a signed head")
            .add_filter("Signed audit head (JSON)", &["json"])
            .pick_file()
    }

    fn pick_import_spec(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Choose an import spec")
            .add_filter("Import spec (TOML)", &["toml"])
            .pick_file()
    }

    fn pick_attachment(&mut self, start: Option<&Path>) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new().set_title("Attach a file");
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog.pick_file()
    }

    fn pick_attachment_destination(
        &mut self,
        start: Option<&Path>,
        file_name: &str,
    ) -> Option<PathBuf> {
        let mut dialog = rfd::FileDialog::new()
            .set_title("Save the attachment (recorded as a disclosure)")
            .set_file_name(file_name);
        if let Some(dir) = start {
            dialog = dialog.set_directory(dir);
        }
        dialog.save_file()
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
}
