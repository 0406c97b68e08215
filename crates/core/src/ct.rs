//! Constant-time equality of secrets (session tokens, signatures, MFA codes).
//!
//! `subtle`'s slice comparison takes a `Choice` per byte, each behind an optimisation barrier:
//! about 10 instructions a byte, and a session token is ~300 bytes — 15 % of every AssumeRole
//! decision under callgrind. This compares eight bytes at a time with no
//! data-dependent branch, and leaves the final test of the accumulated difference to `subtle`.

use subtle::ConstantTimeEq;

/// Whether `a` and `b` are equal, in time that depends on their lengths only (a secret's
/// length is public: tokens, signatures and codes have fixed formats).
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().unwrap_or_default());
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let (a_rest, b_rest) = (a_words.remainder(), b_words.remainder());
    let mut difference = 0u64;
    for (x, y) in a_words.zip(b_words) {
        difference |= word(x) ^ word(y);
        // Keeps the optimiser from turning the loop into an early exit.
        difference = std::hint::black_box(difference);
    }
    for (x, y) in a_rest.iter().zip(b_rest) {
        difference |= u64::from(x ^ y);
    }
    difference.ct_eq(&0).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_and_unequal_at_every_position_and_length() {
        for len in 0..40usize {
            let a: Vec<u8> = (0..len as u8).collect();
            assert!(eq(&a, &a.clone()));
            for at in 0..len {
                let mut b = a.clone();
                b[at] ^= 0x80;
                assert!(!eq(&a, &b), "length {len}, byte {at}");
            }
            assert!(!eq(&a, &[a.as_slice(), &[0]].concat()));
        }
    }
}

// Property tests run natively only (proptest does not build for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_plain_equality(a in proptest::collection::vec(any::<u8>(), 0..80),
                                      b in proptest::collection::vec(any::<u8>(), 0..80)) {
            prop_assert_eq!(eq(&a, &b), a == b);
            prop_assert!(eq(&a, &a));
        }
    }
}
