//! Ctrl-C and SIGTERM during a long write: the first asks the work to stop cleanly between
//! requests (so it can say what was written and how to finish or undo it), a second one ends
//! the process at once. Commands that only read keep the default: a signal ends them.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::signal::unix::{SignalKind, signal};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Catch SIGINT and SIGTERM from now on. Call from within the runtime, before the work starts.
pub fn catch() {
    for kind in [SignalKind::interrupt(), SignalKind::terminate()] {
        let Ok(mut stream) = signal(kind) else { continue };
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                if REQUESTED.swap(true, Ordering::SeqCst) {
                    // Asked twice: the person wants out now.
                    std::process::exit(i32::from(crate::Exit::Interrupted.code()));
                }
                crate::error::note("stopping after the requests in flight (press Ctrl-C again to stop at once)");
            }
        });
    }
}

/// Whether a stop was asked for.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}
