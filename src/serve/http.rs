//! Routes, the guard every request passes (method, token, security headers) and the handlers:
//! each runs its search on the blocking pool under the time limit, then renders a page or JSON.

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use maud::Markup;
use serde::Serialize;

use super::archive::{Answer, Archive, NotFound, Params, Refusal};
use super::{assets, pages, url};

/// What the browser may load: scripts, styles and everything else from this server only; no
/// inline script, no plug-ins, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The cookie that carries the token after `?token=` was given once.
const TOKEN_COOKIE: &str = "fupan_token";

/// Every route of the server, behind the guard.
pub(super) fn router(archive: Arc<Archive>, token: Option<String>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/article/{id}", get(article_page))
        .route("/stock/{code}", get(stock_page))
        .route("/concept/{name}", get(concept_page))
        .route("/board", get(board_page))
        .route("/claims", get(claims_page))
        .route("/claims.csv", get(claims_csv))
        .route("/api/search", get(api_search))
        .route("/api/claims", get(api_claims))
        .route("/api/article/{id}", get(api_article))
        .route("/api/stock/{code}", get(api_stock))
        .route("/api/concept/{name}", get(api_concept))
        .route("/api/board", get(api_board))
        .route("/assets/{name}", get(asset))
        .fallback(no_such_page)
        .with_state(archive)
        .layer(middleware::from_fn_with_state(Arc::new(token), guard))
}

// ---------------------------------------------------------------------------------------------
// The guard
// ---------------------------------------------------------------------------------------------

/// Refuses what is not GET or HEAD (405) and, with a token, requests without it (401); adds the
/// security headers to every response.
async fn guard(State(token): State<Arc<Option<String>>>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut refused = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "fupan serve is read-only: GET and HEAD only\n",
        );
        refused
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return secured(refused);
    }
    let mut remember = None;
    if let Some(expected) = token.as_deref() {
        match presented(&request, expected) {
            Presented::Header => {}
            Presented::Query => remember = Some(expected),
            Presented::Missing => {
                return secured(plain(
                    StatusCode::UNAUTHORIZED,
                    "this server needs its token: open the address fupan serve printed \
                     (…?token=…), or send Authorization: Bearer TOKEN\n",
                ))
            }
        }
    }
    let mut response = next.run(request).await;
    if let Some(token) = remember {
        let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    secured(response)
}

/// How a request carried the token.
enum Presented {
    /// `Authorization: Bearer` or the cookie.
    Header,
    /// `?token=` (the response sets the cookie, so links within the page work).
    Query,
    Missing,
}

fn presented(request: &Request, expected: &str) -> Presented {
    let headers = request.headers();
    let bearer = header_text(headers, header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| same(t.trim(), expected));
    let cookie = header_text(headers, header::COOKIE).is_some_and(|cookies| {
        cookies.split(';').any(|c| {
            c.trim()
                .strip_prefix(TOKEN_COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
                .is_some_and(|t| same(t, expected))
        })
    });
    if bearer || cookie {
        return Presented::Header;
    }
    let query = request.uri().query().unwrap_or("");
    match url::query_value(query, "token") {
        Some(t) if same(&t, expected) => Presented::Query,
        _ => Presented::Missing,
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Compares without stopping at the first difference, so the time taken does not tell how
/// much of a guessed token was right.
fn same(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    let differ = a
        .iter()
        .zip(b)
        .fold(a.len() ^ b.len(), |acc, (x, y)| acc | usize::from(x ^ y));
    differ == 0
}

fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// Running and answering
// ---------------------------------------------------------------------------------------------

/// Runs `work` on the blocking pool; past the time limit the request is answered 503 (the work
/// itself finishes in the background, its result dropped).
async fn answer<T: Send + 'static>(
    archive: &Arc<Archive>,
    work: impl FnOnce(&Archive) -> Answer<T> + Send + 'static,
) -> Answer<T> {
    let limit = archive.time_limit;
    let archive = Arc::clone(archive);
    let task = tokio::task::spawn_blocking(move || work(&archive));
    match tokio::time::timeout(limit, task).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(e)) => Err(Refusal::Failed(format!("the request failed: {e}"))),
        Err(_) => Err(Refusal::TimedOut(limit)),
    }
}

/// Status, message and (for a miss) what was not found.
fn refusal_parts(r: &Refusal) -> (StatusCode, String, Option<&NotFound>) {
    match r {
        Refusal::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone(), None),
        Refusal::NotFound(n) => (StatusCode::NOT_FOUND, n.message.clone(), Some(n)),
        Refusal::Failed(m) => (StatusCode::INTERNAL_SERVER_ERROR, m.clone(), None),
        Refusal::TimedOut(limit) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s and was stopped",
                limit.as_secs_f64()
            ),
            None,
        ),
    }
}

fn html(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        markup.into_string(),
    )
        .into_response()
}

