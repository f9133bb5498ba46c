//! Command-line interface of `gonka-worker`: the top-level parser and dispatch.

pub mod gateway;
pub mod gov;
pub mod market;
pub mod pow;
pub mod register;
pub mod run;
pub mod serve;
pub mod status;

use clap::{Parser, Subcommand};

/// The Gonka worker: sprint proof of work and the inference API.
#[derive(Debug, Parser)]
#[command(name = "gonka-worker", version, about)]
pub struct Cli {
	/// What to do.
	#[command(subcommand)]
	pub command: Command,
}

/// Top-level subcommands, one per area of the worker.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Sprint proof of work: benchmark, run a sprint, verify a host, serve proofs.
	#[command(subcommand)]
	Pow(pow::PowCommand),
	/// Serve the OpenAI-compatible inference API for a model, and sprint proofs, on one endpoint.
	Serve(serve::ServeArgs),
	/// Register the host account with this worker's key, endpoint, models and hardware.
	Register(register::RegisterArgs),
	/// The host daemon: sprint, commit, serve proofs, validate others, claim GNK.
	Run(run::RunArgs),
	/// A host's epoch, phase, weight and GNK to claim, read from a node.
	Status(status::StatusArgs),
	/// A local OpenAI endpoint that pays for completions from a session (opens one if needed).
	Gateway(gateway::GatewayArgs),
	/// A buyer's sessions: status, close, top up; hosts' market reputation.
	#[command(subcommand)]
	Market(market::MarketCommand),
	/// Compute-weighted governance: propose, vote, list referenda, apply an authorised upgrade.
	#[command(subcommand)]
	Gov(gov::GovCommand),
}

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<()> {
	match cli.command {
		Command::Pow(command) => pow::run(command),
		Command::Serve(args) => serve::run(args),
		Command::Status(args) => status::run(args),
		Command::Run(args) => run::run(args),
		Command::Register(args) => register::run(args),
		Command::Gov(command) => gov::run(command),
		Command::Gateway(args) => gateway::run(args),
		Command::Market(command) => market::run(command),
	}
}
