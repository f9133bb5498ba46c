//! The serving engine: one thread owns the model and runs continuous batching.
//!
//! libtorch tensors are not `Sync` and a model is used by one stream of kernels anyway, so a
//! dedicated OS thread owns the [`LlamaModel`] and receives work over a channel. Between decode
//! steps it admits queued requests (up to `max_batch_size` active sequences); a newcomer's
//! prompt is prefilled in the same packed forward pass in which the others decode one token.
//! Results flow back per request over a channel that async HTTP handlers await. A request
//! whose receiver is dropped (client went away) is evicted at the next step.

mod sequence;

use std::sync::mpsc as std_mpsc;
use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

pub use sequence::{generate, step, FinishReason, Sequence, StepOutput, DEFAULT_PREFILL_CHUNK};

use crate::chat_template::ChatTemplate;
use crate::error::{InferenceError, Result};
use crate::loader::{LoadedModel, ModelInfo};
use crate::model::LlamaModel;
use crate::sampling::SamplingParams;
use crate::tokenizer::TextTokenizer;
use crate::validation::{teacher_force, ScoredToken};

/// Engine tuning.
#[derive(Debug, Clone)]
pub struct EngineConfig {
	/// Most sequences decoded together in one step; more requests wait in the queue.
	pub max_batch_size: usize,
	/// libtorch intra-op threads (`None` keeps libtorch's default).
	pub num_threads: Option<i32>,
	/// Most prompt tokens prefilled per step (0 = a whole prompt at once); see
	/// [`DEFAULT_PREFILL_CHUNK`].
	pub prefill_chunk: usize,
}

impl Default for EngineConfig {
	fn default() -> Self {
		Self { max_batch_size: 8, num_threads: None, prefill_chunk: DEFAULT_PREFILL_CHUNK }
	}
}

/// Progress of one generation request.
#[derive(Debug, Clone)]
pub enum GenerationEvent {
	/// One token was generated (the last one carries `finish`).
	Step(StepOutput),
	/// The request failed inside the engine; no more events follow.
	Failed(String),
}

enum Command {
	Generate {
		prompt: Vec<u32>,
		params: SamplingParams,
		events: mpsc::UnboundedSender<GenerationEvent>,
	},
	Score {
		prompt: Vec<u32>,
		tokens: Vec<u32>,
		probes: Vec<Vec<u32>>,
		top_k: usize,
		reply: oneshot::Sender<Result<Vec<ScoredToken>>>,
	},
}

struct Shared {
	tx: std_mpsc::Sender<Command>,
	tokenizer: TextTokenizer,
	template: ChatTemplate,
	info: ModelInfo,
	thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

/// Handle to the engine thread; cheap to clone and share between HTTP handlers.
#[derive(Clone)]
pub struct Engine {
	shared: Arc<Shared>,
}

impl std::fmt::Debug for Engine {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("Engine").field("model", &self.shared.info.id).finish()
	}
}

impl Engine {
	/// Moves the model onto a new engine thread and returns a handle to it.
	pub fn start(loaded: LoadedModel, config: EngineConfig) -> Self {
		let LoadedModel { model, tokenizer, template, info } = loaded;
		let (tx, rx) = std_mpsc::channel();
		let worker_tokenizer = tokenizer.clone();
		let thread = std::thread::Builder::new()
			.name("gonka-inference-engine".into())
			.spawn(move || run(model, worker_tokenizer, rx, config))
			.ok();
		let shared =
			Shared { tx, tokenizer, template, info, thread: std::sync::Mutex::new(thread) };
		Self { shared: Arc::new(shared) }
	}

	/// The tokenizer of the served model.
	pub fn tokenizer(&self) -> &TextTokenizer {
		&self.shared.tokenizer
	}

	/// The chat template of the served model.
	pub fn template(&self) -> &ChatTemplate {
		&self.shared.template
	}

	/// Identity and limits of the served model.
	pub fn info(&self) -> &ModelInfo {
		&self.shared.info
	}

	/// Queues a generation; events arrive on the returned receiver until one has `finish` set
	/// or a [`GenerationEvent::Failed`] arrives. Dropping the receiver cancels the request.
	pub fn submit(
		&self,
		prompt: Vec<u32>,
		params: SamplingParams,
	) -> Result<mpsc::UnboundedReceiver<GenerationEvent>> {
		params.validate()?;
		if prompt.is_empty() {
			return Err(InferenceError::InvalidRequest("the prompt is empty".into()));
		}
		let limit = self.shared.info.context_length;
		if prompt.len() >= limit {
			return Err(InferenceError::InvalidRequest(format!(
				"the prompt has {} tokens but the model's context is {limit}",
				prompt.len()
			)));
		}
		let (events, rx) = mpsc::unbounded_channel();
		self.shared
			.tx
			.send(Command::Generate { prompt, params, events })
			.map_err(|_| InferenceError::EngineStopped)?;
		Ok(rx)
	}

