//! Natives behind the constructors of the Kubernetes library's hand-written layer
//! (`_custom/`, gwsonnet's own Jsonnet in `lib/k8s/custom/`) that a typical workload
//! calls per object: `container.new`, `containerPort.new*`, `servicePort.new*`,
//! `service.new`, `configMap.new`, `volumeMount.new`, `volume.fromConfigMap`,
//! `container.withResources{Requests,Limits}` (`core.libsonnet`) and
//! `deployment.new` (`apps.libsonnet`).
//!
//! Each helper is a member bound to the object it is read from, like the Jsonnet
//! method it replaces (same parameters and defaults, hidden): it reads the same
//! `super.<setter>` / `self.<setter>` functions (once per bound object: objects do not
//! change), evaluates at call time only what the Jsonnet's body does (`replicas == null`, `data == {}`, `if
//! readOnly`, `configMapItems == []`) and passes every other argument on unevaluated.
//! Where the functions it reads are the library's own generated setters
//! ([`super::library::Setter`]), their results are written as one layer, a small tree
//! of fields ([`Tree`]), instead of a `+` chain of one-field objects: the same fields,
//! values and laziness with fewer layers for every later lookup to walk. Any other
//! function (a vendored generated library under the built-in layer) is called and its
//! result added with `+`, as the Jsonnet does.
//!
//! Contact points: served through the overlays of `lib/k8s/natives/`
//! ([`super::k8s_custom`] serves them; [`builtin_k8s_apps`] and [`core_helpers`] make
//! the objects), registered by [`super::natives`].

use std::{cell::RefCell, ops::ControlFlow};

use jrsonnet_evaluator::{
    apply_tla,
    error::{ErrorKind, Result},
    function::{builtin, builtin::Builtin, CallLocation, FuncVal, NativeFn},
    ordering::{FieldIndex, SuperDepth},
    tla::TlaArg,
    typed::FromUntyped,
    val::MemoizedClosureThunk,
    with_state, EnumFields, EnumFieldsHandler, FieldVisibility, GetFor, HasFieldIncludeHidden,
    IStr, ObjValue, ObjValueBuilder, ObjectCore, SupThis, Thunk, Unbound, Val, Visibility,
};
use jrsonnet_gcmodule::{Acyclic, Trace};
use jrsonnet_ir::function::{FunctionSignature, ParamDefault, ParamName, ParamParse};

use super::{k8s_custom::length, library::Setter};

/// The helpers served natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Acyclic)]
enum Helper {
    ContainerNew,
    ResourcesRequests,
    ResourcesLimits,
    PortNew,
    PortNewNamed,
    PortNewUdp,
    PortNewNamedUdp,
    ServicePortNew,
    ServicePortNewNamed,
    ServiceNew,
    ConfigMapNew,
    VolumeMountNew,
    VolumeFromConfigMap,
    EnvVarNew,
    KeyToPathNew,
    SecretNew,
    PersistentVolumeNew,
    DeploymentNew,
    StatefulSetNew,
    DaemonSetNew,
}

use Helper::*;

