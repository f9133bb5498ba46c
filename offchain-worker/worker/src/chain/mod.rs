//! The worker's view of the chain: a subxt client over the node's RPC that reads the sprint,
//! emission, host-registry and market runtime APIs and submits the worker's transactions.
//!
//! Every call, runtime API, storage item and constant is a type generated from the runtime's
//! metadata ([`api`], from `metadata/gonka.scale`); nothing of the runtime is compiled in. Each
//! is encoded by name against the connected node's metadata and checked first against its
//! shape there ([`compat`]): an upgrade that leaves what the worker uses unchanged is
//! transparent, and one that changes a call or API makes exactly that call fail, with an error
//! naming it ([`compat::Incompatible`]).

pub mod api;
pub mod compat;
pub mod follow;
pub mod market;
pub mod status;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, Context};
use gonka_primitives::pow::EpochIndex;
use subxt::backend::BlockRef;
use subxt::client::{ClientAtBlock, OnlineClientAtBlockImpl};
use subxt::config::RpcConfigFor;
use subxt::rpcs::methods::LegacyRpcMethods;
use subxt::{OnlineClient, PolkadotConfig};

pub use api::gonka;
use gonka::runtime_types as rt;

/// An account on the chain (SS58 when displayed).
pub type AccountId = subxt::utils::AccountId32;
/// An amount of GNK in its smallest unit (9 decimals).
pub type Balance = u128;
/// A block number.
pub type BlockNumber = u32;
/// Where the chain is in its epoch (`SprintApi::epoch_status`, the generated type with the
/// shared primitives unwrapped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpochStatus {
	/// The current epoch.
	pub epoch: EpochIndex,
	/// The current phase.
	pub phase: Phase,
	/// Blocks left in the current phase, counting the current block (at least 1).
	pub blocks_left: u32,
	/// The current epoch's sprint seed, once fixed (from the sprint's first block).
	pub seed: Option<subxt::utils::H256>,
	/// The model parameters the current epoch's sprint runs with, once fixed.
	pub params: Option<gonka_primitives::pow::PowParams>,
}

impl From<rt::pallet_gonka_sprint::types::EpochStatus> for EpochStatus {
	fn from(s: rt::pallet_gonka_sprint::types::EpochStatus) -> Self {
		Self {
			epoch: s.epoch,
			phase: s.phase.0,
			blocks_left: s.blocks_left,
			seed: s.seed,
			params: s.params.map(|p| p.0),
		}
	}
}
/// A host's latest commitment in an epoch (`SprintApi::commitment`).
pub type CommitmentRecord = rt::pallet_gonka_sprint::types::CommitmentRecord;
/// A target a validator must check (`SprintApi::assignments`).
pub type Assignment = rt::pallet_gonka_sprint::types::Assignment<AccountId>;
/// A host as the registry reports it (`HostsApi::host`).
pub type HostView = rt::pallet_gonka_hosts::types::HostView<AccountId, Balance, BlockNumber>;
pub use gonka_primitives::epoch::{EpochClock, Phase};

/// A connected chain client.
#[derive(Clone)]
pub struct ChainClient {
	pub(crate) client: OnlineClient<PolkadotConfig>,
	/// The node's RPC methods, for the transaction pool's view of an account's next nonce
	/// (`system_accountNextIndex`) and the best block's hash; `None` for a client built by
	/// [`Self::from_client`].
	rpc: Option<LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>>,
	/// The newest runtime `spec_version` compared with the worker's metadata
	/// ([`compat::changed`]); `u32::MAX` before the first.
	checked_spec: Arc<AtomicU32>,
}

/// The chain at one block (finalized, or best: [`ChainClient::at_best`]).
pub(crate) type AtBlock = ClientAtBlock<PolkadotConfig, OnlineClientAtBlockImpl<PolkadotConfig>>;

/// A runtime version and its metadata.
#[derive(Clone)]
pub struct Runtime {
	/// Its `spec_version`.
	pub spec_version: u32,
	/// Its metadata.
	pub metadata: subxt::ArcMetadata,
}

