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
