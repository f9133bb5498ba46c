//! The validation rule: does a validator's re-execution agree with an executor's report?
//!
//! Derivation and measured thresholds are in `docs/inference-validation.md`. In short: tokens
//! and length must match exactly (the validator forced the executor's tokens, so a mismatch
//! means the report is internally inconsistent); the distributions are compared through the
//! total-variation distance restricted to the executor's reported top-k tokens, averaged over
//! positions. Working in probability space makes the statistic insensitive to the large but
//! irrelevant log-prob noise of very unlikely tokens, and bounded in [0, 1].

use crate::sampling::TokenLogprob;

use super::score::ScoredToken;

/// Per-model acceptance parameters (from the on-chain catalogue).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidationParams {
	/// Minimum accepted similarity in [0, 1].
	pub min_similarity: f64,
	/// Minimum number of reported alternatives per position the executor must provide.
	pub min_top_logprobs: usize,
}

impl Default for ValidationParams {
	/// The threshold calibrated for SmolLM2-135M-Instruct Q4_1 on CPU (see the docs).
	fn default() -> Self {
		Self { min_similarity: DEFAULT_MIN_SIMILARITY, min_top_logprobs: 5 }
	}
}

/// Calibrated threshold: honest re-executions scored >= 0.9999 in our measurements and every
/// substituted model (re-quantised Q8_0/Q4_0, perturbed weights) scored <= 0.99.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.998;

/// Why an executor's output was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Rejection {
	/// Different number of tokens.
	#[error("length mismatch: executor reported {executor} tokens, validator scored {validator}")]
	LengthMismatch {
		/// Executor's token count.
		executor: usize,
		/// Validator's token count.
		validator: usize,
	},
	/// A token differs.
	#[error("token mismatch at position {position}: executor {executor}, validator {validator}")]
	TokenMismatch {
		/// Position in the output.
		position: usize,
		/// Executor's token.
		executor: u32,
		/// Validator's token.
		validator: u32,
	},
	/// The executor reported too few alternatives, or the validator lacks probes for them.
	#[error("position {position} has {got} comparable log-probabilities, need {need}")]
	MissingLogprobs {
		/// Position in the output.
		position: usize,
		/// How many were available.
		got: usize,
		/// How many are required.
		need: usize,
	},
	/// The distributions differ more than the model's tolerance.
	#[error("similarity {similarity:.6} is below the threshold {threshold:.6}")]
	LowSimilarity {
		/// Measured similarity.
		similarity: f64,
		/// Required minimum.
		threshold: f64,
	},
}

/// Result of comparing two reports: the similarity and, if rejected, why.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
	/// Similarity in [0, 1] (1 = identical distributions); 0 when structure checks failed.
	pub similarity: f64,
	/// `None` if the output is accepted.
	pub rejection: Option<Rejection>,
}

impl Verdict {
	/// Whether the executor's output is accepted.
	pub fn is_valid(&self) -> bool {
		self.rejection.is_none()
	}
}

/// Mean over positions of `1 - TV_t`, where `TV_t = 1/2 * sum_{i in S_t} |p_e(i) - p_v(i)|`
/// over the executor's reported tokens `S_t` (its top-k plus the chosen token).
/// Fails with the first structural problem found.
pub fn similarity(
	executor: &[TokenLogprob],
	validator: &[ScoredToken],
	min_top: usize,
) -> Result<f64, Rejection> {
	if executor.len() != validator.len() {
		return Err(Rejection::LengthMismatch {
			executor: executor.len(),
			validator: validator.len(),
		});
	}
	if executor.is_empty() {
		return Ok(1.0);
	}
	let mut total = 0.0f64;
	for (position, (e, v)) in executor.iter().zip(validator).enumerate() {
		if e.token != v.token {
			return Err(Rejection::TokenMismatch {
				position,
				executor: e.token,
				validator: v.token,
			});
		}
		if e.top.len() < min_top {
			return Err(Rejection::MissingLogprobs { position, got: e.top.len(), need: min_top });
		}
		let mut tv = 0.0f64;
		let mut seen_chosen = false;
		for &(id, lp_e) in &e.top {
			let Some(&(_, lp_v)) = v.probes.iter().find(|(pid, _)| *pid == id) else {
				return Err(Rejection::MissingLogprobs {
					position,
					got: v.probes.len(),
					need: e.top.len(),
				});
			};
			tv += (f64::from(lp_e).exp() - f64::from(lp_v).exp()).abs();
			seen_chosen |= id == e.token;
		}
		if !seen_chosen {
			tv += (f64::from(e.logprob).exp() - f64::from(v.logprob).exp()).abs();
		}
		total += 1.0 - (0.5 * tv).min(1.0);
	}
	Ok(total / executor.len() as f64)
}

