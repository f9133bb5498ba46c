//! Helpers shared by the runtime's integration tests: genesis from a real preset, and real
//! signed extrinsics.

#![allow(dead_code)]

use codec::Encode;
use gonka_runtime::{
	genesis_config_presets, AccountId, Executive, Runtime, RuntimeCall, RuntimeGenesisConfig,
	TxExtension, UncheckedExtrinsic,
};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{generic::SignedPayload, traits::Header as _};

/// A numeric setting from the environment (`default` when unset or not a number).
pub fn env(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Merges a JSON patch into a JSON value, as the chain-spec builder does with presets.
pub fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(base), serde_json::Value::Object(patch)) => {
			for (k, v) in patch {
				merge(base.entry(k).or_insert(serde_json::Value::Null), v);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The full genesis config of a named preset (default config with the preset's patch applied).
pub fn preset_config(name: &str) -> serde_json::Value {
	let patch = genesis_config_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, patch);
	config
}

/// Externalities holding the genesis state of a named preset, built through the runtime's own
/// `GenesisBuilder` logic.
pub fn new_ext(preset: &str) -> sp_io::TestExternalities {
	let config = preset_config(preset);
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).unwrap(),
		)
		.expect("genesis builds");
	});
	ext
}

/// Starts block `number` on top of the current state, as a block author would.
pub fn start_block(number: u32) {
	let parent = frame_system::BlockHash::<Runtime>::get(number - 1);
	let header = gonka_runtime::Header::new(
		number,
		Default::default(),
		Default::default(),
		parent,
		Default::default(),
	);
	Executive::initialize_block(&header);
}

/// The transaction extensions of a signed transaction with the given nonce and tip.
pub fn tx_extension(nonce: u32, tip: u128) -> TxExtension {
	gonka_runtime::tx_extension(nonce, tip)
}

/// A real sr25519-signed extrinsic, signed exactly as a wallet signs it.
pub fn signed(signer: Sr25519Keyring, call: RuntimeCall, nonce: u32) -> UncheckedExtrinsic {
	signed_as(signer, signer.to_account_id(), call, nonce)
}

/// An extrinsic that claims to come from `sender` but is signed by `signer` (a forgery when
/// they differ).
pub fn signed_as(
	signer: Sr25519Keyring,
	sender: AccountId,
	call: RuntimeCall,
	nonce: u32,
) -> UncheckedExtrinsic {
	signed_by_pair(&signer.pair(), sender, call, nonce)
}

/// An extrinsic from `sender` signed by any sr25519 key pair (accounts outside the keyring).
pub fn signed_by_pair(
	signer: &sp_core::sr25519::Pair,
	sender: AccountId,
	call: RuntimeCall,
	nonce: u32,
) -> UncheckedExtrinsic {
	use sp_core::Pair as _;
	let extension = tx_extension(nonce, 0);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("implicit data");
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(call, sender.into(), signature.into(), extension)
}

/// Externalities holding the genesis state of a genesis config (e.g. a preset edited by a test).
pub fn new_ext_from(config: serde_json::Value) -> sp_io::TestExternalities {
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).unwrap(),
		)
		.expect("genesis builds");
	});
	ext
}

/// A general (bare, unsigned) transaction: no sender, no signature, no fee; the call must be
/// authorised by `#[pallet::authorize]` (e.g. a worker-key signature inside the call).
pub fn general(call: RuntimeCall) -> UncheckedExtrinsic {
	gonka_runtime::general_transaction(call)
}

/// The worker key pair of a dev secret URI (`//Alice//worker`).
pub fn worker(uri: &str) -> gonka_primitives::crypto::worker::WorkerPair {
	use sp_core::Pair as _;
	gonka_primitives::crypto::worker::WorkerPair::from_string(uri, None).expect("dev URI")
}

/// A commitment of `host` signed by the worker key `uri` with an explicit submission index and
/// genesis hash (tests of replays and of other chains use other values than the chain's).
pub fn commit_with(
	uri: &str,
	host: &AccountId,
	epoch: u32,
	count: u32,
	submission: u32,
	genesis: [u8; 32],
) -> RuntimeCall {
	use sp_core::Pair as _;
	let commitment = gonka_primitives::pow::SprintCommitment {
		epoch,
		count,
		merkle_root: sp_core::H256::repeat_byte(count as u8),
	};
	let payload =
		gonka_primitives::sprint::commitment_payload(&genesis, &commitment, submission, host);
	let signature = worker(uri).sign(&payload);
	pallet_gonka_sprint::Call::submit_commitment {
		commitment,
		submission,
		host: host.clone(),
		signature,
	}
	.into()
}

/// A commitment of `host` signed by the worker key `uri`, as a worker makes it: the next
/// submission index and this chain's genesis hash.
pub fn commit(uri: &str, host: &AccountId, epoch: u32, count: u32) -> RuntimeCall {
	let submission =
		pallet_gonka_sprint::Commitments::<Runtime>::get(epoch, host).map_or(0, |r| r.submissions);
	commit_with(uri, host, epoch, count, submission, gonka_runtime::Sprint::genesis_hash())
}

