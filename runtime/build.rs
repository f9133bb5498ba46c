//! Builds the runtime WASM (for `wasm32v1-none`) and exposes it as `WASM_BINARY`.
//! `SKIP_WASM_BUILD=1` skips it for native-only tests.

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults()
		.enable_metadata_hash(gonka_primitives_symbol(), 9)
		.build();
}

#[cfg(all(feature = "std", feature = "metadata-hash"))]
fn gonka_primitives_symbol() -> &'static str {
	"GNK"
}

#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
fn main() {
	substrate_wasm_builder::WasmBuilder::build_using_defaults();
}

#[cfg(not(feature = "std"))]
fn main() {}
