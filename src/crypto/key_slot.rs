//! A user's key slot: their identity wrapped under their password, and the master key sealed to
//! their identity. Slots are anonymous: nothing in one names its user.

use super::aead::{self, Ciphertext};
use super::sealed_box::{self, SealedBox};
use super::{CryptoError, Identity, KdfSpec, KeyEpoch, MasterKey, PasswordKey, random_bytes};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// A slot's random id: its file name, and how the store's `users` table points at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SlotId(#[serde(with = "hex::serde")] pub [u8; 16]);

impl SlotId {
    /// A fresh random id.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the OS generator fails.
    pub fn generate() -> Result<Self, CryptoError> {
        Ok(SlotId(random_bytes()?))
    }

    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 32 hex digits.
    #[must_use]
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        <[u8; 16]>::try_from(bytes.as_slice()).ok().map(SlotId)
    }
}

impl fmt::Display for SlotId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// The identity's secret key, encrypted under the password-derived key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedIdentity {
    #[serde(flatten)]
    pub sealed: Ciphertext,
}

/// One generation of the master key, sealed to the slot's public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedMasterKey {
    pub epoch: KeyEpoch,
    #[serde(flatten)]
    pub sealed: SealedBox,
}

/// The contents of a key slot file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySlot {
    /// Always [`KeySlot::FORMAT`].
    pub format: String,
    /// Layout version of the slot file.
    pub version: u32,
    pub slot_id: SlotId,
    pub kdf: KdfSpec,
    #[serde(with = "hex::serde")]
    pub public_key: [u8; 32],
    pub wrapped_identity: WrappedIdentity,
    /// Newest epoch last. Two entries only while a key rotation is in progress.
    pub sealed_master_keys: Vec<SealedMasterKey>,
}

const IDENTITY_AAD_TAG: &[u8] = b"CCU-SLOT-IDENTITY-1\0";
const MASTER_KEY_PURPOSE: &[u8] = b"CCU-SEAL-MASTER-KEY-1";

fn identity_aad(slot_id: SlotId, public_key: &[u8; 32]) -> Vec<u8> {
    [IDENTITY_AAD_TAG, &slot_id.0, public_key].concat()
}

fn master_key_aad(slot_id: SlotId, epoch: KeyEpoch) -> Vec<u8> {
    [&slot_id.0[..], &epoch.0.to_be_bytes()].concat()
}

impl KeySlot {
    pub const FORMAT: &'static str = "ccu-workbench-keyslot";
    pub const VERSION: u32 = 1;

    /// A new slot for `identity`, with its secret wrapped under `password_key` (derived with
    /// `kdf`) and `master` sealed to it.
    ///
    /// # Errors
    /// A [`CryptoError`] if randomness or encryption fails.
    pub fn create(
        identity: &Identity,
        kdf: KdfSpec,
        password_key: &PasswordKey,
        master: &MasterKey,
    ) -> Result<Self, CryptoError> {
        let slot_id = SlotId::generate()?;
        let public_key = identity.public_key();
        let wrapped_identity = WrappedIdentity {
            sealed: aead::encrypt(
                password_key.as_bytes(),
                &identity_aad(slot_id, &public_key),
                identity.secret_bytes(),
            )?,
        };
        let mut slot = Self {
            format: Self::FORMAT.to_owned(),
            version: Self::VERSION,
            slot_id,
            kdf,
            public_key,
            wrapped_identity,
            sealed_master_keys: Vec::new(),
        };
        slot.seal_master_key(master, &public_key)?;
        Ok(slot)
    }

    /// Whether the file claims to be a slot of a version this build reads.
    #[must_use]
    pub fn is_supported(&self) -> bool {
        self.format == Self::FORMAT && self.version == Self::VERSION
    }

