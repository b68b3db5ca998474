//! FNV-1a, the one non-keyed hash nblint uses: for fingerprints that must never change between
//! runs or versions (SARIF, baselines, JUnit case names), for text shingles, and for the table
//! label index, where the keys are short template labels (not attacker-chosen) and SipHash
//! would cost more than the rest of the lookup. A ground-floor module.

/// FNV-1a as a [`std::hash::Hasher`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A `HashMap` hashed with [`Fnv`].
pub(crate) type FnvMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The FNV-1a hash of `bytes`.
pub(crate) fn fnv64(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = Fnv::default();
    h.write(bytes);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(fnv64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
