//! # The Gonka parachain runtime
//!
//! Gonka is a decentralised AI compute network where proof of work *is* a transformer: hosts
//! prove their compute in a short daily sprint, earn GNK in proportion to it, govern with the same
//! weight, and spend the rest of the day serving validated LLM inference. This crate is the
//! on-chain half: it never runs a transformer, it checks commitments, signatures, phases and
//! tallies; the off-chain worker does the compute.
//!
//! ## Layout
//! - [`configs`]: one file per pallet group (system, monetary, collators, parachain plumbing, XCM).
//! - [`apis`]: every runtime API a node, Polkadot.js Apps and subxt need.
//! - [`governance`]: compute-weighted referenda: tracks, origins, tunable parameters.
//! - [`genesis_config_presets`]: the `development` and `local_testnet` presets that chain specs
//!   are generated from.
//!
//! The token is GNK with 9 decimals; its units and the account/balance/block types live in
//! [`gonka_primitives`] so that the worker and the runtime can never disagree on them.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` recurses deeply.
#![recursion_limit = "256"]
// With `runtime-benchmarks`, `#[frame_support::runtime]` generates undocumented helper items.
#![cfg_attr(feature = "runtime-benchmarks", allow(missing_docs))]

// The WASM binary, built by substrate-wasm-builder (absent with `SKIP_WASM_BUILD=1`).
#[cfg(feature = "std")]
#[allow(missing_docs)]
mod wasm_binary {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
}
#[cfg(feature = "std")]
pub use wasm_binary::*;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod governance;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;

use frame_support::weights::{
	constants::WEIGHT_REF_TIME_PER_SECOND, Weight, WeightToFeeCoefficient, WeightToFeeCoefficients,
	WeightToFeePolynomial,
};
use smallvec::smallvec;
use sp_runtime::{generic, impl_opaque_keys, Perbill};
use sp_version::RuntimeVersion;

pub use gonka_primitives::{
	AccountId, Address, Balance, BlockNumber, Hash, Header, Nonce, Signature, GNK, MICRO_GNK,
	MILLI_GNK,
};
pub use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// A block of this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The transaction extensions every signed transaction carries, in order. Wrapped in
/// `StorageWeightReclaim` so that the proof-size weight a transaction did not use is given back
/// to the block (it matters on a parachain, where the PoV size is the scarce resource).
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::AuthorizeCall<Runtime>,
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// A general transaction (extrinsic v5 without signature or sender) carrying `call`.
///
/// This is how the fee-less calls are submitted whose `#[pallet::authorize]` checks a signature
/// inside the call (sprint commitments and verdicts, signed by a host's worker key): with no
/// sender, the extensions charge no fee and check no nonce, and their explicit data is the
/// neutral one (immortal era, nonce 0, tip 0, no metadata hash), so anyone can build the bytes
/// without knowing the chain's state.
#[cfg(feature = "std")]
pub fn general_transaction(call: RuntimeCall) -> UncheckedExtrinsic {
	UncheckedExtrinsic::new_transaction(call, tx_extension(0, 0))
}

/// The transaction extensions a client attaches: immortal era, the sender's `nonce`, a `tip`,
/// no metadata hash (for a general transaction, `tx_extension(0, 0)`).
#[cfg(feature = "std")]
pub fn tx_extension(nonce: Nonce, tip: Balance) -> TxExtension {
	cumulus_pallet_weight_reclaim::StorageWeightReclaim::new((
		frame_system::AuthorizeCall::<Runtime>::new(),
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::<Runtime>::from(nonce),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
	))
}

/// An extrinsic as it arrives from the outside, before its signature is checked.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// Storage migrations run at the next runtime upgrade (each is version-gated, so it runs once).
/// - spec 7: catalogue models gain a precision (`f32` for existing ones).
#[allow(unused_parens)]
type Migrations = (pallet_gonka_hosts::migrations::v1::MigrateV0ToV1<Runtime>,);

/// Dispatches extrinsics and hooks to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// Maps dispatch weight to a fee: the base weight of an extrinsic costs 1/10 of a milli-GNK, and
/// fees grow linearly with weight from there. Length fees are added separately (see
/// `configs::monetary`).
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = MILLI_GNK / 10;
		let q =
			Balance::from(frame_support::weights::constants::ExtrinsicBaseWeight::get().ref_time());
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

/// Types a node needs without knowing the runtime's call enum.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
}

impl_opaque_keys! {
	/// The session keys of a collator: only its Aura block-authoring key.
	pub struct SessionKeys {
		/// Aura (block authoring) key.
		pub aura: Aura,
	}
}

