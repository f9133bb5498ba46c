//! Throughput measurement: FLOPs per nonce, the device's own matmul rate, and model-FLOP
//! utilisation (MFU) of the nonce search, all measured in the same run.
//!
//! MFU compares the search against what this very device achieves on one large matmul, so that
//! the figure says how much of the hardware the forward pass uses rather than quoting a datasheet.

use crate::{
	device::ComputeDevice,
	model::{ModelError, SprintModel},
	search::{search, SearchConfig, SearchError, SearchStats},
};
use gonka_primitives::pow::PowParams;
use std::{
	sync::atomic::AtomicBool,
	time::{Duration, Instant},
};
use tch::Tensor;

/// Matmul FLOPs (2 per multiply-add) the engine spends on one nonce.
///
/// Counts what the forward pass needs: every layer but the last in full (fused QKV projection,
/// causal attention counting the `S(S+1)/2` unmasked query/key pairs for both `QK^T` and `PV`,
/// output projection, SwiGLU MLP), the last layer for the keys/values of all positions plus the
/// query, attention, output projection and MLP of the last position, and the output head for the
/// last position. Norms, RoPE and activations (O(S·dim) each) are not counted, by convention.
pub fn flops_per_nonce(p: &PowParams) -> u64 {
	let (s, d, f, v) = (p.seq_len as u64, p.dim as u64, p.ffn_dim as u64, p.vocab as u64);
	let q = (p.heads * p.head_dim()) as u64;
	let kv = (p.kv_heads * p.head_dim()) as u64;
	let full_layer = 2 * s * d * (q + 2 * kv) + 2 * s * (s + 1) * q + 2 * s * q * d + 6 * s * d * f;
	let last_layer = 2 * s * d * 2 * kv + 2 * d * q + 4 * s * q + 2 * q * d + 6 * d * f;
	(p.layers as u64 - 1) * full_layer + last_layer + 2 * d * v
}

/// Measures the device's matmul rate (FLOP/s) on `n x n` matrices in the model's precision, with
/// `lanes` threads multiplying concurrently (as the search lanes do), after one warm-up product
/// each: total FLOPs done over at least `min_time`, divided by the elapsed time.
pub fn measure_matmul_rate(
	compute: ComputeDevice,
	n: i64,
	min_time: Duration,
	lanes: usize,
) -> Result<f64, tch::TchError> {
	let barrier = std::sync::Barrier::new(lanes.max(1));
	let per_lane: Vec<Result<(u64, Duration), tch::TchError>> = std::thread::scope(|scope| {
		let threads: Vec<_> = (0..lanes.max(1))
			.map(|_| {
				let barrier = &barrier;
				scope.spawn(move || -> Result<(u64, Duration), tch::TchError> {
					let _guard = tch::no_grad_guard();
					let options = (compute.kind, compute.device);
					let a = Tensor::f_randn([n, n], options)?;
					let b = Tensor::f_randn([n, n], options)?;
					let _ = a.f_mm(&b)?;
					compute.synchronize();
					barrier.wait();
					let (started, mut products) = (Instant::now(), 0u64);
					while started.elapsed() < min_time {
						let _ = a.f_mm(&b)?;
						compute.synchronize();
						products += 1;
					}
					Ok((products, started.elapsed()))
				})
			})
			.collect();
		threads.into_iter().map(|t| t.join().expect("matmul thread panicked")).collect()
	});
	let flops = 2.0 * (n as f64).powi(3);
	let mut total = 0f64;
	for lane in per_lane {
		let (products, elapsed) = lane?;
		total += products as f64 * flops / elapsed.as_secs_f64();
	}
	Ok(total)
}

/// One benchmark result.
#[derive(Clone, Debug)]
pub struct BenchReport {
	/// Device and precision.
	pub device: String,
	/// Nonces per forward pass.
	pub batch_size: usize,
	/// Concurrent device loops.
	pub lanes: usize,
	/// Search counters.
	pub stats: SearchStats,
	/// [`flops_per_nonce`] of the shape.
	pub flops_per_nonce: u64,
	/// Achieved model FLOP/s.
	pub model_flops_per_s: f64,
	/// Measured matmul FLOP/s of the device.
	pub matmul_flops_per_s: f64,
}

