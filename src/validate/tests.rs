//! A valid and an invalid object for every constraint kind, and the TCPRoute limits of
//! the built-in library.

use serde_json::{json, Value};

use super::{structural::Keyword, Report, Severity, Validator};
use crate::model::{Registry, Schema};

fn run(schema: &Value, object: &Value) -> Report {
    let s = Schema::from_json(schema).unwrap();
    Validator::new().validate(&s, object)
}

/// The constraints of the errors found.
fn errors(schema: &Value, object: &Value) -> Vec<String> {
    run(schema, object)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{} {}", f.path, f.constraint))
        .collect()
}

/// A schema with one property `x` of schema `x`.
fn with_x(x: Value) -> Value {
    json!({"type": "object", "properties": {"x": x}})
}

#[test]
fn each_constraint_kind_has_a_valid_and_an_invalid_case() {
    let cases: Vec<(Value, Value, Value, &str)> = vec![
        (json!({"type": "integer"}), json!(3), json!(3.5), "type"),
        (json!({"type": "integer"}), json!(3.0), json!("3"), "type"),
        (json!({"type": "number"}), json!(3.5), json!(true), "type"),
        (json!({"type": "string"}), json!("a"), json!(1), "type"),
        (
            json!({"type": "boolean"}),
            json!(false),
            json!("false"),
            "type",
        ),
        (json!({"type": "array"}), json!([]), json!({}), "type"),
        (json!({"type": "object"}), json!({}), json!([]), "type"),
        (
            json!({"type": "integer", "format": "int32"}),
            json!(2147483647),
            json!(2147483648_i64),
            "format",
        ),
        (
            json!({"type": "integer", "format": "int64"}),
            json!(-9),
            json!(1e19),
            "format",
        ),
        (
            json!({"type": "string", "format": "date-time"}),
            json!("2024-01-01T00:00:00Z"),
            json!("yesterday"),
            "format",
        ),
        (
            json!({"type": "string", "enum": ["a", "b"]}),
            json!("b"),
            json!("c"),
            "enum",
        ),
        (
            json!({"type": "integer", "minimum": 1}),
            json!(1),
            json!(0),
            "minimum",
        ),
        (
            json!({"type": "integer", "minimum": 1, "exclusiveMinimum": true}),
            json!(2),
            json!(1),
            "minimum",
        ),
        (
            json!({"type": "integer", "maximum": 65535}),
            json!(65535),
            json!(65536),
            "maximum",
        ),
        (
            json!({"type": "number", "maximum": 1.5, "exclusiveMaximum": true}),
            json!(1.4),
            json!(1.5),
            "maximum",
        ),
        (
            json!({"type": "integer", "multipleOf": 5}),
            json!(10),
            json!(12),
            "multipleOf",
        ),
        (
            json!({"type": "number", "multipleOf": 0.5}),
            json!(1.5),
            json!(1.2),
            "multipleOf",
        ),
        (
            json!({"type": "string", "maxLength": 2}),
            json!("éé"),
            json!("abc"),
            "maxLength",
        ),
        (
            json!({"type": "string", "minLength": 1}),
            json!("x"),
            json!(""),
            "minLength",
        ),
        (
            json!({"type": "string", "pattern": "^[a-z]+\\d$"}),
            json!("ab1"),
            json!("ab١"),
            "pattern",
        ),
        (
            json!({"type": "array", "minItems": 1}),
            json!([1]),
            json!([]),
            "minItems",
        ),
        (
            json!({"type": "array", "maxItems": 1}),
            json!([1]),
            json!([1, 2]),
            "maxItems",
        ),
        (
            json!({"type": "array", "uniqueItems": true}),
            json!([1, 2]),
            json!([1, 1.0]),
            "uniqueItems",
        ),
        (
            json!({"type": "object", "minProperties": 1, "additionalProperties": true}),
            json!({"a": 1}),
            json!({}),
            "minProperties",
        ),
        (
            json!({"type": "object", "maxProperties": 1, "additionalProperties": {"type": "integer"}}),
            json!({"a": 1}),
            json!({"a": 1, "b": 2}),
            "maxProperties",
        ),
        (
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
            json!({"a": ""}),
            json!({}),
            "required",
        ),
        (
            json!({"x-kubernetes-int-or-string": true}),
            json!("50%"),
            json!(1.5),
            "x-kubernetes-int-or-string",
        ),
        (
            json!({"x-kubernetes-int-or-string": true}),
            json!(80),
            json!(true),
            "x-kubernetes-int-or-string",
        ),
        (
            json!({"type": "integer", "allOf": [{"minimum": 1}, {"maximum": 3}]}),
            json!(2),
            json!(4),
            "maximum",
        ),
        (
            json!({"type": "integer", "anyOf": [{"maximum": 1}, {"minimum": 9}]}),
            json!(9),
            json!(5),
            "anyOf",
        ),
        (
            json!({"type": "object", "additionalProperties": true, "oneOf": [{"required": ["a"]}, {"required": ["b"]}]}),
            json!({"a": 1}),
            json!({"a": 1, "b": 2}),
            "oneOf",
        ),
        (
            json!({"type": "object", "additionalProperties": true, "not": {"required": ["a"]}}),
            json!({"b": 1}),
            json!({"a": 1}),
            "not",
        ),
        (
            json!({"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}),
            json!(["a", "b"]),
            json!(["a", "a"]),
            "x-kubernetes-list-type",
        ),
        (
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "port"],
                   "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer", "default": 80}}}}),
            json!([{"name": "a"}, {"name": "a", "port": 81}]),
            json!([{"name": "a"}, {"name": "a", "port": 80}]),
            "x-kubernetes-list-map-keys",
        ),
        (
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            json!({"a": 1}),
            json!({"a": "1"}),
            "type",
        ),
        (
            json!({"type": "integer", "x-kubernetes-validations": [{"rule": "self % 2 == 0"}]}),
            json!(4),
            json!(3),
            "x-kubernetes-validations",
        ),
    ];
    for (schema, good, bad, constraint) in cases {
        let schema = with_x(schema);
        let good = json!({"x": good});
        let bad = json!({"x": bad});
        assert_eq!(
            errors(&schema, &good),
            Vec::<String>::new(),
            "{schema} {good}"
        );
        let found = errors(&schema, &bad);
        assert!(
            found.iter().any(|f| f.ends_with(&format!(" {constraint}"))),
            "{schema} {bad}: {found:?}"
        );
    }
}

