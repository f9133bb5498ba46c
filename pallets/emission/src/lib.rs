//! # GNK emission
//!
//! The promise to hosts is Bitcoin's: new coins go to whoever proves compute, not to token
//! holders. This pallet mints the mining allocation of GNK, epoch by epoch, to the hosts in
//! proportion to the compute weight the sprint pallet proved for them, and nothing else mints
//! GNK after genesis. Everything below is exact integer arithmetic and can be audited from the
//! chain's constants and storage. See also `docs/economics.md`.
//!
//! ## Schedule
//!
//! The reward of epoch `e` is `R(e) = R0 * exp(-k * e)` ([`schedule::ExponentialDecay`]): by
//! default `R0 = 323,000 GNK` and `k = 0.000475` per epoch (about 310,000 GNK/day in the first
//! months, halving about every 1,460 epochs, i.e. 4 years of daily epochs), capped so that the
//! rewards of all epochs sum to exactly the mining allocation `A` (680,000,000 GNK by default):
//! the epoch that crosses `A` takes what is left (epoch 17,569 with the defaults, ~48 years) and
//! later epochs get nothing. It is computed in `10^30` fixed point; each epoch's reward is
//! within one base unit (`10^-9` GNK) of the exact real value. The parameters are
//! [`Config::InitialReward`], [`Config::DecayRate`] and [`Config::MiningAllocation`]; their
//! defaults are in [`defaults`].
//!
//! ## Settlement and payout by weight
//!
//! The sprint pallet calls [`OnWeightsFinalized::on_weights_finalized`] once per epoch, in
//! increasing epoch order, when the epoch's weights are final (the per-host cap is already
//! applied there). The pallet then *commits* the epoch's reward:
//! `reward = min(R(e), A - committed so far)`, stored in [`EpochRewards`] together with the
//! total weight. Nothing is minted yet: at 10,000 hosts a payout loop would not fit a block.
//!
//! Hosts **pull** their reward with [`Pallet::claim`] (or anyone for them with
//! [`Pallet::claim_for`], so that a host without funds for fees can be paid): a host of weight
//! `w` in an epoch of total weight `W` and reward `R` receives `floor(R * w / W)`, minted into
//! its account on the claim. Weights are read from [`Config::ComputeWeights`], so the pallet
//! pays exactly what the sprint pallet reports; a claim is O(1) whatever the number of hosts.
//! Each host claims each epoch at most once.
//!
//! ## Zero-weight epochs
//!
//! An epoch whose total weight is zero mints nothing and carries nothing over: its scheduled
//! reward is simply never minted (event [`Event::EpochSkipped`]). The schedule stays a pure
//! function of the epoch index; the total ever minted is then below `A` by the skipped
//! rewards.
//!
//! ## Unclaimed rewards and dust
//!
//! An epoch stays open for claims for [`Config::ClaimWindow`] further settled epochs: epoch `e`
//! is closed when an epoch `f > e + ClaimWindow` is settled. On closing, everything of its
//! reward not minted to hosts — unclaimed shares *and* the rounding dust of the floors — is
//! minted to the community pool ([`Config::CommunityPool`], event [`Event::EpochClosed`]).
//! Every committed epoch reward is therefore minted in full, exactly once: `sum(claims) +
//! remainder = reward`. Closing is part of settlement and bounded by [`Config::MaxOpenEpochs`].
//! **The runtime must let the sprint pallet keep each epoch's weights for at least
//! `ClaimWindow + 1` epochs**, or late claims would read zero weight.
//!
//! ## Community pool
//!
//! [`Config::CommunityPool`] receives [`GenesisConfig::community_pool_allocation`] (default
//! 120,000,000 GNK) minted at genesis, and the remainders of closed epochs. Other pallets route
//! their slashes there; spending it is governance's business.
//!
//! ## Accounting invariants ([`Pallet::do_try_state`])
//!
//! - [`TotalMinted`] (mining GNK minted) `<=` [`TotalCommitted`] `<=` `MiningAllocation`;
//! - `TotalCommitted - TotalMinted` = the sum of the remainders of the open epochs (exactly,
//!   unless a defensive mint failure forfeited a remainder, which only lowers `TotalMinted`);
//! - total issuance `>=` `TotalMinted + CommunityPoolGenesis` (total issuance is the genesis
//!   balances plus the community pool allocation plus `TotalMinted` minus burns; the mock
//!   runtime checks the equality, a real runtime only the inequality because fees may burn);
//! - open epochs are sorted, within the claim window and have exactly one `EpochRewards` entry.
//!
//! ## Vesting
//!
//! Optional vesting of rewards over N epochs is **not implemented**: claims pay liquid GNK.
//!
//! ## Wiring into a runtime
//!
//! Declare the pallet **after** `Balances` in `construct_runtime!` (its genesis mints into
//! balances). Set the sprint pallet's `OnWeightsFinalized` to this pallet: its activation charges
//! [`Pallet::settlement_weight`] through `OnWeightsFinalized::weight`. Read API: [`runtime_api`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod dispatchable_impls;
pub mod runtime_api;
pub mod schedule;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

