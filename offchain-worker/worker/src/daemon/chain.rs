//! What the daemon needs of the chain, as a trait: the epoch clock, its own commitments, its
//! validation assignments, weights and claims. [`ChainClient`] implements it over RPC; the
//! daemon's state machine is tested against an in-memory chain (`daemon/tests.rs`).

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

/// The chain as the daemon sees it. Every method reads the latest finalized state or submits
/// one transaction and waits until it is finalized; errors are the chain client's.
pub trait SprintChain: Clone + Send + Sync + 'static {
	/// The epoch clock (`SprintApi::epoch_clock`).
	fn epoch_clock(&self) -> impl Future<Output = anyhow::Result<EpochClock>> + Send;
	/// Epoch, phase, blocks left, seed and PoW parameters (`SprintApi::epoch_status`).
	fn epoch_status(&self) -> impl Future<Output = anyhow::Result<EpochStatus>> + Send;
	/// The runtime's limits on the daemon's transactions.
	fn limits(&self) -> impl Future<Output = anyhow::Result<Limits>> + Send;
	/// The genesis hash signed payloads bind to.
	fn genesis_hash(&self) -> [u8; 32];
	/// `host`'s latest commitment in `epoch` (`SprintApi::commitment`).
	fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<Option<CommitmentRecord>>> + Send;
	/// Submits `Sprint.submit_commitment` (fee-less, signed by the worker key).
	fn submit_commitment(
		&self,
		commitment: SprintCommitment,
		submission: u32,
		host: AccountId,
		signature: WorkerSignature,
	) -> impl Future<Output = anyhow::Result<()>> + Send;
	/// The targets `validator` must check in `epoch` (`SprintApi::assignments`).
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
	/// Submits `Sprint.submit_verdicts` (fee-less, signed by the worker key).
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
	fn epoch_status(&self) -> impl Future<Output = anyhow::Result<EpochStatus>> + Send {
		ChainClient::epoch_status(self)
	}
	fn limits(&self) -> impl Future<Output = anyhow::Result<Limits>> + Send {
		ChainClient::limits(self)
	}
	fn genesis_hash(&self) -> [u8; 32] {
		ChainClient::genesis_hash(self)
	}
	fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> impl Future<Output = anyhow::Result<Option<CommitmentRecord>>> + Send {
		ChainClient::commitment(self, epoch, host)
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
		self.submit_general(&call).await
	}
	fn assignments(
		&self,
		epoch: EpochIndex,
		validator: &AccountId,
	) -> impl Future<Output = anyhow::Result<Vec<Assignment>>> + Send {
		ChainClient::assignments(self, epoch, validator)
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
		self.submit_general(&call).await
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
