//! `gonka-worker gov`: propose, vote on and list compute-weighted referenda from a host's
//! machine, the same actions Polkadot.js Apps offers (`Referenda.submit`,
//! `Referenda.place_decision_deposit`, `ComputeVoting.vote`).
//!
//! Proposals are encoded with the runtime's own types (`--set-pow-params`, `--authorize-upgrade`,
//! `--spend-gnk`) or given as the hex call data Polkadot.js shows (`--call` with `--track`).
//! Calls up to 128 bytes travel inline; longer ones are noted as a preimage first.

use crate::{
	chain::{parse_account, ChainClient},
	daemon::keys,
};
use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use codec::{Decode, Encode};
use gonka_primitives::pow::PowParams;
use gonka_runtime::{
	governance::tracks::{ids, track_id, track_name, TrackId},
	Runtime, RuntimeCall, GNK,
};
use pallet_referenda::{ReferendumInfo, ReferendumInfoOf};
use serde_json::json;
use std::path::PathBuf;
use subxt::dynamic::Value;

/// The runtime's hash of `bytes` (how preimages and code are named on chain).
fn blake2_256(bytes: &[u8]) -> sp_core::H256 {
	use frame_support::sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash(bytes)
}

/// Longest call that is proposed inline rather than as a preimage.
const MAX_INLINE: usize = 128;

/// `gonka-worker gov` subcommands.
#[derive(Debug, Subcommand)]
pub enum GovCommand {
	/// Submit a referendum as an active host (paying the submission deposit) and place its
	/// decision deposit.
	Propose(ProposeArgs),
	/// Vote on a referendum with the host's compute weight in the active epoch.
	Vote(VoteArgs),
	/// List the referenda: track, status, tally, approval and support.
	List(ListArgs),
	/// Hand in the runtime WASM a `root` referendum authorised (`System.apply_authorized_upgrade`).
	ApplyUpgrade(ApplyUpgradeArgs),
}

/// The node and the host account that signs.
#[derive(Debug, Args)]
pub struct Signer {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// File holding the host account's secret (a chmod-600 file with e.g. `//Alice`).
	#[arg(long)]
	pub host_key_file: PathBuf,
}

/// Arguments of `gonka-worker gov propose`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("proposal").required(true).multiple(false)))]
pub struct ProposeArgs {
	/// Who signs (the host's key).
	#[command(flatten)]
	pub signer: Signer,
	/// New sprint PoW parameters as JSON (`{"dim":64,"layers":2,...}`, all fields); track
	/// `parameters`.
	#[arg(long, group = "proposal")]
	pub set_pow_params: Option<String>,
	/// A runtime WASM file whose upgrade to authorise; track `root`.
	#[arg(long, group = "proposal")]
	pub authorize_upgrade: Option<PathBuf>,
	/// GNK to pay from the community pool to `--beneficiary`; track `community-pool`.
	#[arg(long, group = "proposal", requires = "beneficiary")]
	pub spend_gnk: Option<u64>,
	/// Who receives `--spend-gnk` (SS58 or 0x-hex).
	#[arg(long)]
	pub beneficiary: Option<String>,
	/// Any call as hex-encoded call data (as Polkadot.js shows it); needs `--track`.
	#[arg(long, group = "proposal", requires = "track")]
	pub call: Option<String>,
	/// The track (its origin dispatches the call): root, parameters, catalogue, community-pool.
	#[arg(long)]
	pub track: Option<String>,
	/// Only submit; leave the decision deposit to someone else.
	#[arg(long)]
	pub no_decision_deposit: bool,
	/// Print JSON instead of text.
	#[arg(long)]
	pub json: bool,
}

/// A vote.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VoteChoice {
	/// For the proposal.
	Aye,
	/// Against it.
	Nay,
	/// Counts for support only.
	Abstain,
}

/// Arguments of `gonka-worker gov vote`.
#[derive(Debug, Args)]
pub struct VoteArgs {
	/// Who signs (the host's key).
	#[command(flatten)]
	pub signer: Signer,
	/// The referendum index.
	pub referendum: u32,
	/// aye, nay or abstain.
	pub vote: VoteChoice,
}

/// Arguments of `gonka-worker gov list`.
#[derive(Debug, Args)]
pub struct ListArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Include finished referenda.
	#[arg(long)]
	pub all: bool,
	/// Print JSON instead of text.
	#[arg(long)]
	pub json: bool,
}

