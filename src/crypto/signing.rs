//! Signatures: each user signs with their X25519 identity's own scalar on the Edwards curve.
//!
//! A user's Ed25519 signing key is not a second secret: it is the identity's clamped scalar used
//! as an Ed25519 expanded secret key (as Signal's `XEdDSA` does), with the nonce prefix derived
//! from the identity by HKDF under its own label. Two things follow. The slot's one wrapped
//! secret yields both keys, so changing a password, resetting one, rotating the master key and
//! restoring a backup carry the signing key along with the identity and need no new slot format.
//! And a signing public key can be checked against the identity public key the store records
//! (its Montgomery form must equal it), so a role grant that fixes the identity key fixes the
//! signing key too: an inspector can grant a role to a user whose signing key they never saw.

use super::Identity;
use ed25519_dalek::hazmat::{ExpandedSecretKey, raw_sign};
use ed25519_dalek::{Signature, VerifyingKey};
use hkdf::Hkdf;
use sha2::{Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

/// Length of a signature in bytes.
pub const SIGNATURE_LEN: usize = 64;

/// An Ed25519 public key, as stored.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SigningPublicKey(pub [u8; 32]);

impl std::fmt::Debug for SigningPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningPublicKey({})", hex::encode(&self.0[..8]))
    }
}

impl SigningPublicKey {
    /// Whether this signing key is the Edwards form of the X25519 `identity_public_key`: the
    /// key the identity's own scalar gives on the other curve.
    #[must_use]
    pub fn belongs_to_identity(&self, identity_public_key: &[u8; 32]) -> bool {
        VerifyingKey::from_bytes(&self.0)
            .is_ok_and(|key| key.to_montgomery().to_bytes() == *identity_public_key)
    }

    /// Whether `signature` is this key's signature of `message` (strict verification: no
    /// malleable or small-order forms).
    #[must_use]
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; SIGNATURE_LEN]>::try_from(signature) else {
            return false;
        };
        let Ok(key) = VerifyingKey::from_bytes(&self.0) else {
            return false;
        };
        key.verify_strict(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }

    /// The key as 64 hex digits.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads 32 stored bytes.
    #[must_use]
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 32]>::try_from(bytes).ok().map(SigningPublicKey)
    }
}

/// A user's signing key, held for the session (zeroized on drop by `ed25519-dalek`).
pub struct SigningKey {
    expanded: ExpandedSecretKey,
    public: VerifyingKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SigningKey(public {})",
            hex::encode(&self.public.as_bytes()[..8])
        )
    }
}

const NONCE_PREFIX_LABEL: &[u8] = b"CCU-SIGNING-NONCE-PREFIX-1";

impl SigningKey {
    /// The signing key of `identity`.
    #[must_use]
    pub fn of_identity(identity: &Identity) -> Self {
        let secret = identity.secret_bytes();
        let mut expanded_bytes = Zeroizing::new([0u8; 64]);
        expanded_bytes[..32].copy_from_slice(secret);
        let hkdf = Hkdf::<Sha256>::new(None, secret);
        // 32 bytes is far below HKDF-SHA256's output limit, so expansion cannot fail.
        if hkdf
            .expand(NONCE_PREFIX_LABEL, &mut expanded_bytes[32..])
            .is_err()
        {
            expanded_bytes[32..].zeroize();
        }
        let expanded = ExpandedSecretKey::from_bytes(&expanded_bytes);
        let public = VerifyingKey::from(&expanded);
        Self { expanded, public }
    }

    /// The public half.
    #[must_use]
    pub fn public_key(&self) -> SigningPublicKey {
        SigningPublicKey(self.public.to_bytes())
    }

    /// Signs `message`.
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> [u8; SIGNATURE_LEN] {
        raw_sign::<Sha512>(&self.expanded, message, &self.public).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signing_key_belongs_to_its_identity_and_no_other() {
        let identity = Identity::generate().unwrap();
        let other = Identity::generate().unwrap();
        let key = SigningKey::of_identity(&identity);
        assert!(key.public_key().belongs_to_identity(&identity.public_key()));
        assert!(!key.public_key().belongs_to_identity(&other.public_key()));
        // The same identity always gives the same key (a reset gives a new identity, and so a
        // new key; a password change keeps both).
        let again = SigningKey::of_identity(&identity);
        assert_eq!(again.public_key(), key.public_key());
    }

    #[test]
    fn signatures_verify_only_for_their_message_and_key() {
        let key = SigningKey::of_identity(&Identity::generate().unwrap());
        let other = SigningKey::of_identity(&Identity::generate().unwrap());
        let signature = key.sign(b"head 7");
        assert!(key.public_key().verifies(b"head 7", &signature));
        assert!(!key.public_key().verifies(b"head 8", &signature));
        assert!(!other.public_key().verifies(b"head 7", &signature));
        let mut bent = signature;
        bent[3] ^= 1;
        assert!(!key.public_key().verifies(b"head 7", &bent));
        assert!(!key.public_key().verifies(b"head 7", &signature[..63]));
    }
}
