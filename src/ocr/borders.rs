//! Where a worn scan's rules fall short: rules that stop short of a rule
//! the other way are carried to it ([`meet`]), and two pieces of one rule
//! stopping in the middle of a cell are joined ([`bridged`]), from the
//! rules [`super::lines`] found; the cells ([`super::cells`]) and the
//! layout's table are made from the rules it gives.
//!
//! Tried and left: giving each table the box of its rules as a border
//! (where a scan lost stretches of it). A rule reaching past the table (a
//! title's underline, a stray stroke) took the box out with it, and every
//! scan lost columns to the border drawn through its cells.

use super::lines::Rule;

/// The rules made to meet where they stop short of a rule the other way
/// by at most `reach` pixels: a scan's rules fade at their ends, and a
/// row's rule 15 pixels short of the table's border left its first column
/// out of the table the layout found (and its cells one region with the
/// rows above and below, [`super::cells`]). Each end is carried to the
/// nearest rule across it within `reach`.
pub fn meet(horizontal: &[Rule], vertical: &[Rule], reach: usize) -> (Vec<Rule>, Vec<Rule>) {
    let carried = |rules: &[Rule], across: &[Rule]| -> Vec<Rule> {
        rules
            .iter()
            .map(|rule| {
                // the rules across this one's line, where they are
                let crossing: Vec<f32> = across
                    .iter()
                    .filter(|a| {
                        a.start <= rule.at as usize + reach && rule.at as usize <= a.end + reach
                    })
                    .map(|a| a.at)
                    .collect();
                let before = crossing
                    .iter()
                    .filter(|&&at| at < rule.start as f32 && rule.start as f32 - at <= reach as f32)
                    .fold(None, |near: Option<f32>, &at| {
                        Some(near.map_or(at, |n| n.max(at)))
                    });
                let after = crossing
                    .iter()
                    .filter(|&&at| at > rule.end as f32 && at - rule.end as f32 <= reach as f32)
                    .fold(None, |near: Option<f32>, &at| {
                        Some(near.map_or(at, |n| n.min(at)))
                    });
                Rule {
                    at: rule.at,
                    start: before.map_or(rule.start, |at| at as usize),
                    end: after.map_or(rule.end, |at| at.ceil() as usize),
                }
            })
            .collect()
    };
    (carried(horizontal, vertical), carried(vertical, horizontal))
}

/// How far apart across two pieces of one rule may lie, in pixels (a rule
/// turned a little off straight).
const ALONG_ONE_LINE: f32 = 4.0;

/// `rules` with the gaps between two pieces of one rule (on one line, at
/// most `max_gap` apart) bridged where no rule `across` comes within
/// `reach` of the gap: a rule does not stop in the middle of a cell. A
/// seal over a table's corner takes a stretch of its rules with it (the
/// ink beside them is too thick to be a rule's): worn-05's top border and
/// the rule under its header broke under the seal's star, and the header
/// 金额 and the 合计 row's figure under it were one region open to the
/// page's margin — read as running text, the table had no amount column.
/// Where a rule stops at a rule across (a cell spanning rows), the gap is
/// the span's and stays.
pub fn bridged(rules: &[Rule], across: &[Rule], max_gap: usize, reach: usize) -> Vec<Rule> {
    let mut sorted: Vec<&Rule> = rules.iter().collect();
    sorted.sort_by_key(|a| a.start);
    let crossed = |at: f32, from: usize, to: usize| {
        across.iter().any(|a| {
            a.at + reach as f32 >= from as f32
                && a.at <= (to + reach) as f32
                && a.start <= at as usize + reach
                && at as usize <= a.end + reach
        })
    };
    let mut bridges = Vec::new();
    for (k, left) in sorted.iter().enumerate() {
        // the nearest piece on the same line starting after this one ends
        let right = sorted[k + 1..]
            .iter()
            .filter(|r| (r.at - left.at).abs() <= ALONG_ONE_LINE && r.start > left.end)
            .min_by_key(|r| r.start);
        let Some(right) = right else {
            continue;
        };
        // another piece of the line already over the gap: nothing to bridge
        let covered = sorted.iter().any(|r| {
            (r.at - left.at).abs() <= ALONG_ONE_LINE && r.start <= left.end && r.end >= right.start
        });
        let at = (left.at + right.at) / 2.0;
        if right.start - left.end <= max_gap && !covered && !crossed(at, left.end, right.start) {
            bridges.push(Rule {
                at,
                start: left.end,
                end: right.start,
            });
        }
    }
    rules.iter().copied().chain(bridges).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(at: f32, start: usize, end: usize) -> Rule {
        Rule { at, start, end }
    }

    /// worn-09's 收入支出决算总表: the rows' rules stop 16 pixels short of
    /// the table's left border (at 177.5), and one stops 40 short; the
    /// border stops short of the bottom rule. Each end within reach is
    /// carried to the rule across it, the one too far is left.
    #[test]
    fn rules_stopping_short_of_each_other_meet() {
        let horizontal = [
            rule(371.0, 180, 2300),
            rule(454.0, 193, 2300),
            rule(582.0, 218, 2300),
            rule(3310.0, 178, 2300),
        ];
        let vertical = [rule(177.5, 371, 3296), rule(2303.0, 371, 3310)];
        let (h, v) = meet(&horizontal, &vertical, 24);
        let starts: Vec<usize> = h.iter().map(|r| r.start).collect();
        assert_eq!(starts, [177, 177, 218, 177]);
        assert_eq!(v[0].end, 3310);
        assert_eq!((v[1].start, v[1].end), (371, 3310));
    }

    /// worn-05's 一般公共预算基本支出预算表: the top border and the rule
    /// under the header broken under the seal's star (2705 to 2897, 2731
    /// to 2864), no column rule there (they stand at 2183.5 and 3127):
    /// bridged. A row's rule stopping at the column rules of a cell that
    /// spans rows is not.
    #[test]
    fn a_rule_broken_in_the_middle_of_a_cell_is_one_rule() {
        let horizontal = [
            rule(730.5, 296, 2485),
            rule(733.0, 296, 2705),
            rule(733.5, 2897, 3131),
            rule(848.0, 296, 2731),
            rule(848.5, 2864, 3131),
            rule(961.5, 296, 3131),
            // stops at the column rules at 1241 and 2183.5: a span
            rule(1077.0, 296, 1241),
            rule(1077.5, 2184, 3131),
        ];
        let vertical = [
            rule(297.0, 729, 4529),
            rule(1241.0, 729, 4531),
            rule(2183.5, 730, 4532),
            rule(3127.0, 729, 4532),
        ];
        let joined = bridged(&horizontal, &vertical, 300, 9);
        let bridges: Vec<(usize, usize)> = joined[horizontal.len()..]
            .iter()
            .map(|r| (r.start, r.end))
            .collect();
        assert_eq!(bridges, [(2705, 2897), (2731, 2864)]);
        // too wide a gap: left
        assert_eq!(
            bridged(&horizontal, &vertical, 150, 9).len(),
            horizontal.len() + 1
        );
    }
}
