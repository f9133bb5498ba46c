//! The Gonka runtime as WASM with feature `runtime-benchmarks`: the same source as
//! `gonka-runtime`, plus the `frame_benchmarking::Benchmark` runtime API and every pallet's
//! benchmarks (`runtime/src/benchmarks.rs` lists them). `gonka-bencher` (this crate's binary)
//! runs them; nodes never run this WASM. `None` when built with `SKIP_WASM_BUILD`.

#[allow(missing_docs)]
mod wasm {
	include!(env!("GONKA_RUNTIME_BENCH_WASM"));
}
pub use wasm::*;

/// The path of the benchmarking WASM this crate was built with, for `--runtime`.
///
/// Errors when the crate was built with `SKIP_WASM_BUILD` (there is no WASM then).
pub fn wasm_path() -> Result<std::path::PathBuf, String> {
	WASM_BINARY_PATH.map(Into::into).ok_or_else(|| {
		"gonka-runtime-bench was built with SKIP_WASM_BUILD, so it has no benchmarking WASM: \
		 rebuild without it, or pass --runtime <path to a runtime-benchmarks WASM>"
			.to_string()
	})
}
