//! Text <-> token ids, built on the `tokenizers` crate.
//!
//! For GGUF models the tokenizer is reconstructed from the `tokenizer.ggml.*` metadata as a
//! Hugging Face `tokenizer.json` document and then parsed by `tokenizers`, so GGUF and
//! safetensors checkpoints share exactly one tokenisation code path.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};
use tokenizers::Tokenizer;

use crate::detok::{Detokenizer, TokenPieces};
use crate::error::{InferenceError, Result};
use crate::gguf::{GgufFile, GgufValue};

/// Marks user text inside a rendered prompt (Unicode private use; see
/// [`TextTokenizer::protect`]). Inserted after the first character of every special-token
/// spelling found in user content, and doubled where the content itself contains it.
const MARK: char = '\u{F8FF}';

/// ggml token type for control tokens (`<|im_start|>` ...).
const TOKEN_TYPE_CONTROL: i64 = 3;
/// ggml token type for user-defined added tokens.
const TOKEN_TYPE_USER_DEFINED: i64 = 4;

/// Special tokens that end a turn in common chat formats; any that exist in the vocabulary
/// stop generation in addition to the model's declared EOS.
const END_OF_TURN_TOKENS: &[&str] =
	&["<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>", "<|end|>", "</s>"];

/// GPT-2 / Llama-3 / Qwen2 pre-tokenisation regexes (as in llama.cpp's `llama-vocab.cpp`).
const LLAMA3_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const QWEN2_REGEX: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// A tokenizer plus the model's special-token conventions and chat template.
#[derive(Clone)]
pub struct TextTokenizer {
	inner: Tokenizer,
	/// The same tokenizer reading special-token spellings as plain text.
	plain: Tokenizer,
	/// Special tokens, longest spelling first (for leftmost-longest matching).
	specials: Vec<(String, u32)>,
	pieces: Arc<TokenPieces>,
	bos_id: Option<u32>,
	add_bos: bool,
	stop_ids: BTreeSet<u32>,
	bos_token: String,
	eos_token: String,
	chat_template: Option<String>,
}

impl std::fmt::Debug for TextTokenizer {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("TextTokenizer")
			.field("vocab", &self.inner.get_vocab_size(true))
			.field("bos_id", &self.bos_id)
			.field("stop_ids", &self.stop_ids)
			.finish()
	}
}

fn tok_err(e: impl std::fmt::Display) -> InferenceError {
	InferenceError::Tokenizer(e.to_string())
}

