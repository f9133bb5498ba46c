//! Weighted draws: a session's executor group, each sample's validators and the sampled leaves.
//!
//! Candidates are a window of at most [`Config::MaxCandidates`] hosts serving the model, starting
//! at a random point of the registry's per-model list
//! ([`HostRegistry::hosts_serving_window`]); within it each active host weighs its compute
//! weight in the active epoch times its reputation's draw factor. When the window covers every
//! host serving the model (up to `MaxCandidates` of them), draws are exactly proportional to that
//! weight; beyond, each host's chance of being in the window is uniform and the draw inside it
//! proportional (`docs/inference-market.md` 3).
//!
//! Every random number is `u128 LE of blake2_256(tag || seed || a u32 LE || b u32 LE)[..16]`.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use gonka_primitives::{compute::ComputeWeights, hosts::HostRegistry};

/// The `(a, b)`-th random number of `seed` under `tag`.
pub(crate) fn random(tag: &[u8], seed: &[u8; 32], a: u32, b: u32) -> u128 {
	let mut pre = tag.to_vec();
	pre.extend_from_slice(seed);
	a.encode_to(&mut pre);
	b.encode_to(&mut pre);
	let h = sp_io::hashing::blake2_256(&pre);
	u128::from_le_bytes(h[..16].try_into().expect("16 bytes"))
}

/// Index into `weights` (cumulative draw on `[0, total)`), or `None` if the total is zero.
pub(crate) fn pick(weights: &[u128], r: u128) -> Option<usize> {
	let total: u128 = weights.iter().fold(0u128, |a, w| a.saturating_add(*w));
	if total == 0 {
		return None;
	}
	let mut x = r % total;
	for (i, w) in weights.iter().enumerate() {
		if x < *w {
			return Some(i);
		}
		x -= *w;
	}
	None
}

impl<T: Config> Pallet<T> {
	/// A 32-byte seed from the runtime's randomness for `tag` and `session`.
	pub(crate) fn seed(tag: &[u8], session: SessionId) -> [u8; 32] {
		use frame_support::traits::Randomness;
		let mut subject = tag.to_vec();
		session.encode_to(&mut subject);
		let (r, _) = T::Randomness::random(&subject);
		sp_io::hashing::blake2_256(&(tag, session, r).encode())
	}

	/// The candidate executors/validators of `model` for `seed` and their draw weights (only
	/// positive weights: active hosts with weight in the active epoch).
	pub(crate) fn candidates(model: ModelId, seed: &[u8; 32]) -> (Vec<T::AccountId>, Vec<u128>) {
		let mut entropy = [0u8; 16];
		entropy.copy_from_slice(&seed[..16]);
		let window = T::Hosts::hosts_serving_window(model, entropy, T::MaxCandidates::get());
		let mut hosts = Vec::with_capacity(window.len());
		let mut weights = Vec::with_capacity(window.len());
		for host in window {
			if !T::Hosts::is_active(&host) {
				continue;
			}
			let w = Self::draw_factor(&host).mul_floor(T::Weights::active_weight_of(&host));
			if w > 0 {
				hosts.push(host);
				weights.push(w);
			}
		}
		(hosts, weights)
	}

	/// `size` slots drawn with replacement from the candidates, by weight.
	pub(crate) fn draw_group(
		hosts: &[T::AccountId],
		weights: &[u128],
		seed: &[u8; 32],
		size: u32,
	) -> Vec<T::AccountId> {
		(0..size)
			.filter_map(|i| pick(weights, random(GROUP_TAG, seed, i, 0)).map(|j| hosts[j].clone()))
			.collect()
	}

	/// Up to `count` distinct validators other than `executor`, by weight without replacement.
	pub(crate) fn draw_validators(
		hosts: &[T::AccountId],
		weights: &[u128],
		executor: &T::AccountId,
		seed: &[u8; 32],
		sample: u32,
		count: u32,
	) -> Vec<T::AccountId> {
		let mut left: Vec<u128> =
			hosts.iter().zip(weights).map(|(h, w)| if h == executor { 0 } else { *w }).collect();
		let mut chosen = Vec::new();
		for i in 0..count {
			let Some(j) = pick(&left, random(SAMPLE_TAG, seed, sample, 1_000 + i)) else {
				break;
			};
			chosen.push(hosts[j].clone());
			left[j] = 0;
		}
		chosen
	}

	/// `k` distinct leaves of `1..=n` (all of them when `k >= n`), in draw order.
	pub(crate) fn draw_leaves(seed: &[u8; 32], slot: SlotIndex, n: u64, k: u32) -> Vec<u64> {
		if (k as u64) >= n {
			return (1..=n).collect();
		}
		let mut leaves: Vec<u64> = Vec::with_capacity(k as usize);
		let mut i = 0u32;
		while (leaves.len() as u32) < k {
			let leaf = 1 + (random(SAMPLE_TAG, seed, slot as u32, i) % n as u128) as u64;
			if !leaves.contains(&leaf) {
				leaves.push(leaf);
			}
			i += 1;
		}
		leaves
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn pick_follows_the_cumulative_line() {
		assert_eq!(pick(&[0, 0], 5), None);
		assert_eq!(pick(&[3, 0, 2], 0), Some(0));
		assert_eq!(pick(&[3, 0, 2], 2), Some(0));
		assert_eq!(pick(&[3, 0, 2], 3), Some(2));
		assert_eq!(pick(&[3, 0, 2], 9), Some(2));
	}
}
