//! Natives behind the hottest helpers of the Kubernetes library's hand-written layer
//! (`_custom/`, gwsonnet's own Jsonnet in `lib/k8s/custom/`).
//!
//! The Jsonnet files stay the source of the layer: `libsonnet --out` writes them as
//! they are, and their docs fields are what `docs` renders. When the engine serves a
//! file that has an overlay ([`served`], `lib/k8s/natives/<file>`), the file is
//! followed by `+` that overlay, which replaces some of its functions with ones that
//! compute the same values (same fields, same laziness, same first line of every
//! error) without interpreting the helper's Jsonnet on every call. A vendored
//! `_custom` directory on the search path replaces the built-in files, overlays
//! included.
//!
//! - `core.libsonnet`: `container.withEnvMixin` (entries with an empty `value` lose
//!   it) and `container.withEnvMap` (variables from an object, through
//!   `self.withEnvMixin`, late-bound as in the Jsonnet), and the constructors of
//!   [`super::k8s_helpers`], natives from [`builtin_k8s_core`].
//! - `apps.libsonnet`: `deployment.new` ([`super::k8s_helpers::builtin_k8s_apps`]).
//! - `volumeMounts.libsonnet`: the volume mount helpers of the workloads, still
//!   Jsonnet for their arguments (mounts and volumes made by the library's own
//!   functions, through `$`), with the pod template patch made by
//!   [`builtin_k8s_pod_patch`] as one layer instead of a `mapContainers` object plus
//!   a volume object (mounting on each container natively when `containers` is null),
//!   and `configMapVolumeMount`'s hash from [`builtin_k8s_config_hash`].
//!
//! The functions an overlay defines again are left out of the file's evaluated form
//! (`build.rs` with `without_overlaid` of `src/native/docs_split.rs`): the overlay's fields win, so
//! their Jsonnet bodies would only be parsed, never run.
//!
//! Contact points: [`super::BuiltinFiles`] serves the files, [`super::natives`]
//! registers [`NATIVES`]; the env helpers return the generated setters' objects
//! ([`super::library::setter_object`]).

use std::{borrow::Cow, fmt, ops::ControlFlow, rc::Rc};

use jrsonnet_evaluator::{
    error::{ErrorKind, Result},
    function::{builtin, builtin::Builtin, CallLocation, FuncVal, NativeFn},
    ordering::{FieldIndex, SuperDepth},
    typed::FromUntyped,
    val::{ArrValue, IndexableVal, MemoizedClosureThunk, ThunkValue},
    with_state, EnumFields, EnumFieldsHandler, FieldVisibility, GetFor, HasFieldIncludeHidden,
    IStr, ObjValue, ObjValueBuilder, ObjectCore, SupThis, Thunk, Unbound, Val, Visibility,
};
use jrsonnet_gcmodule::{Acyclic, Trace};
use jrsonnet_ir::function::FunctionSignature;

use super::library::{first_arg, one_param, setter_object};

/// The natives the overlays call: the container env helpers' overlay object, and the
/// pod template patch and the ConfigMap hash of the volume mount helpers.
pub const NATIVES: [&str; 4] = [
    "gwsonnet.k8sCore",
    "gwsonnet.k8sPodPatch",
    "gwsonnet.k8sApps",
    "gwsonnet.k8sConfigHash",
];

/// The overlay served after each hand-written file that has one (`lib/k8s/natives/`).
const OVERLAYS: &[(&str, &str)] = &[
    (
        "apps.libsonnet",
        include_str!("../../lib/k8s/natives/apps.libsonnet"),
    ),
    (
        "core.libsonnet",
        include_str!("../../lib/k8s/natives/core.libsonnet"),
    ),
    (
        "volumeMounts.libsonnet",
        include_str!("../../lib/k8s/natives/volumeMounts.libsonnet"),
    ),
];

// `EVALUATED`: each `lib/k8s/custom/<file>` split by `build.rs` (`src/native/docs_split.rs`),
// and `DOCS_DIR`, the folder its docs files are served from.
include!(concat!(env!("OUT_DIR"), "/k8s_custom.rs"));

