//! # Hosts pallet
//!
//! The registry of Gonka hosts (miners): who they are, where their workers listen, which key
//! signs for them, what they stake and which models they serve. Every other compute pallet
//! (sprint, inference, governance, emission) reads it through the
//! [`HostRegistry`](gonka_primitives::hosts::HostRegistry) trait.
//!
//! ## Permissionless registration
//!
//! Anyone with a GPU may register: there is no allow-list and no minimum size, one GPU is as
//! welcome as a thousand. What a host *declares* (hardware) is informational; what it is paid
//! for is the compute it *proves* in the daily sprint. The only costs of registering are the
//! transaction fee and a small, refundable [`Config::HostDeposit`] that pays for the storage a
//! host occupies and stops anyone filling the registry (bounded by [`Config::MaxHosts`]) for
//! free. Genesis hosts pay no deposit.
//!
//! ## Two keys: host account and worker key
//!
//! The *host account* (cold key) signs [`Call::register`], holds collateral and authorises a
//! *worker key* (warm key, [`WorkerId`], key type `gwrk`) that lives next to the GPUs and signs
//! sprint commitments, verdicts and inference results. A stolen worker key can sign results but
//! cannot move funds, and the host account can replace it at any time.
//!
//! A new worker key is accepted only with a *proof of possession*: a signature by that key over
//! [`worker_pop_payload`](gonka_primitives::crypto::worker_pop_payload)`(host account)`.
//! Otherwise anybody watching the transaction pool could claim (squat) somebody else's worker
//! key first, since a key can belong to one host only.
//!
//! ### Rotation rule
//!
//! [`Call::rotate_worker_key`] schedules the new key to take over at
//! `effective_at = now + KeyRotationDelay`:
//! - for blocks `< effective_at` only the old key is valid for the host;
//! - for blocks `>= effective_at` only the new key is valid.
//!
//! There is never a block where neither key signs (no gap) nor one where both do (no overlap,
//! so results cannot be double-signed with two keys in one phase). Both keys are reserved in
//! [`WorkerKeyOwner`] from scheduling until the old key is dropped, so no other host can claim
//! either in between. The switch is evaluated lazily: readers compute the key in force from the
//! stored `pending_key` and the block number, so no hook has to walk 10,000 hosts; the host's
//! next mutating call settles the record (drops the old key, frees its reservation). One
//! rotation may be pending at a time. Set `KeyRotationDelay` to at least the length of a sprint
//! phase so that a key cannot change inside one.
//!
//! ## Collateral
//!
//! Collateral is put on hold with the fungible traits (`HoldReason::Collateral`), never
//! reserved. [`Call::withdraw_collateral`] moves collateral into an unbonding chunk which unlocks
//! [`Config::UnbondingDelay`] blocks later; [`Call::withdraw_unbonded`] releases unlocked
//! chunks. Unbonding collateral stays on hold and stays slashable: misbehaviour detected during
//! the delay is still punished.
//!
//! Other pallets slash through [`HostRegistry::slash`](gonka_primitives::hosts::HostRegistry)
//! with a [`SlashReason`] that ends up in [`Event::Slashed`]. Active collateral is slashed first,
//! then unbonding chunks, most recently created first. The slashed funds go to
//! [`Config::OnSlash`] (the community pool in the Gonka runtime).
//!
//! A host counts as *active* when it is registered and its active collateral is at least
//! [`Config::MinCollateral`] (zero by default: permissionless).
//!
//! A host can only deregister once it holds no collateral at all (withdraw, wait, withdraw
//! unbonded, then deregister), so there is always a host record to attribute a slash to.
//!
//! ## Model catalogue
//!
//! The models the network serves, managed by [`Config::CatalogueOrigin`] (in the Gonka
//! runtime: an approved referendum on the `catalogue` track). Ids are sequential and never reused; a model is retired rather than
//! removed. Hosts may only declare active models. A retired model stays in the lists of hosts
//! that declared it (removing it would mean touching an unbounded number of hosts), but
//! [`HostRegistry::hosts_serving`](gonka_primitives::hosts::HostRegistry) returns nobody for it
//! and its terms report `active: false`.
//!
//! ## Storage and bounds
//!
//! Every item is bounded ([`Config::MaxHosts`], [`Config::MaxModels`],
//! [`Config::MaxModelsPerHost`], [`Config::MaxUnbondingChunks`], fixed byte bounds of URLs and
//! names). Lists that grow with the number of hosts are never stored as vectors: hosts per model
//! is the double map [`HostsByModel`], read in pages.
//!
//! ## Genesis
//!
//! The chain spec's `gonkaHosts` section (named after the pallet in the runtime) seeds the
//! catalogue, with explicit ids, and the hosts of the first epoch. Genesis hosts pay no deposit
//! and give no proof of possession (the chain-spec author vouches for them); `hardware` and
//! `collateral` are optional, collateral is held from the account's genesis balance.
//! ```json
//! {
//!   "models": [{
//!     "id": 0, "name": "Qwen/Qwen3-32B-FP8", "weightsHash": "0x01…01",
//!     "architecture": "qwen3:dim=5120,layers=64", "validationThreshold": 900000000,
//!     "pricePer1kTokens": 1000000, "powWeightScale": "1000000000000000000"
//!   }],
//!   "hosts": [{
//!     "account": "5Grw…", "workerKey": "5FLm…", "endpoint": "http://10.0.0.1:8080",
//!     "models": [0],
//!     "hardware": { "gpuModel": "H100", "gpuCount": 8, "gpuMemoryGib": 80 },
//!     "collateral": 0
//!   }]
//! }
//! ```
//! (`validationThreshold` is a `Perbill` in parts per billion, `powWeightScale` a `FixedU128`
//! with 18 decimals, as a string.)
//!
//! ## Runtime wiring
//!
//! ```ignore
//! parameter_types! {
//!     pub CommunityPool: AccountId = PalletId(*b"gnk/pool").into_account_truncating();
//! }
//! impl pallet_gonka_hosts::Config for Runtime {
//!     type Currency = Balances;
//!     type RuntimeHoldReason = RuntimeHoldReason;
//!     type OnSlash = ResolveTo<CommunityPool, Balances>;
//!     type CatalogueOrigin = EnsureRoot<AccountId>;
//!     type HostDeposit = ConstU128<{ GNK }>;
//!     type MinCollateral = ConstU128<0>;
//!     type UnbondingDelay = ConstU32<{ 7 * DAYS }>;
//!     type KeyRotationDelay = ConstU32<{ HOURS }>;
//!     type MaxHosts = ConstU32<100_000>;
//!     type MaxModels = ConstU32<256>;
//!     type MaxModelsPerHost = ConstU32<32>;
//!     type MaxUnbondingChunks = ConstU32<16>;
//!     type WeightInfo = pallet_gonka_hosts::weights::SubstrateWeight<Runtime>;
//! }
//! ```
//! Other pallets take `type Hosts: HostRegistry<AccountId, Balance>` and get
//! `pallet_gonka_hosts::Pallet<Runtime>`; their benchmark helpers can call
//! `Pallet::benchmark_active_host` (feature `runtime-benchmarks`).
//!
//! ## Weights
//!
//! [`weights`] holds hand-derived estimates pending a run of `frame-omni-bencher` on reference
//! hardware; their storage read/write counts are exact.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod dispatchable_impls;
pub mod endpoint;
pub mod migrations;
mod registry;
pub mod runtime_api;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_collateral;

