//! Importing a file the user names, for the GUI and the CLI alike: the permission checked
//! before the file is opened, the file opened through `user_file` (errors name it by its file
//! name only), streamed through a large buffer, and its size passed on so progress can say how
//! far the import has got.

use super::{FtmImportReport, ImportOptions, ImportProgress, ImportReport, Workbench};
use super::{WorkbenchError, user_file};
use crate::domain::Action;
use crate::io::import_spec::ImportSpec;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::Path;

/// Bytes read from an import file at a time.
const IMPORT_BUFFER_BYTES: usize = 1 << 20;

/// The file, buffered, and its size in bytes if the system knows it.
fn open_streamed(path: &Path) -> Result<(BufReader<std::fs::File>, Option<u64>), WorkbenchError> {
    let file = user_file::open(path)?;
    let total_bytes = file.metadata().ok().map(|m| m.len());
    Ok((
        BufReader::with_capacity(IMPORT_BUFFER_BYTES, file),
        total_bytes,
    ))
}

impl Workbench {
    /// Imports the CSV file at `path` through `spec`, as [`Workbench::import_bulk`] does
    /// (one transaction; `progress` may stop it, which changes nothing).
    ///
    /// # Errors
    /// Permission errors (checked before the file is opened);
    /// [`WorkbenchError::FileRead`]; whatever [`Workbench::import_bulk`] refuses.
    pub fn import_bulk_file(
        &mut self,
        spec: &ImportSpec,
        path: &Path,
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> Result<ImportReport, WorkbenchError> {
        self.require(Action::ImportData)?;
        let (reader, total_bytes) = open_streamed(path)?;
        self.import_bulk(
            spec,
            &path.display().to_string(),
            reader,
            total_bytes,
            options,
            progress,
        )
    }

    /// Imports the FollowTheMoney JSON lines file at `path`, as [`Workbench::import_ftm`] does.
    ///
    /// # Errors
    /// Permission errors (checked before the file is opened);
    /// [`WorkbenchError::FileRead`]; whatever [`Workbench::import_ftm`] refuses.
    pub fn import_ftm_file(
        &mut self,
        path: &Path,
        options: ImportOptions,
        progress: &mut dyn FnMut(&ImportProgress) -> ControlFlow<()>,
    ) -> Result<FtmImportReport, WorkbenchError> {
        self.require(Action::ImportData)?;
        let (reader, total_bytes) = open_streamed(path)?;
        self.import_ftm(
            &path.display().to_string(),
            reader,
            total_bytes,
            options,
            progress,
        )
    }
}
