fn main() -> std::process::ExitCode {
    opskit::cli::main::<envctl::Cli>()
}
