//! Tracing to stderr: `-v` for what opskit does, `-vv` adds the AWS SDK's requests, `RUST_LOG`
//! overrides both. Secret values are never put in a log event at any level; the SDK's own
//! events are capped at `debug`, below which it would log request bodies.

use std::io::IsTerminal;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt};

use crate::cli::Globals;
use crate::env_vars;

pub(crate) fn init(globals: &Globals) {
    let filter = match std::env::var(env_vars::RUST_LOG) {
        Ok(wanted) if !wanted.is_empty() && EnvFilter::try_new(&wanted).is_ok() => EnvFilter::new(wanted),
        _ => EnvFilter::new(default_filter(globals.quiet, globals.verbose)),
    };
    let layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && !globals.no_color && !no_color_env())
        .with_target(globals.verbose >= 2)
        .without_time()
        .with_filter(filter)
        .with_filter(sdk_cap());
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

/// Below `debug` the SDK and HTTP crates log request and response bodies, which carry secret
/// values: whatever RUST_LOG asks, they stop at `debug` (the defaults never go lower). A cap,
/// not a level: it turns nothing on.
fn sdk_cap() -> Targets {
    const CAPPED: &[(&str, LevelFilter)] = &[
        ("aws_smithy_runtime", LevelFilter::DEBUG),
        ("aws_smithy_http_client", LevelFilter::DEBUG),
        ("aws_smithy_http", LevelFilter::DEBUG),
        ("aws_sigv4", LevelFilter::DEBUG),
        ("aws_config", LevelFilter::DEBUG),
        ("aws_runtime", LevelFilter::DEBUG),
        ("hyper", LevelFilter::INFO),
        ("hyper_util", LevelFilter::INFO),
        ("h2", LevelFilter::INFO),
        ("rustls", LevelFilter::INFO),
    ];
    Targets::new().with_default(LevelFilter::TRACE).with_targets(CAPPED.iter().copied())
}

fn default_filter(quiet: u8, verbose: u8) -> &'static str {
    if quiet > 0 {
        return "opskit=error,dbdump=error,envctl=error,costq=error,accessgrant=error,sesconfig=error";
    }
    // Only our own events by default: the SDK's warnings (an IMDS probe that found nothing)
    // are noise with debug dumps in them, shown from -vv on.
    match verbose {
        0 => "opskit=warn,dbdump=warn,envctl=warn,costq=warn,accessgrant=warn,sesconfig=warn",
        1 => "opskit=info,dbdump=info,envctl=info,costq=info,accessgrant=info,sesconfig=info",
        2 => "info,opskit=debug,dbdump=debug,envctl=debug,costq=debug,accessgrant=debug,sesconfig=debug",
        _ => {
            "debug,opskit=trace,dbdump=trace,envctl=trace,costq=trace,accessgrant=trace,sesconfig=trace,hyper=info,hyper_util=info,h2=info,rustls=info"
        }
    }
}

/// NO_COLOR: any non-empty value turns colour off (no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty())
}
