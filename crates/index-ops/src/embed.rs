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
    // Lower-case once, and find the words.
    let lower: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let mut words: Vec<(u64, usize, usize)> = Vec::with_capacity(lower.len() / 5 + 1);
    let mut start = None;
    for (i, &b) in lower.iter().enumerate() {
        match (b.is_ascii_alphanumeric() || b >= 0x80, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((quick_key(&lower[s..i]), s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((quick_key(&lower[s..]), s, lower.len()));
    }
    // Hash each distinct word once and weight it by its count. Every
    // contribution is a whole number, so the sum is exact in any order and
    // the vector is the same as adding word by word.
    words.sort_unstable();
    let mut acc = [0f32; DIM];
    let mut add = |word: &[u8], count: f32| {
        let h = Sha256::digest(word);
        for k in 0..TOUCHES {
            let idx = h[2 * k] as usize % DIM;
            let sign = if h[2 * k + 1] & 1 == 0 { 1.0 } else { -1.0 };
            acc[idx] += sign * count;
        }
    };
    let mut i = 0;
    while i < words.len() {
        let (key, s, e) = words[i];
        let mut j = i + 1;
        while j < words.len() && words[j].0 == key {
            j += 1;
        }
        let first = &lower[s..e];
        if words[i + 1..j].iter().all(|w| lower[w.1..w.2] == *first) {
            add(first, (j - i) as f32);
        } else {
            // Two different words with the same key: rare, hash each.
            for w in &words[i..j] {
                add(&lower[w.1..w.2], 1.0);
            }
        }
        i = j;
    }
    normalize(acc)
}

/// A cheap 64-bit key (FNV-1a) to group equal words before hashing them.
fn quick_key(word: &[u8]) -> u64 {
    word.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

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
    fn shared_words_score_higher_than_unrelated_ones() {
        let q = embed("vpn gateway");
        let near = embed("connect to the vpn gateway before logging in");
        let far = embed("refunds are issued within fourteen days");
        assert!(cosine(&q, &near) > cosine(&q, &far));
        assert!((cosine(&near, &near) - 1.0).abs() < 1e-5);
        assert!(is_well_formed(&near) && is_well_formed(&embed("")));
    }
}
