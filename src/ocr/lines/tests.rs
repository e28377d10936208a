//! Tests of finding, erasing and lifting rules and bands.

use super::*;

/// A cell's rules (a box of four that meet) and a short run inside it
/// that meets none (a row of text's strokes): the run is not a rule;
/// a long rule alone (a table ruled across only) is.
#[test]
fn a_short_run_meeting_no_rule_is_text() {
    let horizontal = vec![
        Rule {
            at: 100.0,
            start: 100,
            end: 300,
        },
        Rule {
            at: 200.0,
            start: 102,
            end: 298,
        },
        Rule {
            at: 150.0,
            start: 140,
            end: 270,
        },
        Rule {
            at: 400.0,
            start: 50,
            end: 1000,
        },
        // a rule in three pieces, none meeting a vertical
        Rule {
            at: 500.0,
            start: 50,
            end: 200,
        },
        Rule {
            at: 501.0,
            start: 205,
            end: 330,
        },
        Rule {
            at: 500.0,
            start: 335,
            end: 480,
        },
        // text in two cells of one row: far apart
        Rule {
            at: 600.0,
            start: 50,
            end: 200,
        },
        Rule {
            at: 600.0,
            start: 400,
            end: 550,
        },
    ];
    let vertical = vec![
        Rule {
            at: 101.0,
            start: 100,
            end: 200,
        },
        Rule {
            at: 299.0,
            start: 98,
            end: 203,
        },
    ];
    let (h, v) = of_tables(horizontal, vertical, 360, 8, 90);
    let at: Vec<f32> = h.iter().map(|r| r.at).collect();
    assert_eq!(at, [100.0, 200.0, 400.0, 500.0, 501.0, 500.0]);
    assert_eq!(v.len(), 2);
}

#[test]
fn a_broken_rule_is_one_and_text_is_none() {
    let (width, height) = (400, 100);
    let mut image = Grey {
        width,
        height,
        pixels: vec![255; width * height],
    };
    // a rule two pixels thick at y = 50, broken for 3 pixels at x = 200
    for y in 50..52 {
        for x in 20..380 {
            if !(200..203).contains(&x) {
                image.pixels[y * width + x] = 0;
            }
        }
    }
    // a short stroke (a character's)
    for x in 100..120 {
        image.pixels[20 * width + x] = 0;
    }
    // the tops of a row of digits: ink 14 pixels of every 19, 190 long
    for x in 20..210 {
        if x % 19 < 14 {
            image.pixels[80 * width + x] = 0;
        }
    }
    let (horizontal, vertical) = rules(&image, 100, 5);
    assert_eq!(
        horizontal,
        [Rule {
            at: 50.5,
            start: 20,
            end: 380
        }]
    );
    assert!(vertical.is_empty());
}

/// A rule one pixel thick, turned straight by a fraction of a degree
/// (bilinear): its ink on row 60 and row 61 by turns, 6 pixels each —
/// each row alone half ink, far under a rule's density. One rule at
/// 60.5, as a rule two pixels thick would be.
#[test]
fn a_rule_across_a_shadow_at_the_edge_is_where_it_is_printed() {
    let (width, height) = (1000, 300);
    let mut image = Grey {
        width,
        height,
        pixels: vec![255; width * height],
    };
    // a grey shadow down the left edge, 80 pixels wide, and a rule
    // two pixels thick across the page through it at y = 100
    for y in 0..height {
        for x in 0..80 {
            image.pixels[y * width + x] = 120;
        }
    }
    for y in 100..102 {
        for x in 0..950 {
            image.pixels[y * width + x] = 0;
        }
    }
    let (horizontal, _) = rules(&image, 60, 6);
    let long: Vec<&Rule> = horizontal
        .iter()
        .filter(|r| r.end - r.start > 500)
        .collect();
    assert_eq!(long.len(), 1, "{horizontal:?}");
    // within the few rows of shadow a thin rule takes in (min_length
    // 60: 4 rows), not in the shadow's middle (150)
    assert!((long[0].at - 100.5).abs() <= 2.0, "{:?}", long[0]);
}

/// worn-08's page 7: the shadow down the left edge, grey 212 on
/// paper of 252 from x = 8 to 72 and 700 pixels down, beside the
/// table's left border at 176. The border is a rule; the shadow none.
#[test]
fn a_band_of_grey_is_no_rule() {
    let image = margin_shadow(false);
    let (_, vertical) = rules(&image, 120, 6);
    let at: Vec<f32> = vertical.iter().map(|r| r.at).collect();
    assert_eq!(at, [176.0], "{vertical:?}");
}

