//! XChaCha20-Poly1305 with random 192-bit nonces: large enough that random nonces never repeat.

use super::{CryptoError, random_bytes};
use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

/// Ciphertext with the nonce it needs, as stored in slot and record files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ciphertext {
    #[serde(with = "hex::serde")]
    pub nonce: [u8; 24],
    #[serde(with = "hex::serde")]
    pub ciphertext: Vec<u8>,
}

/// Encrypts `plaintext` under `key`, binding `aad`.
pub(crate) fn encrypt(
    key: &[u8; 32],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Ciphertext, CryptoError> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).map_err(|_| CryptoError::Encrypt)?;
    let nonce = random_bytes::<24>()?;
    let mut buffer = plaintext.to_vec();
    cipher
        .encrypt_in_place(&XNonce::from(nonce), aad, &mut buffer)
        .map_err(|_| CryptoError::Encrypt)?;
    Ok(Ciphertext {
        nonce,
        ciphertext: buffer,
    })
}

/// Decrypts and authenticates; `None` if the key, the AAD or the bytes are wrong.
pub(crate) fn decrypt(
    key: &[u8; 32],
    aad: &[u8],
    sealed: &Ciphertext,
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = XChaCha20Poly1305::new_from_slice(key).ok()?;
    let mut buffer = Zeroizing::new(sealed.ciphertext.clone());
    cipher
        .decrypt_in_place(&XNonce::from(sealed.nonce), aad, &mut *buffer)
        .ok()?;
    Some(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_tamper_detection() {
        let key = [7u8; 32];
        let sealed = encrypt(&key, b"aad", b"secret").unwrap();
        assert_eq!(
            decrypt(&key, b"aad", &sealed).unwrap().as_slice(),
            b"secret"
        );
        assert!(decrypt(&key, b"other", &sealed).is_none());
        assert!(decrypt(&[8u8; 32], b"aad", &sealed).is_none());
        let mut flipped = sealed.clone();
        flipped.ciphertext[0] ^= 1;
        assert!(decrypt(&key, b"aad", &flipped).is_none());
    }
}