impl Helper {
    /// The function's name and its parameters (`true`: has a default).
    fn signature(self) -> (&'static str, &'static [(&'static str, bool)]) {
        match self {
            ContainerNew => ("new", &[("name", false), ("image", false)]),
            ResourcesRequests => (
                "withResourcesRequests",
                &[("cpu", false), ("memory", false)],
            ),
            ResourcesLimits => ("withResourcesLimits", &[("cpu", false), ("memory", false)]),
            PortNew => ("new", &[("containerPort", false)]),
            PortNewNamed => ("newNamed", &[("containerPort", false), ("name", false)]),
            PortNewUdp => ("newUDP", &[("containerPort", false)]),
            PortNewNamedUdp => ("newNamedUDP", &[("containerPort", false), ("name", false)]),
            ServicePortNew => ("new", &[("port", false), ("targetPort", false)]),
            ServicePortNewNamed => (
                "newNamed",
                &[("name", false), ("port", false), ("targetPort", false)],
            ),
            ServiceNew => (
                "new",
                &[("name", false), ("selector", false), ("ports", false)],
            ),
            ConfigMapNew => ("new", &[("name", false), ("data", true)]),
            VolumeMountNew => (
                "new",
                &[("name", false), ("mountPath", false), ("readOnly", true)],
            ),
            VolumeFromConfigMap => (
                "fromConfigMap",
                &[
                    ("name", false),
                    ("configMapName", false),
                    ("configMapItems", true),
                ],
            ),
            EnvVarNew => ("new", &[("name", false), ("value", false)]),
            KeyToPathNew => ("new", &[("key", false), ("path", false)]),
            SecretNew => ("new", &[("name", false), ("data", false), ("type", true)]),
            PersistentVolumeNew => ("new", &[("name", true)]),
            DeploymentNew => (
                "new",
                &[
                    ("name", false),
                    ("replicas", true),
                    ("containers", true),
                    ("podLabels", true),
                ],
            ),
            StatefulSetNew => (
                "new",
                &[
                    ("name", false),
                    ("replicas", true),
                    ("containers", true),
                    ("volumeClaims", true),
                    ("podLabels", true),
                ],
            ),
            DaemonSetNew => (
                "new",
                &[("name", false), ("containers", true), ("podLabels", true)],
            ),
        }
    }

    fn params(self) -> FunctionSignature {
        signature(self.signature().1)
    }

    /// The helper's result for `args` (one per parameter, `None` for a default not
    /// given), bound to an object by `bound`.
    fn call(self, bound: &BoundHelper, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let arg = |i: usize| {
            args[i]
                .clone()
                .expect("a parameter without default is bound")
        };
        let mut patch = Patch::default();
        match self {
            // super.withName(name) + super.withImage(image)
            ContainerNew => {
                patch.apply(bound.sup(&["withName"])?, arg(0))?;
                patch.apply(bound.sup(&["withImage"])?, arg(1))?;
            }
            // self.resources.withRequests(quantities(cpu, memory))
            ResourcesRequests | ResourcesLimits => {
                let path: &'static [&'static str] = if self == ResourcesRequests {
                    &["resources", "withRequests"]
                } else {
                    &["resources", "withLimits"]
                };
                let f = bound.own(path)?;
                let quantities =
                    Thunk::new(MemoizedClosureThunk::new((arg(0), arg(1)), quantities));
                patch.apply(f, quantities)?;
            }
            // super.withContainerPort(containerPort) [+ super.withName(name)]
            // [+ super.withProtocol('UDP')]
            PortNew | PortNewNamed | PortNewUdp | PortNewNamedUdp => {
                patch.apply(bound.sup(&["withContainerPort"])?, arg(0))?;
                if matches!(self, PortNewNamed | PortNewNamedUdp) {
                    patch.apply(bound.sup(&["withName"])?, arg(1))?;
                }
                if matches!(self, PortNewUdp | PortNewNamedUdp) {
                    let udp = Thunk::evaluated(Val::string("UDP"));
                    patch.apply(bound.sup(&["withProtocol"])?, udp)?;
                }
            }
            // super.withPort(port) + super.withTargetPort(targetPort) [+ super.withName(name)]
            ServicePortNew => {
                patch.apply(bound.sup(&["withPort"])?, arg(0))?;
                patch.apply(bound.sup(&["withTargetPort"])?, arg(1))?;
            }
            ServicePortNewNamed => {
                patch.apply(bound.sup(&["withPort"])?, arg(1))?;
                patch.apply(bound.sup(&["withTargetPort"])?, arg(2))?;
                patch.apply(bound.sup(&["withName"])?, arg(0))?;
            }
            // super.new(name) + super.spec.withSelector(selector) + super.spec.withPorts(ports)
            ServiceNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                patch.apply(bound.sup(&["spec", "withSelector"])?, arg(1))?;
                patch.apply(bound.sup(&["spec", "withPorts"])?, arg(2))?;
            }
            // super.new(name) + (if data == {} then {} else super.withData(data))
            ConfigMapNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                if let Some(data) = &args[1] {
                    let empty = match data.evaluate()? {
                        Val::Obj(o) => o.is_empty(),
                        _ => false,
                    };
                    if !empty {
                        patch.apply(bound.sup(&["withData"])?, data.clone())?;
                    }
                }
            }
            // super.withName(name) + super.withMountPath(mountPath)
            // + (if readOnly then self.withReadOnly(readOnly) else {})
            VolumeMountNew => {
                patch.apply(bound.sup(&["withName"])?, arg(0))?;
                patch.apply(bound.sup(&["withMountPath"])?, arg(1))?;
                if let Some(read_only) = &args[2] {
                    if condition(read_only.evaluate()?)? {
                        let f = bound.own(&["withReadOnly"])?;
                        patch.apply(f, read_only.clone())?;
                    }
                }
            }
            // super.withName(name) + super.configMap.withName(configMapName)
            // + (if configMapItems == [] then {} else super.configMap.withItems(configMapItems))
            VolumeFromConfigMap => {
                patch.apply(bound.sup(&["withName"])?, arg(0))?;
                patch.apply(bound.sup(&["configMap", "withName"])?, arg(1))?;
                if let Some(items) = &args[2] {
                    let empty = matches!(items.evaluate()?, Val::Arr(a) if a.is_empty());
                    if !empty {
                        let f = bound.sup(&["configMap", "withItems"])?;
                        patch.apply(f, items.clone())?;
                    }
                }
            }
            // super.withName(name) + super.withValue(value)
            EnvVarNew => {
                patch.apply(bound.sup(&["withName"])?, arg(0))?;
                patch.apply(bound.sup(&["withValue"])?, arg(1))?;
            }
            // super.withKey(key) + super.withPath(path)
            KeyToPathNew => {
                patch.apply(bound.sup(&["withKey"])?, arg(0))?;
                patch.apply(bound.sup(&["withPath"])?, arg(1))?;
            }
            // super.new(name) + super.withData(data) + super.withType(type)
            SecretNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                patch.apply(bound.sup(&["withData"])?, arg(1))?;
                let ty = args[2]
                    .clone()
                    .unwrap_or_else(|| Thunk::evaluated(Val::string("Opaque")));
                patch.apply(bound.sup(&["withType"])?, ty)?;
            }
            // { apiVersion: 'v1', kind: 'PersistentVolume' }
            // + (if name == '' then {} else self.metadata.withName(name=name))
            PersistentVolumeNew => {
                let mut header = ObjValueBuilder::with_capacity(2);
                header.field("apiVersion").value(Val::string("v1"));
                header.field("kind").value(Val::string("PersistentVolume"));
                patch.layers.push(Layer::Value(Val::Obj(header.build())));
                if let Some(name) = &args[0] {
                    if !matches!(name.evaluate()?, Val::Str(s) if s.is_empty()) {
                        let f = bound.own(&["metadata", "withName"])?;
                        let named = std::collections::HashMap::from([(
                            IStr::from("name"),
                            TlaArg::Lazy(name.clone()),
                        )]);
                        patch.layers.push(Layer::Value(apply_tla(&named, f)?));
                    }
                }
            }
            // super.new(name)
            // + (if replicas == null then {} else super.spec.withReplicas(replicas))
            // + podTemplate(name, containers, podLabels)
            DeploymentNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                let replicas = default(args, 1, Val::num(1));
                if !matches!(replicas.evaluate()?, Val::Null) {
                    patch.apply(bound.sup(&["spec", "withReplicas"])?, replicas)?;
                }
                pod_template(
                    &mut patch,
                    arg(0),
                    unset_containers(args, 2),
                    default_labels(args, 3),
                );
            }
            // super.new(name) + super.spec.withReplicas(replicas)
            // + podTemplate(name, containers, podLabels)
            // + (if std.length(volumeClaims) == 0 then {}
            //    else super.spec.withVolumeClaimTemplates(volumeClaims))
            StatefulSetNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                let replicas = default(args, 1, Val::num(1));
                patch.apply(bound.sup(&["spec", "withReplicas"])?, replicas)?;
                pod_template(
                    &mut patch,
                    arg(0),
                    unset_containers(args, 2),
                    default_labels(args, 4),
                );
                if let Some(claims) = &args[3] {
                    if length(claims.evaluate()?)? != 0 {
                        let f = bound.sup(&["spec", "withVolumeClaimTemplates"])?;
                        patch.apply(f, claims.clone())?;
                    }
                }
            }
            // super.new(name) + podTemplate(name, containers, podLabels)
            DaemonSetNew => {
                patch.apply(bound.sup(&["new"])?, arg(0))?;
                let containers = default(args, 1, Val::arr(Vec::<Val>::new()));
                pod_template(&mut patch, arg(0), containers, default_labels(args, 2));
            }
        }
        patch.finish()
    }
}

