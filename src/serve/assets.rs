//! The style sheet and the script, compiled into the binary: the page needs nothing from the
//! network, and the CSP allows scripts and styles from the server itself only.

/// An embedded file: its content type and bytes.
pub(super) struct Asset {
    pub content_type: &'static str,
    pub body: &'static str,
}

/// The asset named `name` under `/assets/`.
pub(super) fn asset(name: &str) -> Option<Asset> {
    Some(match name {
        "style.css" => Asset {
            content_type: "text/css; charset=utf-8",
            body: include_str!("assets/style.css"),
        },
        "app.js" => Asset {
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("assets/app.js"),
        },
        _ => return None,
    })
}
