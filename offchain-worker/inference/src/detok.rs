//! Incremental, byte-exact detokenisation.
//!
//! A token is not a piece of text: byte-level BPE splits one UTF-8 character over several
//! tokens, SentencePiece's byte fallback spells a rare character as one `<0xNN>` token per byte,
//! and both decoders treat the start of the text specially. [`TokenPieces`] is built once per
//! tokenizer from its vocabulary and decoder; it knows the raw bytes every token contributes.
//! A [`Detokenizer`] then takes one token at a time, keeps the bytes that cannot be shown yet
//! (an unfinished character, an unfinished byte-fallback run) and releases the rest, in time
//! linear in the output.
//!
//! The contract, checked by property tests in `tests/detok.rs` against the `tokenizers`
//! library itself for each supported decoder family: for any token sequence, the concatenation
//! of everything [`Detokenizer::push`] and [`Detokenizer::finish`] return equals
//! `Tokenizer::decode(tokens, skip_special_tokens = true)`; U+FFFD appears only where that
//! decode has it (an invalid byte sequence the model really produced).
//!
//! Supported decoders (what Llama-family checkpoints ship):
//! - `ByteLevel` (GPT-2, Llama-3, Qwen2, SmolLM2): every piece maps to bytes through the GPT-2
//!   byte/char table; the text is the lossy UTF-8 reading of all bytes.
//! - SentencePiece, legacy form `Sequence[Replace("▁", " "), ByteFallback, Fuse, Strip(" ", n, 0)]`
//!   (Llama-2, Mistral, TinyLlama, Gemma; `ByteFallback` and `Strip` optional): a run of byte
//!   tokens becomes its UTF-8 text, or one U+FFFD per byte if invalid; the first `n` leading
//!   spaces of the text are removed.
//! - Per-token decoders, `Metaspace` (Unigram/T5 style) and `WordPiece` (BERT style): each token
//!   has a fixed text at the first position and another elsewhere, taken from the tokenizer's
//!   own decoder.
//!
//! Any other decoder is refused when the model loads ([`TokenPieces::new`]).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;
use tokenizers::{Decoder, Tokenizer};

use crate::error::{InferenceError, Result};

/// What one token contributes to the text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
	/// A special (control) token: decoding skips it.
	Special(Box<str>),
	/// Plain bytes (byte-level pieces and SentencePiece pieces with `▁` as space).
	Bytes(Box<[u8]>),
	/// A SentencePiece byte-fallback token `<0xNN>`.
	Byte(u8),
	/// A per-token decoder's text at the first position and at any later one.
	Forms { first: Box<str>, rest: Box<str> },
}

/// How the decoder joins pieces (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
	ByteLevel,
	SentencePiece { strip: usize },
	PerToken,
}

/// The bytes each token of a vocabulary contributes to decoded text, and the rule joining
/// them. Built once per tokenizer ([`TokenPieces::new`]); shared by every [`Detokenizer`].
#[derive(Debug, Clone)]
pub struct TokenPieces {
	scheme: Scheme,
	pieces: Vec<Piece>,
}

/// GPT-2's byte-to-character table, inverted: the character each byte is spelled with in a
/// byte-level vocabulary maps back to the byte. (Printable Latin-1 bytes stand for themselves;
/// the other 68 bytes are shifted to U+0100 and up, in byte order.)
fn byte_level_chars() -> HashMap<char, u8> {
	let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
	let mut shifted = 0u32;
	(0..=255u8)
		.map(|b| {
			let c = if printable(b) {
				char::from(b)
			} else {
				shifted += 1;
				char::from_u32(255 + shifted).expect("U+0100..U+0144 are chars")
			};
			(c, b)
		})
		.collect()
}

/// `<0xNN>` as a byte-fallback token.
fn fallback_byte(token: &str) -> Option<u8> {
	let hex = token.strip_prefix("<0x")?.strip_suffix('>')?;
	(hex.len() == 2).then(|| u8::from_str_radix(hex, 16).ok()).flatten()
}

