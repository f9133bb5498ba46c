//! Benchmarks of `pallet-gonka-sprint` (frame-benchmarking v2).
//!
//! Worker keys are generated in the keystore the benchmark CLI provides, through
//! `Config::BenchmarkHelper` (the runtime's implementation registers an active host in the hosts
//! pallet), so signature checks are the real ones. Storage the calls only read is written
//! directly. Committee draws use a one-validator set built by the benchmark, so the measured
//! committee work is one chunk read and `CommitteeSize + 1` hashes; `weights.rs`
//! adds the worst case of one chunk read per draw analytically.

use super::*;
use crate::Pallet as Sprint;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, EnsureOrigin, Get},
};
use frame_system::RawOrigin;
use gonka_primitives::sprint::{commitment_payload, verdicts_payload};
use sp_application_crypto::RuntimeAppPublic;
use sp_core::H256;

/// Key of the validator set the benchmarks build (not [`GENESIS_SET`] nor [`FALLBACK_SET`]).
const BENCH_SET: EpochIndex = EpochIndex::MAX - 2;

fn params() -> PowParams {
	PowParams {
		dim: 64,
		layers: 2,
		heads: 4,
		kv_heads: 2,
		ffn_dim: 128,
		vocab: 256,
		seq_len: 16,
		rope_theta: 10_000,
		r_target: 1_356_000_000,
	}
}

