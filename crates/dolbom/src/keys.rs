//! Keys derived from the one server secret, each for one purpose, so no key is ever used for two things.
//! Also the 주민등록번호 protection: a keyed hash to match people across agencies, and a sealed copy for display.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Keys {
    csrf: [u8; 32],
    rrn_hash: [u8; 32],
    rrn_seal: [u8; 32],
    document_seal: [u8; 32],
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("DOLBOM_SECRET must be at least 32 characters")]
    TooShort,
}

fn derive(secret: &[u8], label: &str) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

fn hmac_hex(key: &[u8; 32], message: &[u8]) -> String {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message);
    hex::encode(mac.finalize().into_bytes())
}

/// A fresh random token, URL-safe base64 of 32 bytes.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    B64.encode(bytes)
}

impl Keys {
    pub fn from_secret(secret: &str) -> Result<Keys, SecretError> {
        if secret.chars().count() < 32 {
            return Err(SecretError::TooShort);
        }
        let s = secret.as_bytes();
        Ok(Keys {
            csrf: derive(s, "dolbom/csrf/v1"),
            rrn_hash: derive(s, "dolbom/rrn-hash/v1"),
            rrn_seal: derive(s, "dolbom/rrn-seal/v1"),
            document_seal: derive(s, "dolbom/document-seal/v1"),
        })
    }

    /// The CSRF token bound to one browser: its session cookie, or its anonymous cookie before log-in.
    pub fn csrf_token(&self, binding: &str) -> String {
        hmac_hex(&self.csrf, binding.as_bytes())
    }

    /// The person key: HMAC-SHA256 of the 주민등록번호's 13 digits, keyed by the server secret.
    pub fn rrn_hash(&self, rrn: &Rrn) -> String {
        hmac_hex(&self.rrn_hash, rrn.digits().as_bytes())
    }

    /// AES-256-GCM sealed copy: base64(nonce ‖ ciphertext).
    pub fn seal_rrn(&self, rrn: &Rrn) -> String {
        let cipher = Aes256Gcm::new_from_slice(&self.rrn_seal).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(Nonce::from_slice(&nonce), rrn.digits().as_bytes())
            .expect("AES-GCM encryption of 13 bytes cannot fail");
        let mut out = nonce.to_vec();
        out.extend(sealed);
        B64.encode(out)
    }

    /// A document a resident uploaded (it proves a disability, an income, a family), sealed at rest with
    /// AES-256-GCM: nonce ‖ ciphertext.
    pub fn seal_document(&self, plain: &[u8]) -> Vec<u8> {
        let cipher = Aes256Gcm::new_from_slice(&self.document_seal).expect("32-byte key");
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let mut out = nonce.to_vec();
        // Encryption fails only beyond 64 GiB; uploads are capped far below.
        out.extend(cipher.encrypt(Nonce::from_slice(&nonce), plain).unwrap_or_default());
        out
    }

    /// Opens a sealed document; `None` if it was not sealed with this secret or was altered.
    pub fn open_document(&self, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 12 {
            return None;
        }
        let (nonce, body) = sealed.split_at(12);
        let cipher = Aes256Gcm::new_from_slice(&self.document_seal).ok()?;
        cipher.decrypt(Nonce::from_slice(nonce), body).ok()
    }

    /// Opens a sealed copy; `None` if it was not sealed with this secret or was altered.
    pub fn open_rrn(&self, sealed: &str) -> Option<Rrn> {
        let bytes = B64.decode(sealed).ok()?;
        if bytes.len() < 12 {
            return None;
        }
        let (nonce, body) = bytes.split_at(12);
        let cipher = Aes256Gcm::new_from_slice(&self.rrn_seal).ok()?;
        let plain = cipher.decrypt(Nonce::from_slice(nonce), body).ok()?;
        Rrn::parse(std::str::from_utf8(&plain).ok()?)
    }
}

/// Why a 주민등록번호 was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RrnError {
    /// Not 13 digits, or the birth date or gender digit cannot be.
    #[error("not a 주민등록번호")]
    Shape,
    /// The last digit does not follow from the others (a typo, most often).
    #[error("the check digit does not match")]
    CheckDigit,
}

