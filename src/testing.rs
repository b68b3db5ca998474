//! Helpers for the unit tests: generated texts, the same on every run.

/// A xorshift generator (Marsaglia's 13/7/17) and the texts it makes from pieces.
pub(crate) struct Texts {
    seed: u64,
}

impl Texts {
    /// A non-zero `seed`; each test has its own, so that tests do not share texts.
    pub(crate) fn new(seed: u64) -> Self {
        Texts { seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        self.seed
    }

    /// `len` pieces, each chosen from `pieces`.
    pub(crate) fn text(&mut self, pieces: &[&str], len: u64) -> String {
        let n = pieces.len() as u64;
        (0..len)
            .map(|_| pieces[(self.next_u64() % n) as usize])
            .collect()
    }
}
