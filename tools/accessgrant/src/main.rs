fn main() -> std::process::ExitCode {
    opskit::cli::main::<accessgrant::Cli>()
}