    /// Unwraps the identity with a password-derived key.
    ///
    /// # Errors
    /// [`CryptoError::WrongPassword`] if the key does not open it.
    pub fn open_identity(&self, password_key: &PasswordKey) -> Result<Identity, CryptoError> {
        let plain = aead::decrypt(
            password_key.as_bytes(),
            &identity_aad(self.slot_id, &self.public_key),
            &self.wrapped_identity.sealed,
        )
        .ok_or(CryptoError::WrongPassword)?;
        let mut secret: [u8; 32] = plain
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::WrongPassword)?;
        let identity = Identity::from_secret_bytes(secret);
        secret.zeroize();
        if identity.public_key() != self.public_key {
            return Err(CryptoError::BadPublicKey);
        }
        Ok(identity)
    }

    /// Every master key sealed in this slot that `identity` opens, newest epoch first.
    #[must_use]
    pub fn open_master_keys(&self, identity: &Identity) -> Vec<MasterKey> {
        let mut keys: Vec<MasterKey> = self
            .sealed_master_keys
            .iter()
            .filter_map(|sealed| {
                let plain = sealed_box::open(
                    identity,
                    MASTER_KEY_PURPOSE,
                    &master_key_aad(self.slot_id, sealed.epoch),
                    &sealed.sealed,
                )?;
                let mut bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
                let key = MasterKey::from_bytes(bytes, sealed.epoch);
                bytes.zeroize();
                Some(key)
            })
            .collect();
        keys.sort_by_key(|key| std::cmp::Reverse(key.epoch()));
        keys
    }

    /// Seals `master` to `recipient_public` (the public key the *store* holds for this slot's
    /// user, never the one in the file, which anyone could replace) and keeps it beside older
    /// epochs; replaces an existing entry of the same epoch.
    ///
    /// # Errors
    /// A [`CryptoError`] if the public key is unusable or encryption fails.
    pub fn seal_master_key(
        &mut self,
        master: &MasterKey,
        recipient_public: &[u8; 32],
    ) -> Result<(), CryptoError> {
        let sealed = sealed_box::seal(
            recipient_public,
            MASTER_KEY_PURPOSE,
            &master_key_aad(self.slot_id, master.epoch()),
            master.as_bytes(),
        )?;
        self.sealed_master_keys
            .retain(|existing| existing.epoch != master.epoch());
        self.sealed_master_keys.push(SealedMasterKey {
            epoch: master.epoch(),
            sealed,
        });
        self.sealed_master_keys.sort_by_key(|s| s.epoch);
        Ok(())
    }

    /// Drops every sealed master key except `epoch` (the end of a rotation).
    pub fn retain_only_epoch(&mut self, epoch: KeyEpoch) {
        self.sealed_master_keys.retain(|s| s.epoch == epoch);
    }

    /// Re-wraps the identity under a new password (a password change touches only this slot).
    ///
    /// # Errors
    /// A [`CryptoError`] if encryption fails.
    pub fn rewrap_identity(
        &mut self,
        identity: &Identity,
        kdf: KdfSpec,
        password_key: &PasswordKey,
    ) -> Result<(), CryptoError> {
        self.wrapped_identity = WrappedIdentity {
            sealed: aead::encrypt(
                password_key.as_bytes(),
                &identity_aad(self.slot_id, &self.public_key),
                identity.secret_bytes(),
            )?,
        };
        self.kdf = kdf;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KdfParams;

    const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;

    fn slot_for(name: &str, password: &str, master: &MasterKey) -> (KeySlot, Identity) {
        let identity = Identity::generate().unwrap();
        let kdf = KdfSpec::generate(CHEAP).unwrap();
        let key = kdf.derive(name, password).unwrap();
        (
            KeySlot::create(&identity, kdf, &key, master).unwrap(),
            identity,
        )
    }

    #[test]
    fn the_right_password_opens_the_master_key() {
        let master = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (slot, _) = slot_for("DI Example", "correct horse battery", &master);
        let key = slot
            .kdf
            .derive("DI Example", "correct horse battery")
            .unwrap();
        let identity = slot.open_identity(&key).unwrap();
        let keys = slot.open_master_keys(&identity);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].as_bytes(), master.as_bytes());
    }

    #[test]
    fn a_wrong_password_or_name_does_not_open_the_slot() {
        let master = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (slot, _) = slot_for("DI Example", "correct horse battery", &master);
        let wrong = slot
            .kdf
            .derive("DI Example", "correct horse batterx")
            .unwrap();
        assert_eq!(
            slot.open_identity(&wrong).unwrap_err(),
            CryptoError::WrongPassword
        );
        let wrong_name = slot
            .kdf
            .derive("DC Example", "correct horse battery")
            .unwrap();
        assert_eq!(
            slot.open_identity(&wrong_name).unwrap_err(),
            CryptoError::WrongPassword
        );
    }

    #[test]
    fn rotation_keeps_both_epochs_until_finished() {
        let old = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (mut slot, identity) = slot_for("a", "correct horse battery", &old);
        let new = MasterKey::generate(KeyEpoch(2)).unwrap();
        slot.seal_master_key(&new, &identity.public_key()).unwrap();
        let keys = slot.open_master_keys(&identity);
        assert_eq!(
            keys.iter().map(|k| k.epoch().0).collect::<Vec<_>>(),
            vec![2, 1]
        );
        slot.retain_only_epoch(KeyEpoch(2));
        let keys = slot.open_master_keys(&identity);
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].as_bytes(), new.as_bytes());
    }

    #[test]
    fn a_slot_moved_to_another_id_does_not_open() {
        let master = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (mut slot, identity) = slot_for("a", "correct horse battery", &master);
        slot.slot_id = SlotId::generate().unwrap();
        assert!(slot.open_master_keys(&identity).is_empty());
    }

    #[test]
    fn rewrapping_changes_the_password() {
        let master = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (mut slot, identity) = slot_for("a", "old password 123", &master);
        let kdf = KdfSpec::generate(CHEAP).unwrap();
        let new_key = kdf.derive("a", "new password 456").unwrap();
        slot.rewrap_identity(&identity, kdf, &new_key).unwrap();
        let old_key = slot.kdf.derive("a", "old password 123").unwrap();
        assert!(slot.open_identity(&old_key).is_err());
        assert!(slot.open_identity(&new_key).is_ok());
    }

    #[test]
    fn the_slot_file_names_nobody() {
        let master = MasterKey::generate(KeyEpoch(1)).unwrap();
        let (slot, _) = slot_for("Canary McCanaryface", "correct horse battery", &master);
        let json = serde_json::to_string(&slot).unwrap();
        assert!(!json.to_lowercase().contains("canary"));
    }
}
