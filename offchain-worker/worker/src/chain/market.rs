//! The inference market as the worker reads and writes it: sessions, lanes, assignments and
//! reputation through `InferenceApi`, the catalogue through `HostsApi`, and the market's
//! transactions (fee-less claims and attestations; signed session management).

use super::ChainClient;
use anyhow::{anyhow, Context};
use codec::Decode;
use gonka_primitives::{
	hosts::ModelId,
	market::{SessionId, SlotIndex},
};
use gonka_runtime::{AccountId, Balance, BlockNumber};
use pallet_gonka_inference::{Lane, ReputationView, SessionView};

/// A session as the runtime API reports it.
pub type SessionInfo = SessionView<AccountId, BlockNumber>;

/// A catalogue entry.
pub type ModelInfo = pallet_gonka_hosts::ModelInfo<Balance>;

impl ChainClient {
	/// Session `id` (`None`: unknown or settled).
	pub async fn session(&self, id: SessionId) -> anyhow::Result<Option<SessionInfo>> {
		self.call("InferenceApi_session", id).await
	}

	/// A lane's on-chain state (`None`: nothing claimed on it).
	pub async fn lane(
		&self,
		id: SessionId,
		slot: SlotIndex,
	) -> anyhow::Result<Option<Lane<AccountId>>> {
		self.call("InferenceApi_lane", (id, slot)).await
	}

	/// The sampled leaves `validator` must still attest: `(session, slot, seq)`.
	pub async fn market_assignments(
		&self,
		validator: &AccountId,
	) -> anyhow::Result<Vec<(SessionId, SlotIndex, u64)>> {
		self.call("InferenceApi_assignments", validator).await
	}

	/// A host's market reputation.
	pub async fn reputation(&self, host: &AccountId) -> anyhow::Result<ReputationView> {
		self.call("InferenceApi_reputation", host).await
	}

	/// The model catalogue.
	pub async fn catalogue(&self) -> anyhow::Result<Vec<(ModelId, ModelInfo)>> {
		self.call("HostsApi_catalogue", ()).await
	}

	/// The number of the latest finalized block.
	pub async fn block_number(&self) -> anyhow::Result<BlockNumber> {
		let at = self.at().await?;
		Ok(at.block_number() as BlockNumber)
	}

	/// Opens a session signed by `owner` and returns its id (from the `SessionOpened` event).
	pub async fn open_session(
		&self,
		owner: &subxt_signer::sr25519::Keypair,
		model: ModelId,
		deposit: Balance,
		max_tokens_per_request: u32,
		duration: BlockNumber,
		delegate: Option<[u8; 32]>,
	) -> anyhow::Result<SessionId> {
		let call = subxt::dynamic::transaction(
			"Inference",
			"open_session",
			(model, deposit, max_tokens_per_request, duration, delegate),
		);
		let events = self.submit_signed_events(&call, owner).await.context("open_session")?;
		events
			.iter()
			.find(|(p, e, _)| p == "Inference" && e == "SessionOpened")
			.map(|(_, _, fields)| SessionId::decode(&mut &fields[..]))
			.ok_or_else(|| anyhow!("open_session emitted no SessionOpened event"))?
			.map_err(|e| anyhow!("SessionOpened: {e}"))
	}

	/// Closes a session (owner only); executors may then claim for the claim window.
	pub async fn close_session(
		&self,
		owner: &subxt_signer::sr25519::Keypair,
		id: SessionId,
	) -> anyhow::Result<()> {
		let call = subxt::dynamic::transaction("Inference", "close", (id,));
		self.submit_signed(&call, owner).await.context("close")
	}

	/// Adds `amount` to a session's deposit (owner only).
	pub async fn top_up(
		&self,
		owner: &subxt_signer::sr25519::Keypair,
		id: SessionId,
		amount: Balance,
	) -> anyhow::Result<()> {
		let call = subxt::dynamic::transaction("Inference", "top_up", (id, amount));
		self.submit_signed(&call, owner).await.context("top_up")
	}

	/// Reports that `slot`'s executor accepted a request and did not serve it.
	pub async fn report_miss(
		&self,
		payer: &subxt_signer::sr25519::Keypair,
		id: SessionId,
		slot: SlotIndex,
	) -> anyhow::Result<()> {
		let call = subxt::dynamic::transaction("Inference", "report_miss", (id, slot));
		self.submit_signed(&call, payer).await.context("report_miss")
	}
}
