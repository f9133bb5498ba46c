//! Release discipline: the runtime's external interface, recorded in `runtime/interface.lock`
//! with the `spec_version` and `transaction_version` it was recorded at.
//!
//! The interface is what clients and workers depend on: every call (pallet and call index and
//! the shape of its arguments), every runtime-API method, every storage item, every constant
//! (type and value) and the transaction extensions, each with subxt's shape hash
//! (`subxt_metadata::utils::validation`, what generated clients and `gonka-worker` check). The
//! test fails when:
//! - the interface changed but `spec_version` was not bumped;
//! - an existing call changed its encoding (arguments, index), was removed, or the transaction
//!   extensions changed, but `transaction_version` was not bumped;
//! - the record is stale (any other difference): re-record with
//!   `GONKA_BLESS=1 cargo test --workspace --test interface` and commit the file (blessing
//!   still enforces the two rules above).
//!
//! A change of logic alone (same interface) still needs a `spec_version` bump; that review is
//! the upgrade runbook's (docs/operations.md), not this test's.

use std::collections::BTreeMap;

use codec::Decode;
use subxt_metadata::Metadata;

const RECORD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/interface.lock");

/// `item -> "index hash"` for the whole interface, in a stable order.
fn interface(m: &Metadata) -> BTreeMap<String, String> {
	let hex = |h: [u8; 32]| hex_of(&h);
	let mut out = BTreeMap::new();
	for p in m.pallets() {
		if let Some(calls) = p.call_variants() {
			for c in calls {
				let hash = p.call_hash(&c.name).expect("listed call");
				out.insert(
					format!("call {}.{}", p.name(), c.name),
					format!("{}.{} {}", p.call_index(), c.index, hex(hash)),
				);
			}
		}
		if let Some(storage) = p.storage() {
			for e in storage.entries() {
				let hash = p.storage_hash(e.name()).expect("listed entry");
				out.insert(format!("storage {}.{}", p.name(), e.name()), hex(hash));
			}
		}
		for c in p.constants() {
			let hash = p.constant_hash(c.name()).expect("listed constant");
			out.insert(format!("constant {}.{}", p.name(), c.name()), hex(hash));
		}
	}
	for api in m.runtime_api_traits() {
		for method in api.methods() {
			out.insert(format!("api {}.{}", api.name(), method.name()), hex(method.hash()));
		}
	}
	let ext = m.extrinsic();
	for v in 0..=u8::MAX {
		if let Some(list) = ext.transaction_extensions_by_version(v) {
			for (i, e) in list.enumerate() {
				let th = |id| hex(m.type_hash(id).unwrap_or_default());
				out.insert(
					format!("extension v{v}.{i:02} {}", e.identifier()),
					format!("{} {}", th(e.extra_ty()), th(e.additional_ty())),
				);
			}
		}
	}
	out
}

fn hex_of(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn metadata() -> Metadata {
	let bytes = sp_io::TestExternalities::new_empty().execute_with(|| {
		gonka_runtime::Runtime::metadata_at_version(16)
			.or_else(|| gonka_runtime::Runtime::metadata_at_version(15))
			.expect("metadata V16 or V15")
			.to_vec()
	});
	Metadata::decode(&mut &bytes[..]).expect("the runtime's metadata decodes")
}

/// The record: versions, then one `item = value` line per interface item.
struct Record {
	spec_version: u32,
	transaction_version: u32,
	items: BTreeMap<String, String>,
}

fn render(r: &Record) -> String {
	let mut s = format!(
		"# The runtime's external interface (runtime/tests/interface.rs); re-record with\n\
		 # GONKA_BLESS=1 cargo test --workspace --test interface\n\
		 spec_version = {}\ntransaction_version = {}\n",
		r.spec_version, r.transaction_version
	);
	for (k, v) in &r.items {
		s.push_str(&format!("{k} = {v}\n"));
	}
	s
}

fn parse(text: &str) -> Record {
	let mut items = BTreeMap::new();
	let (mut spec_version, mut transaction_version) = (0, 0);
	for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
		let (k, v) = line.split_once(" = ").unwrap_or_else(|| panic!("bad record line {line:?}"));
		match k {
			"spec_version" => spec_version = v.parse().unwrap(),
			"transaction_version" => transaction_version = v.parse().unwrap(),
			_ => {
				items.insert(k.to_string(), v.to_string());
			},
		}
	}
	Record { spec_version, transaction_version, items }
}

/// What a change from `old` to `new` requires: `(needs spec bump, needs tx-version bump,
/// changed items)`.
fn judge(old: &Record, new: &Record) -> (bool, bool, Vec<String>) {
	let mut changed = Vec::new();
	let mut encoding = false;
	for (k, v) in &old.items {
		match new.items.get(k) {
			Some(n) if n == v => {},
			other => {
				changed
					.push(format!("{k}{}", if other.is_some() { " changed" } else { " removed" }));
				encoding |= k.starts_with("call ") || k.starts_with("extension ");
			},
		}
	}
	for k in new.items.keys().filter(|k| !old.items.contains_key(*k)) {
		changed.push(format!("{k} added"));
		encoding |= k.starts_with("extension ");
	}
	let spec = !changed.is_empty() && new.spec_version <= old.spec_version;
	let tx = encoding && new.transaction_version <= old.transaction_version;
	(spec, tx, changed)
}

