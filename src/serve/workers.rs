//! One single-threaded runtime per core, each serving the connections the acceptor hands it in
//! turn.
//!
//! A search is a few hundred microseconds of computing and no waiting, so a connection gains
//! nothing from moving between cores. Under tokio's work-stealing runtime, requests were served
//! out of their order of arrival, which widens the latency's tail; with a runtime per core and
//! the connections dealt out evenly, each core serves its requests in turn, for the same
//! throughput (BENCHMARKS.md, "Search: throughput and latency"). actix-web and nginx's own
//! workers are built the same way.
//!
//! Each worker asks the kernel for short time slices ([`ask_for_short_slices`]), and gives its
//! core away before each request ([`give_way`]).
//!
//! `workers` owns threads and connections. It must not know what the routes do.

use axum::extract::Request;
use axum::Router;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tower::util::MapRequestLayer;

use super::connections::{self, Slot};
use super::Limits;

/// The time slice a worker asks for: the shortest Linux grants is 0.1 ms, the default about 3.
const SLICE_NS: u64 = 100_000;

/// The running workers.
pub(super) struct Workers {
    inboxes: Vec<mpsc::UnboundedSender<(std::net::TcpStream, Slot)>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    stop: watch::Sender<bool>,
    next: usize,
}

impl Workers {
    /// Starts `count` workers (at least one), each serving `app` with `limits`.
    pub fn start(app: &Router, limits: Limits, count: usize) -> std::io::Result<Workers> {
        let (stop, stopped) = watch::channel(false);
        let mut workers = Workers {
            inboxes: Vec::new(),
            threads: Vec::new(),
            stop,
            next: 0,
        };
        let app = app.clone().layer(MapRequestLayer::new(give_way));
        for n in 0..count.max(1) {
            let (inbox, connections) = mpsc::unbounded_channel();
            let (app, stopped) = (app.clone(), stopped.clone());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let thread = std::thread::Builder::new()
                .name(format!("search-{n}"))
                .spawn(move || {
                    ask_for_short_slices();
                    runtime.block_on(work(connections, app, limits, stopped));
                })?;
            workers.inboxes.push(inbox);
            workers.threads.push(thread);
        }
        Ok(workers)
    }

    /// Gives an accepted connection, and its place at the gate, to the next worker in turn.
    pub fn hand(&mut self, connection: TcpStream, slot: Slot) {
        let Ok(connection) = connection.into_std() else {
            return;
        };
        // A worker's inbox closes only when its thread has ended, which `stop` reports.
        let _ = self.inboxes[self.next].send((connection, slot));
        self.next = (self.next + 1) % self.inboxes.len();
    }

    /// Lets each worker finish the requests in flight, then waits for it to end.
    pub fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        drop(self.inboxes);
        for thread in self.threads {
            thread
                .join()
                .map_err(|_| std::io::Error::other("a search worker panicked"))?;
        }
        Ok(())
    }
}

/// One worker: serves each connection of its inbox until told to stop, then lets the requests
/// in flight finish.
async fn work(
    mut inbox: mpsc::UnboundedReceiver<(std::net::TcpStream, Slot)>,
    app: Router,
    limits: Limits,
    stopped: watch::Receiver<bool>,
) {
    // Every connection holds a sender: once all are dropped, `ended` says so.
    let (alive, mut ended) = mpsc::channel::<()>(1);
    let mut stopping = stopped.clone();
    loop {
        tokio::select! {
            received = inbox.recv() => {
                let Some((connection, slot)) = received else { break };
                // Registered with this worker's runtime; a connection already closed is skipped.
                let Ok(connection) = TcpStream::from_std(connection) else {
                    continue;
                };
                let (app, stop, alive) = (app.clone(), stopped.clone(), alive.clone());
                tokio::spawn(async move {
                    connections::serve(connection, slot, app, limits, stop).await;
                    drop(alive);
                });
            }
            _ = stopping.wait_for(|stop| *stop) => break,
        }
    }
    drop(alive);
    let _ = ended.recv().await;
}

/// Asks the kernel to run the calling thread in short slices, when it can (Linux 6.12 and
/// later); returns whether it agreed.
///
/// Under load a worker computes without pause. A process that shares its core and wakes up
/// (nginx in front of it, another replica, the load generator of the benchmark) then waits for
/// the worker's slice to end, up to about 3 ms. That wait lands on the requests it relays, so
/// it shows in the tail of their latency; short slices bound it without costing throughput. The
/// thread keeps its policy and nice value; only the slice changes.
#[cfg(target_os = "linux")]
fn ask_for_short_slices() -> bool {
    let normal = [libc::SCHED_OTHER, libc::SCHED_BATCH].map(|p| p as u32);
    let Some(mut attr) = scheduling().filter(|a| normal.contains(&a.sched_policy)) else {
        return false;
    };
    attr.sched_runtime = SLICE_NS;
    // SAFETY: `attr` is a `sched_attr` of the size it declares; thread 0 is the calling thread.
    unsafe { libc::syscall(libc::SYS_sched_setattr, 0, &attr, 0) == 0 }
}

/// Lets any thread waiting for this worker's core run first (`sched_yield`), then passes the
/// request on.
///
/// Without the scheduler's high-resolution tick (off unless asked for), a slice that has run out
/// ends only at the next timer tick, every 4 ms at 250 Hz (a common kernel setting), so a process
/// woken on a busy worker's core (the load generator, nginx) could still wait that long.
/// A worker that gives way between requests makes it wait one request at most, which shortens
/// the tail of the latency; with none waiting, the call returns at once (BENCHMARKS.md, "Search:
/// throughput and latency").
fn give_way<B>(request: Request<B>) -> Request<B> {
    std::thread::yield_now();
    request
}

/// How the kernel schedules the calling thread.
#[cfg(target_os = "linux")]
fn scheduling() -> Option<libc::sched_attr> {
    let size = std::mem::size_of::<libc::sched_attr>();
    let mut attr = libc::sched_attr {
        size: size as u32,
        sched_policy: 0,
        sched_flags: 0,
        sched_nice: 0,
        sched_priority: 0,
        sched_runtime: 0,
        sched_deadline: 0,
        sched_period: 0,
    };
    // SAFETY: `attr` is a `sched_attr` of the size passed; thread 0 is the calling thread.
    let read = unsafe { libc::syscall(libc::SYS_sched_getattr, 0, &mut attr, size, 0) };
    (read == 0).then_some(attr)
}

#[cfg(not(target_os = "linux"))]
fn ask_for_short_slices() -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_worker_thread_that_gets_short_slices_keeps_its_policy_and_nice_value() {
        std::thread::spawn(|| {
            let before = scheduling().expect("the thread's scheduling");
            let agreed = ask_for_short_slices();
            let after = scheduling().expect("the thread's scheduling");
            // An older kernel refuses, and then nothing changes.
            let slice = if agreed {
                SLICE_NS
            } else {
                before.sched_runtime
            };
            assert_eq!(after.sched_runtime, slice);
            assert_eq!(after.sched_policy, before.sched_policy);
            assert_eq!(after.sched_nice, before.sched_nice);
        })
        .join()
        .unwrap();
    }
}
