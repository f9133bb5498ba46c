//! The client side of the market: a local OpenAI-compatible endpoint that pays for each request
//! from a session, so any OpenAI client works unchanged (`base_url="http://127.0.0.1:PORT/v1"`).
//!
//! Routing is client-side, from the runtime API: the gateway reads the session's slots (executor
//! and endpoint) and sends each request straight to the executor of a free slot, round robin; a
//! slot whose executor does not answer is skipped for [`DOWN_FOR`] and its miss reported on chain
//! (`Inference.report_miss`, once per lane). Hosts also forward requests for other hosts' slots
//! (ingress routing), which a client without the runtime API can rely on instead.
//!
//! After each completion the gateway checks the executor's receipt (its worker-key signature on
//! the leaf, the leaf's sequence number, the hash of the exact body sent, the model and the token
//! cap), then signs the lane's next cumulative voucher with the payer key and delivers it to the
//! executor before the client sees the end of the answer.

use super::wire::{Receipt, SignedVoucher, SESSION_HEADER, SLOT_HEADER, VOUCHER_PATH};
use crate::chain::{market::SessionInfo, ChainClient};
use anyhow::{anyhow, Context};
use axum::{
	body::{Body, Bytes},
	extract::State,
	http::{HeaderMap, StatusCode, Uri},
	response::{IntoResponse, Response},
	routing::{get, post},
	Json, Router,
};
use futures::StreamExt;
use gonka_inference::api::{
	metering::{RECEIPT_COMMENT, RECEIPT_HEADER},
	ApiError,
};
use gonka_primitives::{
	crypto::worker::{WorkerId, WorkerPair},
	market::{
		leaf_hash, leaf_payload, leaves_root, prompt_hash, quote, request_id, voucher_payload,
		SessionId, SlotIndex, Voucher,
	},
	Balance, Signature,
};
use gonka_runtime::AccountId;
use sp_core::{Pair as _, H256};
use std::{
	collections::HashMap,
	sync::{
		atomic::{AtomicUsize, Ordering::Relaxed},
		Arc, Mutex,
	},
	time::{Duration, Instant},
};

/// How long a slot whose executor did not answer is skipped.
pub const DOWN_FOR: Duration = Duration::from_secs(60);
/// How long the session read from the chain is trusted.
const SESSION_TTL: Duration = Duration::from_secs(2);

/// What the gateway knows of one lane: what it was served and paid for.
#[derive(Default, Clone)]
struct GatewayLane {
	hashes: Vec<H256>,
	in_tokens: u64,
	out_tokens: u64,
	busy: bool,
	down_until: Option<Instant>,
	/// A receipt was missing or wrong: the lane is not used again.
	broken: bool,
	miss_reported: bool,
}

/// A running gateway for one session.
pub struct Gateway {
	chain: ChainClient,
	payer: subxt_signer::sr25519::Keypair,
	/// The session paid from.
	pub session: SessionId,
	/// The model's catalogue name (the `model` clients send).
	pub model_name: String,
	info: Mutex<(Instant, Arc<SessionInfo>)>,
	lanes: Mutex<Vec<GatewayLane>>,
	next: AtomicUsize,
	worker_keys: Mutex<HashMap<AccountId, WorkerId>>,
	http: reqwest::Client,
	genesis: [u8; 32],
}

fn api_error(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
	ApiError::named(status, "invalid_request_error", code, message)
}

impl Gateway {
	/// A gateway paying from `session` with `payer` (its owner or delegate key).
	pub async fn new(
		chain: ChainClient,
		payer: subxt_signer::sr25519::Keypair,
		session: SessionId,
	) -> anyhow::Result<Self> {
		let info = chain
			.session(session)
			.await?
			.ok_or_else(|| anyhow!("session {session} does not exist (or has settled)"))?;
		let catalogue = chain.catalogue().await?;
		let model_name = catalogue
			.iter()
			.find(|(id, _)| *id == info.model)
			.map(|(_, m)| String::from_utf8_lossy(&m.name).into_owned())
			.ok_or_else(|| {
				anyhow!("session {session}'s model {} is not in the catalogue", info.model)
			})?;
		let lanes = vec![GatewayLane::default(); info.slots.len()];
		Ok(Self {
			genesis: chain.genesis_hash(),
			chain,
			payer,
			session,
			model_name,
			info: Mutex::new((Instant::now(), Arc::new(info))),
			lanes: Mutex::new(lanes),
			next: AtomicUsize::new(0),
			worker_keys: Mutex::new(HashMap::new()),
			http: reqwest::Client::new(),
		})
	}

