//! dotenv lines that their readers take back exactly.
//!
//! There is no dotenv standard, and the three readers a `.env` meets disagree: `sh` (`set -a;
//! . ./.env`) expands `$` in double quotes; python-dotenv decodes `\\` and `\'` inside single
//! quotes and escapes inside double quotes, expands `${VAR}` in every value however quoted (so
//! no quoting gives it a literal `${…}`), and turns every CR into a newline; Node's dotenv keeps backslashes (`\"` stays `\"`) except `\n` and `\r` in double
//! quotes, and also turns CRs into newlines. Each reader is modelled here; a value is written in
//! the first quoting all of the wanted readers read back exactly (single quotes where the value
//! allows it), and where none does, in the one most of them do, naming the others.

/// Which readers a dotenv file is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// sh, python-dotenv and Node's dotenv alike (a warning names any value that cannot be)
    Portable,
    /// POSIX sh (`set -a; . ./.env`)
    Sh,
    /// python-dotenv
    Python,
    /// Node's dotenv
    Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    Sh,
    Python,
    Node,
}

impl Reader {
    fn name(self) -> &'static str {
        match self {
            Reader::Sh => "sh",
            Reader::Python => "python-dotenv",
            Reader::Node => "Node's dotenv",
        }
    }

    fn reads(self, encoded: &str) -> Option<String> {
        match self {
            Reader::Sh => read_sh(encoded),
            Reader::Python => read_python(encoded),
            Reader::Node => read_node(encoded),
        }
    }

    /// Whether the reader takes `key` as a variable name at all.
    fn takes_key(self, key: &str) -> bool {
        let word = |extra: &str| key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(c));
        match self {
            Reader::Sh => word("") && !key.starts_with(|c: char| c.is_ascii_digit()),
            Reader::Python => !key.contains(|c: char| c == '=' || c == '#' || c.is_whitespace()),
            Reader::Node => word(".-"),
        }
    }
}

impl Dialect {
    fn readers(self) -> &'static [Reader] {
        match self {
            Dialect::Portable => &[Reader::Sh, Reader::Python, Reader::Node],
            Dialect::Sh => &[Reader::Sh],
            Dialect::Python => &[Reader::Python],
            Dialect::Node => &[Reader::Node],
        }
    }
}

/// One written line, and the readers that will not read it back as it was.
pub struct Line {
    pub text: String,
    pub unread_by: Vec<&'static str>,
    pub why: &'static str,
}

/// The quotings tried, in order of preference.
fn candidates(value: &str) -> [String; 7] {
    let escaped = |pairs: &[(char, &str)]| -> String {
        value
            .chars()
            .map(|c| {
                pairs.iter().find(|(from, _)| *from == c).map_or_else(|| c.to_string(), |(_, to)| (*to).to_owned())
            })
            .collect()
    };
    [
        format!("'{value}'"),
        format!("\"{value}\""),
        format!("'{}'", value.replace('\'', "'\\''")),
        format!("'{}'", escaped(&[('\\', "\\\\"), ('\'', "\\'")])),
        format!("\"{}\"", escaped(&[('\\', "\\\\"), ('"', "\\\""), ('\n', "\\n"), ('\r', "\\r"), ('\t', "\\t")])),
        format!("`{value}`"),
        format!("\"{}\"", escaped(&[('\n', "\\n"), ('\r', "\\r")])),
    ]
}

/// `KEY=<value, quoted for the dialect's readers>`.
pub fn line(key: &str, value: &str, dialect: Dialect) -> Line {
    let readers = dialect.readers();
    let key_refused: Vec<&'static str> = readers.iter().filter(|r| !r.takes_key(key)).map(|r| r.name()).collect();
    let mut best: Option<(String, Vec<Reader>)> = None;
    for encoded in candidates(value) {
        let ok: Vec<Reader> = readers.iter().copied().filter(|r| r.reads(&encoded).as_deref() == Some(value)).collect();
        if ok.len() == readers.len() {
            best = Some((encoded, ok));
            break;
        }
        if best.as_ref().is_none_or(|(_, b)| ok.len() > b.len()) {
            best = Some((encoded, ok));
        }
    }
    let (encoded, ok) = best.expect("there is always a candidate");
    let mut unread_by: Vec<&'static str> = readers.iter().filter(|r| !ok.contains(r)).map(|r| r.name()).collect();
    let why = if key_refused.is_empty() {
        if readers.len() == 1 { "no quoting holds this value for it" } else { "no quoting serves every reader" }
    } else {
        for name in key_refused {
            if !unread_by.contains(&name) {
                unread_by.push(name);
            }
        }
        "the key is not a variable name there, or no quoting serves every reader"
    };
    Line { text: format!("{key}={encoded}"), unread_by, why }
}

/// The text after a closing quote must be nothing, or a comment.
fn ends_cleanly(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with('#')
}

/// `quote … quote` where `\quote` does not close (python-dotenv's and Node's regexes): the raw
/// content and what follows.
fn quoted_raw(text: &str, quote: char) -> Option<(String, &str)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != quote {
        return None;
    }
    let mut content = String::new();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            let (_, next) = chars.next()?;
            content.push(c);
            content.push(next);
        } else if c == quote {
            return Some((content, &text[i + 1..]));
        } else {
            content.push(c);
        }
    }
    None
}

