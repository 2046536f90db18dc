//! Text formats: plain text, Markdown, HTML, and record exports (JSONL, JSON, CSV).

use serde_json::Value;

use super::markup;
use crate::model::Article;

/// Which record fields hold the title, text, date, author and URL, and (only when asked for)
/// the input's own id and a path to date the record by.
#[derive(Debug, Clone)]
pub struct FieldNames {
    /// Candidate field names for the title.
    pub title: Vec<String>,
    /// Candidate field names for the body text.
    pub text: Vec<String>,
    /// Candidate field names for the date.
    pub date: Vec<String>,
    /// Candidate field names for the author.
    pub author: Vec<String>,
    /// Candidate field names for the URL.
    pub url: Vec<String>,
    /// Field names of the input's own record id, echoed as `input_id` (none by default).
    pub id: Vec<String>,
    /// Field names of a path-like source: it becomes the article's `source`, and file-name rules
    /// (dates, authors) read it as they read a file's name (none by default).
    pub source: Vec<String>,
}

impl Default for FieldNames {
    fn default() -> Self {
        let v = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        FieldNames {
            title: v(&["title", "headline", "标题", "name"]),
            text: v(&["text", "content", "body", "正文", "内容", "article"]),
            date: v(&[
                "date",
                "time",
                "pub_date",
                "publish_time",
                "pubdate",
                "datetime",
                "publish_date",
                "pub_time",
                "created_at",
                "ctime",
                "日期",
                "时间",
                "发布时间",
                "发布日期",
            ]),
            author: v(&["author", "作者", "user", "username", "nickname", "昵称"]),
            url: v(&["url", "link", "链接"]),
            id: Vec::new(),
            source: Vec::new(),
        }
    }
}

/// A plain-text article: title is the first non-empty line, the text is everything.
pub fn text_article(text: String) -> Article {
    let title = first_line(&text);
    Article {
        title,
        text,
        ..Article::default()
    }
}

fn first_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(200).collect())
}

/// A Markdown article with markup stripped; the title is the first heading or line.
pub fn markdown_article(source: &str) -> Article {
    text_article(markup::markdown_to_text(source))
}

/// An HTML article: title from `<title>`, else the first line of the visible text.
pub fn html_article(html: &str) -> Article {
    let h = markup::html_to_text(html);
    let mut a = text_article(h.text);
    if let Some(t) = h.title.filter(|t| !t.is_empty()) {
        a.title = Some(t);
    }
    a
}

fn field<'a>(
    obj: &'a serde_json::Map<String, Value>,
    names: &[String],
    lowercase_keys: bool,
) -> Option<&'a Value> {
    names.iter().find_map(|n| {
        obj.get(n).or_else(|| {
            // with no capitals on either side, only the exact key can match
            if lowercase_keys && !has_ascii_upper(n) {
                return None;
            }
            obj.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v)
        })
    })
}

fn has_ascii_upper(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_uppercase())
}

