//! The random 256-bit key that encrypts the `SQLCipher` store.

use super::{CryptoError, random_bytes};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// Which generation of the master key a sealed copy belongs to. `rekey` makes a new epoch; during
/// rotation a slot holds both, so a crash at any point leaves every user able to unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KeyEpoch(pub u32);

/// The store's master key. Zeroized on drop; never printed.
#[derive(Clone)]
pub struct MasterKey {
    bytes: Zeroizing<[u8; 32]>,
    epoch: KeyEpoch,
}

impl MasterKey {
    /// A fresh random key for the given epoch.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the OS generator fails.
    pub fn generate(epoch: KeyEpoch) -> Result<Self, CryptoError> {
        let mut bytes = random_bytes::<32>()?;
        let key = Self::from_bytes(bytes, epoch);
        bytes.zeroize();
        Ok(key)
    }

    /// Wraps existing key bytes (as opened from a key slot).
    #[must_use]
    pub fn from_bytes(bytes: [u8; 32], epoch: KeyEpoch) -> Self {
        Self {
            bytes: Zeroizing::new(bytes),
            epoch,
        }
    }

    #[must_use]
    pub fn epoch(&self) -> KeyEpoch {
        self.epoch
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// The key in `SQLCipher`'s raw-key form, `x'…'` with 64 hex digits, which skips `SQLCipher`'s
    /// own passphrase KDF (the key is already random). Zeroized when the caller drops it.
    #[must_use]
    pub fn sqlcipher_raw_key(&self) -> Zeroizing<String> {
        let mut literal = Zeroizing::new(String::with_capacity(67));
        literal.push_str("x'");
        for byte in self.bytes.iter() {
            literal.push(hex_digit(byte >> 4));
            literal.push(hex_digit(byte & 0x0f));
        }
        literal.push('\'');
        literal
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789ABCDEF"[usize::from(nibble & 0x0f)])
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MasterKey(epoch {}, redacted)", self.epoch.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_key_literal_is_sqlcipher_shaped() {
        let key = MasterKey::from_bytes([0xab; 32], KeyEpoch(1));
        let literal = key.sqlcipher_raw_key();
        assert_eq!(literal.len(), 67);
        assert!(literal.starts_with("x'ABAB"));
        assert!(literal.ends_with('\''));
    }

    #[test]
    fn debug_output_redacts_the_key() {
        let key = MasterKey::from_bytes([0xab; 32], KeyEpoch(1));
        assert!(!format!("{key:?}").to_lowercase().contains("abab"));
    }

    #[test]
    fn generated_keys_differ() {
        let a = MasterKey::generate(KeyEpoch(1)).unwrap();
        let b = MasterKey::generate(KeyEpoch(1)).unwrap();
        assert_ne!(a.as_bytes(), b.as_bytes());
    }
}
