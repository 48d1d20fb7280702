//! Argon2id: from a user's name and password to the key that unwraps their slot.

use super::CryptoError;
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// Argon2id cost parameters, stored in every key slot so they can be raised later without
/// breaking old slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KdfParams {
    pub m_cost_kib: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl KdfParams {
    /// The parameters new workbenches use: 128 MiB, 5 passes, 1 lane. On the 2-core reference
    /// machine this takes about 0.3 s idle and 0.8 s busy, inside the 0.3-1 s `KeePassXC` aims
    /// for (figures in docs/benchmarks.md; 3 passes took 0.19 s on the idle machine, below the
    /// range). Memory-hardness is what makes guessing on GPUs costly; the passes make each
    /// guess cost the time a person waits once. Slots keep the parameters they were made with.
    pub const INTERACTIVE: KdfParams = KdfParams {
        m_cost_kib: 128 * 1024,
        t_cost: 5,
        p_cost: 1,
    };

    /// Trivially cheap parameters for tests and benchmarks, which unlock hundreds of times. Only
    /// compiled for tests and the `test-hooks` feature: a release build cannot make a weak slot.
    #[cfg(any(test, feature = "test-hooks"))]
    pub const INSECURE_FAST_FOR_TESTS: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };

    /// Bounds accepted when reading a slot: eight times the workbench's own costs at most, so a
    /// slot planted in the folder cannot make every unlock allocate gigabytes or run for
    /// minutes (the slot is skipped, as a damaged one is).
    const MAX_M_COST_KIB: u32 = 8 * Self::INTERACTIVE.m_cost_kib;
    const MAX_T_COST: u32 = 4 * Self::INTERACTIVE.t_cost;
    const MAX_P_COST: u32 = 4;

    fn to_argon2(self) -> Result<Params, CryptoError> {
        if self.m_cost_kib > Self::MAX_M_COST_KIB {
            return Err(CryptoError::KdfParams("memory cost above 1 GiB"));
        }
        if self.t_cost == 0 || self.t_cost > Self::MAX_T_COST {
            return Err(CryptoError::KdfParams("time cost outside 1..=20"));
        }
        if self.p_cost == 0 || self.p_cost > Self::MAX_P_COST {
            return Err(CryptoError::KdfParams("parallelism outside 1..=4"));
        }
        Params::new(self.m_cost_kib, self.t_cost, self.p_cost, Some(32))
            .map_err(|_| CryptoError::KdfParams("rejected by Argon2"))
    }
}

/// Everything needed to repeat a derivation: algorithm, version, costs and the random salt.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KdfSpec {
    /// Always `argon2id`; kept so a future algorithm can be told apart.
    pub algorithm: String,
    /// Argon2 version number (19 = 0x13).
    pub version: u32,
    #[serde(flatten)]
    pub params: KdfParams,
    /// 16 random bytes, hex.
    #[serde(with = "hex::serde")]
    pub salt: [u8; 16],
}

impl KdfSpec {
    pub const ALGORITHM: &'static str = "argon2id";
    pub const VERSION: u32 = 0x13;

    /// A spec with a fresh random salt.
    ///
    /// # Errors
    /// [`CryptoError::Random`] if the OS generator fails.
    pub fn generate(params: KdfParams) -> Result<Self, CryptoError> {
        Ok(Self {
            algorithm: Self::ALGORITHM.to_owned(),
            version: Self::VERSION,
            params,
            salt: super::random_bytes()?,
        })
    }

    /// Derives the key that wraps a user's identity.
    ///
    /// The user name is part of Argon2's salt (normalised: trimmed, lower case), so one
    /// derivation per unlock attempt serves every slot that shares this spec, and a guesser must
    /// guess the name as well as the password.
    ///
    /// # Errors
    /// [`CryptoError::KdfParams`] if the spec is not Argon2id v19 with sane costs.
    pub fn derive(&self, user_name: &str, password: &str) -> Result<PasswordKey, CryptoError> {
        if self.algorithm != Self::ALGORITHM {
            return Err(CryptoError::KdfParams("unknown algorithm"));
        }
        if self.version != Self::VERSION {
            return Err(CryptoError::KdfParams("unknown Argon2 version"));
        }
        let argon2 = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            self.params.to_argon2()?,
        );
        let mut salt = Vec::with_capacity(48);
        salt.extend_from_slice(&self.salt);
        salt.extend_from_slice(&user_name_digest(user_name));
        let mut key = Zeroizing::new([0u8; 32]);
        argon2
            .hash_password_into(password.as_bytes(), &salt, key.as_mut())
            .map_err(|_| CryptoError::KdfParams("rejected by Argon2"))?;
        Ok(PasswordKey(key))
    }
}

/// Names are compared case-insensitively, as people type them.
fn user_name_digest(user_name: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"CCU-USER-NAME-1\0");
    hasher.update(user_name.trim().to_lowercase().as_bytes());
    hasher.finalize().into()
}

/// A key derived from a password; zeroized on drop.
pub struct PasswordKey(Zeroizing<[u8; 32]>);

impl PasswordKey {
    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Debug for PasswordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordKey(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams::INSECURE_FAST_FOR_TESTS;

    #[test]
    fn derivation_depends_on_name_password_and_salt_but_not_name_case() {
        let spec = KdfSpec::generate(CHEAP).unwrap();
        let base = spec.derive("DI Example", "a long password").unwrap();
        let same = spec.derive(" di example ", "a long password").unwrap();
        assert_eq!(base.as_bytes(), same.as_bytes());
        let other_name = spec.derive("DC Example", "a long password").unwrap();
        assert_ne!(base.as_bytes(), other_name.as_bytes());
        let other_password = spec.derive("DI Example", "a long passwork").unwrap();
        assert_ne!(base.as_bytes(), other_password.as_bytes());
        let other_salt = KdfSpec::generate(CHEAP).unwrap();
        assert_ne!(
            base.as_bytes(),
            other_salt
                .derive("DI Example", "a long password")
                .unwrap()
                .as_bytes()
        );
    }

    #[test]
    fn absurd_parameters_are_refused_before_allocating() {
        let mut spec = KdfSpec::generate(CHEAP).unwrap();
        spec.params.m_cost_kib = u32::MAX;
        assert!(matches!(
            spec.derive("a", "b"),
            Err(CryptoError::KdfParams(_))
        ));
        let mut spec = KdfSpec::generate(CHEAP).unwrap();
        spec.algorithm = "pbkdf2".into();
        assert!(matches!(
            spec.derive("a", "b"),
            Err(CryptoError::KdfParams(_))
        ));
    }
}
