//! The GNK mining schedule: `R(e) = R0 * exp(-k * e)`, capped so that the rewards of all epochs
//! sum to exactly the mining allocation.
//!
//! # Definition
//!
//! The schedule is defined through its *cumulative* emission. With `q = exp(-k)`,
//!
//! ```text
//! C(n)      = min(A, floor(R0 * (1 - q^n) / (1 - q)))     (GNK of epochs 0 .. n-1)
//! reward(e) = C(e + 1) - C(e)
//! ```
//!
//! `R0 * (1 - q^n) / (1 - q)` is the exact sum `R0 * (1 + q + ... + q^(n-1))`, so `reward(e)` is
//! `R0 * q^e = R0 * exp(-k * e)` up to the flooring of `C`. Defining rewards as differences of
//! one capped function makes the sum of the rewards of epochs `0 ..= e` *telescope* to
//! `C(e + 1) <= A`: the allocation can never be exceeded, and once the uncapped geometric sum
//! crosses `A` (it converges to `R0 / (1 - q)`, slightly above `A` with the defaults) the epoch
//! that crosses it receives exactly what is left and every later epoch receives zero. Every
//! value is a pure function of the epoch index and the three parameters, so anyone can
//! recompute any epoch's reward from the chain's constants.
//!
//! # Fixed-point computation
//!
//! No floats: everything is integer arithmetic on `u128` with the fixed-point scale
//! [`SCALE`] = `10^30`, using `sp_arithmetic::helpers_128bit::multiply_by_rational_with_rounding`
//! (exact 256-bit intermediate products) and rounding down everywhere.
//!
//! 1. `q = exp(-k)` by its Taylor series `sum_i (-k)^i / i!` (`k <= 1` since `k` is a
//!    `Perquintill`, so the terms shrink by `k / i` and vanish after at most ~30 terms). Each
//!    term is rounded down once: `|q_fp - exp(-k)| <= 31 * 10^-30` (plus the series remainder,
//!    which is below the last non-zero term, itself < `10^-30`).
//! 2. `q^n` by binary exponentiation (at most `2 * 64` multiplications for any `u64` exponent,
//!    each rounded down by less than `10^-30`; all factors are `<= 1`, so errors do not grow):
//!    `|P(n) - q_fp^n| <= 128 * 10^-30`.
//! 3. `C(n) = floor(R0 * (SCALE - P(n)) / (SCALE - q_fp))`, exact up to the final floor.
//!
//! # Error bound
//!
//! With the error of `q_fp`, `|q_fp^n - exp(-k n)| <= n * 32 * 10^-30`. For the default
//! parameters (`R0 = 3.23 * 10^14` base units, `1 - q = 4.7489 * 10^-4`) the error of the real
//! value inside the floor of `C(n)` is at most
//! `R0 * (n * 32 + 128) * 10^-30 / (1 - q) ~= 6.8 * 10^17 * (n * 32 + 128) * 10^-30`,
//! i.e. below `10^-6` base units for `n <= 20,000` (the cap is reached at epoch 17,569) and
//! below `0.1` base unit even at `n = 2^32`, plus the relative error of `1 - q_fp`
//! (`< 10^-25`, i.e. `< 10^-7` base units on `C`). Hence, before the cap, **each epoch's reward differs from the
//! exact real `R0 * exp(-k * e)` by less than 1 base unit (10^-9 GNK)**, the two floors of
//! `C(e + 1)` and `C(e)` being the only visible rounding. The unit tests check this against an
//! `f64` reference at every epoch until exhaustion; against an 80-digit decimal reference the
//! maximum error over epochs `0 ..= 17,568` is 0.989 base units (at epoch 7,338).
//!
//! Monotonicity of `C` (needed for the telescoping sum to equal `A` rather than exceed it) holds
//! as long as `R0 * (q^n - q^(n+1)) / (1 - q) = R0 * q^n` dwarfs the errors above, i.e. for all
//! epochs before the cap with any sensible parameters; the tests check it for the defaults, and
//! the pallet additionally caps each committed epoch reward by what is left of the allocation,
//! so the allocation invariant never depends on it.
//!
//! # Cost
//!
//! About 30 multiplications for `q` and at most 128 for each `q^n`: a few tens of microseconds
//! in WASM, paid once per epoch settlement (claims read the stored reward).

use gonka_primitives::{pow::EpochIndex, Balance};
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, per_things::Rounding, PerThing, Perquintill,
};

/// Fixed-point scale of the schedule's arithmetic: `10^30` (30 decimal digits).
pub const SCALE: u128 = 1_000_000_000_000_000_000_000_000_000_000;

/// `a * b / c`, rounded down, `None` on overflow or `c == 0`.
fn mul_div(a: u128, b: u128, c: u128) -> Option<u128> {
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down)
}

