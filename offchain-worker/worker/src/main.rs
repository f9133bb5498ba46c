//! `gonka-worker`: the Gonka GPU worker binary.
//!
//! Subcommands live in [`cli`], one module per area (the sprint proof of work `pow`, the inference
//! API `serve`, the chain `status`); [`chain`] is the worker's client of a Gonka node.

mod chain;
mod cli;
mod daemon;
mod market;

use clap::Parser;

fn main() -> anyhow::Result<()> {
	cli::run(cli::Cli::parse())
}
