//! The command line: argument parsing (clap) and one small function per command. This is the
//! binary's edge: it prints diagnostics and summaries and picks the exit code; everything it
//! calls is library code that tests reach without it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::build::{build, BuildError, BuildOptions, BuildSummary, Progress};
use crate::content::{self, LoadOptions};
use crate::diagnostics::Diagnostics;
use crate::live::{self, LiveError, ServeOptions, UpdateError, Updated};
use crate::render;
use crate::synth::{generate, SynthOptions};
use crate::vietnamese::format_number;

/// Builds the Tiền Giang provincial portal network.
#[derive(Debug, Parser)]
#[command(name = "cong", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Builds the whole network into a static site, replacing the output only on success.
    Build {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The themes folder.
        #[arg(long, default_value = "themes")]
        themes: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// The search index folder (outside the published site).
        #[arg(long, default_value = "search-index")]
        index: PathBuf,
        /// Overrides base_url of network.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Publishes drafts too.
        #[arg(long)]
        drafts: bool,
    },
    /// Runs every check of the content and writes nothing.
    Check {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The themes folder.
        #[arg(long, default_value = "themes")]
        themes: PathBuf,
    },
    /// Builds with drafts into a preview folder, serves it with search on one port, and
    /// updates it on every save, reloading open tabs.
    Serve {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The themes folder.
        #[arg(long, default_value = "themes")]
        themes: PathBuf,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// The preview's site folder (never the published `site/`: it holds drafts).
        #[arg(long, default_value = ".preview/site")]
        out: PathBuf,
        /// The preview's search index folder.
        #[arg(long, default_value = ".preview/search-index")]
        index: PathBuf,
    },
    /// Serves the search endpoint (/api/search and /tim-kiem) over the index a build wrote.
    SearchServer {
        /// The search index folder.
        #[arg(long, default_value = "search-index")]
        index: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8081")]
        addr: std::net::SocketAddr,
    },
    /// Writes a synthetic network of N articles (for benchmarks) into an empty folder.
    Synth {
        /// News articles.
        #[arg(long, default_value_t = 1000)]
        articles: usize,
        /// Procedures.
        #[arg(long, default_value_t = 2160)]
        procedures: usize,
        /// Seed: the same seed writes the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Articles without tags (so no tag pages).
        #[arg(long)]
        no_tags: bool,
        /// The folder to write (must be empty or absent).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Runs the command line and returns the process's exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            content,
            themes,
            out,
            index,
            base_url,
            drafts,
        } => run_build(&BuildOptions {
            content,
            themes,
            out,
            index,
            base_url,
            drafts,
        }),
        Command::Check { content, themes } => run_check(&content, &themes),
        Command::Serve {
            content,
            themes,
            port,
            out,
            index,
        } => run_serve(ServeOptions {
            build: BuildOptions {
                content,
                themes,
                out,
                index,
                base_url: None,
                drafts: true,
            },
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        }),
        Command::SearchServer { index, addr } => run_search_server(&index, addr),
        Command::Synth {
            articles,
            procedures,
            seed,
            no_tags,
            out,
        } => run_synth(
            &out,
            SynthOptions {
                articles,
                procedures,
                seed,
                tags: !no_tags,
            },
        ),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(options: &BuildOptions) -> anyhow::Result<ExitCode> {
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files").expect("a valid template"),
    );
    let result = build(options, &|p| match p {
        Progress::Total(n) => bar.set_length(n as u64),
        Progress::Done(n) => bar.set_position(n as u64),
    });
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            println!(
                "Built {} portals, {} pages ({} articles, {} procedures) into {} and indexed {} documents into {} in {:.2} s",
                s.portals,
                format_number(s.pages as u64),
                format_number(s.articles as u64),
                format_number(s.procedures as u64),
                options.out.display(),
                format_number(s.indexed as u64),
                options.index.display(),
                s.elapsed.as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(BuildError::Content(diagnostics)) => {
            report(&diagnostics);
            eprintln!(
                "The build stopped; {} was left as it was.",
                options.out.display()
            );
            Ok(ExitCode::FAILURE)
        }
        Err(err) => Err(err).with_context(|| {
            format!(
                "the build failed; {} was left as it was",
                options.out.display()
            )
        }),
    }
}

