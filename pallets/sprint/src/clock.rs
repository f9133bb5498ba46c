//! The epoch clock: which epoch and phase a block is in, computed from the configured lengths.
//!
//! Block `n` is in epoch `n / EpochLength`, at offset `o = n % EpochLength` (block 0, genesis, is
//! offset 0 of epoch 0). With `S = SprintStart`, `L = SprintLength`, `G = CommitGrace`,
//! `V = ValidationWindow`:
//!
//! | offset | phase |
//! |---|---|
//! | `[0, S)` | [`Phase::Waiting`] |
//! | `[S, S + L)` | [`Phase::Sprint`]: the seed is fixed at offset `S` |
//! | `[S + L, S + L + G)` | [`Phase::CommitGrace`] |
//! | `[S + L + G, S + L + G + V)` | [`Phase::Validation`] |
//! | `[S + L + G + V, EpochLength)` | [`Phase::Settlement`] |
//!
//! Commitments are accepted in `Sprint` and `CommitGrace`, verdicts in `Validation`. The
//! settlement of epoch `e` starts at offset `S + L + G + V` and its weights become active at the
//! first block of epoch `e + 1` (or as soon as settlement finishes, if it overruns).
//! `integrity_test` checks `S >= 1`, `L >= 1`, `V >= 1` and `S + L + G + V < EpochLength`.

use crate::{Config, Phase};
use frame_support::traits::Get;
use gonka_primitives::pow::EpochIndex;

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

/// Offset at which commitments stop being accepted.
pub fn commit_end<T: Config>() -> u32 {
	T::SprintStart::get() + T::SprintLength::get() + T::CommitGrace::get()
}

/// Offset at which the validation window closes and settlement may start.
pub fn validation_end<T: Config>() -> u32 {
	commit_end::<T>() + T::ValidationWindow::get()
}

/// First block of `epoch`.
pub fn epoch_start<T: Config>(epoch: EpochIndex) -> u32 {
	epoch.saturating_mul(T::EpochLength::get())
}

/// Where block `n` lies.
pub fn position<T: Config>(n: u32) -> Position {
	let len = T::EpochLength::get().max(1);
	let epoch = n / len;
	let offset = n % len;
	let sprint = T::SprintStart::get();
	let sprint_end = sprint + T::SprintLength::get();
	let commit = commit_end::<T>();
	let validation = validation_end::<T>();
	let (phase, end) = if offset < sprint {
		(Phase::Waiting, sprint)
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
