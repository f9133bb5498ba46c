//! CPU throughput of the engine, in the shapes of the side-by-side benchmark
//! (`scripts/bench/inference.sh`, which runs the Python peers on the same shapes).
//!
//! Usage: `bench MODEL.gguf [--threads N] [--dtype f32|bf16|f16|q8|native] [--batches 1,4,8]
//!         [--prompts 128,512] [--decode 64] [--repeats 3] [--prefill-chunk 512]`
//!
//! For each (batch, prompt length): `batch` sequences of the same synthetic prompt (token ids
//! `100 + (i·7919 mod 40000)`, the same ids the peers use) are prefilled as the engine does,
//! in forward passes of at most `prefill-chunk` prompt tokens (its default, 512; time to first
//! token = until every sequence has its first greedy token), then decoded greedily for
//! `decode` single-token steps, all sequences in one step. Prints one JSON line per shape with
//! the medians over `repeats` runs; the last line reports the process's peak RSS.

use std::path::PathBuf;
use std::time::Instant;

use gonka_inference::model::{LogitsFor, Precision, SeqChunk};
use gonka_inference::{load_model, LoadOptions};
use tch::Device;

struct Args {
	model: PathBuf,
	precision: Precision,
	batches: Vec<usize>,
	prompts: Vec<usize>,
	decode: usize,
	repeats: usize,
	prefill_chunk: usize,
}

fn list(v: &str) -> Vec<usize> {
	v.split(',').map(|x| x.trim().parse().expect("a comma-separated list of numbers")).collect()
}

fn parse() -> Args {
	let mut it = std::env::args().skip(1);
	let mut args = Args {
		model: PathBuf::new(),
		precision: Precision::F32,
		batches: vec![1, 4, 8],
		prompts: vec![128, 512],
		decode: 64,
		repeats: 3,
		prefill_chunk: gonka_inference::engine::DEFAULT_PREFILL_CHUNK,
	};
	while let Some(a) = it.next() {
		let mut val = || it.next().unwrap_or_else(|| panic!("{a} needs a value"));
		match a.as_str() {
			"--threads" => tch::set_num_threads(val().parse().expect("--threads N")),
			"--dtype" => args.precision = val().parse().unwrap_or_else(|e| panic!("{e}")),
			"--batches" => args.batches = list(&val()),
			"--prompts" => args.prompts = list(&val()),
			"--decode" => args.decode = val().parse().expect("--decode N"),
			"--repeats" => args.repeats = val().parse().expect("--repeats N"),
			"--prefill-chunk" => args.prefill_chunk = val().parse().expect("--prefill-chunk N"),
			path => args.model = PathBuf::from(path),
		}
	}
	assert!(args.model.exists(), "usage: bench MODEL.gguf [--threads N] [--dtype D] ...");
	args
}

fn median(mut v: Vec<f64>) -> f64 {
	v.sort_by(|a, b| a.total_cmp(b));
	v[v.len() / 2]
}

/// Peak resident set size of this process in MB (`VmHWM`).
fn peak_rss_mb() -> f64 {
	let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
	status
		.lines()
		.find_map(|l| l.strip_prefix("VmHWM:"))
		.and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
		.map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
	let args = parse();
	let opts = LoadOptions {
		device: Device::Cpu,
		precision: args.precision,
		model_id: None,
		compute_hash: false,
	};
	let m = load_model(&args.model, &opts).expect("load");
	let engine = format!("gonka {}", m.info.precision);
	let _g = tch::no_grad_guard();
	let argmax = |l: &tch::Tensor| l.argmax(-1, false).int64_value(&[0]) as u32;
	for &prompt_len in &args.prompts {
		let tokens: Vec<u32> = (0..prompt_len).map(|i| 100 + (i as u32 * 7919) % 40000).collect();
		for &batch in &args.batches {
			let (mut prefill, mut ttft, mut decode) = (Vec::new(), Vec::new(), Vec::new());
			for _ in 0..args.repeats {
				let mut caches: Vec<_> = (0..batch)
					.map(|_| m.model.new_cache((prompt_len + args.decode) as i64))
					.collect();
				let t0 = Instant::now();
				let mut next = vec![0u32; batch];
				// Packed passes of at most `prefill_chunk` prompt tokens, first come first
				// served, as the engine's step does.
				let mut fed = vec![0usize; batch];
				while fed.iter().any(|&f| f < prompt_len) {
					let mut budget = args.prefill_chunk.max(1);
					let mut plan = Vec::new();
					for (i, f) in fed.iter_mut().enumerate() {
						let n = (prompt_len - *f).min(budget);
						if n > 0 {
							plan.push((i, *f, n));
							*f += n;
							budget -= n;
						}
					}
					let logits = {
						let mut chunks: Vec<SeqChunk<'_>> = Vec::new();
						let mut rest: &mut [_] = &mut caches;
						let mut base = 0;
						for &(i, from, n) in &plan {
							let (_, tail) = rest.split_at_mut(i - base);
							let (c, tail) = tail.split_first_mut().expect("cache");
							rest = tail;
							base = i + 1;
							let done = from + n == prompt_len;
							chunks.push(SeqChunk {
								tokens: &tokens[from..from + n],
								cache: c,
								logits: if done { LogitsFor::Last } else { LogitsFor::Nothing },
							});
						}
						m.model.forward(&mut chunks).expect("prefill")
					};
					for (&(i, from, n), l) in plan.iter().zip(&logits) {
						if from + n == prompt_len {
							next[i] = argmax(l);
						}
					}
				}
				let first = t0.elapsed().as_secs_f64();
				prefill.push((batch * prompt_len) as f64 / first);
				ttft.push(first * 1e3);
				let t1 = Instant::now();
				for _ in 0..args.decode {
					let toks: Vec<[u32; 1]> = next.iter().map(|&t| [t]).collect();
					let logits = {
						let mut chunks: Vec<SeqChunk<'_>> = caches
							.iter_mut()
							.zip(&toks)
							.map(|(c, t)| SeqChunk { tokens: t, cache: c, logits: LogitsFor::Last })
							.collect();
						m.model.forward(&mut chunks).expect("decode")
					};
					next = logits.iter().map(argmax).collect();
				}
				decode.push((batch * args.decode) as f64 / t1.elapsed().as_secs_f64());
			}
			println!(
				"{{\"engine\":\"{engine}\",\"batch\":{batch},\"prompt\":{prompt_len},\
				 \"prefill_tok_s\":{:.1},\"ttft_ms\":{:.1},\"decode_tok_s\":{:.2}}}",
				median(prefill),
				median(ttft),
				median(decode)
			);
		}
	}
	println!(
		"{{\"engine\":\"{engine}\",\"peak_rss_mb\":{:.0},\"weights_mb\":{:.0},\"threads\":{}}}",
		peak_rss_mb(),
		m.info.weight_bytes as f64 / 1048576.0,
		tch::get_num_threads()
	);
}
