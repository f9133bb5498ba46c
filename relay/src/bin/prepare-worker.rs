//! `polkadot-prepare-worker`: the PVF prepare worker the relay node spawns for each parachain
//! validation function. Its version string must equal the node's (`polkadot_cli::NODE_VERSION`),
//! which the node checks before it uses a worker. The commit string (shown by `--full-version`
//! only) names the source: the published polkadot-sdk crates, which carry no git commit.

polkadot_node_core_pvf_common::decl_worker_main!(
	"prepare-worker",
	polkadot_node_core_pvf_prepare_worker::worker_entrypoint,
	polkadot_cli::NODE_VERSION,
	"crates.io",
);
