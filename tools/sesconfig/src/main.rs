fn main() -> std::process::ExitCode {
    opskit::cli::main::<sesconfig::Cli>()
}
