//! Progress on stderr, shown only to a person watching: hidden when stderr is not a terminal
//! or with `-q`, so pipes and logs never fill with redraws.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar over `total` units (bytes when `bytes`), or a spinner when the total is unknown.
pub fn bar(total: Option<u64>, message: &str, bytes: bool, quiet: bool) -> ProgressBar {
    let visible = !quiet && std::io::stderr().is_terminal();
    let bar = match total {
        Some(total) => ProgressBar::with_draw_target(Some(total), target(visible)),
        None => ProgressBar::with_draw_target(None, target(visible)),
    };
    let template = match (total.is_some(), bytes) {
        (true, true) => "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        (true, false) => "{msg} [{bar:30}] {pos}/{len} {eta}",
        (false, true) => "{spinner} {msg} {bytes} {bytes_per_sec}",
        (false, false) => "{spinner} {msg} {pos}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    if visible {
        bar.enable_steady_tick(Duration::from_millis(120));
    }
    bar
}

fn target(visible: bool) -> ProgressDrawTarget {
    if visible { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() }
}
