//! What of the runtime the worker uses, and whether a node's runtime still has it as the
//! worker knows it.
//!
//! The worker's calls, runtime APIs, storage reads and constants are generated from the
//! runtime metadata it was built with ([`super::api`], `metadata/gonka.scale`). They are
//! encoded and decoded by name against the connected node's metadata, so pallet and call
//! indices may move and anything the worker does not use may change freely. What must not
//! change is the *shape* of what it uses: before each use the client compares the generated
//! item's shape hash with the node's (subxt's `validate`) and refuses that one item with
//! [`Incompatible`] naming it. When it first sees a runtime version, the client also lists
//! every used item that changed ([`changed`]) so operators learn at once what an upgrade
//! broke. The hashes are subxt's (`subxt::metadata::utils::validation`); [`USED`] lists every
//! item the worker uses.

use std::sync::{Arc, OnceLock};

use codec::Decode;
use subxt::metadata::Metadata;

/// A piece of the runtime interface the worker uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Used {
	/// A call `(pallet, call)` the worker submits or proposes.
	Call(&'static str, &'static str),
	/// A runtime-API method `(trait, method)`.
	Api(&'static str, &'static str),
	/// A storage item `(pallet, entry)`.
	Storage(&'static str, &'static str),
	/// A constant `(pallet, name)`.
	Constant(&'static str, &'static str),
}

impl std::fmt::Display for Used {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Call(p, c) => write!(f, "call {p}.{c}"),
			Self::Api(t, m) => write!(f, "runtime API {t}_{m}"),
			Self::Storage(p, e) => write!(f, "storage {p}.{e}"),
			Self::Constant(p, c) => write!(f, "constant {p}.{c}"),
		}
	}
}

/// Everything the worker uses of the runtime (the daemon, the market and the CLI).
pub const USED: &[Used] = &[
	Used::Call("Sprint", "submit_commitment"),
	Used::Call("Sprint", "submit_verdicts"),
	Used::Call("Sprint", "set_pow_params"),
	Used::Call("Emission", "claim"),
	Used::Call("Hosts", "register"),
	Used::Call("Hosts", "retire_model"),
	Used::Call("Inference", "open_session"),
	Used::Call("Inference", "close"),
	Used::Call("Inference", "top_up"),
	Used::Call("Inference", "report_miss"),
	Used::Call("Inference", "claim"),
	Used::Call("Inference", "attest"),
	Used::Call("Preimage", "note_preimage"),
	Used::Call("Referenda", "submit"),
	Used::Call("Referenda", "place_decision_deposit"),
	Used::Call("ComputeVoting", "vote"),
	Used::Call("System", "authorize_upgrade"),
	Used::Call("System", "apply_authorized_upgrade"),
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
	Used::Storage("System", "Account"),
	Used::Storage("Referenda", "ReferendumCount"),
	Used::Storage("Referenda", "ReferendumInfoFor"),
	Used::Constant("Sprint", "MaxVerdictsPerCall"),
	Used::Constant("Sprint", "MaxCommitmentsPerHost"),
];

/// The SCALE `RuntimeMetadataPrefixed` the worker's types are generated from.
const OWN: &[u8] = include_bytes!("../../metadata/gonka.scale");

/// The metadata the worker's types are generated from (decoded once; an `Arc`, as
/// [`super::Runtime`] holds it).
pub fn own() -> &'static Arc<Metadata> {
	static METADATA: OnceLock<Arc<Metadata>> = OnceLock::new();
	METADATA.get_or_init(|| {
		Arc::new(Metadata::decode(&mut &OWN[..]).expect("the committed metadata decodes"))
	})
}

/// A node's runtime changed something the worker uses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
	"the node's runtime (spec_version {spec_version}) changed {} that this gonka-worker was built \
	 for. Update gonka-worker to the release for this runtime",
	changed.join("; ")
)]
pub struct Incompatible {
	/// The node's runtime version.
	pub spec_version: u32,
	/// One entry per changed item, naming it (`call Sprint.submit_commitment`).
	pub changed: Vec<String>,
}

impl Incompatible {
	/// One changed item.
	pub fn one(spec_version: u32, item: String) -> Self {
		Self { spec_version, changed: vec![item] }
	}
}

