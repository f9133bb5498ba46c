//! Stop sequences over streamed text.
//!
//! A stop string can span several tokens, so text is released only once it can no longer turn
//! into the start of a stop string: the longest suffix of the text that is a proper prefix of
//! any stop is held back. Text arrives as the detokeniser's complete-UTF-8 deltas
//! ([`crate::detok`]); each step searches only the tail that could hold a new match, so the
//! work is linear in the output.
//!
//! Property (tested below with proptest): for output `O` ending by stop `S`, no stop occurs in
//! `O`, and `O` is exactly the text before the first occurrence of any stop.

/// Tracks what part of a sequence's text has been released.
#[derive(Debug, Clone)]
pub struct StopText {
	stops: Vec<String>,
	/// Everything fed so far.
	text: String,
	/// Bytes of `text` released.
	emitted: usize,
	stopped: bool,
}

/// The result of feeding more text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextUpdate {
	/// New text that is safe to show.
	pub delta: String,
	/// Whether a stop string was found (generation must end).
	pub hit_stop: bool,
}

impl StopText {
	/// A tracker for the given stop strings (empty strings are ignored).
	pub fn new(stops: Vec<String>) -> Self {
		let stops = stops.into_iter().filter(|s| !s.is_empty()).collect();
		Self { stops, text: String::new(), emitted: 0, stopped: false }
	}

	/// Feeds newly decoded text; returns what may be shown.
	pub fn feed(&mut self, delta: &str) -> TextUpdate {
		if self.stopped {
			return TextUpdate { delta: String::new(), hit_stop: true };
		}
		self.text.push_str(delta);
		let longest = self.stops.iter().map(String::len).max().unwrap_or(0);
		// A new match must end in `delta`, so it starts at most `longest` bytes before it; and
		// no match starts before `emitted` (such a suffix would have been held back).
		let mut from = self.emitted.max(self.text.len().saturating_sub(delta.len() + longest));
		while !self.text.is_char_boundary(from) {
			from -= 1;
		}
		let hit = self
			.stops
			.iter()
			.filter_map(|s| self.text[from..].find(s.as_str()).map(|i| from + i))
			.min();
		if let Some(pos) = hit {
			let delta = self.text.get(self.emitted..pos).unwrap_or_default().to_string();
			self.emitted = pos.max(self.emitted);
			self.stopped = true;
			return TextUpdate { delta, hit_stop: true };
		}
		// Hold back the longest suffix that is a proper prefix of some stop.
		let mut held = 0;
		for s in &self.stops {
			for (i, _) in s.char_indices().skip(1) {
				if i > held && self.text.ends_with(&s[..i]) {
					held = i;
				}
			}
		}
		let upto = self.text.len() - held;
		self.release(upto)
	}

	/// Releases everything not yet shown (generation ended for another reason).
	pub fn finish(&mut self) -> String {
		if self.stopped {
			return String::new();
		}
		self.release(self.text.len()).delta
	}

	fn release(&mut self, upto: usize) -> TextUpdate {
		if upto <= self.emitted {
			return TextUpdate { delta: String::new(), hit_stop: false };
		}
		let delta = self.text[self.emitted..upto].to_string();
		self.emitted = upto;
		TextUpdate { delta, hit_stop: false }
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	/// Feeds `deltas`; returns the released text and whether a stop ended it.
	fn run(stops: &[&str], deltas: &[&str]) -> (String, bool) {
		let mut s = StopText::new(stops.iter().map(|s| s.to_string()).collect());
		let mut out = String::new();
		for d in deltas {
			let u = s.feed(d);
			out.push_str(&u.delta);
			if u.hit_stop {
				return (out, true);
			}
		}
		out.push_str(&s.finish());
		(out, false)
	}

	#[test]
	fn stop_spanning_tokens_is_cut_and_never_leaked() {
		let mut s = StopText::new(vec!["\nUser:".into()]);
		assert_eq!(s.feed("Hello").delta, "Hello");
		assert_eq!(s.feed("\nUs").delta, "", "possible stop prefix is held back");
		let u = s.feed("er: hi");
		assert_eq!((u.delta.as_str(), u.hit_stop), ("", true));
	}

	#[test]
	fn held_back_prefix_is_released_when_it_diverges() {
		assert_eq!(run(&["STOP"], &["a S", "T", "a"]), ("a STa".to_string(), false));
		assert_eq!(run(&["STOP"], &["a S", "TOP b"]), ("a ".to_string(), true));
	}

	#[test]
	fn a_stop_whose_start_repeats_inside_it_does_not_leak() {
		// The suffix `##` is a prefix of `###` both as `#` and as `##`: hold the longer.
		assert_eq!(run(&["###"], &["x", "#", "#", "#"]), ("x".to_string(), true));
		assert_eq!(run(&["###"], &["x##", "#"]), ("x".to_string(), true));
		assert_eq!(run(&["abab"], &["xab", "ab"]), ("x".to_string(), true));
		assert_eq!(run(&["aab"], &["xa", "a", "ab"]), ("xa".to_string(), true));
	}

	#[test]
	fn the_earliest_of_several_stops_wins() {
		assert_eq!(run(&["world", "o w"], &["hello world"]), ("hell".to_string(), true));
	}

	proptest! {
		/// Over a tiny alphabet (so stops recur), for any split of any text: the output `O` is a
		/// prefix of the text containing no stop; if a stop ended it, the text goes on with a
		/// stop right at `len(O)`; otherwise `O` is the whole text. Nothing released is ever
		/// taken back.
		#[test]
		fn output_is_a_stop_free_prefix_ending_where_a_stop_begins(
			text in "[ab#é]{0,24}",
			stops in proptest::collection::vec("[ab#é]{1,4}", 0..4),
			cuts in proptest::collection::vec(0usize..24, 0..8),
		) {
			let chars: Vec<char> = text.chars().collect();
			let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= chars.len()).collect();
			cuts.sort();
			cuts.dedup();
			let mut deltas = Vec::new();
			let mut last = 0;
			for c in cuts.into_iter().chain([chars.len()]) {
				deltas.push(chars[last..c].iter().collect::<String>());
				last = c;
			}
			let mut s = StopText::new(stops.clone());
			let mut out = String::new();
			let mut hit = false;
			let mut fed = String::new();
			for d in &deltas {
				fed.push_str(d);
				let u = s.feed(d);
				out.push_str(&u.delta);
				prop_assert!(fed.starts_with(&out));
				if u.hit_stop { hit = true; break; }
			}
			if !hit { out.push_str(&s.finish()); }
			for stop in &stops {
				prop_assert!(!out.contains(stop.as_str()), "{out:?} contains stop {stop:?}");
			}
			if hit {
				let rest = &fed[out.len()..];
				prop_assert!(stops.iter().any(|s| rest.starts_with(s.as_str())), "{fed:?} -> {out:?}");
			} else {
				prop_assert_eq!(&out, &text);
			}
		}
	}
}
