//! Incremental detokenisation with stop sequences.
//!
//! Tokens do not map to whole characters (byte-level BPE splits UTF-8), and a stop string can
//! span several tokens, so text is released to a stream only once it can no longer turn into
//! the start of a stop string or an incomplete character. The full text is re-decoded each step,
//! which is what makes the byte-level decoder's output exact.

/// Tracks what part of a sequence's decoded text has been released.
#[derive(Debug, Clone)]
pub struct StopText {
	stops: Vec<String>,
	emitted: usize,
	stopped: bool,
}

/// The result of feeding the latest decoded text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextUpdate {
	/// New text that is safe to show.
	pub delta: String,
	/// Whether a stop string was found (generation must end).
	pub hit_stop: bool,
}

impl StopText {
	/// A tracker for the given stop strings.
	pub fn new(stops: Vec<String>) -> Self {
		Self { stops, emitted: 0, stopped: false }
	}

	/// Feeds the decoded text of all generated tokens so far.
	pub fn update(&mut self, full: &str) -> TextUpdate {
		if self.stopped {
			return TextUpdate { delta: String::new(), hit_stop: true };
		}
		let longest = self.stops.iter().map(String::len).max().unwrap_or(0);
		// A stop can only start where it could not have been fully seen before.
		let mut search_from = self.emitted.saturating_sub(longest);
		while !full.is_char_boundary(search_from) {
			search_from -= 1;
		}
		let hit = self
			.stops
			.iter()
			.filter_map(|s| full[search_from..].find(s.as_str()).map(|i| search_from + i))
			.min();
		if let Some(pos) = hit {
			let delta = full.get(self.emitted..pos).unwrap_or_default().to_string();
			self.emitted = pos.max(self.emitted);
			self.stopped = true;
			return TextUpdate { delta, hit_stop: true };
		}
		let mut safe = full.len();
		// Hold back an incomplete UTF-8 sequence (decoded as U+FFFD by the byte-level decoder).
		if full.ends_with('\u{FFFD}') {
			safe -= '\u{FFFD}'.len_utf8();
		}
		// Hold back a suffix that is a proper prefix of some stop string.
		for s in &self.stops {
			for (i, _) in s.char_indices().skip(1) {
				if full[..safe].ends_with(&s[..i]) {
					safe = safe.min(full.len() - i);
					break;
				}
			}
		}
		self.release(full, safe)
	}

	/// Releases everything not yet shown (called when generation ends for another reason).
	pub fn finish(&mut self, full: &str) -> String {
		if self.stopped {
			return String::new();
		}
		self.release(full, full.len()).delta
	}

	fn release(&mut self, full: &str, mut upto: usize) -> TextUpdate {
		while upto > self.emitted && !full.is_char_boundary(upto) {
			upto -= 1;
		}
		if upto <= self.emitted {
			return TextUpdate { delta: String::new(), hit_stop: false };
		}
		let delta = full[self.emitted..upto].to_string();
		self.emitted = upto;
		TextUpdate { delta, hit_stop: false }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn run(stops: &[&str], steps: &[&str]) -> (String, bool) {
		let mut s = StopText::new(stops.iter().map(|s| s.to_string()).collect());
		let mut out = String::new();
		for full in steps {
			let u = s.update(full);
			out.push_str(&u.delta);
			if u.hit_stop {
				return (out, true);
			}
		}
		out.push_str(&s.finish(steps.last().unwrap()));
		(out, false)
	}

	#[test]
	fn stop_spanning_tokens_is_cut_and_never_leaked() {
		let mut s = StopText::new(vec!["\nUser:".into()]);
		assert_eq!(s.update("Hello").delta, "Hello");
		assert_eq!(s.update("Hello\nUs").delta, "", "possible stop prefix is held back");
		let u = s.update("Hello\nUser: hi");
		assert_eq!((u.delta.as_str(), u.hit_stop), ("", true));
	}

	#[test]
	fn held_back_prefix_is_released_when_it_diverges() {
		assert_eq!(run(&["STOP"], &["a S", "a ST", "a STa"]), ("a STa".to_string(), false));
		assert_eq!(run(&["STOP"], &["a S", "a STOP b"]), ("a ".to_string(), true));
	}

	#[test]
	fn incomplete_utf8_is_held_until_complete() {
		let mut s = StopText::new(vec![]);
		assert_eq!(s.update("caf\u{FFFD}").delta, "caf");
		assert_eq!(s.update("café").delta, "é");
	}
}
