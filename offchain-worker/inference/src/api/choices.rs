//! Several choices for one request (OpenAI's `n`): one engine sequence per choice, run in the
//! same continuous batch, collected whole or merged into one stream tagged by choice index.

use tokio::sync::mpsc::UnboundedReceiver;
use tokio_stream::wrappers::UnboundedReceiverStream;
use tokio_stream::StreamMap;

use super::types::SamplingFields;
use super::{ApiError, AppState};
use crate::engine::{FinishReason, GenerationEvent, StepOutput};
use crate::sampling::SamplingParams;

/// Most choices one request may ask for (each is a sequence in the engine's batch).
pub const MAX_CHOICES: usize = 16;

/// The number of choices a request asks for: `n` (default 1), at most [`MAX_CHOICES`], and
/// exactly 1 for a metered market request (its receipt covers one sequence).
pub(crate) fn choice_count(fields: &SamplingFields, metered: bool) -> Result<usize, ApiError> {
	let n = fields.n.unwrap_or(1) as usize;
	if n == 0 || n > MAX_CHOICES {
		return Err(ApiError::invalid(
			format!("n must be between 1 and {MAX_CHOICES}, got {n}."),
			Some("n"),
		));
	}
	if metered && n != 1 {
		return Err(ApiError::invalid(
			"n must be 1 for a metered market request (one receipt covers one choice).",
			Some("n"),
		));
	}
	Ok(n)
}

/// Submits `n` sequences for `prompt`. With a seed, choice `i` samples with `seed + i`, so a
/// seeded request is reproducible and its choices differ.
pub(crate) fn submit(
	state: &AppState,
	prompt: &[u32],
	params: &SamplingParams,
	n: usize,
) -> Result<Vec<UnboundedReceiver<GenerationEvent>>, ApiError> {
	(0..n)
		.map(|i| {
			let p = SamplingParams {
				seed: params.seed.map(|s| s.wrapping_add(i as u64)),
				..params.clone()
			};
			Ok(state.engine.submit(prompt.to_vec(), p)?)
		})
		.collect()
}

/// One finished choice.
pub(crate) struct Choice {
	/// The released text.
	pub text: String,
	/// Every step (one per generated token).
	pub steps: Vec<StepOutput>,
	/// Why it ended.
	pub finish: FinishReason,
}

/// Waits for every choice to finish.
pub(crate) async fn collect(
	receivers: Vec<UnboundedReceiver<GenerationEvent>>,
) -> Result<Vec<Choice>, ApiError> {
	let mut out = Vec::with_capacity(receivers.len());
	for mut rx in receivers {
		let mut text = String::new();
		let mut steps = Vec::new();
		let finish = loop {
			match rx.recv().await {
				None => return Err(ApiError::internal("the inference engine stopped")),
				Some(GenerationEvent::Failed(m)) => return Err(ApiError::internal(m)),
				Some(GenerationEvent::Step(s)) => {
					text.push_str(&s.text);
					let finish = s.finish;
					steps.push(s);
					if let Some(f) = finish {
						break f;
					}
				},
			}
		};
		out.push(Choice { text, steps, finish });
	}
	Ok(out)
}

/// The choices' events as one stream of `(choice index, event)`, in the order the engine
/// produces them; a choice's stream ends after its last step.
pub(crate) fn merge(
	receivers: Vec<UnboundedReceiver<GenerationEvent>>,
) -> StreamMap<usize, UnboundedReceiverStream<GenerationEvent>> {
	let mut map = StreamMap::new();
	for (i, rx) in receivers.into_iter().enumerate() {
		map.insert(i, UnboundedReceiverStream::new(rx));
	}
	map
}
