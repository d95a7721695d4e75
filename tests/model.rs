//! The built-in tcpRoute model (`lib/gateway/0.8-experimental/v1alpha2/tcpRoute.json`)
//! and the generator rules of `model::library_tree`.

use crate::common;
use common::tcp_route;

use gwsonnet::model::{library_tree, parse_builtin_library, FnKind, Kind, Schema, SchemaType};

fn prop<'a>(s: &'a Schema, path: &[&str]) -> &'a Schema {
    path.iter().fold(s, |s, p| {
        if *p == "[]" {
            s.items().expect("array items")
        } else {
            s.properties()
                .get(*p)
                .unwrap_or_else(|| panic!("no property {p}"))
        }
    })
}

/// An integer bound as the schema states it (`None` when absent or not an integer).
fn num(n: &Option<serde_json::Number>) -> Option<u64> {
    n.as_ref().and_then(serde_json::Number::as_u64)
}

#[test]
fn builtin_model_files_parse() {
    let lib = parse_builtin_library().expect("built-in index is valid");
    assert_eq!(lib.kinds().expect("built-in schemas are valid").len(), 1);
    assert_eq!(lib.output(), "0.8-experimental");
    assert_eq!(lib.local_name(), "gateway-api");
    assert_eq!(
        lib.main_url(),
        "github.com/jsonnet-libs/gateway-api-libsonnet/0.8-experimental/main.libsonnet"
    );
}

#[test]
fn tcp_route_identity() {
    let k = tcp_route();
    assert_eq!(k.group, "gateway.networking.k8s.io");
    assert_eq!(k.version, "v1alpha2");
    assert_eq!(k.kind, "TCPRoute");
    assert_eq!(k.group_key(), "gateway");
    assert_eq!(k.field_name(), "tcpRoute");
    assert_eq!(k.api_version(), "gateway.networking.k8s.io/v1alpha2");
    assert_eq!(k.schema.ty, Some(SchemaType::Object));
    assert_eq!(k.schema.required(), ["spec"]);
    let top: Vec<&str> = k.schema.properties().keys().map(String::as_str).collect();
    assert_eq!(top, ["metadata", "spec"]);
    assert!(k
        .schema
        .description()
        .starts_with("TCPRoute provides a way to route TCP requests."));
}

#[test]
fn metadata_follows_the_generators_object_meta() {
    let m = prop(&tcp_route().schema, &["metadata"]);
    let fields: Vec<(&str, SchemaType)> = m
        .properties()
        .iter()
        .map(|(k, v)| (k.as_str(), v.ty.expect("typed")))
        .collect();
    use SchemaType::*;
    assert_eq!(
        fields,
        [
            ("annotations", Object),
            ("clusterName", String),
            ("creationTimestamp", String),
            ("deletionGracePeriodSeconds", Integer),
            ("deletionTimestamp", String),
            ("finalizers", Array),
            ("generateName", String),
            ("generation", Integer),
            ("labels", Object),
            ("name", String),
            ("namespace", String),
            ("ownerReferences", Array),
            ("resourceVersion", String),
            ("selfLink", String),
            ("uid", String),
        ]
    );
    assert!(prop(m, &["labels"]).is_map());
    assert!(prop(m, &["annotations"]).is_map());
    assert_eq!(prop(m, &["finalizers", "[]"]).ty, Some(String));
    // owner references are objects, but (a resolved $ref upstream) without an obj
    assert!(prop(m, &["ownerReferences", "[]"]).properties().is_empty());
    assert!(prop(m, &["namespace"])
        .description()
        .contains("equivalent to the \"default\" namespace"));
    assert!(prop(m, &["generateName"])
        .description()
        .contains("header).\n\nApplied"));
}

