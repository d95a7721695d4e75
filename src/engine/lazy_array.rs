//! An array whose elements are computed on first use and remembered, the way
//! go-jsonnet evaluates `std.makeArray` and comprehension results: a failed element
//! keeps its error, and an element needed while it is being computed is infinite
//! recursion. Slots are kept in pages allocated on first use, so a huge array
//! (`std.makeArray(1e9, f)`) costs memory only for the elements used. Contact points: `std.makeArray`'s override
//! (`overrides/arrays.rs`) and the comprehension wrapper (`prepass/comprehensions.rs`)
//! each give a [`Compute`] and wrap [`LazyArray::new`] in `ArrValue::new`.

use std::{cell::RefCell, fmt::Debug};

use jrsonnet_evaluator::{
    error::{Error, ErrorKind::InfiniteRecursionDetected, Result},
    val::{ArrayLike, ThunkValue},
    Thunk, Val,
};
use jrsonnet_gcmodule::{Cc, Trace};

/// How one element of a [`LazyArray`] is computed.
pub trait Compute: Trace + Debug + Clone + 'static {
    /// Element `index`, computed once (the array remembers the result).
    fn compute(&self, index: u32) -> Result<Val>;
}

/// An array of `len` elements computed by `C` on first use.
#[derive(Trace, Debug, Clone)]
pub struct LazyArray<C: Compute> {
    compute: C,
    len: u32,
    /// Page `k` holds the slots of elements `k * PAGE ..`; `None` until one is used.
    pages: Cc<RefCell<Vec<Option<Vec<Slot>>>>>,
}

/// Elements per page of slots.
const PAGE: usize = 4096;

#[derive(Trace, Debug, Clone)]
enum Slot {
    Waiting,
    Computing,
    Done(Val),
    Failed(Error),
}

impl<C: Compute> LazyArray<C> {
    /// An array of `len` elements, none computed yet.
    pub fn new(len: u32, compute: C) -> Self {
        let pages = (len as usize).div_ceil(PAGE);
        Self {
            compute,
            len,
            pages: Cc::new(RefCell::new(vec![None; pages])),
        }
    }

    /// The slot of element `i` (< `len`).
    fn slot(&self, i: usize) -> Slot {
        match &self.pages.borrow()[i / PAGE] {
            Some(page) => page[i % PAGE].clone(),
            None => Slot::Waiting,
        }
    }

    /// Sets the slot of element `i` (< `len`), allocating its page.
    fn set(&self, i: usize, slot: Slot) {
        let mut pages = self.pages.borrow_mut();
        let first = i / PAGE * PAGE;
        let size = PAGE.min(self.len as usize - first);
        let page = pages[i / PAGE].get_or_insert_with(|| vec![Slot::Waiting; size]);
        page[i % PAGE] = slot;
    }
}

impl<C: Compute> ArrayLike for LazyArray<C> {
    fn len(&self) -> u32 {
        self.len
    }

    fn get(&self, index: u32) -> Result<Option<Val>> {
        if index >= self.len {
            return Ok(None);
        }
        let i = index as usize;
        match self.slot(i) {
            Slot::Done(v) => return Ok(Some(v)),
            Slot::Failed(e) => return Err(e),
            Slot::Computing => return Err(InfiniteRecursionDetected.into()),
            Slot::Waiting => {}
        }
        self.set(i, Slot::Computing);
        let result = self.compute.compute(index);
        self.set(
            i,
            match &result {
                Ok(v) => Slot::Done(v.clone()),
                Err(e) => Slot::Failed(e.clone()),
            },
        );
        result.map(Some)
    }

    fn get_lazy(&self, index: u32) -> Option<Thunk<Val>> {
        if index >= self.len {
            return None;
        }
        match self.slot(index as usize) {
            Slot::Done(v) => Some(Thunk::evaluated(v)),
            Slot::Failed(e) => Some(Thunk::errored(e)),
            Slot::Waiting | Slot::Computing => Some(Thunk::new(Element(self.clone(), index))),
        }
    }
}

/// Element `.1` of the array `.0`, as a thunk.
#[derive(Trace)]
struct Element<C: Compute>(LazyArray<C>, u32);

impl<C: Compute> ThunkValue for Element<C> {
    type Output = Val;
    fn get(&self) -> Result<Val> {
        self.0.get(self.1).transpose().expect("index checked")
    }
}
