//! What a document's content may cost: bytes interpreted and characters
//! placed, counted over the whole document.
//!
//! - Each time content is interpreted its bytes are charged
//!   ([`Limits::max_content_bytes`], the limit `pdf-content-bytes`): a
//!   page's content once, a Form XObject's each time it is drawn (a 60 MB
//!   form drawn 100,000 times is 6 TB of content, however few bytes the
//!   file has). Content that would take the document over is not
//!   interpreted.
//! - The characters placed on the pages are counted
//!   ([`Limits::max_chars`], the limit `pdf-chars`): each costs about 75
//!   bytes until the document is laid out, and a page may place 500,000
//!   (one 500 KB string), so 200 pages sharing one such content stream
//!   would take 7.5 GB.
//!
//! Once either is over, nothing more is interpreted: the page it ran out
//! on is not fully read, and the pages after it are left out (`decode`
//! names them). Both are counted in units of the input, not time, so that
//! a document is read the same way on any machine.
//!
//! [`Limits::max_content_bytes`]: super::Limits::max_content_bytes
//! [`Limits::max_chars`]: super::Limits::max_chars

use super::Limits;

/// The document's content so far, against its limits.
#[derive(Debug)]
pub struct Budget {
    content_bytes: usize,
    max_content_bytes: usize,
    chars: usize,
    max_chars: usize,
    /// Why nothing more is interpreted (a limit and its flag).
    over: Option<String>,
}

impl Budget {
    pub fn new(limits: &Limits) -> Budget {
        Budget {
            content_bytes: 0,
            max_content_bytes: limits.max_content_bytes,
            chars: 0,
            max_chars: limits.max_chars,
            over: None,
        }
    }

    /// Pay for interpreting `bytes` of content: whether it may be.
    pub(super) fn charge_content(&mut self, bytes: usize) -> bool {
        let total = self.content_bytes.saturating_add(bytes);
        if self.over.is_none() && total > self.max_content_bytes {
            self.over = Some(format!(
                "the document's content is over the limit of {} bytes interpreted (--limit pdf-content-bytes=…)",
                self.max_content_bytes
            ));
        }
        if self.over.is_some() {
            return false;
        }
        self.content_bytes = total;
        true
    }

    /// Whether a page may go on, having placed `page_chars` characters.
    pub(super) fn allows_chars(&mut self, page_chars: usize) -> bool {
        if self.over.is_none() && self.chars.saturating_add(page_chars) > self.max_chars {
            self.over = Some(format!(
                "the document places more than {} characters on its pages (--limit pdf-chars=…)",
                self.max_chars
            ));
        }
        self.over.is_none()
    }

    /// Count a page's characters, once it is read.
    pub(super) fn count_chars(&mut self, page_chars: usize) {
        self.allows_chars(page_chars);
        self.chars = self.chars.saturating_add(page_chars);
    }

    /// Why nothing more is interpreted, once a limit is reached.
    pub fn over(&self) -> Option<&str> {
        self.over.as_deref()
    }

    /// Bytes of content interpreted.
    pub fn content_bytes(&self) -> usize {
        self.content_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(max_content_bytes: usize, max_chars: usize) -> Budget {
        Budget::new(&Limits {
            max_content_bytes,
            max_chars,
            ..Limits::default()
        })
    }

    #[test]
    fn content_over_the_budget_is_refused_and_so_is_all_after_it() {
        let mut budget = budget(10, 100);
        assert!(budget.charge_content(6));
        assert!(!budget.charge_content(6));
        assert!(!budget.charge_content(1), "nothing after the first refusal");
        assert_eq!(budget.content_bytes(), 6);
        assert!(budget
            .over()
            .unwrap()
            .contains("--limit pdf-content-bytes="));
    }

    #[test]
    fn characters_over_the_budget_stop_the_content() {
        let mut budget = budget(100, 10);
        budget.count_chars(6);
        assert!(budget.allows_chars(4));
        assert!(!budget.allows_chars(5));
        assert!(!budget.charge_content(1));
        assert!(budget.over().unwrap().contains("--limit pdf-chars="));
    }
}
