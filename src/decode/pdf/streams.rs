//! A document's content streams, decoded once.
//!
//! Every content stream a page or a Form XObject draws is decoded here. A
//! stream asked for a second time (a form drawn again, a content stream
//! shared by pages) is kept decoded from then on, while the streams kept
//! total at most `max_kept_bytes`; a stream that cannot be decoded is
//! remembered as such, so a bomb is inflated (up to the stream limit)
//! once, not each time it is drawn. What the content costs each time it
//! is interpreted is the [`super::budget`]'s.

use lopdf::{Document, Object, ObjectId, Stream};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// A stream decoded, or why it could not be (`unreadable: …`, `could not
/// be decoded (…); its content is lost`).
pub(super) type Decoded = Result<Rc<Vec<u8>>, String>;

/// The document's decoded streams.
pub struct Streams {
    kept: HashMap<ObjectId, Decoded>,
    /// Streams decoded once (kept when asked for again).
    seen: HashSet<ObjectId>,
    kept_bytes: usize,
    max_kept_bytes: usize,
}

impl Streams {
    pub fn new(max_kept_bytes: usize) -> Streams {
        Streams {
            kept: HashMap::new(),
            seen: HashSet::new(),
            kept_bytes: 0,
            max_kept_bytes,
        }
    }

    /// The content of stream object `id`, at most `max_bytes` decoded
    /// (an unfiltered stream is taken as it is).
    pub(super) fn decoded(&mut self, doc: &Document, id: ObjectId, max_bytes: usize) -> Decoded {
        if let Some(decoded) = self.kept.get(&id) {
            return decoded.clone();
        }
        let decoded = match doc.get_object(id).and_then(Object::as_stream) {
            Ok(stream) => decode_stream(stream, max_bytes),
            Err(e) => Err(format!("unreadable: {e}")),
        };
        let repeated = !self.seen.insert(id);
        match &decoded {
            Err(_) => {
                self.kept.insert(id, decoded.clone());
            }
            Ok(bytes) if repeated && self.kept_bytes + bytes.len() <= self.max_kept_bytes => {
                self.kept_bytes += bytes.len();
                self.kept.insert(id, decoded.clone());
            }
            Ok(_) => {}
        }
        decoded
    }
}

/// A stream's content, at most `max_bytes` decoded; an unfiltered one (or
/// one whose filter is not applied) as it is.
pub(super) fn decode_stream(stream: &Stream, max_bytes: usize) -> Decoded {
    match stream.decompressed_content_with_limit(max_bytes) {
        Ok(bytes) => Ok(Rc::new(bytes)),
        Err(_) if !stream.is_compressed() => Ok(Rc::new(stream.content.clone())),
        Err(e) => Err(format!("could not be decoded ({e}); its content is lost")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn document_with(content: &[u8]) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.5");
        let id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
        (doc, id)
    }

    #[test]
    fn a_stream_asked_for_twice_is_kept_decoded() {
        let (doc, id) = document_with(b"0 0 Td");
        let mut streams = Streams::new(1 << 20);
        let first = streams.decoded(&doc, id, 1 << 20).unwrap();
        assert!(streams.kept.is_empty());
        let second = streams.decoded(&doc, id, 1 << 20).unwrap();
        let third = streams.decoded(&doc, id, 1 << 20).unwrap();
        assert_eq!(*first, *second);
        assert!(Rc::ptr_eq(&second, &third));
        // nothing is kept beyond the bound
        let mut small = Streams::new(3);
        small.decoded(&doc, id, 1 << 20).unwrap();
        small.decoded(&doc, id, 1 << 20).unwrap();
        assert!(small.kept.is_empty());
    }
}
