//! The per-validator binomial test: how many mismatches an honest host may show.
//!
//! A validator checks `n` sampled leaves of a target. For an honest host every sample mismatches
//! independently with the *honest mismatch rate* `p_h` (float noise between the host's search
//! precision and the validator's f32 recomputation, see `docs/sprint-protocol.md` section 8), so
//! its mismatch count is `Binomial(n, p_h)`. The *critical value* `c(n)` is the smallest `c` with
//! `P(Binomial(n, p_h) > c) <= alpha`, where `alpha` (the *significance*) is the probability that
//! one validator wrongly finds an honest host invalid. A verdict is **valid iff
//! `mismatches <= c(samples_checked)`** (and the proofs were served).
//!
//! A host faking a fraction `f` of its nonces mismatches on at least a fraction `f` of samples
//! (a faked nonce fails recomputation), so a validator wrongly finds it valid with probability
//! `beta = P(Binomial(n, f) <= c(n))`. `n` (the sample size, `Config::SampleSize`) is chosen so
//! that `beta` is small for the fraud rate the network must catch; the committee majority then
//! drives both error rates down further (see the simulation test, `tests/simulation.rs`).
//!
//! Computed on chain in `FixedU128` (18 decimals), float-free: `pmf(0) = (1 - p)^n`,
//! `pmf(k + 1) = pmf(k) * (n - k) / (k + 1) * p / (1 - p)`, summing the CDF until
//! `1 - CDF(c) <= alpha`. `O(c(n))` multiplications; `(1 - p)^n` must stay well above `10^-18`,
//! which [`MAX_SAMPLE_SIZE`] and the `integrity_test` ensure for the configured rate.

use sp_runtime::{
	traits::{One, Saturating},
	FixedPointNumber, FixedU128, Perbill,
};

/// Largest sample size the pallet accepts in its configuration.
pub const MAX_SAMPLE_SIZE: u32 = 4096;

/// The critical value `c(n)` for `n` samples, honest mismatch rate `honest` and significance
/// `alpha` (see the module docs). `c(0) = 0`; an honest rate of zero gives zero (any mismatch
/// rejects); an honest rate of 100% gives `n`.
pub fn critical_value(n: u32, honest: Perbill, alpha: Perbill) -> u32 {
	if n == 0 || honest.is_zero() {
		return 0;
	}
	if honest == Perbill::one() {
		return n;
	}
	let p = FixedU128::from(honest);
	let q = FixedU128::one().saturating_sub(p);
	let ratio = p.div(q);
	let alpha = FixedU128::from(alpha);
	let mut pmf = q.saturating_pow(n as usize);
	let mut cdf = pmf;
	let mut c = 0u32;
	while c < n && FixedU128::one().saturating_sub(cdf) > alpha {
		pmf = pmf
			.saturating_mul(FixedU128::saturating_from_rational(n - c, c + 1))
			.saturating_mul(ratio);
		c += 1;
		cdf = cdf.saturating_add(pmf);
	}
	c
}

/// Smallest probability `(1 - honest)^n` the fixed-point computation starts from; the
/// configuration must keep it above `10^-12` so that the tail keeps six significant digits.
pub fn start_mass(n: u32, honest: Perbill) -> FixedU128 {
	FixedU128::one().saturating_sub(FixedU128::from(honest)).saturating_pow(n as usize)
}