/// Argument `i`, or `value` when it is not given.
fn default(args: &[Option<Thunk<Val>>], i: usize, value: Val) -> Thunk<Val> {
    args[i].clone().unwrap_or_else(|| Thunk::evaluated(value))
}

/// The workloads' `containers` argument `i`, by default `error 'containers unset'`.
fn unset_containers(args: &[Option<Thunk<Val>>], i: usize) -> Thunk<Val> {
    args[i].clone().unwrap_or_else(|| {
        Thunk::errored(ErrorKind::RuntimeError("containers unset".into()).into())
    })
}

/// The workloads' `podLabels` argument `i`, by default `{}`.
fn default_labels(args: &[Option<Thunk<Val>>], i: usize) -> Thunk<Val> {
    default(args, i, Val::Obj(ObjValue::empty()))
}

/// `+ podTemplate(name, containers, podLabels)` of `_custom/apps.libsonnet`: the
/// containers (an array, or one wrapped in one) in the pod template, `{ name: name }
/// + podLabels` as its labels and the selector's.
fn pod_template(
    patch: &mut Patch,
    name: Thunk<Val>,
    containers: Thunk<Val>,
    pod_labels: Thunk<Val>,
) {
    let labels = Thunk::new(MemoizedClosureThunk::new((name, pod_labels), labels));
    patch.set(
        &["spec", "template", "spec", "containers"],
        Leaf::array(containers),
    );
    patch.set(
        &["spec", "template", "metadata", "labels"],
        Leaf::plain(labels.clone()),
    );
    patch.set(&["spec", "selector", "matchLabels"], Leaf::plain(labels));
}