/// Every string format the API server checks that was once passed unchecked: a valid
/// value passes, an invalid one is a `format` error worded as the API server words it.
#[test]
fn string_formats_are_checked_with_the_api_servers_wording() {
    for (f, good, bad) in [
        ("mac", "00:00:5e:00:53:01", "00:00:5e:00:53"),
        ("uri", "https://example.com/a", "example.com/a"),
        ("email", "Jo <jo@example.com>", "jo@"),
        (
            "uuid3",
            "a3bb189e-8bf9-3888-9912-ace4e6543002",
            "a3bb189e-8bf9-4888-9912-ace4e6543002",
        ),
        (
            "uuid4",
            "16fd2706-8baf-433b-82eb-8c7fada847da",
            "16fd2706-8baf-433b-72eb-8c7fada847da",
        ),
        (
            "uuid5",
            "886313e1-3b8a-5372-9b90-0c9aee199e5d",
            "886313e1-3b8a-5372-7b90-0c9aee199e5d",
        ),
        ("isbn", "978-0321751041", "978-0321751042"),
        ("isbn10", "0-321-75104-3", "0-321-75104-4"),
        ("isbn13", "9780321751041", "0321751043"),
        ("creditcard", "4111 1111 1111 1111", "4111 1111 1111 1112"),
        ("ssn", "123-45-6789", "123456789"),
        ("hexcolor", "#ffcc00", "#ffcc0"),
        ("rgbcolor", "rgb(255, 204, 0)", "rgb(256, 204, 0)"),
        ("duration", "1h30m", "90"),
        (
            "bsonobjectid",
            "507f1f77bcf86cd799439011",
            "507f1f77bcf86cd79943901",
        ),
        ("k8s-short-name", "web-1", "Web-1"),
        ("k8s-long-name", "web-1.example", "web-1..example"),
    ] {
        let schema = with_x(json!({"type": "string", "format": f}));
        assert!(
            run(&schema, &json!({"x": good})).findings.is_empty(),
            "{f} {good}"
        );
        let r = run(&schema, &json!({"x": bad}));
        let [finding] = &r.findings[..] else {
            panic!("{f} {bad}: {:?}", r.findings);
        };
        assert_eq!(
            (finding.path.as_str(), finding.constraint.as_str()),
            ("x", "format"),
            "{f}"
        );
        assert_eq!(finding.message, format!("must be of type {f}"));
    }
    let schema = with_x(json!({"type": "string", "format": "password"}));
    assert!(run(&schema, &json!({"x": ""})).findings.is_empty());
}

