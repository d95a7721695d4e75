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
//! - `volumeMounts.libsonnet`: the volume mount helpers of the workloads
//!   ([`builtin_k8s_volume_mounts`], all but `secretVolumeMountAnnotated`): the mount
//!   and the volume made by the library's own functions, late-bound through `$`, when
//!   read; the pod template patch as one layer instead of a `mapContainers` object plus
//!   a volume object (mounting on each container natively when `containers` is null,
//!   through the overlay's Jsonnet `mountIn` otherwise); `configMapVolumeMount`'s hash
//!   without the intermediate Jsonnet string.
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

use super::k8s_helpers::{add, condition, field_path, jsonnet_value, signature};
use super::library::{first_arg, one_param, setter_object};

/// The natives the overlays call: the container env helpers' overlay object, and the
/// pod template patch and the ConfigMap hash of the volume mount helpers.
pub const NATIVES: [&str; 3] = [
    "gwsonnet.k8sCore",
    "gwsonnet.k8sVolumeMounts",
    "gwsonnet.k8sApps",
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
    // The opening parenthesis goes on the file's first line (a comment, left out of
    // the evaluated form), so every position the file's errors name stays where it is.
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

/// The volume mount helpers of `_custom/volumeMounts.libsonnet` served natively.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mount {
    Config,
    ConfigMap,
    Host,
    Pvc,
    Secret,
    Empty,
    Csi,
}

impl Mount {
    const ALL: [Mount; 7] = [
        Mount::Config,
        Mount::ConfigMap,
        Mount::Host,
        Mount::Pvc,
        Mount::Secret,
        Mount::Empty,
        Mount::Csi,
    ];

