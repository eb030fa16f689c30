fn main() -> std::process::ExitCode {
    opskit::cli::main::<dbdump::Cli>()
}