/// A function a bound helper read from `super` or `self`, kept for its next calls:
/// objects do not change, so the same path reads the same value (an error is not kept:
/// reading again gives it again).
#[derive(Trace)]
struct Resolved {
    #[trace(skip)]
    path: &'static [&'static str],
    #[trace(skip)]
    from_super: bool,
    value: Val,
}

impl BoundHelper {
    /// `super.<path>`, read once.
    fn sup(&self, path: &'static [&'static str]) -> Result<Val> {
        self.resolve(path, true)
    }

    /// `self.<path>`, read once.
    fn own(&self, path: &'static [&'static str]) -> Result<Val> {
        self.resolve(path, false)
    }

    fn resolve(&self, path: &'static [&'static str], from_super: bool) -> Result<Val> {
        let known = self
            .resolved
            .borrow()
            .iter()
            .find(|r| r.from_super == from_super && r.path == path)
            .map(|r| r.value.clone());
        if let Some(value) = known {
            return Ok(value);
        }
        let value = if from_super {
            sup(&self.sup_this, path)?
        } else {
            field_path(self.sup_this.this(), path)?
        };
        self.resolved.borrow_mut().push(Resolved {
            path,
            from_super,
            value: value.clone(),
        });
        Ok(value)
    }
}

/// `super.<path>` of the object `sup_this` binds a helper to.
fn sup(sup_this: &SupThis, path: &[&str]) -> Result<Val> {
    let first = IStr::from(path[0]);
    let Some(v) = sup_this.get_super(first.clone())? else {
        return Err(ErrorKind::NoSuchField(first, vec![]).into());
    };
    match &path[1..] {
        [] => Ok(v),
        rest => field_path(&ObjValue::from_untyped(v)?, rest),
    }
}

/// `obj.<path>`.
pub(super) fn field_path(obj: &ObjValue, path: &[&str]) -> Result<Val> {
    let mut v = obj.get_or_bail(path[0].into())?;
    for key in &path[1..] {
        v = ObjValue::from_untyped(v)?.get_or_bail((*key).into())?;
    }
    Ok(v)
}