impl TextTokenizer {
	/// Builds the tokenizer stored in a GGUF file's metadata (BPE `gpt2` model only).
	pub fn from_gguf(gguf: &GgufFile) -> Result<Self> {
		let model = gguf.get_str("tokenizer.ggml.model")?;
		if model != "gpt2" {
			return Err(InferenceError::Tokenizer(format!(
				"GGUF tokenizer model {model:?} is not supported (only byte-level BPE \"gpt2\")"
			)));
		}
		let strings = |key: &str| -> Result<Vec<String>> {
			gguf.get(key)
				.and_then(GgufValue::as_array)
				.ok_or_else(|| InferenceError::metadata(key, "missing or not an array"))?
				.iter()
				.map(|v| {
					v.as_str()
						.map(str::to_string)
						.ok_or_else(|| InferenceError::metadata(key, "non-string item"))
				})
				.collect()
		};
		let tokens = strings("tokenizer.ggml.tokens")?;
		let merges = strings("tokenizer.ggml.merges")?;
		let types: Vec<i64> =
			match gguf.get("tokenizer.ggml.token_type").and_then(GgufValue::as_array) {
				Some(a) => a
					.iter()
					.map(|v| {
						if let GgufValue::I64(x) = v {
							*x
						} else {
							v.as_u64().unwrap_or(1) as i64
						}
					})
					.collect(),
				None => vec![1; tokens.len()],
			};
		let pre = gguf.get("tokenizer.ggml.pre").and_then(GgufValue::as_str).unwrap_or("default");
		let id = |key: &str| gguf.get(key).and_then(GgufValue::as_u64).map(|v| v as u32);
		let bos_id = id("tokenizer.ggml.bos_token_id");
		let eos_id = id("tokenizer.ggml.eos_token_id");
		let add_bos =
			gguf.get("tokenizer.ggml.add_bos_token").and_then(GgufValue::as_bool).unwrap_or(false);

		let vocab: serde_json::Map<String, Value> =
			tokens.iter().enumerate().map(|(i, t)| (t.clone(), json!(i))).collect();
		let added: Vec<Value> = tokens
			.iter()
			.zip(&types)
			.enumerate()
			.filter(|(_, (_, &ty))| ty == TOKEN_TYPE_CONTROL || ty == TOKEN_TYPE_USER_DEFINED)
			.map(|(i, (t, &ty))| {
				json!({"id": i, "content": t, "single_word": false, "lstrip": false, "rstrip": false,
                       "normalized": false, "special": ty == TOKEN_TYPE_CONTROL})
			})
			.collect();
		let doc = json!({
			"version": "1.0", "truncation": null, "padding": null,
			"added_tokens": added,
			"normalizer": null,
			"pre_tokenizer": pre_tokenizer_for(pre)?,
			"post_processor": null,
			"decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
			"model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
					  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
					  "vocab": vocab, "merges": merges},
		});
		let inner: Tokenizer = serde_json::from_value(doc).map_err(tok_err)?;
		let name =
			|i: Option<u32>| i.and_then(|i| tokens.get(i as usize)).cloned().unwrap_or_default();
		let chat_template =
			gguf.get("tokenizer.chat_template").and_then(GgufValue::as_str).map(str::to_string);
		Self::assemble(inner, bos_id, eos_id, add_bos, name(bos_id), name(eos_id), chat_template)
	}

	/// Loads `tokenizer.json` (+ optional `tokenizer_config.json`) from a Hugging Face model dir.
	pub fn from_hf_dir(dir: &Path) -> Result<Self> {
		let inner = Tokenizer::from_file(dir.join("tokenizer.json")).map_err(tok_err)?;
		let cfg: Value = match std::fs::read_to_string(dir.join("tokenizer_config.json")) {
			Ok(s) => serde_json::from_str(&s)
				.map_err(|e| InferenceError::metadata("tokenizer_config.json", e.to_string()))?,
			Err(_) => Value::Null,
		};
		let token_str = |key: &str| -> Option<String> {
			match cfg.get(key)? {
				Value::String(s) => Some(s.clone()),
				Value::Object(o) => o.get("content").and_then(Value::as_str).map(str::to_string),
				_ => None,
			}
		};
		let bos_token = token_str("bos_token").unwrap_or_default();
		let eos_token = token_str("eos_token").unwrap_or_default();
		let bos_id = inner.token_to_id(&bos_token);
		let eos_id = inner.token_to_id(&eos_token);
		let add_bos = cfg.get("add_bos_token").and_then(Value::as_bool).unwrap_or(false);
		let chat_template = cfg.get("chat_template").and_then(Value::as_str).map(str::to_string);
		Self::assemble(inner, bos_id, eos_id, add_bos, bos_token, eos_token, chat_template)
	}

	fn assemble(
		inner: Tokenizer,
		bos_id: Option<u32>,
		eos_id: Option<u32>,
		add_bos: bool,
		bos_token: String,
		eos_token: String,
		chat_template: Option<String>,
	) -> Result<Self> {
		let mut stop_ids: BTreeSet<u32> = eos_id.into_iter().collect();
		stop_ids.extend(END_OF_TURN_TOKENS.iter().filter_map(|t| inner.token_to_id(t)));
		let pieces = Arc::new(TokenPieces::new(&inner)?);
		let mut plain = inner.clone();
		plain.set_encode_special_tokens(true);
		let mut specials: Vec<(String, u32)> = inner
			.get_added_tokens_decoder()
			.into_iter()
			.filter(|(_, t)| t.special && !t.content.is_empty())
			.map(|(id, t)| (t.content, id))
			.collect();
		specials.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
		Ok(Self {
			inner,
			plain,
			specials,
			pieces,
			bos_id,
			add_bos,
			stop_ids,
			bos_token,
			eos_token,
			chat_template,
		})
	}

	/// Tokenises `text`; special-token strings in it map to their ids (a raw completions
	/// prompt is the caller's own text, as in other OpenAI-compatible servers). Prepends BOS
	/// when the model asks for it and `text` does not start with it.
	pub fn encode(&self, text: &str) -> Result<Vec<u32>> {
		let enc = self.inner.encode(text, false).map_err(tok_err)?;
		Ok(self.with_bos(enc.get_ids().to_vec()))
	}

	fn with_bos(&self, mut ids: Vec<u32>) -> Vec<u32> {
		if let (true, Some(bos)) = (self.add_bos, self.bos_id) {
			if ids.first() != Some(&bos) {
				ids.insert(0, bos);
			}
		}
		ids
	}

	/// Escapes user `content` before it goes into a chat template, so that special-token
	/// spellings typed by a user (`<|im_end|>` ...) stay text: [`encode_protected`] reads
	/// them as plain characters and removes the marks. Pair every use with it.
	///
	/// [`encode_protected`]: Self::encode_protected
	pub fn protect(&self, content: &str) -> String {
		let mut s = content.replace(MARK, &format!("{MARK}{MARK}"));
		for (special, _) in &self.specials {
			if s.contains(special.as_str()) {
				let mut chars = special.chars();
				let first = chars.next().expect("specials are non-empty");
				s = s.replace(special.as_str(), &format!("{first}{MARK}{}", chars.as_str()));
			}
		}
		s
	}

	/// Tokenises a rendered chat prompt whose user contents went through [`protect`]: special
	/// tokens the template wrote become their ids; everything else, including special-token
	/// spellings in user content, is tokenised as text, segment by segment between special
	/// tokens exactly as the tokenizer itself splits. Prepends BOS like [`encode`].
	///
	/// [`protect`]: Self::protect
	/// [`encode`]: Self::encode
	pub fn encode_protected(&self, text: &str) -> Result<Vec<u32>> {
		let mut ids = Vec::new();
		let mut rest = text;
		loop {
			let next = self
				.specials
				.iter()
				.filter_map(|(s, id)| rest.find(s.as_str()).map(|at| (at, s.len(), *id)))
				.min_by_key(|&(at, len, _)| (at, std::cmp::Reverse(len)));
			let (segment, special) = match next {
				Some((at, len, id)) => (&rest[..at], Some((id, at + len))),
				None => (rest, None),
			};
			if !segment.is_empty() {
				let enc = self.plain.encode(unmark(segment), false).map_err(tok_err)?;
				ids.extend_from_slice(enc.get_ids());
			}
			match special {
				Some((id, end)) => {
					ids.push(id);
					rest = &rest[end..];
				},
				None => break,
			}
		}
		Ok(self.with_bos(ids))
	}

	/// Turns ids back into text, dropping special tokens (the library's own decoder; streaming
	/// uses [`detokenizer`](Self::detokenizer), which gives the same text).
	pub fn decode(&self, ids: &[u32]) -> Result<String> {
		self.inner.decode(ids, true).map_err(tok_err)
	}

	/// An incremental decoder for one generated sequence.
	pub fn detokenizer(&self) -> Detokenizer {
		self.pieces.detokenizer()
	}

	/// The raw bytes of token `id` for log-probability reports (see [`TokenPieces::bytes`]).
	pub fn token_bytes(&self, id: u32, at_start: bool) -> Vec<u8> {
		self.pieces.bytes(id, at_start)
	}

	/// The tokenizer as a Hugging Face `tokenizer.json` document (e.g. to export a GGUF model).
	pub fn to_json(&self) -> Result<String> {
		self.inner.to_string(false).map_err(tok_err)
	}

	/// Token ids that end generation.
	pub fn stop_ids(&self) -> &BTreeSet<u32> {
		&self.stop_ids
	}

	/// Vocabulary size including added tokens.
	pub fn vocab_size(&self) -> usize {
		self.inner.get_vocab_size(true)
	}

	/// The model's chat template (Jinja source), if it ships one.
	pub fn chat_template(&self) -> Option<&str> {
		self.chat_template.as_deref()
	}

	/// BOS token text (for chat templates).
	pub fn bos_token(&self) -> &str {
		&self.bos_token
	}

	/// EOS token text (for chat templates).
	pub fn eos_token(&self) -> &str {
		&self.eos_token
	}
}

