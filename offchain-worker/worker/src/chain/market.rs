//! The inference market as the worker reads and writes it: sessions, lanes, assignments and
//! reputation through `InferenceApi`, the catalogue through `HostsApi`, and the market's
//! transactions (fee-less claims and attestations; signed session management).

use super::{gonka, AccountId, Balance, BlockNumber, ChainClient};
use anyhow::{anyhow, Context};
use codec::Decode;
use gonka::runtime_types as rt;
use gonka_primitives::{
	hosts::ModelId,
	market::{SessionId, SlotIndex},
};

/// A session as the runtime API reports it.
pub type SessionInfo = rt::pallet_gonka_inference::types::SessionView<AccountId, BlockNumber>;
/// A session's phase.
pub type SessionPhase = rt::pallet_gonka_inference::types::SessionPhase<BlockNumber>;
/// A lane's on-chain state.
pub type Lane = rt::pallet_gonka_inference::types::Lane<AccountId>;
/// A host's market reputation.
pub type ReputationView = rt::pallet_gonka_inference::types::ReputationView;
/// A catalogue entry.
pub type ModelInfo = rt::pallet_gonka_hosts::types::ModelInfo<Balance>;
/// Whether a catalogue entry may be served.
pub type ModelStatus = rt::pallet_gonka_hosts::types::ModelStatus;
/// The precision every host computes a catalogue model in.
pub type ModelPrecision = rt::pallet_gonka_hosts::types::ModelPrecision;

/// The inference engine's precision for a catalogue precision.
pub fn engine_precision(p: &ModelPrecision) -> gonka_inference::model::Precision {
	use gonka_inference::model::Precision;
	match p {
		ModelPrecision::F32 => Precision::F32,
		ModelPrecision::Q8 => Precision::Q8,
		ModelPrecision::Native => Precision::Native,
	}
}

impl ChainClient {
	/// Session `id` (`None`: unknown or settled).
	pub async fn session(&self, id: SessionId) -> anyhow::Result<Option<SessionInfo>> {
		self.call(gonka::runtime_apis().inference_api().session(id)).await
	}

	/// A lane's on-chain state (`None`: nothing claimed on it).
	pub async fn lane(&self, id: SessionId, slot: SlotIndex) -> anyhow::Result<Option<Lane>> {
		self.call(gonka::runtime_apis().inference_api().lane(id, slot)).await
	}

	/// The sampled leaves `validator` must still attest: `(session, slot, seq)`.
	pub async fn market_assignments(
		&self,
		validator: &AccountId,
	) -> anyhow::Result<Vec<(SessionId, SlotIndex, u64)>> {
		self.call(gonka::runtime_apis().inference_api().assignments(validator.clone())).await
	}

	/// A host's market reputation.
	pub async fn reputation(&self, host: &AccountId) -> anyhow::Result<ReputationView> {
		self.call(gonka::runtime_apis().inference_api().reputation(host.clone())).await
	}

	/// The model catalogue.
	pub async fn catalogue(&self) -> anyhow::Result<Vec<(ModelId, ModelInfo)>> {
		self.call(gonka::runtime_apis().hosts_api().catalogue()).await
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
		let call = gonka::tx().inference().open_session(
			model,
			deposit,
			max_tokens_per_request,
			duration,
			delegate.map(AccountId::from),
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
		let call = gonka::tx().inference().close(id);
		self.submit_signed(&call, owner).await.context("close")
	}

	/// Adds `amount` to a session's deposit (owner only).
	pub async fn top_up(
		&self,
		owner: &subxt_signer::sr25519::Keypair,
		id: SessionId,
		amount: Balance,
	) -> anyhow::Result<()> {
		let call = gonka::tx().inference().top_up(id, amount);
		self.submit_signed(&call, owner).await.context("top_up")
	}

	/// Reports that `slot`'s executor accepted a request and did not serve it.
	pub async fn report_miss(
		&self,
		payer: &subxt_signer::sr25519::Keypair,
		id: SessionId,
		slot: SlotIndex,
	) -> anyhow::Result<()> {
		let call = gonka::tx().inference().report_miss(id, slot);
		self.submit_signed(&call, payer).await.context("report_miss")
	}
}