	/// The OpenAI routes.
	pub fn router(self: &Arc<Self>) -> Router {
		Router::new()
			.route("/v1/models", get(models))
			.route("/v1/chat/completions", post(complete))
			.route("/v1/completions", post(complete))
			.with_state(self.clone())
	}

	async fn info(&self) -> Result<Arc<SessionInfo>, ApiError> {
		{
			let (at, info) = &*self.info.lock().expect("info");
			if at.elapsed() < SESSION_TTL {
				return Ok(info.clone());
			}
		}
		let info = self
			.chain
			.session(self.session)
			.await
			.map_err(|e| {
				api_error(StatusCode::SERVICE_UNAVAILABLE, "chain_unavailable", format!("{e:#}"))
			})?
			.ok_or_else(|| {
				api_error(
					StatusCode::PAYMENT_REQUIRED,
					"session_closed",
					format!(
						"Session {} has settled: start the gateway with a new one.",
						self.session
					),
				)
			})?;
		let info = Arc::new(info);
		*self.info.lock().expect("info") = (Instant::now(), info.clone());
		Ok(info)
	}

	/// Takes the next free usable lane, round robin.
	fn pick(&self, skip: &[SlotIndex]) -> Option<SlotIndex> {
		let mut lanes = self.lanes.lock().expect("lanes");
		let n = lanes.len();
		let start = self.next.fetch_add(1, Relaxed);
		for i in 0..n {
			let slot = (start + i) % n;
			let lane = &mut lanes[slot];
			let down = lane.down_until.is_some_and(|t| t > Instant::now());
			if !lane.busy && !down && !lane.broken && !skip.contains(&(slot as SlotIndex)) {
				lane.busy = true;
				return Some(slot as SlotIndex);
			}
		}
		None
	}

	fn release(&self, slot: SlotIndex, broken: bool) {
		let mut lanes = self.lanes.lock().expect("lanes");
		lanes[slot as usize].busy = false;
		lanes[slot as usize].broken |= broken;
	}

	/// Marks `slot` down and reports the miss on chain (once per lane).
	fn down(self: &Arc<Self>, slot: SlotIndex) {
		let report = {
			let mut lanes = self.lanes.lock().expect("lanes");
			let lane = &mut lanes[slot as usize];
			lane.busy = false;
			lane.down_until = Some(Instant::now() + DOWN_FOR);
			!std::mem::replace(&mut lane.miss_reported, true)
		};
		if report {
			let g = self.clone();
			tokio::spawn(async move {
				match g.chain.report_miss(&g.payer, g.session, slot).await {
					Ok(()) => eprintln!(
						"gonka-worker event=gateway_miss_reported session={} slot={slot}",
						g.session
					),
					Err(e) => eprintln!("gonka-worker event=gateway_miss_failed error=\"{e:#}\""),
				}
			});
		}
	}

	async fn worker_key(&self, executor: &AccountId) -> anyhow::Result<WorkerId> {
		if let Some(k) = self.worker_keys.lock().expect("keys").get(executor) {
			return Ok(k.clone());
		}
		let key = self
			.chain
			.host(executor)
			.await?
			.ok_or_else(|| anyhow!("executor {executor} is not registered"))?
			.worker_key;
		self.worker_keys.lock().expect("keys").insert(executor.clone(), key.clone());
		Ok(key)
	}

