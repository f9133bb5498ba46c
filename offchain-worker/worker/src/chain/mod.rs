//! The worker's view of the chain: a subxt client over the node's RPC that reads the sprint,
//! emission and host-registry runtime APIs and submits the worker's fee-less transactions.
//!
//! Signed transactions and storage reads are built from the node's metadata at the block they
//! are made at. General transactions, proposals and runtime-API results use the runtime's own
//! Rust types (`gonka-runtime` and the pallets, built natively); before using them at a runtime
//! version it has not seen, the client checks that the node's runtime still has every one of
//! them unchanged ([`compat`]), so an upgrade that leaves them alone is transparent and one that
//! changes them is refused with the changed calls named.

pub mod compat;
pub mod follow;
pub mod market;
pub mod status;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, Context};
use codec::{Decode, Encode};
use gonka_primitives::pow::EpochIndex;
use gonka_runtime::{AccountId, Balance, BlockNumber, RuntimeCall};
use pallet_gonka_sprint::{Assignment, EpochClock, EpochStatus};
use subxt::client::{ClientAtBlock, OnlineClientAtBlockImpl};
use subxt::{OnlineClient, PolkadotConfig};

/// A connected chain client.
#[derive(Clone)]
pub struct ChainClient {
	pub(crate) client: OnlineClient<PolkadotConfig>,
	/// The runtime `spec_version` last checked compatible ([`compat::check`]).
	checked_spec: Arc<AtomicU32>,
}

/// The chain at one finalized block.
pub(crate) type AtBlock = ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>;

/// A host as the registry reports it.
pub type HostView = pallet_gonka_hosts::HostView<AccountId, Balance, BlockNumber>;

impl ChainClient {
	/// Connects to a node's WebSocket RPC (`ws://127.0.0.1:9944`); plain `ws://` is accepted for
	/// local nodes.
	pub async fn connect(url: &str) -> anyhow::Result<Self> {
		let client = OnlineClient::<PolkadotConfig>::from_insecure_url(url)
			.await
			.with_context(|| format!("cannot reach a Gonka node at {url} (is it running?)"))?;
		let chain = Self::from_client(client);
		chain.at().await.with_context(|| format!("the node at {url}"))?;
		Ok(chain)
	}

	/// Wraps a connected subxt client; its runtime is checked ([`compat::check`]) at first use.
	pub fn from_client(client: OnlineClient<PolkadotConfig>) -> Self {
		Self { client, checked_spec: Arc::new(AtomicU32::new(u32::MAX)) }
	}

	/// The latest finalized block, after checking (once per runtime version) that its runtime
	/// still has everything this worker encodes with compiled types ([`compat::check`]).
	/// Fails with [`compat::Incompatible`] naming each changed call or API otherwise.
	pub(crate) async fn at(&self) -> anyhow::Result<AtBlock> {
		let at = self.client.at_current_block().await.context("latest finalized block")?;
		let spec = at.spec_version();
		let seen = self.checked_spec.load(Ordering::Relaxed);
		if seen != spec {
			compat::check(at.metadata_ref(), spec)?;
			if self.checked_spec.swap(spec, Ordering::Relaxed) != u32::MAX {
				eprintln!(
					"gonka-worker event=runtime_upgraded from_spec_version={seen} \
					 spec_version={spec} compatible=true"
				);
			}
		}
		Ok(at)
	}

	/// Calls runtime API `function` (e.g. `SprintApi_epoch_status`) at the latest finalized block.
	pub async fn call<R: Decode>(&self, function: &str, args: impl Encode) -> anyhow::Result<R> {
		let at = self.at().await?;
		let bytes = at
			.runtime_apis()
			.call_raw(function, Some(&args.encode()))
			.await
			.with_context(|| format!("runtime API {function}"))?;
		R::decode(&mut &bytes[..]).map_err(|e| anyhow!("runtime API {function} answered {e}"))
	}

	/// Epoch, phase, blocks left, seed and PoW parameters.
	pub async fn epoch_status(&self) -> anyhow::Result<EpochStatus> {
		self.call("SprintApi_epoch_status", ()).await
	}

	/// The chain's epoch clock.
	pub async fn epoch_clock(&self) -> anyhow::Result<EpochClock> {
		self.call("SprintApi_epoch_clock", ()).await
	}

	/// The latest epoch whose weights are active.
	pub async fn active_epoch(&self) -> anyhow::Result<Option<EpochIndex>> {
		self.call("SprintApi_active_epoch", ()).await
	}

	/// `host`'s final weight in `epoch`.
	pub async fn weight_of(&self, epoch: EpochIndex, host: &AccountId) -> anyhow::Result<u128> {
		self.call("SprintApi_weight_of", (epoch, host)).await
	}

	/// Total final weight of `epoch`.
	pub async fn total_weight(&self, epoch: EpochIndex) -> anyhow::Result<u128> {
		self.call("SprintApi_total_weight", epoch).await
	}

	/// The targets `validator` must check in `epoch`.
	pub async fn assignments(
		&self,
		epoch: EpochIndex,
		validator: &AccountId,
	) -> anyhow::Result<Vec<Assignment<AccountId>>> {
		self.call("SprintApi_assignments", (epoch, validator)).await
	}

	/// `host`'s latest commitment in `epoch` (its `submissions` is the index the next
	/// commitment must carry).
	pub async fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> anyhow::Result<Option<pallet_gonka_sprint::CommitmentRecord>> {
		self.call("SprintApi_commitment", (epoch, host)).await
	}

