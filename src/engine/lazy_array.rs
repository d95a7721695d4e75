//! An array whose elements are computed on first use and remembered, the way
//! go-jsonnet evaluates `std.makeArray` and comprehension results: a failed element
//! keeps its error, and an element needed while it is being computed is infinite
//! recursion. Contact points: `std.makeArray`'s override
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
    slots: Cc<RefCell<Vec<Slot>>>,
}

#[derive(Trace, Debug, Clone)]
enum Slot {
    Waiting,
    Computing,
    Done(Val),
    Failed(Error),
}

impl<C: Compute> LazyArray<C> {
    /// An array of `len` elements, none computed yet.
    pub fn new(len: usize, compute: C) -> Self {
        Self {
            compute,
            slots: Cc::new(RefCell::new(vec![Slot::Waiting; len])),
        }
    }
}

impl<C: Compute> ArrayLike for LazyArray<C> {
    fn len(&self) -> u32 {
        self.slots.borrow().len() as u32
    }

    fn get(&self, index: u32) -> Result<Option<Val>> {
        let i = index as usize;
        let Some(slot) = self.slots.borrow().get(i).cloned() else {
            return Ok(None);
        };
        match slot {
            Slot::Done(v) => return Ok(Some(v)),
            Slot::Failed(e) => return Err(e),
            Slot::Computing => return Err(InfiniteRecursionDetected.into()),
            Slot::Waiting => {}
        }
        self.slots.borrow_mut()[i] = Slot::Computing;
        let result = self.compute.compute(index);
        self.slots.borrow_mut()[i] = match &result {
            Ok(v) => Slot::Done(v.clone()),
            Err(e) => Slot::Failed(e.clone()),
        };
        result.map(Some)
    }

    fn get_lazy(&self, index: u32) -> Option<Thunk<Val>> {
        match self.slots.borrow().get(index as usize)? {
            Slot::Done(v) => Some(Thunk::evaluated(v.clone())),
            Slot::Failed(e) => Some(Thunk::errored(e.clone())),
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
