//! A hook for a metering layer around each completion (the Gonka inference market).
//!
//! A layer in front of the router (an axum middleware) decides whether a request may be served
//! and, if so, puts a [`Metered`] ticket into the request's extensions. The handlers then:
//! - compute at least [`Ticket::top_logprobs`] alternatives per output token (the record a
//!   validator re-executes needs them) while showing the client only what it asked for;
//! - keep `prompt + max_tokens` within [`Ticket::max_total_tokens`];
//! - when the generation finished, hand the prompt and the steps to [`Ticket::seal`], and send
//!   the receipt it returns with the response: in the [`RECEIPT_HEADER`] header of a JSON
//!   response, or as a last SSE *comment* line `: gonka-receipt <receipt>` before `data: [DONE]`
//!   of a stream (comments are ignored by every SSE client, so a stock client reading the
//!   stream directly is not disturbed).
//!
//! A ticket whose request ends without a seal (client gone, engine failure) is dropped: the
//! layer learns of it through its `Drop`.

use std::sync::Arc;

use axum::http::HeaderValue;
use axum::response::sse::Event;
use axum::response::Response;

use super::ApiError;
use crate::engine::StepOutput;

/// Response header carrying the receipt of a non-streamed metered completion.
pub const RECEIPT_HEADER: &str = "x-gonka-receipt";

/// Prefix of the SSE comment carrying the receipt at the end of a metered stream.
pub const RECEIPT_COMMENT: &str = "gonka-receipt ";

/// A finished completion as the metering layer sees it.
#[derive(Debug, Clone, Copy)]
pub struct Finished<'a> {
	/// The prompt's token ids, as fed to the model.
	pub prompt: &'a [u32],
	/// One entry per generated token (with at least `top_logprobs` alternatives each).
	pub steps: &'a [StepOutput],
}

/// One admitted request's ticket.
pub trait Ticket: Send + Sync {
	/// Alternatives per output token the record needs (the engine computes the larger of this
	/// and the request's `top_logprobs`).
	fn top_logprobs(&self) -> usize;
	/// Most tokens, prompt plus output, this request may use (`None`: no cap).
	fn max_total_tokens(&self) -> Option<usize>;
	/// Records the finished completion and returns the receipt to send with it (one line of
	/// text, no newline). An error fails the request (nothing is released to the client).
	fn seal(&self, done: &Finished<'_>) -> Result<String, ApiError>;
}

/// The request extension a metering layer sets on an admitted request.
#[derive(Clone)]
pub struct Metered(pub Arc<dyn Ticket>);

impl std::fmt::Debug for Metered {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("Metered")
	}
}

/// A metered request's ticket with the prompt it must seal (built only when a ticket is set, so
/// unmetered requests copy nothing).
pub(crate) struct Sealer {
	ticket: Metered,
	prompt: Vec<u32>,
}

impl Sealer {
	/// The sealer of a request with `prompt`, if it is metered.
	pub(crate) fn new(ticket: Option<Metered>, prompt: &[u32]) -> Option<Self> {
		ticket.map(|ticket| Self { ticket, prompt: prompt.to_vec() })
	}

	/// Seals the finished `steps`: the receipt.
	pub(crate) fn seal(&self, steps: &[StepOutput]) -> Result<String, ApiError> {
		self.ticket.0.seal(&Finished { prompt: &self.prompt, steps })
	}

	/// Seals a non-streamed response: the receipt goes into its [`RECEIPT_HEADER`].
	pub(crate) fn attach(
		sealer: Option<&Self>,
		steps: &[StepOutput],
		mut response: Response,
	) -> Result<Response, ApiError> {
		if let Some(s) = sealer {
			let value = HeaderValue::from_str(&s.seal(steps)?)
				.map_err(|_| ApiError::internal("the receipt is not a valid header value"))?;
			response.headers_mut().insert(RECEIPT_HEADER, value);
		}
		Ok(response)
	}

	/// The last event of a sealed stream: the receipt as a comment, or the error as data
	/// (`None` when not metered).
	pub(crate) fn final_event(sealer: Option<&Self>, steps: &[StepOutput]) -> Option<Event> {
		sealer.map(|s| match s.seal(steps) {
			Ok(r) => Event::default().comment(format!("{RECEIPT_COMMENT}{r}")),
			Err(e) => Event::default().data(e.body().to_string()),
		})
	}
}

/// The effective limits of a request under an optional ticket: alternatives to compute and the
/// `max_tokens` cap left after the prompt. Fails with 400 `session_token_cap` if the prompt
/// alone reaches the cap.
pub(crate) fn limits(
	ticket: Option<&Metered>,
	requested_top: usize,
	prompt_len: usize,
) -> Result<(usize, Option<usize>), ApiError> {
	let Some(Metered(t)) = ticket else { return Ok((requested_top, None)) };
	let top = requested_top.max(t.top_logprobs());
	match t.max_total_tokens() {
		None => Ok((top, None)),
		Some(cap) if prompt_len >= cap => Err(ApiError::invalid_code(
			format!(
				"The prompt has {prompt_len} tokens; the session allows at most {cap} tokens \
				 per request (prompt and completion)."
			),
			None,
			"session_token_cap",
		)),
		Some(cap) => Ok((top, Some(cap - prompt_len))),
	}
}

/// Applies a ticket's cap to `max_tokens` (lowering the default to at most `limit`, refusing an
/// explicit larger ask).
pub(crate) fn cap_max_tokens(
	max_tokens: Option<usize>,
	room: Option<usize>,
	limit: usize,
) -> Result<Option<usize>, ApiError> {
	match (max_tokens, room) {
		(Some(m), Some(r)) if m > r => Err(ApiError::invalid_code(
			format!("max_tokens is {m}; the session leaves room for {r} after this prompt."),
			Some("max_tokens"),
			"session_token_cap",
		)),
		(None, Some(r)) => Ok(Some(r.min(limit))),
		(m, _) => Ok(m),
	}
}

/// Steps trimmed to the alternatives the client asked for (the record may hold more).
pub(crate) fn shown(steps: &[StepOutput], requested_top: usize) -> Vec<StepOutput> {
	steps
		.iter()
		.map(|s| {
			let mut s = s.clone();
			s.token.top.truncate(requested_top);
			s
		})
		.collect()
}