fn go_to<T: Config>(epoch: EpochIndex, offset: u32) {
	let n = clock::epoch_start::<T>(epoch) + offset;
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// Epoch 0 with its sprint started and `validators` (weight 1 each) as its validator set.
fn sprint_with_validators<T: Config>(validators: &[T::AccountId]) {
	for (i, v) in validators.iter().enumerate() {
		Sprint::<T>::append_validator(BENCH_SET, i as u32, v.clone(), 1, i as u128 + 1);
	}
	ValidatorSource::<T>::put(BENCH_SET);
	Params::<T>::put(params());
	go_to::<T>(0, clock::clock::<T>().sprint_start);
	Sprint::<T>::start_sprint(0);
}

/// Store a commitment of `host` in `epoch` directly.
fn committed<T: Config>(epoch: EpochIndex, host: &T::AccountId, count: u32) {
	let index = ParticipantCount::<T>::get(epoch);
	Participants::<T>::insert(epoch, index, host);
	ParticipantCount::<T>::insert(epoch, index + 1);
	Commitments::<T>::insert(
		epoch,
		host,
		CommitmentRecord { count, merkle_root: H256::repeat_byte(1), submissions: 1 },
	);
}

/// A signed verdicts call by a fresh validator for `n` fresh targets, in its validation window.
fn verdicts_setup<T: Config>(n: u32) -> Call<T> {
	let validator: T::AccountId = account("validator", 0, 0);
	let key = T::BenchmarkHelper::register_host(&validator);
	sprint_with_validators::<T>(core::slice::from_ref(&validator));
	let count = T::SampleSize::get();
	let verdicts: Vec<(T::AccountId, ValidationVerdict)> = (0..n)
		.map(|i| {
			let target: T::AccountId = account("target", i, 0);
			committed::<T>(0, &target, count);
			(
				target,
				ValidationVerdict {
					samples_checked: count,
					mismatches: 1,
					proofs_not_served: false,
				},
			)
		})
		.collect();
	go_to::<T>(0, clock::commit_end::<T>());
	let signature = key
		.sign(&verdicts_payload(&Sprint::<T>::genesis_hash(), 0, &validator, &verdicts))
		.expect("in keystore");
	Call::<T>::submit_verdicts {
		epoch: 0,
		validator,
		verdicts: verdicts.try_into().expect("n <= MaxVerdictsPerCall"),
		signature,
	}
}

/// A signed commitment call by a fresh host whose first commitment it is.
fn commitment_setup<T: Config>() -> Call<T> {
	let host: T::AccountId = account("host", 0, 0);
	let key = T::BenchmarkHelper::register_host(&host);
	sprint_with_validators::<T>(&[]);
	let commitment = SprintCommitment { epoch: 0, count: 1_000, merkle_root: H256::repeat_byte(7) };
	let payload = commitment_payload(&Sprint::<T>::genesis_hash(), &commitment, 0, &host);
	let signature = key.sign(&payload).expect("in keystore");
	Call::<T>::submit_commitment { commitment, submission: 0, host, signature }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_pow_params() -> Result<(), BenchmarkError> {
		let origin =
			T::ParamsOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, params());
		assert_eq!(Params::<T>::get(), Some(params()));
		Ok(())
	}

	#[benchmark]
	fn submit_commitment() {
		let call = commitment_setup::<T>();
		let Call::submit_commitment { commitment, submission, host, signature } = call else {
			unreachable!()
		};
		#[extrinsic_call]
		_(RawOrigin::Authorized, commitment, submission, host.clone(), signature);
		assert!(Commitments::<T>::contains_key(0, &host));
	}

	#[benchmark]
	fn authorize_submit_commitment() -> Result<(), BenchmarkError> {
		let call = commitment_setup::<T>();
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("call has an authorisation")?
				.map_err(|_| "authorised")?;
		}
		Ok(())
	}

	#[benchmark]
	fn submit_verdicts(n: Linear<1, { T::MaxVerdictsPerCall::get() }>) {
		let call = verdicts_setup::<T>(n);
		let Call::submit_verdicts { epoch, validator, verdicts, signature } = call else {
			unreachable!()
		};
		#[extrinsic_call]
		_(RawOrigin::Authorized, epoch, validator.clone(), verdicts, signature);
		assert_eq!(Verdicts::<T>::iter_prefix((0,)).count() as u32, n);
	}

	#[benchmark]
	fn authorize_submit_verdicts(
		n: Linear<1, { T::MaxVerdictsPerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		let call = verdicts_setup::<T>(n);
		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("call has an authorisation")?
				.map_err(|_| "authorised")?;
		}
		Ok(())
	}

	/// `c` full validator chunks read one after another: what `c` committee draws cost at most
	/// (each draw reads at most one chunk, a different one in the worst case). Callers add this
	/// to the benchmarks above, which draw from a one-chunk set.
	#[benchmark]
	fn committee_chunks(c: Linear<1, { MaxChunks::<T>::get() }>) {
		let size = T::ChunkSize::get();
		let entries: Vec<T::AccountId> = (0..size).map(|j| account("validator", j, 0)).collect();
		for i in 0..c {
			let chunk: Vec<ValidatorEntry<T>> = entries
				.iter()
				.enumerate()
				.map(|(j, v)| (v.clone(), ((i * size) as u128 + j as u128 + 1)))
				.collect();
			ValidatorChunks::<T>::insert(
				BENCH_SET,
				i,
				frame_support::BoundedVec::truncate_from(chunk),
			);
		}
		let mut read = 0usize;
		#[block]
		{
			for i in 0..c {
				read += core::hint::black_box(ValidatorChunks::<T>::get(BENCH_SET, i)).len();
			}
		}
		assert_eq!(read, (c * size) as usize);
	}

	/// `on_initialize` in a block with nothing to do but look: the sprint already started, no
	/// activation pending, settlement not due, nothing to prune.
	#[benchmark]
	fn on_block_idle() {
		sprint_with_validators::<T>(&[]);
		let n = clock::epoch_start::<T>(0) + clock::clock::<T>().sprint_start;
		#[block]
		{
			Sprint::<T>::on_block(n);
		}
		assert!(Settlement::<T>::get().is_none());
	}

	#[benchmark]
	fn start_sprint() {
		Params::<T>::put(params());
		go_to::<T>(0, clock::clock::<T>().sprint_start);
		#[block]
		{
			Sprint::<T>::start_sprint(0);
		}
		assert!(Epochs::<T>::contains_key(0));
	}

	#[benchmark]
	fn settle_tally() {
		// A committee of `CommitteeSize` validators that all stayed silent: one `Missed` write
		// per member, and the host is rejected.
		let validators: Vec<T::AccountId> =
			(0..T::CommitteeSize::get()).map(|i| account("validator", i, 0)).collect();
		sprint_with_validators::<T>(&validators);
		let host: T::AccountId = account("host", 0, 0);
		committed::<T>(0, &host, 1_000);
		let info = Epochs::<T>::get(0).expect("started");
		let mut state = SettlementState {
			epoch: 0,
			stage: Stage::Tally,
			next: 0,
			uncapped_total: 0,
			total: 0,
			weighted: 0,
			proven: 0,
			rejected_proven: 0,
		};
		#[block]
		{
			Sprint::<T>::tally(&mut state, &info, host.clone());
		}
		assert!(Outcomes::<T>::contains_key(0, &host));
	}

	#[benchmark]
	fn settle_finalize() {
		// An accepted, capped and penalised host appended to the next validator set.
		let host: T::AccountId = account("host", 0, 0);
		Outcomes::<T>::insert(0, &host, Outcome::Accepted { weight: 1_000 });
		Missed::<T>::insert(0, &host, 1);
		let mut state = SettlementState {
			epoch: 0,
			stage: Stage::Finalize,
			next: 0,
			uncapped_total: 4_000,
			total: 0,
			weighted: 0,
			proven: 0,
			rejected_proven: 0,
		};
		#[block]
		{
			Sprint::<T>::finalize(&mut state, host.clone());
		}
		assert!(Weights::<T>::get(0, &host) > 0);
	}

	#[benchmark]
	fn activate() {
		let epoch = T::HistoryDepth::get() + 1;
		#[block]
		{
			Sprint::<T>::activate(epoch, 1_000);
		}
		assert_eq!(ActiveEpoch::<T>::get(), Some(epoch));
	}

	#[benchmark]
	fn prune_keys(k: Linear<1, { T::MaxPrunePerBlock::get() }>) {
		// `k` commitments (and participants) of epoch 0, queued for pruning.
		for i in 0..k {
			let host: T::AccountId = account("host", i, 0);
			committed::<T>(0, &host, 1);
		}
		Epochs::<T>::insert(
			0,
			EpochInfo { seed: H256::zero(), params: None, validator_set: GENESIS_SET },
		);
		PruneQueue::<T>::put(frame_support::BoundedVec::truncate_from(alloc::vec![0]));
		#[block]
		{
			Sprint::<T>::prune_step();
		}
	}

	impl_benchmark_test_suite!(Sprint, crate::mock::new_test_ext(), crate::mock::Test);
}
