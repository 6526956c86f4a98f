//! One single-threaded runtime per core, each serving the connections the acceptor hands it in
//! turn.
//!
//! A search is a few hundred microseconds of computing and no waiting, so a connection gains
//! nothing from moving between cores. Under tokio's work-stealing runtime, requests were served
//! out of their order of arrival. At 64 busy connections the slowest 1 % took 1.6× the mean
//! latency. With a runtime per core and the connections dealt out evenly, it is about 1.35×, at
//! the same throughput (BENCHMARKS.md, "Search round 5"). actix-web and nginx's own workers are
//! built the same way.
//!
//! `workers` owns threads and connections. It must not know what the routes do.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};

/// The running workers.
pub(super) struct Workers {
    inboxes: Vec<mpsc::UnboundedSender<std::net::TcpStream>>,
    threads: Vec<std::thread::JoinHandle<std::io::Result<()>>>,
    stop: watch::Sender<bool>,
    next: usize,
}

impl Workers {
    /// Starts `count` workers (at least one), each serving `app` for the listener on `addr`.
    pub fn start(app: &Router, addr: SocketAddr, count: usize) -> std::io::Result<Workers> {
        let (stop, stopped) = watch::channel(false);
        let mut workers = Workers {
            inboxes: Vec::new(),
            threads: Vec::new(),
            stop,
            next: 0,
        };
        for n in 0..count.max(1) {
            let (inbox, connections) = mpsc::unbounded_channel();
            let (app, mut stopped) = (app.clone(), stopped.clone());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let thread = std::thread::Builder::new()
                .name(format!("search-{n}"))
                .spawn(move || {
                    let inbox = Inbox { connections, addr };
                    runtime.block_on(async move {
                        axum::serve(inbox, app)
                            .with_graceful_shutdown(async move {
                                let _ = stopped.wait_for(|stop| *stop).await;
                            })
                            .await
                    })
                })?;
            workers.inboxes.push(inbox);
            workers.threads.push(thread);
        }
        Ok(workers)
    }

    /// Gives an accepted connection to the next worker in turn.
    pub fn hand(&mut self, connection: TcpStream) {
        let Ok(connection) = connection.into_std() else {
            return;
        };
        // A worker's inbox closes only when its thread has ended, which `stop` reports.
        let _ = self.inboxes[self.next].send(connection);
        self.next = (self.next + 1) % self.inboxes.len();
    }

    /// Lets each worker finish the requests in flight, then waits for it to end.
    pub fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        drop(self.inboxes);
        for thread in self.threads {
            thread
                .join()
                .map_err(|_| std::io::Error::other("a search worker panicked"))??;
        }
        Ok(())
    }
}

/// The connections handed to one worker, as axum's listener.
struct Inbox {
    connections: mpsc::UnboundedReceiver<std::net::TcpStream>,
    /// The address the acceptor listens on.
    addr: SocketAddr,
}

impl axum::serve::Listener for Inbox {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        while let Some(connection) = self.connections.recv().await {
            // Registered with this worker's runtime; a connection already closed is skipped.
            let Ok(connection) = TcpStream::from_std(connection) else {
                continue;
            };
            if let Ok(peer) = connection.peer_addr() {
                return (connection, peer);
            }
        }
        // No more connections will come: the server is stopping.
        std::future::pending().await
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.addr)
    }
}
