//! Bytes to text: BOMs, UTF-8, UTF-16, and GBK/GB18030 detected with chardetng.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

/// Decoded text with what happened on the way.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Notes such as `decoded as GB18030`.
    pub warnings: Vec<String>,
}

/// Why bytes could not be taken as text.
#[derive(Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes look like a binary file.
    Binary,
}

/// An archive member's name from the bytes the archive stores: UTF-8 when they are UTF-8 (zip's
/// UTF-8 flag or not), else GB18030, which Chinese Windows tools write without the flag (zip's
/// fallback, code page 437, turned `小宝1105` into `σ░Åσ«¥1105`); `None` when neither reads them
/// without errors.
pub fn member_name(raw: &[u8]) -> Option<String> {
    if let Ok(name) = std::str::from_utf8(raw) {
        return Some(name.to_string());
    }
    let (name, had_errors) = GB18030.decode_without_bom_handling(raw);
    (!had_errors).then(|| name.into_owned())
}

/// Decodes bytes of unknown encoding.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(decode_with(encoding, &bytes[bom_len..], Vec::new()));
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return Ok(decode_with(
            encoding,
            bytes,
            vec!["decoded as UTF-16 without BOM".into()],
        ));
    }
    let mut warnings = Vec::new();
    let nuls = memchr::memchr_iter(0, bytes).count();
    let owned;
    let bytes = if nuls > 0 {
        if looks_binary(bytes, nuls) {
            return Err(DecodeError::Binary);
        }
        warnings.push(format!("removed {nuls} NUL bytes"));
        owned = bytes
            .iter()
            .copied()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>();
        &owned[..]
    } else {
        bytes
    };
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: text.to_string(),
            warnings,
        });
    }
    // chardetng rules UTF-8 out at the first invalid byte, so ask about UTF-8 first.
    let encoding = if mostly_utf8(bytes) {
        encoding_rs::UTF_8
    } else {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
        if guess == encoding_rs::GBK || guess == GB18030 || guess == encoding_rs::BIG5 {
            guess
        } else {
            // Chinese archives: any other legacy guess is almost always GB18030 read wrongly.
            GB18030
        }
    };
    let encoding = if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    };
    if encoding != encoding_rs::UTF_8 {
        warnings.push(format!("decoded as {}", encoding.name()));
    }
    Ok(decode_with(encoding, bytes, warnings))
}

fn decode_with(encoding: &'static Encoding, bytes: &[u8], mut warnings: Vec<String>) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let bad = text.chars().filter(|&c| c == '\u{FFFD}').count();
        warnings.push(format!(
            "{bad} invalid byte sequences replaced while decoding as {}",
            encoding.name()
        ));
    }
    Decoded {
        text: text.into_owned(),
        warnings,
    }
}

/// UTF-16 without BOM. ASCII characters have a NUL high byte, so NULs fall on one side of the
/// byte pairs: nearly every pair in English text, only line breaks, digits and Latin letters in
/// Chinese text (a han character has a NUL only as its low byte, as in 一 U+4E00). Binary data
/// has NULs on both sides; what is left is checked by decoding the sample.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    // The test below needs NUL bytes on one side (the high bytes of ASCII characters); most
    // files have none at all, and memchr says so at once.
    if sample.len() < 8 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_nul = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    let one_sided = |high: usize, low: usize| high * 50 >= pairs && low * 4 <= high;
    let encoding = if one_sided(odd_nul, even_nul) {
        UTF_16LE
    } else if one_sided(even_nul, odd_nul) {
        UTF_16BE
    } else {
        return None;
    };
    // The sample may end inside a surrogate pair: judge all but its last unit.
    let (text, _) = encoding.decode_without_bom_handling(&sample[..sample.len() - 2]);
    let suspect = text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t')))
        .count();
    (suspect * 100 <= text.chars().count()).then_some(encoding)
}

fn looks_binary(bytes: &[u8], nuls: usize) -> bool {
    if nuls * 100 > bytes.len() {
        return true;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    control * 20 > sample.len()
}

/// UTF-8 with a few bad bytes (a cut-off copy, a stray byte): its valid multi-byte characters
/// far outnumber the invalid sequences. GBK read as UTF-8 is the other way round: most of its
/// byte pairs are invalid, about one in ten happens to form a valid sequence.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let lossy = String::from_utf8_lossy(bytes);
    let (mut valid, mut invalid) = (0usize, 0usize);
    for c in lossy.chars() {
        if c == '\u{FFFD}' {
            invalid += 1;
        } else if !c.is_ascii() {
            valid += 1;
        }
    }
    invalid * 10 < valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_utf8_else_gb18030() {
        assert_eq!(
            member_name("小宝1105.txt".as_bytes()).as_deref(),
            Some("小宝1105.txt")
        );
        let (gbk, _, _) = GB18030.encode("复盘/临盘.txt");
        assert_eq!(member_name(&gbk).as_deref(), Some("复盘/临盘.txt"));
        assert_eq!(member_name(b"\x81\x20bad"), None);
    }

    #[test]
    fn cases() {
        let text = "利通电子在手3000P，北向资金净卖出31.38亿元。";
        let (gbk, _, _) = GB18030.encode(text);
        let decoded = decode(&gbk).unwrap();
        assert_eq!(decoded.text, text);
        assert!(
            decoded.warnings[0].contains("gb18030"),
            "{:?}",
            decoded.warnings
        );

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap().text, text);

        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).unwrap().text, text);

        let be_bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be_bare).unwrap().text, text);
        let le_bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le_bare).unwrap().text, text);

        let binary: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert_eq!(decode(&binary).unwrap_err(), DecodeError::Binary);

        let mut invalid = text.as_bytes().to_vec();
        invalid.extend_from_slice(&[0xFF, 0xFE, 0xFD]);
        invalid.extend_from_slice(text.as_bytes());
        let d = decode(&invalid).unwrap();
        assert!(d.text.contains("利通电子"));
        assert!(
            d.warnings.iter().any(|w| w.contains("replaced")),
            "{:?}",
            d.warnings
        );
    }
}
