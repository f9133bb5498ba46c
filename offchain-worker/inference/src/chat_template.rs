//! Chat prompt rendering with the model's own Jinja template (via `minijinja`).
//!
//! Models are fine-tuned on one exact prompt format; rendering the template they ship (rather
//! than pasting strings) is what keeps answers coherent across model families. The environment
//! mirrors Hugging Face's `apply_chat_template`: `trim_blocks` and `lstrip_blocks` on,
//! `raise_exception`, Python string methods (`.strip()`, `.startswith()` ...) and `tojson`.

use minijinja::{Environment, ErrorKind};
use serde::Serialize;

use crate::error::{InferenceError, Result};

/// Used when a model ships no template: ChatML, the most common instruct format.
pub const CHATML_TEMPLATE: &str = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/// One chat message as templates expect it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
	/// `system`, `user`, `assistant` or `tool`.
	pub role: String,
	/// Plain-text content.
	pub content: String,
}

impl ChatMessage {
	/// Convenience constructor.
	pub fn new(role: impl Into<String>, content: impl Into<String>) -> Self {
		Self { role: role.into(), content: content.into() }
	}
}

/// A compiled chat template.
pub struct ChatTemplate {
	env: Environment<'static>,
	bos_token: String,
	eos_token: String,
}

impl std::fmt::Debug for ChatTemplate {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.debug_struct("ChatTemplate").field("bos_token", &self.bos_token).finish_non_exhaustive()
	}
}

const TEMPLATE_NAME: &str = "chat";

impl ChatTemplate {
	/// Compiles `source`; fails with [`InferenceError::ChatTemplate`] on a syntax error.
	pub fn new(source: &str, bos_token: &str, eos_token: &str) -> Result<Self> {
		let mut env = Environment::new();
		env.set_trim_blocks(true);
		env.set_lstrip_blocks(true);
		env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
		env.add_function(
			"raise_exception",
			|msg: String| -> std::result::Result<String, minijinja::Error> {
				Err(minijinja::Error::new(ErrorKind::InvalidOperation, msg))
			},
		);
		env.add_template_owned(TEMPLATE_NAME, source.to_string())
			.map_err(|e| InferenceError::ChatTemplate(format!("cannot compile template: {e:#}")))?;
		Ok(Self { env, bos_token: bos_token.into(), eos_token: eos_token.into() })
	}

	/// Renders `messages`, ending with the assistant prefix when `add_generation_prompt`.
	pub fn render(&self, messages: &[ChatMessage], add_generation_prompt: bool) -> Result<String> {
		if messages.is_empty() {
			return Err(InferenceError::InvalidRequest("messages must not be empty".into()));
		}
		let tmpl = self
			.env
			.get_template(TEMPLATE_NAME)
			.map_err(|e| InferenceError::ChatTemplate(e.to_string()))?;
		tmpl.render(minijinja::context! {
			messages => messages,
			add_generation_prompt => add_generation_prompt,
			bos_token => &self.bos_token,
			eos_token => &self.eos_token,
		})
		.map_err(|e| InferenceError::ChatTemplate(format!("cannot render: {e:#}")))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn chatml_renders_with_generation_prompt() {
		let t = ChatTemplate::new(CHATML_TEMPLATE, "", "").unwrap();
		let out = t.render(&[ChatMessage::new("user", "Hi")], true).unwrap();
		assert_eq!(out, "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
	}

	#[test]
	fn python_methods_trim_blocks_and_raise_exception_work() {
		let src = "{% for m in messages %}\n{% if m.role == 'tool' %}{{ raise_exception('no tools') }}{% endif %}\n{{ bos_token }}{{ m.content.strip() | upper }}\n{% endfor %}";
		let t = ChatTemplate::new(src, "<s>", "</s>").unwrap();
		assert_eq!(t.render(&[ChatMessage::new("user", "  a b ")], false).unwrap(), "<s>A B\n");
		let err = t.render(&[ChatMessage::new("tool", "x")], false).unwrap_err();
		assert!(err.to_string().contains("no tools"), "{err}");
	}

	#[test]
	fn syntax_errors_and_empty_conversations_are_reported() {
		assert!(matches!(
			ChatTemplate::new("{% for %}", "", ""),
			Err(InferenceError::ChatTemplate(_))
		));
		let t = ChatTemplate::new(CHATML_TEMPLATE, "", "").unwrap();
		assert!(matches!(t.render(&[], true), Err(InferenceError::InvalidRequest(_))));
	}
}