/// Product of two fixed-point numbers `<= SCALE`, rounded down (never overflows).
fn fmul(a: u128, b: u128) -> u128 {
	// Both factors are <= SCALE, so the result is <= SCALE and fits.
	mul_div(a, b, SCALE).unwrap_or(0)
}

/// `exp(-k)` in [`SCALE`] fixed point, rounded down term by term (see the module docs).
pub fn exp_neg(k: Perquintill) -> u128 {
	// Perquintill has 10^18 parts; SCALE is 10^30.
	let k = (k.deconstruct() as u128) * (SCALE / (Perquintill::ACCURACY as u128));
	let (mut positive, mut negative, mut term) = (SCALE, 0u128, SCALE);
	// 64 terms are far more than enough: for k <= 1 the i-th term is <= 1/i! * SCALE, which is
	// zero (below 10^-30) from i = 29 on.
	for i in 1u128..=64 {
		term = mul_div(term, k, SCALE * i).unwrap_or(0);
		if term == 0 {
			break;
		}
		if i % 2 == 1 {
			negative += term;
		} else {
			positive += term;
		}
	}
	positive.saturating_sub(negative)
}

/// `q^n` in [`SCALE`] fixed point for `q <= SCALE`, by binary exponentiation.
pub fn pow(q: u128, mut n: u64) -> u128 {
	let (mut result, mut base) = (SCALE, q);
	while n > 0 {
		if n & 1 == 1 {
			result = fmul(result, base);
			if result == 0 {
				break;
			}
		}
		n >>= 1;
		if n > 0 {
			base = fmul(base, base);
		}
	}
	result
}

/// The exponential-decay schedule `R(e) = R0 * exp(-k e)` capped at an allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExponentialDecay {
	/// `R0`: the reward of epoch 0, in base units.
	pub initial_reward: Balance,
	/// `k`: the decay rate per epoch (`exp(-k)` is the ratio of consecutive rewards).
	pub decay_rate: Perquintill,
	/// `A`: the total of all epochs' rewards, in base units.
	pub allocation: Balance,
}

impl ExponentialDecay {
	/// A schedule with reward `initial_reward` at epoch 0, decay `decay_rate` per epoch, capped
	/// in total at `allocation`.
	pub const fn new(
		initial_reward: Balance,
		decay_rate: Perquintill,
		allocation: Balance,
	) -> Self {
		Self { initial_reward, decay_rate, allocation }
	}

	/// `q = exp(-k)` in [`SCALE`] fixed point.
	pub fn decay_factor(&self) -> u128 {
		exp_neg(self.decay_rate)
	}

	/// `C(n)` given `q`: the capped total reward of epochs `0 .. n`.
	fn cumulative_with(&self, q: u128, n: u64) -> Balance {
		if n == 0 {
			return 0;
		}
		let uncapped = if q >= SCALE {
			// k = 0: a constant reward.
			self.initial_reward.saturating_mul(n as u128)
		} else {
			// The quotient is at most R0 / (1 - q); on overflow it is certainly above any cap.
			mul_div(self.initial_reward, SCALE - pow(q, n), SCALE - q).unwrap_or(Balance::MAX)
		};
		uncapped.min(self.allocation)
	}

	/// `C(n)`: the total reward of epochs `0 .. n` (`n` epochs), at most the allocation.
	pub fn cumulative(&self, n: u64) -> Balance {
		self.cumulative_with(self.decay_factor(), n)
	}

	/// The reward of `epoch`: `C(epoch + 1) - C(epoch)`, i.e. `R0 * exp(-k * epoch)` within one
	/// base unit until the allocation runs out, then what is left, then zero.
	pub fn reward(&self, epoch: EpochIndex) -> Balance {
		let q = self.decay_factor();
		let e = epoch as u64;
		self.cumulative_with(q, e + 1).saturating_sub(self.cumulative_with(q, e))
	}

