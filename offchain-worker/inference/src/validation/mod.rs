//! Validation by re-execution: teacher-forced scoring, the acceptance rule, and the harness
//! used to calibrate per-model thresholds.

pub mod calibrate;
mod rule;
mod score;

pub use rule::{
	probes_for, similarity, validate, Rejection, ValidationParams, Verdict, DEFAULT_MIN_SIMILARITY,
};
pub use score::{teacher_force, ScoredToken};