	/// Teacher-forces `tokens` after `prompt` and reports, per position, the log-prob of the
	/// forced token, the model's own `top_k` and the log-probs of `probes[i]` (validation).
	pub async fn score(
		&self,
		prompt: Vec<u32>,
		tokens: Vec<u32>,
		probes: Vec<Vec<u32>>,
		top_k: usize,
	) -> Result<Vec<ScoredToken>> {
		let (reply, rx) = oneshot::channel();
		self.shared
			.tx
			.send(Command::Score { prompt, tokens, probes, top_k, reply })
			.map_err(|_| InferenceError::EngineStopped)?;
		rx.await.map_err(|_| InferenceError::EngineStopped)?
	}

	/// Collects a whole generation (convenience for non-streaming callers).
	pub async fn generate(
		&self,
		prompt: Vec<u32>,
		params: SamplingParams,
	) -> Result<(Vec<StepOutput>, FinishReason)> {
		let mut rx = self.submit(prompt, params)?;
		let mut steps = Vec::new();
		while let Some(ev) = rx.recv().await {
			match ev {
				GenerationEvent::Step(s) => {
					let finish = s.finish;
					steps.push(s);
					if let Some(f) = finish {
						return Ok((steps, f));
					}
				},
				GenerationEvent::Failed(m) => return Err(InferenceError::InvalidRequest(m)),
			}
		}
		Err(InferenceError::EngineStopped)
	}
}

impl Drop for Shared {
	fn drop(&mut self) {
		// Closing the channel ends the loop; wait so the model is freed deterministically.
		let (dummy, _) = std_mpsc::channel();
		drop(std::mem::replace(&mut self.tx, dummy));
		if let Some(t) = self.thread.lock().ok().and_then(|mut t| t.take()) {
			let _ = t.join();
		}
	}
}

struct Active {
	seq: Sequence,
	events: mpsc::UnboundedSender<GenerationEvent>,
}

fn run(
	model: LlamaModel,
	tokenizer: TextTokenizer,
	rx: std_mpsc::Receiver<Command>,
	config: EngineConfig,
) {
	let _guard = tch::no_grad_guard();
	if let Some(n) = config.num_threads {
		tch::set_num_threads(n);
	}
	let max_batch = config.max_batch_size.max(1);
	let mut active: Vec<Active> = Vec::new();
	let mut closed = false;
	loop {
		if active.is_empty() {
			if closed {
				return;
			}
			match rx.recv() {
				Ok(cmd) => admit(&model, &tokenizer, cmd, &mut active),
				Err(_) => return,
			}
		}
		while !closed && active.len() < max_batch {
			match rx.try_recv() {
				Ok(cmd) => admit(&model, &tokenizer, cmd, &mut active),
				Err(std_mpsc::TryRecvError::Empty) => break,
				Err(std_mpsc::TryRecvError::Disconnected) => closed = true,
			}
		}
		active.retain(|a| !a.events.is_closed());
		if active.is_empty() {
			continue;
		}
		let outputs = {
			let mut seqs: Vec<&mut Sequence> = active.iter_mut().map(|a| &mut a.seq).collect();
			step(&model, &tokenizer, &mut seqs, config.prefill_chunk)
		};
		match outputs {
			Ok(outputs) => {
				let mut keep = Vec::with_capacity(active.len());
				for (a, out) in active.drain(..).zip(outputs) {
					let Some(out) = out else {
						// Still prefilling its prompt.
						keep.push(a);
						continue;
					};
					let done = out.finish.is_some();
					if a.events.send(GenerationEvent::Step(out)).is_ok() && !done {
						keep.push(a);
					}
				}
				active = keep;
			},
			Err(e) => {
				tracing::error!(error = %e, "decode step failed; failing the batch");
				for a in active.drain(..) {
					let _ = a.events.send(GenerationEvent::Failed(e.to_string()));
				}
			},
		}
	}
}

fn admit(model: &LlamaModel, tokenizer: &TextTokenizer, cmd: Command, active: &mut Vec<Active>) {
	match cmd {
		Command::Generate { prompt, params, events } => {
			active.push(Active { seq: Sequence::new(model, tokenizer, prompt, params), events });
		},
		Command::Score { prompt, tokens, probes, top_k, reply } => {
			let _ = reply.send(teacher_force(model, &prompt, &tokens, &probes, top_k));
		},
	}
}