/// Arguments of `gonka-worker gov apply-upgrade`.
#[derive(Debug, Args)]
pub struct ApplyUpgradeArgs {
	/// Who signs (the host's key).
	#[command(flatten)]
	pub signer: Signer,
	/// The runtime WASM file the referendum authorised.
	#[arg(long)]
	pub wasm: PathBuf,
}

/// Runs a `gonka-worker gov` subcommand.
pub fn run(command: GovCommand) -> anyhow::Result<()> {
	let runtime = tokio::runtime::Runtime::new()?;
	runtime.block_on(async {
		match command {
			GovCommand::Propose(args) => propose(args).await,
			GovCommand::Vote(args) => vote(args).await,
			GovCommand::List(args) => list(args).await,
			GovCommand::ApplyUpgrade(args) => apply_upgrade(args).await,
		}
	})
}

/// The call a `propose` asks for, and its track.
fn proposal(args: &ProposeArgs) -> anyhow::Result<(Vec<u8>, TrackId)> {
	let named_track = match &args.track {
		Some(name) => Some(track_id(name).ok_or_else(|| {
			anyhow!("unknown track {name:?}: use root, parameters, catalogue or community-pool")
		})?),
		None => None,
	};
	let (call, default_track) = if let Some(json) = &args.set_pow_params {
		let params: PowParams = serde_json::from_str(json)
			.context("--set-pow-params: expected the JSON of all PoW parameters")?;
		let call = RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params { params });
		(call.encode(), ids::PARAMETERS)
	} else if let Some(path) = &args.authorize_upgrade {
		let code = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
		let code_hash = blake2_256(&code);
		let call = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });
		(call.encode(), ids::ROOT)
	} else if let Some(gnk) = args.spend_gnk {
		let beneficiary = parse_account(args.beneficiary.as_deref().unwrap_or_default())?;
		let call = RuntimeCall::Treasury(pallet_treasury::Call::spend {
			asset_kind: Box::new(()),
			amount: gnk as u128 * GNK,
			beneficiary: Box::new(beneficiary),
			valid_from: None,
		});
		(call.encode(), ids::COMMUNITY_POOL)
	} else if let Some(hex) = &args.call {
		let bytes = hex::decode(hex.trim_start_matches("0x"))
			.map_err(|e| anyhow!("--call: not hex ({e})"))?;
		RuntimeCall::decode(&mut &bytes[..])
			.map_err(|e| anyhow!("--call: not a call of this runtime ({e})"))?;
		(bytes, named_track.expect("clap requires --track with --call"))
	} else {
		bail!("say what to propose: --set-pow-params, --authorize-upgrade, --spend-gnk or --call");
	};
	Ok((call, named_track.unwrap_or(default_track)))
}

/// The origin (`OriginCaller`) a track's referenda dispatch with.
fn track_origin(track: TrackId) -> Value {
	let custom = |name: &str| Value::unnamed_variant("Origins", [Value::unnamed_variant(name, [])]);
	match track {
		ids::PARAMETERS => custom("ParametersAdmin"),
		ids::CATALOGUE => custom("CatalogueAdmin"),
		ids::COMMUNITY_POOL => custom("CommunityPoolSpender"),
		_ => Value::unnamed_variant("system", [Value::unnamed_variant("Root", [])]),
	}
}

async fn propose(args: ProposeArgs) -> anyhow::Result<()> {
	let (call, track) = proposal(&args)?;
	let host = keys::host_key(&args.signer.host_key_file)?;
	let chain = ChainClient::connect(&args.signer.url).await?;

	let bounded = if call.len() <= MAX_INLINE {
		Value::unnamed_variant("Inline", [Value::from_bytes(&call)])
	} else {
		let note = subxt::dynamic::transaction(
			"Preimage",
			"note_preimage",
			vec![Value::from_bytes(&call)],
		);
		chain.submit_signed(&note, &host).await.context("noting the preimage")?;
		Value::named_variant(
			"Lookup",
			[
				("hash", Value::from_bytes(blake2_256(&call))),
				("len", Value::u128(call.len() as u128)),
			],
		)
	};
	let submit = subxt::dynamic::transaction(
		"Referenda",
		"submit",
		vec![track_origin(track), bounded, Value::unnamed_variant("After", [Value::u128(0)])],
	);
	let events = chain
		.submit_signed_events(&submit, &host)
		.await
		.context("Referenda.submit (is the signer an active host with the submission deposit?)")?;
	let index = events
		.iter()
		.find(|(pallet, event, _)| pallet == "Referenda" && event == "Submitted")
		.and_then(|(_, _, fields)| u32::decode(&mut &fields[..]).ok())
		.ok_or_else(|| anyhow!("Referenda.submit emitted no Submitted event"))?;
	if !args.no_decision_deposit {
		let deposit = subxt::dynamic::transaction(
			"Referenda",
			"place_decision_deposit",
			vec![Value::u128(index as u128)],
		);
		chain.submit_signed(&deposit, &host).await.context("Referenda.place_decision_deposit")?;
	}
	let name = track_name(track).unwrap_or("?");
	if args.json {
		println!(
			"{}",
			json!({ "index": index, "track": name, "callHex": format!("0x{}", hex::encode(&call)) })
		);
	} else {
		println!("referendum {index} submitted on track {name}");
	}
	Ok(())
}

