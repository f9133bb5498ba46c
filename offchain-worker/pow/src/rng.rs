//! The protocol's one random generator: ChaCha20 keyed by a domain-separated BLAKE2b-256 hash.
//!
//! Every random number of the sprint (weights, inputs, permutations, the target) comes from this
//! file, so that a second implementation (another language, another device) only has to match
//! this code and `docs/sprint-protocol.md`, never a library's undocumented sampler. All float math
//! is done in f64 with the pure-Rust `libm` (bit-identical on every platform) and cast to f32 last.

use chacha20::{
	cipher::{KeyIvInit, StreamCipher},
	ChaCha20,
};

/// Bytes of keystream produced per refill (16 ChaCha20 blocks).
const BUFFER_BYTES: usize = 1024;

/// A deterministic stream of random numbers: the RFC 8439 ChaCha20 keystream (96-bit zero nonce,
/// block counter starting at 0) under a 32-byte key, read as little-endian words.
pub struct ProtocolRng {
	cipher: ChaCha20,
	buffer: [u8; BUFFER_BYTES],
	position: usize,
}

impl ProtocolRng {
	/// Starts the keystream of `key`.
	pub fn from_key(key: [u8; 32]) -> Self {
		let cipher = ChaCha20::new(&key.into(), &[0u8; 12].into());
		Self { cipher, buffer: [0u8; BUFFER_BYTES], position: BUFFER_BYTES }
	}

	/// Starts the stream keyed by `BLAKE2b-256(tag || parts[0] || parts[1] || ...)`. Tags are
	/// distinct ASCII strings and every part has a fixed length per tag, so no two uses of the
	/// generator can ever share a key.
	pub fn from_domain(tag: &[u8], parts: &[&[u8]]) -> Self {
		Self::from_key(domain_key(tag, parts))
	}

	fn refill(&mut self) {
		self.buffer = [0u8; BUFFER_BYTES];
		self.cipher.apply_keystream(&mut self.buffer);
		self.position = 0;
	}

	/// Next 4 keystream bytes as a little-endian `u32`.
	pub fn next_u32(&mut self) -> u32 {
		if self.position + 4 > BUFFER_BYTES {
			self.refill();
		}
		let mut word = [0u8; 4];
		word.copy_from_slice(&self.buffer[self.position..self.position + 4]);
		self.position += 4;
		u32::from_le_bytes(word)
	}

	/// Next 8 keystream bytes as a little-endian `u64` (first word is the low half).
	pub fn next_u64(&mut self) -> u64 {
		let low = self.next_u32() as u64;
		let high = self.next_u32() as u64;
		low | (high << 32)
	}