#[test]
fn nullable_and_null_pruning() {
    let s = with_x(json!({"type": "string", "nullable": true}));
    assert!(errors(&s, &json!({"x": null})).is_empty());
    // A non-nullable field's null is dropped before validation, then defaulted.
    let s = json!({"type": "object", "required": ["x"], "properties": {"x": {"type": "string", "default": "d"}}});
    assert!(errors(&s, &json!({"x": null})).is_empty());
    let s = json!({"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}});
    assert_eq!(errors(&s, &json!({"x": null})), ["x required"]);
    // In a list, null is a type error.
    let s = with_x(json!({"type": "array", "items": {"type": "string"}}));
    assert_eq!(errors(&s, &json!({"x": ["a", null]})), ["x[1] type"]);
}

#[test]
fn unknown_fields_are_pruned_warnings_and_defaults_reach_cel() {
    let s = json!({
        "type": "object",
        "properties": {
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "properties": {"port": {"type": "integer", "default": 80}},
                "x-kubernetes-validations": [
                    {"rule": "self.port == 80", "message": "port must be 80", "fieldPath": ".port", "reason": "FieldValueForbidden"},
                    {"rule": "!has(self.extra)"}
                ]
            }
        }
    });
    let r = run(
        &s,
        &json!({"apiVersion": "v1", "kind": "K", "metadata": {"name": "a", "labels": {"x": "y"}}, "spec": {"extra": 1}}),
    );
    assert!(r.is_valid(), "{r:?}");
    assert_eq!(r.count(Severity::Warning), 1);
    let w = &r.findings[0];
    assert_eq!(w.path, "spec.extra");
    assert_eq!(
        w.message,
        "unknown field \"spec.extra\" (the API server prunes it)"
    );
    assert_eq!(r.rules_checked, 2);
    let r = run(&s, &json!({"spec": {"port": 81}}));
    let e = &r.findings[0];
    assert_eq!(
        (e.path.as_str(), e.message.as_str()),
        ("spec.port", "port must be 80")
    );
    assert_eq!(e.reason.as_deref(), Some("FieldValueForbidden"));
    // preserve-unknown-fields keeps them, silently.
    let s = json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    assert!(run(&s, &json!({"a": 1})).findings.is_empty());
}

#[test]
fn cel_messages_escaping_transition_rules_and_unsupported_functions() {
    let s = json!({
        "type": "object",
        "properties": {"namespace": {"type": "string"}, "a-b": {"type": "integer"}},
        "x-kubernetes-validations": [
            {"rule": "self.__namespace__ == 'ns' && self.a__dash__b == 1", "messageExpression": "'got ' + self.__namespace__"},
            {"rule": "self == oldSelf"},
            {"rule": "self.__namespace__.lowerAscii() == 'ns' && quantity('1').isInteger()"},
            {"rule": "isIP('10.0.0.1') && !isIP('10.0.0.01') && 'a/b'.split('/')[1] == 'b' && 'abc'.substring(1) == 'bc'"},
            {"rule": "format.dns1123Label().validate('ok-1') == null && format.dns1123Label().validate('No') != null"},
            {"rule": "duration('1s') < duration('1m') && [1, 2].exists_one(x, x == 2) && [1].all(x, x == 1)"},
        ]
    });
    let r = run(&s, &json!({"namespace": "other", "a-b": 1}));
    let msgs: Vec<(Severity, &str)> = r
        .findings
        .iter()
        .map(|f| (f.severity, f.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        [
            (Severity::Error, "got other"),
            (Severity::NotChecked, "rule not checked, it uses isInteger, quantity (not implemented): self.__namespace__.lowerAscii() == 'ns' && quantity('1').isInteger()"),
        ]
    );
    assert_eq!(r.transition_rules_skipped, 1);
    assert_eq!(r.rules_checked, 4);
    // Without a message the API server says "failed rule: <rule>".
    let s =
        with_x(json!({"type": "string", "x-kubernetes-validations": [{"rule": "self != 'a'"}]}));
    let r = run(&s, &json!({"x": "a"}));
    assert_eq!(r.findings[0].message, "failed rule: self != 'a'");
}

/// A TCPRoute of the built-in library, valid.
/// A rule that is not CEL is an error with its line and column (the API server
/// refuses the CRD), not a rule "not checked" that lets the object pass.
#[test]
fn an_invalid_cel_rule_is_an_error_with_its_position() {
    let s = with_x(json!({"type": "string", "x-kubernetes-validations": [{"rule": "self == "}]}));
    let r = run(&s, &json!({"x": "a"}));
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!((f.severity, f.path.as_str()), (Severity::Error, "x"));
    assert!(
        f.message.starts_with(
            "invalid rule, the API server refuses the CRD with it: 1:9: Syntax error: "
        ),
        "{}",
        f.message
    );
    assert!(f.message.ends_with(": self == "), "{}", f.message);
}

fn tcp_route() -> Value {
    json!({
        "apiVersion": "gateway.networking.k8s.io/v1alpha2",
        "kind": "TCPRoute",
        "metadata": {"name": "r", "namespace": "ns"},
        "spec": {
            "parentRefs": [{"name": "gw", "sectionName": "a"}, {"name": "gw", "sectionName": "b"}],
            "rules": [{"backendRefs": [{"name": "svc", "port": 8080, "weight": 1}]}]
        }
    })
}

/// The errors of a TCPRoute, `path: message`.
fn tcp_errors(object: &Value) -> Vec<String> {
    let registry = Registry::builtin(&crate::openapi::builtin::KUBERNETES);
    let kind = Validator::find_kind(&registry, object).expect("built-in TCPRoute");
    Validator::new()
        .validate(&kind.schema, object)
        .findings
        .into_iter()
        .filter(|f| f.severity != Severity::Warning)
        .map(|f| format!("{}: {}", f.path, f.message))
        .collect()
}

#[test]
fn tcp_route_limits_are_each_caught() {
    assert_eq!(tcp_errors(&tcp_route()), Vec::<String>::new());
    let with = |f: &dyn Fn(&mut Value)| {
        let mut r = tcp_route();
        f(&mut r);
        tcp_errors(&r)
    };
    let backend = "spec.rules[0].backendRefs[0]";
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0]["port"] = json!(70000)),
        [format!(
            "{backend}.port: should be less than or equal to 65535"
        )]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0]["port"] = json!(0)),
        [format!(
            "{backend}.port: should be greater than or equal to 1"
        )]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0]["weight"] = json!(1000001)),
        [format!(
            "{backend}.weight: should be less than or equal to 1000000"
        )]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0]["weight"] = json!(-1)),
        [format!(
            "{backend}.weight: should be greater than or equal to 0"
        )]
    );
    let refs: Vec<Value> = (0..33)
        .map(|i| json!({"name": "gw", "port": 1000 + i}))
        .collect();
    assert_eq!(
        with(&|r| r["spec"]["parentRefs"] = json!(refs)),
        ["spec.parentRefs: must have at most 32 items", ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"] = json!([])),
        ["spec.rules: should have at least 1 items"]
    );
    let rules: Vec<Value> = (0..17)
        .map(|_| json!({"backendRefs": [{"name": "s", "port": 1}]}))
        .collect();
    assert_eq!(
        with(&|r| r["spec"]["rules"] = json!(rules)),
        ["spec.rules: must have at most 16 items", ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"] = json!([])),
        ["spec.rules[0].backendRefs: should have at least 1 items"]
    );
    let refs: Vec<Value> = (0..17).map(|_| json!({"name": "s", "port": 1})).collect();
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"] = json!(refs)),
        ["spec.rules[0].backendRefs: must have at most 16 items", ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"]
    );
    assert_eq!(with(&|r| r["spec"]["rules"][0]["backendRefs"][0] = json!({"port": 1})), [format!("{backend}.name: Required value"), ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation".into()]);
    assert_eq!(with(&|r| r["spec"]["parentRefs"][0] = json!({"sectionName": "a"})), ["spec.parentRefs[0].name: Required value", ": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"]);
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0] = json!({"name": "svc"})),
        [format!("{backend}: Must have port for Service reference")]
    );
    assert_eq!(
        with(&|r| r["spec"]["rules"][0]["backendRefs"][0] =
            json!({"name": "x", "kind": "Bucket", "group": "example.com"})),
        Vec::<String>::new()
    );
    assert_eq!(
        with(&|r| r["spec"]["parentRefs"] = json!([{"name": "gw"}, {"name": "gw", "sectionName": "b"}])),
        ["spec.parentRefs: sectionName or port must be specified when parentRefs includes 2 or more references to the same parent"]
    );
    assert_eq!(
        with(&|r| r["spec"]["parentRefs"] = json!([{"name": "gw", "sectionName": "a"}, {"name": "gw", "sectionName": "a"}])),
        ["spec.parentRefs: sectionName or port must be unique when parentRefs includes 2 or more references to the same parent"]
    );
    assert_eq!(
        with(&|r| r["spec"]["parentRefs"] =
            json!([{"name": "gw"}, {"name": "gw", "namespace": "other"}])),
        Vec::<String>::new()
    );
}

