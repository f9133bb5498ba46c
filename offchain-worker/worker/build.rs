//! Embeds libtorch's library folder as an rpath so `gonka-worker` runs without LD_LIBRARY_PATH.

fn main() {
	println!("cargo:rerun-if-env-changed=LIBTORCH");
	if let Ok(libtorch) = std::env::var("LIBTORCH") {
		let lib = std::path::Path::new(&libtorch).join("lib");
		println!("cargo:rustc-link-arg-bins=-Wl,-rpath,{}", lib.display());
	}
}