/// The limits the worker's transactions must respect, read from the connected runtime's
/// constants (they may change with any upgrade).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
	/// Most verdicts in one `Sprint.submit_verdicts` (`Sprint::MaxVerdictsPerCall`).
	pub verdicts_per_call: u32,
	/// Most commitments a host may submit in one sprint (`Sprint::MaxCommitmentsPerHost`).
	pub commitments_per_host: u32,
}

impl ChainClient {
	/// Connects to a node's WebSocket RPC (`ws://127.0.0.1:9944`); plain `ws://` is accepted for
	/// local nodes.
	pub async fn connect(url: &str) -> anyhow::Result<Self> {
		let unreachable = || format!("cannot reach a Gonka node at {url} (is it running?)");
		let rpc = subxt::rpcs::RpcClient::from_insecure_url(url).await.with_context(unreachable)?;
		let client = OnlineClient::<PolkadotConfig>::from_rpc_client(rpc.clone())
			.await
			.with_context(unreachable)?;
		let mut chain = Self::from_client(client);
		chain.rpc = Some(LegacyRpcMethods::new(rpc));
		chain.at().await.with_context(|| format!("the node at {url}"))?;
		Ok(chain)
	}

	/// Wraps a connected subxt client.
	pub fn from_client(client: OnlineClient<PolkadotConfig>) -> Self {
		Self { client, rpc: None, checked_spec: Arc::new(AtomicU32::new(u32::MAX)) }
	}

	/// The latest finalized block, checked for a runtime change ([`Self::checked`]).
	pub(crate) async fn at(&self) -> anyhow::Result<AtBlock> {
		let at = self.client.at_current_block().await.context("latest finalized block")?;
		Ok(self.checked(at))
	}

	/// The node's best block: the state its transaction pool checks a new transaction against.
	/// The finalized block lags it by the chain's finality lag (on a relay chain ~5 blocks, as
	/// long as a test network's whole sprint), so whatever must land inside a window of blocks
	/// is timed on this one. Checked like [`Self::at`]; a client without RPC methods
	/// ([`Self::from_client`]) reads the finalized block instead.
	pub(crate) async fn at_best(&self) -> anyhow::Result<AtBlock> {
		let Some(rpc) = &self.rpc else { return self.at().await };
		let hash = rpc
			.chain_get_block_hash(None)
			.await
			.context("best block hash")?
			.ok_or_else(|| anyhow!("the node reports no best block"))?;
		let at = self.client.at_block(BlockRef::from_hash(hash)).await.context("best block")?;
		Ok(self.checked(at))
	}

	/// `at`, after comparing its runtime with the worker's metadata the first time the client
	/// sees a `spec_version` newer than any before, reporting what changed
	/// (`event=runtime_upgraded`, with `changed=` listing the items the worker can no longer
	/// use). Only newer versions count: during an upgrade the best block runs the new runtime
	/// while the finalized one still runs the old.
	fn checked(&self, at: AtBlock) -> AtBlock {
		let spec = at.spec_version();
		let seen = self.checked_spec.load(Ordering::Relaxed);
		// Only the caller that moves the record forward reports (the daemon reads from more
		// than one task).
		let newer = seen == u32::MAX || spec > seen;
		if newer
			&& self
				.checked_spec
				.compare_exchange(seen, spec, Ordering::Relaxed, Ordering::Relaxed)
				.is_ok()
		{
			let changed = compat::changed(at.metadata_ref());
			let first = seen == u32::MAX;
			let list = changed.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("; ");
			match (first, changed.is_empty()) {
				(true, true) => {},
				(true, false) => eprintln!(
					"gonka-worker event=incompatible_runtime spec_version={spec} changed=\"{list}\" \
					 note=\"these fail until gonka-worker is updated; everything else works\""
				),
				(false, _) => eprintln!(
					"gonka-worker event=runtime_upgraded from_spec_version={seen} \
					 spec_version={spec} compatible={} changed=\"{list}\"",
					changed.is_empty()
				),
			}
		}
		at
	}

