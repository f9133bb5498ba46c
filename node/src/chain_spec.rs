//! Chain specs: built-in ones generated from the runtime's genesis presets, or a file.
//!
//! ## The raw-spec cache
//!
//! A built-in spec names a genesis *preset*: turning it into genesis storage means compiling the
//! embedded runtime with wasmtime and calling its genesis builder, and the node does that more
//! than once while starting (about 1.5 minutes each in a debug build on 2 cores). So when the
//! node is started to *run* a built-in chain (no subcommand), the loader builds the raw spec once,
//! stores it under the cache directory keyed by the BLAKE2 hash of everything the spec is made
//! of (runtime code, name, id, properties, preset), and loads that file from then on. A new runtime
//! or a changed spec gives a new key, so a stale entry is never used. Subcommands such as
//! `build-spec` always get the spec built from the preset (human-readable, as committed in
//! `chain-spec/`). `GONKA_CHAIN_SPEC_CACHE` sets the directory (`off` disables the cache);
//! the default is `$XDG_CACHE_HOME/gonka/chain-specs` or `~/.cache/gonka/chain-specs`.

use std::path::PathBuf;

use polkadot_omni_node_lib::chain_spec::{ChainSpec, Extensions, GenericChainSpec, LoadSpec};
use sc_chain_spec::{ChainType, Properties};

/// The relay chain a local Gonka network attaches to (`zombienet/gonka-local.toml` runs
/// `westend-local` with the `polkadot` binary of the `relay/` crate).
pub const LOCAL_RELAY_CHAIN: &str = "westend-local";

/// Resolves `--chain`: `dev` / `local` (built in), otherwise a path to a chain spec file.
pub struct GonkaChainSpecLoader;

impl LoadSpec for GonkaChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		Ok(match id {
			"" | "dev" | "development" => Box::new(cached(&DEVELOPMENT)?),
			"local" | "local_testnet" => Box::new(cached(&LOCAL_TESTNET)?),
			path => Box::new(GenericChainSpec::from_json_file(path.into()).map_err(|e| {
				format!(
					"`--chain {path}` is neither a built-in chain (dev, local) nor a readable \
					 chain spec file: {e}"
				)
			})?),
		})
	}
}

/// Environment variable naming the raw-spec cache directory (`off`: no cache).
pub const CACHE_ENV: &str = "GONKA_CHAIN_SPEC_CACHE";

/// Bumped when the cache file format or key derivation changes.
const CACHE_FORMAT: &[u8] = b"gonka-raw-spec/v1";

/// The raw-spec cache directory, or `None` when caching is off or not wanted.
fn cache_dir() -> Option<PathBuf> {
	// `gonka-node <subcommand> ...`: build-spec and friends must see the preset-based spec.
	if std::env::args().nth(1).is_some_and(|a| !a.starts_with('-')) {
		return None;
	}
	match std::env::var_os(CACHE_ENV) {
		Some(v) if v == "off" => None,
		Some(v) if !v.is_empty() => Some(PathBuf::from(v)),
		_ => std::env::var_os("XDG_CACHE_HOME")
			.filter(|v| !v.is_empty())
			.map(PathBuf::from)
			.or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
			.map(|base| base.join("gonka").join("chain-specs")),
	}
}

/// `spec` as a raw spec from the cache, building and storing it on a miss. Any cache failure
/// falls back to the preset-based spec (slower start, same chain).
fn cached(chain: &BuiltIn) -> Result<GenericChainSpec, String> {
	let spec = chain.spec()?;
	let Some(dir) = cache_dir() else {
		return Ok(spec);
	};
	let path = dir.join(format!("{}-{}.json", chain.id, hex_prefix(&chain.cache_key()?)));
	if let Ok(loaded) = GenericChainSpec::from_json_file(path.clone()) {
		log::info!("Using cached raw chain spec {}", path.display());
		return Ok(loaded);
	}
	let raw = spec.as_json(true)?;
	let tmp = dir.join(format!(".{}-{}.tmp", chain.id, std::process::id()));
	let stored = std::fs::create_dir_all(&dir)
		.and_then(|()| std::fs::write(&tmp, raw.as_bytes()))
		.and_then(|()| std::fs::rename(&tmp, &path));
	match stored {
		Ok(()) => log::info!("Cached raw chain spec at {}", path.display()),
		Err(e) => log::warn!("Could not cache the raw chain spec in {}: {e}", dir.display()),
	}
	GenericChainSpec::from_json_bytes(raw.into_bytes())
}

/// First 16 hex digits of a hash: enough to tell runtimes apart in a file name.
fn hex_prefix(hash: &[u8; 32]) -> String {
	hash[..8].iter().map(|b| format!("{b:02x}")).collect()
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

/// A built-in chain: everything its spec is made of besides the runtime code.
struct BuiltIn {
	name: &'static str,
	id: &'static str,
	chain_type: ChainType,
	preset: &'static str,
	protocol_id: Option<&'static str>,
}

/// The single-node development chain (`--dev`).
const DEVELOPMENT: BuiltIn = BuiltIn {
	name: "Gonka Development",
	id: "gonka_dev",
	chain_type: ChainType::Development,
	preset: sp_genesis_builder_preset::DEV,
	protocol_id: None,
};

/// The two-collator local test network, for a relay chain started by zombienet.
const LOCAL_TESTNET: BuiltIn = BuiltIn {
	name: "Gonka Local Testnet",
	id: "gonka_local_testnet",
	chain_type: ChainType::Local,
	preset: sp_genesis_builder_preset::LOCAL,
	protocol_id: Some("gonka-local"),
};

impl BuiltIn {
	/// The spec, with genesis given by the runtime's preset.
	fn spec(&self) -> Result<GenericChainSpec, String> {
		let builder = GenericChainSpec::builder(
			wasm()?,
			Extensions::new(
				LOCAL_RELAY_CHAIN.into(),
				gonka_runtime::genesis_config_presets::PARACHAIN_ID,
			),
		)
		.with_name(self.name)
		.with_id(self.id)
		.with_chain_type(self.chain_type.clone())
		.with_genesis_config_preset_name(self.preset)
		.with_properties(properties());
		Ok(match self.protocol_id {
			Some(p) => builder.with_protocol_id(p),
			None => builder,
		}
		.build())
	}

	/// Hash of every input of the spec (resolving the preset itself would compile the runtime).
	fn cache_key(&self) -> Result<[u8; 32], String> {
		let mut material = CACHE_FORMAT.to_vec();
		for part in [self.name, self.id, self.preset, self.protocol_id.unwrap_or("")] {
			material.extend_from_slice(&(part.len() as u32).to_le_bytes());
			material.extend_from_slice(part.as_bytes());
		}
		material.extend_from_slice(format!("{:?}", self.chain_type).as_bytes());
		material.extend_from_slice(&serde_json::to_vec(&properties()).map_err(|e| e.to_string())?);
		material.extend_from_slice(wasm()?);
		Ok(sp_crypto_hashing::blake2_256(&material))
	}
}

/// Preset names, as the runtime defines them (`sp_genesis_builder`'s well-known names).
mod sp_genesis_builder_preset {
	pub const DEV: &str = "development";
	pub const LOCAL: &str = "local_testnet";
}
