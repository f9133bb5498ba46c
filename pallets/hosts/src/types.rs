//! Storage and API types of the hosts pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use gonka_primitives::{
	crypto::worker::WorkerId,
	hosts::{Endpoint, ModelId},
};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_runtime::{FixedU128, Perbill};

extern crate alloc;
use alloc::vec::Vec;

/// Longest GPU model name a host may declare (`"NVIDIA H100 80GB HBM3"` is 21 bytes).
pub const MAX_GPU_MODEL_LEN: u32 = 64;
/// Longest model name in the catalogue.
pub const MAX_MODEL_NAME_LEN: u32 = 128;
/// Longest architecture/shape description of a catalogue model.
pub const MAX_ARCHITECTURE_LEN: u32 = 256;

/// A GPU model name such as `"H100-SXM5-80GB"`.
pub type GpuModelName = BoundedVec<u8, ConstU32<MAX_GPU_MODEL_LEN>>;
/// A catalogue model's human-readable name, e.g. `"Qwen/Qwen3-32B-FP8"`.
pub type ModelName = BoundedVec<u8, ConstU32<MAX_MODEL_NAME_LEN>>;
/// A catalogue model's architecture and shape, e.g. `"qwen3:dim=5120,layers=64,heads=64"`.
pub type Architecture = BoundedVec<u8, ConstU32<MAX_ARCHITECTURE_LEN>>;

/// Hardware a host says it runs.
///
/// Purely informational: it helps explorers and routers, but nothing is paid for it. Compute is
/// *proven* in the sprint, where a false claim earns nothing.
#[derive(
	Clone,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct HardwareSpec {
	/// GPU model name as the vendor prints it.
	pub gpu_model: GpuModelName,
	/// Number of GPUs (zero for a CPU-only development host).
	pub gpu_count: u32,
	/// Memory per GPU in GiB.
	pub gpu_memory_gib: u32,
}

/// A worker key scheduled to replace the current one.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct PendingKey<BlockNumber> {
	/// The new key, already reserved for this host.
	pub key: WorkerId,
	/// First block at which `key` is valid and the old key is not.
	pub effective_at: BlockNumber,
}

/// Everything the chain knows about one registered host, keyed by the host account.
#[derive(
	CloneNoBound, DebugNoBound, PartialEqNoBound, EqNoBound, Encode, Decode, MaxEncodedLen, TypeInfo,
)]
#[scale_info(skip_type_params(MaxModels))]
#[codec(mel_bound(Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct HostInfo<Balance, BlockNumber, MaxModels: Get<u32>>
where
	Balance: Clone + core::fmt::Debug + PartialEq + Eq,
	BlockNumber: Clone + core::fmt::Debug + PartialEq + Eq,
{
	/// Public URL of the host's worker (proof serving and inference).
	pub endpoint: Endpoint,
	/// The worker key in force until `pending_key` (if any) takes over.
	pub worker_key: WorkerId,
	/// A rotation in progress: the key that takes over and when.
	pub pending_key: Option<PendingKey<BlockNumber>>,
	/// Catalogue models the host serves, sorted and without duplicates.
	pub models: BoundedVec<ModelId, MaxModels>,
	/// Declared (informational) hardware.
	pub hardware: HardwareSpec,
	/// Active (slashable, counted) collateral on hold.
	pub collateral: Balance,
	/// Collateral on hold that is unbonding: the sum of the host's `Unbonding` chunks. Kept
	/// here so that reading a host's total stake is one storage read.
	pub unbonding: Balance,
	/// Registration deposit on hold, returned on deregistration.
	pub deposit: Balance,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// Collateral that has been withdrawn and can be released at `unlock_at`.
///
/// It stays on hold (and slashable) until then, so that a host cannot escape a slash for
/// misbehaviour detected after it asked to leave.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct UnbondingChunk<Balance, BlockNumber> {
	/// Amount unbonding.
	pub amount: Balance,
	/// First block at which `withdraw_unbonded` releases it.
	pub unlock_at: BlockNumber,
}

/// Whether hosts may declare a catalogue model.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum ModelStatus {
	/// Served: hosts may declare it and traffic is routed to it.
	Active,
	/// No longer offered. Hosts that declared it keep the entry, but other pallets see the model
	/// as inactive and no new host may declare it. Ids are never reused.
	Retired,
}

/// The numeric recipe every host computes a catalogue model in, executors and validators alike.
///
/// Validation compares an executor's reported probabilities with the validator's re-execution,
/// and the catalogue threshold is calibrated on *equal* recipes: an honest host computing with
/// `bf16` activations scores ~0.98 against an `f32` validator on SmolLM2-135M — as low as a host
/// serving a re-quantised model — but exactly 1.0 against a validator in the same recipe, which
/// still catches that substitute (`docs/inference-validation.md`). So the precision is part of the
/// model's identity, fixed when it is added; serving another precision is a new catalogue entry.
/// Only recipes whose decoding and re-execution agree are offered: dense `bf16`/`f16` matmuls
/// round differently for one token than for many, and are not.
#[derive(
	Clone,
	Copy,
	Debug,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ModelPrecision {
	/// Weights dequantised to `f32`, `f32` activations: the reference, the same result on any
	/// hardware up to float summation order.
	#[default]
	F32,
	/// int8 weights with one scale per output row, `bf16` activations (CPU kernels).
	Q8,
	/// The weight file's own block quantisation (e.g. GGUF Q4_1) in packed int4, `bf16`
	/// activations (CPU kernels): about 3x `f32`'s decode speed.
	Native,
}