/// The text the engine serves for the hand-written file `name` with contents `text`:
/// the file's evaluated form (its docs values in files of their own, imported where
/// they were, split by `build.rs` with `src/native/docs_split.rs`), followed by its overlay when it has one.
pub fn served(name: &str, text: &'static str) -> Cow<'static, str> {
    let text = EVALUATED
        .iter()
        .find(|(n, ..)| *n == name)
        .map_or(text, |(_, evaluated, _)| evaluated);
    let Some((_, overlay)) = OVERLAYS.iter().find(|(n, _)| *n == name) else {
        return Cow::Borrowed(text);
    };
    // The opening parenthesis goes on the file's first line (a comment), so every
    // position the file's errors name stays where it is.
    Cow::Owned(format!("({text}\n) + (\n{overlay})\n"))
}

/// The `main.libsonnet` the engine evaluates for a library whose hand-written files are
/// `files` (the built-in ones, [`crate::openapi::CUSTOM_FILES`]): `gen.libsonnet` plus
/// each file, those that can be added field by field so, each imported only when one
/// of its fields is read (`build.rs`, `lazy_main` of `src/native/docs_split.rs`).
/// `None` for other files: their `main.libsonnet` is the published one.
pub fn lazy_main(files: &[(&str, &str)]) -> Option<&'static str> {
    let ours = files.len() == EVALUATED.len()
        && files
            .iter()
            .zip(EVALUATED)
            .all(|((name, _), (ours, ..))| name == ours);
    ours.then_some(LAZY_MAIN)
}

/// The docs file at `path` (below `_custom/`: `.docs/<file>/<n>`) that the evaluated
/// form of `<file>` imports (`src/native/docs_split.rs`).
pub fn docs_file(path: &str) -> Option<&'static str> {
    let (file, n) = path
        .strip_prefix(DOCS_DIR)?
        .strip_prefix('/')?
        .rsplit_once('/')?;
    let (_, _, docs) = EVALUATED.iter().find(|(name, ..)| *name == file)?;
    docs.get(n.parse::<usize>().ok()?).copied()
}

/// `std.native('gwsonnet.k8sCore')()`: `{core+: {v1+: {container+: {withEnvMixin,
/// withEnvMap, ...}, ...}}}`, the env helpers and the constructors of
/// [`super::k8s_helpers::core_helpers`], hidden as the Jsonnet ones they replace (which
/// `build.rs` leaves out of the served file).
#[builtin]
pub fn builtin_k8s_core() -> ObjValue {
    let mut container = ObjValueBuilder::with_capacity(2);
    container
        .field("withEnvMixin")
        .hide()
        .value(Val::Func(FuncVal::builtin(WithEnvMixin::new())));
    container
        .field("withEnvMap")
        .hide()
        .bindable(WithEnvMapUnbound)
        .expect("a new object has no fields");
    let mut env = ObjValueBuilder::with_capacity(1);
    env.field("container")
        .add()
        .value(Val::Obj(container.build()));
    let v1 = env.build().extend_from(super::k8s_helpers::core_helpers());
    nested(&["core", "v1"], v1)
}

/// `{ <path[0]>+: { ... <last>+: leaf } }`: `leaf` added at `path`.
fn nested(path: &[&str], leaf: ObjValue) -> ObjValue {
    path.iter().rev().fold(leaf, |inner, key| {
        let mut b = ObjValueBuilder::with_capacity(1);
        b.field(*key).add().value(Val::Obj(inner));
        b.build()
    })
}

/// The target path of the generated `container.withEnvMixin`.
fn env_target() -> Rc<[IStr]> {
    Rc::from(vec![IStr::from("env")])
}

/// `container.withEnvMixin(env)`: `super.withEnvMixin([withoutEmptyValue(e) for e in
/// env])`, i.e. `{env+: [...]}`, each entry made when it is read.
#[derive(Acyclic)]
struct WithEnvMixin {
    params: FunctionSignature,
}

impl WithEnvMixin {
    fn new() -> Self {
        Self {
            params: one_param("env"),
        }
    }
}

