//! Deterministic embeddings: a hash of the words, not a model.
//!
//! A real index calls an embedding model, which is slow, costs money and is
//! the work an operator most wants to avoid repeating. Here an embedding is
//! computed from the text alone: each word (a run of letters and digits,
//! lower-cased) is hashed with SHA-256, the hash picks a few of the [`DIM`]
//! coordinates and a sign for each, the contributions are summed, and the
//! vector is scaled to unit length. Texts that share words point in similar
//! directions, so cosine search behaves sensibly, and the same text gives the
//! same vector on every machine.
//!
//! What matters for operations is not the quality of these vectors but that
//! making one is *work*: [`Index`](crate::Index) counts every document it
//! embeds, and the lab's checks read that counter to prove a sync re-embedded
//! only what changed.
//!
//! Most of that work is one SHA-256 block per distinct word. An index
//! remembers the hashes of words it has seen ([`WordHashes`]), as an
//! embedding service caches what it has already computed; the vectors are
//! the same either way.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use sha2::digest::generic_array::GenericArray;
use sha2::{Digest, Sha256};

/// Number of dimensions of an embedding.
pub const DIM: usize = 64;

/// An embedding: a unit vector of [`DIM`] coordinates (the zero vector for a
/// text with no words).
pub type Embedding = [f32; DIM];

/// How many coordinates each word touches.
const TOUCHES: usize = 4;

/// The embedding of `text`.
///
/// ```
/// use index_ops::{embed, DIM};
/// let a = embed("reset the VPN token");
/// assert_eq!(a, embed("Reset the vpn token!"));
/// let norm: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
/// assert!((norm - 1.0).abs() < 1e-5);
/// assert_eq!(embed("  ... ").iter().filter(|x| **x != 0.0).count(), 0);
/// assert_eq!(a.len(), DIM);
/// ```
pub fn embed(text: &str) -> Embedding {
    embed_with(text, None)
}

/// The embedding of `text`, remembering word hashes in `known` (see
/// [`WordHashes`]). The vector is bit for bit the one [`embed`] gives.
pub(crate) fn embed_cached(text: &str, known: &mut WordHashes) -> Embedding {
    embed_with(text, Some(known))
}

fn embed_with(text: &str, mut known: Option<&mut WordHashes>) -> Embedding {
    // Count each distinct word once, then hash each distinct word once and
    // weight it by its count. Every contribution is a whole number, so the
    // sum is exact in any order and the vector is the same as adding word
    // by word (a test holds the two definitions together).
    let bytes = text.as_bytes();
    let mut words = WordCounts::for_text(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if WORD_BYTE[usize::from(bytes[i])] == 0 {
            i += 1;
            continue;
        }
        // Pack the first 16 lower-cased bytes of the word into one number:
        // for most words that number *is* the word, so telling two words
        // apart is one comparison.
        let start = i;
        let mut key = 0u128;
        while let Some(&b) = bytes.get(i) {
            let lower = WORD_BYTE[usize::from(b)];
            if lower == 0 {
                break;
            }
            if i - start < 16 {
                key |= u128::from(lower) << (8 * (i - start));
            }
            i += 1;
        }
        words.add(key, bytes, start, i);
    }
    let mut acc = [0f32; DIM];
    for slot in words.slots.iter().filter(|s| s.count > 0) {
        let word = &bytes[slot.start..slot.start + slot.len];
        let h = match known.as_deref_mut() {
            // A key is the whole word only for words of up to 16 bytes.
            Some(known) if slot.len <= 16 => known.hash(slot.key, slot.len, word),
            _ => word_hash(word),
        };
        let count = slot.count as f32;
        for k in 0..TOUCHES {
            let idx = h[2 * k] as usize % DIM;
            let sign = if h[2 * k + 1] & 1 == 0 { 1.0 } else { -1.0 };
            acc[idx] += sign * count;
        }
    }
    normalize(acc)
}

