//! A figure's marks as a scan's reader misreads them, set right from the
//! text alone (the cell's pixels are [`super::points`]'s): stray marks at
//! its ends ([`figure_text`]), a comma read for its point
//! ([`point_for_comma`]), its point lost after the thousands, doubled, or
//! its thousands read with points ([`point_restored`]); and what a
//! well-formed figure is ([`is_figure`]).

/// Whether a reading is a well-formed figure: what the parse stage reads
/// as an amount (`number::parse_value`: sign, digits with commas between
/// groups, a decimal part), a per cent sign allowed, led by a digit (not
/// `.7`, a clipped `0.17`) and not signed at its end.
pub fn is_figure(text: &str) -> bool {
    let body = text.strip_suffix('%').unwrap_or(text);
    body.trim_start_matches('-')
        .starts_with(|c: char| c.is_ascii_digit())
        && !body.ends_with('-')
        && crate::number::parse_value(body).is_some()
}

/// A figure's stray marks: what is left of an erased rule beside it is
/// read as a quote or a bar; a speck at either end of a figure with its
/// decimals, as a point or a comma (0.40., 0.00, and .368.14 on worn-11
/// and worn-03: cells no amount could be read from).
pub fn figure_text(text: &str) -> &str {
    let stray = |c: char| "“”\"'‘’|!丨".contains(c);
    let trimmed = text.trim_matches(stray);
    let trimmed = without_end_specks(trimmed);
    let numeric = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '%'));
    if numeric {
        trimmed
    } else {
        text
    }
}

/// `text` without a point or comma at its start or end where what is
/// left is an amount ([`is_figure`], not a share) with its decimals.
fn without_end_specks(text: &str) -> &str {
    let speck = ['.', ','];
    let start = text.strip_prefix(speck).unwrap_or(text);
    let cut = start.strip_suffix(speck).unwrap_or(start);
    // a share in running text (降低41.92%,主要原因) keeps its comma
    let decimal = cut.contains('.') && !cut.ends_with('%');
    if cut.len() < text.len() && decimal && is_figure(cut) {
        cut
    } else {
        text
    }
}

/// A figure read with a comma where its decimal point is (13,69): a comma
/// before the last two digits, and no point. Amounts are printed with
/// their decimals; a group of thousands has three digits after its comma.
pub fn point_for_comma(text: &str) -> String {
    match text.rsplit_once(',') {
        Some((whole, cents)) if cents.len() == 2 && digits(cents) && !text.contains('.') => {
            let whole_ok = whole.trim_start_matches('-').split(',').all(digits);
            if whole_ok {
                format!("{}.{cents}", whole.replace(',', ""))
            } else {
                text.to_string()
            }
        }
        _ => text.to_string(),
    }
}

/// Whether `s` is one or more ASCII digits and nothing else.
fn digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A figure read with its decimal point lost or doubled: its thousands
/// printed with commas, the last group five digits long (27,66422: a
/// group has three digits, the two more are its decimals: 27,664.22), or
/// two points where one was printed (411..20), or its comma read as the
/// point and its point lost (11.70063: five decimals after one to three
/// digits not led by 0 — 11,700.63; the figures of a page all read so add
/// up as printed, and a sum of them proves nothing), or its commas read
/// as points (1.422.50: a figure has one point, so those before the last
/// are its thousands — 1,422.50). Anything else as read.
pub fn point_restored(text: &str) -> String {
    if let Some(grouped) = points_for_commas(text) {
        return grouped;
    }
    if let Some((thousands, rest)) = text.split_once('.') {
        let whole = thousands.trim_start_matches('-');
        let comma_for_point = (1..=3).contains(&whole.len())
            && !whole.starts_with('0')
            && digits(whole)
            && rest.len() == 5
            && digits(rest);
        if comma_for_point {
            return format!("{thousands},{}.{}", &rest[..3], &rest[3..]);
        }
    }
    if let Some((whole, cents)) = text.split_once("..") {
        if digits(whole.trim_start_matches('-').replace(',', "").as_str()) && digits(cents) {
            return format!("{whole}.{cents}");
        }
        return text.to_string();
    }
    let groups: Vec<&str> = text.trim_start_matches('-').split(',').collect();
    let grouped = groups.len() >= 2
        && !text.contains('.')
        && (1..=3).contains(&groups[0].len())
        && groups[1..groups.len() - 1].iter().all(|g| g.len() == 3)
        && groups.last().is_some_and(|g| g.len() == 5)
        && groups.iter().all(|g| digits(g));
    if grouped {
        let (whole, cents) = text.split_at(text.len() - 2);
        format!("{whole}.{cents}")
    } else {
        text.to_string()
    }
}

