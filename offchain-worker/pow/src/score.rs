//! From a nonce's last-position logits to its distance to the epoch target.
//!
//! Done on the CPU in f64 with a fixed summation order, whatever device ran the model: the
//! device only has to agree on the logits (within float noise), never on a reduction order.

/// The distance of a nonce: permute the logits (`p[i] = logits[perm[i]]`), normalise `p` to unit
/// L2 norm, and return `||p / ||p|| - target||_2`, all sums taken in f64 in index order.
///
/// A degenerate output (all zeros, or not finite) gets distance `+inf`: never valid.
pub fn distance(logits: &[f32], perm: &[u32], target: &[f64]) -> f64 {
	debug_assert_eq!(logits.len(), perm.len());
	debug_assert_eq!(logits.len(), target.len());
	let mut norm2 = 0f64;
	for &j in perm {
		let x = logits[j as usize] as f64;
		norm2 += x * x;
	}
	let norm = libm::sqrt(norm2);
	if !(norm.is_finite() && norm > 0.0) {
		return f64::INFINITY;
	}
	let mut d2 = 0f64;
	for (&j, &t) in perm.iter().zip(target) {
		let diff = logits[j as usize] as f64 / norm - t;
		d2 += diff * diff;
	}
	libm::sqrt(d2)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn identical_direction_is_at_distance_zero() {
		let target = [0.6, 0.8];
		assert!(distance(&[3.0, 4.0], &[0, 1], &target) < 1e-12);
		// The permutation is applied before comparing.
		assert!(distance(&[4.0, 3.0], &[1, 0], &target) < 1e-12);
	}

	#[test]
	fn opposite_and_orthogonal_directions() {
		assert!((distance(&[-1.0, 0.0], &[0, 1], &[1.0, 0.0]) - 2.0).abs() < 1e-12);
		assert!((distance(&[0.0, 5.0], &[0, 1], &[1.0, 0.0]) - 2f64.sqrt()).abs() < 1e-12);
	}

	#[test]
	fn scale_does_not_matter_and_degenerate_outputs_never_win() {
		let t = [0.0, 1.0, 0.0];
		let a = distance(&[1.0, 2.0, 3.0], &[2, 0, 1], &t);
		let b = distance(&[10.0, 20.0, 30.0], &[2, 0, 1], &t);
		assert!((a - b).abs() < 1e-12);
		assert_eq!(distance(&[0.0; 3], &[0, 1, 2], &t), f64::INFINITY);
		assert_eq!(distance(&[f32::NAN, 1.0, 1.0], &[0, 1, 2], &t), f64::INFINITY);
	}
}
