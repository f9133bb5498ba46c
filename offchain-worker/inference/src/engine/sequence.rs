//! State of one generating sequence and the batched decode step over many of them.

use tch::Tensor;

use crate::detok::Detokenizer;
use crate::error::Result;
use crate::model::{KvCache, LlamaModel, LogitsFor, SeqChunk};
use crate::sampling::{Sampler, SamplingParams, TokenLogprob};
use crate::stop::StopText;
use crate::tokenizer::TextTokenizer;

/// Why a sequence stopped (OpenAI's `finish_reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
	/// An end-of-turn token or a stop string.
	Stop,
	/// `max_tokens` or the context length was reached.
	Length,
}

impl FinishReason {
	/// The wire name used by the OpenAI API.
	pub fn as_str(self) -> &'static str {
		match self {
			Self::Stop => "stop",
			Self::Length => "length",
		}
	}
}

/// What one decode step produced for a sequence.
#[derive(Debug, Clone)]
pub struct StepOutput {
	/// The token chosen this step and its log-probabilities.
	pub token: TokenLogprob,
	/// Whether the token came before any text (its log-probability `bytes` then follow the
	/// tokenizer's start-of-text rule, see [`crate::detok::TokenPieces::bytes`]).
	pub at_start: bool,
	/// Text released by this step (may be empty while a stop prefix is held back).
	pub text: String,
	/// Set when the sequence is complete.
	pub finish: Option<FinishReason>,
}

/// A sequence being generated.
#[derive(Debug)]
pub struct Sequence {
	prompt_len: usize,
	generated: Vec<u32>,
	pending: Vec<u32>,
	cache: KvCache,
	sampler: Sampler,
	detok: Detokenizer,
	text: StopText,
	context_limit: usize,
}

impl Sequence {
	/// Starts a sequence; its first step will prefill `prompt`.
	pub fn new(
		model: &LlamaModel,
		tokenizer: &TextTokenizer,
		prompt: Vec<u32>,
		params: SamplingParams,
	) -> Self {
		let context_limit = model.config().max_position_embeddings as usize;
		let capacity = (prompt.len() + params.max_tokens).min(context_limit) as i64;
		Self {
			prompt_len: prompt.len(),
			generated: Vec::new(),
			cache: model.new_cache(capacity),
			detok: tokenizer.detokenizer(),
			text: StopText::new(params.stop.clone()),
			sampler: Sampler::new(params),
			pending: prompt,
			context_limit,
		}
	}

	/// Number of prompt tokens.
	pub fn prompt_len(&self) -> usize {
		self.prompt_len
	}

	/// Tokens generated so far.
	pub fn generated(&self) -> &[u32] {
		&self.generated
	}

	/// Whether the whole prompt is in the cache (the sequence decodes one token per step).
	pub fn prefilled(&self) -> bool {
		self.cache.len() as usize >= self.prompt_len
	}

	fn absorb(&mut self, logits: &Tensor, tokenizer: &TextTokenizer) -> Result<StepOutput> {
		let token = self.sampler.choose(logits)?;
		self.generated.push(token.token);
		let params = self.sampler.params();
		let is_stop_token = tokenizer.stop_ids().contains(&token.token);
		let at_start = self.detok.at_start();
		let mut decoded = self.detok.push(token.token);
		let mut finish = if is_stop_token {
			Some(FinishReason::Stop)
		} else if self.generated.len() >= params.max_tokens
			|| self.prompt_len + self.generated.len() >= self.context_limit
		{
			Some(FinishReason::Length)
		} else {
			None
		};
		if finish.is_some() {
			decoded.push_str(&self.detok.finish());
		}
		let update = self.text.feed(&decoded);
		let mut text = update.delta;
		if update.hit_stop {
			finish = Some(FinishReason::Stop);
		} else if finish.is_some() {
			text.push_str(&self.text.finish());
		}
		if finish.is_none() {
			self.pending = vec![token.token];
		}
		Ok(StepOutput { token, at_start, text, finish })
	}
}

/// Default most prompt tokens prefilled per engine step (all joining sequences together).
///
/// A long prompt is prefilled over several steps in chunks of at most this many tokens, and the
/// sequences already decoding take part in every one of those steps: a 4,000-token prompt
/// delays each running decode by one 512-token chunk's compute at a time, not by the whole
/// prompt's.
pub const DEFAULT_PREFILL_CHUNK: usize = 512;

/// Runs one packed forward pass over `seqs` — every decoding sequence's next token plus at most
/// `prefill_chunk` prompt tokens of the joining ones, first come first served (0 = no limit) —
/// and samples one token for each sequence whose prompt is complete. `None` for a sequence
/// still prefilling. Finished sequences must be removed by the caller.
pub fn step(
	model: &LlamaModel,
	tokenizer: &TextTokenizer,
	seqs: &mut [&mut Sequence],
	prefill_chunk: usize,
) -> Result<Vec<Option<StepOutput>>> {
	let mut budget = if prefill_chunk == 0 { usize::MAX } else { prefill_chunk };
	// How many pending tokens each sequence feeds this step.
	let take: Vec<usize> = seqs
		.iter()
		.map(|s| {
			if s.prefilled() {
				s.pending.len()
			} else {
				let n = s.pending.len().min(budget);
				budget -= n;
				n
			}
		})
		.collect();
	let fed: Vec<Vec<u32>> =
		seqs.iter_mut().zip(&take).map(|(s, &n)| s.pending.drain(..n).collect()).collect();
	let logits = {
		let mut chunks: Vec<SeqChunk<'_>> = seqs
			.iter_mut()
			.zip(&fed)
			.filter(|(_, f)| !f.is_empty())
			.map(|(s, f)| SeqChunk {
				tokens: f,
				logits: if s.pending.is_empty() { LogitsFor::Last } else { LogitsFor::Nothing },
				cache: &mut s.cache,
			})
			.collect();
		model.forward(&mut chunks)
	};
	let logits = match logits {
		Ok(l) => l,
		Err(e) => {
			// Put the tokens back so nothing is lost if the caller retries.
			for (s, f) in seqs.iter_mut().zip(fed) {
				let rest = std::mem::replace(&mut s.pending, f);
				s.pending.extend(rest);
			}
			return Err(e);
		},
	};
	let mut logits = logits.into_iter();
	seqs.iter_mut()
		.zip(&fed)
		.map(|(s, f)| {
			if f.is_empty() {
				return Ok(None);
			}
			let l = logits.next().expect("one logits tensor per fed chunk");
			if s.pending.is_empty() {
				s.absorb(&l, tokenizer).map(Some)
			} else {
				Ok(None)
			}
		})
		.collect()
}

/// Generates a whole completion for one prompt synchronously (no batching); used by tools,
/// benchmarks and as the reference that batched serving must match.
pub fn generate(
	model: &LlamaModel,
	tokenizer: &TextTokenizer,
	prompt: Vec<u32>,
	params: SamplingParams,
) -> Result<(Vec<StepOutput>, FinishReason)> {
	let _guard = tch::no_grad_guard();
	let mut seq = Sequence::new(model, tokenizer, prompt, params);
	let mut out = Vec::new();
	loop {
		let Some(o) = step(model, tokenizer, &mut [&mut seq], 0)?.remove(0) else {
			continue;
		};
		let finish = o.finish;
		out.push(o);
		if let Some(f) = finish {
			return Ok((out, f));
		}
	}
}
