//! The `ftrlint` command line: arguments → library → exit code.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ftrlint::rules::meta::Profile;
use ftrlint::rules::select::{split_list, Selection};
use ftrlint::{docs, report, scan, CliSource, Config};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "ftrlint",
    version,
    about = "Checks Terraform and CloudFormation against the AWS Foundational Technical Review (FTR)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (default: the current directory).
    ///
    /// Exit codes: 0 no findings, 1 findings, 2 usage error or a file that could not be read
    /// or parsed (reported in `errors`; the rest of the scan still runs).
    Scan {
        /// Directories and files. A named `.tf` file is evaluated with its module directory,
        /// but only findings in the named files are reported (pre-commit mode).
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Deployment profile: which FTR requirements apply.
        #[arg(long, value_enum, default_value = "partner-hosted")]
        profile: Profile,
        /// Terraform variable value, NAME=VALUE (repeatable).
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_pair)]
        vars: Vec<(String, String)>,
        /// Terraform variable file (`.tfvars`, `.tfvars.json`) for the root modules (repeatable). With `--var`,
        /// later arguments win, as in Terraform; `TF_VAR_name` variables are read too.
        #[arg(long = "var-file", value_name = "FILE")]
        var_files: Vec<PathBuf>,
        /// CloudFormation parameter value, NAME=VALUE (repeatable).
        #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parse_pair)]
        parameters: Vec<(String, String)>,
        /// CloudFormation parameters file: the CLI's `[{"ParameterKey","ParameterValue"}]`
        /// list or a `{"Parameters": {...}}` object (`--parameter` wins over it).
        #[arg(long = "parameters-file", value_name = "FILE")]
        parameters_file: Option<PathBuf>,
        /// Rules to run: IDs, prefixes or globs, comma-separated or repeated
        /// (`FTR-ENC-001,FTR-CT-*`, `FTR-XA`, `ALL`; default: every rule of the profile).
        #[arg(long, value_name = "RULES")]
        select: Vec<String>,
        /// Rules not to run (same forms as `--select`; wins over it).
        #[arg(long, value_name = "RULES")]
        ignore: Vec<String>,
        /// Print evaluation statistics (expressions known/unknown, graph size) to stderr.
        #[arg(long)]
        stats: bool,
        /// Worker threads, 1 to 256 (default: one per core).
        #[arg(long, value_parser = parse_threads)]
        threads: Option<usize>,
    },
    /// List the implemented rules: ID, severity, profiles, formats and title (JSON: also the
    /// FTR requirement and references).
    Rules {
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Explain a rule: the FTR requirement, what is checked, why, how to fix it in Terraform and
    /// CloudFormation, compliant examples and the FTR references.
    ///
    /// Exit code 2 for an unknown rule ID (the closest IDs are listed).
    Explain {
        /// Rule ID, e.g. FTR-XA-002 (case-insensitive; the `FTR-` prefix may be left out).
        id: String,
    },
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=ftrlint::scan::MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected a number of threads from 1 to {}, got `{s}`",
            ftrlint::scan::MAX_THREADS
        )),
    }
}

/// Writes the report to stdout. A closed pipe (`| head`) is the reader's choice, not an error;
/// any other write error (a full disk) is.
fn write_report(text: &str) -> Result<(), std::io::Error> {
    let mut stdout = std::io::stdout().lock();
    let r = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    // Command-line order of `--var` and `--var-file` (later ones win).
    let mut order: Vec<(usize, CliSource)> = Vec::new();
    if let Some(("scan", m)) = matches.subcommand() {
        if let Some(ix) = m.indices_of("vars") {
            order.extend(ix.enumerate().map(|(n, at)| (at, CliSource::Var(n))));
        }
        if let Some(ix) = m.indices_of("var_files") {
            order.extend(ix.enumerate().map(|(n, at)| (at, CliSource::File(n))));
        }
    }
    order.sort_by_key(|(at, _)| *at);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Scan {
            paths,
            format,
            profile,
            vars,
            var_files,
            parameters,
            parameters_file,
            select,
            ignore,
            stats,
            threads,
        } => {
            let select = split_list(&select);
            let rules = Selection {
                select: (!select.is_empty()).then_some(select),
                ignore: split_list(&ignore),
            };
            let ids: Vec<&str> = ftrlint::rules::meta::all()
                .iter()
                .map(|m| m.id.as_str())
                .collect();
            let unmatched = rules.unmatched(&ids);
            if !unmatched.is_empty() {
                eprintln!(
                    "error: no rule matches {} (see `ftrlint rules`)",
                    unmatched
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                return ExitCode::from(2);
            }
            let mut config = Config {
                paths,
                profile,
                threads,
                rules,
                ..Config::default()
            };
            config.terraform.vars = vars;
            config.terraform.var_files = var_files;
            config.terraform.order = order.into_iter().map(|(_, s)| s).collect();
            let mut env: Vec<(String, String)> = std::env::vars()
                .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_string(), v)))
                .filter(|(k, _)| !k.is_empty())
                .collect();
            env.sort();
            config.terraform.env = env;
            config.cloudformation.parameters = parameters.into_iter().collect();
            // Inputs named on the command line are checked once, before the scan: an unusable
            // one stops it (its values would change the results), reported in the chosen format.
            let mut problems: Vec<(String, String)> = Vec::new();
            for f in &config.terraform.var_files {
                if let Err(e) = ftrlint::check_input_file(f) {
                    problems.push((f.display().to_string(), format!("--var-file: {e}")));
                }
            }
            if let Some(path) = parameters_file {
                match ftrlint::read_parameters_file(&path) {
                    Ok(values) => {
                        config.cloudformation.parameters_file =
                            Some((path.display().to_string(), values));
                    }
                    Err(e) => problems.push((path.display().to_string(), e)),
                }
            }
            let started = std::time::Instant::now();
            let report = if problems.is_empty() {
                scan(&config)
            } else {
                for (_, e) in &problems {
                    eprintln!("error: {e}");
                }
                scan::input_failure(&config, &problems)
            };
            let text = match format {
                Format::Human => report::human::render(&report, report::human::use_color()),
                Format::Json => report::json::render(&report),
            };
            if let Err(e) = write_report(&text) {
                eprintln!("error: cannot write the report: {e}");
                return ExitCode::from(2);
            }
            if stats {
                let s = &report.stats;
                eprintln!(
                    "stats: {} files, {} resources, {} graph edges, {} expressions evaluated, {} unknown ({:.1}%), {:.1} ms",
                    report.summary.files_scanned,
                    report.summary.resources,
                    report.graph_edges,
                    s.expressions,
                    s.unknown,
                    if s.expressions == 0 { 0.0 } else { 100.0 * s.unknown as f64 / s.expressions as f64 },
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            let code = report.exit_code() as u8;
            // The process ends here: let the OS reclaim the parse trees instead of freeing them
            // one by one.
            std::mem::forget(report);
            ExitCode::from(code)
        }
        Command::Rules { format } => {
            print(&match format {
                Format::Human => docs::rules_human(),
                Format::Json => docs::rules_json(),
            });
            ExitCode::SUCCESS
        }
        Command::Explain { id } => match docs::lookup(&id) {
            Ok(m) => {
                print(&docs::explain(m));
                ExitCode::SUCCESS
            }
            Err(close) => {
                eprintln!("error: {}", docs::unknown_rule_message(&id, &close));
                ExitCode::from(2)
            }
        },
    }
}