	/// Calls a runtime API at the latest finalized block, after checking that the node's runtime
	/// still has it as the worker knows it ([`compat::Incompatible`] naming it otherwise).
	pub async fn call<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> anyhow::Result<P::ReturnType> {
		call_at(&self.at().await?, payload).await
	}

	/// [`Self::call`] at the node's best block ([`Self::at_best`]).
	pub async fn call_best<P: subxt::runtime_apis::Payload>(
		&self,
		payload: P,
	) -> anyhow::Result<P::ReturnType> {
		call_at(&self.at_best().await?, payload).await
	}

	/// Reads a runtime constant, checked like [`Self::call`].
	pub async fn constant<A: subxt::constants::Address>(
		&self,
		address: A,
	) -> anyhow::Result<A::Target> {
		let at = self.at().await?;
		compat::require_constant(at.metadata_ref(), at.spec_version(), &address)?;
		let name = format!("constant {}.{}", address.pallet_name(), address.constant_name());
		at.constants().entry(address).with_context(|| name)
	}

	/// The runtime at the latest finalized block: its `spec_version` and metadata.
	pub async fn runtime(&self) -> anyhow::Result<Runtime> {
		let at = self.at().await?;
		Ok(Runtime { spec_version: at.spec_version(), metadata: at.metadata() })
	}

	/// The limits of the connected runtime.
	pub async fn limits(&self) -> anyhow::Result<Limits> {
		let sprint = gonka::constants().sprint();
		Ok(Limits {
			verdicts_per_call: self.constant(sprint.max_verdicts_per_call()).await?,
			commitments_per_host: self.constant(sprint.max_commitments_per_host()).await?,
		})
	}

	/// Epoch, phase, blocks left, seed and PoW parameters at the finalized block (what
	/// `gonka-worker status` shows; the daemon keeps time on the best block, `daemon/chain.rs`).
	pub async fn epoch_status(&self) -> anyhow::Result<EpochStatus> {
		Ok(self.call(gonka::runtime_apis().sprint_api().epoch_status()).await?.into())
	}

	/// The chain's epoch clock.
	pub async fn epoch_clock(&self) -> anyhow::Result<EpochClock> {
		Ok(self.call(gonka::runtime_apis().sprint_api().epoch_clock()).await?.0)
	}

	/// The latest epoch whose weights are active.
	pub async fn active_epoch(&self) -> anyhow::Result<Option<EpochIndex>> {
		self.call(gonka::runtime_apis().sprint_api().active_epoch()).await
	}

	/// `host`'s final weight in `epoch`.
	pub async fn weight_of(&self, epoch: EpochIndex, host: &AccountId) -> anyhow::Result<u128> {
		self.call(gonka::runtime_apis().sprint_api().weight_of(epoch, host.clone())).await
	}

	/// Total final weight of `epoch`.
	pub async fn total_weight(&self, epoch: EpochIndex) -> anyhow::Result<u128> {
		self.call(gonka::runtime_apis().sprint_api().total_weight(epoch)).await
	}

	/// The targets `validator` must check in `epoch`, at the finalized block (the daemon reads
	/// them at the best block).
	pub async fn assignments(
		&self,
		epoch: EpochIndex,
		validator: &AccountId,
	) -> anyhow::Result<Vec<Assignment>> {
		self.call(gonka::runtime_apis().sprint_api().assignments(epoch, validator.clone())).await
	}

	/// `host`'s latest commitment in `epoch` at the finalized block (its `submissions` is the
	/// index the next commitment must carry once the pool's view is final; the daemon reads it at
	/// the best block, `daemon/chain.rs`).
	pub async fn commitment(
		&self,
		epoch: EpochIndex,
		host: &AccountId,
	) -> anyhow::Result<Option<CommitmentRecord>> {
		self.call(gonka::runtime_apis().sprint_api().commitment(epoch, host.clone())).await
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
		self.call(gonka::runtime_apis().emission_api().claimable_epochs(host.clone())).await
	}

