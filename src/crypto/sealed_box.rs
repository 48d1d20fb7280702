//! Sealing a message to an X25519 public key (ECIES: ephemeral X25519, HKDF-SHA256, XChaCha20-Poly1305).

use super::aead::{self, Ciphertext};
use super::{CryptoError, Identity};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

/// A message only the holder of the recipient's secret key can open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedBox {
    #[serde(with = "hex::serde")]
    pub ephemeral_public_key: [u8; 32],
    #[serde(flatten)]
    pub sealed: Ciphertext,
}

fn box_key(
    shared: &[u8; 32],
    ephemeral_public: &[u8; 32],
    recipient_public: &[u8; 32],
    purpose: &[u8],
) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
    let mut salt = [0u8; 64];
    salt[..32].copy_from_slice(ephemeral_public);
    salt[32..].copy_from_slice(recipient_public);
    let hkdf = Hkdf::<Sha256>::new(Some(&salt), shared);
    let mut key = Zeroizing::new([0u8; 32]);
    hkdf.expand(purpose, key.as_mut())
        .map_err(|_| CryptoError::Encrypt)?;
    Ok(key)
}

/// Seals `plaintext` to `recipient_public`. `purpose` separates uses (master key, failed-login
/// record) and `aad` binds the box to where it is stored.
pub fn seal(
    recipient_public: &[u8; 32],
    purpose: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<SealedBox, CryptoError> {
    let ephemeral = Identity::generate()?;
    let ephemeral_public_key = ephemeral.public_key();
    let shared = ephemeral.agree(recipient_public)?;
    let key = box_key(&shared, &ephemeral_public_key, recipient_public, purpose)?;
    Ok(SealedBox {
        ephemeral_public_key,
        sealed: aead::encrypt(&key, aad, plaintext)?,
    })
}

/// Opens a box sealed to `identity`; `None` if it was not sealed to it, or was altered.
#[must_use]
pub fn open(
    identity: &Identity,
    purpose: &[u8],
    aad: &[u8],
    sealed: &SealedBox,
) -> Option<Zeroizing<Vec<u8>>> {
    let shared = identity.agree(&sealed.ephemeral_public_key).ok()?;
    let key = box_key(
        &shared,
        &sealed.ephemeral_public_key,
        &identity.public_key(),
        purpose,
    )
    .ok()?;
    aead::decrypt(&key, aad, &sealed.sealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_recipient_opens_a_box() {
        let alice = Identity::generate().unwrap();
        let mallory = Identity::generate().unwrap();
        let sealed = seal(&alice.public_key(), b"test", b"here", b"master key").unwrap();
        assert_eq!(
            open(&alice, b"test", b"here", &sealed).unwrap().as_slice(),
            b"master key"
        );
        assert!(open(&mallory, b"test", b"here", &sealed).is_none());
        assert!(open(&alice, b"other purpose", b"here", &sealed).is_none());
        assert!(open(&alice, b"test", b"elsewhere", &sealed).is_none());
    }

    #[test]
    fn a_low_order_public_key_is_refused() {
        assert_eq!(
            seal(&[0u8; 32], b"test", b"", b"x").unwrap_err(),
            CryptoError::BadPublicKey
        );
    }
}
