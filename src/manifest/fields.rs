//! The visible fields of an object, sorted: what jrsonnet's `ObjValue::fields()` gives,
//! computed without its hash map. Every writer lists each object's fields once, and
//! for the small objects of Kubernetes manifests (two to ten fields over a few layers)
//! building, draining and sorting a map cost more than the fields themselves:
//! [`visible`] gathers each layer's fields in order (outermost first) into one vector,
//! sorts it stably by name and folds each name's run with jrsonnet's visibility rule.
//! An object with a field removed by `std.objectRemoveKey` (an "omit" layer) is left
//! to jrsonnet, whose rule for omits depends on layer positions the public
//! enumeration does not give.
//!
//! Contact points: the JSON writer ([`super::json`]) and its serde conversion.

use std::ops::ControlFlow;

use jrsonnet_evaluator::{EnumFields, IStr, ObjValue};
use jrsonnet_ir::Visibility;

/// The visible fields of `obj` in sorted order, as `obj.fields()`.
pub fn visible(obj: &ObjValue) -> Vec<IStr> {
    let mut seen: Vec<(IStr, Visibility)> = Vec::new();
    let mut omits = false;
    obj.enum_fields(&mut |_, _, name, field| match field {
        EnumFields::Normal(visibility) => {
            seen.push((name, visibility));
            ControlFlow::Continue(())
        }
        EnumFields::Omit(_) => {
            omits = true;
            ControlFlow::Break(())
        }
    });
    if omits {
        return obj.fields();
    }
    // Stable: each name's run keeps the layers' order, outermost first.
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    let mut fields = Vec::with_capacity(seen.len());
    let mut layers = seen.into_iter().peekable();
    while let Some((name, first)) = layers.next() {
        let mut state = first;
        while let Some((_, deeper)) = layers.next_if(|(next, _)| *next == name) {
            state = combine(state, deeper);
        }
        if state.is_visible() {
            fields.push(name);
        }
    }
    fields
}

/// The visibility of a field seen as `state` in the outer layers and as `deeper` in the
/// next layer down: `::` or `:::` outside decides, a plain `:` takes what is below it.
fn combine(state: Visibility, deeper: Visibility) -> Visibility {
    match state {
        Visibility::Normal => deeper,
        Visibility::Hidden | Visibility::Unhide => state,
    }
}

#[cfg(test)]
mod tests {
    use jrsonnet_evaluator::{trace::PathResolver, State, Val};

    use super::visible;

    /// Each object the program gives, at any depth, has the fields jrsonnet lists
    /// (jrsonnet's own `std`: the module stays below the engine).
    fn check(program: &str) {
        let mut builder = State::builder();
        builder.context_initializer(jrsonnet_stdlib::ContextInitializer::new(
            PathResolver::Absolute,
        ));
        let val = builder
            .build()
            .evaluate_snippet("<test>", program)
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        let mut objects = vec![val];
        while let Some(v) = objects.pop() {
            match v {
                Val::Obj(o) => {
                    assert_eq!(visible(&o), o.fields(), "{program}");
                    for key in o.fields_ex(true) {
                        if let Ok(Some(value)) = o.get(key) {
                            objects.push(value);
                        }
                    }
                }
                Val::Arr(a) => objects.extend(a.iter().filter_map(Result::ok)),
                _ => {}
            }
        }
    }

    #[test]
    fn visibility_over_layers_is_jrsonnets() {
        let ops = [":", "::", ":::"];
        // Every combination of three layers defining one field, with a second field.
        for a in ops {
            for b in ops {
                for c in ops {
                    check(&format!(
                        "[{{x{a} 1, y: 2}} + {{x{b} 3}} + {{x{c} 4, z:: 5}}, \
                         {{x{a} 1}} + {{y{b} 2}} + {{x{c} 3}}, {{x{a} {{}}}} + {{x+{b} {{y{c} 1}}}}]"
                    ));
                }
            }
        }
    }

    #[test]
    fn objects_of_every_shape_list_the_same_fields() {
        check("{}");
        check("{ b: 1, a: 2, c:: 3, 'é': 4, '': 5, B: 6 }");
        check("{ [k]: 1 for k in ['z', 'y', 'x'] } + { w: 2 }");
        check("std.objectRemoveKey({ a: 1, b: 2 } + { c: 3 }, 'a') + { a:: 4, d: 5 }");
        check("local base = { a: 1, h:: 2 }; [base { h+: 3 }, base { a::: 4 }, base { h::: 5 }]");
        check("{ local l = 1, a: l, assert true, nested: { b:: 1, c: { d: 2 } } { b+: 1 } }");
        check("std.mergePatch({ a: 1, b: { c: 2 } }, { b: { d: 3 }, e: null })");
    }
}
