//! A mock runtime: System, the voting pallet, an in-memory poll registry standing in for
//! pallet-referenda and an in-memory `ComputeWeights`.

use crate::{self as pallet_compute_voting, *};
use alloc::collections::BTreeMap;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{PollStatus, Polling},
};
use gonka_primitives::pow::EpochIndex;
use sp_runtime::{BuildStorage, DispatchError};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Voting: pallet_compute_voting,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// A poll of the mock registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MockPoll {
	/// Ongoing, with its tally.
	Ongoing(ComputeTally<Test>),
	/// Decided.
	Completed(u64, bool),
}

thread_local! {
	/// The polls, by index.
	pub static POLLS: RefCell<BTreeMap<u32, MockPoll>> = const { RefCell::new(BTreeMap::new()) };
	/// (active epoch, weights by epoch and account).
	pub static WEIGHTS: RefCell<(Option<EpochIndex>, BTreeMap<EpochIndex, BTreeMap<u64, u128>>)> =
		const { RefCell::new((None, BTreeMap::new())) };
}

/// The in-memory polls.
pub struct TestPolls;
impl Polling<ComputeTally<Test>> for TestPolls {
	type Index = u32;
	type Votes = u128;
	type Class = ();
	type Moment = u64;

	fn classes() -> Vec<()> {
		vec![()]
	}

	fn as_ongoing(index: u32) -> Option<(ComputeTally<Test>, ())> {
		POLLS.with(|p| match p.borrow().get(&index) {
			Some(MockPoll::Ongoing(t)) => Some((t.clone(), ())),
			_ => None,
		})
	}

	fn access_poll<R>(
		index: u32,
		f: impl FnOnce(PollStatus<&mut ComputeTally<Test>, u64, ()>) -> R,
	) -> R {
		POLLS.with(|p| match p.borrow_mut().get_mut(&index) {
			Some(MockPoll::Ongoing(t)) => f(PollStatus::Ongoing(t, ())),
			Some(MockPoll::Completed(at, ok)) => f(PollStatus::Completed(*at, *ok)),
			None => f(PollStatus::None),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn create_ongoing(_: ()) -> Result<u32, ()> {
		let index = POLLS.with(|p| p.borrow().keys().next_back().map_or(0, |i| i + 1));
		open_poll(index);
		Ok(index)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn end_ongoing(index: u32, approved: bool) -> Result<(), ()> {
		complete_poll(index, approved);
		Ok(())
	}

	fn try_access_poll<R>(
		index: u32,
		f: impl FnOnce(PollStatus<&mut ComputeTally<Test>, u64, ()>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		Self::access_poll(index, f)
	}
}

/// The in-memory compute weights.
pub struct TestWeights;
impl ComputeWeights<u64> for TestWeights {
	fn active_epoch() -> Option<EpochIndex> {
		WEIGHTS.with(|w| w.borrow().0)
	}
	fn weight_of(epoch: EpochIndex, who: &u64) -> u128 {
		WEIGHTS.with(|w| w.borrow().1.get(&epoch).and_then(|e| e.get(who)).copied().unwrap_or(0))
	}
	fn total_weight(epoch: EpochIndex) -> u128 {
		WEIGHTS.with(|w| w.borrow().1.get(&epoch).map_or(0, |e| e.values().sum()))
	}
	/// The latest epoch up to the active one with positive total weight.
	fn voting_epoch() -> Option<EpochIndex> {
		let active = Self::active_epoch()?;
		WEIGHTS.with(|w| {
			w.borrow()
				.1
				.range(..=active)
				.rev()
				.find(|(_, e)| e.values().sum::<u128>() > 0)
				.map(|(epoch, _)| *epoch)
		})
	}
}

frame_support::parameter_types! {
	/// Votes re-weighed per block (small, to see the recount spread over blocks).
	pub static MaxRecountPerBlock: u32 = 2;
}

/// The electorate of the mock.
pub type Electorate = ActiveElectorate<TestWeights, u64>;

impl pallet_compute_voting::Config for Test {
	type ComputeWeights = TestWeights;
	type Electorate = Electorate;
	type Polls = TestPolls;
	type MaxRecountPerBlock = MaxRecountPerBlock;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestBenchmarkHelper;
}

/// Benchmark accounts get weight in epoch 0 of the in-memory weights.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<u64> for TestBenchmarkHelper {
	fn set_weight(who: &u64, weight: u128) {
		WEIGHTS.with(|w| {
			let mut w = w.borrow_mut();
			let epoch = w.0.unwrap_or(0);
			w.0 = Some(epoch);
			w.1.entry(epoch).or_default().insert(*who, weight);
		});
	}
}

/// Activates `epoch` with these weights (earlier epochs keep theirs).
pub fn set_weights(epoch: EpochIndex, weights: &[(u64, u128)]) {
	WEIGHTS.with(|w| {
		let mut w = w.borrow_mut();
		w.0 = Some(epoch);
		w.1.insert(epoch, weights.iter().copied().collect());
	});
}

/// Runs the voting pallet's `on_initialize` of the next `blocks` blocks.
pub fn run_blocks(blocks: u64) {
	use frame_support::traits::Hooks;
	for _ in 0..blocks {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Voting::on_initialize(next);
		Voting::do_try_state().expect("invariants hold at every block");
	}
}

/// Opens poll `index`.
pub fn open_poll(index: u32) {
	POLLS.with(|p| {
		p.borrow_mut().insert(index, MockPoll::Ongoing(ComputeTally::from_parts(0, 0, 0)))
	});
}

/// Decides poll `index`.
pub fn complete_poll(index: u32, approved: bool) {
	POLLS.with(|p| p.borrow_mut().insert(index, MockPoll::Completed(1, approved)));
}

/// The tally of an ongoing poll.
pub fn tally(index: u32) -> ComputeTally<Test> {
	TestPolls::as_ongoing(index).expect("ongoing").0
}

/// Externalities with hosts 1, 2, 3 holding weights 50, 30, 20 in epoch 7 and poll 0 open.
pub fn test_ext() -> sp_io::TestExternalities {
	POLLS.with(|p| p.borrow_mut().clear());
	WEIGHTS.with(|w| *w.borrow_mut() = (None, BTreeMap::new()));
	MaxRecountPerBlock::set(2);
	set_weights(7, &[(1, 50), (2, 30), (3, 20)]);
	open_poll(0);
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` in [`test_ext`]; the invariants are checked after it.
pub fn new_test_ext(test: impl FnOnce()) {
	test_ext().execute_with(|| {
		test();
		Voting::do_try_state().expect("invariants hold");
	});
}
