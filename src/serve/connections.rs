//! The life of a connection, on both servers (`cong search-server` and `cong serve`): how many
//! may be open at once, how long a client may take to send its request or to read the answer,
//! and HTTP/1.1 over it (hyper's own connection, with a timer).
//!
//! A client can hold a connection without ever finishing a request (one byte a second, or
//! nothing at all), or ask and never read the answer. Each such connection holds a file
//! descriptor, and once the process runs out of them `accept` fails for everyone. So the
//! descriptor limit is raised to what the system allows, connections are capped below it, a
//! new connection over the cap takes the place of the oldest one that is not being answered
//! (or is closed at once when every one is), and a head that does not arrive, or an answer that
//! is not read, in time closes its connection.
//!
//! `connections` owns descriptors, timeouts and the protocol. It must not know what the routes
//! do (that is `serve` and `live`).

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt as _;

use super::Limits;

/// How long a client may take to send a request's head, from the moment the server waits for
/// it: from the opening of the connection, or from the end of the previous answer on a
/// kept-alive one. So it is also how long a kept-alive connection may stay idle. Browsers and
/// nginx send a head in one packet; a client that trickles it (one byte a second) holds its
/// connection this long at most. nginx retries a request on a new connection when the server
/// has just closed the idle one it picked.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a write may wait for a client that does not read its answer before the connection
/// is closed: an answer is at most a few hundred kilobytes, which any reading client takes in
/// well within it.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Descriptors kept for everything but the connections: the standard streams, the listener,
/// each runtime's epoll and wake-up descriptors, the index's files when a new build is opened,
/// the watcher of `cong serve`.
const RESERVED_DESCRIPTORS: u64 = 64;
/// The most connections open at once, whatever the descriptor limit: nginx in front keeps a few
/// dozen, and thousands of idle ones already cost tens of megabytes of buffers.
const MAX_CONNECTIONS: usize = 4096;
/// Connections the kernel holds for the acceptor (the listen backlog; the kernel caps it at
/// `net.core.somaxconn`, 4,096 by default). When a burst of new connections overflows it, their
/// first packets are dropped and the clients retry only a second later: with tokio's 1,024, a
/// search sent beside 2,000 connections opening at once took 1.03 s.
const BACKLOG: u32 = 4096;
/// How long the acceptor waits after `accept` itself failed (the cap keeps the process below
/// its descriptor limit, so this is another process's doing, or the kernel's).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// Raises the soft limit on open descriptors to the hard one, where it can, and returns the
/// connections that fit below it when each costs `descriptors_each`, keeping
/// [`RESERVED_DESCRIPTORS`], at most [`MAX_CONNECTIONS`].
pub(crate) fn cap(descriptors_each: u64) -> usize {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.maximum.is_some() && limit.current != limit.maximum {
        // An unlimited hard limit is left alone: the kernel refuses to set it as the soft one.
        let raised = Rlimit {
            current: limit.maximum,
            maximum: limit.maximum,
        };
        let _ = setrlimit(Resource::Nofile, raised);
    }
    let descriptors = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
    let fit = descriptors.saturating_sub(RESERVED_DESCRIPTORS) / descriptors_each.max(1);
    usize::try_from(fit)
        .unwrap_or(usize::MAX)
        .clamp(1, MAX_CONNECTIONS)
}

/// The connections open, at most `cap` of them.
#[derive(Clone)]
pub(crate) struct Gate {
    open: Arc<Mutex<Open>>,
}

struct Open {
    cap: usize,
    /// The number the next connection gets: connections are kept in the order they came.
    next: u64,
    connections: BTreeMap<u64, Arc<Held>>,
}

/// What the gate knows of one open connection.
#[derive(Default)]
struct Held {
    /// Set while a request of it is being answered.
    answering: AtomicBool,
    /// Told when the gate closes it to make room.
    evicted: Notify,
}

impl Open {
    /// Closes the oldest connection that is not being answered; returns whether there was one.
    fn evict_one(&mut self) -> bool {
        let Some(id) = self
            .connections
            .iter()
            .find(|(_, held)| !held.answering.load(Ordering::Relaxed))
            .map(|(id, _)| *id)
        else {
            return false;
        };
        if let Some(held) = self.connections.remove(&id) {
            held.evicted.notify_one();
        }
        true
    }
}

impl Gate {
    /// A gate for at most `cap` connections.
    pub fn new(cap: usize) -> Gate {
        Gate {
            open: Arc::new(Mutex::new(Open {
                cap,
                next: 0,
                connections: BTreeMap::new(),
            })),
        }
    }

