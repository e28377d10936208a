//! Where a worn scan's rules fall short: rules that stop short of a rule
//! the other way are carried to it ([`meet`]), from the rules
//! [`super::lines`] found; the cells ([`super::cells`]) and the layout's
//! table are made from the rules it gives.
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
}
