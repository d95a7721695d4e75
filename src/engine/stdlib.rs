//! The `std` object every file sees: jrsonnet's native stdlib with gwsonnet's
//! overrides layered on top (where go-jsonnet's behaviour differs), plus the natives
//! registered for `std.native` (the built-in library hooks).

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use jrsonnet_evaluator::{
    function::FuncVal, tla::TlaArg, trace::PathResolver, IStr, InitialContextBuilder, ObjValue,
    ObjValueBuilder, Source, Thunk, Val,
};
use jrsonnet_gcmodule::{Cc, Trace};
use jrsonnet_stdlib::{Settings, StdTracePrinter};

use super::{
    overrides,
    prepass::{Prepass, Wrappers},
    resolver::FoundAt,
};

/// Context initializer binding `std` (with `std.thisFile`) in every file.
#[derive(Trace, Clone)]
pub struct StdContext {
    std_base: ObjValue,
    settings: Cc<RefCell<Settings>>,
    prepass: Prepass,
    wrappers: Wrappers,
    found_at: FoundAt,
}

impl StdContext {
    /// Builds `std` with the given ext vars and natives; `std.thisFile` is the file's
    /// name in `found_at`, else its path as `paths` renders it.
    pub fn new(
        paths: PathResolver,
        ext_vars: HashMap<IStr, TlaArg>,
        natives: HashMap<IStr, FuncVal>,
        prepass: Prepass,
        found_at: FoundAt,
    ) -> Self {
        let settings = Cc::new(RefCell::new(Settings {
            ext_vars,
            ext_natives: natives,
            trace_printer: Rc::new(StdTracePrinter::new(paths.clone())),
            path_resolver: paths,
        }));
        let upstream = jrsonnet_stdlib::stdlib_uncached(settings.clone());
        let mut builder = ObjValueBuilder::new();
        overrides::install(&mut builder, &upstream);
        builder.with_super(upstream);
        let std_base = builder.build();
        Self {
            wrappers: Wrappers::new(),
            std_base,
            settings,
            prepass,
            found_at,
        }
    }
}

impl jrsonnet_evaluator::ContextInitializer for StdContext {
    fn populate(&self, source: Source, builder: &mut InitialContextBuilder) {
        let mut std = ObjValueBuilder::new();
        std.with_super(self.std_base.clone());
        let sp = source.source_path();
        let this_file = match sp.path() {
            Some(p) => self
                .found_at
                .name(p)
                .unwrap_or_else(|| self.settings.borrow().path_resolver.resolve(p)),
            None => match sp.downcast_ref::<jrsonnet_ir::SourceFifo>() {
                Some(fifo) => fifo.0.clone(),
                None => sp.to_string(),
            },
        };
        self.prepass
            .install(sp, &this_file, &mut std, builder, &self.wrappers);
        std.field("thisFile").hide().value(this_file);
        builder.bind("std", Thunk::evaluated(Val::Obj(std.build())));
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
