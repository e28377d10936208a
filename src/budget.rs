//! The time budget of one document: a wall-clock deadline the readers
//! keep to, so that no file takes a batch hours however it is built.
//!
//! - [`within`] runs one document's work with a deadline `seconds` from
//!   now on this thread. The work calls [`check`] at the points where it
//!   loops (a PDF's content operators and pages, a scan's pages, a table's
//!   rows, between stages); past the deadline, `check` unwinds out of the
//!   work, without the panic hook's message, and `within` returns
//!   [`TimeUp`]. Nothing of the document is kept: it is `failed`, the
//!   limit named (`--limit doc-seconds=…`), and the batch goes on.
//! - An external program (pdftoppm, Tesseract, LibreOffice) started by a
//!   document is given at most the budget's [`remaining`] time, and is
//!   killed when that runs out ([`crate::external::run`]).
//! - Outside [`within`] (the library's `process_bytes`, tests), there is no
//!   deadline and `check` costs one thread-local read.
//!
//! A document's result does not depend on its budget when it ends within
//! it, so the budget is not part of the run cache's key; a document that
//! ran out of time is not stored in the cache, and is tried again next run.

use std::cell::Cell;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// A document's work ran past its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeUp {
    /// The budget, in seconds.
    pub seconds: u64,
}

impl std::fmt::Display for TimeUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not read within the {}-second limit (--limit doc-seconds=…): nothing of it is kept",
            self.seconds
        )
    }
}

/// Run `work` with a deadline `seconds` from now (0: none). A panic that
/// is not the deadline's goes on unwinding to the caller's handler.
pub fn within<T>(seconds: u64, work: impl FnOnce() -> T) -> Result<T, TimeUp> {
    let deadline = (seconds > 0).then(|| Instant::now() + Duration::from_secs(seconds));
    let outer = DEADLINE.with(|d| d.replace(deadline));
    let outcome = catch_unwind(AssertUnwindSafe(work));
    DEADLINE.with(|d| d.set(outer));
    match outcome {
        Ok(value) => Ok(value),
        Err(payload) => match payload.downcast::<Expired>() {
            Ok(_) => Err(TimeUp { seconds }),
            Err(other) => resume_unwind(other),
        },
    }
}

/// The payload [`check`] unwinds with.
struct Expired;

/// Unwind out of the document's work when its deadline has passed.
pub fn check() {
    if expired() {
        resume_unwind(Box::new(Expired));
    }
}

/// Whether this thread's document has run past its deadline.
pub fn expired() -> bool {
    DEADLINE
        .with(|d| d.get())
        .is_some_and(|at| Instant::now() >= at)
}

/// This thread's document's deadline, to hand to the threads that do
/// part of its work ([`under`]).
pub fn deadline() -> Option<Instant> {
    DEADLINE.with(|d| d.get())
}

/// Run `work` (part of a document's, on another thread: a scanned page)
/// under the document's `deadline`: [`check`] and [`remaining`] keep to it
/// there too, and a [`check`] past it unwinds to the document's
/// [`within`] through the thread pool that joins the parts.
pub fn under<T>(deadline: Option<Instant>, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DEADLINE.with(|d| d.replace(deadline)));
    work()
}

/// The time left to this thread's document (`None`: no deadline).
pub fn remaining() -> Option<Duration> {
    DEADLINE
        .with(|d| d.get())
        .map(|at| at.saturating_duration_since(Instant::now()))
}

/// `check` every `every` calls of [`Ticker::tick`]: for loops whose steps
/// are too small to read the clock at each.
pub struct Ticker {
    count: u32,
    every: u32,
}

impl Ticker {
    pub fn new(every: u32) -> Ticker {
        Ticker {
            count: 0,
            every: every.max(1),
        }
    }

    pub fn tick(&mut self) {
        self.count += 1;
        if self.count >= self.every {
            self.count = 0;
            check();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages read on a pool's threads keep the document's deadline: one
    /// past it unwinds out of the pool to the document's `within`.
    #[test]
    fn parts_on_other_threads_keep_the_documents_deadline() {
        use rayon::prelude::*;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let stopped = within(1, || {
            let deadline = deadline();
            assert!(deadline.is_some());
            pool.install(|| {
                (0..4).into_par_iter().for_each(|_| {
                    under(deadline, || loop {
                        std::thread::sleep(Duration::from_millis(50));
                        check();
                    })
                })
            })
        });
        assert_eq!(stopped, Err(TimeUp { seconds: 1 }));
        assert_eq!(deadline(), None);
    }

    #[test]
    fn work_past_its_deadline_is_stopped_and_named() {
        let stopped = within(1, || loop {
            std::thread::sleep(Duration::from_millis(50));
            check();
        });
        assert_eq!(stopped, Err(TimeUp { seconds: 1 }));
        // the deadline ends with the work
        assert_eq!(remaining(), None);
        check();
    }

    #[test]
    fn work_within_its_deadline_gives_its_value() {
        assert_eq!(within(60, || 7), Ok(7));
        assert_eq!(within(0, remaining), Ok(None));
        assert!(within(60, remaining).unwrap().unwrap() > Duration::from_secs(59));
    }

    #[test]
    fn another_panic_goes_on_unwinding() {
        let caught = catch_unwind(|| within(60, || panic!("a fault")));
        assert!(caught.is_err());
    }
}
