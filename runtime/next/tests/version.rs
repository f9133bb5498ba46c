//! The upgrade test's code is the release one `spec_version` later: read from the WASM's
//! embedded `runtime_version` section, without starting a node (the upgrade test takes minutes
//! to find out otherwise).

#[test]
fn next_is_the_release_one_spec_version_later() {
	let code = gonka_runtime_next::WASM_BINARY
		.expect("gonka-runtime-next was built with SKIP_WASM_BUILD: build without it");
	let blob = sc_executor_common::runtime_blob::RuntimeBlob::uncompress_if_needed(code)
		.expect("a WASM blob");
	let next = sc_executor::read_embedded_version(&blob)
		.expect("a readable version section")
		.expect("the runtime embeds its version");
	let release = gonka_runtime::VERSION;
	assert_eq!(next.spec_name, release.spec_name);
	assert_eq!(
		next.spec_version,
		release.spec_version + 1,
		"runtime/src/lib.rs: the spec-version-bump declaration must be the release's plus one"
	);
}
