//! go-jsonnet compatible JSON output over jrsonnet values: 3-space indent, sorted
//! visible fields, `[ ]`/`{ }` for empty containers, go's string escaping and number
//! formatting. Output streams into any [`std::io::Write`]; recursion grows the stack
//! on demand, so data nested 100,000 deep manifests without overflowing.

use std::io::{self, Write};

use jrsonnet_evaluator::{
    ensure_sufficient_stack,
    error::{ErrorKind, ResultExt},
    stack::check_depth,
    val::ArrValue,
    Error, IStr, ObjValue, StackTraceElement, Val,
};

use super::number::write_number;

/// Failure while manifesting: either evaluation failed or the sink did.
#[derive(Debug)]
pub enum ManifestError {
    /// Evaluating a lazy field or element failed, or the value cannot be JSON.
    Eval(Error),
    /// Writing to the output failed.
    Io(io::Error),
}

impl From<Error> for ManifestError {
    fn from(e: Error) -> Self {
        Self::Eval(e)
    }
}

impl From<io::Error> for ManifestError {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

/// Result of manifesting.
pub type ManifestResult<T = ()> = Result<T, ManifestError>;

/// Writes `val` as multi-line JSON (no trailing newline) starting at indent level 0.
pub fn write_json(out: &mut dyn Write, val: &Val) -> ManifestResult {
    JsonWriter::new(out, Layout::MultiLine)
        .reading_fresh_copies()
        .write(val)
}

/// Where [`write_json_tapped`] hands the parts of a result: the JSON text of each.
pub type Tap<'t> = dyn FnMut(Vec<u8>) + 't;

/// Writes `val` as [`write_json`] does and hands `tap` the text of each part of it as
/// it is written: each object that has the fields `apiVersion` and `kind`, found
/// through the elements of arrays and the field values of other objects (what else it
/// holds has no Kubernetes object). Read back, a part is what [`to_serde`] gives of it
/// (so `--validate` can read the parts on other threads while the output goes on).
pub fn write_json_tapped(out: &mut dyn Write, val: &Val, tap: &mut Tap<'_>) -> ManifestResult {
    JsonWriter::new(out, Layout::MultiLine)
        .reading_fresh_copies()
        .write_tapped(val, tap)
}

/// JSON text as a value, without serde_json's limit of 128 levels (read on the caller's
/// stack: the validator's threads and the CLI's main thread have large ones): what
/// [`write_json_tapped`] hands on reads back as [`to_serde`] reads its part.
pub fn read_back(text: &[u8]) -> serde_json::Result<serde_json::Value> {
    let mut reader = serde_json::Deserializer::from_slice(text);
    reader.disable_recursion_limit();
    let value = ensure_sufficient_stack(|| serde::Deserialize::deserialize(&mut reader))?;
    reader.end()?;
    Ok(value)
}

/// Writes `val` on one line the way go-jsonnet's `std.toString` does:
/// `[1, {"a": 0.10000000000000001}]`, with `[ ]` and `{ }` for empty containers.
pub fn write_json_single_line(out: &mut dyn Write, val: &Val) -> ManifestResult {
    JsonWriter::new(out, Layout::SingleLine).write(val)
}

/// Writes `val` as a Python literal the way go-jsonnet's `std.manifestPython` does: the
/// single-line layout with `True`/`False`/`None` and `[]`/`{}` for empty containers.
pub fn write_python(out: &mut dyn Write, val: &Val) -> ManifestResult {
    JsonWriter::new(out, Layout::Python).write(val)
}

/// Multi-line JSON (the CLI's output), single-line JSON (`std.toString`) or Python.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    MultiLine,
    SingleLine,
    Python,
}