/// The shape hash of `item` in `metadata` (`None` if absent).
fn shape(metadata: &Metadata, item: Used) -> Option<[u8; 32]> {
	match item {
		Used::Call(pallet, call) => metadata.pallet_by_name(pallet)?.call_hash(call),
		Used::Api(api, method) => {
			Some(metadata.runtime_api_trait_by_name(api)?.method_by_name(method)?.hash())
		},
		Used::Storage(pallet, entry) => metadata.pallet_by_name(pallet)?.storage_hash(entry),
		Used::Constant(pallet, name) => metadata.pallet_by_name(pallet)?.constant_hash(name),
	}
}

/// The used items whose shape differs between `own` and `node` (or that `node` lacks).
pub fn changed_against(own: &Metadata, node: &Metadata, used: &[Used]) -> Vec<Used> {
	used.iter().copied().filter(|&item| shape(own, item) != shape(node, item)).collect()
}

/// [`changed_against`] the worker's own metadata for everything in [`USED`].
pub fn changed(node: &Metadata) -> Vec<Used> {
	changed_against(own(), node, USED)
}

/// Fails with [`Incompatible`] naming `call` if `node` (at `spec_version`) does not have it
/// with the shape the worker's generated code expects.
pub fn require_call(
	node: &Metadata,
	spec_version: u32,
	call: &impl subxt::transactions::Payload,
) -> Result<(), Incompatible> {
	let Some(d) = call.validation_details() else { return Ok(()) };
	let hash = node.pallet_by_name(d.pallet_name).and_then(|p| p.call_hash(d.call_name));
	if hash == Some(d.hash) {
		Ok(())
	} else {
		Err(Incompatible::one(spec_version, format!("call {}.{}", d.pallet_name, d.call_name)))
	}
}

/// [`require_call`] for a runtime API the worker is about to call.
pub fn require_api(
	node: &Metadata,
	spec_version: u32,
	api: &impl subxt::runtime_apis::Payload,
) -> Result<(), Incompatible> {
	let hash = node
		.runtime_api_trait_by_name(api.trait_name())
		.and_then(|t| t.method_by_name(api.method_name()))
		.map(|m| m.hash());
	match api.validation_hash() {
		Some(h) if hash != Some(h) => Err(Incompatible::one(
			spec_version,
			format!("runtime API {}_{}", api.trait_name(), api.method_name()),
		)),
		_ => Ok(()),
	}
}

/// [`require_call`] for a constant the worker is about to read.
pub fn require_constant(
	node: &Metadata,
	spec_version: u32,
	address: &impl subxt::constants::Address,
) -> Result<(), Incompatible> {
	let hash = node
		.pallet_by_name(address.pallet_name())
		.and_then(|p| p.constant_hash(address.constant_name()));
	match address.validation_hash() {
		Some(h) if hash != Some(h) => Err(Incompatible::one(
			spec_version,
			format!("constant {}.{}", address.pallet_name(), address.constant_name()),
		)),
		_ => Ok(()),
	}
}