/// A figure whose thousands were read with points for commas (1.422.50):
/// one to three digits not led by 0, then groups of three, each after a
/// point, and two decimals after the last; `None` for anything else.
fn points_for_commas(text: &str) -> Option<String> {
    let sign = if text.starts_with('-') { "-" } else { "" };
    let parts: Vec<&str> = text[sign.len()..].split('.').collect();
    let [first, groups @ .., cents] = parts.as_slice() else {
        return None;
    };
    let well_formed = !groups.is_empty()
        && (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && digits(first)
        && groups.iter().all(|g| g.len() == 3 && digits(g))
        && cents.len() == 2
        && digits(cents);
    well_formed.then(|| format!("{sign}{first},{}.{cents}", groups.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells of worn-11 and worn-03 read with a speck as a point or a
    /// comma at one end: no amount could be read from them.
    #[test]
    fn a_speck_at_the_end_of_a_figure_is_no_part_of_it() {
        for (read, figure) in [
            ("0.40.", "0.40"),
            ("0.00,", "0.00"),
            ("139.69.", "139.69"),
            (".368.14", "368.14"),
            ("“13.69.", "13.69"),
        ] {
            assert_eq!(figure_text(read), figure, "{read}");
        }
        // not a figure with its decimals: left as read
        for read in [
            "12.",
            ".7",
            "1,234,",
            "0.2433.66",
            "..5.00",
            "事业运行.",
            "41.92%,",
        ] {
            assert_eq!(figure_text(read), read, "{read}");
        }
    }

    #[test]
    fn a_comma_before_two_last_digits_is_the_point() {
        assert_eq!(point_for_comma("13,69"), "13.69");
        assert_eq!(point_for_comma("1,234,56"), "1234.56");
        // a group of thousands, a figure with its point: as read
        assert_eq!(point_for_comma("1,234"), "1,234");
        assert_eq!(point_for_comma("1,234.56"), "1,234.56");
        assert_eq!(point_for_comma("1,2a,56"), "1,2a,56");
    }

    /// Figures of a Jiangsu report's worn scans (2019 部门预算, 收支预算总表),
    /// their points lost or doubled: checked against the printed page.
    #[test]
    fn a_point_lost_after_the_thousands_or_doubled_is_set_back() {
        for (read, printed) in [
            ("27,66422", "27,664.22"),
            ("13,02538", "13,025.38"),
            ("1,234,56789", "1,234,567.89"),
            ("411..20", "411.20"),
            ("27,664..22", "27,664.22"),
            ("11.70063", "11,700.63"),
            ("-8.30032", "-8,300.32"),
            // worn-07's 政府采购预算表: its 合计 so read was taken for a header
            ("1.422.50", "1,422.50"),
            ("12.345.678.90", "12,345,678.90"),
        ] {
            assert_eq!(point_restored(read), printed, "{read}");
        }
        // a group of three digits, a figure with its point, text: as read
        for read in [
            "27,664",
            "27,664.22",
            "2766422",
            "27,6642",
            "1..2.3",
            "..5",
            "1,23,45678",
            "0.12345",
            "1234.56789",
            "1.2345",
            "0.422.50",
            "1.42.50",
            "1.422.5",
        ] {
            assert_eq!(point_restored(read), read, "{read}");
        }
    }
}