/// Appends the go-jsonnet JSON string literal of `s` (with quotes) to `buf`.
pub fn escape_json_string(buf: &mut String, s: &str) {
    buf.push('"');
    // Most strings are printable ASCII without quotes or backslashes: copied as is.
    if is_plain(s.as_bytes()) {
        buf.push_str(s);
        buf.push('"');
        return;
    }
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            '\u{8}' => buf.push_str("\\b"),
            '\u{c}' => buf.push_str("\\f"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            '\t' => buf.push_str("\\t"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                use std::fmt::Write as _;
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

/// Whether every byte of `s` is printable ASCII other than `"` and `\` (such a string
/// is its own JSON text). Eight bytes at a time, with the word tricks "has a byte below
/// n" (`(w - n·0x01…) & !w & 0x80…`) and "has a zero byte" (the same with n = 1, on
/// `w` xor the byte sought), which may misflag only bytes above a true find, so they
/// answer yes or no exactly.
fn is_plain(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let has = |w: u64, b: u8| below(w ^ (ONES * u64::from(b)), 1);
    let special =
        |w: u64| below(w, 0x20) | (w & HIGH) | has(w, 0x7f) | has(w, b'"') | has(w, b'\\');
    let mut words = s.chunks_exact(8);
    for word in &mut words {
        let word: [u8; 8] = word.try_into().expect("chunks of 8 bytes");
        if special(u64::from_le_bytes(word)) != 0 {
            return false;
        }
    }
    // The last bytes, made up to a word with a plain byte.
    let rest = words.remainder();
    let mut last = [b'a'; 8];
    last[..rest.len()].copy_from_slice(rest);
    special(u64::from_le_bytes(last)) == 0
}

/// Text on its way to the sink, written in large pieces: the writer emits many
/// tiny pieces, and each write through `dyn Write` costs a call.
struct Sink<'a> {
    inner: &'a mut dyn Write,
    /// What is held; scalars are written straight into it.
    buf: String,
    /// Where in `buf` the text being captured starts ([`Sink::start_capture`]).
    capture: Option<usize>,
}

impl Sink<'_> {
    /// Held bytes are passed on at this size.
    const SIZE: usize = 1 << 16;

    #[inline]
    fn write_all(&mut self, text: &str) -> io::Result<()> {
        self.buf.push_str(text);
        self.spill()
    }

    /// Passes on what is held once it is [`Sink::SIZE`] (unless it is being captured).
    #[inline]
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= Self::SIZE && self.capture.is_none() {
            self.flush()?;
        }
        Ok(())
    }

    /// From now on, holds what is written until [`Sink::end_capture`].
    fn start_capture(&mut self) {
        self.capture = Some(self.buf.len());
    }

    /// A copy of what was written since [`Sink::start_capture`].
    fn end_capture(&mut self) -> io::Result<Vec<u8>> {
        let start = self.capture.take().unwrap_or(self.buf.len());
        let captured = self.buf.as_bytes()[start..].to_vec();
        if self.buf.len() >= Self::SIZE {
            self.flush()?;
        }
        Ok(captured)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }
}

struct JsonWriter<'a> {
    out: Sink<'a>,
    layout: Layout,
    /// A new line and the current indent (multi-line layout).
    line: String,
    /// Read each object through a fresh copy (see [`JsonWriter::object`]).
    fresh_copies: bool,
}

impl<'a> JsonWriter<'a> {
    fn new(out: &'a mut dyn Write, layout: Layout) -> Self {
        Self {
            out: Sink {
                inner: out,
                buf: String::new(),
                capture: None,
            },
            layout,
            line: String::from("\n"),
            fresh_copies: false,
        }
    }

    /// Reads each object through a fresh copy, so its evaluated fields are freed once
    /// it is written.
    fn reading_fresh_copies(mut self) -> Self {
        self.fresh_copies = true;
        self
    }

    /// Writes `val`, then passes on what is still held.
    fn write(mut self, val: &Val) -> ManifestResult {
        self.value(val, None)?;
        Ok(self.out.flush()?)
    }

    /// [`JsonWriter::write`], handing the parts of `val` to `tap` ([`write_json_tapped`]).
    fn write_tapped(mut self, val: &Val, tap: &mut Tap<'_>) -> ManifestResult {
        self.value(val, Some(tap))?;
        Ok(self.out.flush()?)
    }

