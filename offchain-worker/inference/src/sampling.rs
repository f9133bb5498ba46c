//! Next-token selection: greedy, temperature, top-k, top-p with a seedable RNG, plus the
//! per-token log-probabilities that validators compare.
//!
//! Log-probabilities are always those of the *unmodified* model distribution
//! (`log_softmax(logits)`), independent of temperature/top-k/top-p, so an executor's report can
//! be checked by a validator that only re-runs the model.

use std::sync::atomic::{AtomicU64, Ordering};

use tch::{Kind, Tensor};

use crate::error::{InferenceError, Result};

/// Most top log-probabilities a request may ask for (OpenAI's limit is 20).
pub const MAX_TOP_LOGPROBS: usize = 20;

/// How a request wants tokens chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplingParams {
	/// 0 means greedy (argmax); otherwise logits are divided by it.
	pub temperature: f32,
	/// Nucleus sampling mass in (0, 1]; 1 disables it.
	pub top_p: f32,
	/// Keep only the `top_k` most likely tokens; 0 disables it.
	pub top_k: usize,
	/// RNG seed for reproducible sampling; `None` draws a fresh one.
	pub seed: Option<u64>,
	/// Maximum number of tokens to generate.
	pub max_tokens: usize,
	/// Strings that end generation (not included in the output text).
	pub stop: Vec<String>,
	/// Number of alternatives to report per token (0 = only the chosen token's log-prob).
	pub top_logprobs: usize,
	/// OpenAI `presence_penalty` in [-2, 2]: subtracted once from the logit of every token
	/// already generated.
	pub presence_penalty: f32,
	/// OpenAI `frequency_penalty` in [-2, 2]: subtracted from a token's logit once per time it
	/// was generated.
	pub frequency_penalty: f32,
	/// OpenAI `logit_bias`: `(token id, bias in [-100, 100])` added to the logits.
	pub logit_bias: Vec<(u32, f32)>,
}

impl Default for SamplingParams {
	fn default() -> Self {
		Self {
			temperature: 1.0,
			top_p: 1.0,
			top_k: 0,
			seed: None,
			max_tokens: 256,
			stop: Vec::new(),
			top_logprobs: 0,
			presence_penalty: 0.0,
			frequency_penalty: 0.0,
			logit_bias: Vec::new(),
		}
	}
}

impl SamplingParams {
	/// Greedy decoding of up to `max_tokens` tokens.
	pub fn greedy(max_tokens: usize) -> Self {
		Self { temperature: 0.0, max_tokens, ..Self::default() }
	}

	/// Rejects out-of-range values with a message naming the parameter.
	pub fn validate(&self) -> Result<()> {
		let bad = |m: String| Err(InferenceError::InvalidRequest(m));
		if !self.temperature.is_finite() || !(0.0..=2.0).contains(&self.temperature) {
			return bad(format!("temperature must be between 0 and 2, got {}", self.temperature));
		}
		if !self.top_p.is_finite() || self.top_p <= 0.0 || self.top_p > 1.0 {
			return bad(format!("top_p must be in (0, 1], got {}", self.top_p));
		}
		if self.max_tokens == 0 {
			return bad("max_tokens must be at least 1".into());
		}
		if self.top_logprobs > MAX_TOP_LOGPROBS {
			return bad(format!(
				"top_logprobs must be at most {MAX_TOP_LOGPROBS}, got {}",
				self.top_logprobs
			));
		}
		if self.stop.len() > 4 || self.stop.iter().any(String::is_empty) {
			return bad("stop must be at most 4 non-empty strings".into());
		}
		for (name, v) in [
			("presence_penalty", self.presence_penalty),
			("frequency_penalty", self.frequency_penalty),
		] {
			if !v.is_finite() || !(-2.0..=2.0).contains(&v) {
				return bad(format!("{name} must be between -2 and 2, got {v}"));
			}
		}
		if let Some((id, b)) =
			self.logit_bias.iter().find(|(_, b)| !b.is_finite() || !(-100.0..=100.0).contains(b))
		{
			return bad(format!("logit_bias for token {id} must be between -100 and 100, got {b}"));
		}
		Ok(())
	}
}

/// A chosen token with its log-probability and the most likely alternatives.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenLogprob {
	/// Chosen token id.
	pub token: u32,
	/// `log p(token)` under the model.
	pub logprob: f32,
	/// Most likely tokens and their log-probs, best first.
	pub top: Vec<(u32, f32)>,
}

