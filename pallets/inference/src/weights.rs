//! Weights of `pallet-gonka-inference`.
//!
//! HAND-DERIVED ESTIMATES pending a run of `frame-omni-bencher` on reference hardware (the
//! benchmarks in `benchmarking.rs` are ready for it), in the style of the other Gonka pallets:
//! storage read/write counts are exact worst cases, `ref_time` assumes ~25 µs per storage
//! access and ~60 µs per signature check, proof sizes the largest stored values (a session of
//! 16 slots is ~700 bytes, a host record ~400, a reputation window of 8 epochs ~330, a sample
//! ~200, an account's balance and holds ~250).
//!
//! Draws read a window of at most [`MAX_CANDIDATES`] hosts, four items each (host record,
//! reputation, the active epoch and the host's weight); samples name at most [`MAX_VALIDATORS`]
//! validators (both checked by the pallet's `integrity_test`).

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
};

use crate::{MAX_CANDIDATES, MAX_VALIDATORS};

/// Reads and proof bytes of one candidate in a draw.
const CANDIDATE_READS: u64 = 4;
const CANDIDATE_PROOF: u64 = 900;
/// Reads/writes and proof of one balance transfer from a hold (two accounts and their holds).
const TRANSFER_RW: u64 = 4;
const TRANSFER_PROOF: u64 = 500;
/// Reads/writes of a slash through the hosts registry (host record, holds, the pot).
const SLASH_RW: u64 = 3;

/// Weight functions needed by the inference pallet.
pub trait WeightInfo {
	/// `open_session` (a full candidate window and group draw).
	fn open_session() -> Weight;
	/// `top_up`.
	fn top_up() -> Weight;
	/// `close`, or closing at expiry.
	fn close() -> Weight;
	/// `claim` (dispatch).
	fn claim() -> Weight;
	/// Authorisation of `claim` (two signature checks).
	fn authorize_claim() -> Weight;
	/// `report_miss`.
	fn report_miss() -> Weight;
	/// `attest` (dispatch).
	fn attest() -> Weight;
	/// Authorisation of `attest` (one signature check).
	fn authorize_attest() -> Weight;
	/// Drawing samples and validators for `g` claimed lanes of `k` samples each.
	fn sample(g: u32, k: u32) -> Weight;
	/// Settling `g` lanes of `k` samples each.
	fn settle(g: u32, k: u32) -> Weight;
	/// Reading a block's agenda.
	fn agenda_base() -> Weight;
}

/// The formulas, for any database weight.
mod formulas {
	use super::*;