    /// Opens a non-empty container: `[`/`{`, then a new line and the deeper indent.
    fn open(&mut self, bracket: &str) -> ManifestResult {
        self.out.write_all(bracket)?;
        if self.layout == Layout::MultiLine {
            self.line.push_str("   ");
            self.out.write_all(&self.line)?;
        }
        Ok(())
    }

    /// Between two items: `,` then a new line and the indent, or `, `.
    fn separate(&mut self) -> ManifestResult {
        if self.layout == Layout::MultiLine {
            self.out.write_all(",")?;
            self.out.write_all(&self.line)?;
        } else {
            self.out.write_all(", ")?;
        }
        Ok(())
    }

    /// Closes a non-empty container: a new line at the outer indent, then `]`/`}`.
    fn close(&mut self, bracket: &str) -> ManifestResult {
        if self.layout == Layout::MultiLine {
            self.line.truncate(self.line.len() - 3);
            self.out.write_all(&self.line)?;
        }
        self.out.write_all(bracket)?;
        Ok(())
    }

    /// Writes `val`; with `parts`, hands the text of each part of it there
    /// ([`write_json_tapped`]).
    fn value(&mut self, val: &Val, parts: Option<&mut Tap<'_>>) -> ManifestResult {
        match val {
            Val::Bool(true) if self.layout == Layout::Python => self.out.write_all("True")?,
            Val::Bool(false) if self.layout == Layout::Python => self.out.write_all("False")?,
            Val::Null if self.layout == Layout::Python => self.out.write_all("None")?,
            Val::Bool(true) => self.out.write_all("true")?,
            Val::Bool(false) => self.out.write_all("false")?,
            Val::Null => self.out.write_all("null")?,
            Val::Str(s) => {
                escape_json_string(&mut self.out.buf, &s.into_flat());
                self.out.spill()?;
            }
            Val::Num(n) => {
                write_number(&mut self.out.buf, n.get());
                self.out.spill()?;
            }
            // Each nesting level is a stack frame, as in go-jsonnet: self-referential
            // data fails with "max stack frames exceeded" instead of running forever.
            Val::Arr(arr) => {
                let _frame = check_depth().map_err(Error::from)?;
                ensure_sufficient_stack(|| self.array(arr, parts))?
            }
            Val::Obj(obj) => {
                let _frame = check_depth().map_err(Error::from)?;
                ensure_sufficient_stack(|| self.object(obj, parts))?
            }
            Val::Func(_) => {
                return Err(Error::from(ErrorKind::RuntimeError(
                    "couldn't manifest function as JSON".into(),
                ))
                .into())
            }
        }
        Ok(())
    }

    fn array(&mut self, arr: &ArrValue, mut parts: Option<&mut Tap<'_>>) -> ManifestResult {
        if arr.is_empty() {
            self.out.write_all(if self.layout == Layout::Python {
                "[]"
            } else {
                "[ ]"
            })?;
            return Ok(());
        }
        self.open("[")?;
        for (i, item) in arr.iter().enumerate() {
            let element = || format!("Array element {i}");
            let item = item.with_description(element)?;
            if i != 0 {
                self.separate()?;
            }
            in_step(self.value(&item, parts.as_deref_mut()), element)?;
        }
        self.close("]")
    }

    fn object(&mut self, obj: &ObjValue, parts: Option<&mut Tap<'_>>) -> ManifestResult {
        // The CLI's output reads a fresh copy of each object (same layers, an empty
        // field cache): the values it evaluates hang off the copy and are freed as
        // soon as the object is written, instead of staying cached in the result for
        // the rest of the run. That halves the peak memory of large outputs, and
        // fresh memory is what costs most time in them. An object the output holds
        // several times has its fields evaluated once per time (values shared
        // through locals still once).
        let copy;
        let obj = if self.fresh_copies {
            copy = ObjValue::empty().extend_from(obj.clone());
            &copy
        } else {
            obj
        };
        obj.run_assertions()
            .with_description(|| "Checking object assertions")?;
        let fields = super::fields::visible(obj);
        let has = |name: &str| fields.iter().any(|f| &**f == name);
        // A Kubernetes object is one part; other objects are looked into.
        let (parts, whole) = match parts {
            Some(tap) if super::k8s_object::has_identity_fields(has) => {
                self.out.start_capture();
                (None, Some(tap))
            }
            parts => (parts, None),
        };
        self.fields(obj, fields, parts)?;
        if let Some(tap) = whole {
            tap(self.out.end_capture()?);
        }
        Ok(())
    }

