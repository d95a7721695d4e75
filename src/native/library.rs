//! A kind's library object, built natively from the model's library tree
//! ([`crate::model::library_tree`]): visible setter functions and sub-objects, hidden
//! docs fields, and the late-bound constructor `new`.
//!
//! Semantics follow the jsonnet-libs generator: `withX(v)` is `{a+: {b+: {x: v}}}`,
//! `withXMixin(v)` the same with `x+: v`; array targets wrap a single value in a list;
//! `new(name)` is `{apiVersion, kind} + self.metadata.withName(name=name)` with `self`
//! bound late. Argument thunks go into fields unevaluated, so the library stays lazy.
//!
//! A sub-object (`spec`, `spec.template`) is built when its field is first read
//! ([`crate::model::library_node`]): a program that uses a few setters of a large kind
//! pays for the objects on their way, not for the kind's whole tree.

use std::{ops::ControlFlow, rc::Rc, sync::Arc};

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin::Builtin, CallLocation, FuncVal},
    ordering::{FieldIndex, SuperDepth},
    tla::TlaArg,
    EnumFields, EnumFieldsHandler, FieldVisibility, GetFor, HasFieldIncludeHidden, IStr, ObjValue,
    ObjValueBuilder, ObjectCore, SupThis, Thunk, Unbound, Val, Visibility,
};
use jrsonnet_gcmodule::{Acyclic, Trace};
use jrsonnet_ir::function::{FunctionSignature, ParamDefault, ParamName, ParamParse};

use super::json::json_to_val;
use crate::model::{
    library::{fn_doc_json, obj_doc_json, FnKind, HelpLater, LibFn, LibNew, LibNode},
    library_node, Registry,
};

/// Where a kind's library object comes from: the kind at `group.version.kind` of the
/// library whose import root is `library`, in `registry`.
#[derive(Clone)]
pub struct KindSource {
    /// The registry holding the library (kept alive by the objects built from it).
    pub registry: Arc<Registry>,
    /// The library's import root.
    pub library: IStr,
    /// Group key, version and kind key of the kind's place in the library.
    pub place: [IStr; 3],
}

/// Builds the library object of a kind: its root object, whose sub-objects are built
/// when first read ([`crate::model::library_node`]). Fails only when the model yields
/// two members of one name.
pub fn kind_object(source: &KindSource) -> Result<ObjValue> {
    node_object(&lookup_node(source, &[])?, source)
}

/// The node at `path` of the kind `source` names, one level filled.
fn lookup_node<'r>(source: &'r KindSource, path: &[&str]) -> Result<LibNode<'r>> {
    let [group, version, kind] = &source.place;
    let missing = || {
        ErrorKind::RuntimeError(
            format!(
                "{}: no library object {group}.{version}.{kind}.{}",
                source.library,
                path.join(".")
            )
            .into(),
        )
    };
    let kind = source
        .registry
        .library(&source.library)
        .and_then(|lib| lib.slot(group, version, kind))
        .and_then(|slot| slot.kind())
        .ok_or_else(missing)?
        .map_err(|e| ErrorKind::RuntimeError(e.to_string().into()))?;
    library_node(kind, path).ok_or_else(|| missing().into())
}

/// A sub-object of a kind's library object, built when its field is first read.
#[derive(Trace)]
struct LazyNode {
    #[trace(skip)]
    source: KindSource,
    /// Names of the objects from the root down to this one.
    #[trace(skip)]
    path: Vec<String>,
}

impl jrsonnet_evaluator::val::ThunkValue for LazyNode {
    type Output = Val;
    fn get(&self) -> Result<Val> {
        let path: Vec<&str> = self.path.iter().map(String::as_str).collect();
        let node = lookup_node(&self.source, &path)?;
        Ok(Val::Obj(node_object(&node, &self.source)?))
    }
}

