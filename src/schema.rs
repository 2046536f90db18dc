//! The shape of `fupan extract`'s output record ([`ArticleRecord`](crate::model::ArticleRecord)),
//! written once and printed as JSON Schema, as an Arrow schema (Arrow's JSON form) or as a Spark
//! DDL string (`fupan schema`), so tools downstream can read the records without guessing. A test
//! holds it to real output: every field of every record over the bundled corpus is in it, with
//! its type.

use serde_json::{json, Map, Value};

/// The type of a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    /// UTF-8 text.
    Text,
    /// A non-negative whole number (counts, byte offsets).
    Count,
    /// A 64-bit float.
    Float,
    /// An object with these fields.
    Object(&'static [Field]),
    /// A list of values of one type.
    List(&'static FieldType),
}

/// One field of a record or of a nested object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The JSON key.
    pub name: &'static str,
    /// What it holds.
    pub ty: FieldType,
    /// May be `null`.
    pub nullable: bool,
    /// Written in every record (else left out when it has no value).
    pub always: bool,
}

const fn field(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        nullable: false,
        always: true,
    }
}

const fn nullable(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        nullable: true,
        always: true,
    }
}

/// Written only when it has a value.
const fn optional(name: &'static str, ty: FieldType) -> Field {
    Field {
        name,
        ty,
        nullable: false,
        always: false,
    }
}

const SPAN: &[Field] = &[
    field("start", FieldType::Count),
    field("end", FieldType::Count),
    field("text", FieldType::Text),
];

const MENTIONS: FieldType = FieldType::List(&FieldType::Object(SPAN));

const STOCK: &[Field] = &[
    field("code", FieldType::Text),
    field("exchange", FieldType::Text),
    field("name", FieldType::Text),
    field("count", FieldType::Count),
    field("mentions", MENTIONS),
];

const NAMED: &[Field] = &[
    field("name", FieldType::Text),
    field("count", FieldType::Count),
    field("mentions", MENTIONS),
];

const SUBJECT: &[Field] = &[
    nullable("code", FieldType::Text),
    nullable("name", FieldType::Text),
];

const BYTE_SPAN: &[Field] = &[
    field("start", FieldType::Count),
    field("end", FieldType::Count),
];

const CLAIM: &[Field] = &[
    field("kind", FieldType::Text),
    field("subject", FieldType::Object(SUBJECT)),
    nullable("value", FieldType::Float),
    nullable("low", FieldType::Float),
    nullable("high", FieldType::Float),
    nullable("unit", FieldType::Text),
    nullable("qualifier", FieldType::Text),
    field("text", FieldType::Text),
    field("start", FieldType::Count),
    field("end", FieldType::Count),
    optional("metric", FieldType::Text),
    optional("period", FieldType::Text),
    optional("basis", FieldType::Text),
    optional("sentence", FieldType::Object(BYTE_SPAN)),
];

/// The fields of an extract record, in output order (`docs/OUTPUT.md`).
pub const RECORD: &[Field] = &[
    field("id", FieldType::Text),
    optional("input_id", FieldType::Text),
    field("source", FieldType::Text),
    nullable("title", FieldType::Text),
    nullable("date", FieldType::Text),
    nullable("date_source", FieldType::Text),
    nullable("author", FieldType::Text),
    field("chars", FieldType::Count),
    field("stocks", FieldType::List(&FieldType::Object(STOCK))),
    field("concepts", FieldType::List(&FieldType::Object(NAMED))),
    field("organizations", FieldType::List(&FieldType::Object(NAMED))),
    field("claims", FieldType::List(&FieldType::Object(CLAIM))),
    field("warnings", FieldType::List(&FieldType::Text)),
];

/// The forms `fupan schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaFormat {
    /// JSON Schema (draft 2020-12).
    JsonSchema,
    /// Arrow's JSON description of a schema (fields with `name`, `nullable`, `type`,
    /// `children`), as Arrow's integration files write it.
    Arrow,
    /// A Spark DDL string (`StructType.fromDDL`, `spark.read.schema(...)`).
    SparkDdl,
}