    /// Writes the visible `fields` of `obj` (sorted), their values handing parts to
    /// `parts`.
    fn fields(
        &mut self,
        obj: &ObjValue,
        fields: Vec<IStr>,
        mut parts: Option<&mut Tap<'_>>,
    ) -> ManifestResult {
        if fields.is_empty() {
            self.out.write_all(if self.layout == Layout::Python {
                "{}"
            } else {
                "{ }"
            })?;
            return Ok(());
        }
        self.open("{")?;
        for (i, key) in fields.into_iter().enumerate() {
            let field = || field_step(&key);
            let value = obj
                .get(key.clone())
                .with_description(field)?
                .expect("a listed visible field exists");
            if i != 0 {
                self.separate()?;
            }
            escape_json_string(&mut self.out.buf, &key);
            self.out.write_all(": ")?;
            in_step(self.value(&value, parts.as_deref_mut()), field)?;
        }
        self.close("}")
    }
}

/// go-jsonnet's trace line for the manifestation of field `key`: `Field "key"`.
pub fn field_step(key: &str) -> String {
    let mut step = String::from("Field ");
    escape_json_string(&mut step, key);
    step
}

/// `result` with an evaluation error inside the manifestation step `step` (go-jsonnet's
/// `Field "x"`, `Array element 0` trace lines).
fn in_step<T, S: Into<String>>(
    result: ManifestResult<T>,
    step: impl FnOnce() -> S,
) -> ManifestResult<T> {
    result.map_err(|e| match e {
        ManifestError::Eval(mut e) => {
            e.trace_mut().0.push(StackTraceElement {
                location: None,
                desc: step().into(),
            });
            ManifestError::Eval(e)
        }
        io => io,
    })
}

/// `val` as the `serde_json::Value` that reading back what [`write_json`] writes gives
/// (`--validate` checks it), without the text: integral numbers as integers when they
/// fit `u64` or `i64`, others as `f64` (the 17 significant digits written read back
/// exactly), fields sorted and visible only, object assertions run.
pub fn to_serde(val: &Val) -> ManifestResult<serde_json::Value> {
    use serde_json::{Number, Value};
    Ok(match val {
        Val::Null => Value::Null,
        Val::Bool(b) => Value::Bool(*b),
        Val::Str(s) => Value::String(s.to_string()),
        Val::Num(n) => {
            let v = n.get();
            // 2^64 and -2^63, exactly.
            const U64_END: f64 = 18_446_744_073_709_551_616.0;
            const I64_MIN: f64 = -9_223_372_036_854_775_808.0;
            let number = if v != v.floor() || (v == 0.0 && v.is_sign_negative()) {
                Number::from_f64(v)
            } else if (0.0..U64_END).contains(&v) {
                Some(Number::from(v as u64))
            } else if (I64_MIN..0.0).contains(&v) {
                Some(Number::from(v as i64))
            } else {
                Number::from_f64(v)
            };
            number.map_or(Value::Null, Value::Number)
        }
        Val::Arr(arr) => {
            let _frame = check_depth().map_err(Error::from)?;
            ensure_sufficient_stack(|| -> ManifestResult<Value> {
                let mut items = Vec::with_capacity(arr.len() as usize);
                for (i, item) in arr.iter().enumerate() {
                    let element = || format!("Array element {i}");
                    let item = item.with_description(element)?;
                    items.push(in_step(to_serde(&item), element)?);
                }
                Ok(Value::Array(items))
            })?
        }
        Val::Obj(obj) => {
            let _frame = check_depth().map_err(Error::from)?;
            ensure_sufficient_stack(|| -> ManifestResult<Value> {
                obj.run_assertions()
                    .with_description(|| "Checking object assertions")?;
                let mut map = serde_json::Map::new();
                for key in super::fields::visible(obj) {
                    let field = || field_step(&key);
                    let value = obj
                        .get(key.clone())
                        .with_description(field)?
                        .expect("a listed visible field exists");
                    map.insert(key.to_string(), in_step(to_serde(&value), field)?);
                }
                Ok(Value::Object(map))
            })?
        }
        Val::Func(_) => {
            return Err(Error::from(ErrorKind::RuntimeError(
                "couldn't manifest function as JSON".into(),
            ))
            .into())
        }
    })
}