	/// The first epoch after which the whole allocation has been scheduled (the epoch that takes
	/// what is left), or `None` if that does not happen within `u32` epochs.
	pub fn exhaustion_epoch(&self) -> Option<EpochIndex> {
		let q = self.decay_factor();
		let reached = |e: u64| self.cumulative_with(q, e + 1) >= self.allocation;
		let (mut lo, mut hi) = (0u64, EpochIndex::MAX as u64);
		if !reached(hi) {
			return None;
		}
		// Smallest e with reached(e), by bisection (C is non-decreasing).
		while lo < hi {
			let mid = lo + (hi - lo) / 2;
			if reached(mid) {
				hi = mid;
			} else {
				lo = mid + 1;
			}
		}
		Some(lo as EpochIndex)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::defaults::*;

	fn default_schedule() -> ExponentialDecay {
		ExponentialDecay::new(INITIAL_REWARD, DECAY_RATE, MINING_ALLOCATION)
	}

	/// The f64 reference `R0 * exp(-k e)` in base units.
	fn reference(e: u32) -> f64 {
		INITIAL_REWARD as f64 * (-0.000475f64 * e as f64).exp()
	}

	#[test]
	fn decay_factor_matches_exp() {
		let q = default_schedule().decay_factor();
		let q_f64 = q as f64 / SCALE as f64;
		assert!((q_f64 - (-0.000475f64).exp()).abs() < 1e-15, "{q_f64}");
		// exp(-0.000475) = 0.999525112794640141741869873958601... (60-digit decimal reference).
		assert!(q.abs_diff(999_525_112_794_640_141_741_869_873_958) <= 40, "{q}");
		assert_eq!(exp_neg(Perquintill::zero()), SCALE);
		// exp(-1) = 0.367879441171442321595523770161...
		let e1 = exp_neg(Perquintill::one());
		assert!(e1.abs_diff(367_879_441_171_442_321_595_523_770_161) <= 40, "{e1}");
	}

	#[test]
	fn pow_is_exact_for_simple_factors() {
		let half = SCALE / 2;
		assert_eq!(pow(half, 0), SCALE);
		assert_eq!(pow(half, 1), half);
		assert_eq!(pow(half, 10), SCALE / 1024);
		assert_eq!(pow(SCALE, 1_000_000), SCALE);
		assert_eq!(pow(half, 200), 0);
	}

	#[test]
	fn rewards_at_key_epochs_match_the_f64_reference() {
		let s = default_schedule();
		for e in [0u32, 1, 1_460, 10_000] {
			let r = s.reward(e);
			let diff = (r as f64 - reference(e)).abs();
			assert!(diff <= 1.0, "epoch {e}: {r} vs {} (diff {diff})", reference(e));
		}
		// Exact values (base units) for the report and the docs.
		assert_eq!(s.reward(0), 323_000 * gonka_primitives::GNK);
		let r1460 = s.reward(1_460) as f64 / s.reward(0) as f64;
		assert!((r1460 - 0.4998).abs() < 1e-3, "about half after 1,460 epochs: {r1460}");
	}

	#[test]
	fn the_schedule_sums_to_the_allocation_and_stays_close_to_f64() {
		let s = default_schedule();
		let last = s.exhaustion_epoch().expect("the defaults exhaust the allocation");
		let mut total: Balance = 0;
		let mut prev = Balance::MAX;
		let mut max_err: f64 = 0.0;
		for e in 0..=last {
			let r = s.reward(e);
			assert!(r <= prev, "rewards never increase (epoch {e})");
			prev = r;
			total += r;
			if e < last {
				max_err = max_err.max((r as f64 - reference(e)).abs());
			}
		}
		assert_eq!(total, MINING_ALLOCATION, "sum up to exhaustion is the allocation");
		assert!(max_err <= 1.0, "max error {max_err}");
		assert!(s.reward(last) <= s.reward(last - 1));
		assert_eq!(s.reward(last + 1), 0);
		assert_eq!(s.reward(EpochIndex::MAX), 0);
		assert_eq!(s.cumulative(u64::MAX), MINING_ALLOCATION);
		// f64 reference of the exhaustion epoch: the smallest n with R0 (1 - q^n)/(1 - q) >= A.
		let q = (-0.000475f64).exp();
		let ratio = MINING_ALLOCATION as f64 * (1.0 - q) / INITIAL_REWARD as f64;
		let n = ((1.0 - ratio).ln() / q.ln()).ceil() as u32;
		assert_eq!(last + 1, n, "exhaustion epoch {last}");
		println!("exhaustion epoch {last}, last reward {}, max error {max_err}", s.reward(last));
	}

	#[test]
	fn constant_and_steep_schedules() {
		let flat = ExponentialDecay::new(100, Perquintill::zero(), 250);
		assert_eq!(
			(flat.reward(0), flat.reward(1), flat.reward(2), flat.reward(3)),
			(100, 100, 50, 0)
		);
		assert_eq!(flat.exhaustion_epoch(), Some(2));
		// k = 1: the infinite sum R0 / (1 - 1/e) = 1.582 R0 is below an allocation of 2 R0.
		let steep = ExponentialDecay::new(1_000_000, Perquintill::one(), 2_000_000);
		assert_eq!(steep.reward(0), 1_000_000);
		assert!(steep.reward(1).abs_diff(367_879) <= 1);
		assert_eq!(steep.exhaustion_epoch(), None);
		assert!(steep.cumulative(u64::MAX) <= 1_581_977);
	}
}
