//! The numeric recipe a model runs in: how weights are stored and which dtype activations use.

use std::fmt;
use std::str::FromStr;

use tch::{Device, Kind};

/// Weight storage and compute dtype, chosen per model (`--dtype`).
///
/// | precision | weights | activations | bytes/weight (SmolLM2 Q4_1 file) |
/// |---|---|---|---|
/// | `f32` | dequantised to `f32` | `f32` | 4 |
/// | `bf16` | dequantised, rounded to `bf16` | `bf16` | 2 |
/// | `f16` | dequantised, rounded to `f16` | `f16` | 2 |
/// | `q8` | requantised to int8, one scale per output row | `bf16` | ~1 |
/// | `native` | the file's own 4/8-bit blocks, scales in `bf16` | `bf16` | ~0.6 / ~1.1 |
///
/// Norms, softmax and the logits are computed in `f32` in every precision. `f32` is the
/// reference; the others trade exactness for speed and memory. A validator must compute in the
/// same precision as the executor: across precisions the distributions differ as much as a
/// substituted model's (measured in `docs/inference-validation.md`), so the on-chain catalogue
/// fixes one per model. `q8` and `native` are defined by libtorch's packed CPU kernels and are
/// refused on CUDA ([`crate::InferenceError::Unsupported`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
	/// Resolved at load time by [`Precision::resolve`].
	#[default]
	Auto,
	/// Dequantised `f32` weights and activations: the validation reference.
	F32,
	/// `bf16` weights and activations.
	Bf16,
	/// `f16` weights and activations (fast on CUDA; slow prefill on most CPUs).
	F16,
	/// int8 weights with per-row scales (`_weight_int8pack_mm`), `bf16` activations.
	Q8,
	/// The model file's own block quantisation (Q4_0/Q4_1/Q8_0), `bf16` activations.
	Native,
}

impl Precision {
	/// Every value `--dtype` accepts, in the order shown to users.
	pub const ALL: [Precision; 6] = [
		Precision::Auto,
		Precision::F32,
		Precision::Bf16,
		Precision::F16,
		Precision::Q8,
		Precision::Native,
	];

	/// The precision `Auto` stands for: `f32`, the one an `f32` validator accepts for every
	/// model at its calibrated threshold (`docs/inference-validation.md` measures the others).
	/// Any other value is returned as is.
	pub fn resolve(self) -> Precision {
		match self {
			Precision::Auto => Precision::F32,
			p => p,
		}
	}

	/// The dtype activations, caches and dense weights use.
	pub fn compute_kind(self) -> Kind {
		match self.resolve() {
			Precision::F32 | Precision::Auto => Kind::Float,
			Precision::Bf16 | Precision::Q8 | Precision::Native => Kind::BFloat16,
			Precision::F16 => Kind::Half,
		}
	}

	/// Whether block-quantised weights stay quantised on `device`.
	pub(crate) fn keeps_blocks(self, device: Device) -> bool {
		self.resolve() == Precision::Native && device == Device::Cpu
	}

	/// The name used on the command line and in logs.
	pub fn as_str(self) -> &'static str {
		match self {
			Precision::Auto => "auto",
			Precision::F32 => "f32",
			Precision::Bf16 => "bf16",
			Precision::F16 => "f16",
			Precision::Q8 => "q8",
			Precision::Native => "native",
		}
	}
}

impl fmt::Display for Precision {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.as_str())
	}
}

impl FromStr for Precision {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Precision::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
			let names: Vec<_> = Precision::ALL.iter().map(|p| p.as_str()).collect();
			format!("unknown precision {s:?}; expected one of {}", names.join(", "))
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_round_trip_and_unknown_ones_are_refused() {
		for p in Precision::ALL {
			assert_eq!(p.as_str().parse::<Precision>(), Ok(p));
		}
		let err = "int3".parse::<Precision>().unwrap_err();
		assert!(err.contains("auto, f32, bf16, f16, q8, native"), "{err}");
		assert_eq!(Precision::Auto.resolve(), Precision::F32);
		assert_eq!(Precision::Native.compute_kind(), Kind::BFloat16);
	}
}
