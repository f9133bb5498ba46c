//! Runtime benchmarks (feature `runtime-benchmarks`): which pallets are measured, and the
//! `frame_benchmarking::Benchmark` runtime API's two bodies.
//!
//! The runtime WASM built with this feature is `gonka-runtime-bench` (`runtime/bench`), and its
//! `gonka-bencher` binary runs the standard `benchmark pallet` command against it;
//! `scripts/bench/weights.sh` regenerates every `weights.rs` from those runs
//! (docs/benchmarks.md#weights). A pallet listed here gets `runtime/src/weights/<pallet>.rs`;
//! `runtime/bench/tests/coverage.rs` fails when a dispatchable of a listed pallet has no
//! benchmark, or when a pallet with calls is neither listed nor exempted there with a reason.

use alloc::{string::String, vec::Vec};
use frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkError, BenchmarkList};
use frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys};

use crate::*;

type SystemBench = frame_system_benchmarking::Pallet<Runtime>;
type SystemExtensionsBench = frame_system_benchmarking::extensions::Pallet<Runtime>;
type SessionBench = cumulus_pallet_session_benchmarking::Pallet<Runtime>;

frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench]
	[frame_system_extensions, SystemExtensionsBench]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_balances, Balances]
	[pallet_session, SessionBench]
	[pallet_timestamp, Timestamp]
	[pallet_message_queue, MessageQueue]
	[pallet_utility, Utility]
	[pallet_collator_selection, CollatorSelection]
	[cumulus_pallet_parachain_system, ParachainSystem]
	[cumulus_pallet_xcmp_queue, XcmpQueue]
	[cumulus_pallet_weight_reclaim, WeightReclaim]
	[pallet_gonka_hosts, Hosts]
	[pallet_gonka_sprint, Sprint]
	[pallet_gonka_emission, Emission]
	[pallet_gonka_inference, Inference]
	[pallet_scheduler, Scheduler]
	[pallet_preimage, Preimage]
	[pallet_referenda, Referenda]
	[pallet_gonka_compute_voting, ComputeVoting]
	[pallet_parameters, Parameters]
	[pallet_treasury, Treasury]
);

/// `set_code` must pass parachain-system's checks: a parachain stores new code as pending
/// validation code instead of writing `:code` (the relay chain's go-ahead enacts it).
impl frame_system_benchmarking::Config for Runtime {
	fn setup_set_code_requirements(code: &Vec<u8>) -> Result<(), BenchmarkError> {
		ParachainSystem::initialize_for_set_code_benchmark(code.len() as u32);
		Ok(())
	}

	fn verify_set_code() {
		System::assert_last_event(
			cumulus_pallet_parachain_system::Event::<Runtime>::ValidationFunctionStored.into(),
		);
	}
}

/// A collator's `set_keys` needs keys it can prove it owns (generated in the benchmark's keystore).
impl cumulus_pallet_session_benchmarking::Config for Runtime {
	fn generate_session_keys_and_proof(owner: AccountId) -> (SessionKeys, Vec<u8>) {
		use codec::Encode;
		let generated = SessionKeys::generate(&owner.encode(), None);
		(generated.keys, generated.proof.encode())
	}
}

impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

/// Body of `Benchmark::benchmark_metadata`: every benchmark of every listed pallet, and the
/// storage bounds (`MaxEncodedLen`) the weight writer turns into proof sizes.
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

/// Body of `Benchmark::dispatch_benchmark`: runs the benchmarks `config` selects. Keys every
/// block reads anyway (block number, weight, events…) are whitelisted: they are paid for once
/// per block, not per call.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	if batches.is_empty() {
		return Err(
			"no benchmark of this runtime matches the pallet and extrinsic asked for".into()
		);
	}
	Ok(batches)
}