/// Coverage counts rules (transition rules apart) and keywords, and names each gap:
/// a rule calling an unimplemented function, a pattern that does not compile; every
/// format the API server checks is checked (`mac` here); an ignored format is no
/// constraint.
#[test]
fn coverage_counts_and_names_gaps() {
    let s = json!({
        "type": "object",
        "required": ["a"],
        "properties": {
            "a": {"type": "string", "format": "mac", "maxLength": 5},
            "b": {"type": "array", "items": {"type": "string", "pattern": "(?<=x)y", "format": "my-own",
                  "x-kubernetes-validations": [{"rule": "quantity(self).isInteger()"}]}},
        },
        "x-kubernetes-validations": [{"rule": "has(self.a)"}, {"rule": "self == oldSelf"}]
    });
    let kind = crate::model::Kind {
        group: "g".into(),
        version: "v1".into(),
        kind: "K".into(),
        schema: Schema::from_json(&s).unwrap(),
        scope: crate::model::Scope::Namespaced,
        resource: true,
        served: true,
        dialect: crate::model::Dialect::Structural,
        crd: None,
    };
    let c = Validator::new().coverage(&kind);
    assert_eq!(
        (c.rules_present, c.rules_checked, c.transition_rules),
        (3, 1, 1)
    );
    assert_eq!(c.rules_not_checked.len(), 1);
    assert_eq!(c.rules_not_checked[0].path, "b[*]");
    assert!(c.rules_not_checked[0].why.contains("quantity"), "{c:?}");
    // type, required; a: type, maxLength, format; b: type, items: type, pattern.
    assert_eq!(
        (c.constraints_present, c.constraints_checked),
        (8, 7),
        "{c:?}"
    );
    let gaps: Vec<&str> = c
        .constraints_not_checked
        .iter()
        .map(|g| g.what.as_str())
        .collect();
    assert_eq!(gaps, ["pattern: (?<=x)y"]);
    assert!(c.rules_percent() == 50.0 && c.constraints_percent() == 87.5);
}