/// go-jsonnet's string form of a value: strings as is, numbers like `%.17g`, anything
/// else as compact JSON.
pub fn go_to_string(v: &Val) -> jrsonnet_evaluator::Result<String> {
    Ok(match v {
        Val::Str(s) => s.to_string(),
        Val::Num(n) => {
            let mut out = String::new();
            write_number(&mut out, n.get());
            out
        }
        other => {
            let mut out = Vec::new();
            write_json_single_line(&mut out, other).map_err(manifest_error)?;
            String::from_utf8(out).expect("the JSON writer writes UTF-8")
        }
    })
}

/// A manifest failure as an evaluation error.
pub fn manifest_error(e: ManifestError) -> jrsonnet_evaluator::Error {
    match e {
        ManifestError::Eval(e) => e,
        ManifestError::Io(e) => ErrorKind::RuntimeError(e.to_string().into()).into(),
    }
}

#[cfg(test)]
mod tests {
    use jrsonnet_evaluator::{val::ArrValue, ObjValue, Val};

    use super::{escape_json_string, is_plain, write_json, write_json_single_line};

    fn sample() -> Val {
        let mut obj = ObjValue::builder();
        obj.field("b").value(Val::Arr(
            [Val::try_num(0.1).unwrap(), Val::Arr(ArrValue::empty())]
                .into_iter()
                .collect(),
        ));
        obj.field("a").value(Val::string("x\u{7f}\"é"));
        obj.field("h").hide().value(Val::Null);
        obj.field("e").value(Val::Obj(ObjValue::builder().build()));
        Val::Obj(obj.build())
    }

    fn text(write: fn(&mut dyn std::io::Write, &Val) -> super::ManifestResult) -> String {
        let mut out = Vec::new();
        write(&mut out, &sample()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn multi_line_as_go_jsonnet_prints_it() {
        // Expected bytes: go-jsonnet 0.22 on the same value.
        assert_eq!(
            text(write_json),
            "{\n   \"a\": \"x\\u007f\\\"é\",\n   \"b\": [\n      0.10000000000000001,\n      [ ]\n   ],\n   \"e\": { }\n}"
        );
    }

    #[test]
    fn single_line_as_std_to_string() {
        assert_eq!(
            text(write_json_single_line),
            "{\"a\": \"x\\u007f\\\"é\", \"b\": [0.10000000000000001, [ ]], \"e\": { }}"
        );
    }

    #[test]
    fn escapes_as_go_jsonnet() {
        let mut buf = String::new();
        escape_json_string(&mut buf, "\u{8}\u{c}\n\r\t\u{1}\u{9f}\u{a0}\\");
        assert_eq!(buf, "\"\\b\\f\\n\\r\\t\\u0001\\u009f\u{a0}\\\\\"");
    }
    #[test]
    fn plain_strings_are_told_from_others_at_every_byte_and_length() {
        let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
        for len in 0..20 {
            for at in 0..len.max(1) {
                for b in 0..=255u8 {
                    let mut text = vec![b'x'; len];
                    if len > 0 {
                        text[at] = b;
                    }
                    assert_eq!(
                        is_plain(&text),
                        text.iter().all(|&c| plain(c)),
                        "byte {b:#x} at {at} of {len}"
                    );
                }
            }
        }
    }
}
