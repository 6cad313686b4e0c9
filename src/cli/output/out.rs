//! [`Out`]: one writer for both forms of output, the text line or the JSON
//! object, with iproute2's `print_*` helpers as methods (same label, key and
//! format in either form). Values are written from their `Display` form
//! straight into the buffer: printing a record allocates nothing.

use std::fmt::{Display, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use super::json::Json;
use super::render::Render;

/// Where the output goes: the text line or the JSON object being written.
pub enum Out<'a> {
    Text(&'a mut String),
    Json(&'a mut Json),
}

/// `%#llx`: `0` for zero, `0x..` otherwise.
fn hex(v: u64) -> String {
    if v == 0 {
        "0".to_string()
    } else {
        format!("{v:#x}")
    }
}

/// `-o`: iproute2's `_SL_` is `\\` instead of a line break.
static ONELINE: AtomicBool = AtomicBool::new(false);

/// Set once by the global `-o` option, before anything is printed.
pub fn set_oneline(on: bool) {
    ONELINE.store(on, Ordering::Relaxed);
}

/// True under `-o`.
#[allow(dead_code)]
pub fn oneline() -> bool {
    ONELINE.load(Ordering::Relaxed)
}

impl Out<'_> {
    /// iproute2's `print_string(PRINT_FP, NULL, "%s", _SL_)`: a line break
    /// inside a record, written as `\\` under `-o` (nothing in JSON).
    #[allow(dead_code)]
    pub fn line_break(&mut self) {
        if let Out::Text(s) = self {
            s.push_str(if oneline() { "\\" } else { "\n" });
        }
    }

    /// `print_uint(PRINT_ANY, key, "label %u ", v)`.
    pub fn uint(&mut self, key: &str, label: &str, v: impl Display) {
        match self {
            Out::Text(s) => {
                let _ = write!(s, "{label} {v} ");
            }
            Out::Json(j) => j.num(key, v),
        }
    }

    /// `print_string(PRINT_ANY, key, "label %s ", v)`.
    pub fn string(&mut self, key: &str, label: &str, v: &str) {
        match self {
            Out::Text(s) => {
                let _ = write!(s, "{label} {v} ");
            }
            Out::Json(j) => j.str(key, v),
        }
    }

    /// Text only.
    pub fn text(&mut self, t: &str) {
        if let Out::Text(s) = self {
            s.push_str(t);
        }
    }

    /// JSON only.
    pub fn json_bool(&mut self, key: &str, v: bool) {
        if let Out::Json(j) = self {
            j.bool(key, v);
        }
    }

    /// `print_bool(PRINT_ANY, key, "word ", v)`: the word is printed either way.
    pub fn flag(&mut self, key: &str, word: &str, v: bool) {
        match self {
            Out::Text(s) => {
                s.push_str(word);
                s.push(' ');
            }
            Out::Json(j) => j.bool(key, v),
        }
    }

    /// `print_on_off(PRINT_ANY, key, "label %s ", v)`.
    pub fn on_off(&mut self, key: &str, label: &str, v: u8) {
        match self {
            Out::Text(s) => {
                let _ = write!(s, "{label} {} ", if v != 0 { "on" } else { "off" });
            }
            Out::Json(j) => j.bool(key, v != 0),
        }
    }

    /// `print_0xhex(PRINT_ANY, key, "label %#llx ", v)`.
    pub fn hex(&mut self, key: &str, label: &str, v: u64) {
        self.string(key, label, &hex(v));
    }

    /// A timer in centiseconds: text `name %4i.%.2i `, JSON a bare number.
    pub fn timer(&mut self, key: &str, cs: u64) {
        let (sec, frac) = (cs / 100, cs % 100);
        match self {
            Out::Text(s) => {
                let _ = write!(s, "{key} {sec:4}.{frac:02} ");
            }
            Out::Json(j) => j.num(key, format_args!("{sec}.{frac:02}")),
        }
    }

    /// A nested JSON object (nothing in text).
    pub fn object(&mut self, key: &str, f: impl FnOnce(&mut Json)) {
        if let Out::Json(j) = self {
            j.key_object(key);
            f(j);
            j.end_object();
        }
    }
}

impl Out<'_> {
    /// `print_string(PRINT_ANY, key, "BEFORE%sAFTER", v)`.
    pub fn str(&mut self, key: &str, before: &str, v: impl Render, after: &str) {
        match self {
            Out::Text(s) => {
                s.push_str(before);
                v.render(s);
                s.push_str(after);
            }
            Out::Json(j) => j.str_render(key, v),
        }
    }

    /// `print_uint(PRINT_ANY, key, "BEFORE%uAFTER", v)` (any number).
    pub fn num(&mut self, key: &str, before: &str, v: impl Render, after: &str) {
        match self {
            Out::Text(s) => {
                s.push_str(before);
                v.render(s);
                s.push_str(after);
            }
            Out::Json(j) => j.num_render(key, v),
        }
    }

    /// `print_null(PRINT_ANY, key, TEXT, NULL)`: the text, or `"key":null`.
    pub fn null(&mut self, key: &str, text: &str) {
        match self {
            Out::Text(s) => s.push_str(text),
            Out::Json(j) => j.num(key, "null"),
        }
    }

    /// Words: in text each followed by a space, in JSON an array under `key`.
    pub fn words<'w>(&mut self, key: &str, words: impl IntoIterator<Item = &'w str>) {
        match self {
            Out::Text(s) => {
                for w in words {
                    s.push_str(w);
                    s.push(' ');
                }
            }
            Out::Json(j) => {
                j.key_array(key);
                for w in words {
                    j.elem_str(w);
                }
                j.end_array();
            }
        }
    }

    /// `print_string(PRINT_JSON, key, .., v)`.
    pub fn json_string(&mut self, key: &str, v: &str) {
        if let Out::Json(j) = self {
            j.str(key, v);
        }
    }
}
