//! A user's X25519 identity: the key pair the master key is sealed to.
//!
//! Sealing to a public key is what lets an inspector add a user or rotate the master key without
//! anyone else's password: only the public halves are needed to seal, and each user's secret half
//! is wrapped under their own password.

use super::{CryptoError, random_bytes};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroize;

/// A user's X25519 secret key (zeroized on drop by `x25519-dalek`).
pub struct Identity {
    secret: StaticSecret,
}

impl Identity {
    /// A fresh identity.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the OS generator fails.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut bytes = random_bytes::<32>()?;
        let identity = Self::from_secret_bytes(bytes);
        bytes.zeroize();
        Ok(identity)
    }

    pub(crate) fn from_secret_bytes(bytes: [u8; 32]) -> Self {
        Self {
            secret: StaticSecret::from(bytes),
        }
    }

    pub(crate) fn secret_bytes(&self) -> &[u8; 32] {
        self.secret.as_bytes()
    }

    /// The public half, which may be stored in the clear.
    #[must_use]
    pub fn public_key(&self) -> [u8; 32] {
        PublicKey::from(&self.secret).to_bytes()
    }

    /// X25519 with `their_public`; refuses a low-order point (an all-zero shared secret).
    pub(crate) fn agree(
        &self,
        their_public: &[u8; 32],
    ) -> Result<zeroize::Zeroizing<[u8; 32]>, CryptoError> {
        let shared = self.secret.diffie_hellman(&PublicKey::from(*their_public));
        if !shared.was_contributory() {
            return Err(CryptoError::BadPublicKey);
        }
        Ok(zeroize::Zeroizing::new(shared.to_bytes()))
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Identity(public {})",
            hex::encode(&self.public_key()[..8])
        )
    }
}