/// An update runs the transition rules where the old object has a value at the same
/// place: by property, and by key in map lists (items of other lists never correlate).
#[test]
fn updates_run_transition_rules_on_correlated_values() {
    let immutable = json!([{"rule": "self == oldSelf", "message": "Value is immutable"}]);
    let schema = json!({"type": "object", "properties": {
        "a": {"type": "string", "x-kubernetes-validations": immutable},
        "m": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"],
              "items": {"type": "object", "properties": {"k": {"type": "string"},
                        "v": {"type": "string", "x-kubernetes-validations": immutable}}}},
        "l": {"type": "array", "items": {"type": "string", "x-kubernetes-validations": immutable}}
    }});
    let s = Schema::from_json(&schema).unwrap();
    let v = Validator::new();
    let old = json!({"a": "x", "m": [{"k": "1", "v": "p"}, {"k": "2", "v": "q"}], "l": ["s"]});
    let paths = |r: Report| -> Vec<String> {
        r.findings
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}: {}", f.path, f.message))
            .collect()
    };
    assert!(paths(v.validate_update(&s, &old, &old)).is_empty());
    let new = json!({"a": "y", "m": [{"k": "2", "v": "q2"}, {"k": "3", "v": "r"}], "l": ["t"]});
    assert_eq!(
        paths(v.validate_update(&s, &new, &old)),
        ["a: Value is immutable", "m[0].v: Value is immutable"]
    );
    let created = v.validate(&s, &new);
    assert!(created.is_valid());
    assert_eq!(created.transition_rules_skipped, 4);
}

/// CEL's `matches`, as a method and as a function, with RE2's ASCII `\d`.
#[test]
fn cel_matches_uses_re2_ascii_classes() {
    let schema = |rule: &str| {
        with_x(json!({"type": "string", "x-kubernetes-validations": [{"rule": rule}]}))
    };
    for rule in ["self.matches('^\\\\d+$')", "matches(self, '^\\\\d+$')"] {
        assert!(
            errors(&schema(rule), &json!({"x": "123"})).is_empty(),
            "{rule}"
        );
        // Arabic-Indic digits are `\d` for Unicode classes, not for RE2.
        assert_eq!(
            errors(&schema(rule), &json!({"x": "\u{661}\u{662}"})),
            ["x x-kubernetes-validations"],
            "{rule}"
        );
    }
}