/// SplitMix64: tiny, fast, and fully specified, so a seed reproduces the same samples on every
/// platform and library version (unlike `rand`'s `StdRng`, which may change between releases).
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
	/// Seeds the generator.
	pub fn new(seed: u64) -> Self {
		Self(seed)
	}

	/// Next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// Uniform in [0, 1) with 53 bits of precision.
	pub fn next_f64(&mut self) -> f64 {
		(self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
	}
}

/// A fresh seed for requests that do not set one.
fn entropy_seed() -> u64 {
	static COUNTER: AtomicU64 = AtomicU64::new(0);
	let t = std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_nanos() as u64)
		.unwrap_or(0);
	t ^ COUNTER.fetch_add(1, Ordering::Relaxed).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Per-sequence token chooser.
#[derive(Debug, Clone)]
pub struct Sampler {
	params: SamplingParams,
	rng: SplitMix64,
	/// How often each token was generated (for the penalties).
	counts: std::collections::BTreeMap<u32, u32>,
}

impl Sampler {
	/// Creates a sampler; the RNG is seeded from `params.seed` or fresh entropy.
	pub fn new(params: SamplingParams) -> Self {
		let rng = SplitMix64::new(params.seed.unwrap_or_else(entropy_seed));
		Self { params, rng, counts: Default::default() }
	}

	/// The parameters this sampler applies.
	pub fn params(&self) -> &SamplingParams {
		&self.params
	}

	/// Picks the next token from `logits` (`[vocab]` or `[1, vocab]`, f32). Penalties and
	/// `logit_bias` shape the choice; the reported log-probs are the model's own.
	pub fn choose(&mut self, logits: &Tensor) -> Result<TokenLogprob> {
		let logits = logits.reshape([-1]).to_kind(Kind::Float);
		let logprobs = logits.log_softmax(-1, Kind::Float);
		let adjusted = self.adjust(&logits)?;
		let token = if self.params.temperature == 0.0 {
			argmax(&adjusted)?
		} else {
			self.sample(&adjusted)?
		};
		*self.counts.entry(token).or_default() += 1;
		let logprob = logprobs.f_double_value(&[i64::from(token)])? as f32;
		let top = top_logprobs(&logprobs, self.params.top_logprobs)?;
		Ok(TokenLogprob { token, logprob, top })
	}

	/// `logits[t] + bias[t] - presence * [count[t] > 0] - frequency * count[t]` (OpenAI's
	/// definition of the two penalties).
	fn adjust(&self, logits: &Tensor) -> Result<Tensor> {
		let p = &self.params;
		let vocab = logits.size()[0];
		let mut delta: std::collections::BTreeMap<i64, f32> = Default::default();
		for &(id, b) in &p.logit_bias {
			if i64::from(id) < vocab {
				*delta.entry(i64::from(id)).or_default() += b;
			}
		}
		if p.presence_penalty != 0.0 || p.frequency_penalty != 0.0 {
			for (&id, &n) in &self.counts {
				*delta.entry(i64::from(id)).or_default() -=
					p.presence_penalty + p.frequency_penalty * n as f32;
			}
		}
		if delta.is_empty() {
			return Ok(logits.shallow_clone());
		}
		let idx = Tensor::from_slice(&delta.keys().copied().collect::<Vec<i64>>());
		let val = Tensor::from_slice(&delta.values().copied().collect::<Vec<f32>>());
		Ok(logits.f_index_add(
			0,
			&idx.to_device(logits.device()),
			&val.to_device(logits.device()),
		)?)
	}

	fn sample(&mut self, logits: &Tensor) -> Result<u32> {
		let scaled = logits / f64::from(self.params.temperature);
		let vocab = scaled.size()[0];
		let k = if self.params.top_k == 0 { vocab } else { (self.params.top_k as i64).min(vocab) };
		let (values, indices) = scaled.f_topk(k, -1, true, true)?;
		let probs: Vec<f32> = Vec::try_from(&values.softmax(-1, Kind::Float))?;
		let ids: Vec<i64> = Vec::try_from(&indices)?;
		// Nucleus: the smallest prefix whose mass reaches top_p (always at least one token).
		let mut keep = probs.len();
		if self.params.top_p < 1.0 {
			let mut acc = 0.0f32;
			for (i, p) in probs.iter().enumerate() {
				acc += p;
				if acc >= self.params.top_p {
					keep = i + 1;
					break;
				}
			}
		}
		let total: f64 = probs[..keep].iter().map(|&p| f64::from(p)).sum();
		let mut u = self.rng.next_f64() * total;
		for (i, &p) in probs[..keep].iter().enumerate() {
			u -= f64::from(p);
			if u < 0.0 {
				return Ok(ids[i] as u32);
			}
		}
		Ok(ids[keep - 1] as u32)
	}
}

