//! What each random stream of the sprint is keyed by, and what is drawn from it.
//!
//! Weights and the target depend on the epoch seed only (every worker builds the same model);
//! inputs and permutations depend on `(seed, worker key, nonce)`, so one worker's nonces are
//! worthless to another and a nonce can be recomputed by anyone who knows the three values.

use crate::rng::ProtocolRng;
use gonka_primitives::pow::PowParams;

/// The 32-byte epoch seed fixed by the chain.
pub type Seed = [u8; 32];

/// The 32-byte public key of the worker that searches the nonces.
pub type WorkerKey = [u8; 32];

/// Tag of the weight streams: `tag || seed || layer u32 LE || matrix u32 LE`.
pub const WEIGHT_TAG: &[u8] = b"gonka-pow/v1/weight";
/// Tag of the input-embedding streams: `tag || seed || worker key || nonce u64 LE`.
pub const INPUT_TAG: &[u8] = b"gonka-pow/v1/input";
/// Tag of the output-permutation streams: `tag || seed || worker key || nonce u64 LE`.
pub const PERMUTATION_TAG: &[u8] = b"gonka-pow/v1/perm";
/// Tag of the target-vector stream: `tag || seed`.
pub const TARGET_TAG: &[u8] = b"gonka-pow/v1/target";

/// The weight matrices of the model, with the ids used in their stream keys.
///
/// Every matrix is stored `[out, in]` row-major (the `nn.Linear` convention) and drawn as
/// standard normals times `1 / sqrt(in)`, so activations keep unit scale through the layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Matrix {
	/// Query projection `[heads * head_dim, dim]`.
	Query = 0,
	/// Key projection `[kv_heads * head_dim, dim]`.
	Key = 1,
	/// Value projection `[kv_heads * head_dim, dim]`.
	Value = 2,
	/// Attention output projection `[dim, heads * head_dim]`.
	Output = 3,
	/// MLP gate projection `[ffn_dim, dim]`.
	Gate = 4,
	/// MLP up projection `[ffn_dim, dim]`.
	Up = 5,
	/// MLP down projection `[dim, ffn_dim]`.
	Down = 6,
	/// Output head `[vocab, dim]`, keyed with `layer = layers`.
	LmHead = 7,
}

impl Matrix {
	/// `[out, in]` of this matrix for the given shape.
	pub fn shape(self, p: &PowParams) -> (usize, usize) {
		let q = (p.heads * p.head_dim()) as usize;
		let kv = (p.kv_heads * p.head_dim()) as usize;
		let (dim, ffn, vocab) = (p.dim as usize, p.ffn_dim as usize, p.vocab as usize);
		match self {
			Matrix::Query => (q, dim),
			Matrix::Key | Matrix::Value => (kv, dim),
			Matrix::Output => (dim, q),
			Matrix::Gate | Matrix::Up => (ffn, dim),
			Matrix::Down => (dim, ffn),
			Matrix::LmHead => (vocab, dim),
		}
	}
}

/// Draws one weight matrix (`[out, in]` row-major, f32) of `layer`.
pub fn weight_matrix(seed: &Seed, p: &PowParams, layer: u32, matrix: Matrix) -> Vec<f32> {
	let (rows, cols) = matrix.shape(p);
	let mut rng = ProtocolRng::from_domain(
		WEIGHT_TAG,
		&[seed, &layer.to_le_bytes(), &(matrix as u32).to_le_bytes()],
	);
	let mut out = vec![0f32; rows * cols];
	rng.fill_normals(&mut out, 1.0 / libm::sqrt(cols as f64));
	out
}

/// Draws the input embeddings of a nonce: `seq_len x dim` standard normals, row-major by position.
pub fn nonce_input(seed: &Seed, key: &WorkerKey, nonce: u64, p: &PowParams) -> Vec<f32> {
	let mut out = vec![0f32; p.seq_len as usize * p.dim as usize];
	fill_nonce_input(seed, key, nonce, &mut out);
	out
}

/// Writes the input embeddings of a nonce into `out` (of length `seq_len * dim`), so that batch
/// buffers can be filled in place.
pub fn fill_nonce_input(seed: &Seed, key: &WorkerKey, nonce: u64, out: &mut [f32]) {
	let mut rng = ProtocolRng::from_domain(INPUT_TAG, &[seed, key, &nonce.to_le_bytes()]);
	rng.fill_normals(out, 1.0);
}

/// Draws the permutation applied to a nonce's logits (Fisher–Yates over `0..vocab`).
pub fn nonce_permutation(seed: &Seed, key: &WorkerKey, nonce: u64, p: &PowParams) -> Vec<u32> {
	ProtocolRng::from_domain(PERMUTATION_TAG, &[seed, key, &nonce.to_le_bytes()])
		.permutation(p.vocab)
}

/// Draws the epoch's target: `vocab` standard normals (f64), normalised to unit L2 norm.
pub fn target_vector(seed: &Seed, p: &PowParams) -> Vec<f64> {
	let mut t = ProtocolRng::from_domain(TARGET_TAG, &[seed]).normals_f64(p.vocab as usize);
	let norm = libm::sqrt(t.iter().map(|x| x * x).sum::<f64>());
	for x in &mut t {
		*x /= norm;
	}
	t
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::params::tiny_params;

	#[test]
	fn shapes_follow_the_params() {
		let mut p = tiny_params();
		p.kv_heads = 2;
		let hd = p.head_dim() as usize;
		assert_eq!(Matrix::Query.shape(&p), (p.dim as usize, p.dim as usize));
		assert_eq!(Matrix::Key.shape(&p), (2 * hd, p.dim as usize));
		assert_eq!(Matrix::Down.shape(&p), (p.dim as usize, p.ffn_dim as usize));
		assert_eq!(Matrix::LmHead.shape(&p), (p.vocab as usize, p.dim as usize));
	}

	#[test]
	fn streams_are_separated_by_domain_and_inputs() {
		let p = tiny_params();
		let (seed, key) = ([1u8; 32], [2u8; 32]);
		let a = nonce_input(&seed, &key, 7, &p);
		assert_eq!(a.len(), (p.seq_len * p.dim) as usize);
		assert_eq!(a, nonce_input(&seed, &key, 7, &p));
		assert_ne!(a, nonce_input(&seed, &key, 8, &p));
		assert_ne!(a, nonce_input(&seed, &[3u8; 32], 7, &p));
		assert_ne!(a, nonce_input(&[4u8; 32], &key, 7, &p));
		let q0 = weight_matrix(&seed, &p, 0, Matrix::Query);
		assert_ne!(q0, weight_matrix(&seed, &p, 1, Matrix::Query));
		assert_ne!(q0[..16], weight_matrix(&seed, &p, 0, Matrix::Key)[..16]);
	}

	#[test]
	fn weights_have_fan_in_scale() {
		let p = tiny_params();
		let w = weight_matrix(&[9u8; 32], &p, 0, Matrix::Down);
		let var = w.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / w.len() as f64;
		let expected = 1.0 / p.ffn_dim as f64;
		assert!((var / expected - 1.0).abs() < 0.1, "variance {var}, expected {expected}");
	}

	#[test]
	fn target_is_a_unit_vector() {
		let p = tiny_params();
		let t = target_vector(&[5u8; 32], &p);
		assert_eq!(t.len(), p.vocab as usize);
		let norm: f64 = t.iter().map(|x| x * x).sum::<f64>().sqrt();
		assert!((norm - 1.0).abs() < 1e-12);
	}
}
