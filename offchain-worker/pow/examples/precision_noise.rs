//! Measures how far reduced-precision (bf16) distances fall from f32 ones for the same nonces,
//! the honest noise the protocol tolerance (`DISTANCE_TOLERANCE`) must absorb when a host
//! searches in bf16 and a validator recomputes in f32. Runs libtorch's CPU bf16 kernels as a
//! stand-in for a GPU (CUDA bf16 kernels round differently but at the same precision).
//!
//! Usage: `cargo run --release -p gonka-pow --example precision_noise -- [tiny|bench] [nonces]`

use gonka_pow::{
	device::ComputeDevice, model::SprintModel, params::resolve_params, search::nonce_distances,
	DISTANCE_SCALE, DISTANCE_TOLERANCE,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
	let mut args = std::env::args().skip(1);
	let params = resolve_params(&args.next().unwrap_or_else(|| "tiny".into()))?;
	let n: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(64);
	let (seed, key) = ([5u8; 32], [6u8; 32]);
	let nonces: Vec<u64> = (0..n).collect();
	let f32_model = SprintModel::new(params, &seed, ComputeDevice::cpu())?;
	let bf16 = ComputeDevice { kind: tch::Kind::BFloat16, ..ComputeDevice::cpu() };
	let bf16_model = SprintModel::new(params, &seed, bf16)?;
	let exact = nonce_distances(&f32_model, &seed, &key, &nonces, 8)?;
	let rough = nonce_distances(&bf16_model, &seed, &key, &nonces, 8)?;
	let mut diffs: Vec<f64> = exact.iter().zip(&rough).map(|(a, b)| (a - b).abs()).collect();
	diffs.sort_by(|a, b| a.total_cmp(b));
	let tol = DISTANCE_TOLERANCE as f64 / DISTANCE_SCALE as f64;
	let over = diffs.iter().filter(|&&d| d > tol).count();
	let spread = {
		let mean = exact.iter().sum::<f64>() / n as f64;
		(exact.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64).sqrt()
	};
	println!(
		"{n} nonces: |bf16 - f32| median {:.2e}, p90 {:.2e}, max {:.2e}; tolerance {tol:.1e} \
		 exceeded by {over}; spread of f32 distances (std) {spread:.2e}",
		diffs[diffs.len() / 2],
		diffs[diffs.len() * 9 / 10],
		diffs[diffs.len() - 1],
	);
	Ok(())
}
