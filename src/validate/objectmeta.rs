//! The API server's own rules for an object's `metadata`, which a schema does not
//! carry and schema-only tools (kubeconform) skip: what `metadata.name` and
//! `metadata.generateName` may be for the object's kind, `metadata.namespace`, the
//! keys and values of `metadata.labels`, the keys and the total size of
//! `metadata.annotations`.
//!
//! Followed: Kubernetes v1.36 (apimachinery `kubernetes-1.36.3`:
//! `pkg/api/validation/objectmeta.go` `ValidateObjectMetaAccessor`,
//! `pkg/api/validation/generic.go` `NameIsDNSSubdomain`/`NameIsDNSLabel`/
//! `NameIsDNS1035Label`/`maskTrailingDash`, `pkg/util/validation/validation.go`
//! `IsDNS1123Label`/`IsDNS1123Subdomain`/`IsDNS1035Label`/`IsValidIP`,
//! `pkg/api/validate/content` `IsLabelKey`/`IsLabelValue`/`IsPathSegmentName`,
//! `pkg/apis/meta/v1/validation` `ValidateLabels`; the kinds' name functions of
//! kubernetes `pkg/apis/*/validation/validation.go`, listed at [`meta_rules`]). The
//! messages are the API server's, so they can be searched for; a finding's message is
//! the detail of the API server's error, prefixed with its type where the API server
//! prints one (`Required value: `, `Forbidden: `, `Too long: `), as the other
//! findings of [`super`] are.
//!
//! Constraints (a finding's `constraint`), one per rule:
//!
//! | constraint | rule |
//! | --- | --- |
//! | `type` | a `metadata` field of the wrong JSON type (`metadata` not an object, `name` not a string, `labels` not an object of strings) |
//! | `required` | neither `name` nor `generateName` |
//! | `dns1123subdomain` | `IsDNS1123Subdomain`: at most 253 bytes, lower-case alphanumerics, `-` and `.` |
//! | `dns1123label` | `IsDNS1123Label`: at most 63 bytes, lower-case alphanumerics and `-` |
//! | `dns1035label` | `IsDNS1035Label`: a DNS-1123 label starting with a letter |
//! | `pathsegment` | `IsPathSegmentName`: not `.` or `..`, no `/` or `%` |
//! | `ipaddress` | `IsValidIP`: an IP address in canonical form |
//! | `cronjobname` | a CronJob's name is at most 52 bytes |
//! | `crdname` | a CustomResourceDefinition is named `<spec.names.plural>.<spec.group>` |
//! | `apiservicename` | an APIService is named `<spec.version>.<spec.group>` |
//! | `clustertrustbundlename` | a ClusterTrustBundle's name starts with its signer name |
//! | `priorityclassname` | `system-` names are reserved to the built-in PriorityClasses |
//! | `scope` | a `namespace` on a cluster-scoped kind (a warning: the API server drops it) |
//! | `qualifiedname` | a label or annotation key: `IsLabelKey` (annotation keys lower-cased first) |
//! | `labelvalue` | `IsLabelValue`: at most 63 bytes, alphanumerics, `-`, `_`, `.`, or empty |
//! | `annotationsize` | all annotation keys and values together at most 256 KiB |
//!
//! The format rules DNS-1123 label and subdomain are [`super::format`]'s
//! (`k8s-short-name`, `k8s-long-name`); this module only splits their verdict into the
//! API server's separate length and pattern messages.
//!
//! Contact points: pure functions of a [`serde_json::Value`]; the validator calls
//! [`check_object_meta`] with the [`KindMetaRules`] of the object's kind
//! ([`meta_rules`]: its group, kind and scope); findings are [`Finding`]s with paths
//! rendered as [`super::structural`] renders them.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use super::{format, Finding, Path, Severity};

/// How a kind's `metadata.name` (and `metadata.generateName`, as a prefix) is checked:
/// the name function the kind's API server validation passes to `ValidateObjectMeta`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// `NameIsDNSSubdomain`, the rule of most kinds and of every custom resource.
    Dns1123Subdomain,
    /// `NameIsDNSLabel` (`ValidateNamespaceName`).
    Dns1123Label,
    /// `NameIsDNS1035Label` (`ValidateServiceName`).
    Dns1035Label,
    /// `path.IsValidPathSegmentName`, the RBAC kinds' `minimalNameRequirements`.
    PathSegment,
    /// `ValidateCronJobCreate`: a DNS-1123 subdomain, and the name at most 52 bytes
    /// (the controller appends 11 characters to make its Jobs' names).
    CronJob,
    /// `ValidateCustomResourceDefinition`: a DNS-1123 subdomain equal to
    /// `spec.names.plural + "." + spec.group`.
    CustomResourceDefinition,
    /// `ValidateAPIService`: a path segment equal to `spec.version + "." + spec.group`.
    ApiService,
    /// `ValidateIPAddressName`: an IP address in canonical form.
    IpAddress,
    /// `ValidateClusterTrustBundleName`: `<signerName with / as :>:` and a DNS-1123
    /// subdomain, or without `spec.signerName` a DNS-1123 subdomain without `:`.
    ClusterTrustBundle,
    /// `ValidatePriorityClass`: a DNS-1123 subdomain; names starting with `system-`
    /// are the built-in classes' only.
    PriorityClass,
    /// `ValidateCertificateRequestName`: any name.
    Unrestricted,
}

/// What [`check_object_meta`] needs to know of an object's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindMetaRules {
    /// Whether the kind is namespaced (else cluster-scoped).
    pub namespaced: bool,
    /// The rule of its `metadata.name`.
    pub name: NameRule,
}

/// The rules of a kind, by API group (`""` for core) and kind, and its scope (from
/// the API's discovery or OpenAPI documents; the table does not repeat it).
///
/// Every kind not listed checks its name as a DNS-1123 subdomain, as do custom
/// resources (apiextensions-apiserver's `NameIsDNSSubdomain`). Listed, Kubernetes
/// v1.36 (kubernetes `pkg/apis/<group>/validation/validation.go` unless said):
///
/// | group | kinds | rule | source |
/// | --- | --- | --- | --- |
/// | core | Namespace | DNS-1123 label | `core`: `ValidateNamespaceName` |
/// | core | Service | DNS-1035 label | `core`: `ValidateServiceName` |
/// | `rbac.authorization.k8s.io` | Role, ClusterRole, RoleBinding, ClusterRoleBinding | path segment | `rbac`: `minimalNameRequirements` |
/// | `batch` | CronJob | subdomain, at most 52 | `batch`: `ValidateCronJobCreate` |
/// | `apiextensions.k8s.io` | CustomResourceDefinition | `<plural>.<group>` | apiextensions-apiserver `pkg/apis/apiextensions/validation` |
/// | `apiregistration.k8s.io` | APIService | `<version>.<group>` | kube-aggregator `pkg/apis/apiregistration/validation` |
/// | `networking.k8s.io` | IPAddress | canonical IP address | `networking`: `ValidateIPAddressName` |
/// | `certificates.k8s.io` | ClusterTrustBundle | signer-name prefix | `core/validation/names.go`: `ValidateClusterTrustBundleName` |
/// | `certificates.k8s.io` | CertificateSigningRequest | any | `certificates`: `ValidateCertificateRequestName` |
/// | `scheduling.k8s.io` | PriorityClass | subdomain, `system-` reserved | `scheduling`: `ValidatePriorityClass` |
///
/// DNS-1123 subdomain, checked here as the default, is also what v1.36 names for the
/// other kinds a user writes: Pod, ReplicationController, PodTemplate, ConfigMap,
/// Secret, ServiceAccount, Endpoints, LimitRange, ResourceQuota, PersistentVolume and
/// PersistentVolumeClaim (`ValidatePersistentVolumeName`), Node, Event; apps
/// (Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision); batch Job;
/// networking Ingress, IngressClass, NetworkPolicy, ServiceCIDR; policy
/// PodDisruptionBudget; autoscaling HorizontalPodAutoscaler; storage StorageClass,
/// CSIDriver, CSINode, VolumeAttachment, CSIStorageCapacity, VolumeAttributesClass;
/// coordination Lease; discovery EndpointSlice; admissionregistration webhook
/// configurations and (validating, mutating) admission policies and bindings;
/// flowcontrol FlowSchema, PriorityLevelConfiguration; node RuntimeClass; resource
/// (DRA) DeviceClass, ResourceClaim, ResourceClaimTemplate, ResourceSlice.
pub fn meta_rules(group: &str, kind: &str, namespaced: bool) -> KindMetaRules {
    let name = match (group, kind) {
        ("", "Namespace") => NameRule::Dns1123Label,
        ("", "Service") => NameRule::Dns1035Label,
        (
            "rbac.authorization.k8s.io",
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
        ) => NameRule::PathSegment,
        ("batch", "CronJob") => NameRule::CronJob,
        ("apiextensions.k8s.io", "CustomResourceDefinition") => NameRule::CustomResourceDefinition,
        ("apiregistration.k8s.io", "APIService") => NameRule::ApiService,
        ("networking.k8s.io", "IPAddress") => NameRule::IpAddress,
        ("certificates.k8s.io", "ClusterTrustBundle") => NameRule::ClusterTrustBundle,
        ("certificates.k8s.io", "CertificateSigningRequest") => NameRule::Unrestricted,
        ("scheduling.k8s.io", "PriorityClass") => NameRule::PriorityClass,
        _ => NameRule::Dns1123Subdomain,
    };
    KindMetaRules { namespaced, name }
}

