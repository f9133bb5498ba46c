//! Choosing where and in which precision the model runs, at run time.
//!
//! One binary serves every host: CUDA in bf16 (or f16) when a GPU is present, the CPU in f32
//! otherwise. Validators recompute sampled nonces in f32 whatever they search with, so that only
//! the host's rounding noise counts against the protocol tolerance.

use std::str::FromStr;
use tch::{Device, Kind};

/// Why the requested device or precision cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeviceError {
	/// CUDA was requested but libtorch sees no GPU (or was built without CUDA).
	#[error("CUDA was requested but no CUDA device is available")]
	CudaUnavailable,
	/// A half-precision type on the CPU (slow and not what the protocol tolerance is set for).
	#[error("{0:?} is only supported on CUDA; the CPU computes in f32")]
	HalfOnCpu(Kind),
	/// The text names no device.
	#[error("unknown device `{0}` (expected auto, cpu, cuda or cuda:N)")]
	UnknownDevice(String),
	/// The text names no precision.
	#[error("unknown dtype `{0}` (expected auto, f32, bf16 or f16)")]
	UnknownDtype(String),
}

/// Which device the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
	/// CUDA device 0 when present, else the CPU.
	Auto,
	/// The CPU.
	Cpu,
	/// A given CUDA device.
	Cuda(usize),
}

impl FromStr for DeviceChoice {
	type Err = DeviceError;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s {
			"auto" => Ok(Self::Auto),
			"cpu" => Ok(Self::Cpu),
			"cuda" => Ok(Self::Cuda(0)),
			other => other
				.strip_prefix("cuda:")
				.and_then(|n| n.parse().ok())
				.map(Self::Cuda)
				.ok_or_else(|| DeviceError::UnknownDevice(other.to_string())),
		}
	}
}

/// Which precision the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DtypeChoice {
	/// bf16 on CUDA, f32 on the CPU.
	Auto,
	/// f32 everywhere (validation).
	F32,
	/// bf16 (CUDA only).
	Bf16,
	/// f16 (CUDA only, for GPUs without bf16).
	F16,
}

impl FromStr for DtypeChoice {
	type Err = DeviceError;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s {
			"auto" => Ok(Self::Auto),
			"f32" => Ok(Self::F32),
			"bf16" => Ok(Self::Bf16),
			"f16" => Ok(Self::F16),
			other => Err(DeviceError::UnknownDtype(other.to_string())),
		}
	}
}

/// A device and the float kind the model computes in there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComputeDevice {
	/// Where tensors live.
	pub device: Device,
	/// Float kind of weights and activations.
	pub kind: Kind,
}

impl ComputeDevice {
	/// The CPU in f32: the reference configuration, and what tests use.
	pub fn cpu() -> Self {
		Self { device: Device::Cpu, kind: Kind::Float }
	}

	/// Resolves the user's choices against what this machine has.
	pub fn select(device: DeviceChoice, dtype: DtypeChoice) -> Result<Self, DeviceError> {
		let device = match device {
			DeviceChoice::Auto if tch::Cuda::is_available() => Device::Cuda(0),
			DeviceChoice::Auto | DeviceChoice::Cpu => Device::Cpu,
			DeviceChoice::Cuda(n)
				if tch::Cuda::is_available() && (n as i64) < tch::Cuda::device_count() =>
			{
				Device::Cuda(n)
			},
			DeviceChoice::Cuda(_) => return Err(DeviceError::CudaUnavailable),
		};
		let kind = match (device, dtype) {
			(Device::Cpu, DtypeChoice::Auto | DtypeChoice::F32) => Kind::Float,
			(Device::Cpu, DtypeChoice::Bf16) => return Err(DeviceError::HalfOnCpu(Kind::BFloat16)),
			(Device::Cpu, DtypeChoice::F16) => return Err(DeviceError::HalfOnCpu(Kind::Half)),
			(_, DtypeChoice::Auto | DtypeChoice::Bf16) => Kind::BFloat16,
			(_, DtypeChoice::F16) => Kind::Half,
			(_, DtypeChoice::F32) => Kind::Float,
		};
		Ok(Self { device, kind })
	}

	/// The same device in f32, for recomputing nonces during validation.
	pub fn exact(self) -> Self {
		Self { kind: Kind::Float, ..self }
	}

	/// Waits for queued device work, so that timings measure work done, not work queued.
	pub fn synchronize(&self) {
		if let Device::Cuda(n) = self.device {
			tch::Cuda::synchronize(n as i64);
		}
	}

	/// Human-readable form for logs and benchmark tables.
	pub fn describe(&self) -> String {
		let device = match self.device {
			Device::Cuda(n) => format!("cuda:{n}"),
			_ => format!("cpu ({} threads)", tch::get_num_threads()),
		};
		format!("{device} {:?}", self.kind)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn parses_choices_and_names_bad_ones() {
		assert_eq!("cuda:2".parse(), Ok(DeviceChoice::Cuda(2)));
		assert_eq!("cpu".parse(), Ok(DeviceChoice::Cpu));
		assert_eq!("tpu".parse::<DeviceChoice>(), Err(DeviceError::UnknownDevice("tpu".into())));
		assert_eq!("bf16".parse(), Ok(DtypeChoice::Bf16));
		assert_eq!("f8".parse::<DtypeChoice>(), Err(DeviceError::UnknownDtype("f8".into())));
	}

	#[test]
	fn cpu_is_f32_only() {
		assert_eq!(
			ComputeDevice::select(DeviceChoice::Cpu, DtypeChoice::Auto),
			Ok(ComputeDevice::cpu())
		);
		assert_eq!(
			ComputeDevice::select(DeviceChoice::Cpu, DtypeChoice::Bf16),
			Err(DeviceError::HalfOnCpu(Kind::BFloat16))
		);
	}

	#[test]
	fn missing_cuda_is_a_named_error() {
		if !tch::Cuda::is_available() {
			assert_eq!(
				ComputeDevice::select(DeviceChoice::Cuda(0), DtypeChoice::Auto),
				Err(DeviceError::CudaUnavailable)
			);
		}
	}
}
