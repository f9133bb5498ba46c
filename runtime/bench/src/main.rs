//! `gonka-bencher`: the standard FRAME `benchmark pallet` command (`frame-benchmarking-cli`, the
//! same code as `frame-omni-bencher v1 benchmark pallet`), defaulting `--runtime` to the
//! `runtime-benchmarks` WASM this crate was built with.
//!
//! ```sh
//! gonka-bencher pallet --list=all                              # every benchmark
//! gonka-bencher pallet --pallet pallet_gonka_sprint --extrinsic '*' --steps 50 --repeat 20 \
//!     --output runtime/src/weights/pallet_gonka_sprint.rs    # one pallet's weights
//! ```
//! `scripts/bench/weights.sh` runs it for every pallet and writes both the pallets' and the
//! runtime's `weights.rs`.

use clap::Parser;
use frame_benchmarking_cli::PalletCmd;
use sp_runtime::traits::BlakeTwo256;

/// Host functions the runtime imports beyond the Substrate set: parachain-system's and
/// weight reclaim's storage proof size.
type HostFunctions = cumulus_primitives_proof_size_hostfunction::storage_proof_size::HostFunctions;

/// Measures the Gonka runtime's extrinsics and writes weight files.
#[derive(Debug, Parser)]
#[command(name = "gonka-bencher", version)]
enum Command {
	/// Benchmark pallets of the runtime (`--runtime` defaults to the built benchmarking WASM).
	Pallet(Box<PalletCmd>),
}

fn main() -> sc_cli::Result<()> {
	let Command::Pallet(mut cmd) = Command::parse();
	// Also with `--json-input`: the command still loads the runtime to render a template.
	if cmd.runtime.is_none() && cmd.shared_params.chain.is_none() {
		cmd.runtime = Some(gonka_runtime_bench::wasm_path()?);
	}
	cmd.run_with_spec::<BlakeTwo256, HostFunctions>(None)
}
