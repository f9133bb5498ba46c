//! Which parts of the runtime the worker encodes with its compiled types, and whether a node's
//! runtime still has them unchanged.
//!
//! Most of what the worker sends is built from the connected node's metadata at the block it
//! is sent at (subxt's dynamic calls and storage), so any upgrade is transparent to it. A few
//! things are encoded with the runtime types the worker was compiled with: its fee-less general
//! transactions (sprint commitments and verdicts, market claims and attestations), the calls it
//! proposes to governance, the runtime-API results it decodes and the referenda storage that
//! `gov list` reads. For those, the worker
//! compares the node's metadata with its own ([`check`]): each call's pallet index, call index
//! and shape hash, each runtime-API method's hash, and the transaction extensions of general
//! transactions. A runtime upgrade that changes none of them (a version bump, new calls,
//! changes to calls the worker does not use) is transparent; one that changes any of them is
//! refused with an error naming each changed item. The hashes are subxt's
//! (`subxt::metadata::utils::validation`), the same its generated clients check.

use std::sync::OnceLock;

use codec::Decode;
use subxt::metadata::Metadata;

/// A piece of the runtime interface the worker encodes or decodes with compiled types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
	/// A call `(pallet, call)` encoded as `RuntimeCall` (general transactions, proposals).
	Call(&'static str, &'static str),
	/// A runtime-API method `(trait, method)` whose arguments and result use compiled types.
	Api(&'static str, &'static str),
	/// A storage item `(pallet, entry)` read raw and decoded with compiled types.
	Storage(&'static str, &'static str),
}

impl std::fmt::Display for Used {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Call(p, c) => write!(f, "call {p}.{c}"),
			Self::Api(t, m) => write!(f, "runtime API {t}_{m}"),
			Self::Storage(p, e) => write!(f, "storage {p}.{e}"),
		}
	}
}

/// Everything the worker encodes or decodes with its compiled runtime types.
pub const USED: &[Used] = &[
	Used::Call("Sprint", "submit_commitment"),
	Used::Call("Sprint", "submit_verdicts"),
	Used::Call("Sprint", "set_pow_params"),
	Used::Call("Inference", "claim"),
	Used::Call("Inference", "attest"),
	Used::Call("Hosts", "retire_model"),
	Used::Call("System", "authorize_upgrade"),
	Used::Call("Treasury", "spend"),
	Used::Api("SprintApi", "epoch_status"),
	Used::Api("SprintApi", "epoch_clock"),
	Used::Api("SprintApi", "active_epoch"),
	Used::Api("SprintApi", "weight_of"),
	Used::Api("SprintApi", "total_weight"),
	Used::Api("SprintApi", "assignments"),
	Used::Api("SprintApi", "commitment"),
	Used::Api("EmissionApi", "claimable_epochs"),
	Used::Api("HostsApi", "host"),
	Used::Api("HostsApi", "catalogue"),
	Used::Api("InferenceApi", "session"),
	Used::Api("InferenceApi", "lane"),
	Used::Api("InferenceApi", "assignments"),
	Used::Api("InferenceApi", "reputation"),
	Used::Storage("Referenda", "ReferendumCount"),
	Used::Storage("Referenda", "ReferendumInfoFor"),
];

/// The SCALE `RuntimeMetadataPrefixed` of the runtime this worker was compiled with (V16, else
/// V15). Building it reads a host function, hence the empty externalities.
fn compiled_bytes() -> Vec<u8> {
	sp_io::TestExternalities::new_empty().execute_with(|| {
		[16, 15]
			.into_iter()
			.find_map(|v| gonka_runtime::Runtime::metadata_at_version(v))
			.expect("the runtime provides metadata V16 or V15")
			.to_vec()
	})
}

/// The metadata of the runtime this worker was compiled with (built once).
pub fn compiled() -> &'static Metadata {
	static METADATA: OnceLock<Metadata> = OnceLock::new();
	METADATA.get_or_init(|| {
		Metadata::decode(&mut &compiled_bytes()[..]).expect("the runtime's own metadata decodes")
	})
}

/// A node's runtime changed something the worker uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
	"the node's runtime (spec_version {spec_version}) changed what this gonka-worker encodes with its \
	 own types: {}. Update gonka-worker to the release for this runtime",
	changed.join("; ")
)]
pub struct Incompatible {
	/// The node's runtime version.
	pub spec_version: u32,
	/// One entry per changed item, naming it and what changed.
	pub changed: Vec<String>,
}

/// How one used item looks in a metadata: `None` if absent.
fn fingerprint(metadata: &Metadata, item: Used) -> Option<(u8, u8, [u8; 32])> {
	match item {
		Used::Call(pallet, call) => {
			let p = metadata.pallet_by_name(pallet)?;
			let variant = p.call_variant_by_name(call)?;
			Some((p.call_index(), variant.index, p.call_hash(call)?))
		},
		Used::Api(api, method) => {
			let m = metadata.runtime_api_trait_by_name(api)?.method_by_name(method)?;
			Some((0, 0, m.hash()))
		},
		Used::Storage(pallet, entry) => {
			Some((0, 0, metadata.pallet_by_name(pallet)?.storage_hash(entry)?))
		},
	}
}