	/// `who`'s free balance (zero for an account that does not exist).
	pub async fn free_balance(&self, who: &AccountId) -> anyhow::Result<Balance> {
		Ok(self.balances(who).await?.0)
	}

	/// `who`'s `(free, reserved)` balance; holds count as reserved (zeros for an account that
	/// does not exist).
	pub async fn balances(&self, who: &AccountId) -> anyhow::Result<(Balance, Balance)> {
		let address = gonka::storage().system().account();
		Ok(match self.fetch(address, (who.clone(),)).await? {
			Some(info) => (info.data.free, info.data.reserved),
			None => (0, 0),
		})
	}

	/// `host`'s registry entry.
	pub async fn host(&self, host: &AccountId) -> anyhow::Result<Option<HostView>> {
		self.call(gonka::runtime_apis().hosts_api().host(host.clone())).await
	}

	/// Submits `call` as a fee-less general transaction (no signature; the call authorizes
	/// itself, e.g. a worker-signed sprint commitment) and waits until it is finalized
	/// successfully; fails with the node's reason otherwise.
	pub async fn submit_general<C: subxt::transactions::Payload>(
		&self,
		call: &C,
	) -> anyhow::Result<()> {
		let at = self.at().await?;
		let bytes = general_transaction(&at, call)?;
		self.submit_encoded(bytes).await
	}

	/// Submits `call` as a fee-less general transaction built against the node's best block
	/// and returns as soon as a best block includes it successfully, without waiting for
	/// finality: for the daemon's commitments and verdicts, which must land inside a window of
	/// blocks and which the next one builds on ([`Self::at_best`]). If that block is later
	/// retracted, the pool takes the transaction back. Fails with the node's reason when the
	/// pool refuses, invalidates or drops it, or when it is included but fails.
	pub async fn submit_general_in_block<C: subxt::transactions::Payload>(
		&self,
		call: &C,
	) -> anyhow::Result<()> {
		use subxt::transactions::TransactionStatus as Status;
		let at = self.at_best().await?;
		let bytes = general_transaction(&at, call)?;
		let mut progress = at
			.transactions()
			.from_bytes(bytes)
			.submit_and_watch()
			.await
			.context("the node refused the transaction")?;
		while let Some(status) = progress.next().await {
			let included = match status.context("the transaction's progress")? {
				Status::InBestBlock(b) | Status::InFinalizedBlock(b) => b,
				Status::Invalid { message } => {
					return Err(anyhow!("the transaction is no longer valid: {message}"))
				},
				Status::Dropped { message } => {
					return Err(anyhow!("the pool dropped the transaction: {message}"))
				},
				Status::Error { message } => {
					return Err(anyhow!("the transaction failed: {message}"))
				},
				_ => continue,
			};
			included.wait_for_success().await.context("the transaction failed")?;
			return Ok(());
		}
		Err(anyhow!("the node stopped reporting the transaction's progress"))
	}

	/// Submits a ready, SCALE-encoded extrinsic and waits until it is finalized successfully;
	/// for tools and tests that build their own (e.g. with the runtime's Rust types).
	pub async fn submit_encoded(&self, extrinsic: Vec<u8>) -> anyhow::Result<()> {
		let at = self.at().await?;
		at.transactions()
			.from_bytes(extrinsic)
			.submit_and_watch()
			.await
			.context("the node refused the transaction")?
			.wait_for_finalized_success()
			.await
			.context("the transaction failed")?;
		Ok(())
	}

	/// Calls runtime API `function` (`SprintApi_epoch_status`) with SCALE-encoded `args` and
	/// returns the SCALE-encoded result, unchecked; for tools and tests that bring their own
	/// types. The worker itself uses [`Self::call`].
	pub async fn call_raw(&self, function: &str, args: &[u8]) -> anyhow::Result<Vec<u8>> {
		let at = self.at().await?;
		at.runtime_apis()
			.call_raw(function, Some(args))
			.await
			.with_context(|| format!("runtime API {function}"))
	}
}

