//! Reading a batch file as iproute2 reads it (`getcmdline` and `makeargs`
//! in lib/utils.c): one command a line, `#` starts a comment that runs to
//! the end of the line, a backslash at the end of a line continues the
//! command on the next, words are split at spaces and tabs, and a word that
//! starts with `'` or `"` runs to the matching quote (spaces included, no
//! escapes). A continued command carries the number of its last line, as
//! iproute2's messages do.
//!
//! Pure apart from reading: [`split_words`] is the part the fuzzer feeds.

use std::io::BufRead;

/// A line that cannot be read as a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub number: usize,
    pub message: String,
}

/// Split one command into words as `makeargs` does.
#[cfg(test)]
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let n = split_words_into(line, &mut words)?;
    words.truncate(n);
    Ok(words)
}

/// [`split_words`] into `words`, reusing its strings (a batch of 100,000
/// lines then allocates no word after the first line): the number of words.
/// Entries past that number are left over from earlier lines.
pub fn split_words_into(line: &str, words: &mut Vec<String>) -> Result<usize, String> {
    const WS: &[char] = &[' ', '\t', '\r', '\n'];
    let mut n = 0;
    let mut put = |w: &str| {
        match words.get_mut(n) {
            Some(slot) => {
                slot.clear();
                slot.push_str(w);
            }
            None => words.push(w.to_string()),
        }
        n += 1;
    };
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(WS);
        let Some(first) = rest.chars().next() else {
            return Ok(n);
        };
        if first == '\'' || first == '"' {
            let body = &rest[1..];
            let Some(end) = body.find(first) else {
                return Err("Unterminated quoted string".into());
            };
            put(&body[..end]);
            // The closing quote ends the word; the next one starts after it.
            rest = &body[end + 1..];
        } else {
            let end = rest.find(WS).unwrap_or(rest.len());
            put(&rest[..end]);
            rest = &rest[end..];
        }
    }
}

/// The commands of a batch file, one at a time (the file is never held
/// whole in memory; the line and word buffers are reused).
pub struct CommandLines<R> {
    reader: R,
    number: usize,
    raw: Vec<u8>,
    /// The command last read, checked UTF-8 (`raw`'s buffer, moved).
    line: String,
    /// Where the command's text is in `line`, white space trimmed (the
    /// messages no longer quote it, as iproute2's do not; the tests read it).
    #[cfg_attr(not(test), allow(dead_code))]
    text: std::ops::Range<usize>,
    words: Vec<String>,
    word_count: usize,
    done: bool,
}

impl<R: BufRead> CommandLines<R> {
    pub fn new(reader: R) -> Self {
        CommandLines {
            reader,
            number: 0,
            raw: Vec::with_capacity(256),
            line: String::new(),
            text: 0..0,
            words: Vec::new(),
            word_count: 0,
            done: false,
        }
    }

    /// The text of the command last returned: its comment removed,
    /// continuations joined, white space trimmed.
    #[cfg(test)]
    pub fn text(&self) -> &str {
        self.line.get(self.text.clone()).unwrap_or("")
    }

    /// The words of the command last returned.
    pub fn words(&self) -> &[String] {
        &self.words[..self.word_count]
    }

