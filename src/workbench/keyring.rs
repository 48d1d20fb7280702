//! The session's key material, fenced off from record operations.
//!
//! The master key, the user's slot id, the KDF spec new slots share and the folder's layout
//! (where slot files, the manifest and failed-login records live) are needed only to create a
//! workbench, unlock it, back it up, rotate its key and manage its users. Those operations are
//! the submodules of this module; [`Keyring`]'s fields are private to it, so Rust's privacy
//! rules keep every other part of the workbench (items, nominals, graph, imports, reports)
//! from reaching the key: `self.keys.master_key` in `intel_ops.rs` does not compile.

mod backup;
mod create;
mod rekey;
mod signed_head;
mod standing;
mod unlock;
mod user_admin;

pub use backup::{BackupReport, restore_backup};
pub use rekey::RekeyReport;
pub use signed_head::HeadCheck;
pub use standing::UnlockWarning;
pub use user_admin::SecondInspector;

use crate::crypto::{KdfSpec, MasterKey, SigningKey, SlotId};
use crate::store::WorkbenchLayout;
use std::path::Path;

/// The key material of an unlocked session and the folder it opens. Dropping it zeroizes the
/// master key.
pub(super) struct Keyring {
    layout: WorkbenchLayout,
    master_key: MasterKey,
    /// The signed-in user's slot.
    slot_id: SlotId,
    /// The unlocking user's KDF spec; new slots share its salt and costs, so an unlock costs one
    /// Argon2id derivation however many users there are.
    kdf_spec: KdfSpec,
    /// The signed-in user's signing key (their identity's scalar), to sign role grants.
    signing_key: SigningKey,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("root", &self.layout.root())
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// The folder the workbench lives in.
    pub(super) fn root(&self) -> &Path {
        self.layout.root()
    }

    /// The master key, for benchmarks that time opening the store without Argon2id.
    #[cfg(feature = "test-hooks")]
    pub(super) fn master_key_for_tests(&self) -> &MasterKey {
        &self.master_key
    }
}