/// The check digit of the first 12 digits under the rule used until September 2020.
pub fn check_digit(digits: &str) -> Option<u8> {
    const WEIGHTS: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    if digits.len() < 12 || !digits.bytes().take(12).all(|d| d.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = digits.bytes().take(12).zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(((11 - sum % 11) % 10) as u8)
}

/// A 주민등록번호 held only in memory: 13 digits, shown masked.
#[derive(Clone, PartialEq, Eq)]
pub struct Rrn(String);

impl std::fmt::Debug for Rrn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

impl Rrn {
    /// Accepts `YYMMDD-NNNNNNN` or 13 digits. Checks the shape and the birth-date part, not the check digit
    /// (numbers issued since October 2020 no longer carry one).
    pub fn parse(input: &str) -> Option<Rrn> {
        let digits: String = input.chars().filter(|c| *c != '-' && *c != ' ').collect();
        if digits.len() != 13 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let month: u32 = digits[2..4].parse().ok()?;
        let day: u32 = digits[4..6].parse().ok()?;
        let gender = digits.as_bytes()[6];
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(b'1'..=b'8').contains(&gender) {
            return None;
        }
        Some(Rrn(digits))
    }

    /// As [`Rrn::parse`], and for a number issued before October 2020 (a birth date before then), its last
    /// digit must be the check digit the old rule gives; numbers issued since carry a random last digit.
    pub fn parse_checked(input: &str) -> Result<Rrn, RrnError> {
        let rrn = Rrn::parse(input).ok_or(RrnError::Shape)?;
        let born = rrn.birth_date().ok_or(RrnError::Shape)?;
        let random_since = chrono::NaiveDate::from_ymd_opt(2020, 10, 1).unwrap_or_default();
        if born < random_since && Some(rrn.0.as_bytes()[12] - b'0') != check_digit(&rrn.0) {
            return Err(RrnError::CheckDigit);
        }
        Ok(rrn)
    }

    fn digits(&self) -> &str {
        &self.0
    }

    /// The birth date the number encodes (the 7th digit gives the century: 1, 2, 5, 6 the 1900s; 3, 4, 7, 8 the
    /// 2000s).
    pub fn birth_date(&self) -> Option<chrono::NaiveDate> {
        let century = match self.0.as_bytes()[6] {
            b'1' | b'2' | b'5' | b'6' => 1900,
            _ => 2000,
        };
        let year = century + self.0[0..2].parse::<i32>().ok()?;
        chrono::NaiveDate::from_ymd_opt(year, self.0[2..4].parse().ok()?, self.0[4..6].parse().ok()?)
    }

    /// `M` or `F` from the 7th digit (odd men, even women).
    pub fn sex(&self) -> char {
        if self.0.as_bytes()[6] % 2 == 1 { 'M' } else { 'F' }
    }

    /// `900101-1******`: birth date and the gender digit only.
    pub fn masked(&self) -> String {
        format!("{}-{}******", &self.0[..6], &self.0[6..7])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::from_secret("0123456789abcdef0123456789abcdef").unwrap()
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Keys::from_secret("short").is_err());
    }

    #[test]
    fn documents_are_sealed_and_open_only_with_the_same_secret_and_unaltered() {
        let plain = b"%PDF-1.7 \xec\x9e\xa5\xec\x95\xa0\xec\x9d\xb8\xec\xa6\x9d\xeb\xaa\x85\xec\x84\x9c";
        let sealed = keys().seal_document(plain);
        assert!(!sealed.windows(5).any(|w| w == b"%PDF-"), "not readable at rest");
        assert_eq!(keys().open_document(&sealed).as_deref(), Some(&plain[..]));
        let other = Keys::from_secret("another secret of at least 32 characters").unwrap();
        assert_eq!(other.open_document(&sealed), None);
        let mut altered = sealed.clone();
        altered[20] ^= 1;
        assert_eq!(keys().open_document(&altered), None);
        assert_eq!(keys().open_document(b"short"), None);
    }

    #[test]
    fn the_check_digit_is_asked_of_numbers_issued_before_october_2020_only() {
        // 900101-123456?: 18+0+0+5+0+7+8+18+6+12+20+30 = 124; (11 - 124 % 11) % 10 = 8.
        assert_eq!(check_digit("900101123456"), Some(8));
        assert!(Rrn::parse_checked("900101-1234568").is_ok());
        assert_eq!(Rrn::parse_checked("900101-1234564"), Err(RrnError::CheckDigit));
        assert_eq!(Rrn::parse_checked("901301-1234568"), Err(RrnError::Shape));
        assert_eq!(Rrn::parse_checked("9001011234"), Err(RrnError::Shape));
        // Born in 2021: a random last digit, any is accepted.
        for last in 0..10 {
            assert!(Rrn::parse_checked(&format!("210315-412345{last}")).is_ok());
        }
    }

    #[test]
    fn rrn_hash_is_stable_and_keyed() {
        let rrn = Rrn::parse("900101-1234567").unwrap();
        assert_eq!(keys().rrn_hash(&rrn), keys().rrn_hash(&Rrn::parse("9001011234567").unwrap()));
        let other = Keys::from_secret("another-secret-another-secret-xx").unwrap();
        assert_ne!(keys().rrn_hash(&rrn), other.rrn_hash(&rrn));
        assert!(!keys().rrn_hash(&rrn).contains("9001011234567"));
    }

    #[test]
    fn sealed_copy_opens_only_with_the_same_secret() {
        let rrn = Rrn::parse("900101-2234567").unwrap();
        let sealed = keys().seal_rrn(&rrn);
        assert!(!sealed.contains("2234567"));
        assert_eq!(keys().open_rrn(&sealed), Some(rrn));
        let other = Keys::from_secret("another-secret-another-secret-xx").unwrap();
        assert_eq!(other.open_rrn(&sealed), None);
    }

    #[test]
    fn malformed_rrns_are_rejected() {
        for bad in ["", "900101-123456", "901301-1234567", "900101-9234567", "90010a-1234567"] {
            assert!(Rrn::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(Rrn::parse("900101-1234567").unwrap().masked(), "900101-1******");
    }
}