    /// Append the next physical line, its comment cut off, to `self.raw`;
    /// false at the end of the file.
    fn physical_line(&mut self) -> Result<bool, LineError> {
        let start = self.raw.len();
        let n = self
            .reader
            .read_until(b'\n', &mut self.raw)
            .map_err(|e| LineError {
                number: self.number + 1,
                message: format!("read error: {e}"),
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.number += 1;
        if let Some(hash) = self.raw[start..].iter().position(|&b| b == b'#') {
            self.raw.truncate(start + hash);
        }
        Ok(true)
    }

    fn next_command(&mut self) -> Result<Option<usize>, LineError> {
        // The buffer goes back and forth between `raw` and `line`.
        if self.raw.capacity() == 0 {
            self.raw = std::mem::take(&mut self.line).into_bytes();
        }
        loop {
            self.raw.clear();
            if !self.physical_line()? {
                return Ok(None);
            }
            while self.raw.ends_with(b"\\\n") {
                self.raw.truncate(self.raw.len() - 2);
                if !self.physical_line()? {
                    return Err(LineError {
                        number: self.number,
                        message: "Missing continuation line".into(),
                    });
                }
            }
            let number = self.number;
            match String::from_utf8(std::mem::take(&mut self.raw)) {
                Ok(line) => self.line = line,
                Err(e) => {
                    self.raw = e.into_bytes();
                    return Err(LineError {
                        number,
                        message: "not valid UTF-8".into(),
                    });
                }
            }
            let text = self.line.as_str();
            self.word_count = split_words_into(text, &mut self.words)
                .map_err(|message| LineError { number, message })?;
            let start = text.len() - text.trim_start().len();
            self.text = start..text.trim_end().len();
            if self.word_count == 0 {
                self.raw = std::mem::take(&mut self.line).into_bytes();
                continue; // blank or comment only
            }
            return Ok(Some(number));
        }
    }

    /// The next command's line number (its text and words are
    /// [`CommandLines::text`] and [`CommandLines::words`] until the next
    /// call); `None` at the end of the file or after an error.
    pub fn next_line(&mut self) -> Option<Result<usize, LineError>> {
        if self.done {
            return None;
        }
        let item = self.next_command().transpose();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        split_words(s).unwrap()
    }

    #[test]
    fn words_split_as_makeargs_splits_them() {
        assert_eq!(
            words("  route add\t10.0.0.0/8 dev x\r\n"),
            ["route", "add", "10.0.0.0/8", "dev", "x"]
        );
        assert_eq!(
            words("link set x alias \"a b\"c"),
            ["link", "set", "x", "alias", "a b", "c"]
        );
        assert_eq!(words("a'b c' 'd e'"), ["a'b", "c'", "d e"]);
        assert_eq!(words("''"), [""]);
        assert!(words("   ").is_empty());
        assert_eq!(
            split_words("link set x alias 'open").unwrap_err(),
            "Unterminated quoted string"
        );
    }

    /// A command read back: its number, text and words.
    type Read = Result<(usize, String, Vec<String>), LineError>;

    /// Every command of `bytes`.
    fn commands(bytes: &[u8]) -> Vec<Read> {
        let mut lines = CommandLines::new(bytes);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line() {
            out.push(line.map(|n| (n, lines.text().to_string(), lines.words().to_vec())));
        }
        out
    }

    #[test]
    fn lines_comments_and_continuations() {
        let text = "# a comment\n\nroute add 10.0.0.0/8 \\\n  dev x # why\nlink del y\\\n\n";
        assert_eq!(
            commands(text.as_bytes()),
            vec![
                Ok((
                    4,
                    "route add 10.0.0.0/8   dev x".to_string(),
                    words("route add 10.0.0.0/8 dev x")
                )),
                Ok((6, "link del y".to_string(), words("link del y"))),
            ]
        );
    }

    #[test]
    fn word_buffers_are_reused_without_leaking_old_words() {
        let mut lines = CommandLines::new(&b"a b c d\ne f\n"[..]);
        lines.next_line().unwrap().unwrap();
        assert_eq!(lines.words(), ["a", "b", "c", "d"]);
        lines.next_line().unwrap().unwrap();
        assert_eq!(lines.words(), ["e", "f"]);
        assert!(lines.next_line().is_none());
    }

    #[test]
    fn a_missing_continuation_or_bad_bytes_end_the_file() {
        assert_eq!(
            commands(&b"link del y \\\n"[..]),
            vec![Err(LineError {
                number: 1,
                message: "Missing continuation line".into()
            })]
        );
        let lines = commands(&b"link del \xff\nlink del z\n"[..]);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].is_err());
    }
}
