//! The command line: argument parsing (clap) and one small function per command. This is the
//! binary's edge: it prints diagnostics and summaries and picks the exit code; everything it
//! calls is library code that tests reach without it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use crate::build::{build, BuildError, BuildOptions, BuildSummary, Progress};
use crate::content;
use crate::lint::{self, Finding, Severity};
use crate::live::{self, LiveError, ServeOptions, UpdateError, Updated};
use crate::owners::{Layout, Owners};
use crate::render;
use crate::scaffold::{self, NewItem};
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
    /// Runs every check and lint of the content and writes nothing (but with --fix).
    /// Exit code: 0 clean, 1 errors, 2 warnings only with --strict.
    Check(CheckArgs),
    /// Writes a new news article, page or procedure with every required field filled in.
    New {
        /// What to write.
        #[arg(value_enum)]
        kind: NewKind,
        /// The title (the procedure's name), in Vietnamese; the file name is its slug.
        title: String,
        /// The portal's folder name, e.g. so-y-te.
        #[arg(long)]
        portal: String,
        /// The file name without extension, instead of the title's slug.
        #[arg(long)]
        slug: Option<String>,
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Prints (or writes) the CODEOWNERS file: each portal's folder owned by its editors.
    Owners {
        /// The content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// The themes folder (owned by the main portal's editors).
        #[arg(long, default_value = "themes")]
        themes: PathBuf,
        /// Writes the file here instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
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
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Serves the search endpoint (/api/search and /tim-kiem) over the index a build wrote.
    SearchServer {
        /// The search index folder.
        #[arg(long, default_value = "search-index")]
        index: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8081")]
        addr: std::net::SocketAddr,
        #[command(flatten)]
        limits: LimitArgs,
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

/// The servers' time limits, in milliseconds, for tests: hidden, since the defaults are what a
/// server should run with (`serve::Limits`).
#[derive(Debug, clap::Args)]
struct LimitArgs {
    /// How long a client may take to send a request's head, or stay idle between requests.
    #[arg(long, hide = true, value_name = "MS")]
    header_read_timeout_ms: Option<u64>,
    /// How long a write may wait for a client that does not read.
    #[arg(long, hide = true, value_name = "MS")]
    write_timeout_ms: Option<u64>,
    /// How long one search may compute before it is answered 503.
    #[arg(long, hide = true, value_name = "MS")]
    search_budget_ms: Option<u64>,
    /// How long a request may wait for its worker before it is answered 503.
    #[arg(long, hide = true, value_name = "MS")]
    queue_wait_ms: Option<u64>,
}

impl LimitArgs {
    fn limits(&self) -> crate::serve::Limits {
        let defaults = crate::serve::Limits::default();
        let or = |ms: Option<u64>, default| ms.map_or(default, std::time::Duration::from_millis);
        crate::serve::Limits {
            header_read: or(self.header_read_timeout_ms, defaults.header_read),
            write: or(self.write_timeout_ms, defaults.write),
            search: or(self.search_budget_ms, defaults.search),
            queue_wait: or(self.queue_wait_ms, defaults.queue_wait),
        }
    }
}

/// How `cong check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Like rustc: severity, location, the source line with a caret, a help line.
    Text,
    /// One JSON array of findings (path, line, col, severity, code, message, help).
    Json,
}

/// What `cong new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum NewKind {
    /// A news article in news/.
    News,
    /// A static page in pages/.
    Page,
    /// A procedure record in procedures/.
    Procedure,
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
        Command::Check(args) => run_check(&args),
        Command::New {
            kind,
            title,
            portal,
            slug,
            content,
        } => run_new(
            &content,
            NewItem {
                kind: match kind {
                    NewKind::News => scaffold::Kind::News,
                    NewKind::Page => scaffold::Kind::Page,
                    NewKind::Procedure => scaffold::Kind::Procedure,
                },
                portal,
                title,
                slug,
                today: today_in_vietnam(),
            },
        ),
        Command::Owners {
            content,
            themes,
            out,
        } => run_owners(&content, &themes, out.as_deref()),
        Command::Serve {
            content,
            themes,
            port,
            out,
            index,
            limits,
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
            limits: limits.limits(),
        }),
        Command::SearchServer {
            index,
            addr,
            limits,
        } => run_search_server(&index, addr, limits.limits()),
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
            report(&lint::from_diagnostics(&diagnostics));
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

/// The options of `cong check`.
#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// The themes folder.
    #[arg(long, default_value = "themes")]
    themes: PathBuf,
    /// Warnings fail the check too (exit code 2).
    #[arg(long)]
    strict: bool,
    /// Replaces look-alike letters and puts text into NFC in the files, then checks.
    #[arg(long)]
    fix: bool,
    /// How findings are printed: rustc-like text on stderr, or one JSON array on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Refuses changes outside the portals this editor (an e-mail of portal.yaml) keeps.
    #[arg(long = "as", value_name = "EMAIL")]
    editor: Option<String>,
    /// The changed files, for --as; git's changed and untracked files when none are given.
    #[arg(requires = "editor")]
    paths: Vec<PathBuf>,
}

