//! The executor's HTTP layer, in front of the inference API on the host's endpoint.
//!
//! For `POST /v1/chat/completions` and `/v1/completions` it requires a session and slot
//! ([`wire::SESSION_HEADER`], [`wire::SLOT_HEADER`]) and, before the engine sees the request:
//! - reads the session from the chain (cached for [`SESSION_TTL`], i.e. refreshed about once a
//!   block) and refuses, with an OpenAI-shaped error and nothing charged, a request with no
//!   session (402 `session_required`), an unknown (402 `unknown_session`), closed or expired
//!   (402 `session_closed`) or exhausted session (402 `session_exhausted`: the deposit left,
//!   minus what this host was vouched but has not claimed, does not cover a request of the
//!   session's token cap), a slot out of range (400 `bad_slot`), a request without the payer's
//!   authorization (403 `authorization_required`) or with a wrong one (403 `bad_authorization`),
//!   a lane whose earlier requests are not paid yet (402 `voucher_missing`, with the unpaid
//!   leaf's receipt sent again in `x-gonka-receipt`), an authorization for another leaf number
//!   than the lane's next (409 `sequence_mismatch`) or a busy lane (409 `lane_busy`);
//! - forwards a request for a slot another host executes to that host's endpoint, streaming
//!   preserved (one hop: a forwarded request for someone else's slot gets 421);
//! - otherwise lets the API serve it with a ticket that, once the completion is done, signs the
//!   leaf, stores the record for validators and returns the receipt.
//!
//! It also serves `POST /v1/market/vouchers` (the payer's vouchers; 403 `bad_voucher` or
//! `bad_voucher_signature` when they do not match) and `POST /v1/market/records` (a sampled
//! leaf's record and proof, only to a validator the chain assigned to it, authenticated by its
//! worker key).

use super::{
	lanes::{LaneBook, LaneError},
	wire::{
		from_hex, to_hex, Authorization, FetchRequest, FetchResponse, Receipt, Record,
		SignedVoucher, AUTHORIZATION_HEADER, FORWARDED_HEADER, RECORD_PATH, SESSION_HEADER,
		SLOT_HEADER, VOUCHER_PATH,
	},
};
use crate::chain::{market::SessionPhase, AccountId, BlockNumber};
use crate::{
	chain::{market::SessionInfo, ChainClient},
	daemon::metrics::Metrics,
};
use axum::{
	body::{Body, Bytes},
	extract::{rejection::JsonRejection, Request, State},
	http::{HeaderMap, Method, StatusCode},
	middleware::Next,
	response::{IntoResponse, Response},
	routing::post,
	Json, Router,
};
use gonka_inference::api::{
	metering::{Finished, Metered, Ticket, RECEIPT_HEADER},
	ApiError,
};
use gonka_primitives::{
	crypto::worker::{WorkerPair, WorkerSignature},
	hosts::ModelId,
	market::{
		authorization_payload, fetch_payload, leaf_payload, output_hash, prompt_hash, quote,
		request_id, voucher_payload, Leaf, OutputToken, SessionId, SlotIndex,
	},
};
use sp_core::Pair as _;
use sp_runtime::traits::Verify;
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicBool, Ordering::Relaxed},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

/// How long a session read from the chain is trusted (about one block).
pub const SESSION_TTL: Duration = Duration::from_millis(1_000);
/// Alternatives per output token every record keeps (what the validation rule compares).
pub const RECORD_TOP_LOGPROBS: usize = 5;
/// Largest request body accepted (the API's own limit).
const MAX_BODY: usize = 1 << 20;

/// The executor: this host's view of the sessions it serves.
pub struct Executor {
	/// The host account.
	pub host: AccountId,
	worker: WorkerPair,
	genesis: [u8; 32],
	chain: ChainClient,
	/// The lanes served.
	pub book: LaneBook,
	/// The catalogue models this daemon serves.
	pub models: Vec<ModelId>,
	sessions: Mutex<HashMap<SessionId, (Instant, Option<Arc<SessionInfo>>)>>,
	head: Mutex<Option<(Instant, BlockNumber)>>,
	http: reqwest::Client,
	metrics: Arc<Metrics>,
}

