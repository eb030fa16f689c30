//! Questions to a person at a terminal: yes/no before a change (after showing the plan), and a
//! secret typed or pasted without echo.
//!
//! Typing a secret is where terminals bite: in the usual line mode Ctrl-D after some characters
//! is not an end, and of a pasted PEM key only the first line is read while the rest runs as
//! shell commands. [`secret`] reads the terminal itself, without echo and without line mode:
//! Enter ends a typed value; a pasted multi-line value is read whole (the terminal marks the
//! paste, or its lines arrive together); Ctrl-D ends a value too; and whatever is left unread
//! when the value ends is discarded, so nothing typed or pasted reaches the shell afterwards.

use std::io::{self, BufRead, Write};
use std::os::fd::AsFd;
use std::time::Duration;

use rustix::termios::{self, LocalModes, OptionalActions, QueueSelector, SpecialCodeIndex};

use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::secret::Secret;

/// Ask `question [y/N]` on stderr and read the answer from the terminal.
pub fn yes_no(question: &str) -> Result<bool> {
    let mut stderr = io::stderr().lock();
    let _ = write!(stderr, "{question} [y/N] ");
    let _ = stderr.flush();
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer).map_err(|e| Error::usage(format!("cannot read the answer: {e}")))?;
    if answer.is_empty() {
        // Ctrl-D: no answer is no.
        let _ = writeln!(stderr);
    }
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes"))
}

/// One planned change, as a plan shows it before the question.
pub struct PlanItem<'a> {
    pub action: &'a str,
    pub name: &'a str,
}

/// How many items a plan lists before summarising the rest.
pub const PLAN_LINES: usize = 20;

