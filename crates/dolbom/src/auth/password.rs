//! Argon2id password hashing, run off the async threads because it is deliberately slow.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

use std::sync::LazyLock;

use tokio::sync::Semaphore;

use crate::error::AppError;

/// Argon2 takes 19 MiB and tens of milliseconds per hash: at most a few run at once, the rest wait their turn,
/// so a burst of log-ins cannot exhaust memory or the blocking thread pool.
static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    Semaphore::new(cores * 2)
});

pub async fn hash(password: String) -> Result<String, AppError> {
    let _permit = HASHING.acquire().await.map_err(|e| AppError::Internal(format!("hashing gate: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hashing task: {e}")))?
}

/// Checks `password` against a stored hash. With no stored hash, a dummy one is verified so that an unknown
/// e-mail takes as long to refuse as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let Ok(_permit) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        match PasswordHash::new(&stored) {
            Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
            Err(_) => false,
        }
    })
    .await
    .unwrap_or(false)
}

/// Argon2id of a random string nobody knows, with the default parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1YlXmBn4pSy6WJTTRpxnMvCg1ptMYxZQ4HShKHGPDBE";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashed = hash("correct horse battery".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(hashed.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(hashed)).await);
        assert!(!verify("anything".into(), None).await);
    }
}
