//! Conformance of the incremental detokeniser ([`gonka_inference::detok`]) against the
//! `tokenizers` library's own `decode`, for a small synthetic tokenizer of each family the
//! engine accepts: byte-level BPE (GPT-2 / Llama-3 / SmolLM2), SentencePiece BPE with byte
//! fallback (Llama-2 / Mistral / TinyLlama), Unigram with a `Metaspace` decoder (T5 style) and
//! WordPiece (BERT style). Vocabularies are built here, so every family is covered without
//! model files.
//!
//! Properties, over random token sequences (specials included) and over the encodings of
//! random text:
//! - the concatenated stream equals `decode(all tokens, skip_special_tokens = true)`;
//! - streaming the encoding of valid text never shows U+FFFD, and every delta is complete text;
//! - joining the per-token log-probability bytes gives the decoded text's UTF-8.

use std::sync::Arc;

use gonka_inference::detok::TokenPieces;
use proptest::prelude::*;
use serde_json::{json, Value};
use tokenizers::Tokenizer;

/// GPT-2's byte -> char table (the byte-level alphabet), written out independently of the
/// crate's inverse table.
fn gpt2_char(b: u8) -> char {
	let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
	if printable(b) {
		return char::from(b);
	}
	let n = (0..b).filter(|&x| !printable(x)).count() as u32;
	char::from_u32(256 + n).unwrap()
}

fn spell(bytes: &[u8]) -> String {
	bytes.iter().map(|&b| gpt2_char(b)).collect()
}

fn added(id: usize, content: &str, special: bool) -> Value {
	json!({"id": id, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
		   "normalized": false, "special": special})
}

/// Byte-level BPE: the 256 byte symbols plus merges that cut multi-byte characters (✓ is
/// E2 9C 93, 😀 is F0 9F 98 80) across token boundaries, and two added tokens.
fn byte_level() -> Tokenizer {
	let mut vocab = serde_json::Map::new();
	for b in 0..=255u8 {
		vocab.insert(spell(&[b]), json!(vocab.len()));
	}
	let merges: Vec<(Vec<u8>, Vec<u8>)> = vec![
		(b" ".to_vec(), b"t".to_vec()),
		(b"h".to_vec(), b"e".to_vec()),
		(b" t".to_vec(), b"he".to_vec()),
		(vec![0xE2], vec![0x9C]),
		(vec![0x9F], vec![0x98]),
		(vec![0xC3], vec![0xA9]),
	];
	let mut merge_list = Vec::new();
	for (a, b) in &merges {
		let joined: Vec<u8> = a.iter().chain(b).copied().collect();
		vocab.insert(spell(&joined), json!(vocab.len()));
		merge_list.push(json!(format!("{} {}", spell(a), spell(b))));
	}
	let n = vocab.len();
	let doc = json!({
		"version": "1.0", "truncation": null, "padding": null,
		"added_tokens": [added(n, "<|im_end|>", true), added(n + 1, "<think>", false)],
		"normalizer": null,
		"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
		"post_processor": null,
		"decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
		"model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
				  "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
				  "ignore_merges": false, "vocab": vocab, "merges": merge_list},
	});
	serde_json::from_value(doc).unwrap()
}

