//! Where the app keeps its own small settings on this machine: recent workbench paths and UI
//! preferences. Never workbench content, user names or purposes: those live only in the store.
//! Also the machine's file system as the in-app file browser sees it (`file_choice`).

pub mod file_choice;

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Environment variable that moves the settings folder (tests point it at a temporary folder).
pub const DATA_DIR_ENV: &str = "CCU_DATA_DIR";

/// The longest idle lock time a settings file may set (the screen offers no more).
pub const MAX_IDLE_LOCK_MINUTES: u32 = 60;

/// A lock time in minutes, within `1..=MAX_IDLE_LOCK_MINUTES` (0 would mean "never").
#[must_use]
pub fn clamp_idle_lock_minutes(minutes: u32) -> u32 {
    minutes.clamp(1, MAX_IDLE_LOCK_MINUTES)
}

/// How many recent workbenches the start screen lists.
pub const MAX_RECENT: usize = 10;

/// The folder for the app's settings: `$CCU_DATA_DIR`, else the platform's data folder
/// (`%APPDATA%\CCU\CCU Workbench\data` on Windows, `~/.local/share/ccu-workbench` on Linux).
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("uk", "CCU", "CCU Workbench")
        .map(|dirs| dirs.data_dir().to_path_buf())
}

/// A sensible folder to offer for new workbenches: the user's documents folder.
#[must_use]
pub fn default_workbench_folder() -> Option<PathBuf> {
    directories::UserDirs::new()
        .and_then(|dirs| dirs.document_dir().map(Path::to_path_buf))
        .or_else(home_folder)
}

/// The user's home folder.
#[must_use]
pub fn home_folder() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf())
}

/// Settings kept between runs. Every field has a default, so an old or partial file still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AppSettings {
    /// Most recent first.
    pub recent_workbenches: Vec<PathBuf>,
    /// Lock after this many minutes without input.
    pub idle_lock_minutes: u32,
    /// The main window's inner size when it was last resized, in points (nothing about any
    /// workbench's content).
    pub window_size: Option<[u32; 2]>,
    /// The day each recent workbench was last opened on this machine (`YYYY-MM-DD`), by its
    /// path as shown.
    pub last_opened: std::collections::BTreeMap<String, String>,
    /// How the main window was laid out when last used: nothing about any workbench's content.
    pub layout: ScreenLayout,
    /// Always choose files with the app's own browser, never the system's dialog (for units
    /// that want no desktop integration). Off in files written before it existed.
    pub in_app_file_browser: bool,
}

/// The main window's layout, kept between runs: the area last open and the width of the graph
/// area's side panel. (egui's own memory is not persisted: it keys widget state by ids hashed
/// from labels, and a label can be a name.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreenLayout {
    /// The area's label, as the navigation shows it.
    pub area: Option<String>,
    /// In whole points.
    pub graph_side_panel_width: Option<u32>,
    /// The graph's side panel was hidden (the chart had the whole area).
    pub graph_side_panel_hidden: bool,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            recent_workbenches: Vec::new(),
            idle_lock_minutes: 5,
            window_size: None,
            last_opened: std::collections::BTreeMap::new(),
            layout: ScreenLayout::default(),
            in_app_file_browser: false,
        }
    }
}

/// The smallest and largest window size a settings file may ask for, in points.
pub const WINDOW_SIZE_BOUNDS: ([u32; 2], [u32; 2]) = ([800, 500], [8192, 8192]);

impl AppSettings {
    const FILE_NAME: &'static str = "settings.json";

    /// Loads settings from `dir`, or defaults if there are none or they do not parse.
    #[must_use]
    pub fn load(dir: &Path) -> Self {
        let mut settings: Self = std::fs::read(dir.join(Self::FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        // An edited file cannot switch the lock off: 0 (never) or a day become the bounds.
        settings.idle_lock_minutes = clamp_idle_lock_minutes(settings.idle_lock_minutes);
        // A size no window can have (an edited file) is dropped.
        let (min, max) = WINDOW_SIZE_BOUNDS;
        settings.window_size = settings
            .window_size
            .filter(|[w, h]| (min[0]..=max[0]).contains(w) && (min[1]..=max[1]).contains(h));
        settings
    }

    /// Saves settings to `dir` atomically.
    ///
    /// # Errors
    /// I/O errors.
    pub fn save(&self, dir: &Path) -> Result<(), crate::store::StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| crate::store::StoreError::io("create", "the settings folder", e))?;
        let json = serde_json::to_vec_pretty(self).map_err(|e| {
            crate::store::StoreError::io("encode", "settings", std::io::Error::other(e))
        })?;
        crate::store::write_atomically(&dir.join(Self::FILE_NAME), &json)
    }

