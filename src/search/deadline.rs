//! A search's deadline: past it, the search stops where it is and says so, so that one costly
//! query cannot hold a server's worker (its requests are computed without a pause, which no
//! timeout around them can cut).
//!
//! The search's loops ask as they go: a loop over a few costly steps (a clause, a candidate
//! correction, a hit) looks at the clock at each, and the walk over the documents every
//! [`STEPS_BETWEEN_LOOKS`] documents, which keeps the cost of asking out of sight.
//!
//! `deadline` owns the clock. It must not know what the loops compute.

use std::cell::Cell;
use std::time::Instant;

/// Documents the walk scores between two looks at the clock: a look costs about as much as
/// scoring one document, and 256 documents take a few tens of microseconds at most.
const STEPS_BETWEEN_LOOKS: u32 = 256;

/// A search went on past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the search ran past its deadline")]
pub struct PastDeadline;

/// When a search must stop, if ever.
#[derive(Debug)]
pub(super) struct Deadline {
    at: Option<Instant>,
    /// Steps left before the next look at the clock.
    countdown: Cell<u32>,
}

impl Deadline {
    /// A deadline at `at`, or none.
    pub fn new(at: Option<Instant>) -> Deadline {
        Deadline {
            at,
            countdown: Cell::new(STEPS_BETWEEN_LOOKS),
        }
    }

    /// Whether the deadline has passed, looking at the clock.
    pub fn check(&self) -> Result<(), PastDeadline> {
        match self.at {
            Some(at) if Instant::now() >= at => Err(PastDeadline),
            _ => Ok(()),
        }
    }

    /// One step of a long loop: looks at the clock once every [`STEPS_BETWEEN_LOOKS`] steps.
    #[inline]
    pub fn step(&self) -> Result<(), PastDeadline> {
        let left = self.countdown.get();
        if left > 0 {
            self.countdown.set(left - 1);
            return Ok(());
        }
        self.countdown.set(STEPS_BETWEEN_LOOKS);
        self.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_passes() {
        let deadline = Deadline::new(None);
        for _ in 0..2 * STEPS_BETWEEN_LOOKS {
            assert_eq!(deadline.step(), Ok(()));
        }
        assert_eq!(deadline.check(), Ok(()));
    }

    #[test]
    fn a_passed_deadline_is_seen_at_once_by_a_check_and_within_a_round_of_steps() {
        let deadline = Deadline::new(Some(Instant::now()));
        assert_eq!(deadline.check(), Err(PastDeadline));
        let stopped = (0..=STEPS_BETWEEN_LOOKS).find(|_| deadline.step().is_err());
        assert!(stopped.is_some());
    }
}
