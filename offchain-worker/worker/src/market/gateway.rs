//! The client side of the market: a local OpenAI-compatible endpoint that pays for each request
//! from a session, so any OpenAI client works unchanged (`base_url="http://127.0.0.1:PORT/v1"`).
//!
//! Routing is client-side, from the runtime API: the gateway reads the session's slots (executor
//! and endpoint) and sends each request straight to the executor of a free slot, round robin; a
//! slot whose executor does not answer is skipped for [`DOWN_FOR`] and its miss reported on chain
//! (`Inference.report_miss`, once per lane). Hosts also forward requests for other hosts' slots
//! (ingress routing), which a client without the runtime API can rely on instead.
//!
//! Each request carries the payer's authorization (its signature over the lane, the leaf number
//! the request will get and the body's hash), so an executor serves nothing the payer did not
//! ask for. After each completion the gateway checks the executor's receipt (its worker-key
//! signature on the leaf, the leaf's sequence number, the hash of the exact body sent, the model
//! and the token cap), then signs the lane's next cumulative voucher and delivers it to the
//! executor in the background: the client has its answer at once, and the lane stays busy
//! until its voucher has landed (a request finding every lane busy waits up to [`BUSY_WAIT`]).
//!
//! Faults and what the gateway does: a refused connection or a timeout marks the slot down (miss
//! reported); a reused connection that fails as the request goes out is retried on the same
//! slot; a response cut short leaves the request *unreceipted*: if the executor sealed it, it
//! answers the lane's next request with `voucher_missing` and the receipt, which the gateway
//! checks against the requests it sent, pays, and goes on; a voucher lost on its way to the
//! executor is delivered again the same way. A wrong receipt or a lane whose
//! sequence disagrees with the gateway's is taken out of use with a `gateway_lane_broken` event.

