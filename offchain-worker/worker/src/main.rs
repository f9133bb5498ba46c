//! `gonka-worker`: the Gonka GPU worker binary. Everything lives in the `gonka_worker` library;
//! this only parses the command line and runs it ([`gonka_worker::cli`]).

use clap::Parser;

fn main() -> anyhow::Result<()> {
	gonka_worker::cli::run(gonka_worker::cli::Cli::parse())
}