impl Builtin for WithEnvMixin {
    fn name(&self) -> &str {
        "withEnvMixin"
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let env = first_arg(args, &self.params)?;
        let entries = Thunk::new(MemoizedClosureThunk::new(env, |env: Thunk<Val>| {
            // The comprehension's error in go-jsonnet's words, as the same Jsonnet read
            // from disk gives it (through the source prepass, which the built-in files
            // skip: docs/performance.md#the-source-prepass).
            let env = match env.evaluate()? {
                Val::Arr(env) => env,
                other => {
                    return Err(ErrorKind::RuntimeError(
                        format!(
                            "Unexpected type {}, expected array",
                            other.value_type().name()
                        )
                        .into(),
                    )
                    .into())
                }
            };
            let lazy: Vec<Thunk<Val>> = env
                .iter_lazy()
                .map(|entry| Thunk::new(MemoizedClosureThunk::new(entry, without_empty_value)))
                .collect();
            Ok(Val::Arr(ArrValue::new(lazy)))
        }));
        Ok(Val::Obj(setter_object(env_target(), true, false, entries)))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `std.length(v)`, with `std.length`'s (go-jsonnet's) type error for other values.
pub(super) fn length(v: Val) -> Result<u32> {
    Ok(match v {
        Val::Str(s) => s.to_string().chars().count() as u32,
        Val::Arr(a) => a.len(),
        Val::Obj(o) => o.len(),
        Val::Func(f) => f.params_len(),
        other => {
            return Err(std_error("length", |f| {
                NativeFn::<(Val, Val)>::try_from(f)?.call(other)
            }))
        }
    })
}

/// The error `std.<name>` raises where `call` calls it: the program's own `std.<name>`
/// (gwsonnet's, with go-jsonnet's argument checks, message and `<std>` frames), for a
/// helper whose Jsonnet calls `std.<name>` with arguments it rejects.
fn std_error(name: &str, call: impl FnOnce(FuncVal) -> Result<Val>) -> jrsonnet_evaluator::Error {
    let function = with_state(|s| s.evaluate_snippet("<k8s natives>", format!("std.{name}")));
    match function.and_then(|f| call(FuncVal::from_untyped(f)?)) {
        Err(e) => e,
        Ok(_) => {
            ErrorKind::RuntimeError(format!("std.{name} accepted its arguments").into()).into()
        }
    }
}

/// The Jsonnet `withoutEmptyValue(envVar)`: an entry whose visible `value` has length
/// zero becomes an object of its other visible fields (read when they are read).
fn without_empty_value(entry: Thunk<Val>) -> Result<Val> {
    let value = entry.evaluate()?;
    let obj = ObjValue::from_untyped(value.clone())?;
    let key = IStr::from("value");
    if !obj.has_field(key.clone()) || length(obj.get_or_bail(key.clone())?)? != 0 {
        return Ok(value);
    }
    let fields = obj.fields();
    let mut b = ObjValueBuilder::with_capacity(fields.len());
    for field in fields {
        if field == key {
            continue;
        }
        b.field(field.clone()).thunk(Thunk::new(FieldOf {
            obj: obj.clone(),
            field,
        }));
    }
    Ok(Val::Obj(b.build()))
}

/// `obj[field]`, read when needed.
#[derive(Trace)]
struct FieldOf {
    obj: ObjValue,
    field: IStr,
}

impl ThunkValue for FieldOf {
    type Output = Val;
    fn get(&self) -> Result<Val> {
        self.obj.get_or_bail(self.field.clone())
    }
}

/// The `withEnvMap` member: binds to the object it is read from (`self`).
#[derive(Acyclic)]
struct WithEnvMapUnbound;

impl Unbound for WithEnvMapUnbound {
    type Bound = Val;
    fn bind(&self, sup_this: SupThis) -> Result<Val> {
        Ok(Val::Func(FuncVal::builtin(WithEnvMap {
            params: one_param("env"),
            this: sup_this.this().clone(),
        })))
    }
}

/// `container.withEnvMap(env)` bound to one object: `self.withEnvMixin([...])` with one
/// entry per visible field of `env`, in field order: `{name, valueFrom: v}` for an
/// object value, `{name}` for an empty one, else `{name, value: v}`.
#[derive(Trace)]
struct WithEnvMap {
    #[trace(skip)]
    params: FunctionSignature,
    this: ObjValue,
}

/// The entries of `withEnvMap(env)`, all made when the array is.
fn env_map_entries(env: Thunk<Val>) -> Result<Val> {
    let env = ObjValue::from_untyped(env.evaluate()?)?;
    let (name_key, value_key, value_from_key) = (
        IStr::from("name"),
        IStr::from("value"),
        IStr::from("valueFrom"),
    );
    let mut entries = Vec::new();
    for name in env.fields() {
        let value = env.get_or_bail(name.clone())?;
        let mut b = ObjValueBuilder::with_capacity(2);
        b.field(name_key.clone()).value(Val::string(name));
        if matches!(value, Val::Obj(_)) {
            b.field(value_from_key.clone()).value(value);
        } else if length(value.clone())? != 0 {
            b.field(value_key.clone()).value(value);
        }
        entries.push(Val::Obj(b.build()));
    }
    Ok(Val::Arr(ArrValue::new(entries)))
}

impl Builtin for WithEnvMap {
    fn name(&self) -> &str {
        "withEnvMap"
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let env = first_arg(args, &self.params)?;
        let entries = Thunk::new(MemoizedClosureThunk::new(env, env_map_entries));
        let mixin = self.this.get_or_bail("withEnvMixin".into())?;
        // Our own `withEnvMixin` (not overridden): its pass over the entries keeps
        // every one as it is (none has an empty `value`), so its result is the setter's.
        if let Val::Func(FuncVal::Builtin(b)) = &mixin {
            if b.as_any().downcast_ref::<WithEnvMixin>().is_some() {
                return Ok(Val::Obj(setter_object(env_target(), true, false, entries)));
            }
        }
        let mixin = NativeFn::<(Thunk<Val>, Val)>::from_untyped(mixin)?;
        mixin.call(entries)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `std.native('gwsonnet.k8sConfigHash')(configMap)`: `std.md5(std.toString(configMap))`
/// without making the string form a Jsonnet string first.
#[builtin]
pub fn builtin_k8s_config_hash(config_map: Val) -> Result<String> {
    Ok(crate::gocompat::md5::md5_hex(
        crate::manifest::json::go_to_string(&config_map)?.as_bytes(),
    ))
}

/// `std.native('gwsonnet.k8sPodPatch')(cronJob, mount, containers, f,
/// includeInitContainers, volume, annotations)`: what `super.mapContainers(f,
/// includeInitContainers) + addVolume(atTemplate, volume, annotations)` of
/// `_custom/volumeMounts.libsonnet` adds to a workload, as one layer with one field,
/// `spec+:`. `f` is `mountIn(containers, mount)`; where `containers` is null (read when
/// a container is) the patch adds `mount` to an object container itself, as `f`
/// would. `includeInitContainers` is a boolean, `annotations` an object or null; both
/// are read when `spec` is.
#[builtin]
pub fn builtin_k8s_pod_patch(
    cron_job: bool,
    mount: Thunk<Val>,
    containers: Thunk<Val>,
    f: FuncVal,
    include_init_containers: Thunk<Val>,
    volume: Thunk<Val>,
    annotations: Thunk<Val>,
) -> Result<ObjValue> {
    let mut b = ObjValueBuilder::new();
    b.extend_with_core(PodPatch {
        cron_job,
        mount: MountIn {
            mount,
            containers,
            f: NativeFn::try_from(f)?,
        },
        include_init_containers,
        volume,
        annotations,
    });
    Ok(b.build())
}

/// `mountIn(containers, mount)` of the overlay: `container { volumeMounts+: [mount] }`
/// for the containers named in `containers` (all when it is null).
#[derive(Trace, Clone)]
struct MountIn {
    mount: Thunk<Val>,
    containers: Thunk<Val>,
    f: NativeFn<(Val, Val)>,
}

impl MountIn {
    /// The container `container` mapped: natively when `containers` is null and it is
    /// an object, else by the Jsonnet function (its result and errors).
    fn apply(self, container: Thunk<Val>) -> Result<Val> {
        let container = container.evaluate()?;
        match (&container, self.containers.evaluate()?) {
            (Val::Obj(c), Val::Null) => {
                let mut b = ObjValueBuilder::with_capacity(1);
                b.field("volumeMounts")
                    .add()
                    .value(Val::Arr(ArrValue::new(vec![self.mount.clone()])));
                Ok(Val::Obj(b.build().extend_from(c.clone())))
            }
            _ => self.f.call(container),
        }
    }
}

/// The layer [`builtin_k8s_pod_patch`] returns.
#[derive(Trace)]
struct PodPatch {
    #[trace(skip)]
    cron_job: bool,
    mount: MountIn,
    include_init_containers: Thunk<Val>,
    volume: Thunk<Val>,
    annotations: Thunk<Val>,
}

impl fmt::Debug for PodPatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PodPatch")
            .field("cron_job", &self.cron_job)
            .finish_non_exhaustive()
    }
}

/// The path from a workload's `spec` to its pod template.
fn template_path(cron_job: bool) -> &'static [&'static str] {
    if cron_job {
        &["jobTemplate", "spec", "template"]
    } else {
        &["template"]
    }
}