	/// Checks `receipt` for a request with `body_hash` on `slot`, records the leaf, signs the
	/// lane's next voucher and delivers it to the executor at `endpoint`.
	async fn pay(
		&self,
		info: &SessionInfo,
		slot: SlotIndex,
		endpoint: &str,
		body_hash: H256,
		receipt: &Receipt,
	) -> anyhow::Result<Voucher<Balance>> {
		let (leaf, signature) = receipt.decode()?;
		let executor = &info.slots[slot as usize].executor;
		let key = self.worker_key(executor).await?;
		anyhow::ensure!(
			receipt.session == self.session && receipt.slot == slot,
			"receipt for another lane"
		);
		anyhow::ensure!(
			WorkerPair::verify(
				&signature,
				leaf_payload(&self.genesis, self.session, slot, &leaf),
				&key
			),
			"the leaf is not signed by the slot executor's worker key"
		);
		anyhow::ensure!(leaf.prompt_hash == body_hash, "the leaf is for another request body");
		anyhow::ensure!(leaf.model == info.model, "the leaf is for model {}", leaf.model);
		anyhow::ensure!(
			leaf.request_id == request_id(self.session, slot, leaf.seq, &body_hash),
			"wrong request id"
		);
		anyhow::ensure!(
			u64::from(leaf.in_tokens) + u64::from(leaf.out_tokens)
				<= u64::from(info.max_tokens_per_request),
			"the leaf claims more tokens than the session's cap"
		);
		let voucher = {
			let mut lanes = self.lanes.lock().expect("lanes");
			let lane = &mut lanes[slot as usize];
			anyhow::ensure!(
				leaf.seq == lane.hashes.len() as u64 + 1,
				"leaf seq {} on a lane that served {}",
				leaf.seq,
				lane.hashes.len()
			);
			lane.hashes.push(leaf_hash(&leaf));
			lane.in_tokens += u64::from(leaf.in_tokens);
			lane.out_tokens += u64::from(leaf.out_tokens);
			Voucher {
				session: self.session,
				slot,
				seq: leaf.seq,
				amount: quote(info.price_per_1k_tokens, lane.in_tokens, lane.out_tokens),
				in_tokens: lane.in_tokens,
				out_tokens: lane.out_tokens,
				leaves_root: leaves_root(&lane.hashes),
			}
		};
		let raw = self.payer.sign(&voucher_payload(&self.genesis, &voucher));
		let signature = Signature::Sr25519(sp_core::sr25519::Signature::from_raw(raw.0));
		let url = format!("{}{VOUCHER_PATH}", endpoint.trim_end_matches('/'));
		let r = self
			.http
			.post(&url)
			.json(&SignedVoucher::new(&voucher, &signature))
			.send()
			.await
			.with_context(|| format!("delivering the voucher to {url}"))?;
		anyhow::ensure!(
			r.status().is_success(),
			"{url} refused the voucher: {}",
			r.text().await.unwrap_or_default()
		);
		Ok(voucher)
	}
}

async fn models(State(g): State<Arc<Gateway>>) -> Json<serde_json::Value> {
	Json(serde_json::json!({
		"object": "list",
		"data": [{ "id": g.model_name, "object": "model", "created": 0, "owned_by": "gonka" }],
	}))
}

/// `POST /v1/chat/completions` and `/v1/completions`: route to a slot, stream the answer
/// through, pay for it.
async fn complete(
	State(g): State<Arc<Gateway>>,
	uri: Uri,
	headers: HeaderMap,
	body: Bytes,
) -> Response {
	match route(&g, uri.path(), &headers, body).await {
		Ok(r) => r,
		Err(e) => e.into_response(),
	}
}

