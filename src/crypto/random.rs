//! Random bytes from the operating system.

use super::CryptoError;

/// Fills a fresh array from the operating system's CSPRNG.
///
/// # Errors
/// [`CryptoError::Random`] if the OS generator is unavailable.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| CryptoError::Random)?;
    Ok(bytes)
}
