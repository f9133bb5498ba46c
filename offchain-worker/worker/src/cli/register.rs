//! `gonka-worker register`: registers the host account in the chain's host registry with this
//! worker's key (and the key's proof of possession), endpoint, models and hardware.

use crate::chain::gonka::runtime_types::pallet_gonka_hosts::types::HardwareSpec;
use crate::chain::{gonka, AccountId};
use crate::{chain::ChainClient, daemon::keys};
use anyhow::Context;
use clap::Args;
use gonka_primitives::crypto::worker_pop_payload;
use sp_core::Pair as _;
use std::path::PathBuf;
use subxt::utils::Static;

/// Arguments of `gonka-worker register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// File holding the host account's secret (pays the registry deposit and the fee).
	#[arg(long)]
	pub host_key_file: PathBuf,
	/// File holding the worker key's secret (its proof of possession is signed here).
	#[arg(long)]
	pub worker_key_file: PathBuf,
	/// Where validators and clients reach this worker: `http(s)://host:port`.
	#[arg(long)]
	pub endpoint: String,
	/// Catalogue models served (repeat the flag).
	#[arg(long = "model")]
	pub models: Vec<u32>,
	/// GPU model name.
	#[arg(long, default_value = "CPU")]
	pub gpu_model: String,
	/// Number of GPUs.
	#[arg(long, default_value_t = 0)]
	pub gpu_count: u32,
	/// Memory per GPU in GiB.
	#[arg(long, default_value_t = 0)]
	pub gpu_memory_gib: u32,
}

/// Runs `gonka-worker register`.
pub fn run(args: RegisterArgs) -> anyhow::Result<()> {
	let host = keys::host_key(&args.host_key_file)?;
	let worker = keys::worker_key(&args.worker_key_file)?;
	let account = AccountId::from(host.public_key().0);
	let proof = worker.sign(&worker_pop_payload(&account));
	let call = gonka::tx().hosts().register(
		args.endpoint.as_bytes().to_vec(),
		Static(worker.public()),
		Static(proof),
		args.models.clone(),
		HardwareSpec {
			gpu_model: args.gpu_model.as_bytes().to_vec(),
			gpu_count: args.gpu_count,
			gpu_memory_gib: args.gpu_memory_gib,
		},
	);
	tokio::runtime::Runtime::new()?.block_on(async {
		let chain = ChainClient::connect(&args.url).await?;
		chain.submit_signed(&call, &host).await.context("registration")
	})?;
	println!("registered {account} with worker key 0x{}", hex::encode(worker.public()));
	Ok(())
}
