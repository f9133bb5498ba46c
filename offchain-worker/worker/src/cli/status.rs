//! `gonka-worker status`: a host's epoch, phase, weight and GNK to claim, read from a node.

use crate::chain::{parse_account, status::HostStatus, ChainClient};
use clap::Args;

/// Arguments of `gonka-worker status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The host account (SS58 or 0x-hex).
	#[arg(long)]
	pub host: String,
	/// Print JSON instead of text.
	#[arg(long)]
	pub json: bool,
}

/// Runs `gonka-worker status`.
pub fn run(args: StatusArgs) -> anyhow::Result<()> {
	let host = parse_account(&args.host)?;
	let runtime = tokio::runtime::Runtime::new()?;
	let status = runtime.block_on(async {
		let chain = ChainClient::connect(&args.url).await?;
		HostStatus::fetch(&chain, host).await
	})?;
	if args.json {
		println!("{}", serde_json::to_string_pretty(&status.to_json())?);
	} else {
		println!("{}", status.to_text());
	}
	Ok(())
}