/// Calls a runtime API at `at`, checked like [`ChainClient::call`].
async fn call_at<P: subxt::runtime_apis::Payload>(
	at: &AtBlock,
	payload: P,
) -> anyhow::Result<P::ReturnType> {
	let name = format!("{}_{}", payload.trait_name(), payload.method_name());
	compat::require_api(at.metadata_ref(), at.spec_version(), &payload)?;
	at.runtime_apis().call(payload).await.with_context(|| format!("runtime API {name}"))
}

/// How often a signed transaction is signed again with a fresh nonce after another transaction
/// of the same account took its nonce.
const NONCE_RETRIES: u32 = 3;

/// Whether `e` says the transaction's nonce was taken by another one of the same account (the
/// pool's "priority too low" for an equal nonce, or "outdated"/"stale" for a used one).
fn nonce_clash(e: &anyhow::Error) -> bool {
	let text = format!("{e:#}").to_lowercase();
	["priority of the transaction is too low", "transaction is outdated", "stale"]
		.iter()
		.any(|clue| text.contains(clue))
}

/// The SCALE call data of `call` (pallet index, call index, arguments) in `runtime`: what a
/// referendum proposes and Polkadot.js shows as "call data". Fails with
/// [`compat::Incompatible`] if that runtime changed the call.
pub fn call_data(
	runtime: &Runtime,
	call: &impl subxt::transactions::Payload,
) -> anyhow::Result<Vec<u8>> {
	let metadata = &*runtime.metadata;
	compat::require_call(metadata, runtime.spec_version, call)?;
	subxt::ext::frame_decode::extrinsics::encode_call_data(
		call.pallet_name(),
		call.call_name(),
		call.call_data(),
		metadata,
		metadata.types(),
	)
	.with_context(|| format!("encoding {}.{}", call.pallet_name(), call.call_name()))
}

/// Fails with [`compat::Incompatible`] naming `call` if the node's runtime changed it.
fn require_call(at: &AtBlock, call: &impl subxt::transactions::Payload) -> anyhow::Result<()> {
	Ok(compat::require_call(at.metadata_ref(), at.spec_version(), call)?)
}

/// A V5 general transaction of `call` with the runtime's transaction extensions at their
/// defaults for an unsigned sender (immortal, nonce 0, no tip, no metadata hash), each encoded
/// by name against the node's metadata; fails with [`compat::Incompatible`] first if the node's
/// runtime changed `call`.
fn general_transaction(
	at: &AtBlock,
	call: &impl subxt::transactions::Payload,
) -> anyhow::Result<Vec<u8>> {
	use subxt::config::{ClientState, Config, TransactionExtensions};
	require_call(at, call)?;
	let state = ClientState::<PolkadotConfig> {
		genesis_hash: at.genesis_hash().context("genesis hash")?,
		spec_version: at.spec_version(),
		transaction_version: at.transaction_version(),
		metadata: at.metadata(),
	};
	type Exts = <PolkadotConfig as Config>::TransactionExtensions;
	let exts = <Exts as TransactionExtensions<PolkadotConfig>>::new(&state, Default::default())
		.context("transaction extensions")?;
	let metadata = at.metadata_ref();
	let version = metadata.extrinsic().transaction_extension_version_to_use_for_encoding();
	subxt::ext::frame_decode::extrinsics::encode_v5_general(
		call.pallet_name(),
		call.call_name(),
		call.call_data(),
		version,
		&exts,
		metadata,
		metadata.types(),
	)
	.with_context(|| format!("encoding {}.{}", call.pallet_name(), call.call_name()))
}

impl ChainClient {
	/// Claims `epoch`'s GNK for the signer's own account (`Emission.claim`, a signed transaction
	/// that pays its fee), waiting until it is finalized successfully.
	pub async fn claim(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		epoch: EpochIndex,
	) -> anyhow::Result<()> {
		let call = gonka::tx().emission().claim(epoch);
		self.submit_signed(&call, signer).await.context("claim")
	}