pub use registry::MAX_API_PAGE;
pub use types::*;
pub use weights::WeightInfo;

use frame_support::traits::fungible;
use frame_system::pallet_prelude::BlockNumberFor;
pub use gonka_primitives::{
	crypto::worker::{WorkerId, WorkerSignature},
	hosts::{Endpoint, ModelId, SlashReason},
};

/// The balance type of the currency that holds collateral.
pub type BalanceOf<T> =
	<<T as Config>::Currency as fungible::Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A credit (imbalance) of the collateral currency: what a slash produces.
pub type CreditOf<T> =
	fungible::Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// The stored record of a host.
pub type HostInfoOf<T> = HostInfo<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxModelsPerHost>;

/// The unbonding chunks of a host.
pub type UnbondingOf<T> = frame_support::BoundedVec<
	UnbondingChunk<BalanceOf<T>, BlockNumberFor<T>>,
	<T as Config>::MaxUnbondingChunks,
>;

/// The models a host declares.
pub type ModelsOf<T> = frame_support::BoundedVec<ModelId, <T as Config>::MaxModelsPerHost>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, InspectHold, Mutate, MutateHold},
			tokens::fungible::hold::Balanced as BalancedHold,
			BuildGenesisConfig, OnUnbalanced,
		},
	};
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the hosts pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The currency collateral and deposits are held in (GNK).
		type Currency: Inspect<Self::AccountId>
			+ Mutate<Self::AccountId>
			+ InspectHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ BalancedHold<Self::AccountId>;

		/// The runtime's aggregate hold reason, so this pallet's holds are told apart from
		/// everybody else's.
		type RuntimeHoldReason: From<HoldReason>;

		/// Where slashed collateral goes: the community pool account in the Gonka runtime
		/// (`ResolveTo<CommunityPool, Balances>`); dropping the credit burns it.
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// Who manages the model catalogue: root now, referenda later.
		type CatalogueOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Refundable deposit held for the storage of one host record.
		#[pallet::constant]
		type HostDeposit: Get<BalanceOf<Self>>;

		/// Active collateral a host needs to count as active (may be zero).
		#[pallet::constant]
		type MinCollateral: Get<BalanceOf<Self>>;

		/// Blocks between a withdrawal request and the release of the funds.
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;

		/// Blocks between scheduling a worker key rotation and the switch.
		#[pallet::constant]
		type KeyRotationDelay: Get<BlockNumberFor<Self>>;

		/// Most hosts the registry accepts.
		#[pallet::constant]
		type MaxHosts: Get<u32>;

		/// Most models the catalogue can ever hold (retired ones included).
		#[pallet::constant]
		type MaxModels: Get<u32>;

		/// Most models one host may declare.
		#[pallet::constant]
		type MaxModelsPerHost: Get<u32>;

		/// Most unbonding chunks per host (withdrawals in one block share a chunk).
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Slashable collateral of a host (active and unbonding).
		#[codec(index = 0)]
		Collateral,
		/// Refundable storage deposit of a host record.
		#[codec(index = 1)]
		HostDeposit,
	}

	/// Registered hosts by host account.
	#[pallet::storage]
	pub type Hosts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, HostInfoOf<T>>;

	/// Number of entries in [`Hosts`].
	#[pallet::storage]
	pub type HostCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Owner of every reserved worker key: each host's current key and its pending one.
	#[pallet::storage]
	pub type WorkerKeyOwner<T: Config> = StorageMap<_, Blake2_128Concat, WorkerId, T::AccountId>;

	/// `(model, host)` exists iff `host` declares `model`: the paged index of hosts per model.
	#[pallet::storage]
	pub type HostsByModel<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ModelId, Blake2_128Concat, T::AccountId, ()>;

	/// Collateral chunks a host is withdrawing, in creation order. Absent when empty.
	#[pallet::storage]
	pub type Unbonding<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, UnbondingOf<T>>;

	/// The model catalogue.
	#[pallet::storage]
	pub type Models<T: Config> = StorageMap<_, Twox64Concat, ModelId, ModelInfo<BalanceOf<T>>>;

	/// Id the next catalogue model gets; also the number of models ever added.
	#[pallet::storage]
	pub type NextModelId<T: Config> = StorageValue<_, ModelId, ValueQuery>;

	/// Events of the hosts pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A host registered.
		HostRegistered {
			/// The host account.
			host: T::AccountId,
			/// Its worker key.
			worker_key: WorkerId,
			/// Registration deposit put on hold.
			deposit: BalanceOf<T>,
		},
		/// A host changed its endpoint, models or hardware.
		HostUpdated {
			/// The host account.
			host: T::AccountId,
		},
		/// A host left; its deposit was returned and its worker keys freed.
		HostDeregistered {
			/// The former host account.
			host: T::AccountId,
		},
		/// A worker key rotation was scheduled.
		WorkerKeyRotationScheduled {
			/// The host account.
			host: T::AccountId,
			/// The key that takes over.
			new_key: WorkerId,
			/// First block at which only `new_key` is valid.
			effective_at: BlockNumberFor<T>,
		},
		/// Collateral was put on hold.
		CollateralDeposited {
			/// The host account.
			host: T::AccountId,
			/// Amount added.
			amount: BalanceOf<T>,
		},
		/// Collateral started unbonding.
		CollateralUnbonding {
			/// The host account.
			host: T::AccountId,
			/// Amount unbonding.
			amount: BalanceOf<T>,
			/// First block at which it can be withdrawn.
			unlock_at: BlockNumberFor<T>,
		},
		/// Unbonded collateral was released to the host.
		CollateralWithdrawn {
			/// The host account.
			host: T::AccountId,
			/// Amount released.
			amount: BalanceOf<T>,
		},
		/// Collateral was slashed and sent to the slash destination.
		Slashed {
			/// The host account.
			host: T::AccountId,
			/// Amount actually slashed.
			amount: BalanceOf<T>,
			/// Why.
			reason: SlashReason,
		},
		/// A model was added to the catalogue.
		ModelAdded {
			/// Its id.
			model: ModelId,
		},
		/// A model's terms changed.
		ModelTermsUpdated {
			/// Its id.
			model: ModelId,
		},
		/// A model was retired.
		ModelRetired {
			/// Its id.
			model: ModelId,
		},
	}

	/// Errors of the hosts pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The endpoint is not an `http(s)://host:port[/path]` URL (see [`crate::endpoint`]).
		InvalidEndpoint,
		/// The model id is not in the catalogue.
		UnknownModel,
		/// The model is retired and may not be declared.
		ModelRetired,
		/// A model is listed twice.
		DuplicateModel,
		/// The account is already a registered host.
		AlreadyRegistered,
		/// The account is not a registered host.
		NotRegistered,
		/// The worker key is already reserved (by this or another host).
		WorkerKeyInUse,
		/// The proof of possession is not a valid signature by the worker key.
		InvalidKeyProof,
		/// The registry holds `MaxHosts` hosts.
		TooManyHosts,
		/// The catalogue holds `MaxModels` models.
		CatalogueFull,
		/// A worker key rotation is already scheduled and not yet in force.
		RotationPending,
		/// The amount must be positive.
		ZeroAmount,
		/// Withdrawing more active collateral than the host holds.
		InsufficientCollateral,
		/// The host already has `MaxUnbondingChunks` unbonding chunks.
		TooManyUnbondingChunks,
		/// No unbonding chunk has unlocked yet.
		NothingUnlocked,
		/// The host still holds collateral (active or unbonding); withdraw it first.
		CollateralOutstanding,
		/// The model is already retired.
		AlreadyRetired,
		/// A model name or architecture is empty.
		EmptyModelField,
		/// The PoW weight scale factor must be positive.
		ZeroPowWeightScale,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxHosts::get() > 0, "MaxHosts must be positive");
			assert!(T::MaxModelsPerHost::get() > 0, "MaxModelsPerHost must be positive");
			assert!(T::MaxUnbondingChunks::get() > 0, "MaxUnbondingChunks must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register the caller as a host.
		///
		/// `key_proof` is the worker key's signature over
		/// [`worker_pop_payload`](gonka_primitives::crypto::worker_pop_payload)`(caller)`.
		/// Holds [`Config::HostDeposit`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register(models.len() as u32))]
		pub fn register(
			origin: OriginFor<T>,
			endpoint: Endpoint,
			worker_key: WorkerId,
			key_proof: WorkerSignature,
			models: ModelsOf<T>,
			hardware: HardwareSpec,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who, endpoint, worker_key, key_proof, models, hardware)
		}

		/// Change the caller's endpoint, models and/or hardware (`None` keeps the old value).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_host(
			T::MaxModelsPerHost::get(),
			models.as_ref().map_or(0, |m| m.len() as u32),
		))]
		pub fn update_host(
			origin: OriginFor<T>,
			endpoint: Option<Endpoint>,
			models: Option<ModelsOf<T>>,
			hardware: Option<HardwareSpec>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_update_host(who, endpoint, models, hardware)
		}

		/// Leave the registry: frees the worker keys, returns the deposit. Requires that no
		/// collateral is held (neither active nor unbonding).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deregister(T::MaxModelsPerHost::get()))]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_deregister(who)
		}

		/// Schedule `new_key` to replace the worker key after [`Config::KeyRotationDelay`]
		/// blocks (see the rotation rule in the crate docs).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::rotate_worker_key())]
		pub fn rotate_worker_key(
			origin: OriginFor<T>,
			new_key: WorkerId,
			key_proof: WorkerSignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_rotate_worker_key(who, new_key, key_proof)
		}

		/// Put `amount` of the caller's free balance on hold as collateral.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::deposit_collateral())]
		pub fn deposit_collateral(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deposit_collateral(who, amount)
		}

		/// Start unbonding `amount` of active collateral; it can be released after
		/// [`Config::UnbondingDelay`] blocks with [`Call::withdraw_unbonded`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::withdraw_collateral())]
		pub fn withdraw_collateral(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_collateral(who, amount)
		}

		/// Release every unlocked unbonding chunk of the caller.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(who)
		}

		/// Add a model to the catalogue (active), computed by every host in `precision`. Its id
		/// is [`NextModelId`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::add_model())]
		pub fn add_model(
			origin: OriginFor<T>,
			name: ModelName,
			weights_hash: sp_core::H256,
			architecture: Architecture,
			terms: ModelTermsUpdate<BalanceOf<T>>,
			precision: ModelPrecision,
		) -> DispatchResult {
			T::CatalogueOrigin::ensure_origin(origin)?;
			Self::do_add_model(name, weights_hash, architecture, terms, precision).map(|_| ())
		}

		/// Change the threshold, price and PoW scale of a model.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_model_terms())]
		pub fn set_model_terms(
			origin: OriginFor<T>,
			model: ModelId,
			terms: ModelTermsUpdate<BalanceOf<T>>,
		) -> DispatchResult {
			T::CatalogueOrigin::ensure_origin(origin)?;
			Self::do_set_model_terms(model, terms)
		}

		/// Retire a model: no host may declare it any more.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::retire_model())]
		pub fn retire_model(origin: OriginFor<T>, model: ModelId) -> DispatchResult {
			T::CatalogueOrigin::ensure_origin(origin)?;
			Self::do_retire_model(model)
		}
	}

	/// Genesis: the initial catalogue and the hosts of the first epoch.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Initial catalogue, with explicit ids.
		pub models: Vec<GenesisModel<BalanceOf<T>>>,
		/// Bootstrap hosts (no deposit, no proof of possession).
		pub hosts: Vec<GenesisHost<T::AccountId, BalanceOf<T>>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for m in &self.models {
				assert!(!Models::<T>::contains_key(m.id), "duplicate genesis model id {}", m.id);
				assert!(m.id < T::MaxModels::get(), "genesis model id {} >= MaxModels", m.id);
				let info = ModelInfo {
					name: m.name.as_bytes().to_vec().try_into().expect("model name too long"),
					weights_hash: m.weights_hash,
					architecture: m
						.architecture
						.as_bytes()
						.to_vec()
						.try_into()
						.expect("architecture too long"),
					validation_threshold: m.validation_threshold,
					price_per_1k_tokens: m.price_per_1k_tokens,
					pow_weight_scale: m.pow_weight_scale,
					status: ModelStatus::Active,
					precision: m.precision,
				};
				Models::<T>::insert(m.id, info);
				NextModelId::<T>::mutate(|n| *n = (*n).max(m.id.saturating_add(1)));
			}
			for h in &self.hosts {
				let endpoint: Endpoint =
					h.endpoint.as_bytes().to_vec().try_into().expect("genesis endpoint too long");
				let models: ModelsOf<T> =
					h.models.clone().try_into().expect("too many models for a genesis host");
				Pallet::<T>::insert_host(
					h.account.clone(),
					endpoint,
					h.worker_key.clone(),
					models,
					HardwareSpec::try_from(&h.hardware).expect("genesis hardware"),
					Default::default(),
				)
				.expect("invalid genesis host");
				if !h.collateral.is_zero() {
					Pallet::<T>::do_deposit_collateral(h.account.clone(), h.collateral)
						.expect("genesis host cannot hold its collateral");
				}
			}
		}
	}
}