	/// The genesis hash every signed sprint payload binds to (the client read it once, at
	/// connection; it equals `SprintApi::genesis_hash` from block 1 on).
	pub fn genesis_hash(&self) -> [u8; 32] {
		let mut out = [0u8; 32];
		out.copy_from_slice(self.client.genesis_hash().as_ref());
		out
	}

	/// Every open epoch in which `host` can claim GNK, with the amount.
	pub async fn claimable_epochs(
		&self,
		host: &AccountId,
	) -> anyhow::Result<Vec<(EpochIndex, Balance)>> {
		self.call("EmissionApi_claimable_epochs", host).await
	}

	/// `who`'s free balance (zero for an account that does not exist).
	pub async fn free_balance(&self, who: &AccountId) -> anyhow::Result<Balance> {
		Ok(self.balances(who).await?.0)
	}

	/// `who`'s `(free, reserved)` balance; holds count as reserved (zeros for an account that
	/// does not exist).
	pub async fn balances(&self, who: &AccountId) -> anyhow::Result<(Balance, Balance)> {
		#[derive(scale_decode::DecodeAsType)]
		struct AccountInfo {
			data: AccountData,
		}
		#[derive(scale_decode::DecodeAsType)]
		struct AccountData {
			free: u128,
			reserved: u128,
		}
		let at = self.at().await?;
		let address = subxt::dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
		let raw: [u8; 32] = *who.as_ref();
		Ok(match at.storage().try_fetch(address, (raw,)).await.context("System.Account")? {
			Some(v) => {
				let data = v.decode().context("System.Account")?.data;
				(data.free, data.reserved)
			},
			None => (0, 0),
		})
	}

	/// `host`'s registry entry.
	pub async fn host(&self, host: &AccountId) -> anyhow::Result<Option<HostView>> {
		self.call("HostsApi_host", host).await
	}

	/// Submits `call` as a fee-less general transaction and waits until it is finalized
	/// successfully; fails with the node's reason otherwise.
	pub async fn submit_general(&self, call: RuntimeCall) -> anyhow::Result<()> {
		let bytes = gonka_runtime::general_transaction(call).encode();
		let at = self.at().await?;
		at.transactions()
			.from_bytes(bytes)
			.submit_and_watch()
			.await
			.context("the node refused the transaction")?
			.wait_for_finalized_success()
			.await
			.context("the transaction failed")?;
		Ok(())
	}
}

impl ChainClient {
	/// Claims `epoch`'s GNK for the signer's own account (`Emission.claim`, a signed transaction
	/// that pays its fee), waiting until it is finalized successfully.
	pub async fn claim(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		epoch: EpochIndex,
	) -> anyhow::Result<()> {
		let call = subxt::dynamic::transaction("Emission", "claim", (epoch,));
		self.submit_signed(&call, signer).await.context("claim")
	}

	/// Signs `call` with `signer` (paying the fee from its account), submits it and waits until
	/// it is finalized successfully.
	pub async fn submit_signed(
		&self,
		call: &subxt::transactions::DynamicPayload<impl subxt::ext::scale_encode::EncodeAsFields>,
		signer: &subxt_signer::sr25519::Keypair,
	) -> anyhow::Result<()> {
		self.submit_signed_events(call, signer).await.map(|_| ())
	}

	/// Like [`Self::submit_signed`], returning the `(pallet, event, fields)` of the events the
	/// transaction emitted.
	pub async fn submit_signed_events(
		&self,
		call: &subxt::transactions::DynamicPayload<impl subxt::ext::scale_encode::EncodeAsFields>,
		signer: &subxt_signer::sr25519::Keypair,
	) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
		let at = self.at().await?;
		let events = at
			.transactions()
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.context("the node refused the transaction")?
			.wait_for_finalized_success()
			.await
			.context("the transaction failed")?;
		events
			.iter()
			.map(|e| {
				let e = e.context("events")?;
				Ok((
					e.pallet_name().to_owned(),
					e.event_name().to_owned(),
					e.field_bytes().to_vec(),
				))
			})
			.collect()
	}

	/// The raw value under a storage key at the latest finalized block (`None` if absent).
	pub async fn storage_raw(&self, key: Vec<u8>) -> anyhow::Result<Option<Vec<u8>>> {
		let at = self.at().await?;
		match at.storage().fetch_raw(key).await {
			Ok(bytes) => Ok(Some(bytes)),
			Err(subxt::error::StorageError::NoValueFound) => Ok(None),
			Err(e) => Err(e).context("storage"),
		}
	}
}

/// Parses an account given as SS58 (`5Grw...`) or as 32 bytes of hex (`0x...`).
pub fn parse_account(s: &str) -> anyhow::Result<AccountId> {
	use sp_core::crypto::Ss58Codec;
	if let Some(hex) = s.strip_prefix("0x") {
		let bytes = hex::decode(hex).map_err(|e| anyhow!("account {s}: bad hex ({e})"))?;
		let raw: [u8; 32] =
			bytes.try_into().map_err(|_| anyhow!("account {s}: expected 32 bytes of hex"))?;
		return Ok(AccountId::new(raw));
	}
	AccountId::from_ss58check(s)
		.map_err(|e| anyhow!("account {s}: neither SS58 nor 0x-hex ({e:?})"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn accounts_parse_from_ss58_and_hex() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let hex = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
		assert_eq!(parse_account(alice).unwrap(), parse_account(hex).unwrap());
		let err = parse_account("0x1234").unwrap_err().to_string();
		assert!(err.contains("32 bytes"), "{err}");
		let err = parse_account("alice").unwrap_err().to_string();
		assert!(err.contains("neither SS58 nor 0x-hex"), "{err}");
	}
}