    fn open(&self) -> std::sync::MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A place for a new connection, taken from the oldest one not being answered when all are
    /// taken; `None` when every open connection is being answered.
    pub fn admit(&self) -> Option<Slot> {
        let mut open = self.open();
        if open.connections.len() >= open.cap && !open.evict_one() {
            return None;
        }
        let id = open.next;
        open.next += 1;
        let held = Arc::new(Held::default());
        open.connections.insert(id, held.clone());
        Some(Slot {
            id,
            held,
            gate: self.clone(),
        })
    }
}

/// An open connection's place at the gate, given back when it is dropped.
pub(crate) struct Slot {
    id: u64,
    held: Arc<Held>,
    gate: Gate,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.gate.open().connections.remove(&self.id);
    }
}

/// Marks a connection as being answered for as long as it lives.
struct Answering(Arc<Held>);

impl Answering {
    fn new(held: &Arc<Held>) -> Answering {
        held.answering.store(true, Ordering::Relaxed);
        Answering(held.clone())
    }
}

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.answering.store(false, Ordering::Relaxed);
    }
}

/// A listener on `addr`, with a backlog of [`BACKLOG`].
pub(crate) fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        std::net::SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // As the standard library's own listeners: a restarted server can bind at once.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Accepts connections on `listener` until ctrl-c or SIGTERM, handing each one `gate` admits
/// to `hand`; a connection it does not admit is closed at once.
pub(crate) async fn accept(
    listener: &TcpListener,
    gate: &Gate,
    mut hand: impl FnMut(TcpStream, Slot),
) {
    let stopping = super::shutdown();
    tokio::pin!(stopping);
    // Whether the last `accept` failed: a failure is reported once, not once a retry.
    let mut failing = false;
    loop {
        tokio::select! {
            () = &mut stopping => return,
            accepted = listener.accept() => match accepted {
                Ok((connection, _)) => {
                    failing = false;
                    if let Some(slot) = gate.admit() {
                        hand(connection, slot);
                    }
                }
                Err(e) if is_connection_error(&e) => {}
                Err(e) => {
                    if !failing {
                        eprintln!("error: cannot accept a connection: {e}");
                        failing = true;
                    }
                    gate.open().evict_one();
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
        }
    }
}

/// An error of one connection (it closed before it was accepted), not of the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    )
}

/// Serves `app` over `connection` until the client closes it, a timeout or the gate closes it,
/// or, once `stop` turns true, its request in flight is answered.
pub(crate) async fn serve(
    connection: TcpStream,
    slot: Slot,
    app: Router,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let mut stream = TimeoutStream::new(connection);
    stream.set_write_timeout(Some(limits.write));
    let held = slot.held.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let answering = Answering::new(&held);
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await;
            drop(answering);
            Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
        }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .serve_connection(TokioIo::new(Box::pin(stream)), service);
    tokio::pin!(connection);
    let evicted = slot.held.evicted.notified();
    tokio::pin!(evicted);
    let mut stopping = false;
    loop {
        tokio::select! {
            // An error is the client's doing (it went away, sent garbage, or was too slow).
            _ = connection.as_mut() => return,
            () = &mut evicted => return,
            _ = stop.wait_for(|stop| *stop), if !stopping => {
                connection.as_mut().graceful_shutdown();
                stopping = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_over_the_cap_takes_the_place_of_the_oldest_one_not_being_answered() {
        let gate = Gate::new(2);
        let first = gate.admit().unwrap();
        let second = gate.admit().unwrap();
        let _answering = Answering::new(&first.held);
        let _third = gate.admit().expect("the second one is idle: it makes room");
        assert_eq!(gate.open().connections.len(), 2);
        assert!(!gate.open().connections.contains_key(&second.id));
        assert!(gate.open().connections.contains_key(&first.id));
    }

    #[test]
    fn a_connection_over_the_cap_is_refused_when_every_open_one_is_being_answered() {
        let gate = Gate::new(1);
        let first = gate.admit().unwrap();
        let _answering = Answering::new(&first.held);
        assert!(gate.admit().is_none());
    }

    #[test]
    fn a_closed_connection_gives_its_place_back() {
        let gate = Gate::new(1);
        drop(gate.admit().unwrap());
        assert!(gate.admit().is_some());
    }

    #[test]
    fn the_cap_stays_below_the_descriptor_limit() {
        let cap = cap(1) as u64;
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile);
        let soft = limit.current.unwrap_or(u64::MAX);
        assert!(
            cap <= soft.saturating_sub(RESERVED_DESCRIPTORS).max(1),
            "{cap} {soft}"
        );
        assert!(cap as usize <= MAX_CONNECTIONS);
    }
}
