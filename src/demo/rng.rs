//! A small deterministic generator: the same seed gives the same demo on every platform.

/// `SplitMix64` (Steele, Lea, Flood 2014): fast, well mixed, trivially seedable.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// A generator for the `index`-th item of stream `stream`: items can be generated in any
    /// order, in any batch, with the same result.
    #[must_use]
    pub fn for_index(seed: u64, stream: u64, index: u64) -> Self {
        let mut mixer = Self(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let base = mixer.next_u64();
        Self(base ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n.max(1)).unwrap_or(u64::MAX);
        usize::try_from(self.next_u64() % n64).unwrap_or(0)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.next_u64() % 100 < u64::from(percent)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index chosen by weight.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut roll = u32::try_from(self.next_u64() % u64::from(total.max(1))).unwrap_or(0);
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let a: Vec<u64> = (0..5).map(|_| SplitMix64::new(7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = SplitMix64::for_index(1, 2, 3);
        let mut y = SplitMix64::for_index(1, 2, 3);
        assert_eq!(x.next_u64(), y.next_u64());
        assert_ne!(
            SplitMix64::for_index(1, 2, 3).next_u64(),
            SplitMix64::for_index(1, 2, 4).next_u64()
        );
    }
}