/// Applies the rule: structure must match exactly and similarity must reach the threshold.
pub fn validate(
	executor: &[TokenLogprob],
	validator: &[ScoredToken],
	params: &ValidationParams,
) -> Verdict {
	match similarity(executor, validator, params.min_top_logprobs) {
		Err(r) => Verdict { similarity: 0.0, rejection: Some(r) },
		Ok(s) if s < params.min_similarity => Verdict {
			similarity: s,
			rejection: Some(Rejection::LowSimilarity {
				similarity: s,
				threshold: params.min_similarity,
			}),
		},
		Ok(s) => Verdict { similarity: s, rejection: None },
	}
}

/// The probe ids a validator must score for an executor's report: its reported alternatives.
pub fn probes_for(executor: &[TokenLogprob]) -> Vec<Vec<u32>> {
	executor.iter().map(|t| t.top.iter().map(|&(id, _)| id).collect()).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn exec(token: u32, top: &[(u32, f32)]) -> TokenLogprob {
		let logprob = top.iter().find(|t| t.0 == token).map(|t| t.1).unwrap_or(-9.0);
		TokenLogprob { token, logprob, top: top.to_vec() }
	}

	fn val(token: u32, probes: &[(u32, f32)]) -> ScoredToken {
		let logprob = probes.iter().find(|t| t.0 == token).map(|t| t.1).unwrap_or(-9.0);
		ScoredToken { token, logprob, top: probes.to_vec(), probes: probes.to_vec() }
	}

	const P: ValidationParams = ValidationParams { min_similarity: 0.99, min_top_logprobs: 2 };

	#[test]
	fn identical_reports_have_similarity_one() {
		let top = [(5, -0.1f32), (7, -2.5)];
		let v = validate(&[exec(5, &top)], &[val(5, &top)], &P);
		assert!(v.is_valid());
		assert!((v.similarity - 1.0).abs() < 1e-12);
	}

	#[test]
	fn shifted_distribution_is_rejected_with_its_similarity() {
		let e = [exec(5, &[(5, (0.9f32).ln()), (7, (0.1f32).ln())])];
		let v = [val(5, &[(5, (0.6f32).ln()), (7, (0.4f32).ln())])];
		let verdict = validate(&e, &v, &P);
		assert!((verdict.similarity - 0.7).abs() < 1e-6, "{}", verdict.similarity);
		assert!(matches!(verdict.rejection, Some(Rejection::LowSimilarity { .. })));
	}

	#[test]
	fn structural_mismatches_are_named() {
		let top = [(5, -0.1f32), (7, -2.5)];
		let v = validate(&[exec(5, &top)], &[], &P);
		assert_eq!(v.rejection, Some(Rejection::LengthMismatch { executor: 1, validator: 0 }));
		let v = validate(&[exec(5, &top)], &[val(7, &top)], &P);
		assert!(matches!(v.rejection, Some(Rejection::TokenMismatch { position: 0, .. })));
		let v = validate(&[exec(5, &top[..1])], &[val(5, &top)], &P);
		assert!(matches!(v.rejection, Some(Rejection::MissingLogprobs { .. })));
	}
}
