//! CPU throughput of the engine: prefill and decode tokens/s at batch 1 and 8.
//!
//! Usage: `cargo run --release -p gonka-inference --example bench -- MODEL.gguf [THREADS]`
//! Prefill: PROMPT_LEN-token prompts, all sequences of the batch packed in one forward pass.
//! Decode: DECODE_STEPS single-token steps per sequence after that prefill (KV cache in use).
//! Prints a Markdown table row per batch size (median of REPEATS runs).

use std::path::PathBuf;
use std::time::Instant;

use gonka_inference::model::{LogitsFor, SeqChunk};
use gonka_inference::{load_model, LoadOptions};
use tch::{Device, Kind};

const PROMPT_LEN: usize = 128;
const DECODE_STEPS: usize = 64;
const REPEATS: usize = 3;

fn main() {
	let args: Vec<String> = std::env::args().collect();
	let path = PathBuf::from(args.get(1).expect("usage: bench MODEL.gguf [THREADS]"));
	if let Some(t) = args.get(2) {
		tch::set_num_threads(t.parse().expect("THREADS must be a number"));
	}
	let opts =
		LoadOptions { device: Device::Cpu, kind: Kind::Float, model_id: None, compute_hash: false };
	let m = load_model(&path, &opts).expect("load");
	let _g = tch::no_grad_guard();
	let text = "The quick brown fox jumps over the lazy dog. ".repeat(40);
	let tokens: Vec<u32> = m.tokenizer.encode(&text).unwrap()[..PROMPT_LEN].to_vec();
	println!("threads: {}", tch::get_num_threads());
	println!("| batch | prefill tok/s | decode tok/s |\n|---|---|---|");
	for batch in [1usize, 8] {
		let mut prefill = Vec::new();
		let mut decode = Vec::new();
		for _ in 0..REPEATS {
			let mut caches: Vec<_> =
				(0..batch).map(|_| m.model.new_cache((PROMPT_LEN + DECODE_STEPS) as i64)).collect();
			let t0 = Instant::now();
			let logits = {
				let mut chunks: Vec<SeqChunk<'_>> = caches
					.iter_mut()
					.map(|c| SeqChunk { tokens: &tokens, cache: c, logits: LogitsFor::Last })
					.collect();
				m.model.forward(&mut chunks).unwrap()
			};
			prefill.push((batch * PROMPT_LEN) as f64 / t0.elapsed().as_secs_f64());
			let mut next: Vec<u32> =
				logits.iter().map(|l| l.argmax(-1, false).int64_value(&[0]) as u32).collect();
			let t1 = Instant::now();
			for _ in 0..DECODE_STEPS {
				let toks: Vec<[u32; 1]> = next.iter().map(|&t| [t]).collect();
				let logits = {
					let mut chunks: Vec<SeqChunk<'_>> = caches
						.iter_mut()
						.zip(&toks)
						.map(|(c, t)| SeqChunk { tokens: t, cache: c, logits: LogitsFor::Last })
						.collect();
					m.model.forward(&mut chunks).unwrap()
				};
				next =
					logits.iter().map(|l| l.argmax(-1, false).int64_value(&[0]) as u32).collect();
			}
			decode.push((batch * DECODE_STEPS) as f64 / t1.elapsed().as_secs_f64());
		}
		let median = |v: &mut Vec<f64>| {
			v.sort_by(|a, b| a.total_cmp(b));
			v[v.len() / 2]
		};
		println!("| {batch} | {:.0} | {:.1} |", median(&mut prefill), median(&mut decode));
	}
}