    /// The helper's name and its own parameters before the common ones
    /// (`volumeMountMixin={}, volumeMixin={}, containers=null,
    /// includeInitContainers=false`), `true` where one has a default.
    fn signature(self) -> (&'static str, &'static [(&'static str, bool)]) {
        match self {
            Mount::Config => ("configVolumeMount", &[("name", false), ("path", false)]),
            Mount::ConfigMap => (
                "configMapVolumeMount",
                &[("configMap", false), ("path", false)],
            ),
            Mount::Host => (
                "hostVolumeMount",
                &[
                    ("name", false),
                    ("hostPath", false),
                    ("path", false),
                    ("readOnly", true),
                ],
            ),
            Mount::Pvc => (
                "pvcVolumeMount",
                &[("name", false), ("path", false), ("readOnly", true)],
            ),
            Mount::Secret => (
                "secretVolumeMount",
                &[("name", false), ("path", false), ("defaultMode", true)],
            ),
            Mount::Empty => ("emptyVolumeMount", &[("name", false), ("path", false)]),
            Mount::Csi => (
                "csiVolumeMount",
                &[
                    ("name", false),
                    ("path", false),
                    ("driver", false),
                    ("volumeAttributes", false),
                ],
            ),
        }
    }

    fn params(self) -> FunctionSignature {
        let common = [
            ("volumeMountMixin", true),
            ("volumeMixin", true),
            ("containers", true),
            ("includeInitContainers", true),
        ];
        let params: Vec<(&str, bool)> = self.signature().1.iter().copied().chain(common).collect();
        signature(&params)
    }
}

/// `std.native('gwsonnet.k8sVolumeMounts')(lib, cronJob, mountIn)`: the volume mount
/// helpers of a workload (`configVolumeMount`, `configMapVolumeMount`,
/// `hostVolumeMount`, `pvcVolumeMount`, `secretVolumeMount`, `emptyVolumeMount`,
/// `csiVolumeMount`), hidden as the Jsonnet methods they replace. Each computes what
/// its Jsonnet does: the mount (`lib.core.v1.volumeMount.new(name, path) +
/// volumeMountMixin`) and the volume (`lib.core.v1.volume.from…(…) + volumeMixin`) made
/// by the library's own functions, late-bound through `lib` (the root, `$`), when the
/// patch reads them, and the patch as one layer ([`PodPatch`]). `mountIn(containers,
/// mount)` is the overlay's Jsonnet, called for containers only when `containers` is
/// not null. `cronJob`: the pod template is `spec.jobTemplate.spec.template`.
#[builtin]
pub fn builtin_k8s_volume_mounts(lib: Thunk<Val>, cron_job: bool, mount_in: FuncVal) -> ObjValue {
    let mut b = ObjValueBuilder::with_capacity(Mount::ALL.len());
    for helper in Mount::ALL {
        b.field(helper.signature().0)
            .hide()
            .value(Val::Func(FuncVal::builtin(VolumeMount {
                helper,
                params: helper.params(),
                lib: lib.clone(),
                cron_job,
                mount_in: mount_in.clone(),
            })));
    }
    b.build()
}

/// One volume mount helper of a workload kind.
#[derive(Trace)]
struct VolumeMount {
    #[trace(skip)]
    helper: Mount,
    #[trace(skip)]
    params: FunctionSignature,
    lib: Thunk<Val>,
    #[trace(skip)]
    cron_job: bool,
    mount_in: FuncVal,
}

impl Builtin for VolumeMount {
    fn name(&self) -> &str {
        self.helper.signature().0
    }
    fn params(&self) -> FunctionSignature {
        self.params.clone()
    }
    fn call(&self, _loc: CallLocation<'_>, args: &[Option<Thunk<Val>>]) -> Result<Val> {
        let own = self.helper.signature().1.len();
        let arg = |i: usize| {
            args[i]
                .clone()
                .expect("a parameter without default is bound")
        };
        let or = |i: usize, value: Val| args[i].clone().unwrap_or_else(|| Thunk::evaluated(value));
        let empty = || Val::Obj(ObjValue::empty());
        let (mount_mixin, volume_mixin) = (or(own, empty()), or(own + 1, empty()));
        let containers = or(own + 2, Val::Null);
        let include = or(own + 3, Val::Bool(false));
        // `if includeInitContainers then true else false`, when the patch reads it.
        let include = Thunk::new(MemoizedClosureThunk::new(include, |v: Thunk<Val>| {
            Ok(Val::Bool(condition(v.evaluate()?)?))
        }));
        // `name`: the argument, or `configMap.metadata.name`.
        let name = match self.helper {
            Mount::ConfigMap => Thunk::new(MemoizedClosureThunk::new(arg(0), |cm: Thunk<Val>| {
                field_path(
                    &ObjValue::from_untyped(cm.evaluate()?)?,
                    &["metadata", "name"],
                )
            })),
            _ => arg(0),
        };
        let read_only = match self.helper {
            Mount::Host => Some(or(3, Val::Bool(false))),
            Mount::Pvc => Some(or(2, Val::Bool(false))),
            _ => None,
        };
        let mount = Thunk::new(MemoizedClosureThunk::new(
            MountEnv {
                lib: self.lib.clone(),
                name: name.clone(),
                // `hostVolumeMount(name, hostPath, path, ...)`.
                path: arg(if self.helper == Mount::Host { 2 } else { 1 }),
                read_only,
                mixin: mount_mixin,
            },
            MountEnv::make,
        ));
        let volume = Thunk::new(MemoizedClosureThunk::new(
            VolumeEnv {
                helper: self.helper,
                lib: self.lib.clone(),
                name: name.clone(),
                args: args[..own].to_vec(),
                mixin: volume_mixin,
            },
            VolumeEnv::make,
        ));
        let annotations = match self.helper {
            Mount::ConfigMap => {
                Thunk::new(MemoizedClosureThunk::new((name, arg(0)), hash_annotation))
            }
            _ => Thunk::evaluated(Val::Null),
        };
        let mut b = ObjValueBuilder::new();
        b.extend_with_core(PodPatch {
            cron_job: self.cron_job,
            mount: MountIn {
                mount_in: Thunk::new(MemoizedClosureThunk::new(
                    (self.mount_in.clone(), containers.clone(), mount.clone()),
                    |(mount_in, containers, mount)| {
                        NativeFn::<(Thunk<Val>, Thunk<Val>, Val)>::try_from(mount_in)?
                            .call(containers, mount)
                    },
                )),
                mount,
                containers,
            },
            include_init_containers: include,
            volume,
            annotations,
        });
        Ok(Val::Obj(b.build()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `lib.core.v1.volumeMount.new(name, path[, readOnly=readOnly]) + volumeMountMixin`.
#[derive(Trace)]
struct MountEnv {
    lib: Thunk<Val>,
    name: Thunk<Val>,
    path: Thunk<Val>,
    read_only: Option<Thunk<Val>>,
    mixin: Thunk<Val>,
}

impl MountEnv {
    fn make(self) -> Result<Val> {
        let new = library_function(&self.lib, &["volumeMount", "new"])?;
        let unnamed = [self.name, self.path];
        let made = match self.read_only {
            Some(read_only) => call(new, &unnamed, &[("readOnly", read_only)])?,
            None => call(new, &unnamed, &[])?,
        };
        add(made, self.mixin.evaluate()?)
    }
}

/// `lib.core.v1.volume.from…(…) + volumeMixin`: `args` are the helper's own.
#[derive(Trace)]
struct VolumeEnv {
    #[trace(skip)]
    helper: Mount,
    lib: Thunk<Val>,
    name: Thunk<Val>,
    args: Vec<Option<Thunk<Val>>>,
    mixin: Thunk<Val>,
}

impl VolumeEnv {
    fn make(self) -> Result<Val> {
        let arg = |i: usize| {
            self.args[i]
                .clone()
                .expect("a parameter without default is bound")
        };
        let volume = |f: &'static str| library_function(&self.lib, &["volume", f]);
        let name = self.name.clone();
        let made = match self.helper {
            Mount::Config | Mount::ConfigMap => {
                call(volume("fromConfigMap")?, &[name.clone(), name], &[])?
            }
            Mount::Pvc => call(
                volume("fromPersistentVolumeClaim")?,
                &[name.clone(), name],
                &[],
            )?,
            Mount::Host => call(volume("fromHostPath")?, &[name, arg(1)], &[])?,
            Mount::Empty => call(volume("fromEmptyDir")?, &[name], &[])?,
            Mount::Csi => call(volume("fromCsi")?, &[name, arg(2), arg(3)], &[])?,
            Mount::Secret => {
                // `local volume = lib.core.v1.volume; volume.fromSecret(name,
                // secretName=name) + volume.secret.withDefaultMode(defaultMode)`
                let from = call(
                    volume("fromSecret")?,
                    std::slice::from_ref(&name),
                    &[("secretName", name.clone())],
                )?;
                let with_mode =
                    library_function(&self.lib, &["volume", "secret", "withDefaultMode"])?;
                let mode = self.args[2]
                    .clone()
                    .unwrap_or_else(|| Thunk::evaluated(Val::num(256)));
                add(from, call(with_mode, &[mode], &[])?)?
            }
        };
        add(made, self.mixin.evaluate()?)
    }
}

/// `{ ['%s-hash' % name]: std.md5(std.toString(configMap)) }`, the hash computed when
/// read.
fn hash_annotation((name, config_map): (Thunk<Val>, Thunk<Val>)) -> Result<Val> {
    let key = match name.evaluate()? {
        Val::Str(s) => IStr::from(format!("{s}-hash")),
        other => IStr::from_untyped(jsonnet_value("function(n) '%s-hash' % n", other)?)?,
    };
    let hash = Thunk::new(MemoizedClosureThunk::new(config_map, |cm: Thunk<Val>| {
        Ok(Val::string(config_hash(&cm.evaluate()?)?))
    }));
    let mut b = ObjValueBuilder::with_capacity(1);
    b.field(key).thunk(hash);
    Ok(Val::Obj(b.build()))
}

/// `lib.core.v1.<path>`.
fn library_function(lib: &Thunk<Val>, path: &[&str]) -> Result<Val> {
    let lib = ObjValue::from_untyped(lib.evaluate()?)?;
    let mut full = vec!["core", "v1"];
    full.extend_from_slice(path);
    field_path(&lib, &full)
}

/// `f(unnamed..., name=value...)`. jrsonnet has no public call with named arguments
/// but its top-level-argument one (all named), so a named argument is passed by
/// position where `f` has that parameter right there (the library's own functions
/// always do), else the call is made by a Jsonnet function that makes it.
fn call(f: Val, unnamed: &[Thunk<Val>], named: &[(&str, Thunk<Val>)]) -> Result<Val> {
    let f = FuncVal::from_untyped(f)?;
    let params = f.params();
    let in_place = named.iter().enumerate().all(|(k, (name, _))| {
        params
            .get(unnamed.len() + k)
            .is_some_and(|p| p.name().as_str() == Some(*name))
    });
    let mut args: Vec<Thunk<Val>> = unnamed.to_vec();
    args.extend(named.iter().map(|(_, v)| v.clone()));
    let f = if in_place {
        Val::Func(f)
    } else {
        // `function(f) function(a0, ..., n0, ...) f(a0, ..., name=n0, ...)`
        let params: Vec<String> = (0..args.len()).map(|i| format!("a{i}")).collect();
        let passed: Vec<String> = params
            .iter()
            .enumerate()
            .map(|(i, p)| match i.checked_sub(unnamed.len()) {
                Some(k) => format!("{}={p}", named[k].0),
                None => p.clone(),
            })
            .collect();
        let source = format!(
            "function(f) function({}) f({})",
            params.join(", "),
            passed.join(", ")
        );
        jsonnet_value(&source, Val::Func(f))?
    };
    match args.as_slice() {
        [a] => NativeFn::<(Thunk<Val>, Val)>::from_untyped(f)?.call(a.clone()),
        [a, b] => {
            NativeFn::<(Thunk<Val>, Thunk<Val>, Val)>::from_untyped(f)?.call(a.clone(), b.clone())
        }
        [a, b, c] => NativeFn::<(Thunk<Val>, Thunk<Val>, Thunk<Val>, Val)>::from_untyped(f)?.call(
            a.clone(),
            b.clone(),
            c.clone(),
        ),
        _ => unreachable!("the helpers call with one to three arguments"),
    }
}

/// `std.md5(std.toString(configMap))` without making the string form a Jsonnet string.
fn config_hash(config_map: &Val) -> Result<String> {
    Ok(crate::gocompat::md5::md5_hex(
        crate::manifest::json::go_to_string(config_map)?.as_bytes(),
    ))
}

/// `mountIn(containers, mount)` of the overlay: `container { volumeMounts+: [mount] }`
/// for the containers named in `containers` (all when it is null).
#[derive(Trace, Clone)]
struct MountIn {
    mount: Thunk<Val>,
    containers: Thunk<Val>,
    /// The overlay's Jsonnet `mountIn(containers, mount)`: the function mapping a
    /// container, made once, when a container first needs it.
    mount_in: Thunk<Val>,
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
            _ => NativeFn::<(Val, Val)>::from_untyped(self.mount_in.evaluate()?)?.call(container),
        }
    }
}

/// The layer a volume mount helper returns: what `super.mapContainers(f,
/// includeInitContainers) + addVolume(atTemplate, volume, annotations)` of
/// `_custom/volumeMounts.libsonnet` adds to a workload, as one layer with one field,
/// `spec+:`. `includeInitContainers` (a boolean) and `annotations` (an object or null)
/// are read when `spec` is.
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
            let overlay = OVERLAYS.iter().find(|(n, _)| n == name).map(|(_, o)| *o);
            let split = super::super::docs_split::evaluated_form(name, text, overlay);
            assert!(!split.docs.is_empty(), "{name} has docs fields");
            let evaluated = &split.evaluated;
            assert!(served(name, text).contains(evaluated.as_str()), "{name}");
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
        // The file's first line held only a comment: the parenthesis is alone there.
        assert!(core.starts_with("(\n"), "{core}");
        assert!(core.contains("std.native('gwsonnet.k8sCore')()"), "{core}");
        let mounts = served("volumeMounts.libsonnet", "");
        assert!(mounts.contains("std.native('gwsonnet.k8sVolumeMounts')"));
        // The Jsonnet bodies the natives replace are left out; the helper they do not
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
