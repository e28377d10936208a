//! The `gongkai` command line: argument parsing and exit codes only.

use anyhow::Context;
use clap::{Parser, Subcommand};
use gongkai::patterns::Patterns;
use gongkai::pipeline::{self, Options, OutputOptions};
use gongkai::write::CsvOptions;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// mimalloc: the pipeline allocates many small strings per document, and
/// glibc's allocator spent a sixth of a run in malloc/free and made
/// threads wait on its locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    #[command(
        override_usage = "gongkai extract [OPTIONS] <PATHS>...\n       gongkai extract [OPTIONS] --files-from <FILE> [PATHS]..."
    )]
    Extract {
        /// Files and folders (walked recursively).
        #[arg(required_unless_present = "files_from")]
        paths: Vec<PathBuf>,
        /// Also read the files listed in FILE, one path per line (`-`: stdin).
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        /// Process only share K of N of the inputs (stable split by path).
        #[arg(long, value_name = "K/N", value_parser = parse_shard)]
        shard: Option<(usize, usize)>,
        /// Process every file, even those the output's run cache holds.
        #[arg(long)]
        force: bool,
        /// Do not write Parquet files.
        #[arg(long)]
        no_parquet: bool,
        /// Partition the Parquet files Hive-style by these columns (year, report).
        #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
        partition: Vec<String>,
        /// Output folder.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Pattern folder replacing or extending the built-in patterns.
        #[arg(long)]
        patterns: Option<PathBuf>,
        /// Worker threads (default: all cores); 1 runs everything on one thread.
        #[arg(short = 'j', long)]
        jobs: Option<usize>,
        /// Write CSV for spreadsheets: BOM, formulas neutralised.
        #[arg(long)]
        excel: bool,
        /// Largest input file accepted, in bytes (the same as
        /// `--limit file-bytes=N`).
        #[arg(long)]
        max_file_bytes: Option<u64>,
        /// Raise or lower one of the limits on what a document may cost,
        /// `NAME=VALUE` (repeatable; e.g. `--limit table-cells=5M`); the
        /// README lists them with their defaults.
        #[arg(long = "limit", value_name = "NAME=VALUE")]
        limits: Vec<String>,
    },
    /// Combine the output folders of shards into one.
    Merge {
        /// Output folders written by `extract --shard`.
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// The merged output folder.
        #[arg(short, long)]
        output: PathBuf,
        /// Pattern folder the shards were extracted with.
        #[arg(long)]
        patterns: Option<PathBuf>,
        /// Write CSV for spreadsheets: BOM, formulas neutralised.
        #[arg(long)]
        excel: bool,
        /// Do not write Parquet files.
        #[arg(long)]
        no_parquet: bool,
        /// Partition the Parquet files Hive-style by these columns (year, report).
        #[arg(long, value_delimiter = ',', value_name = "COLUMNS")]
        partition: Vec<String>,
        /// Merge an incomplete set of shards (some K of N missing).
        #[arg(long)]
        allow_partial: bool,
    },
    /// Re-run the accounting checks on an existing output folder.
    Check {
        /// The folder `extract` wrote.
        output: PathBuf,
        /// Pattern folder replacing or extending the built-in patterns.
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
    /// Compare the reports of finished output folders across reports: a
    /// department against its units, a budget against its final accounts,
    /// a year against the next (reconciliation.csv).
    Reconcile {
        /// Output folders `extract` or `merge` wrote (earlier runs, shards).
        #[arg(required = true)]
        outputs: Vec<PathBuf>,
        /// A new folder for the comparison (needed for several folders);
        /// without it, the one folder given is updated in place.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Pattern folder replacing or extending the built-in patterns
        /// (its `reconcile.toml`: the pairing rules).
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
    /// Write a static review site (HTML) for an output folder.
    Site {
        /// The folder `extract` wrote.
        output: PathBuf,
        /// The site's folder (default: OUTPUT/site).
        #[arg(short = 'o', long = "site")]
        site: Option<PathBuf>,
        /// The folder that was extracted: the site links to the files and
        /// shows their pages (with poppler's pdftoppm).
        #[arg(long)]
        sources: Option<PathBuf>,
        /// Link the printed pages instead of rendering them.
        #[arg(long)]
        no_images: bool,
        /// The pattern folder the run was extracted with.
        #[arg(long)]
        patterns: Option<PathBuf>,
    },
    /// Print a file's document model (paragraphs and tables) as tab layout.
    Layout {
        /// The file to lay out.
        file: PathBuf,
        /// A pattern folder whose `report.toml` words the layout uses (note
        /// lines, statement endings), as `extract --patterns`.
        #[arg(long)]
        patterns: Option<PathBuf>,
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
        Some(dir) => Patterns::load_dir(dir).map_err(|e| anyhow::anyhow!("invalid patterns: {e}")),
        None => Ok(Patterns::builtin()),
    }
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?}: expected K/N, e.g. 1/4"))?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("{text:?}: K is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("{text:?}: N is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("{text:?}: need 1 <= K <= N"));
    }
    Ok((k, n))
}

