//! The epoch clock: which epoch and phase a block is in.
//!
//! The sprint pallet stores one [`EpochClock`] (set in the chain spec) and every phase decision
//! of the chain comes from [`EpochClock::position`]; workers read the same clock through the
//! sprint runtime API, so both sides agree on every boundary.
//!
//! Block `n` is in epoch `n / epoch_length`, at offset `o = n % epoch_length` (block 0, genesis,
//! is offset 0 of epoch 0). With `S = sprint_start`, `L = sprint_length`, `G = commit_grace`,
//! `V = validation_window`:
//!
//! | offset | phase |
//! |---|---|
//! | `[0, S)` | [`Phase::Waiting`] |
//! | `[S, S + L)` | [`Phase::Sprint`]: the seed is fixed at offset `S` |
//! | `[S + L, S + L + G)` | [`Phase::CommitGrace`] |
//! | `[S + L + G, S + L + G + V)` | [`Phase::Validation`] |
//! | `[S + L + G + V, epoch_length)` | [`Phase::Settlement`] |
//!
//! Commitments are accepted in `Sprint` and `CommitGrace`, verdicts in `Validation`. The
//! settlement of epoch `e` starts at offset `S + L + G + V` and its weights become active at the
//! first block of epoch `e + 1` (or as soon as settlement finishes, if it overruns).

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::pow::EpochIndex;

/// Where in its epoch a block lies.
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
)]
pub enum Phase {
	/// Before the sprint: GPUs serve inference; the previous epoch may still be settling.
	Waiting,
	/// The sprint: the seed is fixed, workers search nonces and may commit.
	Sprint,
	/// The grace after the sprint: commitments are still accepted (network latency, Merkle tree
	/// building), no new nonce is worth anything any more.
	CommitGrace,
	/// Validators fetch proofs and submit verdicts.
	Validation,
	/// Verdicts are tallied and weights computed, a bounded number of hosts per block; the
	/// result becomes active at the next epoch switch.
	Settlement,
}

/// The lengths, in blocks, that make up an epoch.
///
/// Production chains run one epoch a day with a five-minute sprint; dev and test chains a few
/// blocks of each phase.
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
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EpochClock {
	/// Blocks per epoch.
	pub epoch_length: u32,
	/// Offset in the epoch of the sprint's first block (at least 1, so that the previous epoch's
	/// weights are active before the seed is fixed).
	pub sprint_start: u32,
	/// Sprint length.
	pub sprint_length: u32,
	/// Blocks after the sprint in which commitments are still accepted.
	pub commit_grace: u32,
	/// Blocks of the validation phase.
	pub validation_window: u32,
}

/// Why an [`EpochClock`] cannot run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EpochClockError {
	/// `sprint_start`, `sprint_length` and `validation_window` must each be at least 1.
	ZeroPhase,
	/// The phases must end before the epoch does, leaving at least one settlement block.
	NoRoomForSettlement,
}

/// Position of a block in the epoch clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
	/// The epoch.
	pub epoch: EpochIndex,
	/// Offset of the block in its epoch.
	pub offset: u32,
	/// The phase.
	pub phase: Phase,
	/// Blocks left in the phase, counting this one.
	pub blocks_left: u32,
}

impl EpochClock {
	/// One epoch a day at 6-second blocks, a five-minute sprint, two minutes of grace, two hours
	/// of validation: the production shape.
	pub const PRODUCTION: EpochClock = EpochClock {
		epoch_length: 14_400,
		sprint_start: 10,
		sprint_length: 50,
		commit_grace: 20,
		validation_window: 1_200,
	};

	/// Checks the phases fit in the epoch.
	pub fn validate(&self) -> Result<(), EpochClockError> {
		if self.sprint_start == 0 || self.sprint_length == 0 || self.validation_window == 0 {
			return Err(EpochClockError::ZeroPhase);
		}
		match self.validation_end() {
			Some(end) if end < self.epoch_length => Ok(()),
			_ => Err(EpochClockError::NoRoomForSettlement),
		}
	}

