//! `gonka-worker gateway`: a local OpenAI endpoint that buys completions from the network
//! (see [`crate::market::gateway`]).

use crate::{
	chain::{status::format_gnk, ChainClient},
	daemon::keys,
	market::{
		gateway::{new_delegate, Gateway},
		renewal::{Renewing, SessionTerms},
	},
};
use anyhow::Context;
use clap::Args;
use gonka_primitives::{hosts::ModelId, market::SessionId, GNK};
use std::{net::SocketAddr, path::PathBuf, sync::Arc};

/// Arguments of `gonka-worker gateway`.
#[derive(Debug, Args)]
pub struct GatewayArgs {
	/// The node's WebSocket RPC.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// File holding the paying account's secret (the session owner; chmod 600).
	#[arg(long)]
	pub key_file: PathBuf,
	/// Pay from this existing session instead of opening one.
	#[arg(long)]
	pub session: Option<SessionId>,
	/// Catalogue model to open the session for (default: the first active one).
	#[arg(long)]
	pub model: Option<ModelId>,
	/// Deposit of a new session, in GNK (held on your account; what is not spent returns).
	#[arg(long, default_value = "1")]
	pub deposit: String,
	/// Most tokens (prompt and completion) one request of a new session may use.
	#[arg(long, default_value_t = 2048)]
	pub max_tokens_per_request: u32,
	/// Blocks a new session stays open.
	#[arg(long, default_value_t = 600)]
	pub duration: u32,
	/// Where the OpenAI endpoint listens.
	#[arg(long, default_value = "127.0.0.1:8090")]
	pub listen: SocketAddr,
	/// Do not open a new session (with the same model, deposit, cap and duration) when the
	/// current one closes or expires; answer 402 `session_closed` instead.
	#[arg(long)]
	pub no_renew: bool,
}

/// Parses a GNK amount with up to 9 decimals (`1`, `0.25`) into base units.
pub fn parse_gnk(s: &str) -> anyhow::Result<u128> {
	let bad = || anyhow::anyhow!("{s:?} is not a GNK amount (e.g. 1 or 0.25)");
	let (whole, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
	if frac.len() > 9 || (whole.is_empty() && frac.is_empty()) {
		return Err(bad());
	}
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let frac: u128 =
		if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().map_err(|_| bad())? };
	whole.checked_mul(GNK).and_then(|w| w.checked_add(frac)).ok_or_else(bad)
}

/// Runs `gonka-worker gateway` until Ctrl-C.
pub fn run(args: GatewayArgs) -> anyhow::Result<()> {
	let payer = keys::host_key(&args.key_file)?;
	tokio::runtime::Runtime::new()?.block_on(async {
		let chain = ChainClient::connect(&args.url).await?;
		let deposit = parse_gnk(&args.deposit)?;
		let model = match (args.session, args.model) {
			(Some(s), _) => chain
				.session(s)
				.await?
				.with_context(|| format!("session {s} does not exist (or has settled)"))?
				.model,
			(None, Some(m)) => m,
			(None, None) => chain
				.catalogue()
				.await?
				.into_iter()
				.find(|(_, m)| m.status == crate::chain::market::ModelStatus::Active)
				.map(|(id, _)| id)
				.context("the catalogue has no active model: pass --model")?,
		};
		// A session the gateway opens gets a fresh delegate key for its vouchers; one passed
		// with --session is paid with the owner's key.
		let (session, delegate) = match args.session {
			Some(s) => (s, None),
			None => {
				let (delegate, account) = new_delegate();
				let id = loop {
					let opened = chain
						.open_session(&payer, model, deposit, args.max_tokens_per_request, args.duration, Some(account))
						.await;
					match opened {
						// A new network: no host has proven compute yet. Wait for the first epoch.
						Err(e) if format!("{e:#}").contains("NoExecutors") => {
							eprintln!("gonka-worker event=gateway_waiting reason=\"no host serving model {model} has weight yet\"");
							tokio::time::sleep(std::time::Duration::from_secs(6)).await;
						},
						other => break other.context("opening a session (is the key's account funded?)")?,
					}
				};
				eprintln!(
					"gonka-worker event=session_opened session={id} model={model} deposit={} GNK",
					format_gnk(deposit)
				);
				(id, Some(delegate))
			},
		};
		let first = Gateway::new(chain.clone(), payer.clone(), delegate, session).await?;
		let terms = (!args.no_renew).then(|| SessionTerms {
			model,
			deposit,
			max_tokens_per_request: args.max_tokens_per_request,
			duration: args.duration,
		});
		let gateway = Arc::new(Renewing::new(chain, payer, first, terms));
		let listener = tokio::net::TcpListener::bind(args.listen)
			.await
			.with_context(|| format!("cannot listen on {}", args.listen))?;
		let addr = listener.local_addr()?;
		let model_name = gateway.current().model_name.clone();
		println!("session {session}: model {model_name:?} at http://{addr}/v1");
		println!(
			"  python: from openai import OpenAI; c = OpenAI(base_url=\"http://{addr}/v1\", api_key=\"gonka\"); \
			 print(c.chat.completions.create(model=\"{model_name}\", max_tokens=64, messages=[{{\"role\": \"user\", \"content\": \"Hi\"}}]).choices[0].message.content)"
		);
		println!(
			"  curl http://{addr}/v1/chat/completions -H 'content-type: application/json' -d '{{\"model\": \"{model_name}\", \"max_tokens\": 64, \"messages\": [{{\"role\": \"user\", \"content\": \"Hi\"}}]}}'"
		);
		tokio::select! {
			r = axum::serve(listener, gateway.router()) => r.context("serving")?,
			_ = tokio::signal::ctrl_c() => {},
		}
		Ok(())
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gnk_amounts_parse_to_base_units() {
		assert_eq!(parse_gnk("1").unwrap(), GNK);
		assert_eq!(parse_gnk("0.25").unwrap(), GNK / 4);
		assert_eq!(parse_gnk(".5").unwrap(), GNK / 2);
		assert_eq!(parse_gnk("2.000000001").unwrap(), 2 * GNK + 1);
		assert!(parse_gnk("1.0000000001").is_err());
		assert!(parse_gnk("one").is_err());
		assert!(parse_gnk("").is_err());
	}
}