/// [`require_call`] for a storage item the worker is about to read.
pub fn require_storage(
	node: &Metadata,
	spec_version: u32,
	address: &impl subxt::storage::Address,
) -> Result<(), Incompatible> {
	let hash = node
		.pallet_by_name(address.pallet_name())
		.and_then(|p| p.storage_hash(address.entry_name()));
	match address.validation_hash() {
		Some(h) if hash != Some(h) => Err(Incompatible::one(
			spec_version,
			format!("storage {}.{}", address.pallet_name(), address.entry_name()),
		)),
		_ => Ok(()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use subxt::ext::frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};

	/// The worker's own metadata, edited by `edit`.
	pub(crate) fn altered(edit: impl FnOnce(&mut RuntimeMetadataPrefixed)) -> Metadata {
		let mut prefixed = RuntimeMetadataPrefixed::decode(&mut &OWN[..]).unwrap();
		edit(&mut prefixed);
		Metadata::decode(&mut &prefixed.encode()[..]).unwrap()
	}

	/// Gives the first field of call `call` of `pallet` the type of another call's first field
	/// (a different shape).
	pub(crate) fn retype_call(prefixed: &mut RuntimeMetadataPrefixed, pallet: &str, call: &str) {
		let RuntimeMetadata::V16(m) = &mut prefixed.1 else { panic!("V16 metadata") };
		let calls = m.pallets.iter().find(|p| p.name == pallet).unwrap().calls.as_ref();
		let calls_ty = calls.unwrap().ty.id;
		let ty = m.types.types.iter_mut().find(|t| t.id == calls_ty).unwrap();
		let scale_info::TypeDef::Variant(def) = &mut ty.ty.type_def else { panic!("a call enum") };
		let target = def.variants.iter().position(|v| v.name == call).unwrap();
		let own = def.variants[target].fields[0].ty.id;
		let other =
			def.variants.iter().flat_map(|v| v.fields.iter()).find(|f| f.ty.id != own).unwrap().ty;
		def.variants[target].fields[0].ty = other;
	}

	#[test]
	fn every_used_item_is_in_the_workers_metadata() {
		for &item in USED {
			assert!(shape(own(), item).is_some(), "{item} is not in metadata/gonka.scale");
		}
		assert!(changed(own()).is_empty());
	}

	#[test]
	fn a_change_to_a_call_the_worker_does_not_use_is_transparent() {
		let node = altered(|p| retype_call(p, "Sprint", "set_pow_params"));
		let used: Vec<Used> =
			USED.iter().copied().filter(|u| *u != Used::Call("Sprint", "set_pow_params")).collect();
		assert!(changed_against(own(), &node, &used).is_empty());
	}

	#[test]
	fn a_changed_call_the_worker_uses_is_named() {
		let node = altered(|p| retype_call(p, "Sprint", "submit_commitment"));
		assert_eq!(changed(&node), vec![Used::Call("Sprint", "submit_commitment")]);
		let msg = Incompatible::one(7, changed(&node)[0].to_string()).to_string();
		assert!(
			msg.contains("spec_version 7") && msg.contains("call Sprint.submit_commitment"),
			"{msg}"
		);
	}

	#[test]
	fn a_worker_refuses_exactly_the_changed_call_by_name() {
		use crate::chain::gonka;
		use gonka_primitives::{crypto::worker::WorkerSignature, pow::SprintCommitment};
		let node = altered(|p| retype_call(p, "Sprint", "submit_commitment"));
		let commitment = gonka::tx().sprint().submit_commitment(
			subxt::utils::Static(SprintCommitment {
				epoch: 1,
				count: 0,
				merkle_root: Default::default(),
			}),
			0,
			[0u8; 32].into(),
			subxt::utils::Static(WorkerSignature::decode(&mut &[0u8; 64][..]).unwrap()),
		);
		let err = require_call(&node, 7, &commitment).unwrap_err();
		assert_eq!(err.changed, vec!["call Sprint.submit_commitment".to_string()]);
		let msg = err.to_string();
		assert!(msg.contains("spec_version 7") && msg.contains("Update gonka-worker"), "{msg}");
		// The same call against the worker's own runtime, and an unchanged call against the
		// altered one, pass.
		assert_eq!(require_call(own(), 7, &commitment), Ok(()));
		let params = gonka::tx()
			.sprint()
			.set_pow_params(subxt::utils::Static(gonka_pow::params::tiny_params()));
		assert_eq!(require_call(&node, 7, &params), Ok(()));
		let api = gonka::runtime_apis().sprint_api().epoch_status();
		assert_eq!(require_api(&node, 7, &api), Ok(()));
	}

	#[test]
	fn a_changed_runtime_api_is_refused_by_name() {
		use crate::chain::gonka;
		let node = altered(|p| {
			let RuntimeMetadata::V16(m) = &mut p.1 else { panic!("V16 metadata") };
			let api = m.apis.iter_mut().find(|a| a.name == "SprintApi").unwrap();
			let method = api.methods.iter_mut().find(|m| m.name == "weight_of").unwrap();
			method.inputs.pop();
		});
		let api = gonka::runtime_apis().sprint_api().weight_of(1, [0u8; 32].into());
		let err = require_api(&node, 8, &api).unwrap_err();
		assert_eq!(err.changed, vec!["runtime API SprintApi_weight_of".to_string()]);
		assert_eq!(changed(&node), vec![Used::Api("SprintApi", "weight_of")]);
	}

	#[test]
	fn a_moved_pallet_is_transparent_because_calls_are_encoded_by_name() {
		let node = altered(|p| {
			let RuntimeMetadata::V16(m) = &mut p.1 else { panic!("V16 metadata") };
			m.pallets.iter_mut().find(|p| p.name == "Inference").unwrap().index = 99;
		});
		assert!(changed(&node).is_empty());
	}
}