/// Checks an object's `metadata` as the API server does on create
/// (`ValidateObjectMetaAccessor` with the kind's name function), adding one [`Finding`]
/// per problem to `findings`, in the API server's order: `generateName`, `name`,
/// `namespace`, `labels`, `annotations`. Never panics, whatever `object` is.
///
/// Differences from a create request, all because the API server changes the object
/// before validating it:
/// - `generateName` without `name` is checked as a prefix (as the API server does) and
///   no name is required; the name the API server would generate is not checked.
/// - a namespaced object without `namespace` is fine: the request's namespace (from
///   `kubectl`'s context) fills it.
/// - a `namespace` on a cluster-scoped kind is a [`Severity::Warning`], not an error:
///   the API server clears it (`EnsureObjectNamespaceMatchesRequestNamespace`) before
///   `ValidateObjectMeta` could say "not allowed on this type".
///
/// `null` reads as absent (an empty string), as Go's JSON decoding reads it.
pub fn check_object_meta(object: &Value, rules: &KindMetaRules, findings: &mut Vec<Finding>) {
    let mut check = Check {
        path: Path::default(),
        findings,
    };
    let Some(object) = object.as_object() else {
        check.error("type", "must be of type object".into(), Some(object));
        return;
    };
    check.path.push_key("metadata");
    let empty = Map::new();
    let meta = match object.get("metadata") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(m)) => m,
        Some(other) => {
            check.error("type", "must be of type object".into(), Some(other));
            return;
        }
    };
    let generate_name = check.string(meta, "generateName");
    if let Some(Some(prefix)) = generate_name {
        check.name(rules.name, object, "generateName", prefix, true);
    }
    match check.string(meta, "name") {
        Some(Some(name)) => check.name(rules.name, object, "name", name, false),
        Some(None) if !matches!(generate_name, Some(Some(_))) => {
            check.path.push_key("name");
            let message = "Required value: name or generateName is required".into();
            check.error("required", message, None);
            check.path.pop();
        }
        _ => {}
    }
    if let Some(Some(namespace)) = check.string(meta, "namespace") {
        check.namespace(namespace, rules.namespaced);
    }
    check.labels(meta);
    check.annotations(meta);
}

/// The walk of one `metadata`: where it is, and the findings so far.
struct Check<'f> {
    path: Path,
    findings: &'f mut Vec<Finding>,
}

impl Check<'_> {
    fn push(
        &mut self,
        severity: Severity,
        constraint: &str,
        message: String,
        value: Option<&Value>,
    ) {
        self.findings.push(Finding::at(
            severity, &self.path, constraint, message, value,
        ));
    }

    fn error(&mut self, constraint: &str, message: String, value: Option<&Value>) {
        self.push(Severity::Error, constraint, message, value);
    }

    /// The string field `key` of `meta`: `Some(None)` when absent, `null` or empty,
    /// `None` when it is not a string (reported).
    fn string<'m>(&mut self, meta: &'m Map<String, Value>, key: &str) -> Option<Option<&'m str>> {
        match meta.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some((!s.is_empty()).then_some(s.as_str())),
            Some(other) => {
                self.path.push_key(key);
                self.error("type", "must be of type string".into(), Some(other));
                self.path.pop();
                None
            }
        }
    }

    /// `name` or `generateName` (`prefix`) under the kind's rule.
    fn name(
        &mut self,
        rule: NameRule,
        object: &Map<String, Value>,
        key: &str,
        name: &str,
        prefix: bool,
    ) {
        self.path.push_key(key);
        let value = Value::String(name.to_owned());
        for (constraint, message) in name_problems(rule, object, name, prefix) {
            self.error(constraint, message, Some(&value));
        }
        self.path.pop();
    }

    fn namespace(&mut self, namespace: &str, namespaced: bool) {
        self.path.push_key("namespace");
        let value = Value::String(namespace.to_owned());
        if namespaced {
            for message in dns1123_label(namespace) {
                self.error("dns1123label", message, Some(&value));
            }
        } else {
            let message = "Forbidden: not allowed on this type (a cluster-scoped kind; \
                           the API server drops the namespace)"
                .into();
            self.push(Severity::Warning, "scope", message, Some(&value));
        }
        self.path.pop();
    }

    /// The entries of the object field `key` of `meta` (none when absent or `null`;
    /// reported when not an object); each value a string (`null` is empty) or reported
    /// and left out.
    fn string_map<'m>(
        &mut self,
        meta: &'m Map<String, Value>,
        key: &str,
    ) -> Vec<(&'m str, &'m str, &'m Value)> {
        let map = match meta.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Object(map)) => map,
            Some(other) => {
                self.path.push_key(key);
                self.error("type", "must be of type object".into(), Some(other));
                self.path.pop();
                return Vec::new();
            }
        };
        self.path.push_key(key);
        let mut entries = Vec::with_capacity(map.len());
        for (k, v) in map {
            match v {
                Value::String(s) => entries.push((k.as_str(), s.as_str(), v)),
                Value::Null => entries.push((k.as_str(), "", v)),
                other => {
                    self.path.push_key(k);
                    self.error("type", "must be of type string".into(), Some(other));
                    self.path.pop();
                }
            }
        }
        self.path.pop();
        entries
    }

    /// `ValidateLabels`: each key a qualified name, each value a label value.
    fn labels(&mut self, meta: &Map<String, Value>) {
        let entries = self.string_map(meta, "labels");
        self.path.push_key("labels");
        for (key, value, json) in entries {
            self.path.push_key(key);
            let key_json = Value::String(key.to_owned());
            for message in label_key(key) {
                self.error("qualifiedname", message, Some(&key_json));
            }
            for message in label_value(value) {
                self.error("labelvalue", message, Some(json));
            }
            self.path.pop();
        }
        self.path.pop();
    }

    /// `ValidateAnnotations`: each key, lower-cased, a qualified name; keys and values
    /// together at most [`ANNOTATIONS_MAX_BYTES`].
    fn annotations(&mut self, meta: &Map<String, Value>) {
        let entries = self.string_map(meta, "annotations");
        self.path.push_key("annotations");
        let mut total = 0usize;
        for (key, value, _) in entries {
            total += key.len() + value.len();
            self.path.push_key(key);
            let key_json = Value::String(key.to_owned());
            for message in label_key(&go_to_lower(key)) {
                self.error("qualifiedname", message, Some(&key_json));
            }
            self.path.pop();
        }
        if total > ANNOTATIONS_MAX_BYTES {
            let message = format!("Too long: may not be more than {ANNOTATIONS_MAX_BYTES} bytes");
            self.error("annotationsize", message, None);
        }
        self.path.pop();
    }
}