impl BenchReport {
	/// Model FLOP/s as a fraction of the measured matmul rate.
	pub fn mfu(&self) -> f64 {
		self.model_flops_per_s / self.matmul_flops_per_s
	}

	/// Share of wall time the device loops waited for inputs (0 when generation keeps up).
	pub fn input_wait_share(&self) -> f64 {
		self.stats.input_wait.as_secs_f64() / self.stats.wall.as_secs_f64()
	}

	/// Input generation CPU time as a share of wall time (summed over producer threads).
	pub fn input_generation_share(&self) -> f64 {
		self.stats.input_generation.as_secs_f64() / self.stats.wall.as_secs_f64()
	}

	/// A Markdown table of the figures.
	pub fn markdown(&self) -> String {
		let s = &self.stats;
		format!(
			"| metric | value |\n|---|---|\n\
			 | device | {} |\n| batch size x lanes | {} x {} |\n| nonces | {} in {:.1} s |\n\
			 | nonces/s | {:.1} |\n| valid nonces | {} |\n| FLOPs per nonce | {:.3} G |\n\
			 | model FLOP/s | {:.1} G |\n| measured matmul FLOP/s | {:.1} G |\n\
			 | MFU (model / matmul) | {:.1}% |\n| forward share of wall | {:.1}% |\n\
			 | device waiting for inputs | {:.2}% |\n| input generation CPU / wall | {:.1}% |\n",
			self.device,
			self.batch_size,
			self.lanes,
			s.nonces,
			s.wall.as_secs_f64(),
			s.nonces_per_second(),
			s.valid,
			self.flops_per_nonce as f64 / 1e9,
			self.model_flops_per_s / 1e9,
			self.matmul_flops_per_s / 1e9,
			100.0 * self.mfu(),
			100.0 * s.forward.as_secs_f64() / s.wall.as_secs_f64(),
			100.0 * self.input_wait_share(),
			100.0 * self.input_generation_share(),
		)
	}
}

/// Runs the search for `config.duration` after one warm-up batch, then measures the matmul rate
/// with as many concurrent lanes as the search used.
pub fn run_bench(
	model: &SprintModel,
	config: &SearchConfig,
	matmul_n: i64,
) -> Result<BenchReport, SearchError> {
	let p = *model.params();
	let warm = vec![0.5f32; config.batch_size * (p.seq_len * p.dim) as usize];
	model.last_logits(&warm)?;
	let outcome = search(model, config, &AtomicBool::new(false), |_| {})?;
	let compute = model.compute();
	let matmul = measure_matmul_rate(compute, matmul_n, Duration::from_secs(3), config.lanes)
		.map_err(|e| SearchError::Model(ModelError::Torch(e)))?;
	let flops = flops_per_nonce(&p);
	Ok(BenchReport {
		device: compute.describe(),
		batch_size: config.batch_size,
		lanes: config.lanes,
		stats: outcome.stats,
		flops_per_nonce: flops,
		model_flops_per_s: flops as f64 * outcome.stats.nonces_per_second(),
		matmul_flops_per_s: matmul,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::params::bench_params;

	#[test]
	fn flops_of_the_bench_shape() {
		// dim 512, 8 layers, 8 heads (no GQA), ffn 1536, vocab 8192, seq 64.
		let p = bench_params();
		let full =
			2 * 64 * 512 * 1536 + 2 * 64 * 65 * 512 + 2 * 64 * 512 * 512 + 6 * 64 * 512 * 1536;
		let last =
			2 * 64 * 512 * 1024 + 2 * 512 * 512 + 4 * 64 * 512 + 2 * 512 * 512 + 6 * 512 * 1536;
		assert_eq!(flops_per_nonce(&p), 7 * full + last + 2 * 512 * 8192);
		// About 3.1 GFLOP per nonce.
		assert!((3.0e9..3.3e9).contains(&(flops_per_nonce(&p) as f64)));
	}

	#[test]
	fn matmul_rate_is_positive_on_cpu() {
		let rate =
			measure_matmul_rate(ComputeDevice::cpu(), 64, Duration::from_millis(20), 2).unwrap();
		assert!(rate > 1e6, "{rate}");
	}
}