fn value_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()).filter(|s| !s.trim().is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The fields of one input record, as its format or a caller gives them. Blank values count as
/// absent.
#[derive(Debug, Clone, Default)]
pub struct RecordFields {
    /// The title.
    pub title: Option<String>,
    /// The body text.
    pub text: Option<String>,
    /// The date as written (any format `date::metadata_date` reads).
    pub date: Option<String>,
    /// The author.
    pub author: Option<String>,
    /// The URL.
    pub url: Option<String>,
    /// The input's own id, echoed as `input_id`.
    pub id: Option<String>,
    /// A path-like source, read for dates and authors as a file name is.
    pub source: Option<String>,
}

/// The fields of a JSON object, or why it is no record.
pub fn json_fields(value: &Value, names: &FieldNames) -> Result<RecordFields, String> {
    let Value::Object(obj) = value else {
        return Err("record is not a JSON object".into());
    };
    let lowercase_keys = !obj.keys().any(|k| has_ascii_upper(k));
    let get = |n: &[String]| field(obj, n, lowercase_keys).and_then(value_string);
    Ok(RecordFields {
        title: get(&names.title),
        text: get(&names.text),
        date: get(&names.date),
        author: get(&names.author),
        url: get(&names.url),
        id: get(&names.id),
        source: get(&names.source),
    })
}

/// One article from a JSON object, or why the record is unusable.
pub fn json_record(value: &Value, names: &FieldNames) -> Result<Article, String> {
    let fields = json_fields(value, names)?;
    record_article(fields).ok_or_else(|| {
        let keys: Vec<&String> = value
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        format!(
            "no text field (looked for {:?}; record has {keys:?})",
            names.text
        )
    })
}

/// One article from the fields of a record; the text is the title, a line break, and the body.
/// `None` when the record has neither title nor text. The article's `source` is the record's
/// source field (empty when it has none: the reader then names it by file and record number).
pub fn record_article(fields: RecordFields) -> Option<Article> {
    let blank = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (title, body) = (blank(fields.title), blank(fields.text));
    let text = match (&title, &body) {
        (Some(t), Some(b)) => format!("{t}\n{b}"),
        (None, Some(b)) => b.clone(),
        (Some(t), None) => t.clone(),
        (None, None) => return None,
    };
    let title = title.or_else(|| first_line(&text));
    Some(Article {
        source: blank(fields.source).unwrap_or_default(),
        title,
        date: blank(fields.date),
        author: blank(fields.author),
        url: blank(fields.url),
        input_id: blank(fields.id),
        text,
        ..Article::default()
    })
}

/// Column positions of the known fields in a CSV header.
pub struct CsvColumns {
    title: Option<usize>,
    text: Option<usize>,
    date: Option<usize>,
    author: Option<usize>,
    url: Option<usize>,
    id: Option<usize>,
    source: Option<usize>,
}

impl CsvColumns {
    /// Finds the fields in a header row.
    pub fn new(header: &csv::StringRecord, names: &FieldNames) -> Result<CsvColumns, String> {
        let find = |cands: &[String]| {
            cands.iter().find_map(|c| {
                header.iter().position(|h| {
                    h.trim()
                        .trim_start_matches('\u{feff}')
                        .eq_ignore_ascii_case(c)
                })
            })
        };
        let cols = CsvColumns {
            title: find(&names.title),
            text: find(&names.text),
            date: find(&names.date),
            author: find(&names.author),
            url: find(&names.url),
            id: find(&names.id),
            source: find(&names.source),
        };
        if cols.text.is_none() && cols.title.is_none() {
            return Err(format!(
                "header row has no text column (looked for {:?}; header is {:?})",
                names.text,
                header.iter().collect::<Vec<_>>()
            ));
        }
        Ok(cols)
    }

    /// The fields of one row.
    pub fn fields(&self, row: &csv::StringRecord) -> RecordFields {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(str::to_string)
                .filter(|s| !s.trim().is_empty())
        };
        RecordFields {
            title: get(self.title),
            text: get(self.text),
            date: get(self.date),
            author: get(self.author),
            url: get(self.url),
            id: get(self.id),
            source: get(self.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_markup_is_stripped() {
        let a = markdown_article("# 周五复盘\n\n**利通电子** [详情](http://x)\n- 二板：润泽科技\n");
        assert_eq!(a.title.as_deref(), Some("周五复盘"));
        assert!(a.text.contains("利通电子 详情"));
        assert!(a.text.contains("二板：润泽科技"));
        assert!(!a.text.contains('*'));
    }

    #[test]
    fn json_record_fields() {
        let v: Value =
            serde_json::json!({"headline": "标题", "正文": "正文内容", "日期": "2026-03-18"});
        let a = json_record(&v, &FieldNames::default()).unwrap();
        assert_eq!(a.title.as_deref(), Some("标题"));
        assert_eq!(a.text, "标题\n正文内容");
        assert_eq!(a.date.as_deref(), Some("2026-03-18"));
        assert!(json_record(&serde_json::json!({"x": 1}), &FieldNames::default()).is_err());
    }

    #[test]
    fn json_field_names_match_whatever_their_case() {
        let v = serde_json::json!({"Title": "标题", "TEXT": "正文", "date": "2026-03-18"});
        let a = json_record(&v, &FieldNames::default()).unwrap();
        assert_eq!(a.text, "标题\n正文");
        assert_eq!(a.date.as_deref(), Some("2026-03-18"));
        // a name given with capitals finds a lowercase key, and the exact key comes first
        let names = FieldNames {
            text: vec!["Body".into()],
            ..FieldNames::default()
        };
        let v = serde_json::json!({"body": "小写", "title": "t"});
        assert_eq!(json_record(&v, &names).unwrap().text, "t\n小写");
        let v = serde_json::json!({"BODY": "大写", "Body": "原样"});
        assert_eq!(json_record(&v, &names).unwrap().text, "原样");
    }
}