/// A model of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo)]
pub struct ModelInfo<Balance> {
	/// Human-readable name (usually the Hugging Face repository id).
	pub name: ModelName,
	/// Content hash of the weights file(s), so every host serves exactly the same model.
	pub weights_hash: H256,
	/// Architecture and shape description.
	pub architecture: Architecture,
	/// Share of sampled outputs that must match for inference on this model to be valid.
	pub validation_threshold: Perbill,
	/// Price per 1,000 tokens.
	pub price_per_1k_tokens: Balance,
	/// Multiplier of sprint weight when the sprint runs on this model.
	pub pow_weight_scale: FixedU128,
	/// Active or retired.
	pub status: ModelStatus,
	/// The precision executors and validators compute in.
	pub precision: ModelPrecision,
}

/// The terms of a model that the catalogue origin may change after it was added.
#[derive(
	Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct ModelTermsUpdate<Balance> {
	/// New validation threshold.
	pub validation_threshold: Perbill,
	/// New price per 1,000 tokens.
	pub price_per_1k_tokens: Balance,
	/// New PoW weight scale factor.
	pub pow_weight_scale: FixedU128,
}

/// One host as the runtime API shows it to clients: the stored record flattened, with the
/// worker key that is valid *now* and the unbonding total.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct HostView<AccountId, Balance, BlockNumber> {
	/// The host account.
	pub account: AccountId,
	/// Endpoint URL bytes.
	pub endpoint: Vec<u8>,
	/// Worker key valid at the current block.
	pub worker_key: WorkerId,
	/// Scheduled rotation not yet in force.
	pub pending_key: Option<PendingKey<BlockNumber>>,
	/// Declared models.
	pub models: Vec<ModelId>,
	/// Declared hardware.
	pub hardware: HardwareSpec,
	/// Active collateral.
	pub collateral: Balance,
	/// Collateral still on hold but unbonding.
	pub unbonding: Balance,
	/// Whether the host counts as active (see `Pallet::is_active`).
	pub active: bool,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

/// A catalogue entry in chain-spec genesis.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisModel<Balance> {
	/// Catalogue id (explicit, so that genesis hosts can refer to it).
	pub id: ModelId,
	/// Human-readable name.
	pub name: alloc::string::String,
	/// Content hash of the weights.
	pub weights_hash: H256,
	/// Architecture and shape.
	pub architecture: alloc::string::String,
	/// Validation threshold.
	pub validation_threshold: Perbill,
	/// Price per 1,000 tokens.
	pub price_per_1k_tokens: Balance,
	/// PoW weight scale factor.
	pub pow_weight_scale: FixedU128,
	/// The precision hosts compute in (`f32` when omitted).
	#[serde(default)]
	pub precision: ModelPrecision,
}

/// A host in chain-spec genesis, to bootstrap the first epoch.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisHost<AccountId, Balance> {
	/// Host account.
	pub account: AccountId,
	/// Worker key (no proof of possession is checked at genesis: the chain spec author vouches).
	pub worker_key: WorkerId,
	/// Endpoint URL.
	pub endpoint: alloc::string::String,
	/// Served models (must be active catalogue models of the same genesis).
	pub models: Vec<ModelId>,
	/// Declared hardware.
	#[serde(default)]
	pub hardware: GenesisHardware,
	/// Collateral to put on hold from the account's genesis balance (zero for none). Genesis
	/// hosts pay no registration deposit.
	#[serde(default)]
	pub collateral: Balance,
}

/// Declared hardware of a genesis host, in chain-spec friendly form.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenesisHardware {
	/// GPU model name (at most `MAX_GPU_MODEL_LEN` bytes).
	pub gpu_model: alloc::string::String,
	/// Number of GPUs.
	pub gpu_count: u32,
	/// Memory per GPU in GiB.
	pub gpu_memory_gib: u32,
}

impl TryFrom<&GenesisHardware> for HardwareSpec {
	type Error = &'static str;

	fn try_from(h: &GenesisHardware) -> Result<Self, Self::Error> {
		Ok(HardwareSpec {
			gpu_model: h
				.gpu_model
				.as_bytes()
				.to_vec()
				.try_into()
				.map_err(|_| "GPU model name too long")?,
			gpu_count: h.gpu_count,
			gpu_memory_gib: h.gpu_memory_gib,
		})
	}
}
