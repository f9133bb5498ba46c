//! Prometheus metrics of the daemon, served at `GET /metrics` next to the proof API, kept in a
//! `prometheus` registry of its own (one per daemon, so tests can run several in one process).

use axum::{extract::State, http::header, response::IntoResponse, routing::get, Router};
use prometheus::{
	Encoder, Gauge, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
	TextEncoder,
};
use std::sync::Arc;

/// Buckets of the paid-request latency histogram, in seconds: a short CPU completion takes a
/// fraction of a second, a long streamed one minutes.
const LATENCY_BUCKETS: [f64; 12] =
	[0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

/// Counters, gauges and histograms the daemon updates as it works (names `gonka_worker_*`).
pub struct Metrics {
	registry: Registry,
	/// Nonces tried in all sprints.
	pub nonces: IntCounter,
	/// Valid nonces found in all sprints.
	pub valid_nonces: IntCounter,
	/// Last sprint's search rate, in nonces per second.
	pub nonces_per_second: Gauge,
	/// Commitments accepted by the chain.
	pub commitments: IntCounter,
	/// Verdicts accepted by the chain.
	pub verdicts: IntCounter,
	/// Claims paid.
	pub claims: IntCounter,
	/// Errors (failed submissions, unreachable targets, chain errors).
	pub errors: IntCounter,
	/// The host's weight in the active epoch (saturated to i64).
	pub weight: IntGauge,
	/// The current epoch.
	pub epoch: IntGauge,
	/// Paid completions served (market).
	pub market_requests: IntCounter,
	/// Prompt and output tokens of paid completions.
	pub market_tokens: IntCounter,
	/// Seconds from admitting a paid completion to signing its receipt.
	pub market_latency: Histogram,
	/// Completion requests refused, by the error's `code` (`session_closed`,
	/// `voucher_missing`, `authorization_required`, ...).
	pub market_refusals: IntCounterVec,
	/// Requests forwarded to the executor of another host's slot.
	pub market_forwarded: IntCounter,
	/// Vouchers accepted from payers.
	pub market_vouchers: IntCounter,
	/// Vouchers claimed on chain.
	pub market_claims: IntCounter,
	/// Sampled leaves attested as a validator.
	pub market_validations: IntCounter,
	/// Sampled leaves attested invalid or withheld.
	pub market_condemned: IntCounter,
}

impl Default for Metrics {
	fn default() -> Self {
		let registry = Registry::new();
		fn reg<M: prometheus::core::Collector + Clone + 'static>(r: &Registry, m: M) -> M {
			r.register(Box::new(m.clone())).expect("metric names are unique");
			m
		}
		let counter = |name: &str, help: &str| {
			reg(&registry, IntCounter::new(name, help).expect("valid metric"))
		};
		let int_gauge = |name: &str, help: &str| {
			reg(&registry, IntGauge::new(name, help).expect("valid metric"))
		};
		Self {
			nonces: counter("gonka_worker_nonces_total", "Nonces tried"),
			valid_nonces: counter("gonka_worker_valid_nonces_total", "Valid nonces found"),
			nonces_per_second: reg(
				&registry,
				Gauge::new("gonka_worker_nonces_per_second", "Search rate of the last sprint")
					.expect("valid metric"),
			),
			commitments: counter(
				"gonka_worker_commitments_total",
				"Commitments accepted by the chain",
			),
			verdicts: counter("gonka_worker_verdicts_total", "Verdicts accepted by the chain"),
			claims: counter("gonka_worker_claims_total", "Claims paid"),
			errors: counter("gonka_worker_errors_total", "Errors"),
			weight: int_gauge("gonka_worker_weight", "Weight in the active epoch"),
			epoch: int_gauge("gonka_worker_epoch", "Current epoch"),
			market_requests: counter(
				"gonka_worker_market_requests_total",
				"Paid completions served",
			),
			market_tokens: counter(
				"gonka_worker_market_tokens_total",
				"Prompt and output tokens of paid completions",
			),
			market_latency: reg(
				&registry,
				Histogram::with_opts(
					HistogramOpts::new(
						"gonka_worker_market_request_seconds",
						"Seconds from admitting a paid completion to signing its receipt",
					)
					.buckets(LATENCY_BUCKETS.to_vec()),
				)
				.expect("valid metric"),
			),
			market_refusals: reg(
				&registry,
				IntCounterVec::new(
					Opts::new(
						"gonka_worker_market_refusals_total",
						"Completion requests refused, by error code",
					),
					&["code"],
				)
				.expect("valid metric"),
			),
			market_forwarded: counter(
				"gonka_worker_market_forwarded_total",
				"Requests forwarded to another host's slot",
			),
			market_vouchers: counter(
				"gonka_worker_market_vouchers_total",
				"Vouchers accepted from payers",
			),
			market_claims: counter("gonka_worker_market_claims_total", "Vouchers claimed on chain"),
			market_validations: counter(
				"gonka_worker_market_validations_total",
				"Sampled leaves attested",
			),
			market_condemned: counter(
				"gonka_worker_market_condemned_total",
				"Sampled leaves attested invalid or withheld",
			),
			registry,
		}
	}
}

impl Metrics {
	/// Counts a refused completion request under its error `code`.
	pub fn refused(&self, code: &str) {
		self.market_refusals.with_label_values(&[code]).inc();
	}

	/// The Prometheus text exposition.
	pub fn render(&self) -> String {
		let mut out = Vec::new();
		TextEncoder::new()
			.encode(&self.registry.gather(), &mut out)
			.expect("text encoding to memory does not fail");
		String::from_utf8(out).expect("the text format is UTF-8")
	}
}

/// `GET /metrics`.
pub fn router(metrics: Arc<Metrics>) -> Router {
	Router::new()
		.route(
			"/metrics",
			get(|State(m): State<Arc<Metrics>>| async move {
				([(header::CONTENT_TYPE, prometheus::TEXT_FORMAT)], m.render()).into_response()
			}),
		)
		.with_state(metrics)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn renders_prometheus_text_with_labels_and_histograms() {
		let m = Metrics::default();
		m.nonces.inc_by(1234);
		m.nonces_per_second.set(56.5);
		m.refused("session_closed");
		m.refused("session_closed");
		m.refused("voucher_missing");
		m.market_latency.observe(0.3);
		m.market_latency.observe(7.0);
		let text = m.render();
		assert!(text.contains(
			"# TYPE gonka_worker_nonces_total counter\ngonka_worker_nonces_total 1234\n"
		));
		assert!(text.contains("gonka_worker_nonces_per_second 56.5\n"));
		assert!(text.contains("gonka_worker_market_refusals_total{code=\"session_closed\"} 2\n"));
		assert!(text.contains("gonka_worker_market_refusals_total{code=\"voucher_missing\"} 1\n"));
		assert!(text.contains("gonka_worker_market_request_seconds_bucket{le=\"0.5\"} 1\n"));
		assert!(text.contains("gonka_worker_market_request_seconds_bucket{le=\"10\"} 2\n"));
		assert!(text.contains("gonka_worker_market_request_seconds_count 2\n"));
		// Two daemons in one process keep separate registries.
		assert!(!Metrics::default().render().contains("session_closed"));
	}
}