/// SentencePiece BPE with byte fallback, as Llama-2's `tokenizer.json`: `▁` for spaces, every
/// byte as `<0xNN>`, and the legacy decoder that strips one leading space.
fn sentencepiece() -> Tokenizer {
	let mut vocab = serde_json::Map::new();
	for t in ["<unk>", "<s>", "</s>"] {
		vocab.insert(t.into(), json!(vocab.len()));
	}
	for b in 0..=255u8 {
		vocab.insert(format!("<0x{b:02X}>"), json!(vocab.len()));
	}
	let pieces =
		["▁", "a", "b", "h", "e", "l", "o", "▁h", "▁he", "ll", "▁hell", "▁hello", "é", "▁▁"];
	for p in pieces {
		vocab.insert(p.into(), json!(vocab.len()));
	}
	let merges = ["▁ h", "▁h e", "l l", "▁he ll", "▁hell o", "▁ ▁"];
	let doc = json!({
		"version": "1.0", "truncation": null, "padding": null,
		"added_tokens": [added(0, "<unk>", true), added(1, "<s>", true), added(2, "</s>", true)],
		"normalizer": {"type": "Sequence", "normalizers": [
			{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
		"pre_tokenizer": null,
		"post_processor": null,
		"decoder": {"type": "Sequence", "decoders": [
			{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
			{"type": "ByteFallback"}, {"type": "Fuse"},
			{"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
		"model": {"type": "BPE", "dropout": null, "unk_token": "<unk>", "continuing_subword_prefix": null,
				  "end_of_word_suffix": null, "fuse_unk": true, "byte_fallback": true,
				  "ignore_merges": false, "vocab": vocab, "merges": merges},
	});
	serde_json::from_value(doc).unwrap()
}

/// Unigram with a `Metaspace` decoder (drops `▁` in the first token, spaces elsewhere).
fn unigram() -> Tokenizer {
	let pieces = ["<unk>", "</s>", "▁", "▁a", "▁ab", "b", "c", "▁c", "é", "a▁b", "▁▁"];
	let vocab: Vec<Value> =
		pieces.iter().enumerate().map(|(i, p)| json!([p, -(i as f64) - 1.0])).collect();
	let doc = json!({
		"version": "1.0", "truncation": null, "padding": null,
		"added_tokens": [added(0, "<unk>", true), added(1, "</s>", true)],
		"normalizer": null,
		"pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
		"post_processor": null,
		"decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
		"model": {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": false},
	});
	serde_json::from_value(doc).unwrap()
}

/// WordPiece with the BERT decoder (`##` glues, other tokens get a space, cleanup on).
fn wordpiece() -> Tokenizer {
	let pieces =
		["[UNK]", "[SEP]", "hello", "##lo", "hel", ".", ",", "do", "not", "n't", "'s", "##s", "é"];
	let vocab: serde_json::Map<String, Value> =
		pieces.iter().enumerate().map(|(i, p)| (p.to_string(), json!(i))).collect();
	let doc = json!({
		"version": "1.0", "truncation": null, "padding": null,
		"added_tokens": [added(0, "[UNK]", true), added(1, "[SEP]", true)],
		"normalizer": null,
		"pre_tokenizer": {"type": "BertPreTokenizer"},
		"post_processor": null,
		"decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
				  "max_input_chars_per_word": 100, "vocab": vocab},
	});
	serde_json::from_value(doc).unwrap()
}

fn families() -> Vec<(&'static str, Tokenizer)> {
	vec![
		("byte-level", byte_level()),
		("sentencepiece", sentencepiece()),
		("unigram", unigram()),
		("wordpiece", wordpiece()),
	]
}

/// Streams `ids`; returns the deltas.
fn stream(pieces: &Arc<TokenPieces>, ids: &[u32]) -> Vec<String> {
	let mut d = pieces.detokenizer();
	let mut out: Vec<String> = ids.iter().map(|&id| d.push(id)).collect();
	out.push(d.finish());
	out
}

/// Joins the log-probability bytes of `ids` as the API reports them.
fn joined_bytes(pieces: &Arc<TokenPieces>, ids: &[u32]) -> Vec<u8> {
	let mut d = pieces.detokenizer();
	let mut out = Vec::new();
	for &id in ids {
		if !pieces.is_special(id) {
			out.extend(pieces.bytes(id, d.at_start()));
		}
		d.push(id);
	}
	out
}

#[test]
fn every_family_is_recognised_and_an_unknown_decoder_is_refused_by_name() {
	for (name, tok) in families() {
		TokenPieces::new(&tok).unwrap_or_else(|e| panic!("{name}: {e}"));
	}
	let mut doc: Value = serde_json::from_str(&byte_level().to_string(false).unwrap()).unwrap();
	doc["decoder"] =
		json!({"type": "CTC", "pad_token": "<pad>", "word_delimiter_token": "|", "cleanup": true});
	let tok: Tokenizer = serde_json::from_value(doc).unwrap();
	let err = TokenPieces::new(&tok).unwrap_err().to_string();
	assert!(err.contains("CTC") && err.contains("not supported"), "{err}");
}

#[test]
fn a_four_byte_emoji_split_over_byte_fallback_tokens_streams_whole() {
	let tok = sentencepiece();
	let pieces = Arc::new(TokenPieces::new(&tok).unwrap());
	let ids = tok.encode("hello 😀 a", false).unwrap().get_ids().to_vec();
	let deltas = stream(&pieces, &ids);
	assert!(deltas.iter().all(|d| !d.contains('\u{FFFD}')), "{deltas:?}");
	assert_eq!(deltas.concat(), "hello 😀 a");
	assert_eq!(deltas.concat(), tok.decode(&ids, true).unwrap());
}

#[test]
fn a_check_mark_split_over_byte_level_tokens_reports_its_real_bytes() {
	let tok = byte_level();
	let pieces = Arc::new(TokenPieces::new(&tok).unwrap());
	let ids = tok.encode("ok ✓", false).unwrap().get_ids().to_vec();
	assert!(ids.len() >= 4, "the check mark spans tokens: {ids:?}");
	assert_eq!(joined_bytes(&pieces, &ids), "ok ✓".as_bytes());
	assert_eq!(stream(&pieces, &ids).concat(), "ok ✓");
}

fn family() -> impl Strategy<Value = usize> {
	0..4usize
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(400))]

	/// Any token sequence, invalid bytes and specials included: the stream is `decode(all)`.
	#[test]
	fn stream_equals_decode_of_all_tokens(f in family(), raw in proptest::collection::vec(any::<u32>(), 0..24)) {
		let (name, tok) = families().swap_remove(f);
		let pieces = Arc::new(TokenPieces::new(&tok).unwrap());
		let size = tok.get_vocab_size(true) as u32;
		let ids: Vec<u32> = raw.iter().map(|r| r % size).collect();
		let expected = tok.decode(&ids, true).unwrap();
		prop_assert_eq!(stream(&pieces, &ids).concat(), expected, "{} {:?}", name, ids);
	}

	/// The encoding of valid text streams without U+FFFD in any delta, and the
	/// log-probability bytes join to the text's UTF-8.
	#[test]
	fn valid_text_never_streams_replacement_characters(f in family(), text in "[a-c hél.,😀✓]{1,16}") {
		let (name, tok) = families().swap_remove(f);
		let pieces = Arc::new(TokenPieces::new(&tok).unwrap());
		let ids = tok.encode(text.as_str(), false).unwrap().get_ids().to_vec();
		let expected = tok.decode(&ids, true).unwrap();
		let deltas = stream(&pieces, &ids);
		if !expected.contains('\u{FFFD}') {
			prop_assert!(deltas.iter().all(|d| !d.contains('\u{FFFD}')), "{} {:?}", name, deltas);
			prop_assert_eq!(joined_bytes(&pieces, &ids), expected.as_bytes().to_vec(), "{}", name);
		}
		prop_assert_eq!(deltas.concat(), expected, "{}", name);
	}
}