impl PodPatch {
    /// `{template+: {spec+: {containers, initContainers?, volumes+: [volume]},
    /// metadata+?: {annotations+: annotations}}}` (the template deeper for a CronJob).
    fn spec(&self, sup_this: &SupThis) -> Result<ObjValue> {
        let mut pod = ObjValueBuilder::with_capacity(3);
        let mapped = |field: &str| {
            Thunk::new(MemoizedClosureThunk::new(
                MappedContainers {
                    sup_this: sup_this.clone(),
                    cron_job: self.cron_job,
                    mount: self.mount.clone(),
                    field: field.into(),
                },
                MappedContainers::get,
            ))
        };
        pod.field("containers").thunk(mapped("containers"));
        if bool::from_untyped(self.include_init_containers.evaluate()?)? {
            pod.field("initContainers").thunk(mapped("initContainers"));
        }
        pod.field("volumes")
            .add()
            .value(Val::Arr(ArrValue::new(vec![self.volume.clone()])));
        let mut template = ObjValueBuilder::with_capacity(2);
        template.field("spec").add().value(Val::Obj(pod.build()));
        let annotations = self.annotations.evaluate()?;
        if !matches!(annotations, Val::Null) {
            let mut metadata = ObjValueBuilder::with_capacity(1);
            metadata.field("annotations").add().value(annotations);
            template
                .field("metadata")
                .add()
                .value(Val::Obj(metadata.build()));
        }
        Ok(nested(template_path(self.cron_job), template.build()))
    }
}