#[test]
fn spec_constraints() {
    let spec = prop(&tcp_route().schema, &["spec"]);
    assert_eq!(spec.required(), ["rules"]);

    let parents = prop(spec, &["parentRefs"]);
    assert_eq!(parents.ty, Some(SchemaType::Array));
    assert_eq!(parents.max_items, Some(32));
    assert_eq!(parents.min_items, None);
    assert_eq!(parents.validations().len(), 2);
    assert_eq!(
        parents.validations()[0].message(),
        "sectionName or port must be specified when parentRefs includes 2 or more references to the same parent"
    );
    assert!(parents.validations()[0]
        .rule
        .starts_with("self.all(p1, self.all(p2, "));
    assert_eq!(
        parents.validations()[1].message(),
        "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent"
    );
    assert!(parents.validations()[1]
        .rule
        .starts_with("self.all(p1, self.exists_one(p2, "));
    let pr = prop(parents, &["[]"]);
    assert_eq!(pr.required(), ["name"]);
    let group = prop(pr, &["group"]);
    assert_eq!(
        group.default,
        Some(serde_json::json!("gateway.networking.k8s.io"))
    );
    assert_eq!(group.max_length, Some(253));
    assert_eq!(group.min_length, None);
    assert_eq!(
        group.pattern.as_deref(),
        Some("^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    );
    let kind = prop(pr, &["kind"]);
    assert_eq!(kind.default, Some(serde_json::json!("Gateway")));
    assert_eq!((kind.min_length, kind.max_length), (Some(1), Some(63)));
    assert_eq!(
        kind.pattern.as_deref(),
        Some("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    );
    let name = prop(pr, &["name"]);
    assert_eq!((name.min_length, name.max_length), (Some(1), Some(253)));
    let ns = prop(pr, &["namespace"]);
    assert_eq!((ns.min_length, ns.max_length), (Some(1), Some(63)));
    assert_eq!(
        ns.pattern.as_deref(),
        Some("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    );
    let port = prop(pr, &["port"]);
    assert_eq!(port.ty, Some(SchemaType::Integer));
    assert_eq!(
        (num(&port.minimum), num(&port.maximum)),
        (Some(1), Some(65535))
    );
    let section = prop(pr, &["sectionName"]);
    assert_eq!(
        (section.min_length, section.max_length),
        (Some(1), Some(253))
    );
    assert_eq!(
        section.pattern.as_deref(),
        Some("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    );

    let rules = prop(spec, &["rules"]);
    assert_eq!((rules.min_items, rules.max_items), (Some(1), Some(16)));
    let backends = prop(rules, &["[]", "backendRefs"]);
    assert_eq!(
        (backends.min_items, backends.max_items),
        (Some(1), Some(16))
    );
    let br = prop(backends, &["[]"]);
    assert_eq!(br.required(), ["name"]);
    assert_eq!(br.validations().len(), 1);
    assert_eq!(
        br.validations()[0].message(),
        "Must have port for Service reference"
    );
    assert_eq!(
        br.validations()[0].rule,
        "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true"
    );
    assert_eq!(prop(br, &["group"]).default, Some(serde_json::json!("")));
    assert_eq!(
        prop(br, &["kind"]).default,
        Some(serde_json::json!("Service"))
    );
    let weight = prop(br, &["weight"]);
    assert_eq!(weight.ty, Some(SchemaType::Integer));
    assert_eq!(weight.default, Some(serde_json::json!(1)));
    assert_eq!(
        (num(&weight.minimum), num(&weight.maximum)),
        (Some(0), Some(1_000_000))
    );
    let bport = prop(br, &["port"]);
    assert_eq!(
        (num(&bport.minimum), num(&bport.maximum)),
        (Some(1), Some(65535))
    );
}

#[test]
fn tcp_route_library_tree() {
    let tree = library_tree(tcp_route());
    assert_eq!(tree.name, "tcpRoute");
    assert!(tree.path.is_empty());
    assert!(tree.help.text().starts_with("\"TCPRoute provides"));
    assert!(tree.functions.is_empty());
    let new = tree.constructor.as_ref().unwrap();
    assert_eq!(
        (new.name.as_str(), new.param.as_str(), new.help.as_str()),
        ("new", "name", "new returns an instance of TCPRoute")
    );
    assert_eq!(new.api_version, "gateway.networking.k8s.io/v1alpha2");
    assert_eq!(new.kind, "TCPRoute");
    let objs: Vec<&str> = tree.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(objs, ["metadata", "spec"]);

    let meta = tree.find(&["metadata"]).unwrap();
    let names: Vec<&str> = meta.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "withAnnotations",
            "withAnnotationsMixin",
            "withClusterName",
            "withCreationTimestamp",
            "withDeletionGracePeriodSeconds",
            "withDeletionTimestamp",
            "withFinalizers",
            "withFinalizersMixin",
            "withGenerateName",
            "withGeneration",
            "withLabels",
            "withLabelsMixin",
            "withName",
            "withNamespace",
            "withOwnerReferences",
            "withOwnerReferencesMixin",
            "withResourceVersion",
            "withSelfLink",
            "withUid",
        ]
    );
    assert!(meta.objects.is_empty());
    let with_name = meta.function("withName").unwrap();
    assert_eq!(with_name.target, ["metadata", "name"]);
    assert_eq!(with_name.kind, FnKind::Set);
    assert_eq!(with_name.param, "name");
    assert_eq!(
        (with_name.arg_type, with_name.doc_type()),
        ("string", "string")
    );
    assert!(!with_name.is_array);
    let labels_mixin = meta.function("withLabelsMixin").unwrap();
    assert_eq!(labels_mixin.kind, FnKind::Mixin);
    assert_eq!(labels_mixin.target, ["metadata", "labels"]);
    assert!(labels_mixin
        .help
        .text()
        .ends_with("\"\n\n**Note:** This function appends passed data to existing values"));
    assert_eq!(
        meta.function("withGeneration").unwrap().doc_type(),
        "number"
    );
    let finalizers = meta.function("withFinalizers").unwrap();
    assert!(finalizers.is_array);
    assert_eq!(finalizers.arg_type, "array");

    let spec = tree.find(&["spec"]).unwrap();
    assert!(!spec.array_element);
    let names: Vec<&str> = spec.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "withParentRefs",
            "withParentRefsMixin",
            "withRules",
            "withRulesMixin"
        ]
    );
    assert_eq!(
        spec.function("withRules").unwrap().target,
        ["spec", "rules"]
    );
    assert!(spec.function("withRulesMixin").unwrap().is_array);

    let parents = tree.find(&["spec", "parentRefs"]).unwrap();
    assert!(parents.array_element);
    assert_eq!(parents.path, ["spec", "parentRefs"]);
    assert_eq!(parents.help, spec.function("withParentRefs").unwrap().help);
    let names: Vec<&str> = parents.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "withGroup",
            "withKind",
            "withName",
            "withNamespace",
            "withPort",
            "withSectionName"
        ]
    );
    let port = parents.function("withPort").unwrap();
    assert_eq!(port.target, ["port"]);
    assert_eq!((port.arg_type, port.doc_type()), ("integer", "number"));
    assert_eq!(num(&port.schema.maximum), Some(65535));

    let backends = tree.find(&["spec", "rules", "backendRefs"]).unwrap();
    assert!(backends.array_element);
    assert_eq!(backends.function("withWeight").unwrap().target, ["weight"]);
    let rules = tree.find(&["spec", "rules"]).unwrap();
    assert_eq!(
        rules.function("withBackendRefs").unwrap().target,
        ["backendRefs"]
    );
    assert_eq!(
        rules.function("withBackendRefsMixin").unwrap().kind,
        FnKind::Mixin
    );
}

#[test]
fn docs_values_have_doc_util_shapes() {
    let tree = library_tree(tcp_route());
    assert_eq!(
        tree.constructor.as_ref().unwrap().doc_json(),
        serde_json::json!({"function": {"args": [{"default": null, "enums": null, "name": "name", "type": "string"}], "help": "new returns an instance of TCPRoute"}})
    );
    let port = tree
        .find(&["spec", "parentRefs"])
        .unwrap()
        .function("withPort")
        .unwrap();
    assert_eq!(port.doc_json()["function"]["args"][0]["type"], "number");
    assert_eq!(
        tree.find(&["spec"]).unwrap().obj_doc_json(),
        serde_json::json!({"object": {"fields": {}, "help": "\"Spec defines the desired state of TCPRoute.\""}})
    );
}

/// A kind made up to exercise the generator's rules.
fn synthetic() -> Kind {
    let schema = Schema::from_json(&serde_json::json!({
            "type": "object",
            "description": "",
            "properties": {
                "apiVersion": {"type": "string"},
                "kind": {"type": "string"},
                "status": {"type": "object", "properties": {"x": {"type": "string"}}},
                "spec": {
                    "type": "object",
                    "properties": {
                        "apiVersion": {"type": "string", "description": "nested apiVersion stays"},
                        "kind": {"type": "string"},
                        "status": {"type": "string"},
                        "noItems": {"type": "array"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "selector": {"type": "object", "additionalProperties": {"type": "string"}},
                        "free": {"type": "object"},
                        "intOrString": {"x-kubernetes-int-or-string": true},
                        "untyped": {"properties": {"a": {"type": "boolean"}}},
                        "error": {"type": "string"},
                        "local": {"type": "number"},
                        "URLPrefix": {"type": "string", "description": "ends with a \"quote\""},
                        "items": {"type": "array", "items": {"type": "object", "properties": {
                            "deep": {"type": "object", "properties": {"leaf": {"type": "string"}}}
                        }}}
                    }
                }
            }
    }))
    .unwrap();
    Kind {
        group: "example.com".into(),
        version: "v1".into(),
        kind: "URLMap".into(),
        schema,
        scope: gwsonnet::model::Scope::Namespaced,
        served: true,
        resource: true,
        dialect: gwsonnet::model::Dialect::Structural,
        crd: None,
    }
}

#[test]
fn generator_rules() {
    let kind = synthetic();
    let tree = library_tree(&kind);
    assert_eq!(tree.name, "urlMap");
    assert_eq!(tree.help.text(), "");
    // root: apiVersion skipped, withKind dropped (the constructor sets it), status skipped
    assert!(tree.functions.is_empty(), "{:?}", tree.functions);
    let objs: Vec<&str> = tree.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(objs, ["spec"]);
    assert_eq!(
        tree.constructor.as_ref().unwrap().help,
        "new returns an instance of URLMap"
    );

    let spec = tree.find(&["spec"]).unwrap();
    let names: Vec<&str> = spec.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "withApiVersion",
            "withError",
            "withFree",
            "withFreeMixin",
            "withIntOrString",
            "withItems",
            "withItemsMixin",
            "withKind",
            "withLocal",
            "withSelector",
            "withSelectorMixin",
            "withTags",
            "withTagsMixin",
            "withUrlPrefix",
        ]
    );
    assert_eq!(spec.function("withError").unwrap().param, "err");
    assert_eq!(spec.function("withLocal").unwrap().param, "Local");
    assert_eq!(spec.function("withIntOrString").unwrap().arg_type, "any");
    assert_eq!(spec.function("withIntOrString").unwrap().doc_type(), "any");
    let url = spec.function("withUrlPrefix").unwrap();
    // the generator targets the camel-lowered name
    assert_eq!(url.target, ["spec", "urlPrefix"]);
    // a description ending in a quote loses its closing quotes (upstream quirk)
    assert_eq!(url.help.text(), "\"ends with a \\\"quote\\");
    assert_eq!(spec.function("withLocal").unwrap().doc_type(), "number");

    let objs: Vec<&str> = spec.objects.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(objs, ["items", "untyped"]);
    let untyped = spec.find(&["untyped"]).unwrap();
    assert!(!untyped.array_element);
    assert_eq!(
        untyped.function("withA").unwrap().target,
        ["spec", "untyped", "a"]
    );
    assert_eq!(untyped.function("withA").unwrap().doc_type(), "bool");
    let items = spec.find(&["items"]).unwrap();
    assert!(items.array_element);
    let deep = items.find(&["deep"]).unwrap();
    assert!(!deep.array_element);
    assert_eq!(deep.path, ["spec", "items", "deep"]);
    assert_eq!(deep.function("withLeaf").unwrap().target, ["deep", "leaf"]);
}
