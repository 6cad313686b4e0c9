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

/// One command of the file: its line number, its text (comment removed,
/// continuations joined) and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandLine {
    pub number: usize,
    pub text: String,
    pub words: Vec<String>,
}

/// A line that cannot be read as a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub number: usize,
    pub message: String,
}

/// Split one command into words as `makeargs` does.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    const WS: &[char] = &[' ', '\t', '\r', '\n'];
    let mut words = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(WS);
        let Some(first) = rest.chars().next() else {
            return Ok(words);
        };
        if first == '\'' || first == '"' {
            let body = &rest[1..];
            let Some(end) = body.find(first) else {
                return Err("Unterminated quoted string".into());
            };
            words.push(body[..end].to_string());
            // The closing quote ends the word; the next one starts after it.
            rest = &body[end + 1..];
        } else {
            let end = rest.find(WS).unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
}

/// `s` without leading and trailing white space, in place.
fn trimmed(mut s: String) -> String {
    let end = s.trim_end().len();
    s.truncate(end);
    let start = s.len() - s.trim_start().len();
    s.drain(..start);
    s
}

/// The commands of a batch file, one at a time (the file is never held
/// whole in memory).
pub struct CommandLines<R> {
    reader: R,
    number: usize,
    physical: Vec<u8>,
    done: bool,
}

impl<R: BufRead> CommandLines<R> {
    pub fn new(reader: R) -> Self {
        CommandLines {
            reader,
            number: 0,
            physical: Vec::new(),
            done: false,
        }
    }

    /// The next physical line with its comment cut off, appended to `line`;
    /// false at the end.
    fn physical_line(&mut self, line: &mut Vec<u8>) -> Result<bool, LineError> {
        self.physical.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.physical)
            .map_err(|e| LineError {
                number: self.number + 1,
                message: format!("read error: {e}"),
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.number += 1;
        let end = self
            .physical
            .iter()
            .position(|&b| b == b'#')
            .unwrap_or(self.physical.len());
        line.extend_from_slice(&self.physical[..end]);
        Ok(true)
    }

    fn next_command(&mut self) -> Result<Option<CommandLine>, LineError> {
        loop {
            let mut line = Vec::new();
            if !self.physical_line(&mut line)? {
                return Ok(None);
            }
            while line.ends_with(b"\\\n") {
                line.truncate(line.len() - 2);
                if !self.physical_line(&mut line)? {
                    return Err(LineError {
                        number: self.number,
                        message: "Missing continuation line".into(),
                    });
                }
            }
            let number = self.number;
            let text = String::from_utf8(line).map_err(|_| LineError {
                number,
                message: "not valid UTF-8".into(),
            })?;
            let words = split_words(&text).map_err(|message| LineError { number, message })?;
            if words.is_empty() {
                continue; // blank or comment only
            }
            let text = trimmed(text);
            return Ok(Some(CommandLine {
                number,
                text,
                words,
            }));
        }
    }
}

impl<R: BufRead> Iterator for CommandLines<R> {
    type Item = Result<CommandLine, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
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

    #[test]
    fn lines_comments_and_continuations() {
        let text = "# a comment\n\nroute add 10.0.0.0/8 \\\n  dev x # why\nlink del y\\\n\n";
        let lines: Vec<_> = CommandLines::new(text.as_bytes()).collect();
        assert_eq!(
            lines,
            vec![
                Ok(CommandLine {
                    number: 4,
                    text: "route add 10.0.0.0/8   dev x".into(),
                    words: words("route add 10.0.0.0/8 dev x"),
                }),
                Ok(CommandLine {
                    number: 6,
                    text: "link del y".into(),
                    words: words("link del y"),
                }),
            ]
        );
    }

    #[test]
    fn a_missing_continuation_or_bad_bytes_end_the_file() {
        let lines: Vec<_> = CommandLines::new(&b"link del y \\\n"[..]).collect();
        assert_eq!(
            lines,
            vec![Err(LineError {
                number: 1,
                message: "Missing continuation line".into()
            })]
        );
        let lines: Vec<_> = CommandLines::new(&b"link del \xff\nlink del z\n"[..]).collect();
        assert_eq!(lines.len(), 1);
        assert!(lines[0].is_err());
    }
}
