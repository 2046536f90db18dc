//! Property tests: whatever the text, every span the engine reports lies on char boundaries inside
//! the original and quotes it exactly, and normalisation is idempotent.

use std::sync::OnceLock;

use fupan::model::Article;
use fupan::normalize::NormText;
use fupan::pipeline::Engine;
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("built-in dictionaries"))
}

/// Pieces that exercise the interesting paths: names, typos, nicknames, numbers in every form,
/// full-width and traditional characters, separators and junk.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("利通电子".to_string()),
        Just("润健股份".to_string()),
        Just("恆潤股份".to_string()),
        Just("宁王".to_string()),
        Just("在手３０００Ｐ".to_string()),
        Just("业绩同比增长46%到54%".to_string()),
        Just("北向资金净卖出31.38亿元".to_string()),
        Just("两市成交额1.86w亿".to_string()),
        Just("四连扳".to_string()),
        Just("涨停".to_string()),
        Just("\n二板晋级\n".to_string()),
        Just("603629.SH".to_string()),
        Just("，".to_string()),
        Just("。".to_string()),
        "[\\u{4e00}-\\u{9fa5}]{1,6}",
        "[0-9.%]{1,6}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn spans_quote_the_original(pieces in proptest::collection::vec(piece(), 1..12)) {
        let text: String = pieces.concat();
        let article = Article { source: "p".into(), text: text.clone(), ..Article::default() };
        let record = engine().analyze(article).record;
        let groups = record.stocks.iter().flat_map(|s| s.mentions.iter())
            .chain(record.concepts.iter().flat_map(|c| c.mentions.iter()))
            .chain(record.organizations.iter().flat_map(|c| c.mentions.iter()));
        for m in groups {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
        }
        for c in &record.claims {
            prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
            prop_assert_eq!(&text[c.start..c.end], c.text.as_str());
            prop_assert!(c.value.is_some() != (c.low.is_some() && c.high.is_some())
                || (c.value.is_none() && c.low.is_none() && c.unit.is_none()));
        }
        prop_assert_eq!(record.chars, text.chars().count());
    }

    #[test]
    fn normalising_is_idempotent(pieces in proptest::collection::vec(piece(), 1..8)) {
        let text: String = pieces.concat();
        let once = NormText::new(&text).text;
        prop_assert_eq!(NormText::new(&once).text, once);
    }
}
