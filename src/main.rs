//! The `cong` binary: everything happens in [`cong::cli::run`].

fn main() -> std::process::ExitCode {
    cong::cli::run()
}