    /// Puts `path` first in the recent list, opened on `day` (`YYYY-MM-DD`).
    pub fn remember(&mut self, path: &Path, day: &str) {
        self.recent_workbenches.retain(|p| p != path);
        self.recent_workbenches.insert(0, path.to_path_buf());
        self.recent_workbenches.truncate(MAX_RECENT);
        self.last_opened
            .insert(path.display().to_string(), day.to_owned());
        // Only the listed workbenches keep a date.
        let listed: std::collections::BTreeSet<String> = self
            .recent_workbenches
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        self.last_opened.retain(|p, _| listed.contains(p));
    }

    /// Takes `path` off the recent list.
    pub fn forget(&mut self, path: &Path) {
        self.recent_workbenches.retain(|p| p != path);
        self.last_opened.remove(&path.display().to_string());
    }

    /// The day `path` was last opened here, if known.
    #[must_use]
    pub fn opened_on(&self, path: &Path) -> Option<&str> {
        self.last_opened
            .get(&path.display().to_string())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_size_is_kept_and_an_impossible_one_is_dropped() {
        let dir = std::env::temp_dir().join(format!("ccu-window-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut settings = AppSettings {
            window_size: Some([1400, 900]),
            ..AppSettings::default()
        };
        settings.save(&dir).unwrap();
        assert_eq!(AppSettings::load(&dir).window_size, Some([1400, 900]));
        settings.window_size = Some([10, 900]);
        settings.save(&dir).unwrap();
        assert_eq!(AppSettings::load(&dir).window_size, None);
        // A file from before the size was kept still loads.
        std::fs::write(dir.join("settings.json"), "{\"idle_lock_minutes\": 7}").unwrap();
        assert_eq!(AppSettings::load(&dir).window_size, None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_edited_settings_file_cannot_switch_the_lock_off_or_stretch_it() {
        let dir = std::env::temp_dir().join(format!("ccu-settings-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (written, read) in [(0, 1), (100_000, MAX_IDLE_LOCK_MINUTES), (7, 7)] {
            std::fs::write(
                dir.join("settings.json"),
                format!("{{\"idle_lock_minutes\": {written}}}"),
            )
            .unwrap();
            assert_eq!(AppSettings::load(&dir).idle_lock_minutes, read, "{written}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn recent_list_is_most_recent_first_without_duplicates_each_with_its_last_day() {
        let mut settings = AppSettings::default();
        settings.remember(Path::new("/a.ccuwb"), "2026-12-01");
        settings.remember(Path::new("/b.ccuwb"), "2026-12-02");
        settings.remember(Path::new("/a.ccuwb"), "2026-12-03");
        assert_eq!(
            settings.recent_workbenches,
            vec![PathBuf::from("/a.ccuwb"), PathBuf::from("/b.ccuwb")]
        );
        assert_eq!(
            settings.opened_on(Path::new("/a.ccuwb")),
            Some("2026-12-03")
        );
        assert_eq!(
            settings.opened_on(Path::new("/b.ccuwb")),
            Some("2026-12-02")
        );
        settings.forget(Path::new("/b.ccuwb"));
        assert_eq!(settings.opened_on(Path::new("/b.ccuwb")), None);
        assert_eq!(settings.recent_workbenches, vec![PathBuf::from("/a.ccuwb")]);
    }

    #[test]
    fn settings_round_trip_and_tolerate_missing_fields() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = AppSettings::default();
        settings.remember(Path::new("/x.ccuwb"), "2026-12-04");
        settings.idle_lock_minutes = 9;
        settings.save(dir.path()).unwrap();
        assert_eq!(AppSettings::load(dir.path()), settings);
        std::fs::write(dir.path().join("settings.json"), b"{}").unwrap();
        assert_eq!(AppSettings::load(dir.path()), AppSettings::default());
    }
}
