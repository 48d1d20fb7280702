//! Key handling: the master key, per-user key slots, Argon2id and the AEAD constructions.
//!
//! No I/O here: the store reads and writes slot files; this module only turns passwords and
//! slots into keys and back. Every buffer that holds key material is zeroized when dropped.

mod aead;
mod error;
mod identity;
mod kdf;
mod key_slot;
mod master_key;
mod random;
mod sealed_box;
mod signing;

pub use aead::Ciphertext;
pub use error::CryptoError;
pub use identity::Identity;
pub use kdf::{KdfParams, KdfSpec, PasswordKey};
pub use key_slot::{KeySlot, SealedMasterKey, SlotId, WrappedIdentity};
pub use master_key::{KeyEpoch, MasterKey};
pub use random::random_bytes;
pub use sealed_box::{SealedBox, open as open_box, seal as seal_box};
pub use signing::{SIGNATURE_LEN, SigningKey, SigningPublicKey};
