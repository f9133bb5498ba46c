//! `gonka-worker gov`: propose, vote on and list compute-weighted referenda from a host's
//! machine, the same actions Polkadot.js Apps offers (`Referenda.submit`,
//! `Referenda.place_decision_deposit`, `ComputeVoting.vote`).
//!
//! Proposals are encoded with the calls generated from the runtime's metadata
//! (`--set-pow-params`, `--authorize-upgrade`, `--spend-gnk`) against the connected node's
//! metadata, or given as the hex call data Polkadot.js shows (`--call` with `--track`, checked
//! to decode as a call of the node's runtime). Tracks are found by name in the node's
//! `Referenda.Tracks`. Calls up to 128 bytes travel inline; longer ones are noted as a
//! preimage first.

use crate::{
	chain::{call_data, gonka, parse_account, ChainClient, Runtime},
	daemon::keys,
};
use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand, ValueEnum};
use codec::Decode;
use gonka::runtime_types as rt;
use gonka_primitives::{pow::PowParams, GNK};
use rt::frame_support::traits::{preimages::Bounded, schedule::DispatchTime};
use serde_json::json;
use std::path::PathBuf;
use subxt::utils::Static;

/// The runtime's hash of `bytes` (how preimages and code are named on chain).
fn blake2_256(bytes: &[u8]) -> sp_core::H256 {
	sp_core::H256(sp_crypto_hashing::blake2_256(bytes))
}

/// A referendum as `Referenda.ReferendumInfoFor` stores it.
type ReferendumInfo = gonka::referenda::storage::referendum_info_for::Output;

/// The tracks this CLI proposes on, by name (the runtime's `governance::tracks`), with the
/// origin their referenda dispatch with.
const TRACKS: &[&str] = &["root", "parameters", "catalogue", "community-pool"];

/// The origin referenda on track `name` dispatch with.
fn track_origin(name: &str) -> rt::gonka_runtime::OriginCaller {
	use rt::gonka_runtime::governance::origins::pallet_custom_origins::Origin;
	use rt::gonka_runtime::OriginCaller;
	match name {
		"parameters" => OriginCaller::Origins(Origin::ParametersAdmin),
		"catalogue" => OriginCaller::Origins(Origin::CatalogueAdmin),
		"community-pool" => OriginCaller::Origins(Origin::CommunityPoolSpender),
		_ => OriginCaller::system(rt::frame_support::dispatch::RawOrigin::Root),
	}
}

/// A track's name as `Referenda.Tracks` spells it (NUL-padded to a fixed width), trimmed.
fn track_name(raw: &str) -> String {
	raw.trim_end_matches('\0').to_owned()
}

