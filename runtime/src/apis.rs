//! Runtime APIs: what the node (omni-node), Polkadot.js Apps and subxt call into.

// `impl_runtime_apis!` generates undocumented public items (`RuntimeApi`, `RuntimeApiImpl`).
#![allow(missing_docs)]

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_aura::Authorities;
use sp_api::impl_runtime_apis;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::Block as BlockT,
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use crate::{
	AccountId, AuraId, Balance, Block, BlockNumber, ConsensusHook, Emission, Executive, Hosts,
	Inference, InherentDataExt, Nonce, ParachainInfo, ParachainSystem, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, Sprint, System, TransactionPayment, SLOT_DURATION, VERSION,
};

impl_runtime_apis! {
	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(SLOT_DURATION)
		}

		fn authorities() -> Vec<AuraId> {
			Authorities::<Runtime>::get().into_inner()
		}
	}

	impl cumulus_primitives_aura::AuraUnincludedSegmentApi<Block> for Runtime {
		fn can_build_upon(
			included_hash: <Block as BlockT>::Hash,
			slot: cumulus_primitives_aura::Slot,
		) -> bool {
			ConsensusHook::can_build_upon(included_hash, slot)
		}
	}

	impl cumulus_primitives_core::RelayParentOffsetApi<Block> for Runtime {
		fn relay_parent_offset() -> u32 {
			0
		}

		fn max_claim_queue_offset() -> u8 {
			ParachainSystem::max_claim_queue_offset()
		}
	}

	impl cumulus_primitives_core::GetParachainInfo<Block> for Runtime {
		fn parachain_id() -> cumulus_primitives_core::ParaId {
			ParachainInfo::parachain_id()
		}
	}

	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block)
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl cumulus_primitives_core::CollectCollationInfo<Block> for Runtime {
		fn collect_collation_info(header: &<Block as BlockT>::Header) -> cumulus_primitives_core::CollationInfo {
			ParachainSystem::collect_collation_info(header)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select).unwrap()
		}
	}

	impl pallet_gonka_hosts::runtime_api::HostsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn hosts(
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<pallet_gonka_hosts::HostView<AccountId, Balance, BlockNumber>> {
			Hosts::api_hosts(start_after, limit)
		}

		fn host(who: AccountId) -> Option<pallet_gonka_hosts::HostView<AccountId, Balance, BlockNumber>> {
			Hosts::api_host(who)
		}

		fn catalogue() -> Vec<(gonka_primitives::hosts::ModelId, pallet_gonka_hosts::ModelInfo<Balance>)> {
			Hosts::api_catalogue()
		}

		fn hosts_serving(
			model: gonka_primitives::hosts::ModelId,
			start_after: Option<AccountId>,
			limit: u32,
		) -> Vec<AccountId> {
			Hosts::api_hosts_serving(model, start_after, limit)
		}
	}

	impl pallet_gonka_sprint::runtime_api::SprintApi<Block, AccountId> for Runtime {
		fn epoch_status() -> pallet_gonka_sprint::EpochStatus {
			Sprint::epoch_status()
		}

		fn epoch_clock() -> pallet_gonka_sprint::EpochClock {
			pallet_gonka_sprint::Clock::<Runtime>::get()
		}

		fn pow_params() -> Option<gonka_primitives::pow::PowParams> {
			pallet_gonka_sprint::Params::<Runtime>::get()
		}

		fn assignments(
			epoch: gonka_primitives::pow::EpochIndex,
			validator: AccountId,
		) -> Vec<pallet_gonka_sprint::Assignment<AccountId>> {
			Sprint::assignments(epoch, &validator)
		}

		fn sample_indices(
			epoch: gonka_primitives::pow::EpochIndex,
			validator: AccountId,
			target: AccountId,
		) -> Vec<u32> {
			Sprint::sample_indices_of(epoch, &validator, &target)
		}

		fn active_epoch() -> Option<gonka_primitives::pow::EpochIndex> {
			<Sprint as gonka_primitives::compute::ComputeWeights<AccountId>>::active_epoch()
		}

		fn weight_of(epoch: gonka_primitives::pow::EpochIndex, host: AccountId) -> u128 {
			<Sprint as gonka_primitives::compute::ComputeWeights<AccountId>>::weight_of(epoch, &host)
		}

		fn total_weight(epoch: gonka_primitives::pow::EpochIndex) -> u128 {
			<Sprint as gonka_primitives::compute::ComputeWeights<AccountId>>::total_weight(epoch)
		}

		fn commitment(
			epoch: gonka_primitives::pow::EpochIndex,
			host: AccountId,
		) -> Option<pallet_gonka_sprint::CommitmentRecord> {
			pallet_gonka_sprint::Commitments::<Runtime>::get(epoch, host)
		}

		fn count_limit(host: AccountId) -> u32 {
			Sprint::count_limit(&host)
		}

		fn genesis_hash() -> [u8; 32] {
			Sprint::genesis_hash()
		}
	}

	impl pallet_gonka_emission::runtime_api::EmissionApi<Block, AccountId> for Runtime {
		fn scheduled_reward(epoch: gonka_primitives::pow::EpochIndex) -> Balance {
			Emission::schedule().reward(epoch)
		}

		fn epoch_reward(
			epoch: gonka_primitives::pow::EpochIndex,
		) -> Option<pallet_gonka_emission::EpochReward> {
			pallet_gonka_emission::EpochRewards::<Runtime>::get(epoch)
		}

		fn totals() -> pallet_gonka_emission::EmissionTotals {
			Emission::api_totals()
		}

		fn claimable(who: AccountId, epoch: gonka_primitives::pow::EpochIndex) -> Balance {
			Emission::api_claimable(who, epoch)
		}

		fn claimable_epochs(who: AccountId) -> Vec<(gonka_primitives::pow::EpochIndex, Balance)> {
			Emission::api_claimable_epochs(who)
		}

		fn reward_per_weight(
			epoch: gonka_primitives::pow::EpochIndex,
		) -> Option<sp_runtime::FixedU128> {
			Emission::api_reward_per_weight(epoch)
		}
	}

	impl pallet_gonka_inference::runtime_api::InferenceApi<Block, AccountId, BlockNumber> for Runtime {
		fn session(
			id: pallet_gonka_inference::SessionId,
		) -> Option<pallet_gonka_inference::SessionView<AccountId, BlockNumber>> {
			Inference::api_session(id)
		}

		fn lane(
			id: pallet_gonka_inference::SessionId,
			slot: pallet_gonka_inference::SlotIndex,
		) -> Option<pallet_gonka_inference::Lane<AccountId>> {
			pallet_gonka_inference::Lanes::<Runtime>::get(id, slot)
		}

		fn quote(model: gonka_primitives::hosts::ModelId, in_tokens: u64, out_tokens: u64) -> Option<Balance> {
			Inference::api_quote(model, in_tokens, out_tokens)
		}

		fn assignments(
			validator: AccountId,
		) -> Vec<(pallet_gonka_inference::SessionId, pallet_gonka_inference::SlotIndex, u64)> {
			Inference::api_assignments(validator)
		}

		fn reputation(host: AccountId) -> pallet_gonka_inference::ReputationView {
			Inference::api_reputation(host)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}
}
