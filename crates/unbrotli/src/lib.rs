//! The page's brotli decoder, a wasm module of its own (about 100 kB) that the loader
//! (`web/loader.js`) runs before the engine's module exists.
//!
//! Why: the engine's wasm is about 10 MB gzip-compressed but 6 MB brotli-compressed, and the
//! static hosts our users share links from (GitHub Pages) compress with gzip only. So the build
//! ships the wasm brotli-compressed as an opaque file (`…_bg.wasm.br`, which no host compresses
//! again), and the page decodes it chunk by chunk as the bytes arrive, feeding the engine's
//! streaming compile. Browsers' own `DecompressionStream` has gzip and deflate, not brotli.
//!
//! The decoder is `brotli-decompressor`, the pure-Rust decoder behind the brotli crate that
//! Parquet's codec uses: no second implementation, no C.

use brotli_decompressor::{BrotliDecompressStream, BrotliResult, BrotliState, StandardAlloc};
use wasm_bindgen::prelude::*;

/// How much output one decoding round writes before it hands the bytes back.
const OUT_CHUNK: usize = 1 << 20;

/// One brotli stream, fed in the chunks the network gives (the page's side is [`Decoder`]).
pub struct Stream {
    state: BrotliState<StandardAlloc, StandardAlloc, StandardAlloc>,
    buffer: Vec<u8>,
    total_out: usize,
    done: bool,
}

impl Default for Stream {
    fn default() -> Self {
        Stream {
            state: BrotliState::new(StandardAlloc::default(), StandardAlloc::default(), StandardAlloc::default()),
            buffer: vec![0; OUT_CHUNK],
            total_out: 0,
            done: false,
        }
    }
}

impl Stream {
    /// Decodes `input` (the next bytes of the stream) and returns what it decoded, possibly
    /// nothing.
    pub fn push(&mut self, input: &[u8]) -> Result<Vec<u8>, String> {
        let mut decoded = Vec::new();
        let mut available_in = input.len();
        let mut input_offset = 0;
        while !self.done {
            let mut available_out = self.buffer.len();
            let mut output_offset = 0;
            let result = BrotliDecompressStream(
                &mut available_in,
                &mut input_offset,
                input,
                &mut available_out,
                &mut output_offset,
                &mut self.buffer,
                &mut self.total_out,
                &mut self.state,
            );
            decoded.extend_from_slice(self.buffer.get(..output_offset).unwrap_or_default());
            match result {
                BrotliResult::NeedsMoreOutput => {}
                BrotliResult::NeedsMoreInput => return Ok(decoded),
                BrotliResult::ResultSuccess => self.done = true,
                BrotliResult::ResultFailure => {
                    return Err(format!("brotli: the stream is corrupt after {} decoded bytes", self.total_out))
                }
            }
        }
        if available_in > 0 {
            return Err(format!("brotli: {available_in} bytes after the end of the stream"));
        }
        Ok(decoded)
    }

    /// Whether the stream has ended: a download that stops before this was cut short.
    pub fn finished(&self) -> bool {
        self.done
    }
}

/// [`Stream`] for the page.
#[wasm_bindgen]
#[derive(Default)]
pub struct Decoder(Stream);

#[wasm_bindgen]
impl Decoder {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Decoder {
        Decoder::default()
    }

    /// Decodes the next bytes of the stream; returns what they decoded to, possibly nothing.
    pub fn push(&mut self, input: &[u8]) -> Result<Vec<u8>, JsError> {
        self.0.push(input).map_err(|message| JsError::new(&message))
    }

    /// Whether the stream has ended.
    pub fn finished(&self) -> bool {
        self.0.finished()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::Stream;

    fn compressed(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams { quality: 5, ..Default::default() };
        brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
        out
    }

    /// Something like a wasm module: repetitive, but not trivially so, and larger than one
    /// output chunk.
    fn sample() -> Vec<u8> {
        (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 27) as u8 ^ (i % 7) as u8).collect()
    }

    #[test]
    fn decodes_in_any_chunking() {
        let data = sample();
        let packed = compressed(&data);
        for size in [1, 7, 4096, 65536, packed.len()] {
            let mut stream = Stream::default();
            let mut out = Vec::new();
            for chunk in packed.chunks(size) {
                out.extend(stream.push(chunk).unwrap());
            }
            assert!(stream.finished(), "chunks of {size}");
            assert!(out == data, "chunks of {size}: the decoded bytes differ");
        }
    }

    #[test]
    fn a_cut_stream_is_not_finished() {
        let packed = compressed(&sample());
        let mut stream = Stream::default();
        stream.push(&packed[..packed.len() / 2]).unwrap();
        assert!(!stream.finished());
    }

    #[test]
    fn corrupt_and_trailing_bytes_are_errors() {
        let mut packed = compressed(&sample());
        let mut stream = Stream::default();
        let mut tail = packed.clone();
        tail.extend_from_slice(b"more");
        let error = stream.push(&tail).unwrap_err();
        assert!(error.contains("4 bytes after the end"), "{error}");

        // Brotli has no checksum: flipped bytes may decode to other bytes (the engine's compile
        // then refuses them); a stream whose block headers are impossible is refused here.
        for byte in &mut packed[..64] {
            *byte = 0xff;
        }
        let error = Stream::default().push(&packed).unwrap_err();
        assert!(error.contains("corrupt"), "{error}");
    }

    #[test]
    fn plain_wasm_is_refused_not_passed_through() {
        // The loader checks the wasm magic itself (a host may have decoded the file already);
        // the decoder never guesses.
        assert!(Stream::default().push(b"\0asm\x01\0\0\0").is_err());
    }
}