	/// Offset at which commitments stop being accepted (saturating).
	pub fn commit_end(&self) -> u32 {
		self.sprint_start.saturating_add(self.sprint_length).saturating_add(self.commit_grace)
	}

	/// Offset at which the validation window closes and settlement may start (`None` on
	/// overflow).
	pub fn validation_end(&self) -> Option<u32> {
		self.sprint_start
			.checked_add(self.sprint_length)?
			.checked_add(self.commit_grace)?
			.checked_add(self.validation_window)
	}

	/// Offset at which settlement starts (saturating).
	pub fn settlement_start(&self) -> u32 {
		self.validation_end().unwrap_or(u32::MAX)
	}

	/// First block of `epoch`.
	pub fn epoch_start(&self, epoch: EpochIndex) -> u32 {
		epoch.saturating_mul(self.epoch_length)
	}

	/// Where block `n` lies.
	pub fn position(&self, n: u32) -> Position {
		let len = self.epoch_length.max(1);
		let epoch = n / len;
		let offset = n % len;
		let sprint_end = self.sprint_start.saturating_add(self.sprint_length);
		let commit = self.commit_end();
		let validation = self.settlement_start();
		let (phase, end) = if offset < self.sprint_start {
			(Phase::Waiting, self.sprint_start)
		} else if offset < sprint_end {
			(Phase::Sprint, sprint_end)
		} else if offset < commit {
			(Phase::CommitGrace, commit)
		} else if offset < validation {
			(Phase::Validation, validation)
		} else {
			(Phase::Settlement, len)
		};
		Position { epoch, offset, phase, blocks_left: end.saturating_sub(offset) }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const DEV: EpochClock = EpochClock {
		epoch_length: 40,
		sprint_start: 2,
		sprint_length: 10,
		commit_grace: 3,
		validation_window: 15,
	};

	#[test]
	fn phases_follow_the_table() {
		let p = |n| DEV.position(n);
		assert_eq!((p(0).phase, p(0).blocks_left), (Phase::Waiting, 2));
		assert_eq!((p(2).phase, p(2).blocks_left), (Phase::Sprint, 10));
		assert_eq!((p(11).phase, p(11).blocks_left), (Phase::Sprint, 1));
		assert_eq!((p(12).phase, p(12).blocks_left), (Phase::CommitGrace, 3));
		assert_eq!((p(15).phase, p(15).blocks_left), (Phase::Validation, 15));
		assert_eq!((p(30).phase, p(30).blocks_left), (Phase::Settlement, 10));
		assert_eq!((p(39).phase, p(39).blocks_left), (Phase::Settlement, 1));
		assert_eq!(p(40), Position { epoch: 1, offset: 0, phase: Phase::Waiting, blocks_left: 2 });
		assert_eq!(DEV.epoch_start(3), 120);
	}

	#[test]
	fn validation_rejects_clocks_that_cannot_run() {
		assert_eq!(DEV.validate(), Ok(()));
		assert_eq!(EpochClock::PRODUCTION.validate(), Ok(()));
		let zero = EpochClock { sprint_start: 0, ..DEV };
		assert_eq!(zero.validate(), Err(EpochClockError::ZeroPhase));
		let no_validation = EpochClock { validation_window: 0, ..DEV };
		assert_eq!(no_validation.validate(), Err(EpochClockError::ZeroPhase));
		// The phases exactly fill the epoch: no settlement block.
		let full = EpochClock { epoch_length: 30, ..DEV };
		assert_eq!(full.validate(), Err(EpochClockError::NoRoomForSettlement));
		let overflow = EpochClock { validation_window: u32::MAX, ..DEV };
		assert_eq!(overflow.validate(), Err(EpochClockError::NoRoomForSettlement));
	}
}
