//! A cursor over command-line words, with iproute2's unique-prefix matching.

use super::CliError;

/// True when `word` is a non-empty prefix of `keyword` (iproute2's `matches()`):
/// `l` matches `link`, `link` matches `link`, `links` does not.
pub fn matches(word: &str, keyword: &str) -> bool {
    !word.is_empty() && keyword.starts_with(word)
}

/// Words still to be read, in order.
pub struct Args<'a> {
    words: &'a [String],
    pos: usize,
}

impl<'a> Args<'a> {
    pub fn new(words: &'a [String]) -> Self {
        Args { words, pos: 0 }
    }

    /// The next word without consuming it.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).map(String::as_str)
    }

    /// Consume and return the next word.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let w = self.peek()?;
        self.pos += 1;
        Some(w)
    }

    /// Consume the value that must follow `keyword`, or fail as iproute2
    /// 6.1's `incomplete_command()` does: one line that names no word (the
    /// `keyword` is not part of it), exit 255.
    pub fn value(&mut self, _keyword: &str) -> Result<&'a str, CliError> {
        self.next().ok_or_else(|| {
            CliError::usage("Command line is not complete. Try option \"help\"".to_string())
        })
    }

    /// Every word not yet consumed.
    pub fn rest(&self) -> &'a [String] {
        &self.words[self.pos.min(self.words.len())..]
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_matching() {
        assert!(matches("l", "link"));
        assert!(matches("link", "link"));
        assert!(!matches("links", "link"));
        assert!(!matches("", "link"));
    }
}
