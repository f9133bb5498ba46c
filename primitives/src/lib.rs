//! Types shared by everything that speaks Gonka: the runtime, its pallets, the node and the
//! off-chain worker. Keeping them in one `no_std` crate means a worker can never disagree with
//! the chain about what an account, a balance or a block number is.
//!
//! GNK has 9 decimals: one GNK is `10^9` base units ([`GNK`]). The total supply of the
//! published network is 1,000,000,000 GNK ([`TOTAL_SUPPLY`]), which fits a `u128` with room to
//! spare (it would even fit a `u64`; `u128` is the FRAME convention and keeps fee arithmetic
//! overflow-free).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod compute;
pub mod crypto;
pub mod epoch;
pub mod hosts;
pub mod market;
pub mod pow;
pub mod sprint;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};

/// Signature of a transaction: sr25519, ed25519 or ecdsa, as the signer chooses.
pub type Signature = MultiSignature;

/// An account is the public key of its signature scheme (32 bytes, SS58-encoded by clients).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An amount of GNK in base units (10^-9 GNK).
pub type Balance = u128;

/// Per-account transaction counter.
pub type Nonce = u32;

/// A block height. `u32` covers ~800 years at 6 s blocks.
pub type BlockNumber = u32;

/// The hash of blocks, extrinsics and tries.
pub type Hash = sp_core::H256;

/// Hashing algorithm of the chain.
pub type Hashing = BlakeTwo256;

/// How a transaction names an account.
pub type Address = MultiAddress<AccountId, ()>;

/// Header of a Gonka block.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Number of decimal places of GNK.
pub const DECIMALS: u8 = 9;

/// Ticker shown by wallets.
pub const TOKEN_SYMBOL: &str = "GNK";

/// SS58 address prefix (42 is the generic Substrate prefix; a registered one comes later).
pub const SS58_PREFIX: u16 = 42;

/// One GNK in base units.
pub const GNK: Balance = 1_000_000_000;
/// One thousandth of a GNK.
pub const MILLI_GNK: Balance = GNK / 1_000;
/// One millionth of a GNK.
pub const MICRO_GNK: Balance = GNK / 1_000_000;
/// The smallest unit, one billionth of a GNK.
pub const NANO_GNK: Balance = 1;

/// Total supply of GNK ever: 1,000,000,000 GNK (80% mined, 20% genesis allocation).
pub const TOTAL_SUPPLY: Balance = 1_000_000_000 * GNK;

/// Block-time figures used to express durations in blocks.
pub mod time {
	use super::BlockNumber;

	/// Target block time: one parachain block per relay-chain slot (6 s).
	pub const MILLISECS_PER_BLOCK: u64 = 6_000;
	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day: one epoch of the sprint protocol in production presets.
	pub const DAYS: BlockNumber = HOURS * 24;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn units_follow_nine_decimals() {
		assert_eq!(GNK, 10u128.pow(DECIMALS as u32));
		assert_eq!(MILLI_GNK * 1_000, GNK);
		assert_eq!(MICRO_GNK * 1_000_000, GNK);
		assert_eq!(TOTAL_SUPPLY, 10u128.pow(18));
	}

	#[test]
	fn a_day_is_14400_blocks() {
		assert_eq!(time::DAYS, 14_400);
	}
}
