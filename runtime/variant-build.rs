//! Build script of the runtime's WASM variants: the Gonka runtime from `runtime/` compiled to
//! WASM once more with one extra feature, chosen by the package being built:
//!
//! | package               | feature              | env var of the generated `wasm_binary.rs` |
//! |-----------------------|----------------------|-------------------------------------------|
//! | `gonka-runtime-next`  | `spec-version-bump`  | `GONKA_RUNTIME_NEXT_WASM`                 |
//! | `gonka-runtime-bench` | `runtime-benchmarks` | `GONKA_RUNTIME_BENCH_WASM`                |
//!
//! The WASM builder keeps its project in `<target>/<profile>/wbuild/<crate name>`, found from
//! `OUT_DIR`; the crate is `gonka-runtime` for every build, so each variant is pointed at a folder
//! of its own, `<OUT_DIR>/<profile>/build/out` (otherwise the builds would rewrite one project's
//! features in turn and could swap their outputs). The first build of a variant compiles the
//! runtime's dependencies for WASM once more (3–5 minutes on two cores); later ones recompile
//! only `gonka-runtime`.

use std::path::{Path, PathBuf};

fn main() {
	let package = std::env::var("CARGO_PKG_NAME").expect("cargo sets CARGO_PKG_NAME");
	let (feature, env_var) = match package.as_str() {
		"gonka-runtime-next" => ("spec-version-bump", "GONKA_RUNTIME_NEXT_WASM"),
		"gonka-runtime-bench" => ("runtime-benchmarks", "GONKA_RUNTIME_BENCH_WASM"),
		other => panic!("runtime/variant-build.rs does not know the variant {other}"),
	};
	let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
	// `<target>/<profile>/build/<package>-<hash>/out`: the builder picks the WASM profile from
	// the folder above `build`, so keep the real one.
	let profile = out
		.ancestors()
		.find(|p| p.file_name().is_some_and(|n| n == "build"))
		.and_then(Path::parent)
		.and_then(Path::file_name)
		.expect("OUT_DIR lies under <target>/<profile>/build")
		.to_owned();
	let own = out.join(profile).join("build").join("out");
	std::fs::create_dir_all(&own).expect("OUT_DIR is writable");
	// The builder dates its outputs like cargo's own `invoked.timestamp` next to OUT_DIR.
	let stamp = out.parent().expect("OUT_DIR has a parent").join("invoked.timestamp");
	if let Ok(modified) = std::fs::metadata(&stamp).and_then(|m| m.modified()) {
		let copy = own.parent().expect("has a parent").join("invoked.timestamp");
		let file = std::fs::File::create(&copy).expect("OUT_DIR is writable");
		file.set_modified(modified).expect("setting a file's mtime");
	}
	std::env::set_var("OUT_DIR", &own);
	println!("cargo:rustc-env={env_var}={}", own.join("wasm_binary.rs").display());
	let runtime = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("Cargo.toml");
	substrate_wasm_builder::WasmBuilder::new()
		.with_project(runtime.canonicalize().expect("runtime/Cargo.toml exists"))
		.expect("runtime/Cargo.toml is a crate manifest")
		.enable_feature(feature)
		.build();
}