/// The transaction extensions of every extrinsic version: identifier and the shape hashes of
/// their explicit and implicit data.
fn extensions(metadata: &Metadata) -> Vec<(u8, Vec<(String, [u8; 32], [u8; 32])>)> {
	let ext = metadata.extrinsic();
	let versions: Vec<u8> =
		(0..=u8::MAX).filter(|v| ext.transaction_extensions_by_version(*v).is_some()).collect();
	versions
		.into_iter()
		.map(|v| {
			let list = ext
				.transaction_extensions_by_version(v)
				.expect("listed above")
				.map(|e| {
					let hash = |id| metadata.type_hash(id).unwrap_or_default();
					(e.identifier().to_string(), hash(e.extra_ty()), hash(e.additional_ty()))
				})
				.collect();
			(v, list)
		})
		.collect()
}

/// Compares `node`'s metadata with `compiled` for everything in `used`; lists every difference.
pub fn check_against(
	compiled: &Metadata,
	node: &Metadata,
	used: &[Used],
	spec_version: u32,
) -> Result<(), Incompatible> {
	let mut changed = Vec::new();
	for &item in used {
		match (fingerprint(compiled, item), fingerprint(node, item)) {
			(Some(a), Some(b)) if a == b => {},
			(Some(_), None) => changed.push(format!("{item} is gone")),
			(Some((pa, ca, _)), Some((pb, cb, _))) if (pa, ca) != (pb, cb) => {
				changed.push(format!("{item} moved (index {pa}.{ca} -> {pb}.{cb})"))
			},
			(Some(_), Some(_)) => changed.push(format!("{item} changed its arguments or result")),
			(None, _) => changed.push(format!("{item} is not in this worker's own runtime")),
		}
	}
	if extensions(compiled) != extensions(node) {
		changed.push("the transaction extensions of general transactions".into());
	}
	if changed.is_empty() {
		Ok(())
	} else {
		Err(Incompatible { spec_version, changed })
	}
}

/// [`check_against`] the compiled metadata for everything in [`USED`].
pub fn check(node: &Metadata, spec_version: u32) -> Result<(), Incompatible> {
	check_against(compiled(), node, USED, spec_version)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use subxt::ext::frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};

	/// The compiled runtime's metadata, as SCALE, edited by `edit`.
	fn altered(edit: impl FnOnce(&mut RuntimeMetadataPrefixed)) -> Metadata {
		let mut prefixed = RuntimeMetadataPrefixed::decode(&mut &compiled_bytes()[..]).unwrap();
		edit(&mut prefixed);
		Metadata::decode(&mut &prefixed.encode()[..]).unwrap()
	}

	/// Runs `$body` with `$m` bound to the V16 or V15 metadata inside `$prefixed`.
	macro_rules! with_metadata {
		($prefixed:expr, |$m:ident| $body:expr) => {
			match &mut $prefixed.1 {
				RuntimeMetadata::V16($m) => $body,
				RuntimeMetadata::V15($m) => $body,
				_ => panic!("expected V15 or V16 metadata"),
			}
		};
	}

	/// Gives the first field of call `call` of `pallet` the type of another call's first field
	/// (a different shape).
	fn retype_call(prefixed: &mut RuntimeMetadataPrefixed, pallet: &str, call: &str) {
		with_metadata!(prefixed, |m| {
			let calls = m.pallets.iter().find(|p| p.name == pallet).unwrap().calls.as_ref();
			let calls_ty = calls.unwrap().ty.id;
			let ty = m.types.types.iter_mut().find(|t| t.id == calls_ty).unwrap();
			let scale_info::TypeDef::Variant(def) = &mut ty.ty.type_def else {
				panic!("a call enum")
			};
			let target = def.variants.iter().position(|v| v.name == call).unwrap();
			let own = def.variants[target].fields[0].ty.id;
			let other = def
				.variants
				.iter()
				.flat_map(|v| v.fields.iter())
				.find(|f| f.ty.id != own)
				.unwrap()
				.ty;
			def.variants[target].fields[0].ty = other;
		})
	}

	/// Moves `pallet` to index 99.
	fn move_pallet(prefixed: &mut RuntimeMetadataPrefixed, pallet: &str) {
		with_metadata!(prefixed, |m| {
			m.pallets.iter_mut().find(|p| p.name == pallet).unwrap().index = 99;
		})
	}

	#[test]
	fn the_workers_own_runtime_is_compatible_and_every_used_item_exists() {
		let m = compiled();
		for &item in USED {
			assert!(fingerprint(m, item).is_some(), "{item} is not in the runtime");
		}
		assert_eq!(check(m, 6), Ok(()));
	}

	#[test]
	fn a_change_to_a_call_the_worker_does_not_use_is_transparent() {
		let node = altered(|p| retype_call(p, "Sprint", "set_pow_params"));
		let used: Vec<Used> =
			USED.iter().copied().filter(|u| *u != Used::Call("Sprint", "set_pow_params")).collect();
		assert_eq!(check_against(compiled(), &node, &used, 7), Ok(()));
	}

	#[test]
	fn a_changed_call_the_worker_uses_is_refused_by_name() {
		let node = altered(|p| retype_call(p, "Sprint", "submit_commitment"));
		let err = check(&node, 7).unwrap_err();
		assert_eq!(
			err.changed,
			vec!["call Sprint.submit_commitment changed its arguments or result"]
		);
		let msg = err.to_string();
		assert!(
			msg.contains("spec_version 7") && msg.contains("Sprint.submit_commitment"),
			"{msg}"
		);
	}

	#[test]
	fn a_moved_pallet_is_refused_for_each_call_it_carries() {
		let node = altered(|p| move_pallet(p, "Inference"));
		let err = check(&node, 7).unwrap_err();
		assert_eq!(err.changed.len(), 2, "{err}");
		assert!(
			err.changed.iter().all(|c| c.contains("Inference.") && c.contains("moved")),
			"{err}"
		);
	}
}
