//! What OCR adds to the model: the recogniser's reading of each table
//! cell of a scanned page (on the [`Document`](super::Document)), and each
//! figure's mark — its confidence and how the report's identities stand
//! with it (on the [`Fact`](super::Fact), `ocr_*` columns of `facts.csv`).

/// What the recogniser read in one table cell of a scanned page.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrReading {
    pub page: u32,
    /// The reading taken (without spaces).
    pub text: String,
    /// Its words' mean confidence, 0–100.
    pub confidence: f32,
    /// Another reading of the same cell, where the two passes differ (a
    /// figure read as Chinese text first, then as figures only).
    pub alternative: Option<String>,
    /// The box of the cell's text, in points from the page's top left.
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// A figure read by OCR: what the recogniser and the identities say of it.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrMark {
    /// The recogniser's confidence in the cell, 0–100 (none for a figure
    /// of running text).
    pub confidence: Option<u8>,
    pub check: OcrCheck,
    /// The recogniser's first reading, where an identity chose the other.
    pub read_as: Option<String>,
}

impl OcrMark {
    /// `read_as` of a row whose code the table's hierarchy set right:
    /// `code 2013159`, or `code none` for a code not read.
    pub fn code_read_as(read: &str) -> String {
        let read = if read.is_empty() { "none" } else { read };
        format!("code {read}")
    }

    /// The code as read, where the hierarchy set a read code right
    /// ([`OcrMark::code_read_as`]); `None` for a figure's reading or a code
    /// not read.
    pub fn code_read(&self) -> Option<&str> {
        self.read_as
            .as_deref()?
            .strip_prefix("code ")
            .filter(|read| *read != "none")
    }
}

/// How the report's identities stand with a figure read by OCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcrCheck {
    /// An identity that holds takes it: changed, it would fail.
    Confirmed,
    /// The recogniser's other reading of the cell makes failing identities
    /// hold and breaks none: taken.
    Corrected,
    /// An identity it takes part in fails.
    Contradicted,
    /// No identity takes it.
    Unconfirmed,
}

impl OcrCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            OcrCheck::Confirmed => "confirmed",
            OcrCheck::Corrected => "corrected",
            OcrCheck::Contradicted => "contradicted",
            OcrCheck::Unconfirmed => "unconfirmed",
        }
    }

    pub fn parse(text: &str) -> Option<OcrCheck> {
        [
            OcrCheck::Confirmed,
            OcrCheck::Corrected,
            OcrCheck::Contradicted,
            OcrCheck::Unconfirmed,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }
}
