//! The validator's side: re-execute the sampled leaves the chain assigned to this host and
//! attest them (a fee-less `Inference.attest` signed by the worker key).
//!
//! For each assignment `(session, slot, seq)` from `InferenceApi::assignments`:
//! 1. fetch the record and Merkle proof from the slot's executor ([`wire::RECORD_PATH`], signed
//!    with the worker key); no answer within [`FETCH_TIMEOUT`] or a refusal: `Withheld`;
//! 2. check the leaf against the lane's claimed root (`verify_leaf_proof`), the request body
//!    against the leaf's `prompt_hash`, the output against its `output_hash`, the model, and the
//!    token counts against the prompt this engine derives from the body: any mismatch `Invalid`;
//! 3. teacher-force the executor's tokens after the prompt and compare log-probabilities with
//!    the validation rule at the catalogue's threshold (`gonka_inference::validation`):
//!    `Valid` or `Invalid`.

use super::wire::{FetchRequest, FetchResponse, RECORD_PATH};
use crate::chain::{gonka, AccountId};
use crate::{chain::ChainClient, daemon::metrics::Metrics};
use anyhow::{anyhow, Context};
use gonka_inference::{
	sampling::TokenLogprob,
	validation::{probes_for, validate, ValidationParams},
	Engine,
};
use gonka_primitives::{
	crypto::worker::WorkerPair,
	hosts::ModelId,
	market::{
		attest_payload, fetch_payload, leaf_hash, output_hash, prompt_hash, verify_leaf_proof,
		SessionId, SlotIndex, Verdict,
	},
};
use sp_core::{Pair as _, H256};
use std::{
	collections::{BTreeMap, HashSet},
	sync::Arc,
	time::Duration,
};
use subxt::utils::Static;

/// How long an executor has to serve a sampled record.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Re-executes sampled leaves of the models this host serves.
pub struct Validator {
	host: AccountId,
	worker: WorkerPair,
	chain: ChainClient,
	/// Per served model: its engine and the catalogue's threshold (a similarity in [0, 1]).
	engines: BTreeMap<ModelId, (Engine, ValidationParams)>,
	done: HashSet<(SessionId, SlotIndex, u64)>,
	http: reqwest::Client,
	metrics: Arc<Metrics>,
}

impl Validator {
	/// A validator for `host` re-executing each model of `engines` on its engine at its
	/// parameters.
	pub fn new(
		host: AccountId,
		worker: WorkerPair,
		chain: ChainClient,
		engines: BTreeMap<ModelId, (Engine, ValidationParams)>,
		metrics: Arc<Metrics>,
	) -> Self {
		let http = reqwest::Client::builder().timeout(FETCH_TIMEOUT).build().expect("http client");
		Self { host, worker, chain, engines, done: HashSet::new(), http, metrics }
	}

	/// Attests every assignment not attested yet. Returns the verdicts submitted.
	pub async fn run_once(&mut self) -> anyhow::Result<Vec<(SessionId, SlotIndex, u64, Verdict)>> {
		let mut out = Vec::new();
		for (session, slot, seq) in self.chain.market_assignments(&self.host).await? {
			if self.done.contains(&(session, slot, seq)) {
				continue;
			}
			let Some(verdict) = self.check(session, slot, seq).await? else { continue };
			let genesis = self.chain.genesis_hash();
			let signature = self
				.worker
				.sign(&attest_payload(&genesis, session, slot, seq, &self.host, verdict));
			let call = gonka::tx().inference().attest(
				session,
				slot,
				seq,
				self.host.clone(),
				Static(verdict),
				Static(signature),
			);
			self.chain.submit_general(&call).await.context("attest")?;
			self.done.insert((session, slot, seq));
			self.metrics.market_validations.inc();
			if verdict != Verdict::Valid {
				self.metrics.market_condemned.inc();
			}
			eprintln!(
				"gonka-worker event=market_attested session={session} slot={slot} leaf={seq} \
				 verdict={verdict:?}"
			);
			out.push((session, slot, seq, verdict));
		}
		Ok(out)
	}

