//! Times the pieces of one transformer layer at the bench shape (batch 8, seq 64, dim 512,
//! 8 heads, ffn 1536, f32 CPU), and the CPU cost of drawing one nonce's inputs, to see where a
//! forward pass spends its time when tuning the engine. Development aid, not part of the worker.
//!
//! Usage: `THREADS=1 cargo run --release -p gonka-pow --example forward_parts`

use std::time::Instant;
use tch::{Device, Kind, Tensor};

/// Runs `f` once to warm up, then `n` times, and prints the mean time per run.
fn time(name: &str, n: usize, mut f: impl FnMut()) {
	f();
	let t = Instant::now();
	for _ in 0..n {
		f();
	}
	println!("{name:30} {:8.3} ms", t.elapsed().as_secs_f64() * 1e3 / n as f64);
}

fn main() {
	let _guard = tch::no_grad_guard();
	if let Some(threads) = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()) {
		tch::set_num_threads(threads);
	}
	let (b, s, d, f, h, hd) = (8i64, 64i64, 512i64, 1536i64, 8i64, 64i64);
	let n = b * s;
	let o = (Kind::Float, Device::Cpu);
	let x = Tensor::randn([n, d], o);
	let wqkv = Tensor::randn([d, 3 * d], o);
	let wo = Tensor::randn([d, d], o);
	let wgu = Tensor::randn([d, 2 * f], o);
	let wd = Tensor::randn([f, d], o);

	time("mm qkv", 20, || drop(x.mm(&wqkv)));
	time("addmm_ output projection", 20, || {
		let mut y = x.copy();
		drop(y.f_addmm_(&x, &wo).unwrap());
	});
	time("mm gate/up", 20, || drop(x.mm(&wgu)));
	let gu = x.mm(&wgu);
	let gate = gu.narrow(1, 0, f);
	time("mm down (strided input)", 20, || drop(gate.mm(&wd)));
	time("rms_norm", 20, || drop(x.rms_norm([d], None::<Tensor>, 1e-5)));
	time("silu_ + mul_ (in place)", 20, || {
		let gu = gu.copy();
		let mut g = gu.narrow(1, 0, f);
		drop(g.f_silu_().unwrap());
		drop(g.f_mul_(&gu.narrow(1, f, f)).unwrap());
	});
	let qkv = x.mm(&wqkv).view([b, s, 3 * h, hd]);
	let q = qkv.narrow(2, 0, h).transpose(1, 2);
	let k = qkv.narrow(2, h, h).transpose(1, 2);
	let v = qkv.narrow(2, 2 * h, h).transpose(1, 2);
	time("sdpa causal (strided views)", 20, || {
		drop(Tensor::scaled_dot_product_attention(
			&q,
			&k,
			&v,
			None::<Tensor>,
			0.0,
			true,
			None,
			false,
		))
	});
	let table = Tensor::randn([1, s, 1, hd / 2], o);
	time("rope in place (q and k)", 20, || {
		let qkv = qkv.copy();
		let qk = qkv.narrow(2, 0, 2 * h);
		let mut x1 = qk.narrow(3, 0, hd / 2);
		let mut x2 = qk.narrow(3, hd / 2, hd / 2);
		let x1_orig = x1.copy();
		drop(x1.f_mul_(&table).unwrap());
		drop(x1.f_addcmul_(&x2, &table).unwrap());
		drop(x2.f_mul_(&table).unwrap());
		drop(x2.f_addcmul_(&x1_orig, &table).unwrap());
	});
	let attn = Tensor::randn([b, h, s, hd], o);
	time("attention output reshape", 20, || drop(attn.transpose(1, 2).reshape([n, d])));
	let p = gonka_pow::params::bench_params();
	let mut input = vec![0f32; (p.seq_len * p.dim) as usize];
	let mut nonce = 0u64;
	time("draw one nonce's inputs (CPU)", 50, || {
		nonce += 1;
		gonka_pow::derive::fill_nonce_input(&[1; 32], &[2; 32], nonce, &mut input);
	});
	time("draw one nonce's permutation", 50, || {
		nonce += 1;
		drop(gonka_pow::derive::nonce_permutation(&[1; 32], &[2; 32], nonce, &p));
	});
	println!("libtorch threads: {}", tch::get_num_threads());
}
