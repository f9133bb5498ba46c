//! The sprint's batch sizes are derived from the runtime's block limits (attack 10 of
//! `docs/sprint-security.md`): a full verdict batch (authorisation plus dispatch) and a block's
//! worth of settlement steps each declare at most a quarter of what a block may hold, in both
//! compute time and proof size, so a validator with many assignments always lands its verdicts
//! and settlement never crowds user transactions out of a block.

use frame_support::{dispatch::DispatchClass, traits::Get, weights::Weight};
use gonka_runtime::{configs::RuntimeBlockWeights, Runtime};
use pallet_gonka_sprint::WeightInfo;

type W = <Runtime as pallet_gonka_sprint::Config>::WeightInfo;
type Sprint = pallet_gonka_sprint::Pallet<Runtime>;

/// What `submit_verdicts` of `n` targets declares: authorisation plus dispatch, each with the
/// worst-case committee draws (their proof once: both read the same chunks in one block).
fn verdicts(n: u32) -> Weight {
	W::submit_verdicts(n)
		.saturating_add(W::authorize_submit_verdicts(n))
		.saturating_add(Sprint::committee_weight(n))
		.saturating_add(Weight::from_parts(Sprint::committee_weight(n).ref_time(), 0))
}

fn quarter(w: Weight) -> Weight {
	Weight::from_parts(w.ref_time() / 4, w.proof_size() / 4)
}

#[test]
fn a_full_verdict_batch_fits_a_quarter_of_a_normal_extrinsic() {
	let n: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxVerdictsPerCall::get();
	let declared = verdicts(n);
	let limits = RuntimeBlockWeights::get();
	let max_extrinsic =
		limits.get(DispatchClass::Normal).max_extrinsic.expect("normal extrinsics are limited");
	assert!(
		declared.all_lte(quarter(max_extrinsic)),
		"{n} verdicts declare {declared:?}, a quarter of a normal extrinsic is {:?}",
		quarter(max_extrinsic)
	);
	// And the next size up would still fit the extrinsic (the bound is not absurdly small).
	assert!(verdicts(n * 2).all_lte(max_extrinsic));
}

#[test]
fn a_block_of_settlement_steps_fits_a_quarter_of_a_block() {
	let steps: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxSettlePerBlock::get();
	let declared = Sprint::settle_steps_weight(steps, 0)
		.max(Sprint::settle_steps_weight(0, steps))
		.saturating_add(Sprint::activate_weight());
	let max_block = RuntimeBlockWeights::get().max_block;
	assert!(
		declared.all_lte(quarter(max_block)),
		"{steps} settlement steps declare {declared:?}, a quarter of a block is {:?}",
		quarter(max_block)
	);
	// 10,000 hosts settle in two passes well within a production day's settlement phase.
	let blocks = 2 * 10_000u32.div_ceil(steps);
	let clock = gonka_primitives::epoch::EpochClock::PRODUCTION;
	let settlement = clock.epoch_length - clock.settlement_start();
	assert!(blocks < settlement / 2, "{blocks} settlement blocks of {settlement}");
}

#[test]
fn settlement_and_pruning_in_one_block_fit_half_a_block() {
	// Pruning runs whenever an epoch leaves the history, settlement phase included.
	let steps: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxSettlePerBlock::get();
	let prune: u32 = <Runtime as pallet_gonka_sprint::Config>::MaxPrunePerBlock::get();
	let declared = Sprint::settle_steps_weight(steps, 0)
		.saturating_add(Sprint::activate_weight())
		.saturating_add(W::on_block_idle())
		.saturating_add(W::prune_keys(prune + 9));
	let max_block = RuntimeBlockWeights::get().max_block;
	let half = Weight::from_parts(max_block.ref_time() / 2, max_block.proof_size() / 2);
	assert!(declared.all_lte(half), "{declared:?} above half a block, {half:?}");
}

#[test]
fn committee_size_is_within_what_the_weights_account_for() {
	let size: u32 = <Runtime as pallet_gonka_sprint::Config>::CommitteeSize::get();
	assert!(size as u64 <= pallet_gonka_sprint::MAX_COMMITTEE_SIZE);
	assert_eq!(size % 2, 1, "odd committees have no ties");
}