/// A batch validator remembers a rule (and a node's rules) by what it reads of
/// `self`: objects differing elsewhere share the outcome, objects differing in what
/// it reads do not, and each finding still shows its own object's value. Reports
/// equal those of a validator that remembers nothing.
#[test]
fn rules_remembered_by_what_they_read() {
    let schema = Schema::from_json(&json!({
        "type": "object",
        "properties": {"spec": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"}, "a": {"type": "object", "properties": {"b": {"type": "string"}}},
                    "name": {"type": "string"}, "n": {"type": "integer"},
                    "l": {"type": "array", "items": {"type": "object", "properties": {
                        "t": {"type": "string"}, "name": {"type": "string"},
                        "r": {"type": "object", "properties": {"deep": {"type": "string"}}},
                    }}},
                },
                "x-kubernetes-validations": [
                    {"rule": "!(has(self.a) && self.type != 'A')", "message": "a needs type A"},
                    {"rule": "self.name != 'n7'", "message": "not n7"},
                    {"rule": "!has(self.l) || self.l.filter(f, f.t == 'R').size() <= 1", "message": "one R"},
                    {"rule": "!has(self.l) || self.l.all(f, !has(f.r) || f.t == 'R')", "messageExpression": "'r needs R, not ' + self.l[0].t"},
                    {"rule": "!has(self.a) || self.a.b.startsWith('x')", "message": "b starts with x", "fieldPath": ".a.b"},
                    {"rule": "self.n < 10", "messageExpression": "'n is ' + string(self.n)"},
                    {"rule": "self.all(k, k != 'bad')", "message": "no bad key"},
                ]
            }
        }}
    }))
    .unwrap();
    // Enough items, each with a name of its own, that a memo which keeps missing is
    // set aside and tried again.
    let items: Vec<Value> = (0..600)
        .map(|i| {
            let ty = ["A", "B"][i % 2];
            let mut item = json!({"type": ty, "name": format!("n{i}"), "n": i % 12});
            if i % 5 != 0 {
                let t = ["R", "S"][i % 2];
                let mut l = vec![json!({"t": t, "name": format!("l{i}")})];
                if i % 4 == 0 {
                    let t = ["R", "S"][i % 8 / 4];
                    l.push(json!({"t": t, "name": "m", "r": {"deep": format!("d{i}")}}));
                }
                item["l"] = json!(l);
            }
            if i % 3 == 0 {
                let b = ["x1", "y1"][i % 4 / 2];
                item["a"] = json!({ "b": b });
            }
            if i % 7 == 0 {
                item["bad"] = json!(1);
            }
            item
        })
        .collect();
    let object = json!({"spec": items});
    let plain = Validator::new().validate(&schema, &object);
    let batch = Validator::for_batch().validate(&schema, &object);
    assert_eq!(batch, plain);
    assert!(plain.findings.len() > 20, "{plain:?}");
    let values: std::collections::BTreeSet<_> = plain
        .findings
        .iter()
        .filter(|f| f.message == "a needs type A")
        .map(|f| f.value.clone())
        .collect();
    assert!(values.len() > 3, "{values:?}");

    // What a rule reads, and so what its outcome is remembered by: values that
    // differ only where it does not read project alike, values that differ where it
    // reads do not.
    let project = |rule: &str, value: &Value| {
        let p = ::cel::Env::stdlib().compile(rule).unwrap();
        super::cel::Reads::of(p.expression()).and_then(|r| r.project(value))
    };
    let alike = |rule: &str, a: Value, b: Value| {
        let (pa, pb) = (project(rule, &a), project(rule, &b));
        assert!(pa.is_some(), "{rule}: {a}");
        pa == pb
    };
    let rule = "has(self.a) && self.a.b == self.type";
    assert!(alike(
        rule,
        json!({"a": {"b": 1, "c": 2}, "type": "x", "n": 1}),
        json!({"a": {"b": 1}, "type": "x"})
    ));
    assert!(!alike(
        rule,
        json!({"a": {"b": 1}, "type": "x"}),
        json!({"a": {"b": 2}, "type": "x"})
    ));
    assert!(!alike(
        rule,
        json!({"a": {"b": 1}, "type": "x"}),
        json!({"type": "x"})
    ));
    assert!(!alike(
        rule,
        json!({"a": {"b": 1}, "type": "x"}),
        json!({"a": {"b": "1"}, "type": "x"})
    ));
    // Only tested for presence: its value does not count.
    let rule = "has(self.a) && has(self.a.b)";
    assert!(alike(
        rule,
        json!({"a": {"b": "x"}}),
        json!({"a": {"b": {"c": 1}}})
    ));
    assert!(!alike(
        rule,
        json!({"a": {"b": "x"}}),
        json!({"a": {"c": "x"}})
    ));
    // Macros: the items of a list read through the macro's variable.
    let rule = "self.l.all(f, !has(f.r) || f.t == 'R')";
    let item = |t: &str, r: bool, name: &str| {
        let mut x = json!({"t": t, "name": name});
        if r {
            x["r"] = json!({"deep": name});
        }
        x
    };
    assert!(alike(
        rule,
        json!({"l": [item("R", true, "a"), item("S", false, "b")]}),
        json!({"l": [item("R", true, "c"), item("S", false, "d")], "o": 1})
    ));
    assert!(!alike(
        rule,
        json!({"l": [item("R", true, "a")]}),
        json!({"l": [item("S", true, "a")]})
    ));
    assert!(!alike(
        rule,
        json!({"l": [item("R", true, "a")]}),
        json!({"l": [item("R", false, "a")]})
    ));
    assert!(!alike(
        rule,
        json!({"l": [item("R", true, "a")]}),
        json!({"l": [item("R", true, "a"), item("R", true, "a")]})
    ));
    // `filter` counted by `size()` reads its condition only; kept, the items count.
    let counted = "self.filter(f, f.t == 'R').size() <= 1";
    assert!(alike(
        counted,
        json!([item("R", true, "a"), item("S", false, "b")]),
        json!([item("R", false, "c"), item("S", true, "d")])
    ));
    assert!(!alike(
        counted,
        json!([item("R", true, "a")]),
        json!([item("S", true, "a")])
    ));
    let kept = "self.filter(f, f.t == 'R') == [] ";
    assert!(!alike(
        kept,
        json!([item("R", true, "a")]),
        json!([item("R", true, "b")])
    ));
    // Sizes, constant indexes, values used whole.
    assert!(alike(
        "size(self.l) > 1",
        json!({"l": [1, 2]}),
        json!({"l": [3, 4]})
    ));
    assert!(!alike(
        "size(self.l) > 1",
        json!({"l": [1, 2]}),
        json!({"l": [3]})
    ));
    assert!(alike(
        "self[0].t == 'R'",
        json!([{"t": "R", "u": 1}]),
        json!([{"t": "R", "u": 2}])
    ));
    assert!(!alike(
        "self[0].t == 'R'",
        json!([{"t": "R"}]),
        json!([{"t": "R"}, {"t": "S"}])
    ));
    assert!(!alike(
        "self.a == self.b",
        json!({"a": {"x": 1}, "b": {"x": 1}}),
        json!({"a": {"x": 1}, "b": {"x": 2}})
    ));
    assert!(!alike(
        "self.?a.hasValue()",
        json!({"a": {"x": 1}}),
        json!({"a": {"x": 2}})
    ));
    // A macro variable named `self` is not `self`.
    assert!(alike(
        "[1].all(self, self > 0) && self.t == 'R'",
        json!({"t": "R", "u": 1}),
        json!({"t": "R", "u": 2})
    ));
    // Items of a map, fields of a list: not projected, the rule is evaluated.
    assert_eq!(
        project("self.m.all(k, k != 'x')", &json!({"m": {"a": 1}})),
        None
    );
    assert_eq!(project("self.m.t == 'R'", &json!({"m": [1]})), None);
    // An escaped property name: not analysed.
    let p = ::cel::Env::stdlib()
        .compile("self.__namespace__ == ''")
        .unwrap();
    assert!(super::cel::Reads::of(p.expression()).is_none());
}