/// The condition of `if c then ...`: a boolean, or the error the Jsonnet `if` raises.
pub(super) fn condition(c: Val) -> Result<bool> {
    match c {
        Val::Bool(b) => Ok(b),
        other => Err(jsonnet_error("function(c) if c then 1 else 0", other)),
    }
}

/// A builtin's parameters: each name, and whether it has a default.
pub(super) fn signature(params: &[(&str, bool)]) -> FunctionSignature {
    let params: Vec<ParamParse> = params
        .iter()
        .map(|(name, default)| {
            ParamParse::new(
                ParamName::Named((*name).into()),
                ParamDefault::exists(*default),
            )
        })
        .collect();
    FunctionSignature::new(params.into())
}

/// The value of the Jsonnet function `source` applied to `arg`.
pub(super) fn jsonnet_value(source: &str, arg: Val) -> Result<Val> {
    let f = with_state(|s| s.evaluate_snippet("<k8s natives>", source))?;
    NativeFn::<(Val, Val)>::from_untyped(f)?.call(arg)
}

/// The error the Jsonnet function `source` raises when called with `arg`.
fn jsonnet_error(source: &str, arg: Val) -> jrsonnet_evaluator::Error {
    match jsonnet_value(source, arg) {
        Err(e) => e,
        Ok(_) => ErrorKind::RuntimeError(format!("{source} accepted its argument").into()).into(),
    }
}

/// Jsonnet's `a + b`: two objects layered natively, other values by Jsonnet's `+`.
pub(super) fn add(a: Val, b: Val) -> Result<Val> {
    match (a, b) {
        (Val::Obj(below), Val::Obj(above)) => Ok(Val::Obj(above.extend_from(below))),
        (a, b) => {
            let f = with_state(|s| s.evaluate_snippet("<k8s natives>", "function(a, b) a + b"))?;
            NativeFn::<(Val, Val, Val)>::from_untyped(f)?.call(a, b)
        }
    }
}

/// The Jsonnet `quantities(cpu, memory)`: `{cpu?, memory?}` with the non-null ones.
fn quantities((cpu, memory): (Thunk<Val>, Thunk<Val>)) -> Result<Val> {
    let mut b = ObjValueBuilder::with_capacity(2);
    if !matches!(cpu.evaluate()?, Val::Null) {
        b.field("cpu").thunk(cpu);
    }
    if !matches!(memory.evaluate()?, Val::Null) {
        b.field("memory").thunk(memory);
    }
    Ok(Val::Obj(b.build()))
}

/// The workloads' pod labels: `{ name: name } + podLabels`.
fn labels((name, pod_labels): (Thunk<Val>, Thunk<Val>)) -> Result<Val> {
    let mut b = ObjValueBuilder::with_capacity(1);
    b.field("name").thunk(name);
    add(Val::Obj(b.build()), pod_labels.evaluate()?)
}

/// A value a helper writes at a field path.
#[derive(Trace, Clone)]
struct Leaf {
    /// `field+: value` rather than `field: value`.
    #[trace(skip)]
    add: bool,
    /// The value wrapped in an array unless it is one.
    #[trace(skip)]
    wrap_array: bool,
    value: Thunk<Val>,
}

impl Leaf {
    fn plain(value: Thunk<Val>) -> Self {
        Self {
            add: false,
            wrap_array: false,
            value,
        }
    }
    fn array(value: Thunk<Val>) -> Self {
        Self {
            add: false,
            wrap_array: true,
            value,
        }
    }
}

/// One field of a [`Tree`]: a value, or an object added with `+:`.
#[derive(Trace, Clone)]
enum Node {
    Leaf(Leaf),
    Inner(Vec<Field>),
}

#[derive(Trace, Clone)]
struct Field {
    name: IStr,
    node: Node,
}

/// The fields of one layer written by setters: `{a+: {b+: {c: v, d+: w}}, e: x}`.
#[derive(Trace, Clone, Default)]
struct Tree(Vec<Field>);

