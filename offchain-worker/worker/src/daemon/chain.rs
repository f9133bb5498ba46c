//! What the daemon needs of the chain, as a trait: the epoch clock, its own commitments, its
//! validation assignments, weights and claims. [`ChainClient`] implements it over RPC; the
//! daemon's state machine is tested against an in-memory chain (`daemon/tests.rs`).
//!
//! **Which block.** The daemon's clock is the node's *best* block: its commitments and verdicts
//! must land inside windows of a few blocks, and the transaction pool checks them against the
//! best block. The finalized block lags it by the finality lag, which on a relay chain is ~5
//! parachain blocks, as long as a test network's whole sprint; a daemon timed on finalized
//! blocks would start its sprint when the window is nearly shut and commit after it closed. So
//! the epoch status, the daemon's own commitment record and its assignments are read at the
//! best block, and its fee-less transactions return once a best block includes them.
//! Weights, claims, the registry, the runtime's limits and the epoch clock are read at the
//! finalized block. If a reorg replaces the block the sprint's seed came from, the daemon
//! drops that search and starts again with the new seed (`daemon/mod.rs`).

use std::future::Future;

use gonka_primitives::{
	crypto::worker::WorkerSignature,
	pow::{EpochIndex, SprintCommitment, ValidationVerdict},
};
use subxt::utils::Static;

use crate::chain::{
	gonka, AccountId, Assignment, Balance, ChainClient, CommitmentRecord, EpochClock, EpochStatus,
	HostView, Limits,
};

/// The chain as the daemon sees it (at the best or the finalized block, as the module docs
/// say); errors are the chain client's.
pub trait SprintChain: Clone + Send + Sync + 'static {
	/// The epoch clock (`SprintApi::epoch_clock`).
	fn epoch_clock(&self) -> impl Future<Output = anyhow::Result<EpochClock>> + Send;
	/// Epoch, phase, blocks left, seed and PoW parameters (`SprintApi::epoch_status`) at the
	/// best block.
	fn epoch_status(&self) -> impl Future<Output = anyhow::Result<EpochStatus>> + Send;
	/// The runtime's limits on the daemon's transactions.
	fn limits(&self) -> impl Future<Output = anyhow::Result<Limits>> + Send;
	/// The genesis hash signed payloads bind to.
	fn genesis_hash(&self) -> [u8; 32];
	/// `host`'s latest commitment in `epoch` (`SprintApi::commitment`) at the best block.
	fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<Option<CommitmentRecord>>> + Send;
	/// Submits `Sprint.submit_commitment` (fee-less, signed by the worker key) and waits until a
	/// best block includes it.
	fn submit_commitment(
		&self,
		commitment: SprintCommitment,
		submission: u32,
		host: AccountId,
		signature: WorkerSignature,
	) -> impl Future<Output = anyhow::Result<()>> + Send;
	/// The targets `validator` must check in `epoch` (`SprintApi::assignments`) at the best
	/// block.
	fn assignments(
		&self,
		epoch: EpochIndex,
		validator: &AccountId,
	) -> impl Future<Output = anyhow::Result<Vec<Assignment>>> + Send;
	/// A host's registry entry (`HostsApi::host`).
	fn host(
		&self,
		who: &AccountId,
	) -> impl Future<Output = anyhow::Result<Option<HostView>>> + Send;
	/// Submits `Sprint.submit_verdicts` (fee-less, signed by the worker key) and waits until a
	/// best block includes it.
	fn submit_verdicts(
		&self,
		epoch: EpochIndex,
		validator: AccountId,
		verdicts: Vec<(AccountId, ValidationVerdict)>,
		signature: WorkerSignature,
	) -> impl Future<Output = anyhow::Result<()>> + Send;
	/// The latest epoch whose weights are active.
	fn active_epoch(&self) -> impl Future<Output = anyhow::Result<Option<EpochIndex>>> + Send;
	/// `host`'s final weight in `epoch`.
	fn weight_of(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<u128>> + Send;
	/// Every open epoch in which `host` can claim GNK, with the amount.
	fn claimable_epochs(
		&self,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<Vec<(EpochIndex, Balance)>>> + Send;
	/// Claims `epoch`'s GNK for the signer (`Emission.claim`, signed).
	fn claim(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		epoch: EpochIndex,
	) -> impl Future<Output = anyhow::Result<()>> + Send;
}

impl SprintChain for ChainClient {
	fn epoch_clock(&self) -> impl Future<Output = anyhow::Result<EpochClock>> + Send {
		ChainClient::epoch_clock(self)
	}
	async fn epoch_status(&self) -> anyhow::Result<EpochStatus> {
		Ok(self.call_best(gonka::runtime_apis().sprint_api().epoch_status()).await?.into())
	}
	fn limits(&self) -> impl Future<Output = anyhow::Result<Limits>> + Send {
		ChainClient::limits(self)
	}
	fn genesis_hash(&self) -> [u8; 32] {
		ChainClient::genesis_hash(self)
	}
	async fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> anyhow::Result<Option<CommitmentRecord>> {
		self.call_best(gonka::runtime_apis().sprint_api().commitment(epoch, host.clone())).await
	}
	async fn submit_commitment(
		&self,
		commitment: SprintCommitment,
		submission: u32,
		host: AccountId,
		signature: WorkerSignature,
	) -> anyhow::Result<()> {
		let call = gonka::tx().sprint().submit_commitment(
			Static(commitment),
			submission,
			host,
			Static(signature),
		);
		self.submit_general_in_block(&call).await
	}
	async fn assignments(
		&self,
		epoch: EpochIndex,
		validator: &AccountId,
	) -> anyhow::Result<Vec<Assignment>> {
		let api = gonka::runtime_apis().sprint_api();
		self.call_best(api.assignments(epoch, validator.clone())).await
	}
	fn host(
		&self,
		who: &AccountId,
	) -> impl Future<Output = anyhow::Result<Option<HostView>>> + Send {
		ChainClient::host(self, who)
	}
	async fn submit_verdicts(
		&self,
		epoch: EpochIndex,
		validator: AccountId,
		verdicts: Vec<(AccountId, ValidationVerdict)>,
		signature: WorkerSignature,
	) -> anyhow::Result<()> {
		let verdicts = verdicts.into_iter().map(|(who, v)| (who, Static(v))).collect();
		let call =
			gonka::tx().sprint().submit_verdicts(epoch, validator, verdicts, Static(signature));
		self.submit_general_in_block(&call).await
	}
	fn active_epoch(&self) -> impl Future<Output = anyhow::Result<Option<EpochIndex>>> + Send {
		ChainClient::active_epoch(self)
	}
	fn weight_of(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<u128>> + Send {
		ChainClient::weight_of(self, epoch, host)
	}
	fn claimable_epochs(
		&self,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<Vec<(EpochIndex, Balance)>>> + Send {
		ChainClient::claimable_epochs(self, host)
	}
	fn claim(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		epoch: EpochIndex,
	) -> impl Future<Output = anyhow::Result<()>> + Send {
		ChainClient::claim(self, signer, epoch)
	}
}