use gonka_primitives::{
	compute::{ComputeWeight, ComputeWeights, OnWeightsFinalized},
	pow::EpochIndex,
	Balance,
};

/// Default values of the economic parameters (the published network's figures).
pub mod defaults {
	use gonka_primitives::{Balance, GNK};
	use sp_arithmetic::Perquintill;

	/// `R0`: reward of epoch 0, 323,000 GNK.
	pub const INITIAL_REWARD: Balance = 323_000 * GNK;
	/// `k`: decay per epoch, 0.000475 (rewards halve every `ln 2 / k ~= 1,459` epochs).
	pub const DECAY_RATE: Perquintill = Perquintill::from_parts(475_000_000_000_000);
	/// `A`: the mining allocation, 680,000,000 GNK.
	pub const MINING_ALLOCATION: Balance = 680_000_000 * GNK;
	/// Community pool allocation minted at genesis, 120,000,000 GNK.
	pub const COMMUNITY_POOL_ALLOCATION: Balance = 120_000_000 * GNK;
	/// Settled epochs during which an epoch stays claimable after its own settlement (30 days of
	/// daily epochs).
	pub const CLAIM_WINDOW: u32 = 30;
	/// Bound of the open-epoch list and of each host's claim record (`> CLAIM_WINDOW`).
	pub const MAX_OPEN_EPOCHS: u32 = 64;
}