/// worn-08's page 7 drawn: paper of 252, the shadow 212 from x = 8 to
/// 72 and y = 200 to 900, the table's border (150) at x = 175..178;
/// with `print`, a stroke of 60 in the shadow (x 30..34, y 400..440).
fn margin_shadow(print: bool) -> Grey {
    let (width, height) = (400, 1000);
    let mut image = Grey {
        width,
        height,
        pixels: vec![252; width * height],
    };
    for y in 200..900 {
        for x in 8..72 {
            let stroke = print && (400..440).contains(&y) && (30..34).contains(&x);
            image.pixels[y * width + x] = if stroke { 60 } else { 212 };
        }
        for x in 175..178 {
            image.pixels[y * width + x] = 150;
        }
    }
    image
}

/// A band outside the table (left of its left border) is dropped; one
/// between two of its rules, along them, stands for the rule lost in
/// it.
#[test]
fn a_band_is_a_tables_rule_only_between_its_rules() {
    let rule = |at: f32, start: usize, end: usize| Rule { at, start, end };
    let margin = rule(40.0, 2293, 2996);
    let between = rule(531.0, 3, 1740);
    let mut vertical = vec![margin, rule(176.0, 178, 3300), rule(2307.0, 178, 3300)];
    keep_bands_within(&mut vertical, &[margin]);
    assert_eq!(vertical.len(), 2);
    assert!(!vertical.contains(&margin));
    let mut horizontal = vec![rule(416.5, 178, 1767), between, rule(627.0, 177, 2308)];
    keep_bands_within(&mut horizontal, &[between]);
    assert!(horizontal.contains(&between));
    // a band below the table's last rule is outside it
    let below = rule(3400.0, 3, 1740);
    let mut horizontal = vec![rule(416.5, 178, 1767), below];
    keep_bands_within(&mut horizontal, &[below]);
    assert!(!horizontal.contains(&below));
}

/// A rule 5 pixels thick that slopes down 6 pixels over its length
/// (found at its left end's middle, 102) is erased whole, no dash left
/// below the band at its right end; a character's stroke 40 pixels
/// long standing on it keeps all but the band's lines.
#[test]
fn a_sloped_rule_is_erased_whole_and_a_stroke_on_it_kept() {
    let (width, height) = (400, 200);
    let mut image = Grey {
        width,
        height,
        pixels: vec![255; width * height],
    };
    for x in 0..300 {
        let top = 100 + x / 50;
        for y in top..top + 5 {
            image.pixels[y * width + x] = 0;
        }
    }
    for y in 60..105 {
        for x in 150..154 {
            image.pixels[y * width + x] = 0;
        }
    }
    let rule = Rule {
        at: 102.0,
        start: 0,
        end: 300,
    };
    erase(&mut image, &[rule], &[], 3);
    let ink_left = (0..300)
        .flat_map(|x| (90..120).map(move |y| (x, y)))
        .filter(|&(x, y)| image.at(x, y) == 0 && !(150..154).contains(&x))
        .count();
    assert_eq!(ink_left, 0, "the rule's ink outside the stroke");
    assert_eq!(image.at(151, 60), 0, "the stroke's top");
    assert_eq!(image.at(151, 98), 0, "the stroke above the band");
    assert_eq!(image.at(151, 100), 255, "the band through the stroke");
}

/// worn-08's margin shadow again, a stroke of print in it: lifted, the
/// whole band is paper (no edge left to read as text) but the print,
/// and the table's border beside it is untouched.
#[test]
fn a_band_outside_the_tables_is_lifted_whole_and_its_print_kept() {
    let mut image = margin_shadow(true);
    let ((_, vertical), (_, bands)) = rules_and_bands(&image, 120, 6);
    let outside = bands_outside(&vertical, &bands);
    assert_eq!(outside.len(), 1, "{bands:?}");
    lift(&mut image, &outside[0], true);
    for y in 200..900 {
        // the band and its two pixels of edge either side
        for x in 6..74 {
            let print = (400..440).contains(&y) && (30..34).contains(&x);
            assert_eq!(image.at(x, y), if print { 60 } else { 255 }, "({x}, {y})");
        }
        assert_eq!(image.at(176, y), 150);
    }
}

#[test]
fn a_thin_rule_falling_on_two_rows_by_turns_is_one_rule() {
    let (width, height) = (400, 100);
    let mut image = Grey {
        width,
        height,
        pixels: vec![255; width * height],
    };
    for x in 20..380 {
        let y = if (x / 6) % 2 == 0 { 60 } else { 61 };
        image.pixels[y * width + x] = 170;
    }
    let (horizontal, vertical) = rules(&image, 100, 5);
    assert_eq!(
        horizontal,
        [Rule {
            at: 60.5,
            start: 20,
            end: 380
        }]
    );
    assert!(vertical.is_empty());
}
