//! A search's deadline: past it, the search stops where it is and says so, so that one costly
//! query cannot hold a server's worker (its requests are computed without a pause, which no
//! timeout around them can cut).
//!
//! The search's loops look at the clock as they go, each as seldom as its steps allow: once a
//! correction candidate, once a segment, once every few thousand documents of the walk, once a
//! page of hits. A look costs about what scoring one document does.
//!
//! `deadline` owns the clock. It must not know what the loops compute.

use std::time::Instant;

/// A search went on past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the search ran past its deadline")]
pub struct PastDeadline;

/// When a search must stop, if ever.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deadline(pub Option<Instant>);

impl Deadline {
    /// Whether the deadline has passed, looking at the clock.
    pub fn check(&self) -> Result<(), PastDeadline> {
        match self.0 {
            Some(at) if Instant::now() >= at => Err(PastDeadline),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_deadline_never_passes() {
        assert_eq!(Deadline(None).check(), Ok(()));
    }

    #[test]
    fn a_deadline_passes_at_its_instant() {
        assert_eq!(Deadline(Some(Instant::now())).check(), Err(PastDeadline));
        let later = Instant::now() + std::time::Duration::from_secs(60);
        assert_eq!(Deadline(Some(later)).check(), Ok(()));
    }
}
