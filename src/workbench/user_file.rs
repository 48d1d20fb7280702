//! Reading a file the user names (an attachment, an instrument file, a CSV to preview): the
//! one place those reads happen, so each read's error is typed and names the file by its file
//! name only, never its folders or its content.

use super::WorkbenchError;
use std::io::Read;
use std::path::Path;

/// The file's name without its folders, as errors and records name it.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || String::from("the file"),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn read_error(path: &Path, err: &std::io::Error) -> WorkbenchError {
    WorkbenchError::FileRead {
        file_name: file_name(path),
        reason: err.kind(),
    }
}

/// Opens the file for reading.
pub(super) fn open(path: &Path) -> Result<std::fs::File, WorkbenchError> {
    std::fs::File::open(path).map_err(|e| read_error(path, &e))
}

/// Reads the whole file as UTF-8 text.
pub(super) fn read_to_string(path: &Path) -> Result<String, WorkbenchError> {
    std::fs::read_to_string(path).map_err(|e| read_error(path, &e))
}

/// Reads the whole file if it holds at most `limit` bytes: the size is checked from the
/// metadata before anything is read, and again on the bytes read (the file may grow between
/// the two), so no more than `limit + 1` bytes are ever held.
///
/// # Errors
/// [`WorkbenchError::AttachmentTooLarge`] (with the size the metadata gave, or at least the
/// bytes read); [`WorkbenchError::FileRead`].
pub(super) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, WorkbenchError> {
    let file = open(path)?;
    let size = file.metadata().map_err(|e| read_error(path, &e))?.len();
    if size > limit {
        return Err(WorkbenchError::AttachmentTooLarge { size, limit });
    }
    let mut content = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut content)
        .map_err(|e| read_error(path, &e))?;
    let read = u64::try_from(content.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(WorkbenchError::AttachmentTooLarge { size: read, limit });
    }
    Ok(content)
}