/// What the relay chain's validation-data inherent leaves in storage each block: the parachain
/// may only schedule an upgrade, send messages or finish a block when it knows the relay's
/// limits.
pub fn relay_validation_data() {
	use cumulus_pallet_parachain_system::relay_state_snapshot::{
		MessagingStateSnapshot, RelayDispatchQueueRemainingCapacity,
	};
	use cumulus_primitives_core::{
		relay_chain::AsyncBackingParams, AbridgedHostConfiguration, PersistedValidationData,
	};
	cumulus_pallet_parachain_system::ValidationData::<Runtime>::put(
		PersistedValidationData::default(),
	);
	cumulus_pallet_parachain_system::HostConfiguration::<Runtime>::put(AbridgedHostConfiguration {
		max_code_size: 8 << 20,
		max_head_data_size: 32 << 10,
		max_upward_queue_count: 8,
		max_upward_queue_size: 1 << 20,
		max_upward_message_size: 1 << 16,
		max_upward_message_num_per_candidate: 2,
		hrmp_max_message_num_per_candidate: 2,
		validation_upgrade_cooldown: 2,
		validation_upgrade_delay: 2,
		async_backing_params: AsyncBackingParams {
			allowed_ancestry_len: 0,
			max_candidate_depth: 0,
		},
	});
	cumulus_pallet_parachain_system::RelevantMessagingState::<Runtime>::put(
		MessagingStateSnapshot {
			dmq_mqc_head: Default::default(),
			relay_dispatch_queue_remaining_capacity: RelayDispatchQueueRemainingCapacity {
				remaining_count: 8,
				remaining_size: 1 << 20,
			},
			ingress_channels: Vec::new(),
			egress_channels: Vec::new(),
		},
	);
}

/// Finishes the current block as a collator's block builder would: what the inherents (relay
/// validation data, timestamp) leave in storage is written, then every pallet's `on_idle` and
/// `on_finalize` run through `Executive::finalize_block`.
pub fn end_block() -> gonka_runtime::Header {
	relay_validation_data();
	// `pallet_timestamp`'s `DidUpdate` (private): the timestamp inherent ran in this block.
	let did_update =
		[sp_io::hashing::twox_128(b"Timestamp"), sp_io::hashing::twox_128(b"DidUpdate")].concat();
	frame_support::storage::unhashed::put(&did_update, &true);
	Executive::finalize_block()
}

/// The money invariants every block of a long run must keep.
///
/// - the ledger: `TotalIssuance` equals the sum of every account's free and reserved balance;
/// - no money from nowhere: `TotalIssuance = genesis issuance + GNK emission minted - burned`,
///   where `burned` is what `Balances` reported as burned (`Burned`) or lost as dust
///   (`DustLost`, an account reaped below the existential deposit) in the events of the run.
pub struct Ledger {
	/// Total issuance at genesis.
	pub genesis: gonka_runtime::Balance,
	/// Burned and dust-lost GNK seen in the events so far.
	pub burned: gonka_runtime::Balance,
}

impl Ledger {
	/// Starts the ledger at the current (genesis) state.
	pub fn at_genesis() -> Self {
		Self { genesis: gonka_runtime::Balances::total_issuance(), burned: 0 }
	}

	/// Accounts for the burns among the current block's events; call once per block, before
	/// its events are cleared (i.e. before the next `start_block`).
	pub fn record_block_events(&mut self) {
		for record in frame_system::Pallet::<Runtime>::events() {
			match record.event {
				gonka_runtime::RuntimeEvent::Balances(pallet_balances::Event::Burned {
					amount,
					..
				})
				| gonka_runtime::RuntimeEvent::Balances(pallet_balances::Event::DustLost {
					amount,
					..
				}) => self.burned += amount,
				_ => {},
			}
		}
	}

	/// Checks both identities; the error says which one broke and by how much.
	pub fn check(&self) -> Result<(), String> {
		let issuance = gonka_runtime::Balances::total_issuance();
		let held: gonka_runtime::Balance = frame_system::Account::<Runtime>::iter_values()
			.map(|a| a.data.free + a.data.reserved)
			.sum();
		if held != issuance {
			return Err(format!("accounts hold {held}, total issuance is {issuance}"));
		}
		let minted = gonka_runtime::Emission::api_totals().minted;
		let expected = self.genesis + minted - self.burned;
		if issuance != expected {
			return Err(format!(
				"total issuance {issuance} != genesis {} + minted {minted} - burned {}",
				self.genesis, self.burned
			));
		}
		Ok(())
	}
}

/// The Gonka pallets' `try_state` checks (callable natively: `std`), in one call.
pub fn gonka_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
	pallet_gonka_hosts::Pallet::<Runtime>::do_try_state()?;
	pallet_gonka_sprint::Pallet::<Runtime>::do_try_state()?;
	pallet_gonka_emission::Pallet::<Runtime>::do_try_state()?;
	pallet_gonka_inference::Pallet::<Runtime>::do_try_state()?;
	pallet_gonka_compute_voting::Pallet::<Runtime>::do_try_state()
}

/// Checks that the block's consumed weight (hooks, inherents and extrinsics) is within the
/// runtime's `max_block`. One exception: a block in which the session rotates, for which
/// `pallet-session` declares a whole block on its own (polkadot-sdk's conservative weight for a
/// rotation: it cannot know what the session handlers did), so any other hook overruns it.
pub fn check_block_weight() -> Result<(), String> {
	use frame_support::dispatch::DispatchClass;
	let rotated = frame_system::Pallet::<Runtime>::events().iter().any(|r| {
		matches!(
			r.event,
			gonka_runtime::RuntimeEvent::Session(pallet_session::Event::NewSession { .. })
		)
	});
	if rotated {
		return Ok(());
	}
	let weight = frame_system::BlockWeight::<Runtime>::get();
	let consumed = weight.total();
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	if consumed.all_lte(max) {
		Ok(())
	} else {
		Err(format!(
			"block weight {consumed:?} above max {max:?} (mandatory {:?}, normal {:?}, \
			 operational {:?})",
			weight.get(DispatchClass::Mandatory),
			weight.get(DispatchClass::Normal),
			weight.get(DispatchClass::Operational)
		))
	}
}