fn read_list(path: &PathBuf) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("cannot read the file list from stdin")?;
        return Ok(text);
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

struct ExtractArgs {
    paths: Vec<PathBuf>,
    files_from: Option<PathBuf>,
    shard: Option<(usize, usize)>,
    output: PathBuf,
    patterns: Option<PathBuf>,
}

fn extract(args: ExtractArgs, options: Options, output: OutputOptions) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let patterns = load_patterns(args.patterns.as_ref())?;
    let list = args.files_from.as_ref().map(read_list).transpose()?;
    let mut inputs =
        pipeline::collect_inputs_with_list(&args.paths, list.as_deref(), Some(&args.output))
            .context("cannot list inputs")?;
    let run = pipeline::RunRecord::new(args.shard, &patterns, &options.limits, &inputs);
    if let Some((k, n)) = args.shard {
        let all = inputs.len();
        inputs = pipeline::shard(inputs, k, n);
        eprintln!("gongkai: shard {k}/{n}: {} of {all} files", inputs.len());
    }
    let dir = &args.output;
    let summary = pipeline::extract_into(dir, &inputs, &patterns, &options, &output)
        .and_then(|summary| pipeline::record_run(dir, &run).map(|()| summary))
        .with_context(|| format!("cannot write to {}", dir.display()))?;
    Ok(report(&summary, dir, started))
}

/// The end-of-run paragraph (stderr) and the exit code.
fn report(
    summary: &pipeline::Summary,
    dir: &std::path::Path,
    started: std::time::Instant,
) -> ExitCode {
    eprintln!(
        "gongkai: {} files ({} unchanged since the last run): {} ok, {} partial, {} failed, {} skipped; {} tables, {} facts; {} checks, {} failed in {} reports; {:.1} s → {}",
        summary.files,
        summary.cached,
        summary.ok,
        summary.partial,
        summary.failed,
        summary.skipped,
        summary.tables,
        summary.facts,
        summary.checks,
        summary.checks_failed,
        summary.documents_with_failures,
        started.elapsed().as_secs_f64(),
        dir.display()
    );
    if summary.failed + summary.partial > 0 {
        eprintln!(
            "gongkai: see {}/documents.csv for the files that failed",
            dir.display()
        );
        return ExitCode::from(EXIT_SOME_FILES_FAILED);
    }
    ExitCode::SUCCESS
}