/// POSIX sh reading `KEY=<text>` as an assignment; `None` where it would expand or fail.
fn read_sh(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    c => out.push(c),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => match chars.next()? {
                        '\n' => {}
                        c @ ('$' | '`' | '"' | '\\') => out.push(c),
                        c => {
                            out.push('\\');
                            out.push(c);
                        }
                    },
                    '$' | '`' => return None,
                    c => out.push(c),
                }
            },
            '\\' => match chars.next()? {
                '\n' => {}
                c => out.push(c),
            },
            c if c.is_whitespace() || "$`;&|<>()*?[#~".contains(c) => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

/// python-dotenv (1.x): CRs become newlines as the file is read; single quotes decode `\\` and
/// `\'`; double quotes decode `\\ \' \" \a \b \f \n \r \t \v`; then `${VAR}` is expanded in
/// either.
fn read_python(text: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let quote = text.chars().next()?;
    if quote != '\'' && quote != '"' {
        return None;
    }
    let (raw, rest) = quoted_raw(&text, quote)?;
    if !ends_cleanly(rest) {
        return None;
    }
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let decoded = match (quote, chars.peek().copied()) {
            ('\'' | '"', Some(n @ ('\\' | '\''))) | ('"', Some(n @ '"')) => Some(n),
            ('"', Some('a')) => Some('\x07'),
            ('"', Some('b')) => Some('\x08'),
            ('"', Some('f')) => Some('\x0c'),
            ('"', Some('n')) => Some('\n'),
            ('"', Some('r')) => Some('\r'),
            ('"', Some('t')) => Some('\t'),
            ('"', Some('v')) => Some('\x0b'),
            _ => None,
        };
        match decoded {
            Some(d) => {
                chars.next();
                out.push(d);
            }
            None => out.push('\\'),
        }
    }
    if out.find("${").is_some_and(|i| out[i..].contains('}')) {
        return None;
    }
    Some(out)
}

/// Node's dotenv (16/17): CRs become newlines; the value is quoted by `'`, `"` or `` ` `` (a
/// backslash before the quote does not close it, and stays); double quotes turn `\n` and `\r`
/// into newline and CR; nothing else is decoded.
fn read_node(text: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let quote = text.chars().next()?;
    if !matches!(quote, '\'' | '"' | '`') {
        return None;
    }
    let (raw, rest) = quoted_raw(&text, quote)?;
    if !ends_cleanly(rest) {
        return None;
    }
    Some(if quote == '"' { raw.replace("\\n", "\n").replace("\\r", "\r") } else { raw })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_take_single_quotes() {
        let l = line("K", "dollar $HOME and $(id)", Dialect::Portable);
        assert_eq!(l.text, "K='dollar $HOME and $(id)'");
        assert!(l.unread_by.is_empty());
        // python-dotenv expands `${X}` however it is quoted.
        let l = line("K", "dollar ${X}", Dialect::Portable);
        assert_eq!((l.text.as_str(), l.unread_by.as_slice()), ("K='dollar ${X}'", &["python-dotenv"][..]));
        assert_eq!(line("K", "multi\nline", Dialect::Portable).text, "K='multi\nline'");
    }

    #[test]
    fn an_apostrophe_takes_double_quotes_when_nothing_else_objects() {
        assert_eq!(line("K", "it's", Dialect::Portable).text, "K=\"it's\"");
    }

    #[test]
    fn backslashes_and_double_quotes_in_single_quotes_read_back_everywhere() {
        for value in ["back\\slash", "a \"quoted\" value", "C:\\dir\\new"] {
            let l = line("K", value, Dialect::Portable);
            assert_eq!(l.text, format!("K='{value}'"));
            assert!(l.unread_by.is_empty(), "{value}");
        }
        // Two backslashes in a row are one to python-dotenv in any quoting Node's reads as two.
        let l = line("K", "a\\\\b", Dialect::Portable);
        assert_eq!(l.unread_by, ["python-dotenv"]);
        let l = line("K", "a\\\\b", Dialect::Python);
        assert_eq!(read_python(l.text.strip_prefix("K=").unwrap()).as_deref(), Some("a\\\\b"));
    }

    #[test]
    fn no_common_quoting_is_named() {
        let l = line("K", "it's \"both\" $HOME", Dialect::Portable);
        assert_eq!(l.unread_by, ["python-dotenv", "Node's dotenv"]);
        assert_eq!(read_sh(l.text.strip_prefix("K=").unwrap()).as_deref(), Some("it's \"both\" $HOME"));
        for (dialect, reader) in
            [(Dialect::Python, Reader::Python), (Dialect::Node, Reader::Node), (Dialect::Sh, Reader::Sh)]
        {
            let l = line("K", "it's \"both\" $HOME", dialect);
            assert!(l.unread_by.is_empty(), "{dialect:?}");
            assert_eq!(reader.reads(l.text.strip_prefix("K=").unwrap()).as_deref(), Some("it's \"both\" $HOME"));
        }
    }

    #[test]
    fn keys_that_are_not_variable_names_are_named() {
        let l = line("db/url", "x", Dialect::Portable);
        assert_eq!(l.unread_by, ["sh", "Node's dotenv"]);
        assert!(line("a.b-c", "x", Dialect::Node).unread_by.is_empty());
    }
}
