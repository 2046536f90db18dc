//! Zip and tar(.gz) archives: members read one at a time, within decompression limits. Member
//! names are read as UTF-8, else as GB18030 ([`decode::member_name`]).

use std::io::{Read, Seek};

use crate::error::Result;

use super::{bad, decode, format_of, Format, Item, Reader};

impl Reader {
    pub(super) fn read_zip<R: Read + Seek>(&self, name: &str, reader: R) -> Vec<Item> {
        let mut archive = match zip::ZipArchive::new(reader) {
            Ok(a) => a,
            Err(e) => return vec![Err(bad(name, "unreadable zip archive").because(e))],
        };
        let mut items = Vec::new();
        let mut total = 0u64;
        for i in 0..archive.len() {
            let mut member = match archive.by_index(i) {
                Ok(m) => m,
                Err(e) => {
                    items.push(Err(
                        bad(format!("{name}!#{}", i + 1), "broken member").because(e)
                    ));
                    continue;
                }
            };
            let member_name =
                decode::member_name(member.name_raw()).unwrap_or_else(|| member.name().to_string());
            let source = format!("{name}!{member_name}");
            if member.is_dir() || is_hidden_member(&member_name) {
                continue;
            }
            let Some(format) = self.member_format(&member_name) else {
                continue;
            };
            if member.size() > self.options.max_member_bytes {
                items.push(Err(bad(
                    source,
                    format!(
                        "declared size {} bytes is over the {} byte member limit (skipped)",
                        member.size(),
                        self.options.max_member_bytes
                    ),
                )));
                continue;
            }
            if !self.read_member(&mut member, &source, format, &mut total, &mut items) {
                break;
            }
        }
        items
    }

    pub(super) fn read_tar<R: Read>(&self, name: &str, reader: R) -> Vec<Item> {
        let mut archive = tar::Archive::new(reader);
        let mut items = Vec::new();
        let mut total = 0u64;
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => return vec![Err(bad(name, "unreadable tar archive").because(e))],
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    items.push(Err(bad(name, "broken tar archive").because(e)));
                    break;
                }
            };
            let member_name = decode::member_name(&entry.path_bytes())
                .unwrap_or_else(|| String::from_utf8_lossy(&entry.path_bytes()).into_owned());
            let source = format!("{name}!{member_name}");
            if !entry.header().entry_type().is_file() || is_hidden_member(&member_name) {
                continue;
            }
            let Some(format) = self.member_format(&member_name) else {
                continue;
            };
            if !self.read_member(&mut entry, &source, format, &mut total, &mut items) {
                break;
            }
        }
        items
    }

    /// Reads one archive member and parses it into `items`; false when the archive's total
    /// decompression budget is spent and the rest of the archive must be skipped.
    fn read_member(
        &self,
        r: &mut dyn Read,
        source: &str,
        format: Format,
        total: &mut u64,
        items: &mut Vec<Item>,
    ) -> bool {
        match self.read_limited(r, source, total) {
            Ok(bytes) => {
                items.extend(self.parse_bytes(source, format, bytes));
                true
            }
            Err(e) => {
                items.push(Err(e));
                *total < self.options.max_archive_bytes
            }
        }
    }

    /// Reads a member with the per-member and per-archive decompression limits.
    fn read_limited(&self, r: &mut dyn Read, source: &str, total: &mut u64) -> Result<Vec<u8>> {
        let limit = self
            .options
            .max_member_bytes
            .min(self.options.max_archive_bytes.saturating_sub(*total));
        let mut buf = Vec::new();
        let n = r
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| bad(source, "cannot decompress member").because(e))?;
        *total += n as u64;
        if n as u64 > limit {
            return Err(bad(
                source,
                format!("decompressed size exceeds the limit of {limit} bytes (possible zip bomb; skipped)"),
            ));
        }
        Ok(buf)
    }
}

impl Reader {
    /// The format a member is read as, or `None` when it is not read: unknown extensions and
    /// housekeeping files unless `--include`d (then read as text), `--exclude`d ones never.
    fn member_format(&self, member_name: &str) -> Option<Format> {
        let known = format_of(member_name);
        self.options
            .files
            .reads(member_name, known.is_some())
            .then_some(known.unwrap_or(Format::Text))
    }
}

fn is_hidden_member(name: &str) -> bool {
    name.split('/')
        .any(|part| part.starts_with('.') && part != "." && part != "..")
        || name.starts_with("__MACOSX")
}
