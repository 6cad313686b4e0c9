//! One output record of a `show` command (a route, a neighbour, an fdb entry)
//! as a list of fields, each written either way iproute2 writes it: its text
//! with its spacing on the text line, or its key and value in the `-j` object.
//! A list of records prints as text lines or as one JSON array.

use super::output::Json;
use super::Context;

/// What a field holds in the JSON object.
pub enum Value {
    Str(String),
    Num(u64),
    /// An array of strings.
    Words(Vec<&'static str>),
    /// iproute2's `print_null`: `"key":null`.
    Null,
}

/// One element of a record.
pub struct Field {
    /// The JSON key.
    pub key: &'static str,
    /// The text form, with its spacing.
    pub text: String,
    pub value: Value,
}

impl Field {
    pub fn str(key: &'static str, text: String, value: String) -> Field {
        Field {
            key,
            text,
            value: Value::Str(value),
        }
    }

    pub fn num(key: &'static str, text: String, value: u64) -> Field {
        Field {
            key,
            text,
            value: Value::Num(value),
        }
    }

    /// Words: in text each followed by a space, in JSON an array under `key`.
    pub fn words(key: &'static str, words: Vec<&'static str>) -> Field {
        Field {
            key,
            text: words.iter().map(|w| format!("{w} ")).collect(),
            value: Value::Words(words),
        }
    }

    /// A flag that is set: text `key `, JSON `"key":null`.
    pub fn flag(key: &'static str) -> Field {
        Field {
            key,
            text: format!("{key} "),
            value: Value::Null,
        }
    }
}

/// The text line of a record: each field's text, then a newline.
pub fn text_line(fields: &[Field]) -> String {
    let mut s: String = fields.iter().map(|f| f.text.as_str()).collect();
    s.push('\n');
    s
}

/// The JSON object of a record, each field's key and value in order.
pub fn json_object(j: &mut Json, fields: &[Field]) {
    j.begin_object();
    for f in fields {
        match &f.value {
            Value::Str(v) => j.str(f.key, v),
            Value::Num(v) => j.num(f.key, v),
            Value::Words(words) => {
                j.key_array(f.key);
                for w in words {
                    j.elem_str(w);
                }
                j.end_array();
            }
            // `num` writes its value as is.
            Value::Null => j.num(f.key, "null"),
        }
    }
    j.end_object();
}

/// Records as `ctx` asks: one JSON array of objects, or one text line each.
pub fn print_records(ctx: &Context, records: &[Vec<Field>]) -> String {
    if ctx.json {
        let mut j = Json::new(ctx.pretty);
        j.begin_array();
        for r in records {
            json_object(&mut j, r);
        }
        j.end_array();
        j.finish()
    } else {
        records.iter().map(|r| text_line(r)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Vec<Field> {
        vec![
            Field::str("dst", "10.0.0.0/24 ".into(), "10.0.0.0/24".into()),
            Field::num("metric", "metric 5 ".into(), 5),
            Field::words("flags", vec!["onlink", "dead"]),
            Field::flag("router"),
        ]
    }

    #[test]
    fn text_is_the_fields_texts_and_a_newline() {
        let ctx = Context::default();
        assert_eq!(
            print_records(&ctx, &[record(), vec![]]),
            "10.0.0.0/24 metric 5 onlink dead router \n\n"
        );
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let ctx = Context {
            json: true,
            ..Context::default()
        };
        assert_eq!(
            print_records(&ctx, &[record()]),
            "[{\"dst\":\"10.0.0.0/24\",\"metric\":5,\"flags\":[\"onlink\",\"dead\"],\
             \"router\":null}]\n"
        );
    }
}