/// The tracks of the connected runtime: `id -> name` (`Referenda.Tracks`).
async fn tracks(chain: &ChainClient) -> anyhow::Result<Vec<(u16, String)>> {
	let tracks = chain.constant(gonka::constants().referenda().tracks()).await?;
	Ok(tracks.into_iter().map(|(id, t)| (id, track_name(&t.name))).collect())
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

/// The call a `propose` asks for, as call data of `runtime` (the connected node's), and the name
/// of its track.
fn proposal(args: &ProposeArgs, runtime: &Runtime) -> anyhow::Result<(Vec<u8>, &'static str)> {
	let metadata = &*runtime.metadata;
	let named_track = match &args.track {
		Some(name) => Some(*TRACKS.iter().find(|t| **t == name.as_str()).ok_or_else(|| {
			anyhow!("unknown track {name:?}: use root, parameters, catalogue or community-pool")
		})?),
		None => None,
	};
	let (call, default_track) = if let Some(json) = &args.set_pow_params {
		let params: PowParams = serde_json::from_str(json)
			.context("--set-pow-params: expected the JSON of all PoW parameters")?;
		(call_data(runtime, &gonka::tx().sprint().set_pow_params(Static(params)))?, "parameters")
	} else if let Some(path) = &args.authorize_upgrade {
		let code = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
		let call = gonka::tx().system().authorize_upgrade(blake2_256(&code));
		(call_data(runtime, &call)?, "root")
	} else if let Some(gnk) = args.spend_gnk {
		let beneficiary = parse_account(args.beneficiary.as_deref().unwrap_or_default())?;
		let call = gonka::tx().treasury().spend((), gnk as u128 * GNK, beneficiary, None);
		(call_data(runtime, &call)?, "community-pool")
	} else if let Some(hex) = &args.call {
		let bytes = hex::decode(hex.trim_start_matches("0x"))
			.map_err(|e| anyhow!("--call: not hex ({e})"))?;
		let ty = metadata.outer_enums().call_enum_ty();
		let rest = &mut &bytes[..];
		subxt::ext::scale_value::scale::decode_as_type(rest, ty, metadata.types())
			.map_err(|e| anyhow!("--call: not a call of this runtime ({e})"))?;
		if !rest.is_empty() {
			bail!("--call: not a call of this runtime ({} bytes left over)", rest.len());
		}
		(bytes, named_track.expect("clap requires --track with --call"))
	} else {
		bail!("say what to propose: --set-pow-params, --authorize-upgrade, --spend-gnk or --call");
	};
	Ok((call, named_track.unwrap_or(default_track)))
}

async fn propose(args: ProposeArgs) -> anyhow::Result<()> {
	let host = keys::host_key(&args.signer.host_key_file)?;
	let chain = ChainClient::connect(&args.signer.url).await?;
	let (call, track) = proposal(&args, &chain.runtime().await?)?;
	if !tracks(&chain).await?.iter().any(|(_, name)| name == track) {
		bail!("the node's runtime has no track {track:?}");
	}

	let bounded = if call.len() <= MAX_INLINE {
		Bounded::Inline(call.clone())
	} else {
		let note = gonka::tx().preimage().note_preimage(call.clone());
		chain.submit_signed(&note, &host).await.context("noting the preimage")?;
		Bounded::Lookup { hash: blake2_256(&call), len: call.len() as u32 }
	};
	let submit =
		gonka::tx().referenda().submit(track_origin(track), bounded, DispatchTime::After(0));
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
		let deposit = gonka::tx().referenda().place_decision_deposit(index);
		chain.submit_signed(&deposit, &host).await.context("Referenda.place_decision_deposit")?;
	}
	let name = track;
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
	use rt::pallet_gonka_compute_voting::ComputeVote;
	let (choice, vote) = match args.vote {
		VoteChoice::Aye => ("Aye", ComputeVote::Aye),
		VoteChoice::Nay => ("Nay", ComputeVote::Nay),
		VoteChoice::Abstain => ("Abstain", ComputeVote::Abstain),
	};
	let call = gonka::tx().compute_voting().vote(args.referendum, vote);
	chain.submit_signed(&call, &host).await.map_err(|e| {
		let hint = if format!("{e:#}").contains("NoComputeWeight") {
			" (NoComputeWeight: the account proved no compute in the voting epoch)"
		} else {
			""
		};
		e.context(format!("ComputeVoting.vote on referendum {}{hint}", args.referendum))
	})?;
	println!("voted {choice} on referendum {}", args.referendum);
	Ok(())
}

