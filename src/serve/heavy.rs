//! The lane of heavy searches ([`crate::search::SearchRequest::is_heavy`]): one thread of its
//! own at the lowest priority, which computes them one after the other, so that the workers go
//! on answering the light ones.
//!
//! A worker answers its requests in turn, so a heavy search computed on it makes every request
//! behind it wait: a few clients sending the costliest search the caps allow, several times a
//! typical one's cost, multiplied the others' latency. Taking turns on the workers, one heavy
//! search at a time, still left the tail long: a light search waited for the heavy one in
//! progress. On this lane, the kernel gives the workers the cores first (BENCHMARKS.md, "Servers
//! under hostile clients").
//!
//! `heavy` owns the lane's thread. It must not know what a search does.

use std::sync::mpsc;

/// Work sent to the lane.
type Job = Box<dyn FnOnce() + Send>;

/// The lane: its thread ends when the lane is dropped.
pub(super) struct Lane {
    jobs: mpsc::Sender<Job>,
}

impl Lane {
    /// Starts the lane's thread; `None` when the system refuses a thread.
    pub fn start() -> Option<Lane> {
        let (jobs, received) = mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("search-heavy".to_owned())
            .spawn(move || {
                // The thread's own nice value, on Linux: 19, the lowest priority.
                let _ = rustix::process::setpriority_process(None, 19);
                for job in received {
                    job();
                }
            })
            .ok()?;
        Some(Lane { jobs })
    }

    /// Runs `work` on the lane, after the work sent before it; `None` if the lane has stopped.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.send(job).ok()?;
        result.await.ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_lane_in_the_order_it_was_sent() {
        let lane = Lane::start().unwrap();
        let here = std::thread::current().id();
        let (first, second) = tokio::join!(
            lane.run(move || (
                std::thread::current().id() != here,
                std::time::Instant::now()
            )),
            lane.run(std::time::Instant::now),
        );
        let (elsewhere, first) = first.unwrap();
        assert!(elsewhere);
        assert!(first <= second.unwrap());
    }
}
