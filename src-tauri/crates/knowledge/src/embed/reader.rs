//! A bounds-checked little-endian reader over the model file: a truncated or damaged file
//! gives an error naming what was being read, never a panic.

use super::EmbedError;

/// Reads values one after another from a byte slice.
pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(super) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Where the next read starts.
    pub(super) fn position(&self) -> usize {
        self.at
    }

    /// The next `len` bytes.
    pub(super) fn take(&mut self, len: usize, what: &'static str) -> Result<&'a [u8], EmbedError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(EmbedError::Truncated(what))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], EmbedError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    /// A `u8`.
    pub(super) fn u8(&mut self, what: &'static str) -> Result<u8, EmbedError> {
        Ok(self.array::<1>(what)?[0])
    }

    /// A `u16`.
    pub(super) fn u16(&mut self, what: &'static str) -> Result<u16, EmbedError> {
        Ok(u16::from_le_bytes(self.array(what)?))
    }

    /// A `u32`.
    pub(super) fn u32(&mut self, what: &'static str) -> Result<u32, EmbedError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A `u64`.
    pub(super) fn u64(&mut self, what: &'static str) -> Result<u64, EmbedError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// An `f32`.
    pub(super) fn f32(&mut self, what: &'static str) -> Result<f32, EmbedError> {
        Ok(f32::from_le_bytes(self.array(what)?))
    }

    /// A non-negative `i32` as a count or index.
    pub(super) fn count(&mut self, what: &'static str) -> Result<usize, EmbedError> {
        let value = i32::from_le_bytes(self.array(what)?);
        usize::try_from(value).map_err(|_| EmbedError::Invalid(format!("{what}: {value}")))
    }
}
