fn main() -> std::process::ExitCode {
    opskit::cli::main::<costq::Cli>()
}
