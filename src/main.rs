//! The `gongkai` command line: argument parsing and exit codes only.

use anyhow::Context;
use clap::{Parser, Subcommand};
use gongkai::patterns::Patterns;
use gongkai::pipeline::{self, Options};
use gongkai::write::{CsvOptions, CsvSink, Sink};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes: 0 every file ok or skipped; 1 some file failed or was read
/// only in part; 2 the run itself could not be done (bad arguments, bad
/// patterns, unwritable output).
const EXIT_SOME_FILES_FAILED: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "gongkai",
    version,
    about = "Budget and final-accounts disclosures (部门预算/决算公开) → one checked dataset"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract every table of every report under PATH into the output folder.
    Extract {
        /// Files and folders (walked recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output folder.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Pattern folder replacing or extending the built-in patterns.
        #[arg(long)]
        patterns: Option<PathBuf>,
        /// Worker threads (default: all cores).
        #[arg(short = 'j', long)]
        jobs: Option<usize>,
        /// Write CSV for spreadsheets: BOM, formulas neutralised.
        #[arg(long)]
        excel: bool,
        /// Largest input file accepted, in bytes.
        #[arg(long, default_value_t = pipeline::DEFAULT_MAX_FILE_BYTES)]
        max_file_bytes: u64,
    },
    /// Re-run the accounting checks on an existing output folder.
    Check {
        /// The folder `extract` wrote.
        output: PathBuf,
        /// Pattern folder replacing or extending the built-in patterns.
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
    /// Print a file's document model (paragraphs and tables) as tab layout.
    Layout {
        /// The file to lay out.
        file: PathBuf,
    },
    /// Inspect pattern sets.
    Patterns {
        #[command(subcommand)]
        command: PatternsCommand,
    },
}

#[derive(Subcommand)]
enum PatternsCommand {
    /// Check a pattern folder: every file parses and compiles.
    Check { dir: PathBuf },
    /// List the tables of the built-in (or a folder's) patterns.
    List {
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
}

fn load_patterns(dir: Option<&PathBuf>) -> anyhow::Result<Patterns> {
    match dir {
        Some(dir) => Patterns::load_dir(dir).context("invalid patterns"),
        None => Ok(Patterns::builtin()),
    }
}

fn extract(
    paths: &[PathBuf],
    output: &PathBuf,
    patterns: Option<&PathBuf>,
    options: Options,
    csv: CsvOptions,
) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let inputs = pipeline::collect_inputs(paths).context("cannot list inputs")?;
    let mut sink: Box<dyn Sink> = Box::new(
        CsvSink::create(output, &patterns, csv)
            .with_context(|| format!("cannot write to {}", output.display()))?,
    );
    let summary = pipeline::run(&inputs, &patterns, &options, sink.as_mut())
        .with_context(|| format!("cannot write to {}", output.display()))?;
    sink.finish()
        .with_context(|| format!("cannot write to {}", output.display()))?;
    eprintln!(
        "gongkai: {} files: {} ok, {} partial, {} failed, {} skipped; {} tables, {} facts → {}",
        summary.files,
        summary.ok,
        summary.partial,
        summary.failed,
        summary.skipped,
        summary.tables,
        summary.facts,
        output.display()
    );
    eprintln!(
        "gongkai: {} checks, {} failed, in {} reports (see {}/checks.csv)",
        summary.checks,
        summary.checks_failed,
        summary.documents_with_failures,
        output.display()
    );
    if summary.failed + summary.partial > 0 {
        eprintln!(
            "gongkai: see {}/documents.csv for the files that failed",
            output.display()
        );
        return Ok(ExitCode::from(EXIT_SOME_FILES_FAILED));
    }
    Ok(ExitCode::SUCCESS)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract {
            paths,
            output,
            patterns,
            jobs,
            excel,
            max_file_bytes,
        } => {
            let options = Options {
                max_file_bytes,
                jobs,
                progress: true,
            };
            extract(
                &paths,
                &output,
                patterns.as_ref(),
                options,
                CsvOptions { excel },
            )
        }
        Command::Check { output, patterns } => {
            let patterns = load_patterns(patterns.as_ref())?;
            let summary = gongkai::check::rerun::rerun(&output, &patterns)
                .with_context(|| format!("cannot re-check {}", output.display()))?;
            eprintln!(
                "gongkai: {} documents, {} checks, {} failed, in {} reports (see {}/checks.csv)",
                summary.documents,
                summary.checks,
                summary.failed,
                summary.documents_with_failures,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Layout { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let (_, document) =
                pipeline::read_document(&bytes).with_context(|| format!("{}", file.display()))?;
            print!("{}", gongkai::layout::pdf::to_tab_layout(&document));
            Ok(ExitCode::SUCCESS)
        }
        Command::Patterns {
            command: PatternsCommand::Check { dir },
        } => {
            let patterns = Patterns::load_dir(&dir).context("invalid patterns")?;
            println!("{}: ok, {} tables", dir.display(), patterns.tables.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Patterns {
            command: PatternsCommand::List { patterns },
        } => {
            let patterns = load_patterns(patterns.as_ref())?;
            for table in &patterns.tables {
                let columns: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
                println!("{}\t{:?}\t{}", table.key, table.shape, columns.join(","));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("gongkai: error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