#[test]
fn the_recorded_interface_matches_the_runtime_and_its_versions() {
	let now = Record {
		spec_version: gonka_runtime::VERSION.spec_version,
		transaction_version: gonka_runtime::VERSION.transaction_version,
		items: interface(&metadata()),
	};
	let recorded = std::fs::read_to_string(RECORD).map(|t| parse(&t)).ok();
	if let Some(old) = &recorded {
		let (spec, tx, changed) = judge(old, &now);
		let list = changed.join("\n  ");
		assert!(
			!spec,
			"the runtime interface changed but spec_version is still {}: bump it in \
			 runtime/src/lib.rs\n  {list}",
			now.spec_version
		);
		assert!(
			!tx,
			"call encodings or transaction extensions changed but transaction_version is still \
			 {}: bump it in runtime/src/lib.rs\n  {list}",
			now.transaction_version
		);
	}
	let rendered = render(&now);
	if std::env::var_os("GONKA_BLESS").is_some() {
		std::fs::write(RECORD, &rendered).unwrap();
		return;
	}
	assert!(
		recorded.is_some() && std::fs::read_to_string(RECORD).unwrap() == rendered,
		"runtime/interface.lock is stale (the versions or the interface differ): re-record with \
		 `GONKA_BLESS=1 cargo test --workspace --test interface` and commit it"
	);
}

#[test]
fn the_rules_catch_unbumped_versions() {
	let base = Record {
		spec_version: 6,
		transaction_version: 2,
		items: [("call A.x".to_string(), "1.0 aa".to_string())].into(),
	};
	let with = |spec, tx, k: &str, v: &str| Record {
		spec_version: spec,
		transaction_version: tx,
		items: [(k.to_string(), v.to_string())].into(),
	};
	// A changed call needs both bumps.
	assert_eq!(judge(&base, &with(6, 2, "call A.x", "1.0 bb")).0, true);
	assert_eq!(judge(&base, &with(7, 2, "call A.x", "1.0 bb")).1, true);
	assert_eq!(
		judge(&base, &with(7, 3, "call A.x", "1.0 bb")),
		(false, false, vec!["call A.x changed".to_string()])
	);
	// A new API needs a spec bump only (the call is removed here, so tx too).
	let (spec, tx, _) = judge(&base, &with(7, 2, "api B.y", "cc"));
	assert!(!spec && tx, "removing call A.x changes encodings");
	// Nothing changed: nothing needed.
	assert_eq!(judge(&base, &base).0, false);
}

/// The metadata `gonka-worker` generates its chain types from (`#[subxt::subxt]` in
/// `offchain-worker/worker/src/chain/api.rs`): the runtime's own, stripped to the pallets and
/// runtime APIs the worker uses so its generated code stays small.
const WORKER_METADATA: &str =
	concat!(env!("CARGO_MANIFEST_DIR"), "/../offchain-worker/worker/metadata/gonka.scale");

/// The pallets whose calls, storage or constants the worker uses.
const WORKER_PALLETS: &[&str] = &[
	"System",
	"Balances",
	"Preimage",
	"Referenda",
	"ComputeVoting",
	"Treasury",
	"Hosts",
	"Sprint",
	"Emission",
	"Inference",
];

/// The runtime APIs the worker calls.
const WORKER_APIS: &[&str] = &["SprintApi", "EmissionApi", "HostsApi", "InferenceApi"];

/// The runtime's metadata (`RuntimeMetadataPrefixed`, V16) stripped to what the worker uses.
fn worker_metadata() -> Vec<u8> {
	use codec::Encode;
	use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
	use subxt_utils_stripmetadata::StripMetadata;
	let bytes = sp_io::TestExternalities::new_empty().execute_with(|| {
		gonka_runtime::Runtime::metadata_at_version(16).expect("metadata V16").to_vec()
	});
	let mut prefixed =
		RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("the runtime's metadata decodes");
	let RuntimeMetadata::V16(m) = &mut prefixed.1 else { panic!("asked for V16") };
	m.strip_metadata(|p| WORKER_PALLETS.contains(&p), |a| WORKER_APIS.contains(&a));
	for p in WORKER_PALLETS {
		assert!(m.pallets.iter().any(|x| x.name == *p), "the runtime has no pallet {p}");
	}
	for a in WORKER_APIS {
		assert!(m.apis.iter().any(|x| x.name == *a), "the runtime has no API {a}");
	}
	prefixed.encode()
}

/// The worker's generated types must come from the runtime as it is: a stale file would let
/// the worker encode calls the runtime no longer has. Re-record with
/// `GONKA_BLESS=1 cargo test --workspace --test interface`, then rebuild the worker.
#[test]
fn the_workers_metadata_is_the_runtimes() {
	let now = worker_metadata();
	if std::env::var_os("GONKA_BLESS").is_some() {
		std::fs::write(WORKER_METADATA, &now).unwrap();
		return;
	}
	let recorded = std::fs::read(WORKER_METADATA).unwrap_or_default();
	assert!(
		recorded == now,
		"offchain-worker/worker/metadata/gonka.scale is stale ({} bytes recorded, {} now): \
		 re-record with `GONKA_BLESS=1 cargo test --workspace --test interface`, rebuild \
		 gonka-worker and commit both",
		recorded.len(),
		now.len()
	);
}
