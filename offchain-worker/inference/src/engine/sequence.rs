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

/// Runs one packed forward pass over `seqs` (prefilling new ones, decoding the rest) and
/// samples one token for each. Finished sequences must be removed by the caller.
pub fn step(
	model: &LlamaModel,
	tokenizer: &TextTokenizer,
	seqs: &mut [&mut Sequence],
) -> Result<Vec<StepOutput>> {
	let pending: Vec<Vec<u32>> = seqs.iter_mut().map(|s| std::mem::take(&mut s.pending)).collect();
	let logits = {
		let mut chunks: Vec<SeqChunk<'_>> = seqs
			.iter_mut()
			.zip(&pending)
			.map(|(s, p)| SeqChunk { tokens: p, cache: &mut s.cache, logits: LogitsFor::Last })
			.collect();
		model.forward(&mut chunks)?
	};
	seqs.iter_mut().zip(&logits).map(|(s, l)| s.absorb(l, tokenizer)).collect()
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
		let mut o = step(model, tokenizer, &mut [&mut seq])?;
		let o = o.remove(0);
		let finish = o.finish;
		out.push(o);
		if let Some(f) = finish {
			return Ok((out, f));
		}
	}
}
