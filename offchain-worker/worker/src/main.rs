//! `gonka-worker`: the Gonka GPU worker binary.
//!
//! Subcommands live in [`cli`], one module per area (today the sprint proof of work, `pow`), so
//! that other areas (the inference API's `serve`) can be added without touching this file much.

mod cli;

use clap::Parser;

fn main() -> anyhow::Result<()> {
	cli::run(cli::Cli::parse())
}
