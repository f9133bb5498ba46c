//! Chain specs: built-in ones generated from the runtime's genesis presets, or a file.

use polkadot_omni_node_lib::chain_spec::{ChainSpec, Extensions, GenericChainSpec, LoadSpec};
use sc_chain_spec::{ChainType, Properties};

/// The relay chain a local Gonka network attaches to (zombienet runs `rococo-local`).
pub const LOCAL_RELAY_CHAIN: &str = "rococo-local";

/// Resolves `--chain`: `dev` / `local` (built in), otherwise a path to a chain spec file.
pub struct GonkaChainSpecLoader;

impl LoadSpec for GonkaChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		Ok(match id {
			"" | "dev" | "development" => Box::new(development()?),
			"local" | "local_testnet" => Box::new(local_testnet()?),
			path => Box::new(GenericChainSpec::from_json_file(path.into()).map_err(|e| {
				format!(
					"`--chain {path}` is neither a built-in chain (dev, local) nor a readable \
					 chain spec file: {e}"
				)
			})?),
		})
	}
}

/// Token symbol and decimals, so that wallets and Polkadot.js Apps show GNK correctly.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), gonka_primitives::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), gonka_primitives::DECIMALS.into());
	properties.insert("ss58Format".into(), gonka_primitives::SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	gonka_runtime::WASM_BINARY.ok_or_else(|| {
		"this gonka-node was built with SKIP_WASM_BUILD: it has no embedded runtime; rebuild \
		 without it or pass --chain <spec.json>"
			.to_string()
	})
}

/// The single-node development chain (`--dev`).
pub fn development() -> Result<GenericChainSpec, String> {
	Ok(GenericChainSpec::builder(
		wasm()?,
		Extensions::new(
			LOCAL_RELAY_CHAIN.into(),
			gonka_runtime::genesis_config_presets::PARACHAIN_ID,
		),
	)
	.with_name("Gonka Development")
	.with_id("gonka_dev")
	.with_chain_type(ChainType::Development)
	.with_genesis_config_preset_name(sp_genesis_builder_preset::DEV)
	.with_properties(properties())
	.build())
}

/// The two-collator local test network, for a relay chain started by zombienet.
pub fn local_testnet() -> Result<GenericChainSpec, String> {
	Ok(GenericChainSpec::builder(
		wasm()?,
		Extensions::new(
			LOCAL_RELAY_CHAIN.into(),
			gonka_runtime::genesis_config_presets::PARACHAIN_ID,
		),
	)
	.with_name("Gonka Local Testnet")
	.with_id("gonka_local_testnet")
	.with_chain_type(ChainType::Local)
	.with_genesis_config_preset_name(sp_genesis_builder_preset::LOCAL)
	.with_protocol_id("gonka-local")
	.with_properties(properties())
	.build())
}

/// Preset names, as the runtime defines them (`sp_genesis_builder`'s well-known names).
mod sp_genesis_builder_preset {
	pub const DEV: &str = "development";
	pub const LOCAL: &str = "local_testnet";
}