	/// A uniform f64 in `[0, 1)`: the top 53 bits of [`Self::next_u64`] times `2^-53`.
	pub fn next_f64(&mut self) -> f64 {
		(self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
	}

	/// Fills `out` with standard normals times `scale`, by Box–Muller on pairs of uniforms:
	/// `u1 = 1 - next_f64()` (in `(0, 1]`), `u2 = next_f64()`, `r = sqrt(-2 ln u1)`,
	/// `z0 = r cos(2 pi u2)`, `z1 = r sin(2 pi u2)`, emitted in that order (an odd length drops
	/// the last `z1`); each value is `(z * scale) as f32`.
	pub fn fill_normals(&mut self, out: &mut [f32], scale: f64) {
		let mut chunks = out.chunks_exact_mut(2);
		for pair in &mut chunks {
			let (z0, z1) = self.normal_pair();
			pair[0] = (z0 * scale) as f32;
			pair[1] = (z1 * scale) as f32;
		}
		if let [last] = chunks.into_remainder() {
			let (z0, _) = self.normal_pair();
			*last = (z0 * scale) as f32;
		}
	}

	/// `n` standard normals in f64 (same stream consumption as [`Self::fill_normals`]).
	pub fn normals_f64(&mut self, n: usize) -> Vec<f64> {
		let mut out = Vec::with_capacity(n + 1);
		while out.len() < n {
			let (z0, z1) = self.normal_pair();
			out.push(z0);
			out.push(z1);
		}
		out.truncate(n);
		out
	}

	fn normal_pair(&mut self) -> (f64, f64) {
		let u1 = 1.0 - self.next_f64();
		let u2 = self.next_f64();
		let r = libm::sqrt(-2.0 * libm::log(u1));
		let theta = 2.0 * core::f64::consts::PI * u2;
		(r * libm::cos(theta), r * libm::sin(theta))
	}

	/// A uniform integer in `[0, bound)` by Lemire's multiply-and-reject method on 32-bit words:
	/// `m = x * bound` (64-bit); if `low32(m) < bound`, reject while `low32(m) < (2^32 - bound)
	/// mod bound`, drawing a new `x`; return `m >> 32`. Unbiased. `bound` must be positive.
	pub fn next_below(&mut self, bound: u32) -> u32 {
		debug_assert!(bound > 0, "next_below needs a positive bound");
		let mut m = self.next_u32() as u64 * bound as u64;
		if (m as u32) < bound {
			let threshold = bound.wrapping_neg() % bound;
			while (m as u32) < threshold {
				m = self.next_u32() as u64 * bound as u64;
			}
		}
		(m >> 32) as u32
	}

	/// A uniform permutation of `0..n` by Fisher–Yates: start from the identity and, for `i` from
	/// `n - 1` down to 1, swap entries `i` and `next_below(i + 1)`.
	pub fn permutation(&mut self, n: u32) -> Vec<u32> {
		let mut perm: Vec<u32> = (0..n).collect();
		for i in (1..n).rev() {
			let j = self.next_below(i + 1);
			perm.swap(i as usize, j as usize);
		}
		perm
	}
}

/// `BLAKE2b-256(tag || parts...)`, the key of a generator stream.
pub fn domain_key(tag: &[u8], parts: &[&[u8]]) -> [u8; 32] {
	let mut preimage = Vec::with_capacity(tag.len() + parts.iter().map(|p| p.len()).sum::<usize>());
	preimage.extend_from_slice(tag);
	for part in parts {
		preimage.extend_from_slice(part);
	}
	sp_crypto_hashing::blake2_256(&preimage)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chacha20_matches_rfc8439_keystream() {
		// RFC 8439 appendix A.1, test vector #1: all-zero key and nonce, block counter 0.
		let mut rng = ProtocolRng::from_key([0u8; 32]);
		let words: Vec<u32> = (0..16).map(|_| rng.next_u32()).collect();
		let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
		assert_eq!(
			hex::encode(bytes),
			concat!(
				"76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7",
				"da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586"
			)
		);
	}

	#[test]
	fn blake2b_256_matches_known_answer() {
		assert_eq!(
			hex::encode(domain_key(b"", &[])),
			"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
		);
		// Tag and parts are simply concatenated.
		assert_eq!(domain_key(b"ab", &[b"cd", b"e"]), domain_key(b"abcde", &[]));
	}

	#[test]
	fn words_are_little_endian_and_u64_is_low_word_first() {
		let mut a = ProtocolRng::from_key([7u8; 32]);
		let mut b = ProtocolRng::from_key([7u8; 32]);
		let (lo, hi) = (a.next_u32() as u64, a.next_u32() as u64);
		assert_eq!(b.next_u64(), lo | (hi << 32));
	}

	#[test]
	fn stream_survives_buffer_refills() {
		let mut a = ProtocolRng::from_key([3u8; 32]);
		let first: Vec<u32> = (0..1000).map(|_| a.next_u32()).collect();
		let mut b = ProtocolRng::from_key([3u8; 32]);
		let mut raw = vec![0u8; 4000];
		b.cipher.apply_keystream(&mut raw);
		let expected: Vec<u32> =
			raw.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
		assert_eq!(first, expected);
	}

	#[test]
	fn uniforms_are_in_unit_interval_with_mean_one_half() {
		let mut rng = ProtocolRng::from_key([1u8; 32]);
		let xs: Vec<f64> = (0..100_000).map(|_| rng.next_f64()).collect();
		assert!(xs.iter().all(|&x| (0.0..1.0).contains(&x)));
		let mean = xs.iter().sum::<f64>() / xs.len() as f64;
		assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
	}

	#[test]
	fn normals_have_unit_moments_and_match_f64_path() {
		let mut rng = ProtocolRng::from_key([2u8; 32]);
		let mut xs = vec![0f32; 200_001];
		rng.fill_normals(&mut xs, 1.0);
		let n = xs.len() as f64;
		let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n;
		let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
		assert!(mean.abs() < 0.01, "mean {mean}");
		assert!((var - 1.0).abs() < 0.02, "variance {var}");
		let mut again = ProtocolRng::from_key([2u8; 32]);
		let wide = again.normals_f64(5);
		let narrow: Vec<f32> = wide.iter().map(|&z| z as f32).collect();
		assert_eq!(&xs[..5], &narrow[..]);
	}

	#[test]
	fn scaled_normals_are_scaled_before_the_cast() {
		let mut a = ProtocolRng::from_key([4u8; 32]);
		let mut b = ProtocolRng::from_key([4u8; 32]);
		let mut xs = [0f32; 4];
		a.fill_normals(&mut xs, 0.125);
		let zs = b.normals_f64(4);
		for (x, z) in xs.iter().zip(zs) {
			assert_eq!(*x, (z * 0.125) as f32);
		}
	}

	#[test]
	fn bounded_ints_are_in_range_and_roughly_uniform() {
		let mut rng = ProtocolRng::from_key([5u8; 32]);
		let mut counts = [0u32; 6];
		for _ in 0..60_000 {
			counts[rng.next_below(6) as usize] += 1;
		}
		assert!(counts.iter().all(|&c| (9_400..10_600).contains(&c)), "{counts:?}");
		assert_eq!(rng.next_below(1), 0);
		assert!(rng.next_below(u32::MAX) < u32::MAX);
	}

	#[test]
	fn permutation_is_a_permutation_and_deterministic() {
		let mut rng = ProtocolRng::from_key([6u8; 32]);
		let perm = rng.permutation(1000);
		let mut sorted = perm.clone();
		sorted.sort_unstable();
		assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
		assert_ne!(perm, (0..1000).collect::<Vec<_>>());
		assert_eq!(ProtocolRng::from_key([6u8; 32]).permutation(1000), perm);
		assert_eq!(rng.permutation(1), vec![0]);
		assert!(rng.permutation(0).is_empty());
	}

	#[test]
	fn fisher_yates_draw_order_is_as_specified() {
		// Recompute a small permutation by hand from the raw bounded draws.
		let mut draws = ProtocolRng::from_key([8u8; 32]);
		let mut expected: Vec<u32> = (0..5).collect();
		for i in (1..5u32).rev() {
			let j = draws.next_below(i + 1);
			expected.swap(i as usize, j as usize);
		}
		assert_eq!(ProtocolRng::from_key([8u8; 32]).permutation(5), expected);
	}
}