	/// The verdict on one sampled leaf (`None`: not ours to judge now, e.g. another model).
	async fn check(
		&self,
		session: SessionId,
		slot: SlotIndex,
		seq: u64,
	) -> anyhow::Result<Option<Verdict>> {
		let Some(info) = self.chain.session(session).await? else { return Ok(None) };
		if !self.engines.contains_key(&info.model) {
			return Ok(None);
		}
		let Some(lane) = self.chain.lane(session, slot).await? else { return Ok(None) };
		let endpoint = match self.chain.host(&lane.executor).await? {
			Some(h) => String::from_utf8_lossy(&h.endpoint).into_owned(),
			None => return Ok(Some(Verdict::Withheld)),
		};
		let response = match self.fetch(&endpoint, session, slot, seq).await {
			Ok(r) => r,
			Err(e) => {
				eprintln!(
					"gonka-worker event=market_withheld session={session} slot={slot} leaf={seq} \
					 error=\"{e:#}\""
				);
				return Ok(Some(Verdict::Withheld));
			},
		};
		let verdict = match self
			.judge(&response, info.model, seq, lane.voucher.seq, lane.voucher.leaves_root)
			.await
		{
			Ok(()) => Verdict::Valid,
			Err(e) => {
				eprintln!(
					"gonka-worker event=market_invalid session={session} slot={slot} leaf={seq} \
					 reason=\"{e:#}\""
				);
				Verdict::Invalid
			},
		};
		Ok(Some(verdict))
	}

	async fn fetch(
		&self,
		endpoint: &str,
		session: SessionId,
		slot: SlotIndex,
		seq: u64,
	) -> anyhow::Result<FetchResponse> {
		let payload = fetch_payload(&self.chain.genesis_hash(), session, slot, seq, &self.host);
		let request = FetchRequest {
			session,
			slot,
			seq,
			validator: super::wire::to_hex(&self.host),
			signature: super::wire::to_hex(&self.worker.sign(&payload)),
		};
		let url = format!("{}{RECORD_PATH}", endpoint.trim_end_matches('/'));
		let r = self.http.post(&url).json(&request).send().await.context(url.clone())?;
		let status = r.status();
		if !status.is_success() {
			return Err(anyhow!("{url} answered {status}: {}", r.text().await.unwrap_or_default()));
		}
		r.json().await.context("record")
	}

	/// `Ok` iff the record matches the claimed root and the re-execution agrees.
	async fn judge(
		&self,
		response: &FetchResponse,
		model: ModelId,
		seq: u64,
		count: u64,
		root: H256,
	) -> anyhow::Result<()> {
		let record = &response.record;
		let leaf = record.leaf()?;
		anyhow::ensure!(leaf.seq == seq, "the record is leaf {}, not {seq}", leaf.seq);
		anyhow::ensure!(
			response.count == count,
			"proof for {} leaves, {count} claimed",
			response.count
		);
		let proof = response
			.proof
			.iter()
			.map(|h| super::wire::from_hex::<H256>(h, "proof"))
			.collect::<anyhow::Result<Vec<_>>>()?;
		anyhow::ensure!(
			verify_leaf_proof(&root, leaf_hash(&leaf), (seq - 1) as usize, count as usize, &proof),
			"the leaf is not in the claimed lane root"
		);
		anyhow::ensure!(leaf.model == model, "leaf for model {}, session is {model}", leaf.model);
		let (engine, params) =
			self.engines.get(&model).ok_or_else(|| anyhow!("model {model} is not served here"))?;
		anyhow::ensure!(
			prompt_hash(&record.path, record.body.as_bytes()) == leaf.prompt_hash,
			"the request body does not match the leaf's prompt hash"
		);
		let output = record.output_tokens()?;
		anyhow::ensure!(output_hash(&output) == leaf.output_hash, "output does not match the leaf");
		let prompt =
			gonka_inference::api::prompt_tokens(engine, &record.path, record.body.as_bytes())
				.map_err(|e| anyhow!("the request body is not servable: {}", e.message))?;
		anyhow::ensure!(
			prompt.len() as u64 == u64::from(leaf.in_tokens)
				&& output.len() as u64 == u64::from(leaf.out_tokens),
			"token counts {}+{} do not match the record's {}+{}",
			leaf.in_tokens,
			leaf.out_tokens,
			prompt.len(),
			output.len()
		);
		let executor: Vec<TokenLogprob> = output
			.iter()
			.map(|t| TokenLogprob {
				token: t.token,
				logprob: f32::from_bits(t.logprob_bits),
				top: t.top.iter().map(|&(id, l)| (id, f32::from_bits(l))).collect(),
			})
			.collect();
		let tokens = executor.iter().map(|t| t.token).collect();
		let scored = engine.score(prompt, tokens, probes_for(&executor), 0).await?;
		let verdict = validate(&executor, &scored, params);
		match verdict.rejection {
			None => Ok(()),
			Some(r) => Err(anyhow!("{r} (similarity {:.6})", verdict.similarity)),
		}
	}
}
