//! Runs every case of `tests/data/claims.toml` through the real engine and compares the claims
//! as a set (kind, subject, numbers within 0.5%; unit, qualifier, metric, period and basis when
//! the case gives them; an empty `period` or `basis` asks for none).
//! A case marked `xfail = "why"` is a known gap: it must still fail, so a fix is noticed.

use std::sync::OnceLock;

use fupan::eval::close;
use fupan::model::{Article, Claim};
use fupan::pipeline::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Table {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    xfail: Option<String>,
    /// The article's date, for 今年 / 去年 and parts of years written alone.
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    claims: Vec<Expected>,
}

#[derive(Deserialize, Debug)]
struct Expected {
    kind: String,
    subject: Option<String>,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<String>,
    qualifier: Option<String>,
    metric: Option<String>,
    period: Option<String>,
    basis: Option<String>,
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("built-in dictionaries"))
}

fn matches(e: &Expected, c: &Claim) -> bool {
    let subject = c.subject.code.clone().or_else(|| c.subject.name.clone());
    e.kind == c.kind.as_str()
        && e.subject == subject
        && close(e.value, c.value)
        && close(e.low, c.low)
        && close(e.high, c.high)
        && e.unit.as_ref().is_none_or(|u| Some(u) == c.unit.as_ref())
        && e.qualifier
            .as_ref()
            .is_none_or(|q| slot_is(q, &c.qualifier))
        && e.metric
            .as_ref()
            .is_none_or(|m| Some(m) == c.metric.as_ref())
        && e.period.as_ref().is_none_or(|p| slot_is(p, &c.period))
        && e.basis.as_ref().is_none_or(|b| slot_is(b, &c.basis))
}

/// A slot (or a qualifier) as a case states it: a value, or `""` for none.
fn slot_is(expected: &str, got: &Option<String>) -> bool {
    match got {
        Some(g) => g == expected,
        None => expected.is_empty(),
    }
}

fn describe(c: &Claim) -> String {
    let subject = c.subject.code.clone().or_else(|| c.subject.name.clone());
    format!(
        "{} {:?} value={:?} low={:?} high={:?} unit={:?} q={:?} metric={:?} period={:?} basis={:?} «{}»",
        c.kind, subject, c.value, c.low, c.high, c.unit, c.qualifier, c.metric, c.period, c.basis, c.text
    )
}

/// Why a case fails, or None when it passes.
fn check(case: &Case) -> Option<String> {
    let article = Article {
        source: case.name.clone(),
        text: case.text.clone(),
        date: case.date.clone(),
        ..Article::default()
    };
    let mut got: Vec<Claim> = engine().analyze(article).record.claims;
    let mut problems = Vec::new();
    for e in &case.claims {
        match got.iter().position(|c| matches(e, c)) {
            Some(_) => {
                // the same claim stated twice counts once
                got.retain(|c| !matches(e, c));
            }
            None => problems.push(format!("missing {e:?}")),
        }
    }
    for c in &got {
        problems.push(format!("unexpected {}", describe(c)));
    }
    (!problems.is_empty()).then(|| problems.join("\n      "))
}

#[test]
fn claims_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/claims.toml");
    let table: Table = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(
        table.case.len() >= 120,
        "the table must hold at least 120 cases"
    );
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut xfail = 0;
    for case in &table.case {
        match (check(case), &case.xfail) {
            (Some(why), None) => failures.push(format!("{}:\n      {why}", case.name)),
            (None, Some(_)) => fixed.push(case.name.clone()),
            (Some(_), Some(_)) => xfail += 1,
            (None, None) => {}
        }
    }
    eprintln!(
        "claims table: {} cases, {} pass, {} known gaps (xfail), {} unexpected failures",
        table.case.len(),
        table.case.len() - failures.len() - xfail - fixed.len(),
        xfail,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "failing cases:\n  {}",
        failures.join("\n  ")
    );
    assert!(
        fixed.is_empty(),
        "cases marked xfail now pass (remove the mark): {fixed:?}"
    );
}