async fn vote(args: VoteArgs) -> anyhow::Result<()> {
	let host = keys::host_key(&args.signer.host_key_file)?;
	let chain = ChainClient::connect(&args.signer.url).await?;
	let choice = match args.vote {
		VoteChoice::Aye => "Aye",
		VoteChoice::Nay => "Nay",
		VoteChoice::Abstain => "Abstain",
	};
	let call = subxt::dynamic::transaction(
		"ComputeVoting",
		"vote",
		vec![Value::u128(args.referendum as u128), Value::unnamed_variant(choice, [])],
	);
	chain.submit_signed(&call, &host).await.context(
		"ComputeVoting.vote (NoComputeWeight: the account proved no compute this epoch)",
	)?;
	println!("voted {choice} on referendum {}", args.referendum);
	Ok(())
}

/// One referendum as `gov list` shows it.
fn describe(
	index: u32,
	info: &ReferendumInfoOf<Runtime, ()>,
	electorate: u128,
) -> serde_json::Value {
	let percent =
		|part: u128, whole: u128| if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 };
	match info {
		ReferendumInfo::Ongoing(status) => {
			let t = &status.tally;
			let phase = match (&status.decision_deposit, &status.deciding) {
				(None, _) => "awaiting decision deposit".to_owned(),
				(_, None) => "preparing".to_owned(),
				(_, Some(d)) => match d.confirming {
					Some(until) => format!("confirming until #{until}"),
					None => format!("deciding since #{}", d.since),
				},
			};
			json!({
				"index": index,
				"track": track_name(status.track).unwrap_or("?"),
				"status": "ongoing",
				"phase": phase,
				"ayes": t.ayes.to_string(),
				"nays": t.nays.to_string(),
				"abstains": t.abstains.to_string(),
				"approvalPercent": percent(t.ayes, t.ayes + t.nays),
				"supportPercent": percent((t.ayes + t.abstains).min(electorate), electorate),
				"submittedAt": status.submitted,
			})
		},
		other => {
			let (status, at) = match other {
				ReferendumInfo::Approved(at, ..) => ("approved", *at),
				ReferendumInfo::Rejected(at, ..) => ("rejected", *at),
				ReferendumInfo::Cancelled(at, ..) => ("cancelled", *at),
				ReferendumInfo::TimedOut(at, ..) => ("timed out", *at),
				ReferendumInfo::Killed(at) => ("killed", *at),
				ReferendumInfo::Ongoing(_) => unreachable!(),
			};
			json!({ "index": index, "status": status, "endedAt": at })
		},
	}
}

async fn list(args: ListArgs) -> anyhow::Result<()> {
	let chain = ChainClient::connect(&args.url).await?;
	let count = match chain
		.storage_raw(pallet_referenda::ReferendumCount::<Runtime>::hashed_key().to_vec())
		.await?
	{
		Some(bytes) => u32::decode(&mut &bytes[..]).context("ReferendumCount")?,
		None => 0,
	};
	let electorate = match chain.active_epoch().await? {
		Some(epoch) => chain.total_weight(epoch).await?,
		None => 0,
	};
	let mut shown = Vec::new();
	for index in 0..count {
		let key = pallet_referenda::ReferendumInfoFor::<Runtime>::hashed_key_for(index);
		let Some(bytes) = chain.storage_raw(key).await? else { continue };
		let info = ReferendumInfoOf::<Runtime, ()>::decode(&mut &bytes[..])
			.with_context(|| format!("referendum {index}"))?;
		if args.all || matches!(info, ReferendumInfo::Ongoing(_)) {
			shown.push(describe(index, &info, electorate));
		}
	}
	if args.json {
		println!(
			"{}",
			serde_json::to_string_pretty(
				&json!({ "electorate": electorate.to_string(), "referenda": shown })
			)?
		);
		return Ok(());
	}
	if shown.is_empty() {
		println!("no {}referenda", if args.all { "" } else { "ongoing " });
	}
	for r in shown {
		match r["status"].as_str() {
			Some("ongoing") => println!(
				"#{} {:<14} {:<28} ayes {} nays {} abstain {}  approval {:.1}%  support {:.1}%",
				r["index"],
				r["track"].as_str().unwrap_or("?"),
				r["phase"].as_str().unwrap_or(""),
				r["ayes"].as_str().unwrap_or("0"),
				r["nays"].as_str().unwrap_or("0"),
				r["abstains"].as_str().unwrap_or("0"),
				r["approvalPercent"].as_f64().unwrap_or(0.0),
				r["supportPercent"].as_f64().unwrap_or(0.0),
			),
			status => println!("#{} {} at #{}", r["index"], status.unwrap_or("?"), r["endedAt"]),
		}
	}
	Ok(())
}