/// Removes [`MARK`]s: a doubled one stands for one, a single one for nothing.
fn unmark(segment: &str) -> String {
	let mut out = String::with_capacity(segment.len());
	let mut chars = segment.chars().peekable();
	while let Some(c) = chars.next() {
		if c != MARK {
			out.push(c);
		} else if chars.peek() == Some(&MARK) {
			out.push(MARK);
			chars.next();
		}
	}
	out
}

/// A log-probability entry's `token` string: the bytes as text when they are valid UTF-8,
/// else `bytes:\xNN...` as OpenAI spells partial characters.
pub fn token_label(bytes: &[u8]) -> String {
	match std::str::from_utf8(bytes) {
		Ok(s) => s.to_string(),
		Err(_) => {
			let mut s = String::from("bytes:");
			for b in bytes {
				s.push_str(&format!("\\x{b:02x}"));
			}
			s
		},
	}
}

/// The `tokenizer.json` pre-tokenizer matching llama.cpp's `tokenizer.ggml.pre` name.
fn pre_tokenizer_for(pre: &str) -> Result<Value> {
	let byte_level = |use_regex: bool| json!({"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": use_regex});
	let split = |regex: &str| {
		json!({"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": regex}, "behavior": "Isolated", "invert": false},
            byte_level(false)]})
	};
	Ok(match pre {
        "smollm" | "starcoder" | "refact" | "codeshell" => json!({"type": "Sequence", "pretokenizers": [
            {"type": "Digits", "individual_digits": true}, byte_level(true)]}),
        "default" | "gpt-2" | "gpt2" => byte_level(true),
        "llama-bpe" | "llama3" | "smaug-bpe" => split(LLAMA3_REGEX),
        "qwen2" => split(QWEN2_REGEX),
        other => {
            return Err(InferenceError::Tokenizer(format!(
                "GGUF pre-tokenizer {other:?} is not supported (smollm, starcoder, gpt-2, llama-bpe, qwen2)"
            )))
        }
    })
}