/// A page whose data `work` gathers and `render` writes, both on the blocking pool and under
/// the time limit (a long article's marks take longer to write than to find).
async fn page<T: 'static>(
    archive: &Arc<Archive>,
    work: impl FnOnce(&Archive) -> Answer<T> + Send + 'static,
    render: fn(&T) -> Markup,
) -> Response {
    match answer(archive, move |a| work(a).map(|value| render(&value))).await {
        Ok(markup) => html(StatusCode::OK, markup),
        Err(r) => refusal_page(&r),
    }
}

fn refusal_page(r: &Refusal) -> Response {
    let (status, message, missing) = refusal_parts(r);
    html(status, pages::refused(status.as_u16(), &message, missing))
}

/// A refusal in JSON: `{"status": 404, "error": "…", "not_found": {…}}`.
#[derive(Serialize)]
struct ApiError<'a> {
    status: u16,
    error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    not_found: Option<&'a NotFound>,
}

fn api<T: Serialize>(answer: Answer<T>) -> Response {
    match answer {
        Ok(value) => Json(value).into_response(),
        Err(r) => {
            let (status, error, not_found) = refusal_parts(&r);
            let body = ApiError {
                status: status.as_u16(),
                error,
                not_found,
            };
            (status, Json(body)).into_response()
        }
    }
}

/// A page with filters shown again on a malformed request (400 with the error in the page).
fn form_page<T>(
    answer: Answer<T>,
    render: impl FnOnce(Option<&T>, Option<&str>) -> Markup,
) -> Response {
    match answer {
        Ok(value) => html(StatusCode::OK, render(Some(&value), None)),
        Err(Refusal::BadRequest(message)) => {
            html(StatusCode::BAD_REQUEST, render(None, Some(&message)))
        }
        Err(r) => refusal_page(&r),
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------------------------

type Shared = State<Arc<Archive>>;

async fn search_page(State(a): Shared, Query(p): Query<Params>) -> Response {
    let params = p.clone();
    let found = answer(&a, move |a| a.search(&params)).await;
    form_page(found, |found, error| pages::search(&p, found, error))
}

async fn api_search(State(a): Shared, Query(p): Query<Params>) -> Response {
    api(answer(&a, move |a| a.search(&p)).await)
}

async fn claims_page(State(a): Shared, Query(p): Query<Params>) -> Response {
    let params = p.clone();
    let found = answer(&a, move |a| a.claims(&params)).await;
    form_page(found, |found, error| pages::claims(&p, found, error))
}

async fn api_claims(State(a): Shared, Query(p): Query<Params>) -> Response {
    api(answer(&a, move |a| a.claims(&p)).await)
}

async fn claims_csv(State(a): Shared, Query(p): Query<Params>) -> Response {
    match answer(&a, move |a| a.claims_csv(&p)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"claims.csv\"",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(r) => refusal_page(&r),
    }
}

async fn article_page(State(a): Shared, Path(id): Path<String>) -> Response {
    page(&a, move |a| a.article(&id), pages::article).await
}

async fn api_article(State(a): Shared, Path(id): Path<String>) -> Response {
    api(answer(&a, move |a| a.article(&id)).await)
}

async fn stock_page(State(a): Shared, Path(code): Path<String>) -> Response {
    page(&a, move |a| a.stock(&code), pages::stock).await
}

async fn api_stock(State(a): Shared, Path(code): Path<String>) -> Response {
    api(answer(&a, move |a| a.stock(&code)).await)
}

async fn concept_page(
    State(a): Shared,
    Path(name): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    page(&a, move |a| a.concept(&name, &p), pages::concept).await
}

async fn api_concept(
    State(a): Shared,
    Path(name): Path<String>,
    Query(p): Query<Params>,
) -> Response {
    api(answer(&a, move |a| a.concept(&name, &p)).await)
}

async fn board_page(State(a): Shared, Query(p): Query<Params>) -> Response {
    page(&a, move |a| a.board(&p), pages::board).await
}

async fn api_board(State(a): Shared, Query(p): Query<Params>) -> Response {
    api(answer(&a, move |a| a.board(&p)).await)
}

async fn asset(Path(name): Path<String>) -> Response {
    match assets::asset(&name) {
        Some(asset) => ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response(),
        None => no_such_path(&format!("/assets/{name}")),
    }
}

async fn no_such_page(request: Request) -> Response {
    no_such_path(request.uri().path())
}

fn no_such_path(path: &str) -> Response {
    let missing = Refusal::NotFound(NotFound {
        what: "page",
        name: path.to_string(),
        message: format!("no page at {path}"),
        suggestions: Vec::new(),
    });
    match path.starts_with("/api/") {
        true => api::<()>(Err(missing)),
        false => refusal_page(&missing),
    }
}

#[cfg(test)]
mod tests {
    use super::same;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        for other in ["abd", "ab", "abcd", ""] {
            assert!(!same(other, "abc"), "{other}");
        }
    }
}
