//! [`Stream`]: the output of a `show` command, one record at a time.
//!
//! Records are written into one buffer that is reused for the whole command;
//! once it holds [`FLUSH_AT`] bytes it goes to standard output in one write.
//! Memory is the buffer and one record, whatever the number of records. In
//! JSON the records are the elements of one top-level array, as `ip -j`
//! prints them; an empty list is `[]`.

use super::json::Json;
use super::out::Out;
use super::sink::write_stdout;
use crate::cli::{CliError, Context};

/// The buffer is written out when it holds this many bytes.
pub const FLUSH_AT: usize = 64 << 10;

enum Form {
    Text(String),
    Json(Json),
}

/// A `show` command's output: text lines or one JSON array of objects.
pub struct Stream {
    form: Form,
}

impl Stream {
    /// Text, or JSON (`-j`, pretty with `-p`) as `ctx` asks.
    pub fn new(ctx: &Context) -> Stream {
        Stream::with_json(ctx.json, ctx.pretty)
    }

    pub fn with_json(json: bool, pretty: bool) -> Stream {
        let form = if json {
            let mut j = Json::with_capacity(pretty, FLUSH_AT + 4096);
            j.begin_array();
            Form::Json(j)
        } else {
            Form::Text(String::with_capacity(FLUSH_AT + 4096))
        };
        Stream { form }
    }

    /// As [`new`](Self::new), JSON laid out as bpftool's writer does.
    pub fn bpftool(ctx: &Context) -> Stream {
        let mut s = Stream::new(ctx);
        if let Form::Json(j) = &mut s.form {
            *j = Json::bpftool(ctx.pretty);
            j.begin_array();
        }
        s
    }

    /// Start a record: in JSON, an object of the array.
    pub fn begin_record(&mut self) -> Out<'_> {
        match &mut self.form {
            Form::Text(s) => Out::Text(s),
            Form::Json(j) => {
                j.begin_object();
                Out::Json(j)
            }
        }
    }

    /// End a record; write the buffer out when it is full.
    pub fn end_record(&mut self) -> Result<(), CliError> {
        if let Form::Json(j) = &mut self.form {
            j.end_object();
        }
        self.flush_if_full()
    }

    /// Write the buffer out when it holds at least [`FLUSH_AT`] bytes.
    pub fn flush_if_full(&mut self) -> Result<(), CliError> {
        let buf = self.buffer();
        if buf.len() >= FLUSH_AT {
            write_stdout(buf.as_bytes())?;
            buf.clear();
        }
        Ok(())
    }

    fn buffer(&mut self) -> &mut String {
        match &mut self.form {
            Form::Text(s) => s,
            Form::Json(j) => j.buffer_mut(),
        }
    }

    /// Close the JSON array and write out what is left.
    pub fn finish(mut self) -> Result<(), CliError> {
        if let Form::Json(j) = &mut self.form {
            j.end_array();
            j.buffer_mut().push('\n');
        }
        write_stdout(self.buffer().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(mut s: Stream) -> String {
        if let Form::Json(j) = &mut s.form {
            j.end_array();
            j.buffer_mut().push('\n');
        }
        std::mem::take(s.buffer())
    }

    #[test]
    fn json_records_are_array_elements() {
        let mut s = Stream::with_json(true, false);
        for i in 0..2 {
            let mut o = s.begin_record();
            o.uint("n", "n", i);
            s.end_record().unwrap();
        }
        assert_eq!(taken(s), "[{\"n\":0},{\"n\":1}]\n");
        assert_eq!(taken(Stream::with_json(true, false)), "[]\n");
        assert_eq!(taken(Stream::with_json(true, true)), "[ ]\n");
    }

    #[test]
    fn text_records_are_what_was_written() {
        let mut s = Stream::with_json(false, false);
        s.begin_record().uint("n", "n", 7);
        s.end_record().unwrap();
        assert_eq!(taken(s), "n 7 ");
    }
}