fn refuse(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
	let kind = if status == StatusCode::PAYMENT_REQUIRED {
		"insufficient_quota"
	} else if status == StatusCode::FORBIDDEN {
		"permission_error"
	} else {
		"invalid_request_error"
	};
	ApiError::named(status, kind, code, message)
}

impl Executor {
	/// An executor for `host` signing with `worker`, keeping lanes in `book`.
	pub fn new(
		host: AccountId,
		worker: WorkerPair,
		chain: ChainClient,
		book: LaneBook,
		models: Vec<ModelId>,
		metrics: Arc<Metrics>,
	) -> Self {
		Self {
			host,
			worker,
			genesis: chain.genesis_hash(),
			chain,
			book,
			models,
			sessions: Mutex::new(HashMap::new()),
			head: Mutex::new(None),
			http: reqwest::Client::new(),
			metrics,
		}
	}

	/// The chain client.
	pub fn chain(&self) -> &ChainClient {
		&self.chain
	}

	/// The daemon's metrics.
	pub fn metrics(&self) -> &Metrics {
		&self.metrics
	}

	/// The worker key.
	pub fn worker(&self) -> &WorkerPair {
		&self.worker
	}

	/// Session `id`, from the cache when younger than [`SESSION_TTL`] unless `fresh`.
	pub async fn session(
		&self,
		id: SessionId,
		fresh: bool,
	) -> Result<Option<Arc<SessionInfo>>, ApiError> {
		if !fresh {
			if let Some((at, s)) = self.sessions.lock().expect("sessions").get(&id) {
				if at.elapsed() < SESSION_TTL {
					return Ok(s.clone());
				}
			}
		}
		let s = self.chain.session(id).await.map_err(|e| {
			refuse(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable", format!("{e:#}"))
		})?;
		let s = s.map(Arc::new);
		let mut cache = self.sessions.lock().expect("sessions");
		cache.retain(|_, (at, _)| at.elapsed() < SESSION_TTL * 60);
		cache.insert(id, (Instant::now(), s.clone()));
		Ok(s)
	}

	async fn head(&self) -> Result<BlockNumber, ApiError> {
		if let Some((at, n)) = *self.head.lock().expect("head") {
			if at.elapsed() < SESSION_TTL {
				return Ok(n);
			}
		}
		let n = self.chain.block_number().await.map_err(|e| {
			refuse(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable", format!("{e:#}"))
		})?;
		*self.head.lock().expect("head") = Some((Instant::now(), n));
		Ok(n)
	}

	/// The routes of the market next to the inference API.
	pub fn routes(self: &Arc<Self>) -> Router {
		Router::new()
			.route(VOUCHER_PATH, post(vouchers))
			.route(RECORD_PATH, post(records))
			.with_state(self.clone())
	}

	/// Decides what to do with a completion request: serve it here (with its ticket in the
	/// request's extensions), or answer it (forwarded response or refusal).
	async fn admit(self: &Arc<Self>, req: Request) -> Result<Result<Request, Response>, ApiError> {
		let (session, slot) = lane_of(req.headers())?;
		let info = self.session(session, false).await?.ok_or_else(|| {
			refuse(
				StatusCode::PAYMENT_REQUIRED,
				"unknown_session",
				format!("Session {session} does not exist (or has settled)."),
			)
		})?;
		let slot_view = info.slots.get(slot as usize).ok_or_else(|| {
			refuse(
				StatusCode::BAD_REQUEST,
				"bad_slot",
				format!(
					"Session {session} has {} slots; slot {slot} does not exist.",
					info.slots.len()
				),
			)
		})?;
		if slot_view.executor != self.host {
			if req.headers().contains_key(FORWARDED_HEADER) {
				return Err(refuse(
					StatusCode::MISDIRECTED_REQUEST,
					"misdirected_request",
					format!("Slot {slot} of session {session} is not executed by this host."),
				));
			}
			let endpoint = slot_view
				.endpoint
				.as_ref()
				.map(|e| String::from_utf8_lossy(e).into_owned())
				.ok_or_else(|| {
					refuse(
						StatusCode::BAD_GATEWAY,
						"executor_unreachable",
						format!("Slot {slot}'s executor has no registered endpoint."),
					)
				})?;
			self.metrics.market_forwarded.inc();
			return Ok(Err(self.forward(&endpoint, req).await));
		}
		let now = self.head().await?;
		if info.phase != SessionPhase::Open || now >= info.expires_at {
			return Err(refuse(
				StatusCode::PAYMENT_REQUIRED,
				"session_closed",
				format!("Session {session} is closed: open a new one."),
			));
		}
		if !self.models.contains(&info.model) {
			return Err(refuse(
				StatusCode::BAD_REQUEST,
				"model_not_served",
				format!(
					"Session {session} is for catalogue model {}; this host serves models {:?}.",
					info.model, self.models
				),
			));
		}
		let worst = quote(info.price_per_1k_tokens, u64::from(info.max_tokens_per_request), 0);
		let credit = info.available.saturating_sub(self.book.unclaimed(session));
		if credit < worst {
			return Err(refuse(
				StatusCode::PAYMENT_REQUIRED,
				"session_exhausted",
				format!(
					"Session {session} has {credit} base units left (after vouchers not yet \
					 claimed); a request of up to {} tokens costs up to {worst}: top the session up.",
					info.max_tokens_per_request
				),
			));
		}
		let path = req.uri().path().to_owned();
		let (parts, body) = req.into_parts();
		let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
			return Err(refuse(
				StatusCode::PAYLOAD_TOO_LARGE,
				"request_too_large",
				"The request body exceeds the server's size limit.",
			));
		};
		let auth = self.authorization(&info, session, slot, &path, &body, &parts.headers)?;
		match self.book.reserve(session, slot) {
			Ok(()) => {},
			Err(e @ LaneError::Busy { .. }) => {
				return Err(refuse(StatusCode::CONFLICT, "lane_busy", e.to_string()))
			},
			Err(e) => {
				// The payer lacks the receipt of the lane's last leaf (a lost response): it is
				// sent again with the refusal, so the payer can check and pay it.
				let served = self.book.next_seq(session, slot) - 1;
				let error = refuse(StatusCode::PAYMENT_REQUIRED, "voucher_missing", e.to_string());
				let mut response = error.into_response();
				if let Ok(receipt) = self.receipt_of(session, slot, served) {
					if let Ok(v) = axum::http::HeaderValue::from_str(&receipt) {
						response.headers_mut().insert(RECEIPT_HEADER, v);
					}
				}
				self.metrics.refused("voucher_missing");
				return Ok(Err(response));
			},
		}
		let next = self.book.next_seq(session, slot);
		if auth.seq != next {
			self.book.release(session, slot);
			return Err(refuse(
				StatusCode::CONFLICT,
				"sequence_mismatch",
				format!(
					"Slot {slot} of session {session} has served {} requests: this request is \
					 number {next}, the authorization names {}.",
					next - 1,
					auth.seq
				),
			));
		}
		let ticket = LaneTicket {
			executor: self.clone(),
			session,
			slot,
			model: info.model,
			cap: info.max_tokens_per_request as usize,
			path,
			body: body.clone(),
			sealed: AtomicBool::new(false),
			admitted: Instant::now(),
		};
		let mut req = Request::from_parts(parts, Body::from(body));
		req.extensions_mut().insert(Metered(Arc::new(ticket)));
		req.extensions_mut().insert(ServedModel(info.model));
		Ok(Ok(req))
	}

	/// The payer's authorization of a request with `body` on `path` for `slot`: present,
	/// well-formed and signed by the session's owner or delegate (403 `authorization_required`
	/// or `bad_authorization` otherwise). Its `seq` is checked against the lane by the caller.
	fn authorization(
		&self,
		info: &SessionInfo,
		session: SessionId,
		slot: SlotIndex,
		path: &str,
		body: &[u8],
		headers: &HeaderMap,
	) -> Result<Authorization, ApiError> {
		let value =
			headers.get(AUTHORIZATION_HEADER).and_then(|v| v.to_str().ok()).ok_or_else(|| {
				refuse(
					StatusCode::FORBIDDEN,
					"authorization_required",
					format!(
						"A request on a session's lane carries the payer's signature \
						 ({AUTHORIZATION_HEADER}); a local `gonka-worker gateway` adds it."
					),
				)
			})?;
		let bad = |m: String| refuse(StatusCode::FORBIDDEN, "bad_authorization", m);
		let auth = Authorization::parse(value).map_err(|e| bad(format!("{e:#}")))?;
		let payload =
			authorization_payload(&self.genesis, session, slot, auth.seq, &prompt_hash(path, body));
		let by = |who: &AccountId| {
			auth.signature.verify(&payload[..], &sp_runtime::AccountId32::new(who.0))
		};
		if !by(&info.owner) && !info.delegate.as_ref().is_some_and(by) {
			return Err(bad(format!(
				"The authorization is not signed by session {session}'s owner or delegate for \
				 this body, slot {slot} and seq {}.",
				auth.seq
			)));
		}
		Ok(auth)
	}

	/// The receipt (JSON) of leaf `seq` of a lane, signed again from its stored record.
	fn receipt_of(&self, session: SessionId, slot: SlotIndex, seq: u64) -> anyhow::Result<String> {
		let (record, _) = self.book.record(session, slot, seq, seq)?;
		let leaf = record.leaf()?;
		let signature = self.worker.sign(&leaf_payload(&self.genesis, session, slot, &leaf));
		Ok(serde_json::to_string(&Receipt {
			session,
			slot,
			leaf: to_hex(&leaf),
			signature: to_hex(&signature),
		})?)
	}

	/// Sends `req` on to `endpoint` (the slot's executor) and streams its answer back.
	async fn forward(&self, endpoint: &str, req: Request) -> Response {
		let url = format!("{}{}", endpoint.trim_end_matches('/'), req.uri().path());
		let headers = req.headers().clone();
		let Ok(body) = axum::body::to_bytes(req.into_body(), MAX_BODY).await else {
			return refuse(StatusCode::PAYLOAD_TOO_LARGE, "request_too_large", "body too large")
				.into_response();
		};
		let mut out =
			self.http.post(&url).body(body).header(FORWARDED_HEADER, self.host.to_string());
		for name in ["content-type", SESSION_HEADER, SLOT_HEADER, AUTHORIZATION_HEADER] {
			if let Some(v) = headers.get(name) {
				out = out.header(name, v);
			}
		}
		forward_response(out.send().await, &url)
	}
}

/// Turns an upstream answer into ours, body streamed; a failed connection is 502
/// `executor_unreachable`.
pub fn forward_response(
	upstream: Result<reqwest::Response, reqwest::Error>,
	url: &str,
) -> Response {
	match upstream {
		Err(e) => refuse(
			StatusCode::BAD_GATEWAY,
			"executor_unreachable",
			format!("The slot's executor at {url} did not answer: {e}"),
		)
		.into_response(),
		Ok(r) => {
			let mut builder = Response::builder().status(r.status().as_u16());
			for (name, value) in r.headers() {
				if !matches!(name.as_str(), "content-length" | "transfer-encoding" | "connection") {
					builder = builder.header(name.as_str(), value.as_bytes());
				}
			}
			builder
				.body(Body::from_stream(r.bytes_stream()))
				.unwrap_or_else(|_| StatusCode::BAD_GATEWAY.into_response())
		},
	}
}

/// The session and slot named by a request's headers (402 `session_required` if absent).
fn lane_of(headers: &HeaderMap) -> Result<(SessionId, SlotIndex), ApiError> {
	let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
	match (get(SESSION_HEADER), get(SLOT_HEADER)) {
		(Some(s), Some(l)) => match (s.trim().parse(), l.trim().parse()) {
			(Ok(s), Ok(l)) => Ok((s, l)),
			_ => Err(refuse(
				StatusCode::BAD_REQUEST,
				"bad_session_header",
				format!("{SESSION_HEADER} must be a session id and {SLOT_HEADER} a slot number."),
			)),
		},
		_ => Err(refuse(
			StatusCode::PAYMENT_REQUIRED,
			"session_required",
			format!(
				"This host serves paid sessions only: send {SESSION_HEADER} and {SLOT_HEADER} \
				 (a local `gonka-worker gateway` does it for any OpenAI client)."
			),
		)),
	}
}

/// The axum middleware metering the completion endpoints (`axum::middleware::from_fn_with_state`).
pub async fn meter(State(x): State<Arc<Executor>>, req: Request, next: Next) -> Response {
	let path = req.uri().path();
	if req.method() != Method::POST || !matches!(path, "/v1/chat/completions" | "/v1/completions") {
		return next.run(req).await;
	}
	match x.admit(req).await {
		Ok(Ok(req)) => next.run(req).await,
		Ok(Err(forwarded)) => forwarded,
		Err(e) => {
			x.metrics.refused(e.code.unwrap_or("other"));
			e.into_response()
		},
	}
}

/// Request extension set on an admitted request: the catalogue model its session pays for
/// (which of the daemon's engines serves it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServedModel(pub ModelId);

/// A request admitted on a lane.
struct LaneTicket {
	executor: Arc<Executor>,
	session: SessionId,
	slot: SlotIndex,
	model: ModelId,
	cap: usize,
	path: String,
	body: Bytes,
	sealed: AtomicBool,
	admitted: Instant,
}

impl Ticket for LaneTicket {
	fn top_logprobs(&self) -> usize {
		RECORD_TOP_LOGPROBS
	}

	fn max_total_tokens(&self) -> Option<usize> {
		Some(self.cap)
	}

	fn seal(&self, done: &Finished<'_>) -> Result<String, ApiError> {
		let x = &self.executor;
		let output: Vec<OutputToken> = done
			.steps
			.iter()
			.map(|s| OutputToken {
				token: s.token.token,
				logprob_bits: s.token.logprob.to_bits(),
				top: s.token.top.iter().map(|&(t, l)| (t, l.to_bits())).collect(),
			})
			.collect();
		let seq = x.book.next_seq(self.session, self.slot);
		let prompt = prompt_hash(&self.path, &self.body);
		let leaf = Leaf {
			seq,
			request_id: request_id(self.session, self.slot, seq, &prompt),
			prompt_hash: prompt,
			output_hash: output_hash(&output),
			in_tokens: done.prompt.len() as u32,
			out_tokens: output.len() as u32,
			model: self.model,
		};
		let signature = x.worker.sign(&leaf_payload(&x.genesis, self.session, self.slot, &leaf));
		let record = Record {
			path: self.path.clone(),
			body: String::from_utf8_lossy(&self.body).into_owned(),
			output: to_hex(&output),
			leaf: to_hex(&leaf),
		};
		x.book
			.seal(self.session, self.slot, &leaf, &record)
			.map_err(|e| ApiError::internal(format!("cannot store the request's record: {e:#}")))?;
		self.sealed.store(true, Relaxed);
		x.metrics.market_requests.inc();
		x.metrics.market_latency.observe(self.admitted.elapsed().as_secs_f64());
		x.metrics.market_tokens.inc_by(u64::from(leaf.in_tokens + leaf.out_tokens));
		let receipt = Receipt {
			session: self.session,
			slot: self.slot,
			leaf: to_hex(&leaf),
			signature: to_hex(&signature),
		};
		serde_json::to_string(&receipt).map_err(|e| ApiError::internal(e.to_string()))
	}
}

impl Drop for LaneTicket {
	fn drop(&mut self) {
		if !self.sealed.load(Relaxed) {
			self.executor.book.release(self.session, self.slot);
		}
	}
}

/// `POST /v1/market/vouchers`: a payer's voucher for what a lane served.
async fn vouchers(
	State(x): State<Arc<Executor>>,
	body: Result<Json<SignedVoucher>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
	let Json(signed) = body?;
	let bad = |m: String| refuse(StatusCode::FORBIDDEN, "bad_voucher", m);
	let (voucher, signature) = signed.decode().map_err(|e| bad(format!("{e:#}")))?;
	let info = x.session(voucher.session, false).await?.ok_or_else(|| {
		refuse(StatusCode::PAYMENT_REQUIRED, "unknown_session", "unknown or settled session")
	})?;
	match info.slots.get(voucher.slot as usize) {
		Some(s) if s.executor == x.host => {},
		_ => return Err(bad(format!("slot {} is not executed by this host", voucher.slot))),
	}
	let payload = voucher_payload(&x.genesis, &voucher);
	let by = |who: &AccountId| signature.verify(&payload[..], &sp_runtime::AccountId32::new(who.0));
	if !by(&info.owner) && !info.delegate.as_ref().is_some_and(by) {
		return Err(refuse(
			StatusCode::FORBIDDEN,
			"bad_voucher_signature",
			"The voucher is not signed by the session's owner or delegate.",
		));
	}
	x.book
		.accept_voucher(&voucher, signed, info.price_per_1k_tokens)
		.map_err(|e| bad(e.to_string()))?;
	x.metrics.market_vouchers.inc();
	Ok(Json(serde_json::json!({ "accepted": voucher.seq, "amount": voucher.amount.to_string() })))
}

/// `POST /v1/market/records`: a sampled leaf's record, for its assigned validators only.
async fn records(
	State(x): State<Arc<Executor>>,
	body: Result<Json<FetchRequest>, JsonRejection>,
) -> Result<Json<FetchResponse>, ApiError> {
	let Json(req) = body?;
	let forbidden = |m: String| refuse(StatusCode::FORBIDDEN, "not_assigned", m);
	let validator: AccountId =
		from_hex(&req.validator, "validator").map_err(|e| forbidden(format!("{e:#}")))?;
	let unavailable = |e: anyhow::Error| {
		refuse(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable", format!("{e:#}"))
	};
	let assigned = x.chain.market_assignments(&validator).await.map_err(unavailable)?;
	if !assigned.contains(&(req.session, req.slot, req.seq)) {
		return Err(forbidden(format!(
			"{validator} is not assigned leaf {} of slot {} of session {}",
			req.seq, req.slot, req.session
		)));
	}
	let key = x
		.chain
		.host(&validator)
		.await
		.map_err(unavailable)?
		.ok_or_else(|| forbidden(format!("{validator} is not a registered host")))?
		.worker_key;
	let signature: WorkerSignature =
		from_hex(&req.signature, "signature").map_err(|e| forbidden(format!("{e:#}")))?;
	let payload = fetch_payload(&x.genesis, req.session, req.slot, req.seq, &validator);
	if !WorkerPair::verify(&signature, &payload, &key) {
		return Err(forbidden("the request is not signed by the validator's worker key".into()));
	}
	let lane =
		x.chain.lane(req.session, req.slot).await.map_err(unavailable)?.ok_or_else(|| {
			refuse(StatusCode::NOT_FOUND, "unknown_lane", "nothing was claimed on this lane")
		})?;
	let (record, proof) = x
		.book
		.record(req.session, req.slot, req.seq, lane.voucher.seq)
		.map_err(|e| refuse(StatusCode::NOT_FOUND, "unknown_leaf", format!("{e:#}")))?;
	Ok(Json(FetchResponse {
		record,
		count: lane.voucher.seq,
		proof: proof.iter().map(|h| format!("0x{}", hex::encode(h.as_bytes()))).collect(),
	}))
}