fn node_object(node: &LibNode<'_>, source: &KindSource) -> Result<ObjValue> {
    let mut b = ObjValueBuilder::with_capacity(2 * (node.functions.len() + node.objects.len()) + 4);
    if let Some(new) = &node.constructor {
        b.field("#new")
            .hide()
            .try_value(json_to_val(&new.doc_json()))?;
        b.field("new").bindable(NewUnbound(NewSpec::from(new)))?;
    }
    if node.path.is_empty() {
        b.field("#mixin").try_value("ignore")?;
        b.field("mixin").bindable(SelfUnbound)?;
    }
    for f in &node.functions {
        b.field(format!("#{}", f.name))
            .hide()
            .try_thunk(Thunk::new(DocField::Function {
                help: f.help.text_later(),
                param: f.param.as_str().into(),
                ty: f.doc_type(),
            }))?;
        b.field(f.name.as_str())
            .try_value(Val::Func(FuncVal::builtin(Setter::from(f))))?;
    }
    for o in &node.objects {
        b.field(format!("#{}", o.name))
            .hide()
            .try_thunk(Thunk::new(DocField::Object {
                help: o.help.text_later(),
            }))?;
        b.field(o.name.as_str()).try_thunk(Thunk::new(LazyNode {
            source: source.clone(),
            path: o.path.clone(),
        }))?;
    }
    Ok(b.build())
}

/// A docs field (`'#withName'`, `'#metadata'`), made only when read: docs are rarely
/// read, and quoting every description of a large kind up front would cost in
/// proportion to the schema's size.
#[derive(Trace)]
enum DocField {
    /// `d.fn(help, [d.arg(param, ty)])`.
    Function {
        #[trace(skip)]
        help: HelpLater,
        param: IStr,
        #[trace(skip)]
        ty: &'static str,
    },
    /// `d.obj(help)`.
    Object {
        #[trace(skip)]
        help: HelpLater,
    },
}

impl jrsonnet_evaluator::val::ThunkValue for DocField {
    type Output = Val;
    fn get(&self) -> Result<Val> {
        Ok(json_to_val(&match self {
            Self::Function { help, param, ty } => fn_doc_json(&help.text(), param, ty),
            Self::Object { help } => obj_doc_json(&help.text()),
        }))
    }
}

/// One generated setter (`withX` / `withXMixin`).
#[derive(Acyclic)]
pub struct Setter {
    name: IStr,
    params: FunctionSignature,
    /// Field path from the object the result is added to.
    target: Rc<[IStr]>,
    mixin: bool,
    is_array: bool,
}

impl From<&LibFn<'_>> for Setter {
    fn from(f: &LibFn<'_>) -> Self {
        Self {
            name: f.name.as_str().into(),
            params: one_param(&f.param),
            target: f.target.iter().map(|s| IStr::from(s.as_str())).collect(),
            mixin: f.kind == FnKind::Mixin,
            is_array: f.is_array,
        }
    }
}

pub(super) fn one_param(name: &str) -> FunctionSignature {
    FunctionSignature::new(Rc::from(vec![ParamParse::new(
        ParamName::Named(name.into()),
        ParamDefault::None,
    )]))
}

impl Setter {
    /// Its target path (from the object its result is added to), whether the value is
    /// added there (`+:`), and whether a non-array value is wrapped in an array: what
    /// [`super::k8s_helpers`] writes into a layer of its own where a helper calls it.
    pub(super) fn parts(&self) -> (&[IStr], bool, bool) {
        (&self.target, self.mixin, self.is_array)
    }

    /// The object this setter returns for the argument `arg`.
    fn apply(&self, arg: Thunk<Val>) -> ObjValue {
        setter_object(self.target.clone(), self.mixin, self.is_array, arg)
    }
}

/// The object a generated setter returns: `{a+: {b+: {c: value}}}` for the target path
/// `a.b.c` (`c+:` when `add`; a non-array value wrapped in one when `wrap_array`).
/// The natives of the hand-written layer ([`super::k8s_custom`]) return it where the
/// Jsonnet helper returns a generated setter's result.
pub(super) fn setter_object(
    target: Rc<[IStr]>,
    add: bool,
    wrap_array: bool,
    value: Thunk<Val>,
) -> ObjValue {
    path_object(PathField {
        target,
        depth: 0,
        add,
        wrap_array,
        value,
    })
}

/// The object of one [`PathField`] layer.
fn path_object(layer: PathField) -> ObjValue {
    let mut b = ObjValueBuilder::new();
    b.extend_with_core(layer);
    b.build()
}