/// For each byte: its lower-case form if it belongs to a word (ASCII
/// letters and digits, and every non-ASCII byte, so `zoë` is one word),
/// and 0 if it separates words.
const WORD_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() || byte >= 0x80 {
            table[b] = byte.to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Word hashes an index has already computed, so that a word it has seen
/// before costs a lookup instead of a SHA-256 block.
///
/// The hash of a word never changes, so remembering it changes no vector:
/// a test checks that cached and uncached embeddings are identical. Only
/// words of up to 16 bytes are kept (their packed key *is* the word), and
/// at most [`WordHashes::CAPACITY`] of them, so the memory stays small
/// whatever the corpus. The index still counts every document it embeds:
/// this makes a document cheaper, it does not make it free.
#[derive(Clone, Default)]
pub struct WordHashes {
    known: HashMap<(u128, usize), [u8; 8], BuildHasherDefault<KeyHasher>>,
}

// Printed as a count: the map's order is not stable, and what an index
// remembers is not its content.
impl std::fmt::Debug for WordHashes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WordHashes({} words)", self.known.len())
    }
}

impl WordHashes {
    /// The most words remembered.
    pub const CAPACITY: usize = 1 << 16;

    fn hash(&mut self, key: u128, len: usize, word: &[u8]) -> [u8; 8] {
        if let Some(h) = self.known.get(&(key, len)) {
            return *h;
        }
        let h = word_hash(word);
        if self.known.len() < Self::CAPACITY {
            self.known.insert((key, len), h);
        }
        h
    }
}

/// A hasher for packed word keys: they are already well spread by the
/// bytes of the word, so one multiply per word is enough.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u128(&mut self, key: u128) {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        self.0 = (self.0 ^ folded).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// One distinct word: its packed key, where its first occurrence is, and
/// how many times it occurs. `count == 0` marks an empty slot.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u128,
    start: usize,
    len: usize,
    count: u32,
}

/// A small open-addressing table counting words by their packed first 16
/// bytes. Words of up to 16 bytes are equal exactly when their keys and
/// lengths are; longer ones that share a key are compared byte by byte.
struct WordCounts {
    slots: Vec<Slot>,
    used: usize,
}

impl WordCounts {
    /// A table sized for a text of `len` bytes (about one distinct word in
    /// sixteen bytes; it grows when that guess is short).
    fn for_text(len: usize) -> Self {
        Self {
            slots: vec![Slot::default(); (len / 8).clamp(16, 1024).next_power_of_two()],
            used: 0,
        }
    }

