//! A small JSON writer for `-j` output, laid out exactly as iproute2's
//! json_writer does: compact is one line; pretty (`-p`) indents members by four
//! spaces per level, keeps arrays of values on one line (`[ "UP","LOWER_UP" ]`)
//! and opens objects in arrays on the same line (`[ {`, `},{`, `} ]`).
//! bpftool's copy of that writer ([`Json::bpftool`]) differs in pretty
//! mode only: no blank inside brackets, and a closing `]` goes on its own
//! line as a `}` does (`[{`, `},{`, `"map_ids": [5,6` newline `]`).

use std::fmt::Write;

use super::render::Render;

/// Builds one JSON document. Values are appended in order; the writer tracks
/// separators and depth the way iproute2 does.
pub struct Json {
    out: String,
    pretty: bool,
    depth: usize,
    /// The separator owed before the next item: `,` or nothing.
    need_comma: bool,
    /// bpftool's layout (its json_writer.c) rather than iproute2's.
    bpftool: bool,
}

impl Json {
    pub fn new(pretty: bool) -> Self {
        Json::with_capacity(pretty, 0)
    }

    /// A writer whose buffer starts with room for `capacity` bytes.
    pub fn with_capacity(pretty: bool, capacity: usize) -> Self {
        Json {
            out: String::with_capacity(capacity),
            pretty,
            depth: 0,
            need_comma: false,
            bpftool: false,
        }
    }

    /// A writer laid out as bpftool's json_writer.c does.
    pub fn bpftool(pretty: bool) -> Self {
        Json {
            bpftool: true,
            ..Json::new(pretty)
        }
    }

    /// What has been written and not yet taken; a [`Stream`](super::Stream)
    /// writes it out and clears it, which leaves the layout state as it is.
    pub fn buffer_mut(&mut self) -> &mut String {
        &mut self.out
    }

    /// End of a record: the comma owed before the next item.
    fn separate(&mut self) {
        if self.need_comma {
            self.out.push(',');
        }
        self.need_comma = true;
    }

    fn newline(&mut self) {
        if self.pretty {
            self.out.push('\n');
            for _ in 0..self.depth {
                self.out.push_str("    ");
            }
        }
    }

    /// A key: always a name from this program's source (`"ifname"`,
    /// `"dst"`), never data, so it is written as it is.
    fn key(&mut self, key: &str) {
        self.separate();
        self.newline();
        self.need_comma = false;
        debug_assert!(!needs_escape(key), "JSON key {key:?}");
        self.out.push('"');
        self.out.push_str(key);
        self.out.push('"');
        self.out.push(':');
        if self.pretty {
            self.out.push(' ');
        }
    }

    fn open(&mut self, c: char) {
        self.separate();
        self.out.push(c);
        self.depth += 1;
        self.need_comma = false;
        if c == '[' && self.pretty && !self.bpftool {
            self.out.push(' ');
        }
    }

    fn close(&mut self, c: char) {
        self.depth = self.depth.saturating_sub(1);
        if self.need_comma {
            if c == '}' || self.bpftool {
                self.newline();
            } else if self.pretty {
                self.out.push(' ');
            }
        }
        self.out.push(c);
        self.need_comma = true;
    }

    pub fn begin_array(&mut self) {
        self.open('[');
    }
    pub fn begin_object(&mut self) {
        self.open('{');
    }
    pub fn end_array(&mut self) {
        self.close(']');
    }
    pub fn end_object(&mut self) {
        self.close('}');
    }
    pub fn key_array(&mut self, key: &str) {
        self.key(key);
        self.open('[');
    }
    pub fn key_object(&mut self, key: &str) {
        self.key(key);
        self.open('{');
    }
    pub fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.separate();
        push_string(&mut self.out, value);
    }
    /// A string value written from its `Display` form, escaped, without an
    /// intermediate `String`.
    pub fn str_display(&mut self, key: &str, value: impl std::fmt::Display) {
        self.key(key);
        self.separate();
        self.out.push('"');
        let _ = write!(Escaped(&mut self.out), "{value}");
        self.out.push('"');
    }
    /// A string value written from its [`Render`] form, escaped where needed.
    pub fn str_render<R: Render>(&mut self, key: &str, value: R) {
        self.key(key);
        self.separate();
        self.out.push('"');
        let start = self.out.len();
        value.render(&mut self.out);
        if !R::PLAIN && needs_escape(&self.out[start..]) {
            let raw = self.out.split_off(start);
            push_escaped(&mut self.out, &raw);
        }
        self.out.push('"');
    }
    /// A number written from its [`Render`] form.
    pub fn num_render(&mut self, key: &str, value: impl Render) {
        self.key(key);
        self.separate();
        value.render(&mut self.out);
    }
    pub fn num(&mut self, key: &str, value: impl std::fmt::Display) {
        self.key(key);
        self.separate();
        let _ = write!(self.out, "{value}");
    }
    pub fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.separate();
        self.out.push_str(if value { "true" } else { "false" });
    }
    /// A value written from its [`Render`] form as a string array element.
    pub fn elem_render<R: Render>(&mut self, value: R) {
        self.separate();
        self.out.push('"');
        let start = self.out.len();
        value.render(&mut self.out);
        if !R::PLAIN && needs_escape(&self.out[start..]) {
            let raw = self.out.split_off(start);
            push_escaped(&mut self.out, &raw);
        }
        self.out.push('"');
    }
    /// A number as an array element.
    pub fn elem_num(&mut self, value: impl std::fmt::Display) {
        self.separate();
        let _ = write!(self.out, "{value}");
    }
    /// A string as an array element.
    pub fn elem_str(&mut self, value: &str) {
        self.separate();
        push_string(&mut self.out, value);
    }

    /// The document, with the trailing newline iproute2 prints.
    pub fn finish(mut self) -> String {
        self.out.push('\n');
        self.out
    }
}

/// Append `s` as a JSON string literal. Any byte sequence that is valid UTF-8
/// comes out as valid JSON: quotes, backslashes and control characters escaped.
pub fn push_string(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s);
    out.push('"');
}

fn needs_escape(s: &str) -> bool {
    s.bytes()
        .any(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f)
}

fn push_escaped(out: &mut String, s: &str) {
    // Most strings need no escape: copy them whole.
    if !needs_escape(s) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

/// A `fmt::Write` that escapes what is written into it for a JSON string.
struct Escaped<'a>(&'a mut String);

impl Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        push_escaped(self.0, s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_layout() {
        let mut j = Json::new(false);
        j.begin_array();
        j.begin_object();
        j.num("ifindex", 1);
        j.str("ifname", "a\"b\\c\u{1}");
        j.key_array("flags");
        j.elem_str("UP");
        j.end_array();
        j.end_object();
        j.end_array();
        assert_eq!(
            j.finish(),
            "[{\"ifindex\":1,\"ifname\":\"a\\\"b\\\\c\\u0001\",\"flags\":[\"UP\"]}]\n"
        );
    }

    #[test]
    fn pretty_layout() {
        let mut j = Json::new(true);
        j.begin_array();
        j.begin_object();
        j.num("a", 1);
        j.end_object();
        j.end_array();
        assert_eq!(j.finish(), "[ {\n        \"a\": 1\n    } ]\n");
    }
}