async fn route(
	g: &Arc<Gateway>,
	path: &str,
	headers: &HeaderMap,
	body: Bytes,
) -> Result<Response, ApiError> {
	let info = g.info().await?;
	let body_hash = prompt_hash(path, &body);
	let mut tried = Vec::new();
	loop {
		let slot = g.pick(&tried).ok_or_else(|| {
			ApiError::named(
				StatusCode::SERVICE_UNAVAILABLE,
				"server_error",
				"no_slot_available",
				format!(
					"All {} slots of session {} are busy, down or unusable; retry shortly.",
					info.slots.len(),
					g.session
				),
			)
		})?;
		tried.push(slot);
		let Some(endpoint) = info.slots[slot as usize]
			.endpoint
			.as_ref()
			.map(|e| String::from_utf8_lossy(e).into_owned())
		else {
			g.down(slot);
			continue;
		};
		let url = format!("{}{path}", endpoint.trim_end_matches('/'));
		let content_type = headers
			.get("content-type")
			.cloned()
			.unwrap_or_else(|| "application/json".parse().unwrap());
		let sent = g
			.http
			.post(&url)
			.header("content-type", content_type)
			.header(SESSION_HEADER, g.session.to_string())
			.header(SLOT_HEADER, slot.to_string())
			.body(body.clone())
			.send()
			.await;
		let upstream = match sent {
			Err(e) if e.is_connect() || e.is_timeout() => {
				eprintln!(
					"gonka-worker event=gateway_slot_down slot={slot} url={url} error=\"{e}\""
				);
				g.down(slot);
				continue;
			},
			Err(e) => {
				g.release(slot, false);
				return Err(ApiError::named(
					StatusCode::BAD_GATEWAY,
					"server_error",
					"executor_unreachable",
					format!("{url}: {e}"),
				));
			},
			Ok(r) => r,
		};
		let status = upstream.status();
		if !status.is_success() {
			// The executor refused (its OpenAI-shaped error is passed on); nothing was served.
			let code = status.as_u16();
			let text = upstream.bytes().await.unwrap_or_default();
			let text_str = String::from_utf8_lossy(&text);
			let lane_problem = ["voucher_missing", "lane_busy", "executor_unreachable"]
				.iter()
				.any(|c| text_str.contains(c));
			g.release(slot, text_str.contains("voucher_missing"));
			if lane_problem {
				// This lane cannot take the request; another may.
				continue;
			}
			return Ok(Response::builder()
				.status(code)
				.header("content-type", "application/json")
				.body(Body::from(text))
				.unwrap_or_default());
		}
		let streamed = upstream
			.headers()
			.get("content-type")
			.and_then(|v| v.to_str().ok())
			.is_some_and(|v| v.starts_with("text/event-stream"));
		if !streamed {
			let receipt = upstream
				.headers()
				.get(RECEIPT_HEADER)
				.and_then(|v| v.to_str().ok())
				.map(|s| serde_json::from_str::<Receipt>(s));
			let text = upstream.bytes().await.unwrap_or_default();
			let paid = match receipt {
				Some(Ok(r)) => g.pay(&info, slot, &endpoint, body_hash, &r).await,
				Some(Err(e)) => Err(anyhow!("unreadable receipt: {e}")),
				None => Err(anyhow!("no receipt")),
			};
			log_payment(g.session, slot, &paid);
			g.release(slot, paid.is_err());
			return Ok(Response::builder()
				.status(200)
				.header("content-type", "application/json")
				.body(Body::from(text))
				.unwrap_or_default());
		}
		let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(32);
		let g = g.clone();
		tokio::spawn(async move {
			let mut stream = upstream.bytes_stream();
			let mut line = Vec::new();
			let mut paid = None;
			let mut client_gone = false;
			while let Some(chunk) = stream.next().await {
				let Ok(chunk) = chunk else { break };
				for &b in chunk.iter() {
					if b != b'\n' {
						line.push(b);
						continue;
					}
					let text = String::from_utf8_lossy(&line);
					if let Some(r) = text
						.strip_prefix(':')
						.map(str::trim_start)
						.and_then(|t| t.strip_prefix(RECEIPT_COMMENT))
					{
						let r = serde_json::from_str::<Receipt>(r.trim())
							.map_err(|e| anyhow!("unreadable receipt: {e}"));
						let result = match r {
							Ok(r) => g.pay(&info, slot, &endpoint, body_hash, &r).await,
							Err(e) => Err(e),
						};
						paid = Some(result);
					}
					line.clear();
				}
				if tx.send(Ok(chunk)).await.is_err() {
					client_gone = true;
					break;
				}
			}
			match paid {
				// The client left before the end: the executor stops and records nothing.
				None if client_gone => g.release(slot, false),
				paid => {
					let paid =
						paid.unwrap_or_else(|| Err(anyhow!("the stream ended without a receipt")));
					log_payment(g.session, slot, &paid);
					g.release(slot, paid.is_err());
				},
			}
		});
		return Ok(Response::builder()
			.status(200)
			.header("content-type", "text/event-stream")
			.header("cache-control", "no-cache")
			.body(Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx)))
			.unwrap_or_default());
	}
}

fn log_payment(session: SessionId, slot: SlotIndex, paid: &anyhow::Result<Voucher<Balance>>) {
	match paid {
		Ok(v) => eprintln!(
			"gonka-worker event=gateway_paid session={session} slot={slot} seq={} amount={} \
			 tokens={}+{}",
			v.seq, v.amount, v.in_tokens, v.out_tokens
		),
		Err(e) => eprintln!(
			"gonka-worker event=gateway_unpaid session={session} slot={slot} error=\"{e:#}\" \
			 (the lane is not used again)"
		),
	}
}