fn argmax(logits: &Tensor) -> Result<u32> {
	Ok(logits.f_argmax(0, false)?.int64_value(&[]) as u32)
}

/// The `n` largest entries of a `[vocab]` log-prob vector, best first.
pub fn top_logprobs(logprobs: &Tensor, n: usize) -> Result<Vec<(u32, f32)>> {
	if n == 0 {
		return Ok(Vec::new());
	}
	let (v, i) = logprobs.f_topk(n as i64, -1, true, true)?;
	let v: Vec<f32> = Vec::try_from(&v)?;
	let i: Vec<i64> = Vec::try_from(&i)?;
	Ok(i.into_iter().map(|x| x as u32).zip(v).collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn logits() -> Tensor {
		Tensor::from_slice(&[1.0f32, 3.0, 2.0, -1.0, 0.5])
	}

	#[test]
	fn penalties_and_bias_steer_the_choice_but_not_the_reported_logprobs() {
		// Greedy picks token 1 (logit 3); a frequency penalty of 2 after it was chosen once
		// moves the choice to token 2 (logit 2), whose reported log-prob stays the model's.
		let mut s =
			Sampler::new(SamplingParams { frequency_penalty: 2.0, ..SamplingParams::greedy(4) });
		assert_eq!(s.choose(&logits()).unwrap().token, 1);
		let t = s.choose(&logits()).unwrap();
		let lse = [1.0f32, 3.0, 2.0, -1.0, 0.5].iter().map(|x| x.exp()).sum::<f32>().ln();
		assert_eq!(t.token, 2);
		assert!((t.logprob - (2.0 - lse)).abs() < 1e-5);
		let mut b = Sampler::new(SamplingParams {
			logit_bias: vec![(3, 100.0)],
			..SamplingParams::greedy(4)
		});
		assert_eq!(b.choose(&logits()).unwrap().token, 3);
		let mut pres =
			Sampler::new(SamplingParams { presence_penalty: -2.0, ..SamplingParams::greedy(4) });
		assert_eq!(pres.choose(&logits()).unwrap().token, 1);
		assert_eq!(pres.choose(&logits()).unwrap().token, 1, "a negative penalty encourages");
		let e = SamplingParams { presence_penalty: 2.5, ..SamplingParams::default() }
			.validate()
			.unwrap_err();
		assert!(e.to_string().contains("presence_penalty"), "{e}");
		let e = SamplingParams { logit_bias: vec![(1, 101.0)], ..SamplingParams::default() }
			.validate()
			.unwrap_err();
		assert!(e.to_string().contains("logit_bias"), "{e}");
	}

	#[test]
	fn greedy_picks_argmax_and_reports_true_logprobs() {
		let mut s = Sampler::new(SamplingParams { top_logprobs: 2, ..SamplingParams::greedy(4) });
		let t = s.choose(&logits()).unwrap();
		assert_eq!(t.token, 1);
		let lse = [1.0f32, 3.0, 2.0, -1.0, 0.5].iter().map(|x| x.exp()).sum::<f32>().ln();
		assert!((t.logprob - (3.0 - lse)).abs() < 1e-5);
		assert_eq!(t.top.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1, 2]);
	}

	#[test]
	fn seeded_sampling_is_reproducible_and_top_k_restricts() {
		let p = SamplingParams { temperature: 1.5, seed: Some(42), ..SamplingParams::default() };
		let draw = |p: &SamplingParams| {
			let mut s = Sampler::new(p.clone());
			(0..64).map(|_| s.choose(&logits()).unwrap().token).collect::<Vec<_>>()
		};
		assert_eq!(draw(&p), draw(&p));
		assert!(
			draw(&p).iter().collect::<std::collections::BTreeSet<_>>().len() >= 3,
			"high temperature explores"
		);
		let k2 = SamplingParams { top_k: 2, ..p.clone() };
		assert!(draw(&k2).iter().all(|&t| t == 1 || t == 2));
		let nucleus = SamplingParams { top_p: 0.01, ..p };
		assert!(draw(&nucleus).iter().all(|&t| t == 1));
	}

	#[test]
	fn invalid_parameters_are_named() {
		let e = SamplingParams { temperature: -1.0, ..SamplingParams::default() }
			.validate()
			.unwrap_err();
		assert!(e.to_string().contains("temperature"));
		let e = SamplingParams { top_p: 0.0, ..SamplingParams::default() }.validate().unwrap_err();
		assert!(e.to_string().contains("top_p"));
		let e = SamplingParams { top_logprobs: 21, ..SamplingParams::default() }
			.validate()
			.unwrap_err();
		assert!(e.to_string().contains("top_logprobs"));
		assert!(SamplingParams::default().validate().is_ok());
	}
}
