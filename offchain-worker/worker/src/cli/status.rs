//! `gonka-worker status`: a host's epoch, phase, weight and GNK to claim, read from a node.

use crate::chain::{parse_account, status::HostStatus, ChainClient};
use clap::Args;

/// Arguments of `gonka-worker status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// The host account (SS58 or 0x-hex); repeat for several hosts.
	#[arg(long, required = true)]
	pub host: Vec<String>,
	/// Print JSON instead of text.
	#[arg(long, conflicts_with = "watch")]
	pub json: bool,
	/// Print one status line every this many seconds until Ctrl-C.
	#[arg(long)]
	pub watch: Option<u64>,
}

/// Runs `gonka-worker status`.
pub fn run(args: StatusArgs) -> anyhow::Result<()> {
	let hosts = args.host.iter().map(|h| parse_account(h)).collect::<anyhow::Result<Vec<_>>>()?;
	let runtime = tokio::runtime::Runtime::new()?;
	runtime.block_on(async {
		let chain = ChainClient::connect(&args.url).await?;
		let Some(every) = args.watch else {
			for host in hosts {
				let status = HostStatus::fetch(&chain, host).await?;
				if args.json {
					println!("{}", serde_json::to_string_pretty(&status.to_json())?);
				} else {
					println!("{}\n", status.to_text());
				}
			}
			return Ok(());
		};
		// Ctrl-C ends the watch quietly, whatever the node is doing.
		tokio::select! {
			r = watch(&chain, &hosts, &args.url, every) => r,
			_ = tokio::signal::ctrl_c() => Ok(()),
		}
	})
}

/// Prints one status line for `hosts` every `every` seconds until the node stops answering.
async fn watch(
	chain: &ChainClient,
	hosts: &[crate::chain::AccountId],
	url: &str,
	every: u64,
) -> anyhow::Result<()> {
	loop {
		let mut cells = Vec::new();
		let mut head = String::new();
		for host in hosts {
			let s = HostStatus::fetch(chain, host.clone())
				.await
				.map_err(|e| anyhow::anyhow!("the node at {url} stopped answering: {e:#}"))?;
			head = format!("epoch {} {:?} ({} left)", s.epoch, s.phase, s.blocks_left);
			cells.push(s.to_cell());
		}
		println!("{head} | {}", cells.join(" | "));
		tokio::time::sleep(std::time::Duration::from_secs(every.max(1))).await;
	}
}