/// The day it is in Vietnam: what "today" means for the content, wherever the command runs.
fn today_in_vietnam() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&crate::model::vietnam())
        .date_naive()
}

fn run_check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let content = &args.content;
    if args.fix {
        let fixed = lint::fix(content).context("--fix could not rewrite a file")?;
        if fixed.files > 0 {
            eprintln!(
                "fixed {} look-alike letter(s) and {} line(s) not in NFC in {} file(s)",
                fixed.look_alikes, fixed.nfc_lines, fixed.files
            );
        }
    }
    let mut findings = Vec::new();
    if let Some(editor) = &args.editor {
        let owners = Owners::read(content)?;
        let layout = Layout::new(content, &args.themes)?;
        let paths = if args.paths.is_empty() {
            let cwd = std::env::current_dir()?;
            layout
                .changed_files()?
                .into_iter()
                .map(|p| p.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(p))
                .collect()
        } else {
            args.paths.clone()
        };
        findings.extend(owners.refusals(editor, &paths, &layout)?);
    }
    let checked = lint::check(content, today_in_vietnam());
    findings.extend(checked.findings);
    if let Some(network) = &checked.network {
        match content::themes::load(&args.themes, network) {
            Ok(themes) => {
                render::check_templates(network, &themes).context("a template does not compile")?
            }
            Err(diagnostics) => findings.extend(lint::from_diagnostics(&diagnostics)),
        }
    }
    lint::sort(&mut findings);
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        Format::Text if findings.is_empty() => {
            let network = checked.network.as_ref().expect("no errors, so it loaded");
            println!(
                "{}: {} portals, {} articles, {} procedures, no problems",
                content.display(),
                network.portals.len(),
                format_number(network.portals.iter().map(|p| p.news.len() as u64).sum()),
                format_number(network.procedures.len() as u64)
            );
        }
        Format::Text => report(&findings),
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else if warnings > 0 && args.strict {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_new(content: &Path, item: NewItem) -> anyhow::Result<ExitCode> {
    let path = scaffold::create(content, &item)?;
    println!("{}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn run_owners(content: &Path, themes: &Path, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let text = Owners::read(content)?.codeowners(&Layout::new(content, themes)?)?;
    match out {
        Some(path) => crate::output::write_atomically(path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
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
            report(&lint::from_diagnostics(d));
            eprintln!("Still serving the last good site.");
        }
        Err(e) => eprintln!("error: {e}\nStill serving the last good site."),
    };
    match runtime.block_on(live::run(options, started, updated)) {
        Err(LiveError::FirstBuild(BuildError::Content(d))) => {
            report(&lint::from_diagnostics(&d));
            eprintln!("Nothing to serve yet: fix the content and run `cong serve` again.");
            Ok(ExitCode::FAILURE)
        }
        result => result.map(|()| ExitCode::SUCCESS).map_err(Into::into),
    }
}

fn run_search_server(
    index: &Path,
    addr: std::net::SocketAddr,
    limits: crate::serve::Limits,
) -> anyhow::Result<ExitCode> {
    // This thread only accepts connections and watches for new builds; the searches run on
    // the server's own workers, one a core.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(crate::serve::run(index, addr, limits))?;
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

/// Prints each finding like rustc: severity, location and message, the source line with a
/// caret under the column, and what to do; then the counts.
fn report(findings: &[Finding]) {
    for f in findings {
        eprintln!("{}: {f}", f.severity);
        let number = f.line.map(|l| l.to_string()).unwrap_or_default();
        let pad = " ".repeat(number.len().max(1));
        let line = f.line.and_then(|n| {
            // Never through a link: the line quoted would be the target's.
            content::read_plain(&f.path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .and_then(|text| text.lines().nth(n - 1).map(str::to_owned))
        });
        if let Some(line) = line.filter(|l| !l.trim().is_empty()) {
            eprintln!(
                "{pad} |\n{number} | {line}\n{pad} | {}^",
                " ".repeat(f.col.unwrap_or(1) - 1)
            );
        }
        eprintln!("{pad} = help: {}", f.help);
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    match (errors, warnings) {
        (0, w) => eprintln!("{w} warning(s)."),
        (e, 0) => eprintln!("{e} error(s); fix them and run again."),
        (e, w) => eprintln!("{e} error(s) and {w} warning(s); fix the errors and run again."),
    }
}