use super::wire::{
	Authorization, Receipt, SignedVoucher, AUTHORIZATION_HEADER, SESSION_HEADER, SLOT_HEADER,
	VOUCHER_PATH,
};
use crate::chain::AccountId;
use crate::chain::{market::SessionInfo, ChainClient};
use anyhow::{anyhow, Context};
use axum::{
	body::{Body, Bytes},
	http::{HeaderMap, StatusCode},
	response::Response,
};
use futures::StreamExt;
use gonka_inference::api::{
	metering::{RECEIPT_COMMENT, RECEIPT_HEADER},
	ApiError,
};
use gonka_primitives::{
	crypto::worker::{WorkerId, WorkerPair},
	market::{
		authorization_payload, leaf_hash, leaf_payload, leaves_root, prompt_hash, quote,
		request_id, voucher_payload, SessionId, SlotIndex, Voucher,
	},
	Balance, Signature,
};
use sp_core::{Pair as _, H256};
use std::{
	collections::BTreeMap,
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
/// A fresh random key for a session's delegate: it signs the session's authorizations and
/// vouchers, so the owner's key is used only for transactions (open, close, top-up, misses).
/// Returns the keypair and the delegate account's 32 bytes.
pub fn new_delegate() -> (subxt_signer::sr25519::Keypair, [u8; 32]) {
	let (_, seed) = <sp_core::sr25519::Pair as sp_core::Pair>::generate();
	let key = subxt_signer::sr25519::Keypair::from_secret_key(seed)
		.expect("any 32 bytes are a mini secret key");
	let account = key.public_key().0;
	(key, account)
}

/// Blocks before its expiry at which a session counts as closing (in-flight requests finish
/// on it; new ones go to the next session).
pub const RENEW_MARGIN: crate::chain::BlockNumber = 10;

/// What the gateway knows of one lane: what it was served and paid for.
#[derive(Default, Clone)]
struct GatewayLane {
	hashes: Vec<H256>,
	in_tokens: u64,
	out_tokens: u64,
	busy: bool,
	down_until: Option<Instant>,
	/// A receipt was wrong, or the executor's lane disagrees with ours: not used again.
	broken: bool,
	miss_reported: bool,
	/// Body hashes of requests sent on the lane whose receipt never arrived (a response cut
	/// short): the executor may have served one, and then hands its receipt back.
	unreceipted: Vec<H256>,
	/// The latest voucher signed for the lane (delivered again if the executor lost it).
	last_voucher: Option<SignedVoucher>,
}

/// How long a request waits for a busy lane to be freed before 503 `no_slot_available`.
const BUSY_WAIT: Duration = Duration::from_secs(5);
/// Most unreceipted requests remembered per lane.
const MAX_UNRECEIPTED: usize = 8;
/// Attempts on the same slot after a transport error on a reused connection or a recovered
/// receipt.
const SAME_SLOT_RETRIES: u32 = 2;

/// A running gateway for one session.
pub struct Gateway {
	chain: ChainClient,
	/// The session owner: signs `report_miss` (a transaction, paid from its balance).
	payer: subxt_signer::sr25519::Keypair,
	/// Signs authorizations and vouchers: the session's delegate key, or the owner's.
	signer: subxt_signer::sr25519::Keypair,
	/// The session paid from.
	pub session: SessionId,
	/// The model's catalogue name (the `model` clients send).
	pub model_name: String,
	info: Mutex<(Instant, Arc<SessionInfo>)>,
	head: Mutex<Option<(Instant, crate::chain::BlockNumber)>>,
	lanes: Mutex<Vec<GatewayLane>>,
	next: AtomicUsize,
	/// Signalled whenever a lane is released.
	freed: tokio::sync::Notify,
	worker_keys: Mutex<BTreeMap<AccountId, WorkerId>>,
	http: reqwest::Client,
	genesis: [u8; 32],
}

fn api_error(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
	ApiError::named(status, "invalid_request_error", code, message)
}

impl Gateway {
	/// A gateway paying from `session`, owned by `payer`; `delegate` (the session's delegate
	/// key, if the gateway opened it with one) signs authorizations and vouchers instead of the
	/// owner.
	pub async fn new(
		chain: ChainClient,
		payer: subxt_signer::sr25519::Keypair,
		delegate: Option<subxt_signer::sr25519::Keypair>,
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
			signer: delegate.unwrap_or_else(|| payer.clone()),
			payer,
			session,
			model_name,
			info: Mutex::new((Instant::now(), Arc::new(info))),
			head: Mutex::new(None),
			lanes: Mutex::new(lanes),
			next: AtomicUsize::new(0),
			freed: tokio::sync::Notify::new(),
			worker_keys: Mutex::new(BTreeMap::new()),
			http: reqwest::Client::new(),
		})
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

	/// Whether the session no longer takes requests or expires within [`RENEW_MARGIN`] blocks
	/// (a renewing gateway moves to a new session then).
	pub async fn closing(&self) -> Result<bool, ApiError> {
		let info = self.info().await?;
		if info.phase != crate::chain::market::SessionPhase::Open {
			return Ok(true);
		}
		let head = {
			let cached = *self.head.lock().expect("head");
			match cached {
				Some((at, n)) if at.elapsed() < SESSION_TTL => n,
				_ => {
					let n = self.chain.block_number().await.map_err(|e| {
						api_error(
							StatusCode::SERVICE_UNAVAILABLE,
							"chain_unavailable",
							format!("{e:#}"),
						)
					})?;
					*self.head.lock().expect("head") = Some((Instant::now(), n));
					n
				},
			}
		};
		Ok(head.saturating_add(RENEW_MARGIN) >= info.expires_at)
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
		{
			let mut lanes = self.lanes.lock().expect("lanes");
			lanes[slot as usize].busy = false;
			lanes[slot as usize].broken |= broken;
		}
		self.freed.notify_waiters();
	}

	/// Whether some lane is busy (and may free up soon).
	fn any_busy(&self) -> bool {
		self.lanes.lock().expect("lanes").iter().any(|l| l.busy)
	}

	/// Pays for a served request off the response path (the client does not wait for it):
	/// checks the receipt, delivers the voucher, then frees the lane, or takes it out of use
	/// saying why. The lane stays busy meanwhile, so its next request finds it paid.
	fn pay_in_background(
		self: &Arc<Self>,
		info: Arc<SessionInfo>,
		slot: SlotIndex,
		endpoint: String,
		body_hash: H256,
		receipt: anyhow::Result<Receipt>,
	) {
		let g = self.clone();
		tokio::spawn(async move {
			let accepted = match receipt {
				Ok(r) => g.accept(&info, slot, body_hash, &r).await,
				Err(e) => Err(e),
			};
			let (voucher, signed) = match accepted {
				Ok(v) => v,
				Err(e) => {
					log_payment(g.session, slot, &Err(anyhow!("{e:#}")));
					return g.break_lane(slot, &format!("{e:#}"));
				},
			};
			match g.deliver(&endpoint, &signed).await {
				Ok(()) => log_payment(g.session, slot, &Ok(voucher)),
				// The executor asks again with the lane's next request (`voucher_missing`).
				Err(e) => eprintln!(
					"gonka-worker event=gateway_voucher_undelivered session={} slot={slot} \
					 error=\"{e:#}\"",
					g.session
				),
			}
			g.release(slot, false);
		});
	}

	/// Takes `slot` out of use for the rest of the session, saying why.
	fn break_lane(&self, slot: SlotIndex, why: &str) {
		eprintln!(
			"gonka-worker event=gateway_lane_broken session={} slot={slot} reason=\"{why}\" \
			 (the slot is not used again in this session)",
			self.session
		);
		self.release(slot, true);
	}

	/// The lane's next leaf number and the payer's authorization of `body_hash` as that leaf;
	/// notes the request as unreceipted until its receipt is paid.
	fn authorize(&self, slot: SlotIndex, body_hash: H256) -> Authorization {
		let seq = {
			let mut lanes = self.lanes.lock().expect("lanes");
			let lane = &mut lanes[slot as usize];
			if !lane.unreceipted.contains(&body_hash) {
				if lane.unreceipted.len() == MAX_UNRECEIPTED {
					lane.unreceipted.remove(0);
				}
				lane.unreceipted.push(body_hash);
			}
			lane.hashes.len() as u64 + 1
		};
		let payload = authorization_payload(&self.genesis, self.session, slot, seq, &body_hash);
		let raw = self.signer.sign(&payload);
		Authorization {
			seq,
			signature: Signature::Sr25519(sp_core::sr25519::Signature::from_raw(raw.0)),
		}
	}

	/// Answers `voucher_missing`: the executor holds a leaf it has no voucher for, and hands its
	/// receipt back. If it is the lane's latest leaf (its voucher was lost on the way), the
	/// latest voucher is delivered again; if it is a request this gateway sent and never got the
	/// receipt of (a response cut short), it is checked and paid. Anything else is refused.
	async fn recover(
		&self,
		info: &SessionInfo,
		slot: SlotIndex,
		endpoint: &str,
		receipt: &str,
	) -> anyhow::Result<Voucher<Balance>> {
		let receipt: Receipt = serde_json::from_str(receipt).context("unreadable receipt")?;
		let (leaf, _) = receipt.decode()?;
		let (known, resend) = {
			let lanes = self.lanes.lock().expect("lanes");
			let lane = &lanes[slot as usize];
			let latest = lane.hashes.len() as u64 == leaf.seq
				&& lane.hashes.last() == Some(&leaf_hash(&leaf));
			(
				lane.unreceipted.contains(&leaf.prompt_hash),
				latest.then(|| lane.last_voucher.clone()),
			)
		};
		if let Some(Some(signed)) = resend {
			self.deliver(endpoint, &signed).await?;
			return Ok(signed.decode()?.0);
		}
		anyhow::ensure!(
			known,
			"the executor's unpaid leaf is for a request this gateway did not send"
		);
		let (voucher, signed) = self.accept(info, slot, leaf.prompt_hash, &receipt).await?;
		self.deliver(endpoint, &signed).await?;
		Ok(voucher)
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
			.worker_key
			.0;
		self.worker_keys.lock().expect("keys").insert(executor.clone(), key.clone());
		Ok(key)
	}

	/// Checks `receipt` for a request with `body_hash` on `slot`, records the leaf and signs the
	/// lane's next voucher (kept as the lane's latest). An error means the executor's receipt is
	/// wrong.
	async fn accept(
		&self,
		info: &SessionInfo,
		slot: SlotIndex,
		body_hash: H256,
		receipt: &Receipt,
	) -> anyhow::Result<(Voucher<Balance>, SignedVoucher)> {
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
			lane.unreceipted.retain(|h| *h != body_hash);
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
		let raw = self.signer.sign(&voucher_payload(&self.genesis, &voucher));
		let signature = Signature::Sr25519(sp_core::sr25519::Signature::from_raw(raw.0));
		let signed = SignedVoucher::new(&voucher, &signature);
		self.lanes.lock().expect("lanes")[slot as usize].last_voucher = Some(signed.clone());
		Ok((voucher, signed))
	}

	/// Delivers `signed` to the executor at `endpoint`.
	async fn deliver(&self, endpoint: &str, signed: &SignedVoucher) -> anyhow::Result<()> {
		let url = format!("{}{VOUCHER_PATH}", endpoint.trim_end_matches('/'));
		let r = self
			.http
			.post(&url)
			.json(signed)
			.send()
			.await
			.with_context(|| format!("delivering the voucher to {url}"))?;
		anyhow::ensure!(
			r.status().is_success(),
			"{url} refused the voucher: {}",
			r.text().await.unwrap_or_default()
		);
		Ok(())
	}
}

