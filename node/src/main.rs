//! `gonka-node`: the Gonka collator.
//!
//! Built on `polkadot-omni-node-lib`, which gives the parachain collator service, the `--dev`
//! mode (manual seal, no relay chain needed), the standard RPC and the `chain-spec-builder`,
//! `export-genesis-*` and benchmarking subcommands. What is ours:
//!
//! - the runtime is embedded: `--chain dev` (or just `--dev`) and `--chain local` build their
//!   chain specs from the runtime's genesis presets; any other `--chain` value is a path to a
//!   chain spec JSON file (see `chain-spec/`);
//! - the binary's name, version and support URL.

mod chain_spec;

use polkadot_omni_node_lib::{run, runtime::DefaultRuntimeResolver, CliConfig, RunConfig};

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

fn main() -> sc_cli::Result<()> {
	let config = RunConfig::new(
		Box::new(DefaultRuntimeResolver),
		Box::new(chain_spec::GonkaChainSpecLoader),
	);
	run::<GonkaCli>(config)
}
