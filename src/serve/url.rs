//! Links: values percent-encoded into paths and query strings, and decoded back.

/// Characters left as they are in a URL component (RFC 3986 unreserved).
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `text` percent-encoded as one path segment or query value (UTF-8 bytes as `%XX`).
pub(super) fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A path with a query string of the pairs whose value is not empty.
pub(super) fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", path_segment(v)))
        .collect();
    match query.is_empty() {
        true => path.to_string(),
        false => format!("{path}?{}", query.join("&")),
    }
}

/// The value of `name` in a raw query string (`a=1&b=2`), percent- and `+`-decoded.
pub(super) fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| decode(value))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        for text in ["在手算力", "a b&c=d", "100%", "AI 应用/x", "~ok-1._"] {
            let url = with_query("/", &[("q", text)]);
            let query = url.split_once('?').unwrap().1;
            assert_eq!(query_value(query, "q").as_deref(), Some(text), "{url}");
        }
        assert_eq!(with_query("/claims", &[("kind", ""), ("q", "")]), "/claims");
        assert_eq!(path_segment("利通"), "%E5%88%A9%E9%80%9A");
        assert_eq!(query_value("token=a%2", "token").as_deref(), Some("a%2"));
        assert_eq!(query_value("x=1", "token"), None);
    }
}
