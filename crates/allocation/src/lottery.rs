//! The lottery: each child's number comes from the published seed and the child's id alone (the first eight bytes
//! of SHA-256 of `"{seed}:{id}"`), so it does not depend on the order of the input, and anyone holding the seed
//! can check it. Lower numbers come first.

use sha2::{Digest, Sha256};

pub fn lottery_number(seed: u64, child_id: &str) -> u64 {
    let digest = Sha256::digest(format!("{seed}:{child_id}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLDEN: &str = "e0c1415f2dc2a03c"; // printf 42:k1 | sha256sum

    #[test]
    fn the_same_seed_and_id_give_the_same_number_and_others_differ() {
        assert_eq!(lottery_number(42, "k1"), lottery_number(42, "k1"));
        assert_ne!(lottery_number(42, "k1"), lottery_number(43, "k1"));
        assert_ne!(lottery_number(42, "k1"), lottery_number(42, "k2"));
        // Fixed for everyone who re-runs a published round (SHA-256 of "42:k1", first eight bytes).
        assert_eq!(format!("{:016x}", lottery_number(42, "k1")), GOLDEN);
    }
}