    fn bucket(key: u128, mask: usize) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
    }

    fn add(&mut self, key: u128, text: &[u8], start: usize, end: usize) {
        if 2 * (self.used + 1) > self.slots.len() {
            self.grow();
        }
        let len = end - start;
        let mask = self.slots.len() - 1;
        let mut at = Self::bucket(key, mask);
        loop {
            let slot = &mut self.slots[at];
            if slot.count == 0 {
                *slot = Slot {
                    key,
                    start,
                    len,
                    count: 1,
                };
                self.used += 1;
                return;
            }
            if slot.key == key
                && slot.len == len
                && (len <= 16
                    || text[slot.start..slot.start + len].eq_ignore_ascii_case(&text[start..end]))
            {
                slot.count = slot.count.saturating_add(1);
                return;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let bigger = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, bigger);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|s| s.count > 0) {
            let mut at = Self::bucket(slot.key, mask);
            while self.slots[at].count > 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

/// The first 8 bytes of SHA-256 of the lower-cased `word`.
///
/// A word of up to 55 bytes fits one 64-byte SHA-256 block with its
/// padding, so the block is built here and compressed once, without the
/// general-purpose hasher's buffering (a test checks the result against
/// `Sha256::digest` for every length).
fn word_hash(word: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    if word.len() <= 55 {
        let mut block = [0u8; 64];
        for (dst, src) in block.iter_mut().zip(word) {
            *dst = src.to_ascii_lowercase();
        }
        block[word.len()] = 0x80;
        block[56..].copy_from_slice(&(word.len() as u64 * 8).to_be_bytes());
        let mut state = SHA256_INIT;
        sha2::compress256(
            &mut state,
            std::slice::from_ref(GenericArray::from_slice(&block)),
        );
        out[..4].copy_from_slice(&state[0].to_be_bytes());
        out[4..].copy_from_slice(&state[1].to_be_bytes());
    } else {
        let lower = word.to_ascii_lowercase();
        out.copy_from_slice(&Sha256::digest(&lower)[..8]);
    }
    out
}

/// SHA-256's initial state (FIPS 180-4, section 5.3.3).
const SHA256_INIT: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

fn normalize(mut v: Embedding) -> Embedding {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
    v
}

/// Cosine similarity of two embeddings. Both are unit vectors (or zero), so
/// this is their dot product: 1 for the same direction, 0 for unrelated.
pub fn cosine(a: &Embedding, b: &Embedding) -> f32 {
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum()
}

/// `true` when `v` is a unit vector or the zero vector (what [`embed`] makes),
/// with every coordinate finite. A restore uses this to refuse vectors that
/// were tampered with.
pub fn is_well_formed(v: &Embedding) -> bool {
    if v.iter().any(|x| !x.is_finite()) {
        return false;
    }
    let norm2: f32 = v.iter().map(|x| x * x).sum();
    norm2 == 0.0 || (norm2 - 1.0).abs() < 1e-3
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, word by word, without the grouping shortcut.
    fn embed_word_by_word(text: &str) -> Embedding {
        let mut acc = [0f32; DIM];
        let lower = text.to_ascii_lowercase();
        for word in lower.split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let h = Sha256::digest(word.as_bytes());
            for k in 0..TOUCHES {
                acc[h[2 * k] as usize % DIM] += if h[2 * k + 1] & 1 == 0 { 1.0 } else { -1.0 };
            }
        }
        normalize(acc)
    }

    #[test]
    fn grouping_equal_words_gives_the_same_vector_bit_for_bit() {
        let mut rng = labkit::SimRng::seed(5);
        let vocab = [
            "the", "The", "vpn", "VPN", "a", "zoë", "x1", "42", "gateway", "über",
        ];
        for _ in 0..500 {
            let n = rng.below(200) as usize;
            let text: Vec<&str> = (0..n).map(|_| *rng.pick(&vocab).unwrap_or(&"a")).collect();
            let text = text.join(if rng.chance(0.5) { " " } else { ", " });
            assert_eq!(embed(&text), embed_word_by_word(&text), "{text:?}");
        }
    }

    #[test]
    fn word_hash_is_sha256_for_every_length() {
        for len in 0..=130 {
            let word: Vec<u8> = (0..len).map(|i| b"AbZ9\xc3"[i % 5]).collect();
            let lower = word.to_ascii_lowercase();
            assert_eq!(
                word_hash(&word)[..],
                Sha256::digest(&lower)[..8],
                "length {len}"
            );
        }
    }

    #[test]
    fn many_distinct_words_and_colliding_cases_still_count_exactly() {
        // Thousands of distinct words make the table grow several times.
        let text: String = (0..5000).map(|i| format!("w{i} W{} ", i % 7)).collect();
        assert_eq!(embed(&text), embed_word_by_word(&text));
    }

    #[test]
    fn remembered_word_hashes_change_no_vector() {
        let mut known = WordHashes::default();
        let mut rng = labkit::SimRng::seed(11);
        let vocab = [
            "vpn",
            "VPN",
            "gateway",
            "averyveryverylongword",
            "zoë",
            "x1",
        ];
        for _ in 0..300 {
            let n = rng.below(40) as usize;
            let text: Vec<&str> = (0..n).map(|_| *rng.pick(&vocab).unwrap_or(&"a")).collect();
            let text = text.join(" ");
            assert_eq!(embed_cached(&text, &mut known), embed(&text), "{text:?}");
        }
        // Short words only, each once whatever its case.
        assert_eq!(known.known.len(), 4);
    }

    #[test]
    fn shared_words_score_higher_than_unrelated_ones() {
        let q = embed("vpn gateway");
        let near = embed("connect to the vpn gateway before logging in");
        let far = embed("refunds are issued within fourteen days");
        assert!(cosine(&q, &near) > cosine(&q, &far));
        assert!((cosine(&near, &near) - 1.0).abs() < 1e-5);
        assert!(is_well_formed(&near) && is_well_formed(&embed("")));
    }
}
