//! Generated files: man pages, shell completions and the README's reference tables, all
//! rendered from the tools' clap commands and opskit's tables, so the docs cannot drift from
//! the code. `cargo xtask gen` writes them; the `docs` test fails when they are stale.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap_complete::Shell;
use clap_mangen::roff::{Roff, bold, roman};

/// Every tool's name and clap command.
pub fn tools() -> Vec<(&'static str, clap::Command)> {
    vec![
        ("dbdump", dbdump::command()),
        ("envctl", envctl::command()),
        ("costq", costq::command()),
        ("accessgrant", accessgrant::command()),
        ("sesconfig", sesconfig::command()),
    ]
}

/// A fixed date keeps the pages reproducible: regenerating changes nothing unless the CLI did.
const MAN_DATE: &str = "2026-11-25";

/// Every generated file, as (path relative to the workspace root, contents).
pub fn render(root: &Path) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for (name, cmd) in tools() {
        let mut cmd = cmd.disable_help_subcommand(true);
        cmd.build();
        man_pages(&cmd, true, &mut files)?;
        for (shell, file) in [
            (Shell::Bash, format!("{name}.bash")),
            (Shell::Zsh, format!("_{name}")),
            (Shell::Fish, format!("{name}.fish")),
        ] {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut cmd.clone(), name, &mut buf);
            files.push((Path::new("completions").join(file), buf));
        }
    }
    let readme = std::fs::read_to_string(root.join("README.md"))?;
    files.push(("README.md".into(), readme_with_tables(&readme)?.into_bytes()));
    Ok(files)
}

fn man_pages(cmd: &clap::Command, top: bool, files: &mut Vec<(PathBuf, Vec<u8>)>) -> anyhow::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, false, files)?;
    }
    let man = clap_mangen::Man::new(cmd.clone()).date(MAN_DATE).manual("opskit");
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    if top {
        buf.write_all(reference_sections().as_bytes())?;
    }
    files.push((Path::new("man").join(man.get_filename()), buf));
    Ok(())
}

/// ENVIRONMENT and EXIT STATUS, the same for every tool.
fn reference_sections() -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for (var, meaning) in opskit::env_vars::ALL {
        roff.control("TP", []).text([bold(var)]).text([roman(meaning.replace('`', ""))]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for exit in opskit::Exit::ALL {
        roff.control("TP", []).text([bold(exit.code().to_string())]).text([roman(exit.meaning())]);
    }
    roff.to_roff()
}

/// Replace the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.
fn readme_with_tables(readme: &str) -> anyhow::Result<String> {
    let mut exit_codes = String::from("| code | meaning |\n|---|---|\n");
    for exit in opskit::Exit::ALL {
        writeln!(exit_codes, "| {} | {} |", exit.code(), exit.meaning().replace('|', "\\|"))?;
    }
    let mut env = String::from("| variable | sets |\n|---|---|\n");
    for (var, meaning) in opskit::env_vars::ALL {
        writeln!(env, "| `{var}` | {meaning} |")?;
    }
    let readme = replace_block(readme, "exit-codes", &exit_codes)?;
    replace_block(&readme, "env-vars", &env)
}

fn replace_block(text: &str, name: &str, body: &str) -> anyhow::Result<String> {
    let open = format!("<!-- generated:{name} -->\n");
    let close = format!("<!-- /generated:{name} -->");
    let start = text.find(&open).ok_or_else(|| anyhow::anyhow!("README.md lacks the `{open}` marker"))? + open.len();
    let end = start + text[start..].find(&close).ok_or_else(|| anyhow::anyhow!("README.md lacks `{close}`"))?;
    Ok(format!("{}{body}{}", &text[..start], &text[end..]))
}

/// Write every generated file and remove leftovers; returns what changed.
pub fn write(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let rendered = render(root)?;
    let stale = stale_among(root, &rendered)?;
    for rel in &stale {
        let path = root.join(rel);
        match rendered.iter().find(|(p, _)| p == rel) {
            Some((_, contents)) => {
                std::fs::create_dir_all(path.parent().expect("generated files live in a folder or the root"))?;
                std::fs::write(&path, contents)?;
            }
            None => std::fs::remove_file(&path)?,
        }
    }
    Ok(stale)
}

/// The generated files that differ from what is committed (missing, changed, or left over).
pub fn stale(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    stale_among(root, &render(root)?)
}

fn stale_among(root: &Path, rendered: &[(PathBuf, Vec<u8>)]) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale: Vec<PathBuf> = rendered
        .iter()
        .filter(|(rel, contents)| std::fs::read(root.join(rel)).ok().as_deref() != Some(contents.as_slice()))
        .map(|(rel, _)| rel.clone())
        .collect();
    for dir in ["man", "completions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        for entry in entries {
            let rel = Path::new(dir).join(entry?.file_name());
            if !rendered.iter().any(|(p, _)| *p == rel) {
                stale.push(rel);
            }
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::replace_block;

    #[test]
    fn replaces_only_between_markers() {
        let text = "a\n<!-- generated:x -->\nold\n<!-- /generated:x -->\nb\n";
        assert_eq!(
            replace_block(text, "x", "new\n").unwrap(),
            "a\n<!-- generated:x -->\nnew\n<!-- /generated:x -->\nb\n"
        );
        assert!(replace_block(text, "y", "").is_err());
    }
}
