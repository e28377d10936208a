//! Which cells of a sheet its merged ranges cover, in time that follows
//! the cells and the ranges — `(cells + ranges) · log cells` — never their
//! product (a sheet of a million cells and a hundred thousand ranges took
//! hours when every cell was tried against every range).
//!
//! A merged range keeps its value in its first (top-left) cell; every
//! other cell inside it is covered, shown empty. A cell is covered when
//! some range holds it without starting at it, that is when more ranges
//! hold it than start at it. The ranges are swept down the rows: each adds
//! one to the columns it spans at its first row and takes it off after its
//! last; the count a cell reads is the number of ranges holding it. Counts
//! are kept only for the columns that hold cells (a Fenwick tree over
//! them), so a range as wide as the sheet costs no more than a narrow one.
//! A range whose end lies before its start holds no cell.

/// A merged range: its first and last cell `(row, column)`, absolute.
pub(super) type Merged = ((u32, u32), (u32, u32));

/// For each of `positions`, whether a range of `merged` covers it.
pub(super) fn covered(positions: &[(u32, u32)], merged: &[Merged]) -> Vec<bool> {
    let mut columns: Vec<u32> = positions.iter().map(|p| p.1).collect();
    columns.sort_unstable();
    columns.dedup();
    let events = sweep_events(&columns, merged);
    let starts = range_starts(merged);
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_unstable_by_key(|&i| positions[i].0);
    let mut counts = Fenwick::new(columns.len());
    let mut next_event = 0;
    let mut covered = vec![false; positions.len()];
    for i in order {
        let (row, column) = positions[i];
        while let Some(&(at, change, from, to)) = events.get(next_event) {
            if at > u64::from(row) {
                break;
            }
            counts.add_range(from, to, change);
            next_event += 1;
        }
        let index = columns.partition_point(|&c| c < column);
        let holding = counts.at(index);
        covered[i] = holding > starting_at(&starts, (row, column));
    }
    covered
}

/// `(row, ±1, first column index, end column index)`: where a range starts
/// counting (its first row) and stops (the row after its last), over the
/// indexes of the `columns` that hold cells; sorted by row.
fn sweep_events(columns: &[u32], merged: &[Merged]) -> Vec<(u64, i64, usize, usize)> {
    let mut events = Vec::with_capacity(merged.len() * 2);
    for &(start, end) in merged.iter().filter(|(s, e)| s.0 <= e.0 && s.1 <= e.1) {
        let from = columns.partition_point(|&c| c < start.1);
        let to = columns.partition_point(|&c| c <= end.1);
        if from < to {
            events.push((u64::from(start.0), 1, from, to));
            events.push((u64::from(end.0) + 1, -1, from, to));
        }
    }
    events.sort_unstable_by_key(|e| e.0);
    events
}

/// The first cells of the ranges that hold any cell, sorted.
fn range_starts(merged: &[Merged]) -> Vec<(u32, u32)> {
    let mut starts: Vec<(u32, u32)> = merged
        .iter()
        .filter(|(s, e)| s.0 <= e.0 && s.1 <= e.1)
        .map(|(s, _)| *s)
        .collect();
    starts.sort_unstable();
    starts
}

/// How many ranges start at `position`.
fn starting_at(starts: &[(u32, u32)], position: (u32, u32)) -> i64 {
    let from = starts.partition_point(|&s| s < position);
    let to = starts.partition_point(|&s| s <= position);
    (to - from) as i64
}

/// Counts over positions `0..len`: add to a run of them, read one.
struct Fenwick {
    tree: Vec<i64>,
}

impl Fenwick {
    fn new(len: usize) -> Self {
        Fenwick {
            tree: vec![0; len + 1],
        }
    }

    /// Add `change` to every position of `from..to`.
    fn add_range(&mut self, from: usize, to: usize, change: i64) {
        self.add_from(from, change);
        self.add_from(to, -change);
    }

    fn add_from(&mut self, index: usize, change: i64) {
        let mut i = index + 1;
        while i < self.tree.len() {
            self.tree[i] += change;
            i += i & i.wrapping_neg();
        }
    }

    /// The count at `index`.
    fn at(&self, index: usize) -> i64 {
        let mut i = index + 1;
        let mut sum = 0;
        while i > 0 {
            sum += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule, cell by cell against every range: what the sweep must agree with.
    fn covered_by_trying_every_range(positions: &[(u32, u32)], merged: &[Merged]) -> Vec<bool> {
        positions
            .iter()
            .map(|&p| {
                merged.iter().any(|&(start, end)| {
                    p != start
                        && (start.0..=end.0).contains(&p.0)
                        && (start.1..=end.1).contains(&p.1)
                })
            })
            .collect()
    }

    #[test]
    fn a_range_covers_its_cells_but_its_first() {
        let positions = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (5, 9)];
        let merged = [((0, 0), (1, 1)), ((5, 0), (5, 20)), ((3, 3), (2, 2))];
        assert_eq!(
            covered(&positions, &merged),
            [false, true, true, true, false, true]
        );
    }

    #[test]
    fn the_sweep_agrees_with_trying_every_range() {
        // overlapping, repeated, nested, single-cell and backwards ranges
        let positions: Vec<(u32, u32)> = (0..12)
            .flat_map(|r| (0..9).map(move |c| (r, c)))
            .filter(|(r, c)| (r * 7 + c * 3) % 5 != 0)
            .collect();
        let merged = [
            ((0, 0), (2, 3)),
            ((0, 0), (2, 3)),
            ((1, 1), (1, 1)),
            ((2, 2), (6, 4)),
            ((4, 0), (4, 100)),
            ((7, 5), (3, 5)),
            ((8, 7), (11, 8)),
            ((9, 8), (20, 8)),
        ];
        assert_eq!(
            covered(&positions, &merged),
            covered_by_trying_every_range(&positions, &merged)
        );
    }

    /// 200,000 cells and 100,000 ranges: the product is 2·10¹⁰ checks,
    /// the sweep a few million steps.
    #[test]
    fn many_cells_and_many_ranges_take_no_time() {
        let positions: Vec<(u32, u32)> = (0..2000)
            .flat_map(|r| (0..100).map(move |c| (r, c)))
            .collect();
        let merged: Vec<Merged> = (0..100_000).map(|i| ((i, 0), (i, 1))).collect();
        let started = std::time::Instant::now();
        let covered = covered(&positions, &merged);
        assert_eq!(covered.iter().filter(|c| **c).count(), 2000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