/// Declares [`VERSION`] with `spec_version` `$spec` (a literal token, as `runtime_version`
/// requires).
macro_rules! runtime_version {
	($spec:tt) => {
		/// Runtime version. Bump `spec_version` for every runtime upgrade, `transaction_version`
		/// whenever the encoding of calls or extensions changes.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("gonka"),
			impl_name: alloc::borrow::Cow::Borrowed("gonka-node"),
			authoring_version: 1,
			spec_version: $spec,
			impl_version: 0,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 3,
			system_version: 1,
		};
	};
}

// The released runtime: bump this number for every runtime upgrade (and the one below with it).
#[cfg(not(feature = "spec-version-bump"))]
runtime_version!(10);

// Test only: the same runtime one `spec_version` later, built by `runtime/next` as the code a
// runtime upgrade enacts in node/tests/upgrade.rs (which checks it is exactly one above).
#[cfg(feature = "spec-version-bump")]
runtime_version!(11);

/// Block production timing.
pub mod block_times {
	/// One parachain block per relay-chain slot.
	pub const MILLI_SECS_PER_BLOCK: u64 = gonka_primitives::time::MILLISECS_PER_BLOCK;
	/// Aura slot duration. It cannot change once the chain has started.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
}
pub use block_times::*;
pub use gonka_primitives::time::{DAYS, HOURS, MINUTES};

/// The existential deposit: 1 milli-GNK. Accounts below it are reaped, which keeps state small.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_GNK;

/// About 5% of the block weight is used by `on_initialize` hooks.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(5);

/// Normal extrinsics may fill 75% of a block; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Two seconds of compute per 6 s block, and the relay chain's maximum PoV size.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(
	WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2),
	cumulus_primitives_core::relay_chain::MAX_POV_SIZE as u64,
);

/// Async-backing parameters.
mod async_backing_params {
	/// Blocks accepted by the runtime but not yet included in the relay chain.
	pub(crate) const UNINCLUDED_SEGMENT_CAPACITY: u32 = 3;
	/// Parachain blocks per relay-chain block.
	pub(crate) const BLOCK_PROCESSING_VELOCITY: u32 = 1;
	/// Relay-chain slot duration in milliseconds.
	pub(crate) const RELAY_CHAIN_SLOT_DURATION_MILLIS: u32 = 6000;
}
pub(crate) use async_backing_params::*;

/// Decides whether a collator may build on a given parent (Aura with async backing).
type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	RELAY_CHAIN_SLOT_DURATION_MILLIS,
	BLOCK_PROCESSING_VELOCITY,
	UNINCLUDED_SEGMENT_CAPACITY,
>;

/// The pallets of the runtime. Indices are part of the transaction encoding: never reuse one.
// The macro generates undocumented public items (`Runtime`, `RuntimeCall`, pallet aliases).
#[allow(missing_docs)]
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System support.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;
	#[runtime::pallet_index(5)]
	pub type Utility = pallet_utility;

	// The GNK token and fees.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Collators. The order of these five matters: authorship before session before aura.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(21)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(22)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(23)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(24)]
	pub type AuraExt = cumulus_pallet_aura_ext;

	// XCM and messaging.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// Compute: the host registry and (issue by issue) sprint, emission, governance, inference.
	#[runtime::pallet_index(40)]
	pub type Hosts = pallet_gonka_hosts;
	#[runtime::pallet_index(41)]
	pub type Sprint = pallet_gonka_sprint;
	// After Balances: its genesis mints the community pool allocation.
	#[runtime::pallet_index(42)]
	pub type Emission = pallet_gonka_emission;
	// The inference market: sessions, vouchers, sampled validation.
	#[runtime::pallet_index(43)]
	pub type Inference = pallet_gonka_inference;

	// Governance by proven compute (see `governance`). No sudo: these are the only way to
	// dispatch a privileged call.
	#[runtime::pallet_index(50)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(51)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(52)]
	pub type Referenda = pallet_referenda;
	#[runtime::pallet_index(53)]
	pub type ComputeVoting = pallet_gonka_compute_voting;
	#[runtime::pallet_index(54)]
	pub type Origins = crate::governance::origins::pallet_custom_origins;
	#[runtime::pallet_index(55)]
	pub type Parameters = pallet_parameters;
	// After Emission: the pool already holds its allocation when the treasury's genesis runs.
	#[runtime::pallet_index(56)]
	pub type Treasury = pallet_treasury;
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