	/// Signs `call` with `signer` (paying the fee from its account), submits it and waits until
	/// it is finalized successfully.
	pub async fn submit_signed(
		&self,
		call: &impl subxt::transactions::Payload,
		signer: &subxt_signer::sr25519::Keypair,
	) -> anyhow::Result<()> {
		self.submit_signed_events(call, signer).await.map(|_| ())
	}

	/// Like [`Self::submit_signed`], returning the `(pallet, event, fields)` of the events the
	/// transaction emitted.
	pub async fn submit_signed_events(
		&self,
		call: &impl subxt::transactions::Payload,
		signer: &subxt_signer::sr25519::Keypair,
	) -> anyhow::Result<Vec<(String, String, Vec<u8>)>> {
		let mut attempt = 0;
		let events = loop {
			let at = self.at().await?;
			require_call(&at, call)?;
			let params = self.next_nonce(signer).await?.map_or_else(Default::default, |nonce| {
				subxt::config::DefaultExtrinsicParamsBuilder::new().nonce(nonce).build()
			});
			let result = async {
				at.transactions()
					.sign_and_submit_then_watch(call, signer, params)
					.await
					.context("the node refused the transaction")?
					.wait_for_finalized_success()
					.await
					.context("the transaction failed")
			}
			.await;
			match result {
				Err(e) if attempt < NONCE_RETRIES && nonce_clash(&e) => {
					// Another transaction of the same account (the daemon's claim, a second
					// CLI) took this nonce first: sign again with the next one.
					attempt += 1;
					tokio::time::sleep(std::time::Duration::from_secs(2)).await;
				},
				other => break other?,
			}
		};
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

	/// The nonce `signer`'s next transaction must carry, as the node's transaction pool sees it
	/// (`system_accountNextIndex`: the best block's nonce plus the account's transactions waiting
	/// in the pool); `None` without an RPC connection, and then subxt takes the nonce at the
	/// finalized block. The finalized nonce is stale while another transaction of the account
	/// is in a block not yet finalized, which on a relay-backed chain lasts several blocks (a
	/// parachain block is final only once a finalized relay block includes it).
	async fn next_nonce(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
	) -> anyhow::Result<Option<u64>> {
		let Some(rpc) = &self.rpc else { return Ok(None) };
		let account =
			<subxt_signer::sr25519::Keypair as subxt::tx::Signer<PolkadotConfig>>::account_id(
				signer,
			);
		let nonce =
			rpc.system_account_next_index(&account).await.context("system_accountNextIndex")?;
		Ok(Some(nonce))
	}

	/// The value of a storage item at `keys` at the latest finalized block (`None` if absent),
	/// checked like [`Self::call`].
	pub async fn fetch<A: subxt::storage::Address>(
		&self,
		address: A,
		keys: A::KeyParts,
	) -> anyhow::Result<Option<A::Value>> {
		let at = self.at().await?;
		compat::require_storage(at.metadata_ref(), at.spec_version(), &address)?;
		let name = format!("storage {}.{}", address.pallet_name(), address.entry_name());
		match at.storage().try_fetch(address, keys).await.with_context(|| name.clone())? {
			Some(v) => Ok(Some(v.decode().with_context(|| name)?)),
			None => Ok(None),
		}
	}
}

/// Parses an account given as SS58 (`5Grw...`) or as 32 bytes of hex (`0x...`).
pub fn parse_account(s: &str) -> anyhow::Result<AccountId> {
	if let Some(hex) = s.strip_prefix("0x") {
		let bytes = hex::decode(hex).map_err(|e| anyhow!("account {s}: bad hex ({e})"))?;
		let raw: [u8; 32] =
			bytes.try_into().map_err(|_| anyhow!("account {s}: expected 32 bytes of hex"))?;
		return Ok(AccountId::from(raw));
	}
	s.parse::<AccountId>().map_err(|e| anyhow!("account {s}: neither SS58 nor 0x-hex ({e})"))
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