/// The object `{a+: {b+: {c: value}}}` for the target path `a.b.c` (`c+:` when `add`;
/// the value wrapped in an array unless it is one, when `wrap_array`) as one layer
/// with one visible field: `a`, whose object is made when the field is read. A
/// setter's result is mostly kept unread in the `+` chain of its caller's object, so
/// the objects of the inner levels exist only while something reads them; and a
/// layer without a field map makes a lookup one comparison.
#[derive(Trace)]
struct PathField {
    #[trace(skip)]
    target: Rc<[IStr]>,
    /// Index in `target` of this layer's field.
    #[trace(skip)]
    depth: usize,
    #[trace(skip)]
    add: bool,
    #[trace(skip)]
    wrap_array: bool,
    value: Thunk<Val>,
}

impl PathField {
    fn name(&self) -> &IStr {
        &self.target[self.depth]
    }
}

impl std::fmt::Debug for PathField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PathField")
            .field("target", &self.target)
            .field("depth", &self.depth)
            .field("add", &self.add)
            .finish_non_exhaustive()
    }
}

impl ObjectCore for PathField {
    fn enum_fields_core(
        &self,
        super_depth: &mut SuperDepth,
        handler: &mut EnumFieldsHandler<'_>,
    ) -> bool {
        handler(
            *super_depth,
            FieldIndex::default(),
            self.name().clone(),
            EnumFields::Normal(Visibility::Normal),
        ) == ControlFlow::Continue(())
    }
    fn has_field_include_hidden_core(&self, name: IStr) -> HasFieldIncludeHidden {
        if name == *self.name() {
            HasFieldIncludeHidden::Exists
        } else {
            HasFieldIncludeHidden::NotFound
        }
    }
    fn get_for_core(&self, key: IStr, _sup_this: SupThis, omit_only: bool) -> Result<GetFor> {
        if omit_only || key != *self.name() {
            return Ok(GetFor::NotFound);
        }
        if self.depth + 1 < self.target.len() {
            // An inner level: always `+:`.
            return Ok(GetFor::SuperPlus(Val::Obj(path_object(PathField {
                target: self.target.clone(),
                depth: self.depth + 1,
                add: self.add,
                wrap_array: self.wrap_array,
                value: self.value.clone(),
            }))));
        }
        let mut v = self.value.evaluate()?;
        if self.wrap_array && !matches!(v, Val::Arr(_)) {
            // `if std.isArray(v) then v else [v]`.
            v = Val::arr(vec![v]);
        }
        Ok(if self.add {
            GetFor::SuperPlus(v)
        } else {
            GetFor::Final(v)
        })
    }
    fn field_visibility_core(&self, field: IStr) -> FieldVisibility {
        if field == *self.name() {
            FieldVisibility::Found(Visibility::Normal)
        } else {
            FieldVisibility::NotFound
        }
    }
    fn run_assertions_core(&self, _sup_this: SupThis) -> Result<()> {
        Ok(())
    }
}