impl TokenPieces {
	/// Reads the vocabulary and decoder of `tokenizer`.
	///
	/// Errors with [`InferenceError::Tokenizer`] naming the decoder if it is none of the
	/// supported families (module docs) — the engine could not stream its text exactly.
	pub fn new(tokenizer: &Tokenizer) -> Result<Self> {
		let decoder: Value = serde_json::to_value(tokenizer.get_decoder())
			.map_err(|e| InferenceError::Tokenizer(e.to_string()))?;
		let scheme = scheme_of(&decoder)?;
		let size = tokenizer.get_vocab_size(true);
		let added = tokenizer.get_added_tokens_decoder();
		let is_special = |id: u32| added.get(&id).is_some_and(|t| t.special);
		let table = byte_level_chars();
		let mut pieces = Vec::with_capacity(size);
		for id in 0..size as u32 {
			let Some(token) = tokenizer.id_to_token(id) else {
				pieces.push(Piece::Special("".into()));
				continue;
			};
			if is_special(id) {
				pieces.push(Piece::Special(token.into()));
				continue;
			}
			let piece = match scheme {
				Scheme::ByteLevel => {
					let bytes: Option<Vec<u8>> =
						token.chars().map(|c| table.get(&c).copied()).collect();
					Piece::Bytes(bytes.unwrap_or_else(|| token.as_bytes().to_vec()).into())
				},
				Scheme::SentencePiece { .. } => match fallback_byte(&token) {
					Some(b) if has_byte_fallback(&decoder) => Piece::Byte(b),
					_ => Piece::Bytes(token.replace('▁', " ").into_bytes().into()),
				},
				Scheme::PerToken => {
					let decoder = tokenizer.get_decoder().expect("scheme_of saw a decoder");
					let chain = |tokens: Vec<String>, at: usize| -> Result<Box<str>> {
						let out = decoder
							.decode_chain(tokens)
							.map_err(|e| InferenceError::Tokenizer(e.to_string()))?;
						Ok(out.get(at).cloned().unwrap_or_default().into())
					};
					Piece::Forms {
						first: chain(vec![token.clone()], 0)?,
						rest: chain(vec!["a".into(), token], 1)?,
					}
				},
			};
			pieces.push(piece);
		}
		Ok(Self { scheme, pieces })
	}

	/// Number of token ids covered.
	pub fn len(&self) -> usize {
		self.pieces.len()
	}

	/// Whether the vocabulary is empty.
	pub fn is_empty(&self) -> bool {
		self.pieces.is_empty()
	}

	/// Whether `id` is a special token (skipped when decoding).
	pub fn is_special(&self, id: u32) -> bool {
		matches!(self.pieces.get(id as usize), Some(Piece::Special(_)) | None)
	}

	/// The raw bytes token `id` stands for, as reported in log-probabilities: what it adds to
	/// the text when it comes `at_start` (nothing shown yet) or later, and for a special token
	/// its own spelling (e.g. `<|im_end|>`), although decoding skips it. A byte-fallback token
	/// is its one byte; a byte-level token may be part of a character.
	pub fn bytes(&self, id: u32, at_start: bool) -> Vec<u8> {
		match self.pieces.get(id as usize) {
			None => Vec::new(),
			Some(Piece::Special(s)) => s.as_bytes().to_vec(),
			Some(Piece::Byte(b)) => vec![*b],
			Some(Piece::Forms { first, rest }) => {
				if at_start { first } else { rest }.as_bytes().to_vec()
			},
			Some(Piece::Bytes(b)) => match self.scheme {
				Scheme::SentencePiece { strip } if at_start => {
					let n = b.iter().take(strip).take_while(|&&c| c == b' ').count();
					b[n..].to_vec()
				},
				_ => b.to_vec(),
			},
		}
	}

	/// A fresh incremental decoder over these pieces.
	pub fn detokenizer(self: &Arc<Self>) -> Detokenizer {
		let strip = match self.scheme {
			Scheme::SentencePiece { strip } => strip,
			_ => 0,
		};
		Detokenizer {
			pieces: self.clone(),
			pending: Vec::new(),
			run: Vec::new(),
			strip_left: strip,
			seen: false,
		}
	}
}

fn has_byte_fallback(decoder: &Value) -> bool {
	decoder
		.get("decoders")
		.and_then(Value::as_array)
		.is_some_and(|d| d.iter().any(|d| d["type"] == "ByteFallback"))
}

/// Recognises the supported decoder shapes (module docs).
fn scheme_of(decoder: &Value) -> Result<Scheme> {
	let kind = decoder.get("type").and_then(Value::as_str).unwrap_or("none");
	let unsupported = |what: String| {
		Err(InferenceError::Tokenizer(format!(
			"tokenizer decoder {what} is not supported (supported: ByteLevel; SentencePiece as \
			 Sequence[Replace \"▁\"->\" \", ByteFallback, Fuse, Strip]; Metaspace; WordPiece)"
		)))
	};
	match kind {
		"ByteLevel" => Ok(Scheme::ByteLevel),
		"Metaspace" | "WordPiece" => Ok(Scheme::PerToken),
		"Sequence" => {
			let steps = decoder["decoders"].as_array().cloned().unwrap_or_default();
			let mut strip = 0;
			let mut fused = false;
			for (i, step) in steps.iter().enumerate() {
				let ok = match step["type"].as_str().unwrap_or("") {
					"Replace" => {
						i == 0 && step["pattern"]["String"] == "▁" && step["content"] == " "
					},
					"ByteFallback" => !fused,
					"Fuse" => {
						fused = true;
						true
					},
					"Strip" if fused && step["content"] == " " && step["stop"] == 0 => {
						strip = step["start"].as_u64().unwrap_or(0) as usize;
						true
					},
					_ => false,
				};
				if !ok {
					return unsupported(format!("Sequence with {step} at position {i}"));
				}
			}
			if steps.first().map(|s| &s["type"]) != Some(&Value::from("Replace")) {
				return unsupported("Sequence not starting with Replace \"▁\"".into());
			}
			Ok(Scheme::SentencePiece { strip })
		},
		other => unsupported(format!("{other:?}")),
	}
}

