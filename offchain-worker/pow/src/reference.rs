//! A deliberately naive f64 implementation of the protocol's model math, written straight from
//! `docs/sprint-protocol.md`, against which the fused libtorch model is tested. It shares only
//! the weight/input derivation with the engine, so layout tricks (fused projections, in-place
//! RoPE, last-layer pruning, grouped KV heads) are checked against the plain definition.

use crate::derive::{weight_matrix, Matrix, Seed};
use crate::model::RMS_NORM_EPS;
use gonka_primitives::pow::PowParams;

fn matvec(w: &[f32], rows: usize, cols: usize, x: &[f64]) -> Vec<f64> {
	(0..rows).map(|r| (0..cols).map(|c| w[r * cols + c] as f64 * x[c]).sum()).collect()
}

fn rms_norm(x: &[f64]) -> Vec<f64> {
	let ms = x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
	let inv = 1.0 / (ms + RMS_NORM_EPS).sqrt();
	x.iter().map(|v| v * inv).collect()
}

fn rope(x: &mut [f64], heads: usize, hd: usize, pos: usize, theta: f64) {
	let half = hd / 2;
	for h in 0..heads {
		for i in 0..half {
			let angle = pos as f64 * theta.powf(-((2 * i) as f64) / hd as f64);
			let (c, s) = (angle.cos(), angle.sin());
			let (a, b) = (x[h * hd + i], x[h * hd + i + half]);
			x[h * hd + i] = a * c - b * s;
			x[h * hd + i + half] = b * c + a * s;
		}
	}
}

/// Last-position logits of one nonce by the plain definition, in f64.
pub fn reference_logits(p: &PowParams, seed: &Seed, input: &[f32]) -> Vec<f64> {
	let (s_len, d) = (p.seq_len as usize, p.dim as usize);
	let (heads, kvh, hd) = (p.heads as usize, p.kv_heads as usize, p.head_dim() as usize);
	let group = heads / kvh;
	let mut h: Vec<Vec<f64>> =
		(0..s_len).map(|s| input[s * d..(s + 1) * d].iter().map(|&v| v as f64).collect()).collect();
	for layer in 0..p.layers {
		let w = |m: Matrix| (weight_matrix(seed, p, layer, m), m.shape(p));
		let (wq, wk, wv, wo) =
			(w(Matrix::Query), w(Matrix::Key), w(Matrix::Value), w(Matrix::Output));
		let (wg, wu, wd) = (w(Matrix::Gate), w(Matrix::Up), w(Matrix::Down));
		let mv = |(m, (r, c)): &(Vec<f32>, (usize, usize)), x: &[f64]| matvec(m, *r, *c, x);
		let mut q = Vec::new();
		let mut k = Vec::new();
		let mut v = Vec::new();
		for (pos, row) in h.iter().enumerate() {
			let a = rms_norm(row);
			let mut qr = mv(&wq, &a);
			let mut kr = mv(&wk, &a);
			rope(&mut qr, heads, hd, pos, p.rope_theta as f64);
			rope(&mut kr, kvh, hd, pos, p.rope_theta as f64);
			q.push(qr);
			k.push(kr);
			v.push(mv(&wv, &a));
		}
		for pos in 0..s_len {
			let mut o = vec![0f64; heads * hd];
			for head in 0..heads {
				let g = head / group;
				let scores: Vec<f64> = (0..=pos)
					.map(|t| {
						(0..hd).map(|i| q[pos][head * hd + i] * k[t][g * hd + i]).sum::<f64>()
							/ (hd as f64).sqrt()
					})
					.collect();
				let max = scores.iter().cloned().fold(f64::MIN, f64::max);
				let exps: Vec<f64> = scores.iter().map(|x| (x - max).exp()).collect();
				let total: f64 = exps.iter().sum();
				for (t, e) in exps.iter().enumerate() {
					for i in 0..hd {
						o[head * hd + i] += e / total * v[t][g * hd + i];
					}
				}
			}
			let delta = mv(&wo, &o);
			h[pos].iter_mut().zip(delta).for_each(|(x, y)| *x += y);
		}
		for row in h.iter_mut() {
			let m = rms_norm(row);
			let (gate, up) = (mv(&wg, &m), mv(&wu, &m));
			let act: Vec<f64> =
				gate.iter().zip(&up).map(|(g, u)| g / (1.0 + (-g).exp()) * u).collect();
			let delta = mv(&wd, &act);
			row.iter_mut().zip(delta).for_each(|(x, y)| *x += y);
		}
	}
	let lm = weight_matrix(seed, p, p.layers, Matrix::LmHead);
	matvec(&lm, p.vocab as usize, d, &rms_norm(&h[s_len - 1]))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		derive::nonce_input, device::ComputeDevice, model::SprintModel, params::tiny_params,
	};

	fn max_rel_err(got: &[f32], want: &[f64]) -> f64 {
		let scale = want.iter().map(|x| x.abs()).fold(0.0, f64::max);
		got.iter().zip(want).map(|(g, w)| (*g as f64 - w).abs()).fold(0.0, f64::max) / scale
	}

	#[test]
	fn fused_model_matches_plain_definition_with_grouped_kv_heads() {
		let p = tiny_params(); // 4 query heads share 2 KV heads
		let seed = [11u8; 32];
		let model = SprintModel::new(p, &seed, ComputeDevice::cpu()).unwrap();
		let input = nonce_input(&seed, &[1u8; 32], 5, &p);
		let got = model.last_logits(&input).unwrap();
		let want = reference_logits(&p, &seed, &input);
		assert!(max_rel_err(&got, &want) < 1e-4, "error {}", max_rel_err(&got, &want));
	}

	#[test]
	fn fused_model_matches_plain_definition_single_layer_no_gqa() {
		let mut p = tiny_params();
		p.layers = 1;
		p.kv_heads = p.heads;
		p.seq_len = 5;
		let seed = [12u8; 32];
		let model = SprintModel::new(p, &seed, ComputeDevice::cpu()).unwrap();
		let input = nonce_input(&seed, &[2u8; 32], 9, &p);
		let got = model.last_logits(&input).unwrap();
		let want = reference_logits(&p, &seed, &input);
		assert!(max_rel_err(&got, &want) < 1e-4, "error {}", max_rel_err(&got, &want));
	}
}
