//! The epoch clock of the chain: the [`EpochClock`] stored in [`crate::Clock`] (set in the chain
//! spec), applied by the pure functions of [`gonka_primitives::epoch`] (which has the phase table).
//!
//! The clock is fixed for the life of a chain: epoch numbers are `block / epoch_length`, so a
//! different length would renumber past epochs. Changing it takes a runtime migration that
//! re-anchors the epoch count.

use crate::{Clock, Config};
pub use gonka_primitives::epoch::{EpochClock, Position};
use gonka_primitives::pow::EpochIndex;

/// The chain's clock (one storage read: read it once per code path and use its methods).
pub fn clock<T: Config>() -> EpochClock {
	Clock::<T>::get()
}

/// Offset at which commitments stop being accepted.
pub fn commit_end<T: Config>() -> u32 {
	clock::<T>().commit_end()
}

/// First block of `epoch`.
pub fn epoch_start<T: Config>(epoch: EpochIndex) -> u32 {
	clock::<T>().epoch_start(epoch)
}

/// Where block `n` lies.
pub fn position<T: Config>(n: u32) -> Position {
	clock::<T>().position(n)
}