impl Builtin for Setter {
    fn name(&self) -> &str {
        &self.name
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let arg = first_arg(args, &self.params)?;
        Ok(Val::Obj(self.apply(arg)))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

pub(super) fn first_arg(
    args: &[Option<Thunk<Val>>],
    params: &FunctionSignature,
) -> Result<Thunk<Val>> {
    match args.first().cloned().flatten() {
        Some(t) => Ok(t),
        None => Err(ErrorKind::FunctionParameterNotBoundInCall(
            params[0].name().clone(),
            params.clone(),
        )
        .into()),
    }
}

/// What `new` needs: the constant `{apiVersion, kind}` layer (shared by every object
/// the constructor makes) and its parameter list.
#[derive(Trace, Clone)]
struct NewSpec {
    header: ObjValue,
    params: FunctionSignature,
    /// `{'tanka.dev/namespaced': 'false'}` for a cluster-scoped kind.
    cluster_annotations: Option<ObjValue>,
}

impl From<&LibNew> for NewSpec {
    fn from(new: &LibNew) -> Self {
        let mut b = ObjValueBuilder::with_capacity(2);
        b.field("apiVersion").value(new.api_version.as_str());
        b.field("kind").value(new.kind.as_str());
        let cluster_annotations = new.cluster_scoped.then(|| {
            let mut a = ObjValueBuilder::with_capacity(1);
            a.field("tanka.dev/namespaced").value("false");
            a.build()
        });
        Self {
            header: b.build(),
            params: one_param(&new.param),
            cluster_annotations,
        }
    }
}

/// The `new` member: binds to the object it is read from (`self`).
#[derive(Trace)]
struct NewUnbound(NewSpec);

impl Unbound for NewUnbound {
    type Bound = Val;
    fn bind(&self, sup_this: SupThis) -> Result<Val> {
        Ok(Val::Func(FuncVal::builtin(NewFn {
            spec: self.0.clone(),
            this: sup_this.this().clone(),
        })))
    }
}

/// `new` bound to one object: `{apiVersion, kind} + self.metadata.withName(name=name)`.
#[derive(Trace)]
struct NewFn {
    spec: NewSpec,
    this: ObjValue,
}

impl NewFn {
    /// `{apiVersion, kind} + named`, and for a cluster-scoped kind
    /// `+ self.metadata.withAnnotations(annotations={'tanka.dev/namespaced': 'false'})`.
    fn finish(&self, metadata: &ObjValue, named: ObjValue) -> Result<Val> {
        let base = named.extend_from(self.spec.header.clone());
        let Some(annotations) = &self.spec.cluster_annotations else {
            return Ok(Val::Obj(base));
        };
        let with = metadata.get_or_bail("withAnnotations".into())?;
        let args = std::collections::HashMap::from([(
            IStr::from("annotations"),
            TlaArg::Val(Val::Obj(annotations.clone())),
        )]);
        match apply_tla(&args, with)? {
            Val::Obj(marked) => Ok(Val::Obj(marked.extend_from(base))),
            other => Err(ErrorKind::RuntimeError(
                format!(
                    "new: metadata.withAnnotations returned {}, not an object",
                    a_type(&other)
                )
                .into(),
            )
            .into()),
        }
    }
}

impl Builtin for NewFn {
    fn name(&self) -> &str {
        "new"
    }
    fn params(&self) -> FunctionSignature {
        self.spec.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let name = first_arg(args, &self.spec.params)?;
        let metadata = self.this.get_or_bail("metadata".into())?;
        let Val::Obj(metadata) = metadata else {
            return Err(ErrorKind::RuntimeError(
                format!(
                    "new: metadata is a {}, not an object",
                    metadata.value_type()
                )
                .into(),
            )
            .into());
        };
        let with_name = metadata.get_or_bail("withName".into())?;
        let Val::Func(with_name) = with_name else {
            return Err(ErrorKind::RuntimeError(
                format!(
                    "new: metadata.withName is {}, not a function",
                    a_type(&with_name)
                )
                .into(),
            )
            .into());
        };
        // Our own `withName` (not overridden): call it directly, no named-call machinery.
        if let FuncVal::Builtin(b) = &with_name {
            if let Some(setter) = b.as_any().downcast_ref::<Setter>() {
                if setter.params[0].name().as_str() == Some("name") {
                    return self.finish(&metadata, setter.apply(name));
                }
            }
        }
        // A named call, as the generated library makes it: `withName(name=name)`.
        let args = std::collections::HashMap::from([(IStr::from("name"), TlaArg::Lazy(name))]);
        let named = apply_tla(&args, Val::Func(with_name))?;
        let Val::Obj(named) = named else {
            return Err(ErrorKind::RuntimeError(
                format!(
                    "new: metadata.withName returned {}, not an object",
                    a_type(&named)
                )
                .into(),
            )
            .into());
        };
        self.finish(&metadata, named)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The `mixin: self` member.
#[derive(Acyclic)]
struct SelfUnbound;

impl Unbound for SelfUnbound {
    type Bound = Val;
    fn bind(&self, sup_this: SupThis) -> Result<Val> {
        Ok(Val::Obj(sup_this.this().clone()))
    }
}

/// "an object", "a string": the type of `v` with its article, for messages.
fn a_type(v: &Val) -> String {
    let ty = v.value_type().to_string();
    let article = if ty.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {ty}")
}
