//! The `cong` binary: everything happens in [`cong::cli::run`].

/// The build allocates many short-lived strings on both cores at once; mimalloc's per-thread
/// heaps make that markedly cheaper than glibc's malloc (BENCHMARKS.md, "Build against Hugo").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cong::cli::run()
}