/// Print a plan on stderr (`  create  API_TOKEN`), the first [`PLAN_LINES`] items and then a
/// count of the rest, so the question that follows is about something the person has seen.
/// Values are never part of a plan.
pub fn show_plan(title: &str, items: &[PlanItem<'_>]) {
    let mut stderr = io::stderr().lock();
    let _ = writeln!(stderr, "{title}");
    let pad = items.iter().take(PLAN_LINES).map(|i| i.action.len()).max().unwrap_or(0);
    for item in items.iter().take(PLAN_LINES) {
        let _ = writeln!(stderr, "  {:<pad$}  {}", item.action, item.name);
    }
    if items.len() > PLAN_LINES {
        let mut rest: Vec<(&str, usize)> = Vec::new();
        for item in &items[PLAN_LINES..] {
            match rest.iter_mut().find(|(a, _)| *a == item.action) {
                Some((_, n)) => *n += 1,
                None => rest.push((item.action, 1)),
            }
        }
        let rest: Vec<String> = rest.iter().map(|(a, n)| format!("{n} {a}")).collect();
        let _ = writeln!(stderr, "  … and {} more ({})", items.len() - PLAN_LINES, rest.join(", "));
    }
}

/// The terminal's settings, put back however the reading ends.
struct RawTerminal {
    saved: termios::Termios,
}

impl RawTerminal {
    fn enter() -> io::Result<RawTerminal> {
        let stdin = io::stdin();
        let saved = termios::tcgetattr(stdin.as_fd())?;
        let mut raw = saved.clone();
        // No echo, no line editing by the terminal, Ctrl-C and Ctrl-D as bytes we handle.
        raw.local_modes.remove(LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG | LocalModes::IEXTEN);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        termios::tcsetattr(stdin.as_fd(), OptionalActions::Now, &raw)?;
        // Ask the terminal to mark pastes (bracketed paste), so their newlines are data.
        let _ = io::stderr().write_all(b"\x1b[?2004h");
        Ok(RawTerminal { saved })
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        let _ = io::stderr().write_all(b"\x1b[?2004l");
        let stdin = io::stdin();
        // Whatever is still unread (the rest of a paste, keys typed ahead) must not reach the
        // shell as commands.
        let _ = termios::tcflush(stdin.as_fd(), QueueSelector::IFlush);
        let _ = termios::tcsetattr(stdin.as_fd(), OptionalActions::Now, &self.saved);
    }
}

/// Whether more input arrives within `wait`: a paste's next line is already there.
fn pending(wait: Duration) -> bool {
    let stdin = io::stdin();
    let fd = stdin.as_fd();
    let mut fds = [rustix::event::PollFd::new(&fd, rustix::event::PollFlags::IN)];
    let timeout = rustix::event::Timespec { tv_sec: 0, tv_nsec: i64::try_from(wait.as_nanos()).unwrap_or(0) };
    rustix::event::poll(&mut fds, Some(&timeout)).is_ok_and(|n| n > 0)
}

fn read_byte() -> io::Result<Option<u8>> {
    let mut byte = [0u8; 1];
    let n = rustix::io::read(io::stdin().as_fd(), &mut byte)?;
    Ok((n == 1).then_some(byte[0]))
}

/// How long after a newline the next line of a paste is waited for.
const PASTE_GAP: Duration = Duration::from_millis(40);

/// Read a secret from the terminal after printing `prompt` on stderr. The caller has checked
/// that stdin is a terminal.
pub fn secret(prompt: &str) -> Result<Secret> {
    let read_error = |e: io::Error| Error::data(format!("cannot read the value from the terminal: {e}"));
    let mut stderr = io::stderr();
    // Echo off before the prompt shows: what is typed or pasted the moment it appears must not
    // be echoed by a terminal still in cooked mode.
    let raw = RawTerminal::enter().map_err(read_error)?;
    let _ = write!(stderr, "{prompt}");
    let _ = stderr.flush();
    let mut value: Vec<u8> = Vec::new();
    let mut in_paste = false;
    let mut lines = 1;
    while let Some(byte) = read_byte().map_err(read_error)? {
        match byte {
            // Ctrl-C: stop, nothing stored.
            0x03 => {
                drop(raw);
                let _ = writeln!(stderr);
                return Err(Error::new(Exit::Interrupted, "interrupted: nothing was stored"));
            }
            // Ctrl-D ends the value, whatever is typed so far.
            0x04 => break,
            b'\r' | b'\n' => {
                if in_paste || pending(PASTE_GAP) {
                    value.push(b'\n');
                    lines += 1;
                } else {
                    break;
                }
            }
            // Backspace: one character (not one byte) goes.
            0x7f | 0x08 => {
                while let Some(b) = value.pop() {
                    if b & 0xC0 != 0x80 {
                        break;
                    }
                }
            }
            // Ctrl-U: start again.
            0x15 => value.clear(),
            0x1b => match escape_sequence().map_err(read_error)?.as_slice() {
                b"[200~" => in_paste = true,
                b"[201~" => in_paste = false,
                // Arrows and other keys mean nothing here.
                _ => {}
            },
            b => value.push(b),
        }
    }
    drop(raw);
    // A pasted value's final newline is not part of it (as with a piped one).
    if value.last() == Some(&b'\n') {
        value.pop();
        lines -= 1;
    }
    let note = if lines > 1 { format!(" ({lines} lines)") } else { String::new() };
    let _ = writeln!(stderr, "{note}");
    String::from_utf8(value)
        .map(Secret::from)
        .map_err(|_| Error::data("the value is not UTF-8 text (Parameter Store holds text)"))
}

/// The bytes of an escape sequence after ESC: `[` parameters and a final byte.
fn escape_sequence() -> io::Result<Vec<u8>> {
    let mut seq = Vec::new();
    if !pending(PASTE_GAP) {
        return Ok(seq);
    }
    while let Some(b) = read_byte()? {
        seq.push(b);
        let done = match seq.len() {
            1 => b != b'[' && b != b'O',
            _ => (0x40..=0x7e).contains(&b),
        };
        if done || seq.len() > 16 {
            break;
        }
    }
    Ok(seq)
}
