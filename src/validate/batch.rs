//! Validating many objects on every core, while they are still being produced.
//!
//! [`validate_streaming`] gives its producer a [`Feed`]: each object pushed there
//! joins a block, and a full block goes to worker threads (one fewer than the cores)
//! that validate it while the producer goes on: rendering and validation overlap. When the producer is done, its own thread
//! takes the remaining blocks too. Each thread has its own
//! [`Validator::for_batch`](super::Validator), so values repeated across the objects
//! it sees are judged once; the reports come back in the order the objects were
//! pushed, whatever the threads' timing.
//!
//! Contact points: [`super::Validator`] judges each object; the CLI
//! (`crate::cli::validate`) feeds objects as it reads or renders them;
//! [`validate_all`] is the same for objects all at hand.

use std::borrow::BorrowMut;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::{Report, Validator};
use crate::model::Kind;

/// Objects handed to a thread at a time.
const BLOCK: usize = 16;

/// Stack of each worker thread (reserved, not committed): schema-less parts of an
/// object (`x-kubernetes-preserve-unknown-fields`) are converted recursively, however
/// deep they nest.
const THREAD_STACK: usize = 256 << 20;

/// One object to validate: its place in the order of pushing, its kind, the object,
/// and what the caller wants back with its report.
type Item<'k, O, T> = (usize, &'k Kind, O, T);

/// What a thread gives back: each of its objects' place, tag and report.
type Done<T> = Vec<(usize, T, Report)>;

/// Where a producer pushes the objects to validate ([`validate_streaming`]).
pub struct Feed<'k, O, T> {
    /// The block being filled.
    block: Vec<Item<'k, O, T>>,
    /// Objects pushed so far.
    pushed: usize,
    sender: Sender<Vec<Item<'k, O, T>>>,
}

impl<'k, O, T> Feed<'k, O, T> {
    /// Queues `object` (of `kind`) for validation; `tag` comes back with its report.
    pub fn push(&mut self, kind: &'k Kind, object: O, tag: T) {
        self.block.push((self.pushed, kind, object, tag));
        self.pushed += 1;
        if self.block.len() == BLOCK {
            let block = std::mem::replace(&mut self.block, Vec::with_capacity(BLOCK));
            // The receiver lives as long as the feed: sending cannot fail.
            let _ = self.sender.send(block);
        }
    }
}

/// A thread's share: takes blocks until the queue is closed and empty. Its validator
/// is built when it takes its first block.
fn work<O: BorrowMut<Value>, T>(receiver: &Mutex<Receiver<Vec<Item<'_, O, T>>>>) -> Done<T> {
    let mut validator = None;
    let mut done = Vec::new();
    loop {
        let block = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(block) = block else {
            return done;
        };
        let v = validator.get_or_insert_with(Validator::for_batch);
        for (i, kind, mut object, tag) in block {
            let report = v.check_kind(kind, object.borrow_mut());
            // Each object is freed by the thread that checked it, while others go on.
            drop(object);
            done.push((i, tag, report));
        }
    }
}

/// Runs `produce` with a [`Feed`] and validates what it pushes, on worker threads
/// while it runs and on every core once it has returned. Each object is validated
/// with its kind ([`super::Validator::validate_kind`]), changed into what the API
/// server would store (pruned, defaulted) and then dropped. Gives back what `produce`
/// returned and each object's tag with its report, in the order of pushing.
pub fn validate_streaming<'k, O, T, R>(
    produce: impl FnOnce(&mut Feed<'k, O, T>) -> R,
) -> (R, Vec<(T, Report)>)
where
    O: BorrowMut<Value> + Send,
    T: Send,
{
    let (sender, receiver) = mpsc::channel();
    let receiver = Mutex::new(receiver);
    // The producer's thread is the last worker, once it has produced everything.
    let workers = std::thread::available_parallelism().map_or(1, usize::from) - 1;
    std::thread::scope(|scope| {
        // An idle worker costs its start only: its validator is built with its first block.
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                let receiver = &receiver;
                // A thread that cannot be started leaves its share to the others.
                std::thread::Builder::new()
                    .stack_size(THREAD_STACK)
                    .spawn_scoped(scope, move || work(receiver))
                    .ok()
            })
            .collect();
        let mut feed = Feed {
            block: Vec::with_capacity(BLOCK),
            pushed: 0,
            sender,
        };
        let produced = produce(&mut feed);
        let Feed { block, sender, .. } = feed;
        let _ = sender.send(block);
        // Without a sender the workers stop once the queue is empty.
        drop(sender);
        let mut all = work(&receiver);
        for handle in handles {
            match handle.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all.sort_unstable_by_key(|(i, ..)| *i);
        let reports = all
            .into_iter()
            .map(|(_, tag, report)| (tag, report))
            .collect();
        (produced, reports)
    })
}

/// Validates each object with its kind ([`super::Validator::validate_kind`]) on every
/// core ([`validate_streaming`]), changing each into what the API server would store
/// (pruned, defaulted; its `apiVersion`, `kind` and `metadata` name and namespace stay
/// as they were), which spares a copy of it. The reports come in the order of
/// `objects`.
pub fn validate_all(objects: &mut [(&Kind, &mut Value)]) -> Vec<Report> {
    let ((), reports) = validate_streaming(|feed| {
        for (kind, object) in objects.iter_mut() {
            feed.push(kind, &mut **object, ());
        }
    });
    reports.into_iter().map(|((), r)| r).collect()
}