/// Every key finds its property schema, whatever the keys sort like (upper case before
/// lower, `_`, digits, non-ASCII, a prefix of another key), with unknown fields among
/// them: the walk pairs an object's keys with `properties` in one sorted pass.
#[test]
fn keys_find_their_properties_in_any_order() {
    let names = ["B", "a", "a_", "aa", "_", "0", "é", "z", "Ω"];
    let properties: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| ((*n).to_owned(), json!({"type": "integer", "maximum": 1})))
        .collect();
    let schema = json!({"type": "object", "properties": properties});
    let mut object = serde_json::Map::new();
    for (i, n) in names.iter().enumerate() {
        object.insert((*n).to_owned(), json!(2));
        object.insert(format!("{n}{i}x"), json!(2));
    }
    let report = run(&schema, &Value::Object(object));
    let mut maxima: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.constraint == "maximum")
        .map(|f| f.path.clone())
        .collect();
    maxima.sort();
    let mut want: Vec<String> = names
        .iter()
        .map(|n| match *n {
            "é" | "Ω" => format!("[\"{n}\"]"),
            n => n.to_owned(),
        })
        .collect();
    want.sort();
    assert_eq!(maxima, want);
    assert_eq!(report.count(Severity::Warning), names.len());
}

/// Removes every `name` key of a schema, at any depth.
fn without_keyword(schema: &Value, name: &str) -> Value {
    match schema {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| k.as_str() != name)
                .map(|(k, v)| (k.clone(), without_keyword(v, name)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| without_keyword(v, name)).collect()),
        other => other.clone(),
    }
}