/// Routes one completion request to a slot, streams the answer through and pays for it.
pub(super) async fn route(
	g: &Arc<Gateway>,
	path: &str,
	headers: &HeaderMap,
	body: Bytes,
) -> Result<Response, ApiError> {
	let info = g.info().await?;
	let body_hash = prompt_hash(path, &body);
	let mut tried = Vec::new();
	// A slot to try again at once (still reserved): after a reused connection failed, or after
	// the executor handed back a lost receipt and it was paid.
	let mut again: Option<SlotIndex> = None;
	let mut retries = 0;
	loop {
		let slot = match again.take() {
			Some(slot) => slot,
			None => match g.pick(&tried) {
				Some(slot) => slot,
				None => {
					// Every usable lane is busy: wait a little for one to be freed (a voucher
					// being delivered, a request finishing) before giving up.
					let started = Instant::now();
					let mut slot = None;
					while slot.is_none() && started.elapsed() < BUSY_WAIT && g.any_busy() {
						let freed = g.freed.notified();
						slot = g.pick(&tried);
						if slot.is_none() {
							let _ = tokio::time::timeout(Duration::from_millis(100), freed).await;
							slot = g.pick(&tried);
						}
					}
					slot.ok_or_else(|| {
						ApiError::named(
							StatusCode::SERVICE_UNAVAILABLE,
							"server_error",
							"no_slot_available",
							format!(
								"All {} slots of session {} are busy, down or unusable; retry \
								 shortly.",
								info.slots.len(),
								g.session
							),
						)
					})?
				},
			},
		};
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
		let auth = g.authorize(slot, body_hash);
		let sent = g
			.http
			.post(&url)
			.header("content-type", content_type)
			.header(SESSION_HEADER, g.session.to_string())
			.header(SLOT_HEADER, slot.to_string())
			.header(AUTHORIZATION_HEADER, auth.header())
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
			// A kept-alive connection the executor closed as the request went out: the same
			// authorization is good again (or the executor hands back the receipt if it served).
			Err(e) if retries < SAME_SLOT_RETRIES => {
				retries += 1;
				eprintln!("gonka-worker event=gateway_retry slot={slot} url={url} error=\"{e}\"");
				again = Some(slot);
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
			let lost_receipt = upstream
				.headers()
				.get(RECEIPT_HEADER)
				.and_then(|v| v.to_str().ok())
				.map(str::to_owned);
			let text = upstream.bytes().await.unwrap_or_default();
			let error_code = serde_json::from_slice::<serde_json::Value>(&text)
				.ok()
				.and_then(|v| v["error"]["code"].as_str().map(str::to_owned))
				.unwrap_or_default();
			match error_code.as_str() {
				"voucher_missing" => {
					let paid = match &lost_receipt {
						Some(r) => g.recover(&info, slot, &endpoint, r).await,
						None => Err(anyhow!("the executor sent no receipt for its unpaid leaf")),
					};
					match paid {
						Ok(v) if retries < SAME_SLOT_RETRIES => {
							log_payment(g.session, slot, &Ok(v));
							retries += 1;
							again = Some(slot);
						},
						Ok(v) => {
							log_payment(g.session, slot, &Ok(v));
							g.release(slot, false);
						},
						Err(e) => g.break_lane(slot, &format!("voucher_missing: {e:#}")),
					}
					continue;
				},
				// The executor's lane and ours disagree (e.g. this gateway restarted on an
				// existing session): the lane cannot be paid correctly any more.
				"sequence_mismatch" => {
					g.break_lane(slot, &String::from_utf8_lossy(&text));
					continue;
				},
				"lane_busy" | "executor_unreachable" => {
					g.release(slot, false);
					continue;
				},
				_ => {},
			}
			g.release(slot, false);
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
			let receipt = match receipt {
				Some(Ok(r)) => Ok(r),
				Some(Err(e)) => Err(anyhow!("unreadable receipt: {e}")),
				None => Err(anyhow!("no receipt")),
			};
			g.pay_in_background(info.clone(), slot, endpoint, body_hash, receipt);
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
			let mut receipted = false;
			let mut client_gone = false;
			let mut cut = false;
			while let Some(chunk) = stream.next().await {
				let Ok(chunk) = chunk else {
					cut = true;
					break;
				};
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
						if !receipted {
							receipted = true;
							g.pay_in_background(info.clone(), slot, endpoint.clone(), body_hash, r);
						}
					}
					line.clear();
				}
				if tx.send(Ok(chunk)).await.is_err() {
					client_gone = true;
					break;
				}
			}
			match (receipted, client_gone, cut) {
				// Paid (or being paid) in the background, which frees the lane.
				(true, _, _) => {},
				// The client left before the end: the executor stops and records nothing.
				(false, true, _) => g.release(slot, false),
				// The response was cut short: if the executor sealed the leaf anyway, it hands
				// the receipt back with the lane's next request (`voucher_missing`).
				(false, false, true) => {
					eprintln!(
						"gonka-worker event=gateway_stream_cut session={} slot={slot}",
						g.session
					);
					g.release(slot, false);
				},
				(false, false, false) => g.break_lane(slot, "the stream ended without a receipt"),
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
			"gonka-worker event=gateway_unpaid session={session} slot={slot} error=\"{e:#}\""
		),
	}
}
