fn main() -> std::process::ExitCode {
    dolbom::cli::main()
}
