//! Errors in OpenAI's JSON shape: `{"error": {"message", "type", "param", "code"}}`.
//!
//! Official clients parse this shape to raise typed exceptions (`BadRequestError`,
//! `RateLimitError`, ...), so every failure the server returns goes through [`ApiError`].

use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::InferenceError;

/// An HTTP error with OpenAI's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
	/// HTTP status.
	pub status: StatusCode,
	/// Human-readable explanation.
	pub message: String,
	/// OpenAI error type (`invalid_request_error`, `rate_limit_error`, ...).
	pub kind: &'static str,
	/// The offending request field, if any.
	pub param: Option<&'static str>,
	/// Machine-readable code, if any.
	pub code: Option<&'static str>,
}

impl ApiError {
	/// 400 for a bad parameter.
	pub fn invalid(message: impl Into<String>, param: Option<&'static str>) -> Self {
		Self {
			status: StatusCode::BAD_REQUEST,
			message: message.into(),
			kind: "invalid_request_error",
			param,
			code: None,
		}
	}

	/// 400 with a specific code.
	pub fn invalid_code(
		message: impl Into<String>,
		param: Option<&'static str>,
		code: &'static str,
	) -> Self {
		Self { code: Some(code), ..Self::invalid(message, param) }
	}

	/// Any status with a named type and code, for errors raised by layers around the API
	/// (e.g. the market's 402 `session_exhausted` or 403 `bad_voucher`).
	pub fn named(
		status: StatusCode,
		kind: &'static str,
		code: &'static str,
		message: impl Into<String>,
	) -> Self {
		Self { status, message: message.into(), kind, param: None, code: Some(code) }
	}

	/// 404 for a model we do not serve.
	pub fn model_not_found(model: &str) -> Self {
		Self {
			status: StatusCode::NOT_FOUND,
			message: format!("The model `{model}` does not exist or you do not have access to it."),
			kind: "invalid_request_error",
			param: Some("model"),
			code: Some("model_not_found"),
		}
	}

	/// 404 for an unknown route.
	pub fn route_not_found(path: &str) -> Self {
		Self {
			status: StatusCode::NOT_FOUND,
			message: format!("Unknown request URL: {path}"),
			kind: "invalid_request_error",
			param: None,
			code: Some("unknown_url"),
		}
	}

	/// 429 when the concurrent-request limit is reached.
	pub fn overloaded(limit: usize) -> Self {
		Self {
			status: StatusCode::TOO_MANY_REQUESTS,
			message: format!(
				"The server is handling its maximum of {limit} concurrent requests; retry later."
			),
			kind: "rate_limit_error",
			param: None,
			code: Some("rate_limit_exceeded"),
		}
	}

	/// 500 for failures that are not the client's fault.
	pub fn internal(message: impl Into<String>) -> Self {
		Self {
			status: StatusCode::INTERNAL_SERVER_ERROR,
			message: message.into(),
			kind: "server_error",
			param: None,
			code: None,
		}
	}

	/// The JSON body.
	pub fn body(&self) -> serde_json::Value {
		json!({"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}})
	}
}

impl IntoResponse for ApiError {
	fn into_response(self) -> Response {
		(self.status, Json(self.body())).into_response()
	}
}

impl From<InferenceError> for ApiError {
	fn from(e: InferenceError) -> Self {
		match e {
			InferenceError::InvalidRequest(m) => Self::invalid(m, None),
			InferenceError::Tokenizer(m) => Self::invalid(format!("tokenizer: {m}"), None),
			InferenceError::ChatTemplate(m) => {
				Self::invalid(format!("chat template: {m}"), Some("messages"))
			},
			other => Self::internal(other.to_string()),
		}
	}
}

impl From<JsonRejection> for ApiError {
	fn from(r: JsonRejection) -> Self {
		let status = r.status();
		if status == StatusCode::PAYLOAD_TOO_LARGE {
			return Self {
				status,
				message: "The request body exceeds the server's size limit.".into(),
				kind: "invalid_request_error",
				param: None,
				code: Some("request_too_large"),
			};
		}
		if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
			return Self {
				status,
				message: r.body_text(),
				kind: "invalid_request_error",
				param: None,
				code: Some("unsupported_media_type"),
			};
		}
		// Syntax errors and well-formed JSON of the wrong shape (a missing or mistyped field,
		// which axum reports as 422) are both 400 `invalid_request_error`, as OpenAI answers;
		// the field is named in `param` when it is one of the API's.
		let message = r.body_text();
		let param = message
			.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
			.find_map(|word| KNOWN_PARAMS.iter().find(|p| **p == word).copied());
		Self {
			status: StatusCode::BAD_REQUEST,
			message,
			kind: "invalid_request_error",
			param,
			code: Some("invalid_json"),
		}
	}
}

/// Request fields named in `param` when a body fails to deserialise.
const KNOWN_PARAMS: &[&str] = &[
	"messages",
	"prompt",
	"model",
	"max_tokens",
	"max_completion_tokens",
	"temperature",
	"top_p",
	"top_k",
	"seed",
	"stop",
	"n",
	"stream",
	"stream_options",
	"logprobs",
	"top_logprobs",
	"presence_penalty",
	"frequency_penalty",
	"logit_bias",
	"content",
	"role",
];
