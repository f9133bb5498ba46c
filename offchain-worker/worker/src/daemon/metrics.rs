//! Prometheus metrics of the daemon, served at `GET /metrics` next to the proof API.

use axum::{extract::State, routing::get, Router};
use std::sync::{
	atomic::{AtomicU64, Ordering::Relaxed},
	Arc,
};

/// Counters and gauges the daemon updates as it works.
#[derive(Default)]
pub struct Metrics {
	/// Nonces tried in all sprints.
	pub nonces: AtomicU64,
	/// Valid nonces found in all sprints.
	pub valid_nonces: AtomicU64,
	/// Last sprint's search rate, in milli-nonces per second.
	pub nonces_per_second_milli: AtomicU64,
	/// Commitments accepted by the chain.
	pub commitments: AtomicU64,
	/// Verdicts accepted by the chain.
	pub verdicts: AtomicU64,
	/// Claims paid.
	pub claims: AtomicU64,
	/// Errors (failed submissions, unreachable targets, chain errors).
	pub errors: AtomicU64,
	/// The host's weight in the active epoch (saturated to u64).
	pub weight: AtomicU64,
	/// The current epoch.
	pub epoch: AtomicU64,
	/// Paid completions served (market).
	pub market_requests: AtomicU64,
	/// Prompt and output tokens of paid completions.
	pub market_tokens: AtomicU64,
	/// Completion requests refused (no/closed/exhausted session, unpaid lane, busy lane...).
	pub market_refusals: AtomicU64,
	/// Requests forwarded to the executor of another host's slot.
	pub market_forwarded: AtomicU64,
	/// Vouchers accepted from payers.
	pub market_vouchers: AtomicU64,
	/// Vouchers claimed on chain.
	pub market_claims: AtomicU64,
	/// Sampled leaves attested as a validator.
	pub market_validations: AtomicU64,
	/// Sampled leaves attested invalid or withheld.
	pub market_condemned: AtomicU64,
}

impl Metrics {
	/// The Prometheus text exposition.
	pub fn render(&self) -> String {
		fn m(
			name: &'static str,
			help: &'static str,
			v: &AtomicU64,
		) -> (&'static str, &'static str, &'static str, u64) {
			(name, "counter", help, v.load(Relaxed))
		}
		let rows: [(&str, &str, &str, u64); 17] = [
			("gonka_worker_nonces_total", "counter", "Nonces tried", self.nonces.load(Relaxed)),
			(
				"gonka_worker_valid_nonces_total",
				"counter",
				"Valid nonces found",
				self.valid_nonces.load(Relaxed),
			),
			(
				"gonka_worker_commitments_total",
				"counter",
				"Commitments accepted by the chain",
				self.commitments.load(Relaxed),
			),
			(
				"gonka_worker_verdicts_total",
				"counter",
				"Verdicts accepted by the chain",
				self.verdicts.load(Relaxed),
			),
			("gonka_worker_claims_total", "counter", "Claims paid", self.claims.load(Relaxed)),
			("gonka_worker_errors_total", "counter", "Errors", self.errors.load(Relaxed)),
			(
				"gonka_worker_weight",
				"gauge",
				"Weight in the active epoch",
				self.weight.load(Relaxed),
			),
			("gonka_worker_epoch", "gauge", "Current epoch", self.epoch.load(Relaxed)),
			(
				"gonka_worker_nonces_per_second",
				"gauge",
				"Search rate of the last sprint",
				self.nonces_per_second_milli.load(Relaxed) / 1000,
			),
			m(
				"gonka_worker_market_requests_total",
				"Paid completions served",
				&self.market_requests,
			),
			m(
				"gonka_worker_market_tokens_total",
				"Prompt and output tokens of paid completions",
				&self.market_tokens,
			),
			m(
				"gonka_worker_market_refusals_total",
				"Completion requests refused",
				&self.market_refusals,
			),
			m(
				"gonka_worker_market_forwarded_total",
				"Requests forwarded to another host's slot",
				&self.market_forwarded,
			),
			m(
				"gonka_worker_market_vouchers_total",
				"Vouchers accepted from payers",
				&self.market_vouchers,
			),
			m("gonka_worker_market_claims_total", "Vouchers claimed on chain", &self.market_claims),
			m(
				"gonka_worker_market_validations_total",
				"Sampled leaves attested",
				&self.market_validations,
			),
			m(
				"gonka_worker_market_condemned_total",
				"Sampled leaves attested invalid or withheld",
				&self.market_condemned,
			),
		];
		let mut out = String::new();
		for (name, kind, help, value) in rows {
			out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"));
		}
		out
	}
}

/// `GET /metrics`.
pub fn router(metrics: Arc<Metrics>) -> Router {
	Router::new()
		.route("/metrics", get(|State(m): State<Arc<Metrics>>| async move { m.render() }))
		.with_state(metrics)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn renders_prometheus_text() {
		let m = Metrics::default();
		m.nonces.store(1234, Relaxed);
		m.nonces_per_second_milli.store(56_789, Relaxed);
		let text = m.render();
		assert!(text.contains(
			"# TYPE gonka_worker_nonces_total counter\ngonka_worker_nonces_total 1234\n"
		));
		assert!(text.contains("gonka_worker_nonces_per_second 56\n"));
	}
}
