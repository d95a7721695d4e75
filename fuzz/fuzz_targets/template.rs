//! The Go template name formatter (Tanka's `export --format`, `helmTemplate`'s
//! `nameFormat`) on an arbitrary template and an arbitrary JSON value as `.` and as
//! `env`: rendered or a clean error.
#![no_main]

use gwsonnet::gocompat::json::{parse, Value};
use gwsonnet::gocompat::template::Template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The template up to the first newline; the JSON value of `.` after it.
    let (template, dot) = text.split_once('\n').unwrap_or((&text, "{}"));
    let dot = parse(dot)
        .ok()
        .and_then(|node| node.to_value().ok())
        .unwrap_or(Value::Null);
    if let Ok(t) = Template::parse(template) {
        let _ = t.render(&dot);
        let _ = t.render_with_env(&dot, Some(&dot));
    }
});
