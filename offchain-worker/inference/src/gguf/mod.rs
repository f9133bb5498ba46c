//! GGUF model files (llama.cpp's format): header parsing and tensor dequantisation.

mod dequant;
mod reader;

pub use dequant::{decode_blocks, dequantize, requantize, QK};
pub use reader::{GgmlType, GgufFile, GgufTensorInfo, GgufValue};