/// Turns tokens into text one at a time, releasing only text that no later token can change.
///
/// Feed every generated token (special ones included: they are skipped as decoding does) to
/// [`push`](Self::push), then call [`finish`](Self::finish) once.
#[derive(Debug, Clone)]
pub struct Detokenizer {
	pieces: Arc<TokenPieces>,
	/// Bytes decoded but not released: the tail of an unfinished UTF-8 character.
	pending: Vec<u8>,
	/// An unfinished SentencePiece byte-fallback run.
	run: Vec<u8>,
	/// Leading spaces still to strip (SentencePiece `Strip`).
	strip_left: usize,
	/// Whether a non-special token has been decoded (per-token decoders' first position).
	seen: bool,
}

impl Detokenizer {
	/// Whether nothing has been decoded yet: a token now would be at the start of the text
	/// (see [`TokenPieces::bytes`]).
	pub fn at_start(&self) -> bool {
		!self.seen
	}

	/// Decodes one more token; returns the text it completes (often empty).
	pub fn push(&mut self, id: u32) -> String {
		// Disjoint borrows: the vocabulary is read while the buffers change.
		let Self { pieces, pending, run, strip_left, seen } = self;
		let first = !*seen;
		match pieces.pieces.get(id as usize) {
			None | Some(Piece::Special(_)) => return String::new(),
			Some(Piece::Byte(b)) => {
				*seen = true;
				run.push(*b);
				return String::new();
			},
			Some(Piece::Bytes(b)) => {
				close_run(run, pending, strip_left);
				append_stripped(pending, strip_left, b);
			},
			Some(Piece::Forms { first: f, rest }) => {
				let text = if first { f } else { rest };
				append_stripped(pending, strip_left, text.as_bytes());
			},
		}
		*seen = true;
		self.release(false)
	}

	/// Ends the sequence: returns whatever is still held, an unfinished character read as
	/// U+FFFD as the tokenizer's own decoder does.
	pub fn finish(&mut self) -> String {
		close_run(&mut self.run, &mut self.pending, &mut self.strip_left);
		self.release(true)
	}

	/// Releases the complete UTF-8 prefix of `pending` ([`drain_utf8`]).
	fn release(&mut self, all: bool) -> String {
		drain_utf8(&mut self.pending, all)
	}
}

/// Resolves a byte-fallback `run` into `pending` as the `ByteFallback` decoder does: its text
/// if it is valid UTF-8 as a whole, else one U+FFFD per byte.
fn close_run(run: &mut Vec<u8>, pending: &mut Vec<u8>, strip_left: &mut usize) {
	if run.is_empty() {
		return;
	}
	match String::from_utf8(std::mem::take(run)) {
		Ok(text) => append_stripped(pending, strip_left, text.as_bytes()),
		Err(e) => {
			let n = e.as_bytes().len();
			append_stripped(pending, strip_left, "\u{FFFD}".repeat(n).as_bytes());
		},
	}
}

/// Appends `bytes` to `pending`, first dropping up to `strip_left` leading spaces of the text
/// (SentencePiece's `Strip` decoder: it looks at the text's first characters only).
fn append_stripped(pending: &mut Vec<u8>, strip_left: &mut usize, mut bytes: &[u8]) {
	while *strip_left > 0 && !bytes.is_empty() {
		*strip_left -= 1;
		match bytes.strip_prefix(b" ") {
			Some(rest) => bytes = rest,
			None => *strip_left = 0,
		}
	}
	pending.extend_from_slice(bytes);
}

/// Takes the complete UTF-8 prefix out of `pending` as text; invalid sequences become U+FFFD
/// exactly where `String::from_utf8_lossy` would put them. An unfinished character at the end
/// stays in `pending`, or with `all` becomes U+FFFD too.
pub fn drain_utf8(pending: &mut Vec<u8>, all: bool) -> String {
	let mut out = String::new();
	let mut rest: &[u8] = pending;
	loop {
		match std::str::from_utf8(rest) {
			Ok(s) => {
				out.push_str(s);
				rest = &[];
				break;
			},
			Err(e) => {
				let (valid, after) = rest.split_at(e.valid_up_to());
				out.push_str(std::str::from_utf8(valid).expect("checked valid"));
				match e.error_len() {
					Some(n) => {
						out.push('\u{FFFD}');
						rest = &after[n..];
					},
					None if all => {
						out.push('\u{FFFD}');
						rest = &[];
						break;
					},
					None => {
						rest = after;
						break;
					},
				}
			},
		}
	}
	let kept = rest.len();
	pending.drain(..pending.len() - kept);
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn byte_level_table_is_a_bijection_matching_gpt2() {
		let t = byte_level_chars();
		assert_eq!(t.len(), 256);
		assert_eq!(t[&'Ġ'], b' ');
		assert_eq!(t[&'Ċ'], b'\n');
		assert_eq!(t[&'a'], b'a');
	}

	#[test]
	fn fallback_bytes_parse_only_their_exact_form() {
		assert_eq!(fallback_byte("<0xE2>"), Some(0xE2));
		assert_eq!(fallback_byte("<0xE>"), None);
		assert_eq!(fallback_byte("0xE2"), None);
	}
}