/// `TotalAnnotationSizeLimitB`: 256 KiB of annotation keys and values.
pub const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// The problems of a name (or, `prefix`, a `generateName`) under `rule`, each with its
/// constraint.
fn name_problems(
    rule: NameRule,
    object: &Map<String, Value>,
    name: &str,
    prefix: bool,
) -> Vec<(&'static str, String)> {
    let tagged = |c: &'static str, messages: Vec<String>| messages.into_iter().map(move |m| (c, m));
    let subdomain = || {
        tagged(
            "dns1123subdomain",
            dns1123_subdomain(&mask_trailing_dash(name, prefix)),
        )
    };
    match rule {
        NameRule::Dns1123Subdomain => subdomain().collect(),
        NameRule::Dns1123Label => tagged(
            "dns1123label",
            dns1123_label(&mask_trailing_dash(name, prefix)),
        )
        .collect(),
        NameRule::Dns1035Label => tagged(
            "dns1035label",
            dns1035_label(&mask_trailing_dash(name, prefix)),
        )
        .collect(),
        NameRule::PathSegment => tagged("pathsegment", path_segment_name(name)).collect(),
        NameRule::Unrestricted => Vec::new(),
        NameRule::IpAddress => tagged("ipaddress", ip_address(name)).collect(),
        NameRule::CronJob => {
            let mut problems: Vec<_> = subdomain().collect();
            // `ValidateCronJobCreate` checks the name only, not the prefix.
            if !prefix && name.len() > CRONJOB_NAME_MAX_BYTES {
                problems.push((
                    "cronjobname",
                    format!("must be no more than {CRONJOB_NAME_MAX_BYTES} characters"),
                ));
            }
            problems
        }
        NameRule::PriorityClass => {
            let mut problems: Vec<_> = subdomain().collect();
            if !prefix && name.starts_with("system-") && !SYSTEM_PRIORITY_CLASSES.contains(&name) {
                problems.push((
                    "priorityclassname",
                    format!(
                        "Forbidden: priority class names with 'system-' prefix are reserved for \
                         system use only. error: {name} is not a known system priority class"
                    ),
                ));
            }
            problems
        }
        NameRule::CustomResourceDefinition => {
            let mut problems: Vec<_> = subdomain().collect();
            let required = format!(
                "{}.{}",
                text_at(object, &["spec", "names", "plural"]),
                text_at(object, &["spec", "group"])
            );
            if name != required {
                problems.push((
                    "crdname",
                    r#"must be spec.names.plural+"."+spec.group"#.to_owned(),
                ));
            }
            problems
        }
        NameRule::ApiService => {
            let segment = path_segment_name(name);
            if !segment.is_empty() {
                return tagged("pathsegment", segment).collect();
            }
            let required = format!(
                "{}.{}",
                text_at(object, &["spec", "version"]),
                text_at(object, &["spec", "group"])
            );
            if name == required {
                return Vec::new();
            }
            let quoted = Value::String(required).to_string();
            vec![(
                "apiservicename",
                format!("must be `spec.version+\".\"+spec.group`: {quoted}"),
            )]
        }
        NameRule::ClusterTrustBundle => {
            let signer = text_at(object, &["spec", "signerName"]);
            let rest = if signer.is_empty() {
                if name.contains(':') {
                    let message =
                        "ClusterTrustBundle without signer name must not have \":\" in its name";
                    return vec![("clustertrustbundlename", message.to_owned())];
                }
                name
            } else {
                let required = format!("{}:", signer.replace('/', ":"));
                match name.strip_prefix(&required) {
                    Some(rest) => rest,
                    None => {
                        let message = format!("ClusterTrustBundle for signerName {signer} must be named with prefix {required}");
                        return vec![("clustertrustbundlename", message)];
                    }
                }
            };
            tagged(
                "dns1123subdomain",
                dns1123_subdomain(&mask_trailing_dash(rest, prefix)),
            )
            .collect()
        }
    }
}

/// `DNS1035LabelMaxLength - 11`: a CronJob's Jobs are named `<cronjob>-<11 characters>`.
const CRONJOB_NAME_MAX_BYTES: usize = 52;

/// The built-in PriorityClasses, the only ones whose names may start with `system-`
/// (`scheduling/v1` `systemPriorityClasses`).
const SYSTEM_PRIORITY_CLASSES: &[&str] = &["system-node-critical", "system-cluster-critical"];

/// The string at `path` of `object`, empty when absent or not a string (as a Go struct
/// field reads it).
fn text_at<'o>(object: &'o Map<String, Value>, path: &[&str]) -> &'o str {
    let Some((first, rest)) = path.split_first() else {
        return "";
    };
    let mut value = object.get(*first);
    for key in rest {
        value = value.and_then(|v| v.get(key));
    }
    value.and_then(Value::as_str).unwrap_or("")
}

/// `maskTrailingDash`, for a prefix: a `generateName` ending in `-` (and longer than
/// one byte) is checked with its last two bytes replaced by `a`, as the API server
/// does (the byte before the dash goes too). Where that cuts a multi-byte character,
/// its remaining bytes become `?`, which like them is no name character but neither
/// `/` nor `%`, and keeps the byte length.
fn mask_trailing_dash(name: &str, prefix: bool) -> Cow<'_, str> {
    if !prefix || name.len() <= 1 || !name.ends_with('-') {
        return Cow::Borrowed(name);
    }
    let cut = name.len() - 2;
    let mut boundary = cut;
    while !name.is_char_boundary(boundary) {
        boundary -= 1;
    }
    let mut masked = String::with_capacity(name.len() - 1);
    masked.push_str(&name[..boundary]);
    masked.extend(std::iter::repeat_n('?', cut - boundary));
    masked.push('a');
    Cow::Owned(masked)
}

/// `RegexError`: `msg (e.g. 'a',  or 'b', regex used for validation is 're')`, the
/// double space included.
fn regex_error(msg: &str, regex: &str, examples: &[&str]) -> String {
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push_str(&format!("'{example}', "));
    }
    out.push_str(&format!("regex used for validation is '{regex}')"));
    out
}