/// `std.map(mountIn, pod.<field>)` of the pod spec of `super.spec` (the workload the patch is
/// added to), computed when read.
#[derive(Trace, Clone)]
struct MappedContainers {
    sup_this: SupThis,
    #[trace(skip)]
    cron_job: bool,
    mount: MountIn,
    field: IStr,
}

impl MappedContainers {
    fn get(self) -> Result<Val> {
        let spec_key = IStr::from("spec");
        let Some(mut at) = self.sup_this.get_super(spec_key.clone())? else {
            return Err(ErrorKind::NoSuchField(spec_key, vec![]).into());
        };
        for key in template_path(self.cron_job).iter().chain(&["spec"]) {
            at = ObjValue::from_untyped(at)?.get_or_bail((*key).into())?;
        }
        let list = ObjValue::from_untyped(at)?.get_or_bail(self.field)?;
        // The Jsonnet calls `std.map(f, list)`: its error for anything but an array or
        // a string.
        if !matches!(list, Val::Arr(_) | Val::Str(_)) {
            // The function is one: the list alone is rejected.
            return Err(std_error("map", |f| {
                NativeFn::<(Val, Val, Val)>::try_from(f)?.call(Val::Func(FuncVal::identity()), list)
            }));
        }
        let mapped: Vec<Thunk<Val>> = IndexableVal::from_untyped(list)?
            .to_array()
            .iter_lazy()
            .map(|c| {
                Thunk::new(MemoizedClosureThunk::new(
                    (self.mount.clone(), c),
                    |(mount, c)| mount.apply(c),
                ))
            })
            .collect();
        Ok(Val::Arr(ArrValue::new(mapped)))
    }
}