impl Tree {
    /// Adds `leaf` at `path`; `false` (nothing added) when the path meets a field
    /// already written at one of its levels in a way that one object cannot hold.
    fn insert(&mut self, path: &[IStr], leaf: &Leaf) -> bool {
        let mut fields = &mut self.0;
        for (depth, key) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            let found = fields.iter().position(|f| f.name == *key);
            match (found, last) {
                (None, true) => {
                    fields.push(Field {
                        name: key.clone(),
                        node: Node::Leaf(leaf.clone()),
                    });
                    return true;
                }
                (None, false) => {
                    fields.push(Field {
                        name: key.clone(),
                        node: Node::Inner(Vec::new()),
                    });
                    let Some(Field {
                        node: Node::Inner(next),
                        ..
                    }) = fields.last_mut()
                    else {
                        unreachable!("just pushed");
                    };
                    fields = next;
                }
                (Some(i), false) => match &mut fields[i].node {
                    Node::Inner(next) => fields = next,
                    Node::Leaf(_) => return false,
                },
                (Some(_), true) => return false,
            }
        }
        false
    }
}

/// The layers a helper's result is made of, bottom first: trees of setter results
/// and objects other functions returned.
#[derive(Default)]
struct Patch {
    layers: Vec<Layer>,
}

enum Layer {
    Tree(Tree),
    Value(Val),
}

impl Patch {
    /// `+ f(arg)`: the setter's field added to the top tree when `f` is one of the
    /// library's own setters, else `f` called.
    fn apply(&mut self, f: Val, arg: Thunk<Val>) -> Result<()> {
        if let Val::Func(FuncVal::Builtin(b)) = &f {
            if let Some(setter) = b.as_any().downcast_ref::<Setter>() {
                let (target, add, wrap_array) = setter.parts();
                self.insert(
                    target,
                    Leaf {
                        add,
                        wrap_array,
                        value: arg,
                    },
                );
                return Ok(());
            }
        }
        let value = NativeFn::<(Thunk<Val>, Val)>::from_untyped(f)?.call(arg)?;
        self.layers.push(Layer::Value(value));
        Ok(())
    }

    /// `+ {<path>: leaf}`.
    fn set(&mut self, path: &[&str], leaf: Leaf) {
        let path: Vec<IStr> = path.iter().map(|k| IStr::from(*k)).collect();
        self.insert(&path, leaf);
    }

    fn insert(&mut self, path: &[IStr], leaf: Leaf) {
        if let Some(Layer::Tree(top)) = self.layers.last_mut() {
            if top.insert(path, &leaf) {
                return;
            }
        }
        let mut tree = Tree::default();
        tree.insert(path, &leaf);
        self.layers.push(Layer::Tree(tree));
    }

    /// The sum of the layers.
    fn finish(self) -> Result<Val> {
        let mut sum: Option<Val> = None;
        for layer in self.layers {
            let value = match layer {
                Layer::Tree(tree) => Val::Obj(tree_object(tree)),
                Layer::Value(v) => v,
            };
            sum = Some(match sum {
                None => value,
                Some(below) => add(below, value)?,
            });
        }
        Ok(sum.unwrap_or_else(|| Val::Obj(ObjValue::empty())))
    }
}

/// The object of one tree layer.
fn tree_object(tree: Tree) -> ObjValue {
    let mut b = ObjValueBuilder::new();
    b.extend_with_core(TreeLayer(tree));
    b.build()
}

/// A [`Tree`] as an object layer: a field lookup is a comparison per field, an inner
/// level's object is made when its field is read.
#[derive(Trace)]
struct TreeLayer(Tree);

impl std::fmt::Debug for TreeLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.0 .0.iter().map(|f| &*f.name).collect();
        f.debug_tuple("TreeLayer").field(&names).finish()
    }
}

impl TreeLayer {
    fn field(&self, name: &IStr) -> Option<&Node> {
        self.0 .0.iter().find(|f| f.name == *name).map(|f| &f.node)
    }
}

