//! Golden vectors of the protocol: for a fixed seed, worker key and nonce, the first input
//! values, permutation entries and target values, and the nonce's distance on the tiny preset.
//!
//! These pin the byte-level spec (`docs/sprint-protocol.md`, section "Golden vectors"): any
//! change to tags, encodings, the generator or the model math changes them. The input, permutation
//! and target values were cross-checked with an independent pure-Python implementation of the
//! spec (ChaCha20 from RFC 8439, `hashlib.blake2b(digest_size=32)`, `math.log/cos/sin`).

use gonka_pow::{
	derive::{nonce_input, nonce_permutation, target_vector},
	device::ComputeDevice,
	model::SprintModel,
	params::tiny_params,
	search::nonce_distances,
};

const SEED: [u8; 32] = [0x01; 32];
const KEY: [u8; 32] = [0x02; 32];
const NONCE: u64 = 7;

const INPUT_HEAD: [f32; 4] = [-0.206_851_87, -0.430_402_43, 0.880_852_7, -0.813_138_2];
const PERM_HEAD: [u32; 4] = [130, 102, 142, 69];
const TARGET_HEAD: [f64; 4] = [
	-0.104_095_331_131_424_87,
	0.023_095_868_888_172_22,
	-0.070_518_735_148_936_96,
	0.068_213_124_832_473_63,
];
const DISTANCE: f64 = 1.393_323_196;

#[test]
fn input_permutation_and_target_are_pinned() {
	let p = tiny_params();
	let input = nonce_input(&SEED, &KEY, NONCE, &p);
	let perm = nonce_permutation(&SEED, &KEY, NONCE, &p);
	let target = target_vector(&SEED, &p);
	assert_eq!(input[..4], INPUT_HEAD);
	assert_eq!(perm[..4], PERM_HEAD);
	for (got, want) in target[..4].iter().zip(TARGET_HEAD) {
		assert!((got - want).abs() < 1e-15, "{got} vs {want}");
	}
}

#[test]
fn distance_is_pinned() {
	let p = tiny_params();
	let model = SprintModel::new(p, &SEED, ComputeDevice::cpu()).unwrap();
	let d = nonce_distances(&model, &SEED, &KEY, &[NONCE], 1).unwrap()[0];
	// f32 CPU kernels may round differently across CPUs; the protocol tolerance is far wider.
	assert!((d - DISTANCE).abs() < 1e-5, "{d} vs {DISTANCE}");
}

#[test]
fn distance_is_the_same_at_any_batch_size_and_position() {
	let p = tiny_params();
	let model = SprintModel::new(p, &SEED, ComputeDevice::cpu()).unwrap();
	let alone = nonce_distances(&model, &SEED, &KEY, &[NONCE], 1).unwrap()[0];
	for (batch, nonces) in [
		(3, vec![NONCE, 100, 200]),
		(3, vec![100, 200, NONCE]),
		(8, vec![5, 6, NONCE, 8, 9, 10, 11, 12]),
		(2, vec![1, 2, 3, NONCE, 4]),
	] {
		let at = nonces.iter().position(|&n| n == NONCE).unwrap();
		let d = nonce_distances(&model, &SEED, &KEY, &nonces, batch).unwrap()[at];
		assert!((d - alone).abs() < 1e-6, "batch {batch} position {at}: {d} vs {alone}");
	}
}
