fn main() -> std::process::ExitCode {
    gridbot::cli::main()
}