/// Hooks for benchmarks: make the runtime's `ComputeWeights` report a weight.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make `ComputeWeights` report `weight` for `who` in `epoch`, and `total` as the epoch's
	/// total weight.
	fn set_weight(epoch: EpochIndex, who: &AccountId, weight: ComputeWeight, total: ComputeWeight);
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn set_weight(_: EpochIndex, _: &AccountId, _: ComputeWeight, _: ComputeWeight) {}
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungible::Mutate};
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::Perquintill;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the emission pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// GNK, minted by claims, closed-epoch remainders and the genesis pool allocation.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;

		/// Final per-epoch compute weights (the sprint pallet; the cap is applied there).
		type ComputeWeights: ComputeWeights<Self::AccountId>;

		/// The community pool account: genesis allocation, dust and unclaimed rewards.
		#[pallet::constant]
		type CommunityPool: Get<Self::AccountId>;

		/// `R0`: reward of epoch 0 in base units. Default [`defaults::INITIAL_REWARD`].
		#[pallet::constant]
		type InitialReward: Get<Balance>;

		/// `k`: decay rate per epoch; rewards follow `R0 * exp(-k e)`. Default
		/// [`defaults::DECAY_RATE`].
		#[pallet::constant]
		type DecayRate: Get<Perquintill>;

		/// `A`: total GNK ever minted by the schedule. Default [`defaults::MINING_ALLOCATION`].
		#[pallet::constant]
		type MiningAllocation: Get<Balance>;

		/// How many further settled epochs an epoch stays claimable for (its remainder then goes
		/// to the community pool). Default [`defaults::CLAIM_WINDOW`]. Values at or above
		/// `MaxOpenEpochs` act as `MaxOpenEpochs - 1`.
		#[pallet::constant]
		type ClaimWindow: Get<u32>;

		/// Storage bound of the open-epoch list and of each host's claim record. Must exceed
		/// `ClaimWindow`; changing it needs a migration. Default [`defaults::MAX_OPEN_EPOCHS`].
		#[pallet::constant]
		type MaxOpenEpochs: Get<u32>;

		/// Weights of the calls and of settlement.
		type WeightInfo: WeightInfo;

		/// Benchmark hooks into the runtime's `ComputeWeights`.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The epochs a host has claimed among those still open, sorted.
	pub type ClaimRecord<T> = BoundedVec<EpochIndex, <T as Config>::MaxOpenEpochs>;

	/// Latest settled epoch (settlements are strictly increasing).
	#[pallet::storage]
	pub type LastSettled<T> = StorageValue<_, EpochIndex, OptionQuery>;

	/// Rewards of the settled epochs still open for claims.
	#[pallet::storage]
	pub type EpochRewards<T> = StorageMap<_, Twox64Concat, EpochIndex, EpochReward, OptionQuery>;

	/// Open epochs, oldest first (at most `MaxOpenEpochs`).
	#[pallet::storage]
	pub type OpenEpochs<T: Config> =
		StorageValue<_, BoundedVec<EpochIndex, T::MaxOpenEpochs>, ValueQuery>;

	/// Per host: the open epochs it has already claimed. Entries of closed epochs are pruned on
	/// the host's next claim.
	#[pallet::storage]
	pub type Claimed<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ClaimRecord<T>, ValueQuery>;

	/// GNK committed to settled epochs (never above `MiningAllocation`).
	#[pallet::storage]
	pub type TotalCommitted<T> = StorageValue<_, Balance, ValueQuery>;

	/// GNK of the mining allocation minted so far (claims and closed-epoch remainders).
	#[pallet::storage]
	pub type TotalMinted<T> = StorageValue<_, Balance, ValueQuery>;

	/// GNK minted to the community pool at genesis.
	#[pallet::storage]
	pub type CommunityPoolGenesis<T> = StorageValue<_, Balance, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An epoch was settled and its reward is open for claims.
		EpochOpened {
			/// The epoch.
			epoch: EpochIndex,
			/// GNK committed to it (the scheduled reward, capped by the allocation left).
			reward: Balance,
			/// Its total weight.
			total_weight: ComputeWeight,
		},
		/// An epoch was settled but mints nothing.
		EpochSkipped {
			/// The epoch.
			epoch: EpochIndex,
			/// Its scheduled reward, which is never minted.
			scheduled: Balance,
			/// Why.
			reason: SkipReason,
		},
		/// A host claimed its reward of an epoch.
		RewardClaimed {
			/// The epoch.
			epoch: EpochIndex,
			/// The host paid.
			host: T::AccountId,
			/// Its weight in the epoch.
			weight: ComputeWeight,
			/// GNK minted to it.
			amount: Balance,
		},
		/// An epoch's claim window passed; its remainder went to the community pool.
		EpochClosed {
			/// The epoch.
			epoch: EpochIndex,
			/// GNK minted to the community pool: unclaimed shares plus rounding dust.
			to_community_pool: Balance,
			/// Weight of the hosts that never claimed.
			unclaimed_weight: ComputeWeight,
		},
		/// A settlement notice for an epoch at or before the last settled one was ignored.
		SettlementIgnored {
			/// The epoch notified.
			epoch: EpochIndex,
			/// The latest settled epoch.
			last_settled: EpochIndex,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The epoch is not settled yet: its weights are not final.
		EpochNotFinal,
		/// The epoch's claim window has passed; its remainder went to the community pool.
		ClaimExpired,
		/// The epoch minted nothing (zero total weight, or the allocation was exhausted).
		NoRewardForEpoch,
		/// The host has no weight in the epoch.
		NoWeight,
		/// The host already claimed this epoch.
		AlreadyClaimed,
		/// The reported weights exceed the epoch's total weight reported at settlement; nothing
		/// is paid beyond the epoch's reward.
		InconsistentWeights,
		/// The host's claim record is full (only possible if `MaxOpenEpochs` was lowered without
		/// a migration).
		TooManyClaims,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxOpenEpochs::get() > 0, "MaxOpenEpochs must be positive");
			assert!(
				T::ClaimWindow::get() < T::MaxOpenEpochs::get(),
				"ClaimWindow must be below MaxOpenEpochs"
			);
			assert!(T::InitialReward::get() > 0, "InitialReward must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Claim the caller's reward of a settled, open `epoch`:
		/// `floor(reward * weight / total_weight)`, minted to the caller.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim(origin: OriginFor<T>, epoch: EpochIndex) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim(who, epoch)
		}

		/// Claim `host`'s reward of `epoch` for it (paid to `host`; the caller pays the fee).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::claim())]
		pub fn claim_for(
			origin: OriginFor<T>,
			host: T::AccountId,
			epoch: EpochIndex,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim(host, epoch)
		}
	}

	/// Genesis: the community pool allocation.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// GNK minted to `CommunityPool` at genesis (default 120,000,000 GNK).
		pub community_pool_allocation: Balance,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self {
				community_pool_allocation: defaults::COMMUNITY_POOL_ALLOCATION,
				_config: Default::default(),
			}
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if self.community_pool_allocation > 0 {
				T::Currency::mint_into(&T::CommunityPool::get(), self.community_pool_allocation)
					.expect("community pool allocation must be mintable");
			}
			CommunityPoolGenesis::<T>::put(self.community_pool_allocation);
		}
	}
}

impl<T: Config> OnWeightsFinalized for Pallet<T> {
	fn on_weights_finalized(epoch: EpochIndex, total: ComputeWeight) {
		Self::settle(epoch, total);
	}

	fn weight() -> frame_support::weights::Weight {
		Self::settlement_weight()
	}
}