fn output_options(excel: bool, no_parquet: bool, partition: Vec<String>) -> OutputOptions {
    OutputOptions {
        csv: CsvOptions { excel },
        parquet: !no_parquet,
        partition,
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract {
            paths,
            files_from,
            shard,
            force,
            no_parquet,
            partition,
            output,
            patterns,
            jobs,
            excel,
            max_file_bytes,
            limits: assignments,
        } => {
            let mut limits = gongkai::limits::Limits::default();
            for assignment in &assignments {
                limits.set(assignment).map_err(anyhow::Error::msg)?;
            }
            if let Some(bytes) = max_file_bytes {
                limits.file_bytes = bytes;
            }
            let options = Options {
                limits,
                jobs,
                progress: true,
                force,
            };
            let args = ExtractArgs {
                paths,
                files_from,
                shard,
                output,
                patterns,
            };
            extract(args, options, output_options(excel, no_parquet, partition))
        }
        Command::Merge {
            parts,
            output,
            patterns,
            excel,
            no_parquet,
            partition,
            allow_partial,
        } => {
            let started = std::time::Instant::now();
            let patterns = load_patterns(patterns.as_ref())?;
            let options = output_options(excel, no_parquet, partition);
            let summary = pipeline::merge(&parts, &output, &patterns, &options, allow_partial)
                .with_context(|| format!("cannot merge into {}", output.display()))?;
            Ok(report(&summary, &output, started))
        }
        Command::Check { output, patterns } => recheck(&output, patterns.as_ref()),
        Command::Reconcile {
            outputs,
            output,
            patterns,
        } => reconcile(&outputs, output.as_deref(), patterns.as_ref()),
        Command::Site {
            output,
            site,
            sources,
            no_images,
            patterns,
        } => write_site(&output, site, sources, !no_images, patterns.as_ref()),
        Command::Layout { file, patterns } => print_layout(&file, patterns.as_ref()),
        Command::Patterns {
            command: PatternsCommand::Check { dir },
        } => {
            let patterns = Patterns::load_dir(&dir).context("invalid patterns")?;
            println!("{}: ok, {} tables", dir.display(), patterns.tables.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Patterns {
            command: PatternsCommand::List { patterns },
        } => list_patterns(patterns.as_ref()),
    }
}

/// `gongkai check OUT`: the checks run again on an output folder.
fn recheck(output: &Path, patterns: Option<&PathBuf>) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let summary = gongkai::pipeline::rerun::rerun(output, &patterns)
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

/// `gongkai reconcile OUT… [-o DIR]`: the comparisons across reports.
fn reconcile(
    outputs: &[PathBuf],
    output: Option<&Path>,
    patterns: Option<&PathBuf>,
) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let target = output.unwrap_or_else(|| outputs[0].as_path());
    let summary = gongkai::pipeline::across::reconcile_folders(outputs, output, &patterns)
        .with_context(|| format!("cannot reconcile into {}", target.display()))?;
    eprintln!(
        "gongkai: {} reports, {} of {} facts kept, {} comparisons: {} agree, {} differ, {} without counterpart (see {}/{})",
        summary.reports,
        summary.figures,
        summary.facts_read,
        summary.comparisons,
        summary.agrees,
        summary.differs,
        summary.missing,
        target.display(),
        gongkai::reconcile::FILE
    );
    Ok(ExitCode::SUCCESS)
}

/// `gongkai site OUT`: the review site of an output folder.
fn write_site(
    output: &Path,
    site: Option<PathBuf>,
    sources: Option<PathBuf>,
    images: bool,
    patterns: Option<&PathBuf>,
) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let site = site.unwrap_or_else(|| output.join("site"));
    let options = gongkai::site::SiteOptions { sources, images };
    let summary = gongkai::site::generate(output, &site, &options, &patterns)?;
    if let Some(note) = &summary.images_note {
        eprintln!("gongkai: {note}");
    }
    eprintln!(
        "gongkai: site for {} documents, {} departments, {} page images in {:.2} s → {}",
        summary.documents,
        summary.departments,
        summary.images,
        summary.elapsed.as_secs_f64(),
        site.join("index.html").display()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_layout(file: &Path, patterns: Option<&PathBuf>) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (_, document) = gongkai::read::read_document(&bytes, &patterns)
        .with_context(|| format!("{}", file.display()))?;
    write_stdout(&gongkai::layout::pdf::to_tab_layout(&document))
}

/// `gongkai patterns list`: each table's key, shape and column keys.
fn list_patterns(patterns: Option<&PathBuf>) -> anyhow::Result<ExitCode> {
    let patterns = load_patterns(patterns)?;
    let mut listing = String::new();
    for table in &patterns.tables {
        let columns: Vec<&str> = table.columns.iter().map(|c| c.key.as_str()).collect();
        let line = format!("{}\t{:?}\t{}\n", table.key, table.shape, columns.join(","));
        listing.push_str(&line);
    }
    write_stdout(&listing)
}

/// Data to stdout; a reader that closed the pipe early (`| head`) ends the
/// command quietly, with success.
fn write_stdout(text: &str) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(e).context("cannot write to stdout"),
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
