//! `fupan schema`: the printed schema holds every field of real output, with its type.

use serde_json::Value;

use crate::util::{fupan, json_lines, repo, stdout};

/// Checks `value` against a JSON Schema node of the kind `fupan schema` prints; returns what
/// does not fit, with its path.
fn check(schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        other => panic!("{path}: schema without a type: {other}"),
    };
    let fits = match value {
        Value::Null => types.contains(&"null"),
        Value::String(_) => types.contains(&"string"),
        Value::Bool(_) => types.contains(&"boolean"),
        Value::Number(n) => types.contains(&"number") || (types.contains(&"integer") && n.is_u64()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check(&schema["items"], item, &format!("{path}[{i}]"), problems);
            }
            types.contains(&"array")
        }
        Value::Object(fields) => {
            let properties = schema["properties"].as_object().expect("properties");
            for (key, v) in fields {
                match properties.get(key) {
                    Some(s) => check(s, v, &format!("{path}.{key}"), problems),
                    None => problems.push(format!("{path}.{key}: not in the schema")),
                }
            }
            for required in schema["required"].as_array().expect("required") {
                if !fields.contains_key(required.as_str().unwrap()) {
                    problems.push(format!("{path}: lacks required {required}"));
                }
            }
            types.contains(&"object")
        }
    };
    if !fits {
        problems.push(format!("{path}: {value} is not {types:?}"));
    }
}

/// Every key path of the records (`claims[].subject.code`).
fn key_paths(value: &Value, path: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(fields) => {
            for (k, v) in fields {
                let p = format!("{path}.{k}");
                out.insert(p.clone());
                key_paths(v, &p, out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| key_paths(v, &format!("{path}[]"), out)),
        _ => {}
    }
}

#[test]
fn every_field_of_real_output_is_in_the_json_schema_with_its_type() {
    let schema: Value = serde_json::from_str(&stdout(&fupan(
        &repo(),
        &["schema", "--format", "json-schema"],
    )))
    .expect("the schema is JSON");
    let o = fupan(&repo(), &["extract", "-q", "--id-field", "id", "corpus/"]);
    let records = json_lines(&o);
    assert!(records.len() >= 5);
    let mut problems = Vec::new();
    let mut paths = std::collections::BTreeSet::new();
    for (i, r) in records.iter().enumerate() {
        check(&schema, r, &format!("record {i}"), &mut problems);
        key_paths(r, "", &mut paths);
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // the corpus reaches the nested fields, so the check above covered them
    for p in [
        ".stocks[].mentions[].start",
        ".claims[].subject.code",
        ".claims[].value",
    ] {
        assert!(paths.contains(p), "the bundled corpus has no {p}");
    }
}

#[test]
fn arrow_and_spark_forms_name_the_json_schema_fields() {
    let json: Value = serde_json::from_str(&stdout(&fupan(
        &repo(),
        &["schema", "--format", "json-schema"],
    )))
    .unwrap();
    let arrow: Value =
        serde_json::from_str(&stdout(&fupan(&repo(), &["schema", "--format", "arrow"]))).unwrap();
    let ddl = stdout(&fupan(&repo(), &["schema", "--format", "spark-ddl"]));
    let names: Vec<&str> = arrow["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    let keys: Vec<&str> = json["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    let mut sorted_keys = keys.clone();
    sorted_keys.sort();
    assert_eq!(sorted_names, sorted_keys);
    // the top-level columns of the DDL: split at commas outside <…>
    let mut ddl_names = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let ddl = ddl.trim();
    for (i, c) in ddl.char_indices().chain([(ddl.len(), ',')]) {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                ddl_names.push(ddl[start..i].trim().split(' ').next().unwrap());
                start = i + 1;
            }
            _ => {}
        }
    }
    assert_eq!(ddl_names, names);
    assert!(ddl.contains("chars BIGINT NOT NULL"));
    assert!(ddl.contains("value: DOUBLE"));
}