impl ObjectCore for TreeLayer {
    fn enum_fields_core(
        &self,
        super_depth: &mut SuperDepth,
        handler: &mut EnumFieldsHandler<'_>,
    ) -> bool {
        for f in &self.0 .0 {
            let flow = handler(
                *super_depth,
                FieldIndex::default(),
                f.name.clone(),
                EnumFields::Normal(Visibility::Normal),
            );
            if flow != ControlFlow::Continue(()) {
                return false;
            }
        }
        true
    }
    fn has_field_include_hidden_core(&self, name: IStr) -> HasFieldIncludeHidden {
        match self.field(&name) {
            Some(_) => HasFieldIncludeHidden::Exists,
            None => HasFieldIncludeHidden::NotFound,
        }
    }
    fn get_for_core(&self, key: IStr, _sup_this: SupThis, omit_only: bool) -> Result<GetFor> {
        if omit_only {
            return Ok(GetFor::NotFound);
        }
        Ok(match self.field(&key) {
            None => GetFor::NotFound,
            Some(Node::Inner(fields)) => {
                GetFor::SuperPlus(Val::Obj(tree_object(Tree(fields.clone()))))
            }
            Some(Node::Leaf(leaf)) => {
                let mut v = leaf.value.evaluate()?;
                if leaf.wrap_array && !matches!(v, Val::Arr(_)) {
                    // `if std.isArray(v) then v else [v]`.
                    v = Val::arr(vec![v]);
                }
                if leaf.add {
                    GetFor::SuperPlus(v)
                } else {
                    GetFor::Final(v)
                }
            }
        })
    }
    fn field_visibility_core(&self, field: IStr) -> FieldVisibility {
        match self.field(&field) {
            Some(_) => FieldVisibility::Found(Visibility::Normal),
            None => FieldVisibility::NotFound,
        }
    }
    fn run_assertions_core(&self, _sup_this: SupThis) -> Result<()> {
        Ok(())
    }
}

/// A helper member: binds to the object it is read from.
#[derive(Acyclic)]
struct HelperUnbound(Helper);

impl Unbound for HelperUnbound {
    type Bound = Val;
    fn bind(&self, sup_this: SupThis) -> Result<Val> {
        Ok(Val::Func(FuncVal::builtin(BoundHelper {
            helper: self.0,
            params: self.0.params(),
            sup_this,
            resolved: RefCell::new(Vec::new()),
        })))
    }
}

/// A helper bound to one object.
#[derive(Trace)]
struct BoundHelper {
    #[trace(skip)]
    helper: Helper,
    #[trace(skip)]
    params: FunctionSignature,
    sup_this: SupThis,
    /// The functions its calls have read.
    resolved: RefCell<Vec<Resolved>>,
}