/// The record schema in `format`.
pub fn render(format: SchemaFormat) -> String {
    match format {
        SchemaFormat::JsonSchema => {
            let mut schema = object_schema(RECORD);
            let top = schema.as_object_mut().expect("an object schema");
            top.insert(
                "$schema".into(),
                json!("https://json-schema.org/draft/2020-12/schema"),
            );
            top.insert("title".into(), json!("fupan extract record"));
            serde_json::to_string_pretty(&schema).expect("schemas serialise")
        }
        SchemaFormat::Arrow => {
            let fields: Vec<Value> = RECORD.iter().map(arrow_field).collect();
            serde_json::to_string_pretty(&json!({ "fields": fields })).expect("schemas serialise")
        }
        SchemaFormat::SparkDdl => RECORD
            .iter()
            .map(|f| format!("{} {}{}", f.name, spark_type(f.ty), not_null(f)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn object_schema(fields: &[Field]) -> Value {
    let mut properties = Map::new();
    for f in fields {
        properties.insert(f.name.into(), json_type(f));
    }
    let required: Vec<&str> = fields.iter().filter(|f| f.always).map(|f| f.name).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn json_type(f: &Field) -> Value {
    let mut schema = type_schema(f.ty);
    if f.nullable {
        let ty = schema["type"].clone();
        schema["type"] = json!([ty, "null"]);
    }
    schema
}

fn type_schema(ty: FieldType) -> Value {
    match ty {
        FieldType::Text => json!({ "type": "string" }),
        FieldType::Count => json!({ "type": "integer", "minimum": 0 }),
        FieldType::Float => json!({ "type": "number" }),
        FieldType::Object(fields) => object_schema(fields),
        FieldType::List(item) => json!({ "type": "array", "items": type_schema(*item) }),
    }
}

fn arrow_field(f: &Field) -> Value {
    arrow_node(f.name, f.ty, f.nullable || !f.always)
}

fn arrow_node(name: &str, ty: FieldType, nullable: bool) -> Value {
    let (arrow, children): (Value, Vec<Value>) = match ty {
        FieldType::Text => (json!({ "name": "utf8" }), vec![]),
        FieldType::Count => (
            json!({ "name": "int", "bitWidth": 64, "isSigned": true }),
            vec![],
        ),
        FieldType::Float => (
            json!({ "name": "floatingpoint", "precision": "DOUBLE" }),
            vec![],
        ),
        FieldType::Object(fields) => (
            json!({ "name": "struct" }),
            fields.iter().map(arrow_field).collect(),
        ),
        FieldType::List(item) => (
            json!({ "name": "list" }),
            vec![arrow_node("item", *item, false)],
        ),
    };
    json!({ "name": name, "nullable": nullable, "type": arrow, "children": children })
}

fn spark_type(ty: FieldType) -> String {
    match ty {
        FieldType::Text => "STRING".into(),
        FieldType::Count => "BIGINT".into(),
        FieldType::Float => "DOUBLE".into(),
        FieldType::Object(fields) => format!(
            "STRUCT<{}>",
            fields
                .iter()
                .map(|f| format!("{}: {}{}", f.name, spark_type(f.ty), not_null(f)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        FieldType::List(item) => format!("ARRAY<{}>", spark_type(*item)),
    }
}

fn not_null(f: &Field) -> &'static str {
    if f.nullable || !f.always {
        ""
    } else {
        " NOT NULL"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_names_every_top_level_field() {
        for format in [
            SchemaFormat::JsonSchema,
            SchemaFormat::Arrow,
            SchemaFormat::SparkDdl,
        ] {
            let text = render(format);
            for f in RECORD {
                assert!(text.contains(f.name), "{format:?} lacks {}", f.name);
            }
        }
        let ddl = render(SchemaFormat::SparkDdl);
        assert!(ddl.starts_with("id STRING NOT NULL, input_id STRING, source STRING NOT NULL"));
        assert!(ddl.contains("subject: STRUCT<code: STRING, name: STRING> NOT NULL"));
    }
}
