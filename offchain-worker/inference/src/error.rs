//! The crate's error type: every failure a caller can act on has its own variant, so the HTTP
//! layer can map it to the right status code and an operator can tell a bad file from a bug.

use std::path::PathBuf;

/// Errors raised while loading a model, tokenising, generating or validating.
#[derive(Debug, thiserror::Error)]
pub enum InferenceError {
	/// A file could not be opened or read.
	#[error("cannot read {path}: {source}")]
	Io {
		/// The file that failed.
		path: PathBuf,
		/// The underlying I/O error.
		#[source]
		source: std::io::Error,
	},
	/// A model file is malformed (bad magic, truncated, inconsistent header).
	#[error("malformed model file {path}: {reason}")]
	MalformedFile {
		/// The offending file.
		path: PathBuf,
		/// What is wrong with it.
		reason: String,
	},
	/// The file uses a tensor encoding this engine cannot dequantise.
	#[error("tensor {tensor} uses unsupported encoding {encoding}")]
	UnsupportedTensorType {
		/// Tensor name.
		tensor: String,
		/// Encoding name or numeric ggml type.
		encoding: String,
	},
	/// The model architecture is not a Llama-family decoder this engine implements.
	#[error("unsupported model architecture {0:?} (supported: llama, mistral, qwen2, qwen3)")]
	UnsupportedArchitecture(String),
	/// A required metadata key or config field is missing or has the wrong type.
	#[error("missing or invalid model metadata {key}: {reason}")]
	Metadata {
		/// The key or config field.
		key: String,
		/// Why it is rejected.
		reason: String,
	},
	/// A weight tensor the architecture needs is absent from the file.
	#[error("missing weight tensor {0}")]
	MissingTensor(String),
	/// A weight tensor has a shape that does not match the model configuration.
	#[error("tensor {tensor} has shape {actual:?}, expected {expected:?}")]
	ShapeMismatch {
		/// Tensor name.
		tensor: String,
		/// Shape found in the file.
		actual: Vec<i64>,
		/// Shape implied by the configuration.
		expected: Vec<i64>,
	},
	/// The tokenizer could not be built or failed on an input.
	#[error("tokenizer error: {0}")]
	Tokenizer(String),
	/// The chat template failed to parse or render.
	#[error("chat template error: {0}")]
	ChatTemplate(String),
	/// A request is invalid for this model (too long, bad sampling parameter, ...).
	#[error("invalid request: {0}")]
	InvalidRequest(String),
	/// libtorch reported an error.
	#[error("libtorch error: {0}")]
	Torch(#[from] tch::TchError),
	/// The engine thread has stopped, so no more work can be served.
	#[error("the inference engine has shut down")]
	EngineStopped,
	/// The requested weight precision cannot be used for this model or device (e.g. a
	/// quantised layout whose blocks do not fit the kernel); pick another `--dtype`.
	#[error("unsupported precision: {0}")]
	Unsupported(String),
}

/// Shorthand result type for this crate.
pub type Result<T, E = InferenceError> = std::result::Result<T, E>;

impl InferenceError {
	/// Builds an [`InferenceError::MalformedFile`]; used throughout the file parsers.
	pub(crate) fn malformed(path: &std::path::Path, reason: impl Into<String>) -> Self {
		Self::MalformedFile { path: path.to_path_buf(), reason: reason.into() }
	}

	/// Builds an [`InferenceError::Io`] for `path`.
	pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
		Self::Io { path: path.to_path_buf(), source }
	}

	/// Builds an [`InferenceError::Metadata`].
	pub(crate) fn metadata(key: impl Into<String>, reason: impl Into<String>) -> Self {
		Self::Metadata { key: key.into(), reason: reason.into() }
	}
}