/// What `--coverage` calls checked is implemented: for every keyword of
/// [`Keyword::CHECKED`], a value whose errors change when the keyword is removed from
/// the schema (the keyword is the only one of its name in the case's schema).
#[test]
fn every_checked_keyword_changes_a_verdict() {
    let cases: Vec<(Keyword, Value, Value)> = vec![
        (Keyword::Type, json!({"type": "integer"}), json!("a")),
        (
            Keyword::Required,
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}),
            json!({}),
        ),
        (
            Keyword::Enum,
            json!({"type": "string", "enum": ["a"]}),
            json!("b"),
        ),
        (
            Keyword::Default,
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "default": "d"}}}),
            json!({}),
        ),
        (
            Keyword::Nullable,
            json!({"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "nullable": true}}}),
            json!({"a": null}),
        ),
        (
            Keyword::Minimum,
            json!({"type": "integer", "minimum": 2}),
            json!(1),
        ),
        (
            Keyword::Maximum,
            json!({"type": "integer", "maximum": 2}),
            json!(3),
        ),
        (
            Keyword::ExclusiveMinimum,
            json!({"type": "integer", "minimum": 2, "exclusiveMinimum": true}),
            json!(2),
        ),
        (
            Keyword::ExclusiveMaximum,
            json!({"type": "integer", "maximum": 2, "exclusiveMaximum": true}),
            json!(2),
        ),
        (
            Keyword::MultipleOf,
            json!({"type": "integer", "multipleOf": 2}),
            json!(3),
        ),
        (
            Keyword::MinLength,
            json!({"type": "string", "minLength": 2}),
            json!("a"),
        ),
        (
            Keyword::MaxLength,
            json!({"type": "string", "maxLength": 1}),
            json!("ab"),
        ),
        (
            Keyword::Pattern,
            json!({"type": "string", "pattern": "^a$"}),
            json!("b"),
        ),
        (
            Keyword::Format,
            json!({"type": "string", "format": "date-time"}),
            json!("yesterday"),
        ),
        (
            Keyword::MinItems,
            json!({"type": "array", "minItems": 1, "items": {"type": "string"}}),
            json!([]),
        ),
        (
            Keyword::MaxItems,
            json!({"type": "array", "maxItems": 1, "items": {"type": "string"}}),
            json!(["a", "b"]),
        ),
        (
            Keyword::UniqueItems,
            json!({"type": "array", "uniqueItems": true, "items": {"type": "string"}}),
            json!(["a", "a"]),
        ),
        (
            Keyword::MinProperties,
            json!({"type": "object", "minProperties": 1, "additionalProperties": true}),
            json!({}),
        ),
        (
            Keyword::MaxProperties,
            json!({"type": "object", "maxProperties": 1, "additionalProperties": true}),
            json!({"a": 1, "b": 2}),
        ),
        (
            Keyword::AllOf,
            json!({"type": "integer", "allOf": [{"minimum": 2}]}),
            json!(1),
        ),
        (
            Keyword::AnyOf,
            json!({"type": "integer", "anyOf": [{"minimum": 2}, {"maximum": 0}]}),
            json!(1),
        ),
        (
            Keyword::OneOf,
            json!({"type": "integer", "oneOf": [{"minimum": 2}, {"maximum": 0}]}),
            json!(1),
        ),
        (
            Keyword::Not,
            json!({"type": "integer", "not": {"minimum": 2}}),
            json!(3),
        ),
        (
            Keyword::IntOrString,
            json!({"x-kubernetes-int-or-string": true}),
            json!(true),
        ),
        (
            Keyword::ListType,
            json!({"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}),
            json!(["a", "a"]),
        ),
        (
            Keyword::ListMapKeys,
            json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"],
                   "items": {"type": "object", "required": ["k"], "properties": {"k": {"type": "string"}, "v": {"type": "string"}}}}),
            // Told apart by `k`: without the keys every item has the same (empty) key.
            json!([{"k": "a", "v": "1"}, {"k": "b", "v": "1"}]),
        ),
        (
            Keyword::AdditionalProperties,
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            json!({"a": "s"}),
        ),
    ];
    for k in Keyword::CHECKED {
        let Some((_, schema, value)) = cases.iter().find(|(c, _, _)| *c == k) else {
            panic!(
                "keyword {} is listed as checked but has no case here",
                k.name()
            );
        };
        let schema = with_x(schema.clone());
        let value = json!({"x": value});
        let with = errors(&schema, &value);
        let without = errors(&without_keyword(&schema, k.name()), &value);
        assert_ne!(with, without, "{}: {schema} on {value}", k.name());
        assert!(Keyword::ALL.contains(&k));
    }
}

/// A rule that fails on a large value, or returns one, describes it by its type and a
/// short rendering: never the interpreter's debug form of the whole value.
#[test]
fn rule_errors_on_large_values_stay_short() {
    let schema = json!({
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"type": "string"}}},
        "x-kubernetes-validations": [
            {"rule": "self.items + 1 == 2"},
            {"rule": "self.items"},
        ],
    });
    let items: Vec<String> = (0..5000).map(|i| format!("item-{i}")).collect();
    let report = run(&schema, &json!({ "items": items }));
    let messages: Vec<&str> = report.findings.iter().map(|f| &*f.message).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with(
            "Unsupported binary operator 'add': list of 5000 items: [\"item-0\", \"item-1\""
        ),
        "{}",
        messages[0]
    );
    assert!(
        messages[1].starts_with("rule returned list of 5000 items: [\"item-0\""),
        "{}",
        messages[1]
    );
    for m in &messages {
        assert!(m.len() < 200, "{m}");
    }
}
