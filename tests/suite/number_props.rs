//! Property tests for number normalisation: any decimal, printed the ways
//! reports print it, reads back as itself.

use gongkai::number::{parse_amount, Amount};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn group_thousands(digits: &str, separator: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | '-' | '(' | ')' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            _ => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn printed_forms_read_back_exactly(mantissa in 0i64..1_000_000_000_000, scale in 0u32..5, negative in any::<bool>(),
                                       separator in prop::sample::select(vec!["", ",", " "]), wide in any::<bool>(),
                                       parentheses in any::<bool>()) {
        let value = Decimal::new(mantissa, scale);
        let plain = value.to_string();
        let (int, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(i, f)| (i, Some(f)));
        let mut printed = group_thousands(int, separator);
        if let Some(frac) = frac {
            printed = format!("{printed}.{frac}");
        }
        if negative {
            printed = if parentheses { format!("({printed})") } else { format!("-{printed}") };
        }
        if wide {
            printed = full_width(&printed);
        }
        let expected = if negative { -value } else { value };
        prop_assert_eq!(parse_amount(&printed), Amount::Value(expected));
        // the printed scale is kept: 0.00 stays 0.00
        if let Amount::Value(read) = parse_amount(&printed) {
            prop_assert_eq!(read.scale(), scale);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,24}") {
        let _ = parse_amount(&text);
    }
}
