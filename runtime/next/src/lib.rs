//! Test only: the Gonka runtime as WASM, built from the same source as `gonka-runtime` with
//! feature `spec-version-bump`, which declares `spec_version` one above the release. It is the
//! code the runtime-upgrade test (node/tests/upgrade.rs) authorises by referendum and enacts on
//! a running network. `None` when built with `SKIP_WASM_BUILD`.

#[allow(missing_docs)]
mod wasm {
	include!(env!("GONKA_RUNTIME_NEXT_WASM"));
}
pub use wasm::*;