impl ObjectCore for PodPatch {
    fn enum_fields_core(
        &self,
        super_depth: &mut SuperDepth,
        handler: &mut EnumFieldsHandler<'_>,
    ) -> bool {
        handler(
            *super_depth,
            FieldIndex::default(),
            "spec".into(),
            EnumFields::Normal(Visibility::Normal),
        ) == ControlFlow::Continue(())
    }
    fn has_field_include_hidden_core(&self, name: IStr) -> HasFieldIncludeHidden {
        if &*name == "spec" {
            HasFieldIncludeHidden::Exists
        } else {
            HasFieldIncludeHidden::NotFound
        }
    }
    fn get_for_core(&self, key: IStr, sup_this: SupThis, omit_only: bool) -> Result<GetFor> {
        if omit_only || &*key != "spec" {
            return Ok(GetFor::NotFound);
        }
        Ok(GetFor::SuperPlus(Val::Obj(self.spec(&sup_this)?)))
    }
    fn field_visibility_core(&self, field: IStr) -> FieldVisibility {
        if &*field == "spec" {
            FieldVisibility::Found(Visibility::Normal)
        } else {
            FieldVisibility::NotFound
        }
    }
    fn run_assertions_core(&self, _sup_this: SupThis) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_served_split_with_their_docs_files_and_overlays() {
        let files = crate::openapi::CUSTOM_FILES;
        assert_eq!(EVALUATED.len(), files.len());
        assert_eq!(DOCS_DIR, super::super::docs_split::DOCS_DIR);
        for (name, text) in files {
            let split = super::super::docs_split::split(text, &format!("{DOCS_DIR}/{name}"));
            assert!(!split.docs.is_empty(), "{name} has docs fields");
            let evaluated = match OVERLAYS.iter().find(|(n, _)| n == name) {
                Some((_, overlay)) => super::super::docs_split::without_overlaid(
                    &split.evaluated,
                    overlay,
                    super::super::docs_split::native_fields(name),
                ),
                None => split.evaluated.clone(),
            };
            let evaluated = super::super::docs_split::without_unused_locals(&evaluated);
            assert!(served(name, text).contains(&evaluated), "{name}");
            for (n, doc) in split.docs.iter().enumerate() {
                assert_eq!(
                    docs_file(&format!("{DOCS_DIR}/{name}/{n}")),
                    Some(doc.as_str())
                );
            }
            let past = format!("{DOCS_DIR}/{name}/{}", split.docs.len());
            assert_eq!(docs_file(&past), None);
        }
        let core = served("core.libsonnet", "");
        assert!(core.starts_with("(// "), "{core}");
        assert!(core.contains("std.native('gwsonnet.k8sCore')()"), "{core}");
        let mounts = served("volumeMounts.libsonnet", "");
        assert!(mounts.contains("std.native('gwsonnet.k8sPodPatch')"));
        // The Jsonnet bodies the overlay replaces are left out; the helper it does not
        // replace stays.
        assert!(!mounts.contains("local mount = "), "{mounts}");
        // So are the locals only they (or the docs values) used.
        assert!(!mounts.contains("local addVolume("), "{mounts}");
        assert!(mounts.contains("secretVolumeMountAnnotated(name, path"));
        assert!(served("apps.libsonnet", "").contains("std.native('gwsonnet.k8sApps')()"));
        assert!(matches!(served("batch.libsonnet", ""), Cow::Borrowed(_)));
        for (name, _) in OVERLAYS {
            assert!(files.iter().any(|(n, _)| n == name));
        }
    }
}