impl Builtin for BoundHelper {
    fn name(&self) -> &str {
        self.helper.signature().0
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        self.helper.call(self, args)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `{<kind>: {<helper>: ...}}` for each kind and its helpers, each kind's object
/// added with `+:`.
fn kinds(kinds: &[(&str, &[Helper])]) -> ObjValue {
    let mut b = ObjValueBuilder::with_capacity(kinds.len());
    for (kind, helpers) in kinds {
        let mut k = ObjValueBuilder::with_capacity(helpers.len());
        for helper in *helpers {
            // Hidden (`::`) as the Jsonnet methods are, but for `persistentVolume.new`
            // (`new(name=''):`, as visible as the generated `new` it replaces).
            let visibility = if *helper == PersistentVolumeNew {
                Visibility::Normal
            } else {
                Visibility::Hidden
            };
            k.field(helper.signature().0)
                .with_visibility(visibility)
                .bindable(HelperUnbound(*helper))
                .expect("one helper of each name per kind");
        }
        b.field(*kind).add().value(Val::Obj(k.build()));
    }
    b.build()
}

/// The helpers of `core.libsonnet` served natively, by kind.
const CORE: &[(&str, &[Helper])] = &[
    (
        "container",
        &[ContainerNew, ResourcesRequests, ResourcesLimits],
    ),
    (
        "containerPort",
        &[PortNew, PortNewNamed, PortNewUdp, PortNewNamedUdp],
    ),
    ("servicePort", &[ServicePortNew, ServicePortNewNamed]),
    ("service", &[ServiceNew]),
    ("configMap", &[ConfigMapNew]),
    ("volumeMount", &[VolumeMountNew]),
    ("volume", &[VolumeFromConfigMap]),
    ("envVar", &[EnvVarNew]),
    ("keyToPath", &[KeyToPathNew]),
    ("secret", &[SecretNew]),
    ("persistentVolume", &[PersistentVolumeNew]),
];

/// The helpers of `apps.libsonnet` served natively, by kind.
const APPS: &[(&str, &[Helper])] = &[
    ("deployment", &[DeploymentNew]),
    ("statefulSet", &[StatefulSetNew]),
    ("daemonSet", &[DaemonSetNew]),
];

/// The helpers of `core.libsonnet` served natively, as `core.v1`'s fields: one
/// object per kind, to add with `+:`.
pub fn core_helpers() -> ObjValue {
    kinds(CORE)
}

/// `std.native('gwsonnet.k8sApps')()`: `{apps+: {v1+: {deployment+: {new}, ...}}}`,
/// the `apps.libsonnet` helpers served natively (`new` of Deployment, StatefulSet and
/// DaemonSet).
#[builtin]
pub fn builtin_k8s_apps() -> ObjValue {
    let mut v1 = ObjValueBuilder::with_capacity(1);
    v1.field("v1").add().value(Val::Obj(kinds(APPS)));
    let mut apps = ObjValueBuilder::with_capacity(1);
    apps.field("apps").add().value(Val::Obj(v1.build()));
    apps.build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<IStr> {
        p.iter().map(|k| IStr::from(*k)).collect()
    }

    /// `build.rs` leaves out of each served file the functions named in
    /// `NATIVE_FIELDS`: exactly the names served natively (with `core.libsonnet`'s two
    /// env helpers of `super::super::k8s_custom`).
    #[test]
    fn the_fields_left_out_of_the_files_are_the_natives() {
        use std::collections::BTreeSet;
        let names = |table: &[(&str, &[Helper])]| -> BTreeSet<&str> {
            table
                .iter()
                .flat_map(|(_, helpers)| helpers.iter().map(|h| h.signature().0))
                .collect()
        };
        let listed = |file| -> BTreeSet<&str> {
            super::super::docs_split::native_fields(file)
                .iter()
                .copied()
                .collect()
        };
        let mut core = names(CORE);
        core.extend(["withEnvMixin", "withEnvMap"]);
        assert_eq!(listed("core.libsonnet"), core);
        assert_eq!(listed("apps.libsonnet"), names(APPS));
        assert!(listed("batch.libsonnet").is_empty());
    }

    /// The built-in `main.libsonnet` adds `core.libsonnet` and `apps.libsonnet` field by
    /// field, as their Jsonnet has them: every kind the natives of their overlays serve
    /// must be one of those fields, or its helpers would be lost.
    #[test]
    fn the_kinds_served_natively_are_fields_main_adds() {
        let main = super::super::k8s_custom::lazy_main(crate::openapi::CUSTOM_FILES)
            .expect("the built-in files");
        for (file, group, table) in [("c3", "core", CORE), ("c0", "apps", APPS)] {
            for (kind, _) in table {
                let taken = format!(" {file}.{group}.v1.{kind}");
                assert!(main.contains(&taken), "{taken} in {main}");
            }
        }
    }

    #[test]
    fn a_tree_takes_paths_until_one_meets_a_written_field() {
        let leaf = Leaf::plain(Thunk::evaluated(Val::Null));
        let mut tree = Tree::default();
        assert!(tree.insert(&path(&["spec", "replicas"]), &leaf));
        assert!(tree.insert(&path(&["spec", "template", "spec", "containers"]), &leaf));
        assert!(tree.insert(&path(&["metadata", "name"]), &leaf));
        // The same leaf twice, a leaf below a leaf, a leaf where an object is.
        assert!(!tree.insert(&path(&["spec", "replicas"]), &leaf));
        assert!(!tree.insert(&path(&["spec", "replicas", "x"]), &leaf));
        assert!(!tree.insert(&path(&["spec", "template"]), &leaf));
        assert_eq!(tree.0.len(), 2);
    }
}