/// `validation.MaxLenError` (object names, namespaces).
fn max_len_characters(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// `content.MaxLenError` (label keys and values).
fn max_len_bytes(max: usize) -> String {
    format!("must be no more than {max} bytes")
}

const DNS1123_LABEL_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1123_LABEL_REGEX: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_REGEX: &str =
    r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_LABEL_MESSAGE: &str = "a lowercase RFC 1123 label must consist of lower case \
    alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower \
    case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric \
    character";
const DNS1035_LABEL_REGEX: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MESSAGE: &str = "a DNS-1035 label must consist of lower case alphanumeric \
    characters or '-', start with an alphabetic character, and end with an alphanumeric \
    character";

/// Whether `s` has the shape of a DNS-1123 label, whatever its length: the format
/// `k8s-short-name`, which also limits the length, so a longer `s` is judged in pieces
/// (each run of at most 61 bytes between two letters, and its two ends).
fn dns1123_label_shape(s: &str) -> bool {
    if s.len() <= DNS1123_LABEL_MAX {
        return format::check_string("k8s-short-name", s);
    }
    let label = |t: &str| format::check_string("k8s-short-name", t);
    s.is_ascii()
        && label(&s[..1])
        && label(&s[s.len() - 1..])
        && s.as_bytes()
            .chunks(DNS1123_LABEL_MAX - 2)
            .all(|c| label(&format!("a{}a", String::from_utf8_lossy(c))))
}

/// Whether `s` has the shape of a DNS-1123 subdomain, whatever its length: the format
/// `k8s-long-name`, or beyond its length label by label.
fn dns1123_subdomain_shape(s: &str) -> bool {
    if s.len() <= DNS1123_SUBDOMAIN_MAX {
        return format::check_string("k8s-long-name", s);
    }
    s.split('.').all(dns1123_label_shape)
}

/// `validation.IsDNS1123Label`.
fn dns1123_label(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        errors.push(max_len_characters(DNS1123_LABEL_MAX));
    }
    if !dns1123_label_shape(s) {
        if dns1123_subdomain_shape(s) {
            errors.push("must not contain dots".to_owned());
        } else {
            errors.push(regex_error(
                DNS1123_LABEL_MESSAGE,
                DNS1123_LABEL_REGEX,
                &["my-name", "123-abc"],
            ));
        }
    }
    errors
}

/// `validation.IsDNS1123Subdomain` (`content.IsDNS1123Subdomain` with `bytes`, for the
/// prefix of a label key).
fn dns1123_subdomain_with(s: &str, max_len: fn(usize) -> String) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        errors.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    if !dns1123_subdomain_shape(s) {
        errors.push(regex_error(
            DNS1123_SUBDOMAIN_MESSAGE,
            DNS1123_SUBDOMAIN_REGEX,
            &["example.com"],
        ));
    }
    errors
}

fn dns1123_subdomain(s: &str) -> Vec<String> {
    dns1123_subdomain_with(s, max_len_characters)
}

/// `validation.IsDNS1035Label`: a DNS-1123 label whose first character is a letter.
fn dns1035_label(s: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        errors.push(max_len_characters(DNS1123_LABEL_MAX));
    }
    if !(dns1123_label_shape(s) && s.starts_with(|c: char| c.is_ascii_lowercase())) {
        errors.push(regex_error(
            DNS1035_LABEL_MESSAGE,
            DNS1035_LABEL_REGEX,
            &["my-name", "abc-123"],
        ));
    }
    errors
}

