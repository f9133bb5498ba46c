//! Simulation of the sprint validation rule (plain Rust, no chain): with the default parameters,
//! how often is an honest host rejected, and how often is a host faking 5% of its nonces
//! accepted?
//!
//! Model. A validator checks `n = SampleSize = 1000` leaves of a target. Each sample of an honest
//! host mismatches independently with the honest rate `p_h = 2%` (bf16-vs-f32 noise, see
//! `docs/sprint-protocol.md` section 8); each sample of a host that faked a fraction `f = 5%` of
//! its leaves mismatches with probability at least `f` (a faked leaf always fails recomputation;
//! counting its genuine leaves' noise too gives `f + (1 - f) p_h = 6.9%`, which only helps).
//! The verdict is valid iff `mismatches <= c`, `c = critical_value(n, p_h, alpha = 1e-3)`, the
//! smallest `c` with `P(Bin(n, p_h) > c) <= alpha`. A committee of `m` distinct members, each
//! sampling independently (their indices depend on the validator), accepts iff more than half
//! say valid. All probabilities are exact binomial tails computed in f64 (log-space pmf).

use pallet_gonka_sprint::critical::critical_value;
use sp_runtime::Perbill;

const SAMPLES: u32 = 1000;
const HONEST: f64 = 0.02;
const ALPHA: f64 = 1e-3;
const FRAUD: f64 = 0.05;
/// The runtime's `CommitteeSize`.
const COMMITTEE: u32 = 9;

fn ln_factorials(n: u32) -> Vec<f64> {
	let mut t = vec![0.0f64; n as usize + 1];
	for i in 1..=n as usize {
		t[i] = t[i - 1] + (i as f64).ln();
	}
	t
}

/// `P(Bin(n, p) = k)`.
fn pmf(lf: &[f64], n: u32, k: u32, p: f64) -> f64 {
	let (n_, k_) = (n as usize, k as usize);
	(lf[n_] - lf[k_] - lf[n_ - k_] + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()).exp()
}

/// `P(Bin(n, p) > c)`, summed from the small end of the tail.
fn tail_above(lf: &[f64], n: u32, c: u32, p: f64) -> f64 {
	(c + 1..=n).map(|k| pmf(lf, n, k, p)).sum()
}

/// `P(Bin(n, p) <= c)`.
fn cdf(lf: &[f64], n: u32, c: u32, p: f64) -> f64 {
	(0..=c).map(|k| pmf(lf, n, k, p)).sum()
}

/// Smallest `c` with `P(Bin(n, p) > c) <= alpha`.
fn critical_f64(lf: &[f64], n: u32, p: f64, alpha: f64) -> u32 {
	(0..=n).find(|&c| tail_above(lf, n, c, p) <= alpha).unwrap_or(n)
}

/// Probability that more than half of `m` independent members say "valid", each with
/// probability `q`.
fn majority_valid(m: u32, q: f64) -> f64 {
	let lf = ln_factorials(m);
	(0..=m).filter(|&k| 2 * k > m).map(|k| if q == 0.0 { 0.0 } else { pmf(&lf, m, k, q) }).sum()
}

#[test]
fn honest_hosts_pass_and_five_percent_fakers_fail() {
	let lf = ln_factorials(SAMPLES);
	let c = critical_f64(&lf, SAMPLES, HONEST, ALPHA);
	// The runtime's fixed-point computation agrees with the f64 one.
	assert_eq!(
		critical_value(SAMPLES, Perbill::from_percent(2), Perbill::from_parts(1_000_000)),
		c
	);
	let alpha = tail_above(&lf, SAMPLES, c, HONEST);
	let beta = cdf(&lf, SAMPLES, c, FRAUD);
	let beta_noisy = cdf(&lf, SAMPLES, c, FRAUD + (1.0 - FRAUD) * HONEST);
	println!(
		"sample size {SAMPLES}, honest rate {HONEST}, significance {ALPHA}: critical value {c}"
	);
	println!(
		"one validator: P(reject honest) = {alpha:.3e}, P(accept 5% faker) = {beta:.3e} \
	          ({beta_noisy:.3e} counting the faker's own noise)"
	);
	for m in 1..=9 {
		println!(
			"committee of {m}: P(honest rejected) = {:.3e}, P(5% faker accepted) = {:.3e}",
			1.0 - majority_valid(m, 1.0 - alpha),
			majority_valid(m, beta)
		);
	}
	let honest_rejected = 1.0 - majority_valid(COMMITTEE, 1.0 - alpha);
	let faker_accepted = majority_valid(COMMITTEE, beta);
	println!(
		"DEFAULT (committee {COMMITTEE}): P(honest rejected) = {honest_rejected:.3e} (<= 1e-6), \
		 P(5% faker accepted) = {faker_accepted:.3e} (<= 1e-3)"
	);
	assert!(alpha <= ALPHA);
	assert!(honest_rejected <= 1e-6, "{honest_rejected}");
	assert!(faker_accepted <= 1e-3, "{faker_accepted}");
	// A bigger committee only helps.
	assert!(1.0 - majority_valid(11, 1.0 - alpha) <= honest_rejected);
	assert!(majority_valid(11, beta) <= faker_accepted);
}

/// The committee-capture bounds of `docs/sprint-security.md` (attack 3): a coalition holding a
/// share `q` of the validating weight seats a majority of a committee of `m` with probability
/// `P(Bin(m, q) > m/2)` at most (the chain draws without replacement, which only lowers it).
#[test]
fn committee_capture_bounds() {
	for m in [5u32, 7, 9, 15] {
		let row: Vec<String> = [0.05, 0.1, 0.2, 1.0 / 3.0, 0.4]
			.iter()
			.map(|q| format!("{:.2e}", majority_valid(m, *q)))
			.collect();
		println!("committee of {m}: P(capture) at q = 5%, 10%, 20%, 33%, 40%: {row:?}");
	}
	// The stated bounds for the runtime's committee of 9.
	assert!(majority_valid(COMMITTEE, 0.10) < 1e-3);
	assert!(majority_valid(COMMITTEE, 0.05) < 5e-5);
	assert!(majority_valid(COMMITTEE, 0.20) < 2.5e-2);
	// Against the committee of 5 it replaced: ten times harder at 10%.
	assert!(majority_valid(5, 0.10) > 9.0 * majority_valid(COMMITTEE, 0.10));
	// 100 sybil targets at q = 10%: at least one accepted with probability < 10%.
	let p = majority_valid(COMMITTEE, 0.10);
	assert!(1.0 - (1.0 - p).powi(100) < 0.1);
}

/// The binomial helpers against hand-checkable values.
#[test]
fn binomial_helpers_are_exact() {
	let lf = ln_factorials(10);
	// P(Bin(10, 0.5) = 5) = 252 / 1024.
	assert!((pmf(&lf, 10, 5, 0.5) - 252.0 / 1024.0).abs() < 1e-12);
	assert!((cdf(&lf, 10, 10, 0.3) - 1.0).abs() < 1e-12);
	// P(Bin(10, 0.02) > 2) = 8.6e-4, so c(10) = 2 at alpha 1e-3.
	assert_eq!(critical_f64(&lf, 10, 0.02, 1e-3), 2);
	// Majority of 3 with q = 0.5 is 0.5.
	assert!((majority_valid(3, 0.5) - 0.5).abs() < 1e-12);
}
