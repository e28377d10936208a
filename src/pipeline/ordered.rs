//! An ordered parallel map with a bounded window: workers take indices in
//! order and compute results in parallel, the calling thread consumes them
//! strictly in index order, and no worker starts an index more than
//! `window` ahead of the last one consumed — so memory is bounded by the
//! window, not by the number of inputs. A consumer error stops the work:
//! workers take no new index and the error is returned.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// How far the consumer has come, and a signal for workers waiting on it.
struct Progress {
    consumed: Mutex<usize>,
    turn: Condvar,
    stop: AtomicBool,
}

impl Progress {
    /// Block until `index` is within `window` of the consumer (or a stop).
    fn wait_for_room(&self, index: usize, window: usize) {
        let mut consumed = self.consumed.lock().unwrap_or_else(|e| e.into_inner());
        while index >= *consumed + window && !self.stop.load(Ordering::SeqCst) {
            consumed = self.turn.wait(consumed).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn advance(&self, consumed: usize) {
        *self.consumed.lock().unwrap_or_else(|e| e.into_inner()) = consumed;
        self.turn.notify_all();
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.turn.notify_all();
    }
}

/// Compute `work(i)` for every `i` in `0..count` on the pool's threads and
/// hand each result to `consume(i, result)` on this thread, in order of `i`.
pub fn ordered_map<T, E>(
    pool: &rayon::ThreadPool,
    count: usize,
    window: usize,
    work: impl Fn(usize) -> T + Sync,
    mut consume: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
{
    let window = window.max(1);
    let workers = pool.current_num_threads().max(1);
    let next = AtomicUsize::new(0);
    let progress = Progress {
        consumed: Mutex::new(0),
        turn: Condvar::new(),
        stop: AtomicBool::new(false),
    };
    let (sender, receiver) = mpsc::sync_channel::<(usize, T)>(window);
    let mut failure = None;
    pool.in_place_scope(|scope| {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, progress, work) = (&next, &progress, &work);
            scope.spawn(move |_| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if index >= count || progress.stop.load(Ordering::SeqCst) {
                    return;
                }
                progress.wait_for_room(index, window);
                if progress.stop.load(Ordering::SeqCst) {
                    return;
                }
                if sender.send((index, work(index))).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        // results that finish early wait here for their turn
        let mut waiting = BTreeMap::new();
        let mut position = 0;
        'receive: for (index, result) in receiver.iter() {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&position) {
                if let Err(error) = consume(position, result) {
                    failure = Some(error);
                    break 'receive;
                }
                position += 1;
                progress.advance(position);
            }
        }
        // let blocked workers see the stop and leave
        progress.halt();
        drop(receiver);
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::ordered_map;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
    }

    #[test]
    fn results_arrive_in_index_order_whatever_order_they_finish_in() {
        let mut seen = Vec::new();
        let work = |i: usize| {
            // later indices finish first
            std::thread::sleep(Duration::from_millis(((20 - i) % 5) as u64));
            i * 10
        };
        let result: Result<(), ()> = ordered_map(&pool(4), 20, 8, work, |i, value| {
            seen.push((i, value));
            Ok(())
        });
        assert!(result.is_ok());
        let expected: Vec<(usize, usize)> = (0..20).map(|i| (i, i * 10)).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn workers_never_run_more_than_the_window_ahead_of_the_consumer() {
        let consumed = AtomicUsize::new(0);
        let furthest_ahead = AtomicUsize::new(0);
        let work = |i: usize| {
            let ahead = i - consumed.load(Ordering::SeqCst).min(i);
            furthest_ahead.fetch_max(ahead, Ordering::SeqCst);
        };
        let result: Result<(), ()> = ordered_map(&pool(3), 200, 5, work, |i, ()| {
            std::thread::sleep(Duration::from_micros(200));
            consumed.store(i + 1, Ordering::SeqCst);
            Ok(())
        });
        assert!(result.is_ok());
        let ahead = furthest_ahead.load(Ordering::SeqCst);
        assert!(ahead < 5, "a worker started {ahead} ahead of the consumer");
    }

    #[test]
    fn a_consumer_error_stops_the_work_and_is_returned() {
        let started = AtomicUsize::new(0);
        let work = |_: usize| {
            started.fetch_add(1, Ordering::SeqCst);
        };
        let result = ordered_map(&pool(2), 10_000, 4, work, |i, ()| {
            if i == 3 {
                Err(format!("disk full at {i}"))
            } else {
                Ok(())
            }
        });
        assert_eq!(result, Err("disk full at 3".to_string()));
        let started = started.load(Ordering::SeqCst);
        assert!(started < 20, "{started} documents started after the error");
    }
}
