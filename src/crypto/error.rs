//! Errors from key handling. None of them carries key material or what the user typed.

/// Why a key operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the operating system's random number generator failed")]
    Random,
    #[error("the key derivation parameters are not usable: {0}")]
    KdfParams(&'static str),
    /// The password (with the user name) does not open this slot. Callers try every slot and
    /// only then report a failed unlock, so this never says which half was wrong.
    #[error("user name or password is incorrect")]
    WrongPassword,
    #[error("the master key sealed in this key slot does not open")]
    SealedKeyDoesNotOpen,
    #[error("a public key in this key slot is not usable")]
    BadPublicKey,
    #[error("encryption failed")]
    Encrypt,
}