fn run_check(content: &Path, themes: &Path) -> anyhow::Result<ExitCode> {
    let checked = content::load(content, LoadOptions::default())
        .and_then(|network| content::themes::load(themes, &network).map(|t| (network, t)));
    let (network, themes) = match checked {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            report(&diagnostics);
            return Ok(ExitCode::FAILURE);
        }
    };
    render::check_templates(&network, &themes).context("a template does not compile")?;
    println!(
        "{}: {} portals, {} articles, {} procedures, no problems",
        content.display(),
        network.portals.len(),
        format_number(network.portals.iter().map(|p| p.news.len() as u64).sum()),
        format_number(network.procedures.len() as u64)
    );
    Ok(ExitCode::SUCCESS)
}

fn run_serve(options: ServeOptions) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let addr = options.addr;
    let watched = format!(
        "{} and {}",
        options.build.content.display(),
        options.build.themes.display()
    );
    let started = |s: &BuildSummary| {
        eprintln!(
            "Built {} pages (drafts included) in {:.2} s. Serving http://{addr}/ with search; watching {watched}.",
            format_number(s.pages as u64),
            s.elapsed.as_secs_f64()
        );
    };
    let updated = |result: &Result<Updated, UpdateError>| match result {
        Ok(Updated::Nothing) => {}
        Ok(Updated::Articles { files, elapsed }) => eprintln!(
            "Updated {files} pages and the search index in {:.0} ms.",
            elapsed.as_secs_f64() * 1000.0
        ),
        Ok(Updated::Built(s)) => eprintln!(
            "Rebuilt {} pages in {:.2} s.",
            format_number(s.pages as u64),
            s.elapsed.as_secs_f64()
        ),
        Err(UpdateError::Content(d) | UpdateError::Build(BuildError::Content(d))) => {
            report(d);
            eprintln!("Still serving the last good site.");
        }
        Err(e) => eprintln!("error: {e}\nStill serving the last good site."),
    };
    match runtime.block_on(live::run(options, started, updated)) {
        Err(LiveError::FirstBuild(BuildError::Content(d))) => {
            report(&d);
            eprintln!("Nothing to serve yet: fix the content and run `cong serve` again.");
            Ok(ExitCode::FAILURE)
        }
        result => result.map(|()| ExitCode::SUCCESS).map_err(Into::into),
    }
}

fn run_search_server(index: &Path, addr: std::net::SocketAddr) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::serve::run(index, addr))?;
    Ok(ExitCode::SUCCESS)
}

fn run_synth(out: &Path, options: SynthOptions) -> anyhow::Result<ExitCode> {
    let summary =
        generate(out, &options).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "Wrote {} portals, {} articles, {} procedures ({} files) into {}",
        summary.portals,
        format_number(summary.articles as u64),
        format_number(summary.procedures as u64),
        format_number(summary.files as u64),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Prints each diagnostic like rustc: the location and message, then the source line with a
/// caret under the column.
fn report(diagnostics: &Diagnostics) {
    for d in &diagnostics.0 {
        eprintln!("error: {d}");
        let line = std::fs::read(&d.location.path)
            .ok()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .and_then(|text| text.lines().nth(d.location.line - 1).map(str::to_owned));
        if let Some(line) = line.filter(|l| !l.trim().is_empty()) {
            let number = d.location.line.to_string();
            let pad = " ".repeat(number.len());
            eprintln!(
                "{pad} |\n{number} | {line}\n{pad} | {}^",
                " ".repeat(d.location.col - 1)
            );
        }
    }
    eprintln!("{} error(s); fix them and run again.", diagnostics.0.len());
}
