//! Validating many objects on every core, while they are still being produced.
//!
//! [`validate_streaming`] gives its producer a [`Feed`]: each item pushed there (a
//! rendered part of a result, a document read) joins a block, and a full block goes to
//! worker threads (one fewer than the cores) while the producer goes on: rendering and
//! validation overlap. A worker unpacks each item into the objects in it, each with
//! its kind, then validates them. When the producer is done, its own thread takes the
//! remaining blocks too. Each thread has its own
//! [`Validator::for_batch`](super::Validator), so values repeated across the objects
//! it sees are judged once; the reports come back in the order of the items and of
//! the objects in each, whatever the threads' timing.
//!
//! Contact points: [`super::Validator`] judges each object; the validation service
//! ([`super::service`], for the CLI) feeds what it reads or renders and says how to
//! unpack it; [`validate_all`] is the same for objects all at hand.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Mutex, PoisonError};

use serde_json::Value;

use super::{Report, Validator};
use crate::model::Kind;

/// Items handed to a thread at a time.
const BLOCK: usize = 16;

/// Stack of each worker thread (reserved, not committed): schema-less parts of an
/// object (`x-kubernetes-preserve-unknown-fields`) are converted recursively, however
/// deep they nest, and so is rendered JSON read back.
const THREAD_STACK: usize = 256 << 20;

/// The objects a worker finds in one item: each with its kind (`None`: unknown, not
/// checked) and what the caller wants back with its report.
pub type Unpacked<'k, T> = Vec<(Option<&'k Kind>, Value, T)>;

/// Items with their place in the order of pushing.
type Block<I> = Vec<(usize, I)>;

/// What a thread gives back: each object's place (item, then object within it), tag
/// and report.
type Done<T> = Vec<((usize, usize), T, Option<Report>)>;

/// Where a producer pushes the items to validate ([`validate_streaming`]).
pub struct Feed<I> {
    /// The block being filled.
    block: Block<I>,
    /// Items pushed so far.
    pushed: usize,
    sender: Sender<Block<I>>,
}

impl<I> Feed<I> {
    /// Queues `item` for unpacking and validation.
    pub fn push(&mut self, item: I) {
        self.block.push((self.pushed, item));
        self.pushed += 1;
        if self.block.len() == BLOCK {
            let block = std::mem::replace(&mut self.block, Vec::with_capacity(BLOCK));
            // The receiver lives as long as the feed: sending cannot fail.
            let _ = self.sender.send(block);
        }
    }
}

/// A thread's share: takes blocks until the queue is closed and empty, unpacks each
/// item with its own unpacker (made by `unpacker` with the first block, as is its
/// validator) and validates the objects of known kinds, freeing each once checked.
fn work<'k, I, T, U>(
    receiver: &Mutex<Receiver<Block<I>>>,
    unpacker: &(impl Fn() -> U + Sync),
) -> Done<T>
where
    U: FnMut(I, &mut Unpacked<'k, T>),
{
    let mut validator = None;
    let mut unpack = None;
    let mut objects = Vec::new();
    let mut done = Vec::new();
    loop {
        let block = receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(block) = block else {
            return done;
        };
        let unpack = unpack.get_or_insert_with(unpacker);
        for (i, item) in block {
            unpack(item, &mut objects);
            for (j, (kind, mut object, tag)) in objects.drain(..).enumerate() {
                let report = kind.map(|kind| {
                    let v = validator.get_or_insert_with(Validator::for_batch);
                    v.check_kind(kind, &mut object)
                });
                drop(object);
                done.push(((i, j), tag, report));
            }
        }
    }
}

/// Runs `produce` with a [`Feed`] and validates what it pushes, on worker threads
/// while it runs and on every core once it has returned: each thread unpacks items
/// with an unpacker of its own made by `unpacker`, and validates each object of a
/// known kind with it ([`super::Validator::validate_kind`]), changed into what the API
/// server would store (pruned, defaulted), then drops it. Gives back what `produce`
/// returned and each object's tag with its report (`None` for unknown kinds), in the
/// order of the items and of the objects in each.
pub fn validate_streaming<'k, I, T, U, R>(
    unpacker: impl Fn() -> U + Sync,
    produce: impl FnOnce(&mut Feed<I>) -> R,
) -> (R, Vec<(T, Option<Report>)>)
where
    I: Send,
    T: Send,
    U: FnMut(I, &mut Unpacked<'k, T>),
{
    let (sender, receiver) = mpsc::channel();
    let receiver = Mutex::new(receiver);
    // The producer's thread is the last worker, once it has produced everything.
    let workers = std::thread::available_parallelism().map_or(1, usize::from) - 1;
    std::thread::scope(|scope| {
        // An idle worker costs its start only: it builds its validator with its first
        // block.
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                let (receiver, unpacker) = (&receiver, &unpacker);
                // A thread that cannot be started leaves its share to the others.
                std::thread::Builder::new()
                    .stack_size(THREAD_STACK)
                    .spawn_scoped(scope, move || work(receiver, unpacker))
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
        let mut all = work(&receiver, &unpacker);
        for handle in handles {
            match handle.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all.sort_unstable_by_key(|(place, ..)| *place);
        let reports = all
            .into_iter()
            .map(|(_, tag, report)| (tag, report))
            .collect();
        (produced, reports)
    })
}

/// Validates each object with its kind ([`super::Validator::validate_kind`]) on every
/// core ([`validate_streaming`]). The reports come in the order of `objects`.
pub fn validate_all<'k>(objects: Vec<(&'k Kind, Value)>) -> Vec<Report> {
    let unpacker =
        || |(kind, object), out: &mut Unpacked<'k, ()>| out.push((Some(kind), object, ()));
    let ((), reports) = validate_streaming(unpacker, |feed| {
        objects.into_iter().for_each(|o| feed.push(o));
    });
    // Every object has its kind, so every one has its report.
    reports.into_iter().filter_map(|((), r)| r).collect()
}
