//! `gonka-worker market`: a buyer's view of its sessions: status (spend, escrow left, per-slot
//! usage), close, top up.

use crate::{
	chain::{parse_account, status::format_gnk, ChainClient},
	cli::gateway::parse_gnk,
	daemon::keys,
};
use clap::Subcommand;
use gonka_primitives::market::SessionId;
use std::path::PathBuf;

/// `gonka-worker market ...`.
#[derive(Debug, Subcommand)]
pub enum MarketCommand {
	/// Open a session: hold a deposit and draw the executor group; prints the session id.
	Open {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// File holding the owner's secret (chmod 600).
		#[arg(long)]
		key_file: PathBuf,
		/// Catalogue model.
		#[arg(long, default_value_t = 0)]
		model: u32,
		/// Deposit in GNK.
		#[arg(long, default_value = "1")]
		deposit: String,
		/// Most tokens (prompt and completion) per request.
		#[arg(long, default_value_t = 2048)]
		max_tokens_per_request: u32,
		/// Blocks the session stays open.
		#[arg(long, default_value_t = 600)]
		duration: u32,
	},
	/// A session's phase, deposit, spend and each slot's executor and claimed usage.
	Status {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The session.
		session: SessionId,
		/// Print JSON.
		#[arg(long)]
		json: bool,
	},
	/// Close a session now (owner): executors claim for the claim window, then what is not
	/// spent returns to you after validation.
	Close {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// File holding the owner's secret.
		#[arg(long)]
		key_file: PathBuf,
		/// The session.
		session: SessionId,
	},
	/// Add GNK to an open session's deposit (owner).
	TopUp {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// File holding the owner's secret.
		#[arg(long)]
		key_file: PathBuf,
		/// The session.
		session: SessionId,
		/// Amount in GNK.
		amount: String,
	},
	/// A host's market reputation (served, valid/invalid samples, misses, sampling rate).
	Reputation {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The host account.
		host: String,
	},
}

/// Runs a `market` subcommand.
pub fn run(command: MarketCommand) -> anyhow::Result<()> {
	tokio::runtime::Runtime::new()?.block_on(async {
		match command {
			MarketCommand::Open {
				url,
				key_file,
				model,
				deposit,
				max_tokens_per_request,
				duration,
			} => {
				let chain = ChainClient::connect(&url).await?;
				let deposit = parse_gnk(&deposit)?;
				let id = chain
					.open_session(
						&keys::host_key(&key_file)?,
						model,
						deposit,
						max_tokens_per_request,
						duration,
						None,
					)
					.await?;
				println!("session {id} opened: {} GNK on hold", format_gnk(deposit));
			},
			MarketCommand::Status { url, session, json } => {
				let chain = ChainClient::connect(&url).await?;
				let Some(s) = chain.session(session).await? else {
					anyhow::bail!("session {session} does not exist or has settled");
				};
				let slots: Vec<serde_json::Value> = s
					.slots
					.iter()
					.map(|v| {
						serde_json::json!({
							"slot": v.slot,
							"executor": v.executor.to_string(),
							"endpoint": v.endpoint.as_ref().map(|e| String::from_utf8_lossy(e).into_owned()),
							"claimed_requests": v.claimed.as_ref().map_or(0, |c| c.seq),
							"claimed_tokens": v.claimed.as_ref().map_or(0, |c| c.in_tokens + c.out_tokens),
							"claimed_gnk": format_gnk(v.claimed.as_ref().map_or(0, |c| c.amount)),
						})
					})
					.collect();
				let view = serde_json::json!({
					"session": session,
					"owner": s.owner.to_string(),
					"model": s.model,
					"phase": format!("{:?}", s.phase),
					"expires_at": s.expires_at,
					"price_per_1k_tokens_gnk": format_gnk(s.price_per_1k_tokens),
					"deposit_gnk": format_gnk(s.deposit),
					"claimed_gnk": format_gnk(s.claimed),
					"available_gnk": format_gnk(s.available),
					"slots": slots,
				});
				if json {
					println!("{}", serde_json::to_string_pretty(&view)?);
				} else {
					println!(
						"session {session} ({:?}, model {}, expires at block {}): deposit {} GNK, \
						 spent {} GNK (as claimed on chain; executors claim at most every 30 s), \
						 available {} GNK",
						s.phase,
						s.model,
						s.expires_at,
						format_gnk(s.deposit),
						format_gnk(s.claimed),
						format_gnk(s.available)
					);
					for v in &s.slots {
						match v.claimed.as_ref() {
							Some(c) => println!(
								"  slot {:>2} ({}): {} requests, {} tokens, {} GNK claimed",
								v.slot,
								v.executor,
								c.seq,
								c.in_tokens + c.out_tokens,
								format_gnk(c.amount)
							),
							None => println!(
								"  slot {:>2} ({}): nothing claimed yet",
								v.slot, v.executor
							),
						}
					}
				}
			},
			MarketCommand::Close { url, key_file, session } => {
				let chain = ChainClient::connect(&url).await?;
				chain.close_session(&keys::host_key(&key_file)?, session).await?;
				println!("session {session} closed: executors may claim, then it settles");
			},
			MarketCommand::TopUp { url, key_file, session, amount } => {
				let chain = ChainClient::connect(&url).await?;
				let amount = parse_gnk(&amount)?;
				chain.top_up(&keys::host_key(&key_file)?, session, amount).await?;
				println!("session {session}: +{} GNK", format_gnk(amount));
			},
			MarketCommand::Reputation { url, host } => {
				let chain = ChainClient::connect(&url).await?;
				let r = chain.reputation(&parse_account(&host)?).await?;
				println!(
					"{host}: served {}, valid {}, invalid {}, misses {}, assigned {}, false \
					 accusations {}; sampling rate {:?}, draw factor {:?}",
					r.window.served,
					r.window.valid,
					r.window.invalid,
					r.window.misses,
					r.window.assigned,
					r.window.false_accusations,
					r.sampling_rate,
					r.draw_factor
				);
			},
		}
		Ok(())
	})
}