/// `content.IsPathSegmentName`: not `.` or `..`, no `/` or `%` (no length limit, and
/// as upstream `..x` passes).
fn path_segment_name(s: &str) -> Vec<String> {
    if s == "." || s == ".." {
        return vec![format!("may not be '{s}'")];
    }
    ["/", "%"]
        .into_iter()
        .filter(|bad| s.contains(bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

const LABEL_KEY_NAME_MAX: usize = 63;
const LABEL_VALUE_MAX: usize = 63;
const LABEL_KEY_REGEX: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MESSAGE: &str = "must consist of alphanumeric characters, '-', '_' or '.', and \
    must start and end with an alphanumeric character";
const LABEL_VALUE_REGEX: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MESSAGE: &str = "a valid label must be an empty string or consist of \
    alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric \
    character";

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: the name part of a label key, and a
/// non-empty label value.
fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `content.IsLabelKey` (`IsQualifiedName`): `[prefix/]name`, the prefix a DNS-1123
/// subdomain, the name at most 63 bytes of [`is_label_name`].
fn label_key(key: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let parts: Vec<&str> = key.split('/').collect();
    let name = match parts[..] {
        [name] => name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_owned());
            } else {
                let prefixed = dns1123_subdomain_with(prefix, max_len_bytes);
                errors.extend(prefixed.into_iter().map(|m| format!("prefix part {m}")));
            }
            name
        }
        _ => {
            let regex = regex_error(
                LABEL_KEY_MESSAGE,
                LABEL_KEY_REGEX,
                &["MyName", "my.name", "123-abc"],
            );
            return vec![format!(
                "a valid label key {regex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )];
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_owned());
    } else if name.len() > LABEL_KEY_NAME_MAX {
        errors.push(format!("name part {}", max_len_bytes(LABEL_KEY_NAME_MAX)));
    }
    if !is_label_name(name) {
        let regex = regex_error(
            LABEL_KEY_MESSAGE,
            LABEL_KEY_REGEX,
            &["MyName", "my.name", "123-abc"],
        );
        errors.push(format!("name part {regex}"));
    }
    errors
}

/// `content.IsLabelValue`: empty, or at most 63 bytes of [`is_label_name`].
fn label_value(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > LABEL_VALUE_MAX {
        errors.push(max_len_bytes(LABEL_VALUE_MAX));
    }
    if !value.is_empty() && !is_label_name(value) {
        errors.push(regex_error(
            LABEL_VALUE_MESSAGE,
            LABEL_VALUE_REGEX,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errors
}

/// Go's `strings.ToLower` as far as it matters to a qualified name: ASCII lower-cased,
/// and the two non-ASCII letters Go lower-cases into ASCII ones (`İ` to `i`, the
/// Kelvin sign to `k`); other characters by Rust's rules (never a name character).
fn go_to_lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{130}' => out.push('i'),
            '\u{212A}' => out.push('k'),
            c => out.extend(c.to_lowercase()),
        }
    }
    Cow::Owned(out)
}

/// `validation.IsValidIP`: an address Go's sloppy parser reads (IPv4 octets may have
/// leading zeros), strictly valid (no leading zeros, not IPv4-mapped IPv6), and
/// written as Go writes it back.
fn ip_address(s: &str) -> Vec<String> {
    // `format`'s `ipv4` is an IPv4 address with leading zeros tolerated, or any IPv6
    // address with a dot; with the IPv6 parser that is `netutils.ParseIPSloppy`.
    let sloppy: Option<IpAddr> = if let Ok(v6) = s.parse::<Ipv6Addr>() {
        Some(IpAddr::V6(v6))
    } else if format::check_string("ipv4", s) {
        let octets: Vec<u8> = s.split('.').filter_map(|o| o.parse().ok()).collect();
        <[u8; 4]>::try_from(octets)
            .ok()
            .map(|o| IpAddr::V4(Ipv4Addr::from(o)))
    } else {
        None
    };
    let Some(ip) = sloppy else {
        return vec!["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)".to_owned()];
    };
    let mut errors = Vec::new();
    // Rust's parsers are as strict as Go's `netip.ParseAddr` on leading zeros.
    if s.parse::<IpAddr>().is_err() {
        errors.push("must not have leading 0s".to_owned());
    }
    let canonical = match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => {
                errors.push("must not be an IPv4-mapped IPv6 address".to_owned());
                v4.to_string()
            }
            None => v6.to_string(),
        },
        IpAddr::V4(v4) => v4.to_string(),
    };
    if errors.is_empty() && s != canonical {
        errors.push(format!("must be in canonical form (\"{canonical}\")"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::show_value;

    const SUBDOMAIN_PATTERN: &str = "a lowercase RFC 1123 subdomain must consist of lower case \
        alphanumeric characters, '-' or '.', and must start and end with an alphanumeric \
        character (e.g. 'example.com', regex used for validation is \
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    const LABEL_PATTERN: &str = "a lowercase RFC 1123 label must consist of lower case \
        alphanumeric characters or '-', and must start and end with an alphanumeric character \
        (e.g. 'my-name',  or '123-abc', regex used for validation is \
        '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    const DNS1035_PATTERN: &str = "a DNS-1035 label must consist of lower case alphanumeric \
        characters or '-', start with an alphabetic character, and end with an alphanumeric \
        character (e.g. 'my-name',  or 'abc-123', regex used for validation is \
        '[a-z]([-a-z0-9]*[a-z0-9])?')";
    const KEY_NAME_PATTERN: &str = "name part must consist of alphanumeric characters, '-', '_' \
        or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or \
        'my.name',  or '123-abc', regex used for validation is \
        '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    const VALUE_PATTERN: &str = "a valid label must be an empty string or consist of \
        alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric \
        character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is \
        '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    fn findings(object: &Value, rules: KindMetaRules) -> Vec<Finding> {
        let mut out = Vec::new();
        check_object_meta(object, &rules, &mut out);
        out
    }

    /// `path constraint` of every finding.
    fn problems(object: &Value, rules: KindMetaRules) -> Vec<String> {
        findings(object, rules)
            .into_iter()
            .map(|f| format!("{} {}", f.path, f.constraint))
            .collect()
    }

    fn default_rules() -> KindMetaRules {
        meta_rules("apps", "Deployment", true)
    }

    fn with_meta(meta: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "X", "metadata": meta})
    }

    fn named(name: &str) -> Value {
        with_meta(json!({ "name": name }))
    }

    /// The messages of checking `name` under `rule` (name, not prefix).
    fn name_messages(rule: NameRule, name: &str) -> Vec<String> {
        name_problems(rule, &Map::new(), name, false)
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    }

    #[test]
    fn the_table_names_the_stricter_kinds() {
        let rule = |g, k| meta_rules(g, k, true).name;
        assert_eq!(rule("", "Namespace"), NameRule::Dns1123Label);
        assert_eq!(rule("", "Service"), NameRule::Dns1035Label);
        for k in ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"] {
            assert_eq!(rule("rbac.authorization.k8s.io", k), NameRule::PathSegment);
        }
        assert_eq!(rule("batch", "CronJob"), NameRule::CronJob);
        assert_eq!(rule("batch", "Job"), NameRule::Dns1123Subdomain);
        assert_eq!(
            rule("apiextensions.k8s.io", "CustomResourceDefinition"),
            NameRule::CustomResourceDefinition
        );
        assert_eq!(
            rule("apiregistration.k8s.io", "APIService"),
            NameRule::ApiService
        );
        assert_eq!(rule("networking.k8s.io", "IPAddress"), NameRule::IpAddress);
        assert_eq!(
            rule("certificates.k8s.io", "CertificateSigningRequest"),
            NameRule::Unrestricted
        );
        assert_eq!(
            rule("certificates.k8s.io", "ClusterTrustBundle"),
            NameRule::ClusterTrustBundle
        );
        assert_eq!(
            rule("scheduling.k8s.io", "PriorityClass"),
            NameRule::PriorityClass
        );
        // The group matters: a custom Service or Role is a DNS subdomain.
        assert_eq!(rule("example.com", "Service"), NameRule::Dns1123Subdomain);
        assert_eq!(rule("example.com", "Role"), NameRule::Dns1123Subdomain);
        assert_eq!(rule("", "Pod"), NameRule::Dns1123Subdomain);
        assert_eq!(rule("", "PersistentVolume"), NameRule::Dns1123Subdomain);
        assert_eq!(
            rule("gateway.networking.k8s.io", "HTTPRoute"),
            NameRule::Dns1123Subdomain
        );
        assert!(!meta_rules("", "Namespace", false).namespaced);
        assert!(meta_rules("", "Service", true).namespaced);
    }

    #[test]
    fn a_valid_object_has_no_findings() {
        let object = with_meta(json!({
            "name": "web-1.example",
            "namespace": "prod",
            "labels": {"app.kubernetes.io/name": "web", "tier": "", "Version_1": "v1.2_3-x"},
            "annotations": {"example.com/Note": "anything at all: ü, spaces, /", "A": ""},
        }));
        assert_eq!(findings(&object, default_rules()), vec![]);
    }

    #[test]
    fn subdomain_names() {
        for good in ["a", "0", "my-app", "my.app", "a-b.c-d.e", "1.2.3", "a--b"] {
            assert_eq!(
                problems(&named(good), default_rules()),
                Vec::<String>::new(),
                "{good}"
            );
        }
        for bad in [
            "My-app", "-a", "a-", ".a", "a.", "a..b", "a_b", "a b", "é", "a/b", "a.-b",
        ] {
            let f = findings(&named(bad), default_rules());
            assert_eq!(f.len(), 1, "{bad}: {f:?}");
            assert_eq!(f[0].path, "metadata.name");
            assert_eq!(f[0].constraint, "dns1123subdomain");
            assert_eq!(f[0].message, SUBDOMAIN_PATTERN);
            assert_eq!(
                f[0].value.as_deref(),
                Some(Value::from(bad).to_string().as_str())
            );
            assert_eq!(f[0].severity, Severity::Error);
        }
    }

    #[test]
    fn subdomain_boundary_lengths() {
        // 253 bytes in labels of 63: valid; one more byte is too long.
        let label = "a".repeat(63);
        let at = format!("{label}.{label}.{label}.{}", "b".repeat(61));
        assert_eq!(at.len(), 253);
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, &at),
            Vec::<String>::new()
        );
        let over = format!("{at}c");
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, &over),
            vec!["must be no more than 253 characters"]
        );
        // A subdomain's labels may be longer than 63 (only its total is limited).
        let long_label = "a".repeat(200);
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, &long_label),
            Vec::<String>::new()
        );
        // Too long and malformed: both messages, however long.
        for bad in [
            format!("{over}-"),
            format!("A{}", "a".repeat(300)),
            "-".repeat(400),
        ] {
            assert_eq!(
                name_messages(NameRule::Dns1123Subdomain, &bad),
                vec!["must be no more than 253 characters", SUBDOMAIN_PATTERN],
                "{bad}"
            );
        }
        // A long valid one in one piece, with dashes at every chunk boundary.
        let dashed: String = (0..300)
            .map(|i| if i % 7 == 3 { '-' } else { 'x' })
            .collect();
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, &dashed),
            vec!["must be no more than 253 characters"]
        );
        // Multi-byte characters count as their bytes.
        let bytes = "é".repeat(127);
        assert_eq!(bytes.len(), 254);
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, &bytes),
            vec!["must be no more than 253 characters", SUBDOMAIN_PATTERN]
        );
    }

    #[test]
    fn namespace_names_are_dns_labels() {
        let rules = meta_rules("", "Namespace", false);
        assert_eq!(problems(&named("kube-system"), rules), Vec::<String>::new());
        let at = "a".repeat(63);
        assert_eq!(problems(&named(&at), rules), Vec::<String>::new());
        let over = "a".repeat(64);
        assert_eq!(
            name_messages(NameRule::Dns1123Label, &over),
            vec!["must be no more than 63 characters"]
        );
        assert_eq!(
            name_messages(NameRule::Dns1123Label, "a.b"),
            vec!["must not contain dots"]
        );
        assert_eq!(
            name_messages(NameRule::Dns1123Label, "Kube"),
            vec![LABEL_PATTERN]
        );
        assert_eq!(
            name_messages(NameRule::Dns1123Label, "a_b"),
            vec![LABEL_PATTERN]
        );
        let long_dotted = format!("{}.b", "a".repeat(70));
        assert_eq!(
            name_messages(NameRule::Dns1123Label, &long_dotted),
            vec![
                "must be no more than 63 characters",
                "must not contain dots"
            ]
        );
        let long_bad = format!("{}_", "a".repeat(70));
        assert_eq!(
            name_messages(NameRule::Dns1123Label, &long_bad),
            vec!["must be no more than 63 characters", LABEL_PATTERN]
        );
        let f = findings(&named("A"), rules);
        assert_eq!(
            (f[0].path.as_str(), f[0].constraint.as_str()),
            ("metadata.name", "dns1123label")
        );
    }

    #[test]
    fn service_names_are_dns1035_labels() {
        let rules = meta_rules("", "Service", true);
        for good in ["web", "a", "a1", "my-svc-2"] {
            assert_eq!(
                problems(&named(good), rules),
                Vec::<String>::new(),
                "{good}"
            );
        }
        for bad in ["1web", "web.x", "Web", "web-", "-web"] {
            assert_eq!(
                name_messages(NameRule::Dns1035Label, bad),
                vec![DNS1035_PATTERN],
                "{bad}"
            );
        }
        assert_eq!(
            problems(&named("1web"), rules),
            vec!["metadata.name dns1035label"]
        );
        let at = format!("s{}", "1".repeat(62));
        assert_eq!(
            name_messages(NameRule::Dns1035Label, &at),
            Vec::<String>::new()
        );
        assert_eq!(
            name_messages(NameRule::Dns1035Label, &format!("{at}1")),
            vec!["must be no more than 63 characters"]
        );
    }

    #[test]
    fn path_segment_names() {
        let rules = meta_rules("rbac.authorization.k8s.io", "ClusterRole", false);
        for good in [
            "system:controller:foo",
            "Admin",
            "a b",
            "...",
            "..x",
            "é",
            "x".repeat(1000).as_str(),
        ] {
            assert_eq!(
                problems(&named(good), rules),
                Vec::<String>::new(),
                "{good}"
            );
        }
        assert_eq!(
            name_messages(NameRule::PathSegment, "."),
            vec!["may not be '.'"]
        );
        assert_eq!(
            name_messages(NameRule::PathSegment, ".."),
            vec!["may not be '..'"]
        );
        assert_eq!(
            name_messages(NameRule::PathSegment, "a/b"),
            vec!["may not contain '/'"]
        );
        assert_eq!(
            name_messages(NameRule::PathSegment, "a/%2f"),
            vec!["may not contain '/'", "may not contain '%'"]
        );
        assert_eq!(
            problems(&named("a%b"), rules),
            vec!["metadata.name pathsegment"]
        );
        // generateName is checked whole, without masking its dash.
        let object = with_meta(json!({"generateName": "../"}));
        assert_eq!(
            problems(&object, rules),
            vec!["metadata.generateName pathsegment"]
        );
        let object = with_meta(json!({"generateName": "."}));
        assert_eq!(findings(&object, rules)[0].message, "may not be '.'");
        let object = with_meta(json!({"generateName": "role-"}));
        assert_eq!(problems(&object, rules), Vec::<String>::new());
    }

    #[test]
    fn name_or_generate_name_is_required() {
        for object in [
            with_meta(json!({})),
            with_meta(json!({"name": ""})),
            with_meta(json!({"name": null, "generateName": ""})),
            json!({"kind": "X"}),
            json!({"kind": "X", "metadata": null}),
        ] {
            let f = findings(&object, default_rules());
            assert_eq!(f.len(), 1, "{object}");
            assert_eq!(f[0].path, "metadata.name");
            assert_eq!(f[0].constraint, "required");
            assert_eq!(
                f[0].message,
                "Required value: name or generateName is required"
            );
            assert_eq!(f[0].value, None);
        }
        let object = with_meta(json!({"generateName": "web-"}));
        assert_eq!(problems(&object, default_rules()), Vec::<String>::new());
        // Both: both checked.
        let object = with_meta(json!({"generateName": "Web-", "name": "Web"}));
        assert_eq!(
            problems(&object, default_rules()),
            vec![
                "metadata.generateName dns1123subdomain",
                "metadata.name dns1123subdomain"
            ]
        );
    }

    #[test]
    fn generate_name_masks_its_trailing_dash() {
        let check = |rule: NameRule, prefix: &str| -> Vec<String> {
            name_problems(rule, &Map::new(), prefix, true)
                .into_iter()
                .map(|(_, m)| m)
                .collect()
        };
        for good in ["web-", "a-", "a.b-", "web", "x1-"] {
            assert_eq!(
                check(NameRule::Dns1123Subdomain, good),
                Vec::<String>::new(),
                "{good}"
            );
        }
        // The API server drops the byte before the dash too: `ab.-` is checked as
        // `aba`, `a--` as `aa`, while a name `a--` would be... valid as well.
        for quirk in ["ab.-", "a--", "A-", "_-"] {
            assert_eq!(
                check(NameRule::Dns1123Subdomain, quirk),
                Vec::<String>::new(),
                "{quirk}"
            );
        }
        for bad in ["Web-", "-a-", "a..b-", "a_b-", "-"] {
            assert_eq!(
                check(NameRule::Dns1123Subdomain, bad),
                vec![SUBDOMAIN_PATTERN],
                "{bad}"
            );
        }
        // Without the mask, a name ending in a dash is wrong.
        assert_eq!(
            name_messages(NameRule::Dns1123Subdomain, "web-"),
            vec![SUBDOMAIN_PATTERN]
        );
        // Labels and DNS-1035 labels mask too.
        assert_eq!(check(NameRule::Dns1123Label, "ns-"), Vec::<String>::new());
        assert_eq!(check(NameRule::Dns1035Label, "svc-"), Vec::<String>::new());
        assert_eq!(
            check(NameRule::Dns1035Label, "1svc-"),
            vec![DNS1035_PATTERN]
        );
        // Length: 254 bytes ending in a dash are 253 once masked.
        let long = format!("{}-", "a".repeat(253));
        assert_eq!(
            check(NameRule::Dns1123Subdomain, &long),
            Vec::<String>::new()
        );
        let longer = format!("{}-", "a".repeat(254));
        assert_eq!(
            check(NameRule::Dns1123Subdomain, &longer),
            vec!["must be no more than 253 characters"]
        );
        // A multi-byte character before the dash: cut as bytes, never a panic.
        assert_eq!(mask_trailing_dash("aé-", true), "a?a");
        assert_eq!(mask_trailing_dash("é-", true), "?a");
        assert_eq!(mask_trailing_dash("😀-", true), "???a");
        assert_eq!(
            check(NameRule::Dns1123Subdomain, "aé-"),
            vec![SUBDOMAIN_PATTERN]
        );
        assert_eq!(mask_trailing_dash("-", true), "-");
        assert_eq!(mask_trailing_dash("ab-", false), "ab-");
        // Reported with the value as written.
        let f = findings(&with_meta(json!({"generateName": "Web-"})), default_rules());
        assert_eq!(f[0].value.as_deref(), Some("\"Web-\""));
    }

    #[test]
    fn cronjob_names_are_at_most_52() {
        let rules = meta_rules("batch", "CronJob", true);
        let at = "c".repeat(52);
        assert_eq!(problems(&named(&at), rules), Vec::<String>::new());
        let over = "c".repeat(53);
        let f = findings(&named(&over), rules);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].constraint.as_str(), f[0].message.as_str()),
            ("cronjobname", "must be no more than 52 characters")
        );
        // The prefix is not limited (the generated name is).
        let object = with_meta(json!({"generateName": format!("{over}-")}));
        assert_eq!(problems(&object, rules), Vec::<String>::new());
        assert_eq!(
            problems(&named("Nightly"), rules),
            vec!["metadata.name dns1123subdomain"]
        );
    }

    #[test]
    fn crd_names_are_plural_dot_group() {
        let rules = meta_rules("apiextensions.k8s.io", "CustomResourceDefinition", false);
        let crd = |name: &str| {
            json!({
                "apiVersion": "apiextensions.k8s.io/v1",
                "kind": "CustomResourceDefinition",
                "metadata": {"name": name},
                "spec": {"group": "gateway.networking.k8s.io", "names": {"plural": "httproutes"}},
            })
        };
        assert_eq!(
            problems(&crd("httproutes.gateway.networking.k8s.io"), rules),
            Vec::<String>::new()
        );
        let f = findings(&crd("httproute.gateway.networking.k8s.io"), rules);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].constraint, "crdname");
        assert_eq!(f[0].message, r#"must be spec.names.plural+"."+spec.group"#);
        assert_eq!(
            problems(&crd("HTTPRoutes.gateway.networking.k8s.io"), rules),
            vec!["metadata.name dns1123subdomain", "metadata.name crdname"]
        );
        // Without a spec nothing matches.
        assert_eq!(
            problems(&named("a.b"), rules),
            vec!["metadata.name crdname"]
        );
    }

    #[test]
    fn apiservice_names_are_version_dot_group() {
        let rules = meta_rules("apiregistration.k8s.io", "APIService", false);
        let svc = |name: &str| json!({"metadata": {"name": name}, "spec": {"group": "metrics.k8s.io", "version": "v1beta1"}});
        assert_eq!(
            problems(&svc("v1beta1.metrics.k8s.io"), rules),
            Vec::<String>::new()
        );
        let f = findings(&svc("metrics"), rules);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].constraint, "apiservicename");
        assert_eq!(
            f[0].message,
            "must be `spec.version+\".\"+spec.group`: \"v1beta1.metrics.k8s.io\""
        );
        // A path-segment failure is reported alone.
        assert_eq!(
            problems(&svc("v1/x"), rules),
            vec!["metadata.name pathsegment"]
        );
        let legacy = json!({"metadata": {"name": "v1."}, "spec": {"version": "v1"}});
        assert_eq!(problems(&legacy, rules), Vec::<String>::new());
    }

    #[test]
    fn ip_address_names_are_canonical() {
        let rules = meta_rules("networking.k8s.io", "IPAddress", false);
        for good in ["10.0.0.1", "2001:db8::1", "::1", "fd00::10:0:1"] {
            assert_eq!(
                problems(&named(good), rules),
                Vec::<String>::new(),
                "{good}"
            );
        }
        for (bad, message) in [
            (
                "10.0.0.256",
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ),
            (
                "web",
                "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ),
            ("010.0.0.1", "must not have leading 0s"),
            ("::ffff:10.0.0.1", "must not be an IPv4-mapped IPv6 address"),
            ("2001:DB8::1", "must be in canonical form (\"2001:db8::1\")"),
            (
                "2001:db8:0:0:0:0:0:1",
                "must be in canonical form (\"2001:db8::1\")",
            ),
        ] {
            assert_eq!(
                name_messages(NameRule::IpAddress, bad),
                vec![message],
                "{bad}"
            );
        }
        assert_eq!(
            problems(&named("web"), rules),
            vec!["metadata.name ipaddress"]
        );
    }

    #[test]
    fn certificate_names() {
        let csr = meta_rules("certificates.k8s.io", "CertificateSigningRequest", false);
        assert_eq!(problems(&named("Node CSR / x%"), csr), Vec::<String>::new());
        assert_eq!(
            problems(&with_meta(json!({})), csr),
            vec!["metadata.name required"]
        );

        let ctb = meta_rules("certificates.k8s.io", "ClusterTrustBundle", false);
        let bundle = |name: &str, signer: Option<&str>| {
            let mut o = json!({"metadata": {"name": name}, "spec": {}});
            if let Some(s) = signer {
                o["spec"]["signerName"] = json!(s);
            }
            o
        };
        assert_eq!(
            problems(&bundle("my-bundle", None), ctb),
            Vec::<String>::new()
        );
        let f = findings(&bundle("a:b", None), ctb);
        assert_eq!(
            f[0].message,
            "ClusterTrustBundle without signer name must not have \":\" in its name"
        );
        let signer = Some("example.com/signer");
        assert_eq!(
            problems(&bundle("example.com:signer:roots", signer), ctb),
            Vec::<String>::new()
        );
        let f = findings(&bundle("roots", signer), ctb);
        assert_eq!(
            f[0].message,
            "ClusterTrustBundle for signerName example.com/signer must be named with prefix example.com:signer:"
        );
        assert_eq!(
            problems(&bundle("example.com:signer:Roots", signer), ctb),
            vec!["metadata.name dns1123subdomain"]
        );
    }

    #[test]
    fn system_priority_class_names_are_reserved() {
        let rules = meta_rules("scheduling.k8s.io", "PriorityClass", false);
        assert_eq!(
            problems(&named("system-node-critical"), rules),
            Vec::<String>::new()
        );
        assert_eq!(
            problems(&named("high-priority"), rules),
            Vec::<String>::new()
        );
        let f = findings(&named("system-high"), rules);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].constraint, "priorityclassname");
        assert_eq!(
            f[0].message,
            "Forbidden: priority class names with 'system-' prefix are reserved for system use \
             only. error: system-high is not a known system priority class"
        );
    }

    #[test]
    fn namespaces() {
        let ok = with_meta(json!({"name": "a", "namespace": "team-a"}));
        assert_eq!(problems(&ok, default_rules()), Vec::<String>::new());
        let f = findings(
            &with_meta(json!({"name": "a", "namespace": "Team_A"})),
            default_rules(),
        );
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].path.as_str(), f[0].constraint.as_str()),
            ("metadata.namespace", "dns1123label")
        );
        assert_eq!(f[0].message, LABEL_PATTERN);
        let dotted = with_meta(json!({"name": "a", "namespace": "team.a"}));
        assert_eq!(
            findings(&dotted, default_rules())[0].message,
            "must not contain dots"
        );
        let long = with_meta(json!({"name": "a", "namespace": "n".repeat(64)}));
        assert_eq!(
            findings(&long, default_rules())[0].message,
            "must be no more than 63 characters"
        );
        let at = with_meta(json!({"name": "a", "namespace": "n".repeat(63)}));
        assert_eq!(problems(&at, default_rules()), Vec::<String>::new());
        // Empty or null: none (the request's namespace fills it).
        for ns in [json!(""), json!(null)] {
            let o = with_meta(json!({"name": "a", "namespace": ns}));
            assert_eq!(problems(&o, default_rules()), Vec::<String>::new());
        }
    }

    #[test]
    fn a_namespace_on_a_cluster_scoped_kind_is_a_warning() {
        let rules = meta_rules("rbac.authorization.k8s.io", "ClusterRole", false);
        let f = findings(
            &with_meta(json!({"name": "viewer", "namespace": "Not A Label"})),
            rules,
        );
        assert_eq!(
            f.len(),
            1,
            "the namespace is dropped, its format not checked"
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert_eq!(
            (f[0].path.as_str(), f[0].constraint.as_str()),
            ("metadata.namespace", "scope")
        );
        assert!(
            f[0].message.contains("not allowed on this type"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].value.as_deref(), Some("\"Not A Label\""));
        let none = with_meta(json!({"name": "viewer", "namespace": ""}));
        assert_eq!(problems(&none, rules), Vec::<String>::new());
    }

    #[test]
    fn label_keys() {
        for good in [
            "app",
            "a",
            "App_Name.x-1",
            "app.kubernetes.io/name",
            "example.com/MyName",
            "k8s.io/a",
            "k".repeat(63).as_str(),
            format!("{}/{}", "p".repeat(253), "n".repeat(63)).as_str(),
        ] {
            assert_eq!(label_key(good), Vec::<String>::new(), "{good}");
        }
        assert_eq!(
            label_key(&"k".repeat(64)),
            vec!["name part must be no more than 63 bytes"]
        );
        assert_eq!(label_key("-app"), vec![KEY_NAME_PATTERN]);
        assert_eq!(label_key("app_"), vec![KEY_NAME_PATTERN]);
        assert_eq!(label_key("a b"), vec![KEY_NAME_PATTERN]);
        assert_eq!(label_key("ü"), vec![KEY_NAME_PATTERN]);
        assert_eq!(
            label_key(""),
            vec![
                "name part must be non-empty".to_owned(),
                KEY_NAME_PATTERN.to_owned()
            ]
        );
        assert_eq!(
            label_key("example.com/"),
            vec![
                "name part must be non-empty".to_owned(),
                KEY_NAME_PATTERN.to_owned()
            ]
        );
        assert_eq!(label_key("/name"), vec!["prefix part must be non-empty"]);
        assert_eq!(
            label_key("Example.com/name"),
            vec![format!("prefix part {SUBDOMAIN_PATTERN}")]
        );
        assert_eq!(
            label_key(&format!("{}/n", "p".repeat(254))),
            vec!["prefix part must be no more than 253 bytes"]
        );
        assert_eq!(
            label_key("a/b/c"),
            vec![
                "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and \
                 must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  \
                 or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') \
                 with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        );
    }

    #[test]
    fn label_values() {
        for good in ["", "a", "v1.2.3", "My_Value-1", "v".repeat(63).as_str()] {
            assert_eq!(label_value(good), Vec::<String>::new(), "{good}");
        }
        assert_eq!(
            label_value(&"v".repeat(64)),
            vec!["must be no more than 63 bytes"]
        );
        for bad in ["-a", "a-", "_", "a b", "a/b", "ü", "v:1"] {
            assert_eq!(label_value(bad), vec![VALUE_PATTERN], "{bad}");
        }
        assert_eq!(
            label_value(&format!("{}-", "v".repeat(63))),
            vec![
                "must be no more than 63 bytes".to_owned(),
                VALUE_PATTERN.to_owned()
            ]
        );
        // 32 two-byte characters: 64 bytes.
        assert_eq!(label_value(&"é".repeat(32)).len(), 2);
    }

    #[test]
    fn labels_findings_name_the_key() {
        let object = with_meta(json!({"name": "a", "labels": {
            "app.kubernetes.io/name": "bad value",
            "Bad Key": "ok",
            "tier": 3,
            "gone": null,
        }}));
        let f = findings(&object, default_rules());
        let got: Vec<(String, String, Option<String>)> = f
            .iter()
            .map(|f| (f.path.clone(), f.constraint.clone(), f.value.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "metadata.labels.tier".into(),
                    "type".into(),
                    Some("3".into())
                ),
                (
                    "metadata.labels[\"Bad Key\"]".into(),
                    "qualifiedname".into(),
                    Some("\"Bad Key\"".into())
                ),
                (
                    "metadata.labels[\"app.kubernetes.io/name\"]".into(),
                    "labelvalue".into(),
                    Some("\"bad value\"".into())
                ),
            ]
        );
        assert_eq!(f[0].message, "must be of type string");
        assert!(f.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn annotation_keys_are_checked_lower_cased() {
        let object = with_meta(json!({"name": "a", "annotations": {
            "Example.COM/Note": "x",
            "bad key": "x",
            "a/b/c": "x",
            "kubectl.kubernetes.io/last-applied-configuration": "{\"any\": \"thing\"}",
        }}));
        assert_eq!(
            problems(&object, default_rules()),
            vec![
                "metadata.annotations[\"a/b/c\"] qualifiedname",
                "metadata.annotations[\"bad key\"] qualifiedname"
            ]
        );
        // Go lower-cases these two non-ASCII letters into ASCII ones.
        assert_eq!(go_to_lower("\u{130}tem"), "item");
        assert_eq!(go_to_lower("\u{212A}ey"), "key");
        let kelvin = with_meta(json!({"name": "a", "annotations": {"\u{212A}ey": "", "Ünit": ""}}));
        assert_eq!(
            problems(&kelvin, default_rules()),
            vec!["metadata.annotations[\"Ünit\"] qualifiedname"]
        );
        // Values are free, but must be strings.
        let typed = with_meta(json!({"name": "a", "annotations": {"replicas": 3}}));
        assert_eq!(
            problems(&typed, default_rules()),
            vec!["metadata.annotations.replicas type"]
        );
    }

    #[test]
    fn annotations_total_size_is_at_most_256_kib() {
        // Keys and values both count: "k" + 262143 bytes is exactly the limit.
        let at = with_meta(
            json!({"name": "a", "annotations": {"k": "v".repeat(ANNOTATIONS_MAX_BYTES - 1)}}),
        );
        assert_eq!(problems(&at, default_rules()), Vec::<String>::new());
        let over = with_meta(json!({"name": "a", "annotations": {
            "k": "v".repeat(ANNOTATIONS_MAX_BYTES - 4),
            "kk": "vv",
        }}));
        let f = findings(&over, default_rules());
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].path.as_str(), f[0].constraint.as_str()),
            ("metadata.annotations", "annotationsize")
        );
        assert_eq!(f[0].message, "Too long: may not be more than 262144 bytes");
        assert_eq!(f[0].value, None);
        // Multi-byte values count their bytes.
        let bytes = with_meta(
            json!({"name": "a", "annotations": {"k": "é".repeat(ANNOTATIONS_MAX_BYTES / 2)}}),
        );
        assert_eq!(
            problems(&bytes, default_rules()),
            vec!["metadata.annotations annotationsize"]
        );
    }

    #[test]
    fn wrong_types_are_findings_not_panics() {
        let rules = default_rules();
        assert_eq!(problems(&json!([1, 2]), rules), vec![" type"]);
        assert_eq!(problems(&json!("x"), rules), vec![" type"]);
        for meta in [json!("name"), json!(3), json!([]), json!(true)] {
            assert_eq!(
                problems(&with_meta(meta.clone()), rules),
                vec!["metadata type"],
                "{meta}"
            );
        }
        assert_eq!(
            problems(&named_value(json!(3)), rules),
            vec!["metadata.name type"]
        );
        assert_eq!(
            problems(&named_value(json!({"a": 1})), rules),
            vec!["metadata.name type"]
        );
        let object = with_meta(
            json!({"generateName": false, "name": "a", "namespace": 1, "labels": [], "annotations": "x"}),
        );
        assert_eq!(
            problems(&object, rules),
            vec![
                "metadata.generateName type",
                "metadata.namespace type",
                "metadata.labels type",
                "metadata.annotations type"
            ]
        );
        let f = findings(&with_meta(json!({"name": "a", "labels": "app=web"})), rules);
        assert_eq!(f[0].message, "must be of type object");
        assert_eq!(f[0].value.as_deref(), Some("\"app=web\""));
        // Every rule on odd text, every kind of the table: no panic.
        let texts = [
            "", "-", ".", "..", "é-", "😀", "a-", "/", "%", "::", "1.2.3.4-", "\u{212A}",
        ];
        for rule in [
            NameRule::Dns1123Subdomain,
            NameRule::Dns1123Label,
            NameRule::Dns1035Label,
            NameRule::PathSegment,
            NameRule::CronJob,
            NameRule::CustomResourceDefinition,
            NameRule::ApiService,
            NameRule::IpAddress,
            NameRule::ClusterTrustBundle,
            NameRule::PriorityClass,
            NameRule::Unrestricted,
        ] {
            for t in texts {
                for prefix in [false, true] {
                    let _ = name_problems(rule, &Map::new(), t, prefix);
                }
            }
        }
    }

    fn named_value(name: Value) -> Value {
        with_meta(json!({ "name": name }))
    }

    #[test]
    fn long_values_are_shortened_as_other_findings() {
        let name = "N".repeat(300);
        let f = findings(&named(&name), default_rules());
        let value = f[0].value.as_deref().unwrap();
        assert_eq!(value, show_value(&Value::String(name)));
        assert!(value.ends_with("..."));
        assert_eq!(f[0].to_string(), format!("metadata.name: must be no more than 253 characters (value: {value}) [dns1123subdomain]"));
    }
}