/// One referendum as `gov list` shows it.
fn describe(
	index: u32,
	info: &ReferendumInfo,
	electorate: u128,
	tracks: &[(u16, String)],
) -> serde_json::Value {
	use rt::pallet_referenda::types::ReferendumInfo;
	let track_name = |id: u16| tracks.iter().find(|(t, _)| *t == id).map(|(_, n)| n.as_str());
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
	let count =
		chain.fetch(gonka::storage().referenda().referendum_count(), ()).await?.unwrap_or(0);
	let tracks = tracks(&chain).await?;
	let electorate = match chain.active_epoch().await? {
		Some(epoch) => chain.total_weight(epoch).await?,
		None => 0,
	};
	let mut shown = Vec::new();
	for index in 0..count {
		let address = gonka::storage().referenda().referendum_info_for();
		let Some(info) = chain.fetch(address, (index,)).await? else { continue };
		let ongoing = matches!(info, rt::pallet_referenda::types::ReferendumInfo::Ongoing(_));
		if args.all || ongoing {
			shown.push(describe(index, &info, electorate, &tracks));
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
	let call = gonka::tx().system().apply_authorized_upgrade(code.clone());
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
	use crate::chain::compat::own;
	use clap::Parser;

	/// Parses `gonka-worker gov propose --host-key-file k <flags>` and builds its proposal
	/// against the worker's own metadata.
	fn parse(flags: &[&str]) -> anyhow::Result<(Vec<u8>, &'static str)> {
		let prefix = ["gonka-worker", "gov", "propose", "--host-key-file", "k"];
		let cli = crate::cli::Cli::try_parse_from(prefix.iter().chain(flags))?;
		let crate::cli::Command::Gov(GovCommand::Propose(args)) = cli.command else {
			bail!("not a propose")
		};
		proposal(&args, &own_runtime())
	}

	/// The worker's own runtime (its metadata, at the version it was generated at).
	fn own_runtime() -> Runtime {
		Runtime { spec_version: 6, metadata: own().clone() }
	}

	/// Decodes call data as the generated `RuntimeCall`.
	fn decode(call: &[u8]) -> rt::gonka_runtime::RuntimeCall {
		use subxt::ext::scale_decode::DecodeAsType;
		let m = own();
		let ty = m.outer_enums().call_enum_ty();
		let mut rest = call;
		let decoded = DecodeAsType::decode_as_type(&mut rest, ty, m.types()).unwrap();
		assert!(rest.is_empty());
		decoded
	}

	#[test]
	fn pow_params_go_to_the_parameters_track_and_decode_as_the_runtime_call() {
		let params = gonka_pow::params::tiny_params();
		let json = serde_json::to_string(&params).unwrap();
		let (call, track) = parse(&["--set-pow-params", &json]).unwrap();
		assert_eq!(track, "parameters");
		let rt::gonka_runtime::RuntimeCall::Sprint(
			rt::pallet_gonka_sprint::pallet::Call::set_pow_params { params: decoded },
		) = decode(&call)
		else {
			panic!("a Sprint.set_pow_params call")
		};
		assert_eq!(decoded.0, params);
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
		let call = call_data(&own_runtime(), &gonka::tx().hosts().retire_model(3)).unwrap();
		let hex = format!("0x{}", hex::encode(&call));
		let (bytes, track) = parse(&["--call", &hex, "--track", "catalogue"]).unwrap();
		assert_eq!((bytes, track), (call, "catalogue"));
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
		assert_eq!(track, "community-pool");
		let rt::gonka_runtime::RuntimeCall::Treasury(rt::pallet_treasury::pallet::Call::spend {
			amount,
			..
		}) = decode(&call)
		else {
			panic!("a treasury spend")
		};
		assert_eq!(amount, 250 * GNK);
	}

	#[test]
	fn every_track_this_cli_names_is_in_the_runtime() {
		use subxt::ext::scale_decode::DecodeAsType;
		let c = own()
			.pallet_by_name("Referenda")
			.and_then(|p| p.constant_by_name("Tracks"))
			.expect("Referenda.Tracks");
		let tracks: Vec<(u16, rt::pallet_referenda::types::TrackDetails<u128, u32, String>)> =
			DecodeAsType::decode_as_type(&mut c.value(), c.ty(), own().types()).unwrap();
		let names: Vec<String> = tracks.iter().map(|(_, t)| track_name(&t.name)).collect();
		assert_eq!(names, TRACKS);
	}
}
