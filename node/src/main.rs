//! `gonka-node`: the Gonka collator.
//!
//! Built on `polkadot-omni-node-lib`, which gives the parachain collator service, the `--dev`
//! mode (manual seal, no relay chain needed), the standard RPC and the `chain-spec-builder`,
//! `export-genesis-*` and benchmarking subcommands. What is ours:
//!
//! - the runtime is embedded: `--chain dev` (or just `--dev`) and `--chain local` build their
//!   chain specs from the runtime's genesis presets; any other `--chain` value is a path to a
//!   chain spec JSON file (see `chain-spec/`);
//! - the binary's name, version and support URL;
//! - [`GonkaRuntimeResolver`]: the node knows what runtime it runs (u32 block numbers, sr25519
//!   Aura), so it does not compile the genesis WASM once more just to read that from metadata.

mod chain_spec;

use polkadot_omni_node_lib::{
	run,
	runtime::{AuraConsensusId, BlockNumber, Consensus, Runtime, RuntimeResolver},
	CliConfig, RunConfig,
};
use sc_chain_spec::ChainSpec;

/// Identity of the `gonka-node` binary shown by `--version` and in telemetry.
struct GonkaCli;

impl CliConfig for GonkaCli {
	fn impl_version() -> String {
		let commit_hash = env!("SUBSTRATE_CLI_COMMIT_HASH");
		format!("{}-{commit_hash}", env!("CARGO_PKG_VERSION"))
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://github.com/gonka/gonka-parachain/issues".into()
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

/// Tells omni-node the shape of the Gonka runtime without inspecting it.
///
/// omni-node's default resolver compiles the genesis runtime (6+ MB of WASM) with wasmtime just
/// to read its metadata; in a debug build that costs about two minutes at every start. Every chain
/// this binary runs is a Gonka chain (see `gonka_runtime::BlockNumber` and the Aura key type in
/// `runtime/src/configs/collators.rs`), so the answer is known at compile time.
struct GonkaRuntimeResolver;

impl RuntimeResolver for GonkaRuntimeResolver {
	fn runtime(&self, _chain_spec: &dyn ChainSpec) -> sc_cli::Result<Runtime> {
		Ok(Runtime::Omni(BlockNumber::U32, Consensus::Aura(AuraConsensusId::Sr25519)))
	}
}

fn main() -> sc_cli::Result<()> {
	let config =
		RunConfig::new(Box::new(GonkaRuntimeResolver), Box::new(chain_spec::GonkaChainSpecLoader));
	run::<GonkaCli>(config)
}