	fn draw(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(5_000_000 * MAX_CANDIDATES, CANDIDATE_PROOF * MAX_CANDIDATES)
			.saturating_add(db.reads(CANDIDATE_READS * MAX_CANDIDATES + 2))
	}
	pub fn open_session(db: RuntimeDbWeight) -> Weight {
		// Catalogue, SessionCount, NextSessionId, parent hash, draw; hold (2r 2w); Agenda r/w;
		// writes Sessions, SessionCount, NextSessionId, Totals.
		Weight::from_parts(60_000_000, 3_000)
			.saturating_add(draw(db))
			.saturating_add(db.reads(4 + 2 + 1 + 1))
			.saturating_add(db.writes(2 + 1 + 4))
	}
	pub fn top_up(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(30_000_000, 1_200)
			.saturating_add(db.reads(1 + 2 + 1))
			.saturating_add(db.writes(1 + 2 + 1))
	}
	pub fn close(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(20_000_000, 1_000)
			.saturating_add(db.reads(2))
			.saturating_add(db.writes(2))
	}
	pub fn claim(db: RuntimeDbWeight) -> Weight {
		// Sessions, Lanes; writes Sessions, Lanes.
		Weight::from_parts(25_000_000, 1_000)
			.saturating_add(db.reads(2))
			.saturating_add(db.writes(2))
	}
	pub fn authorize_claim(db: RuntimeDbWeight) -> Weight {
		// Sessions, worker key (2), genesis hash, Lanes; two signature checks.
		Weight::from_parts(150_000_000, 1_600).saturating_add(db.reads(5))
	}
	pub fn report_miss(db: RuntimeDbWeight) -> Weight {
		// Sessions, Misses, ActiveEpoch, Reputation; writes Misses, Reputation.
		Weight::from_parts(25_000_000, 1_400)
			.saturating_add(db.reads(4))
			.saturating_add(db.writes(2))
	}
	pub fn attest(db: RuntimeDbWeight) -> Weight {
		// Sessions, Samples; writes Samples, Assignments.
		Weight::from_parts(25_000_000, 1_000)
			.saturating_add(db.reads(2))
			.saturating_add(db.writes(2))
	}
	pub fn authorize_attest(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(90_000_000, 1_400).saturating_add(db.reads(5))
	}
	/// Distinct accounts a session of `g` lanes and `k` samples per lane can touch: its
	/// executors and validators, all from two candidate windows.
	fn accounts(g: u64, k: u64) -> u64 {
		(g * k * MAX_VALIDATORS + g).min(2 * MAX_CANDIDATES)
	}
	pub fn sample(db: RuntimeDbWeight, g: u32, k: u32) -> Weight {
		let (g, k) = (g as u64, k as u64);
		// Per lane: Lanes r/w and the executor's reputation (2r). Per sample: a Samples write and
		// an Assignments write per validator. Per validator account: its reputation (2r 1w).
		let per_lane = db
			.reads(3)
			.saturating_add(db.writes(1))
			.saturating_add(Weight::from_parts(2_000_000, 700 + 330));
		let per_sample =
			db.writes(1 + MAX_VALIDATORS).saturating_add(Weight::from_parts(3_000_000, 200));
		let per_account = db
			.reads(2)
			.saturating_add(db.writes(1))
			.saturating_add(Weight::from_parts(1_000_000, 330));
		Weight::from_parts(30_000_000, 2_000)
			.saturating_add(draw(db))
			.saturating_add(db.reads(2))
			.saturating_add(db.writes(3))
			.saturating_add(per_lane.saturating_mul(g))
			.saturating_add(per_sample.saturating_mul(g * k))
			.saturating_add(per_account.saturating_mul(accounts(g, k)))
	}
	pub fn settle(db: RuntimeDbWeight, g: u32, k: u32) -> Weight {
		let (g, k) = (g as u64, k as u64);
		// Per sample: the drained Samples entry and an Assignments removal per silent validator.
		let per_sample = db
			.reads(1)
			.saturating_add(db.writes(1 + MAX_VALIDATORS))
			.saturating_add(Weight::from_parts(3_000_000, 200));
		// Per lane: the drained Lanes entry and the executor's payment.
		let per_lane = db
			.reads(1 + TRANSFER_RW)
			.saturating_add(db.writes(1 + TRANSFER_RW))
			.saturating_add(Weight::from_parts(20_000_000, 700 + TRANSFER_PROOF));
		// Per account, once: its reputation (2r 1w), its earnings (1r 1w), a fee transfer and a
		// slash.
		let per_account = db
			.reads(3 + TRANSFER_RW + SLASH_RW)
			.saturating_add(db.writes(2 + TRANSFER_RW + SLASH_RW))
			.saturating_add(Weight::from_parts(32_000_000, 330 + 100 + TRANSFER_PROOF + 400));
		// Sessions, Misses prefix, the release (2r 2w), Totals, SessionCount.
		Weight::from_parts(40_000_000, 3_000)
			.saturating_add(db.reads(6))
			.saturating_add(db.writes(6))
			.saturating_add(per_lane.saturating_mul(g))
			.saturating_add(per_sample.saturating_mul(g * k))
			.saturating_add(per_account.saturating_mul(accounts(g, k)))
	}
	pub fn agenda_base(db: RuntimeDbWeight) -> Weight {
		Weight::from_parts(3_000_000, 500).saturating_add(db.reads(1)).saturating_add(db.writes(1))
	}
}

/// Estimates for the Gonka runtime, using its `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);

macro_rules! impl_weights {
	($db:expr) => {
		fn open_session() -> Weight {
			formulas::open_session($db)
		}
		fn top_up() -> Weight {
			formulas::top_up($db)
		}
		fn close() -> Weight {
			formulas::close($db)
		}
		fn claim() -> Weight {
			formulas::claim($db)
		}
		fn authorize_claim() -> Weight {
			formulas::authorize_claim($db)
		}
		fn report_miss() -> Weight {
			formulas::report_miss($db)
		}
		fn attest() -> Weight {
			formulas::attest($db)
		}
		fn authorize_attest() -> Weight {
			formulas::authorize_attest($db)
		}
		fn sample(g: u32, k: u32) -> Weight {
			formulas::sample($db, g, k)
		}
		fn settle(g: u32, k: u32) -> Weight {
			formulas::settle($db, g, k)
		}
		fn agenda_base() -> Weight {
			formulas::agenda_base($db)
		}
	};
}

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	impl_weights!(T::DbWeight::get());
}

/// For tests: the same formulas with `RocksDbWeight`.
impl WeightInfo for () {
	impl_weights!(RocksDbWeight::get());
}
