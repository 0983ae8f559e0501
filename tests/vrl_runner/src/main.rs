//! Runs a VRL program over events, as Vector's `remap` transform does.
//!
//! Usage: `vrl_runner <program.vrl> <events.json>` where events.json is a JSON
//! array of events. Prints one JSON line per event: `{"result":"ok","event":…}`,
//! `{"result":"abort","message":…}` (the abort message, or "aborted") or
//! `{"result":"error","message":…}`. A program that does
//! not compile prints the diagnostics on stderr and exits 2.
use std::collections::BTreeMap;
use vrl::compiler::{state::RuntimeState, Context, ExpressionError, TargetValue, TimeZone};
use vrl::value::{Secrets, Value};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: vrl_runner <program.vrl> <events.json>");
        std::process::exit(2);
    }
    let source = std::fs::read_to_string(&args[1]).expect("readable program");
    let events: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&args[2]).expect("readable events")).expect("a JSON array");
    let functions = vrl::stdlib::all();
    let compiled = match vrl::compiler::compile(&source, &functions) {
        Ok(compiled) => compiled,
        Err(diagnostics) => {
            eprintln!("{}", vrl::diagnostic::Formatter::new(&source, diagnostics));
            std::process::exit(2);
        }
    };
    for warning in compiled.warnings.iter() {
        eprintln!("warning: {warning:?}");
    }
    for event in events {
        let mut target = TargetValue {
            value: Value::from(event),
            metadata: Value::Object(BTreeMap::new()),
            secrets: Secrets::default(),
        };
        let mut state = RuntimeState::default();
        let timezone = TimeZone::default();
        let mut context = Context::new(&mut target, &mut state, &timezone);
        let line = match compiled.program.resolve(&mut context) {
            Ok(_) => serde_json::json!({ "result": "ok", "event": serde_json::to_value(&target.value).unwrap() }),
            // The message Vector's remap puts into metadata.dropped.message for a rerouted event.
            Err(error @ ExpressionError::Abort { .. }) => {
                serde_json::json!({ "result": "abort", "message": error.to_string() })
            }
            Err(error) => serde_json::json!({ "result": "error", "message": error.to_string() }),
        };
        println!("{line}");
    }
}