async fn apply_upgrade(args: ApplyUpgradeArgs) -> anyhow::Result<()> {
	let code =
		std::fs::read(&args.wasm).with_context(|| format!("reading {}", args.wasm.display()))?;
	let host = keys::host_key(&args.signer.host_key_file)?;
	let chain = ChainClient::connect(&args.signer.url).await?;
	let call = subxt::dynamic::transaction(
		"System",
		"apply_authorized_upgrade",
		vec![Value::from_bytes(&code)],
	);
	chain.submit_signed(&call, &host).await.context(
		"System.apply_authorized_upgrade (was exactly this file authorised by a root referendum?)",
	)?;
	println!(
		"upgrade handed in ({} bytes); the relay chain enacts it after its upgrade delay",
		code.len()
	);
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use clap::Parser;

	/// Parses `gonka-worker gov propose --host-key-file k <flags>` and builds its proposal.
	fn parse(flags: &[&str]) -> anyhow::Result<(Vec<u8>, TrackId)> {
		let prefix = ["gonka-worker", "gov", "propose", "--host-key-file", "k"];
		let cli = crate::cli::Cli::try_parse_from(prefix.iter().chain(flags))?;
		let crate::cli::Command::Gov(GovCommand::Propose(args)) = cli.command else {
			bail!("not a propose")
		};
		proposal(&args)
	}

	#[test]
	fn pow_params_go_to_the_parameters_track_and_decode_as_the_runtime_call() {
		let json =
			serde_json::to_string(&gonka_runtime::genesis_config_presets::DEV_POW_PARAMS).unwrap();
		let (call, track) = parse(&["--set-pow-params", &json]).unwrap();
		assert_eq!(track, ids::PARAMETERS);
		let decoded = RuntimeCall::decode(&mut &call[..]).unwrap();
		assert!(matches!(
			decoded,
			RuntimeCall::Sprint(pallet_gonka_sprint::Call::set_pow_params { .. })
		));
	}

	#[test]
	fn bad_proposals_are_named() {
		let err = parse(&["--set-pow-params", "{}"]).unwrap_err();
		assert!(err.to_string().contains("--set-pow-params"), "{err}");
		let err = parse(&["--call", "0x00ff", "--track", "parameters"]).unwrap_err();
		assert!(err.to_string().contains("not a call of this runtime"), "{err}");
		let err = parse(&["--call", "0x00", "--track", "moon"]).unwrap_err();
		assert!(err.to_string().contains("unknown track"), "{err}");
		// --call without --track, and --spend-gnk without --beneficiary, are refused by the parser.
		assert!(parse(&["--call", "0x00"]).is_err());
		assert!(parse(&["--spend-gnk", "5"]).is_err());
	}

	#[test]
	fn a_raw_call_keeps_its_bytes_and_the_named_track() {
		let call = RuntimeCall::Hosts(pallet_gonka_hosts::Call::retire_model { model: 3 }).encode();
		let hex = format!("0x{}", hex::encode(&call));
		let (bytes, track) = parse(&["--call", &hex, "--track", "catalogue"]).unwrap();
		assert_eq!((bytes, track), (call, ids::CATALOGUE));
	}

	#[test]
	fn spends_go_to_the_community_pool_track() {
		let (call, track) = parse(&[
			"--spend-gnk",
			"250",
			"--beneficiary",
			"5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
		])
		.unwrap();
		assert_eq!(track, ids::COMMUNITY_POOL);
		let RuntimeCall::Treasury(pallet_treasury::Call::spend { amount, .. }) =
			RuntimeCall::decode(&mut &call[..]).unwrap()
		else {
			panic!("a treasury spend")
		};
		assert_eq!(amount, 250 * GNK);
	}
}
