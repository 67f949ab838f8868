//! The `ftrlint` command line: arguments → library → exit code.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use ftrlint::rules::meta::Profile;
use ftrlint::rules::select::{split_list, Selection};
use ftrlint::scan::Gates;
use ftrlint::severity::Severity;
use ftrlint::{docs, report, scan, CliSource, Config, VarFile};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// mimalloc: ~15 % fewer instructions than glibc malloc on a scan (parsers and evaluators
// allocate many small, short-lived values); see BENCHMARKS.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

/// Formats of `ftrlint rules`.
#[derive(Clone, Copy, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

/// Whether input errors fail the run.
#[derive(Clone, Copy, ValueEnum)]
enum ErrorPolicy {
    /// Exit 2 when a file cannot be read or parsed (default).
    Fail,
    /// Report input errors but do not let them decide the exit code.
    Warn,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and directories (default: the current directory).
    ///
    /// Exit codes: 0 no findings (at or above `--fail-on`), 1 findings, 2 usage error, a file
    /// that could not be read or parsed (reported in `errors`; the rest of the scan still runs;
    /// see `--errors`), or nothing to scan with an explicit `--fail-on`.
    Scan(Box<ScanArgs>),
    /// List the implemented rules: ID, severity, profiles, formats and title (JSON: also the
    /// FTR requirement and references).
    Rules {
        #[arg(long, value_enum, default_value = "human")]
        format: ListFormat,
    },
    /// Explain a rule: the FTR requirement, what is checked, why, how to fix it in Terraform and
    /// CloudFormation, compliant examples and the FTR references.
    ///
    /// Exit code 2 for an unknown rule ID (the closest IDs are listed).
    Explain {
        /// Rule ID, e.g. FTR-XA-002 (case-insensitive; the `FTR-` prefix may be left out).
        id: String,
    },
    /// The FTR readiness report: one row per FTR requirement of the profile with its status
    /// (violations, unverified, verified, no resources, attest manually) and evidence, as HTML,
    /// Markdown or CSV (the self-assessment worksheet's columns).
    ///
    /// Exit codes: 0 report written (whatever it says), 2 usage error, no file could be scanned
    /// (the report is still written) or the report could not be written.
    Report(Box<ReportArgs>),
    /// The architecture diagram: resources grouped by service, references as edges, VPC and
    /// subnet clusters, findings marked; as Graphviz dot, Mermaid or JSON.
    Graph(Box<GraphArgs>),
    /// Baselines: accept today's findings, report only new ones (`scan --baseline FILE`).
    Baseline {
        #[command(subcommand)]
        action: BaselineAction,
    },
}

#[derive(Subcommand)]
enum BaselineAction {
    /// Scan (same options as `scan`) and record the findings by fingerprint in the file given
    /// with `-o` (default `.ftrlint-baseline.json`).
    Create(Box<ScanArgs>),
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

#[derive(Args)]
struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format (repeatable: several reports from one scan; each `--output` after a
    /// `--format` writes that format to the file; a format without one goes to stdout).
    #[arg(long, value_enum)]
    format: Vec<report::Format>,
    /// Write the report of the preceding `--format` to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Vec<PathBuf>,
    /// Report only findings that are not in this baseline (`ftrlint baseline create`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Fail (exit 1) only on findings at least this severe (default: low, any finding).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<Severity>,
    /// Hide findings less severe than this from every report.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    min_severity: Option<Severity>,
    /// Exit 0 even when there are findings (input errors still follow `--errors`).
    #[arg(long)]
    exit_zero: bool,
    /// Whether files that cannot be read or parsed fail the run (default: fail).
    #[arg(long, value_enum)]
    errors: Option<ErrorPolicy>,
    /// Print evaluation statistics (expressions known/unknown, graph size) to stderr.
    #[arg(long)]
    stats: bool,
}

/// What to scan and how to evaluate it: shared by `scan`, `report` and `graph`.
#[derive(Args)]
struct InputArgs {
    /// Directories and files. A named `.tf` file is evaluated with its module directory,
    /// but only findings in the named files are reported (pre-commit mode).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Settings file (default: the nearest `.ftrlint.toml` from the first path up to the git
    /// work tree root). Command-line options win over it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Do not read a `.ftrlint.toml`.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// Leave out files matching a gitignore-style pattern, relative to the current directory
    /// (repeatable; `examples/`, `**/*.test.yaml`).
    #[arg(long, value_name = "PATTERN")]
    exclude: Vec<String>,
    /// Deployment profile: which FTR requirements apply (default: partner-hosted).
    #[arg(long, value_enum)]
    profile: Option<Profile>,
    /// Terraform variable value, NAME=VALUE (repeatable); DIR:NAME=VALUE sets it for the root
    /// module in DIR only.
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
    /// Worker threads, 1 to 256 (default: one per core).
    #[arg(long, value_parser = parse_threads)]
    threads: Option<usize>,
    /// Guard policy file, or directory of `*.guard` files (repeatable; added to `policies` of
    /// `.ftrlint.toml`). Each failing Guard rule is a finding `GUARD:<file>:<rule>`.
    #[arg(long = "policy", value_name = "PATH")]
    policies: Vec<PathBuf>,
}

#[derive(Args)]
struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Report format.
    #[arg(long, value_enum, default_value = "html")]
    format: ftrlint::readiness::Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct GraphArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Diagram format.
    #[arg(long, value_enum, default_value = "dot")]
    format: ftrlint::diagram::Format,
    /// Write the diagram to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Pairs each `--format` with the `--output` that follows it (before the next `--format`);
/// `order` lists the command-line positions of both options. No format: human to stdout.
#[allow(clippy::type_complexity)]
fn pair_outputs(
    formats: &[report::Format],
    outputs: &[PathBuf],
    order: &[(usize, bool)],
) -> Result<Vec<(report::Format, Option<PathBuf>)>, String> {
    let mut targets: Vec<(report::Format, Option<PathBuf>)> = Vec::new();
    let (mut f, mut o) = (0, 0);
    for (_, is_output) in order {
        if *is_output {
            let path = outputs.get(o).cloned();
            o += 1;
            match targets.last_mut() {
                Some((_, slot @ None)) => *slot = path,
                Some((_, Some(_))) => {
                    return Err("two --output for one --format".into());
                }
                // `--output` alone: the default format to that file.
                None => targets.push((report::Format::Human, path)),
            }
        } else if let Some(fmt) = formats.get(f) {
            f += 1;
            targets.push((*fmt, None));
        }
    }
    if targets.is_empty() {
        targets.push((report::Format::Human, None));
    }
    if targets.iter().filter(|(_, out)| out.is_none()).count() > 1 {
        return Err(
            "more than one --format writes to stdout: give each but one an --output".into(),
        );
    }
    Ok(targets)
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
/// The JSON report, written to `file` or standard output as it is serialised.
fn write_json(report: &scan::Report, file: Option<&Path>) -> Result<(), std::io::Error> {
    let r = match file {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            report::json::write(report, &mut w).and_then(|()| w.flush())
        }),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            report::json::write(report, &mut w).and_then(|()| w.flush())
        }
    };
    match r {
        Err(e) if file.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r,
    }
}

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
    if let Some(("scan" | "report" | "graph", m)) = matches.subcommand() {
        if let Some(ix) = m.indices_of("vars") {
            order.extend(ix.enumerate().map(|(n, at)| (at, CliSource::Var(n))));
        }
        if let Some(ix) = m.indices_of("var_files") {
            order.extend(ix.enumerate().map(|(n, at)| (at, CliSource::File(n))));
        }
    }
    order.sort_by_key(|(at, _)| *at);
    // Each `--output` belongs to the `--format` before it.
    let mut outputs: Vec<(usize, bool)> = Vec::new(); // (index, is_output)
    if let Some(("scan", m)) = matches.subcommand() {
        if let Some(ix) = m.indices_of("format") {
            outputs.extend(ix.map(|at| (at, false)));
        }
        if let Some(ix) = m.indices_of("output") {
            outputs.extend(ix.map(|at| (at, true)));
        }
    }
    outputs.sort_by_key(|(at, _)| *at);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match cli.command {
        Command::Scan(args) => run_scan(args, order, &outputs, None),
        Command::Report(args) => run_report(*args, order),
        Command::Graph(args) => run_graph(*args, order),
        Command::Baseline {
            action: BaselineAction::Create(mut args),
        } => {
            let path = args
                .output
                .pop()
                .unwrap_or_else(|| PathBuf::from(".ftrlint-baseline.json"));
            args.format.clear();
            run_scan(args, order, &[], Some(path))
        }
        Command::Rules { format } => {
            print(&match format {
                ListFormat::Human => docs::rules_human(),
                ListFormat::Json => docs::rules_json(),
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

/// Scans as `args` say and writes the reports; with `baseline_out`, writes the findings as a
/// baseline there instead (`ftrlint baseline create`).
/// A scan ready to run: its configuration, the settings file it came with, and the unusable
/// inputs named on the command line (the scan then does not run).
struct Prepared {
    config: Config,
    file: ftrlint::config_file::FileConfig,
    problems: Vec<(String, String)>,
}

/// The scan configuration from the shared options and `.ftrlint.toml` (command line wins).
fn configure(input: InputArgs, order: Vec<(usize, CliSource)>) -> Result<Prepared, ExitCode> {
    let InputArgs {
        paths,
        config: config_path,
        no_config,
        exclude,
        profile,
        vars,
        var_files,
        parameters,
        parameters_file,
        select,
        ignore,
        threads,
        policies,
    } = input;
    // `.ftrlint.toml`: command-line options win over it.
    let file_cfg = if no_config {
        None
    } else {
        let found =
            config_path.or_else(|| paths.first().and_then(|p| ftrlint::config_file::find(p)));
        match found.map(|p| ftrlint::config_file::load(&p)) {
            None => None,
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        }
    };
    let cfg = file_cfg.unwrap_or_default();
    let profile = profile.or(cfg.profile).unwrap_or(Profile::PartnerHosted);
    let select = if select.is_empty() {
        cfg.select.clone().unwrap_or_default()
    } else {
        select
    };
    let ignore = if ignore.is_empty() {
        cfg.ignore.clone().unwrap_or_default()
    } else {
        ignore
    };
    let mut excludes: Vec<(PathBuf, String)> = cfg
        .exclude
        .iter()
        .map(|p| (cfg.dir.clone(), p.clone()))
        .collect();
    excludes.extend(exclude.into_iter().map(|p| (PathBuf::from("."), p)));
    for (root, pattern) in &excludes {
        let mut b = ignore::gitignore::GitignoreBuilder::new(root);
        if let Err(e) = b.add_line(None, pattern) {
            eprintln!("error: exclude pattern `{pattern}`: {e}");
            return Err(ExitCode::from(2));
        }
    }
    // Config values come first, so the command line's later ones win (as Terraform's order).
    let mut cfg_files: Vec<VarFile> = cfg
        .terraform
        .var_files
        .iter()
        .map(|p| VarFile::from(cfg.resolve(p)))
        .collect();
    let mut cfg_vars: Vec<(String, String)> = cfg
        .terraform
        .vars
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // Per-root variables become scoped `--var DIR:NAME=VALUE`s, per-root files scoped files.
    for (dir, root) in &cfg.terraform.roots {
        let dir = cfg.resolve(Path::new(dir));
        cfg_files.extend(root.var_files.iter().map(|p| VarFile {
            path: cfg.resolve(p),
            root: Some(dir.clone()),
        }));
        cfg_vars.extend(
            root.vars
                .iter()
                .map(|(k, v)| (format!("{}:{k}", dir.display()), v.clone())),
        );
    }
    let mut order: Vec<CliSource> = order.into_iter().map(|(_, s)| s).collect();
    if !order.is_empty() || !cfg_files.is_empty() || !cfg_vars.is_empty() {
        let (nf, nv) = (cfg_files.len(), cfg_vars.len());
        let cli_order: Vec<CliSource> = if order.is_empty() {
            (0..var_files.len())
                .map(CliSource::File)
                .chain((0..vars.len()).map(CliSource::Var))
                .collect()
        } else {
            std::mem::take(&mut order)
        };
        order = (0..nf)
            .map(CliSource::File)
            .chain((0..nv).map(CliSource::Var))
            .chain(cli_order.into_iter().map(|s| match s {
                CliSource::File(i) => CliSource::File(i + nf),
                CliSource::Var(i) => CliSource::Var(i + nv),
            }))
            .collect();
    }
    let var_files: Vec<VarFile> = cfg_files
        .into_iter()
        .chain(var_files.into_iter().map(VarFile::from))
        .collect();
    let vars: Vec<(String, String)> = cfg_vars.into_iter().chain(vars).collect();
    let mut parameters: Vec<(String, String)> = parameters;
    for (k, v) in &cfg.cloudformation.parameters {
        if !parameters.iter().any(|(n, _)| n == k) {
            parameters.insert(0, (k.clone(), v.clone()));
        }
    }
    let parameters_file = parameters_file.or_else(|| {
        cfg.cloudformation
            .parameters_file
            .as_ref()
            .map(|p| cfg.resolve(p))
    });
    // Guard policies: parsed once, before the scan; a broken file stops the run (exit 2).
    let policy_paths: Vec<PathBuf> = cfg
        .policies
        .iter()
        .map(|p| cfg.resolve(p))
        .chain(policies)
        .collect();
    let policies = if policy_paths.is_empty() {
        None
    } else {
        match ftrlint::guard::policy::load(&policy_paths) {
            Ok(set) => Some(std::sync::Arc::new(set)),
            Err(e) => {
                eprintln!("error: {e}");
                return Err(ExitCode::from(2));
            }
        }
    };
    let select = split_list(&select);
    let rules = Selection {
        select: (!select.is_empty()).then_some(select),
        ignore: split_list(&ignore),
    };
    let mut ids: Vec<&str> = ftrlint::rules::meta::all()
        .iter()
        .map(|m| m.id.as_str())
        .collect();
    if let Some(set) = &policies {
        ids.extend(
            set.files
                .iter()
                .flat_map(|f| f.rules.iter().map(|r| r.id.as_str())),
        );
    }
    // `[severity]` may re-grade Guard rules: only those that exist.
    let unknown: Vec<&String> = cfg
        .severity
        .keys()
        .filter(|k| !ids.iter().any(|id| id == k))
        .collect();
    if !unknown.is_empty() {
        eprintln!(
            "error: {}: [severity] names unknown rule{} {}",
            cfg.path.display(),
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Err(ExitCode::from(2));
    }
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
        return Err(ExitCode::from(2));
    }
    let mut config = Config {
        paths,
        profile,
        threads,
        rules,
        exclude: excludes,
        policies,
        ..Config::default()
    };
    config.terraform.vars = vars;
    config.terraform.var_files = var_files;
    config.terraform.order = order;
    let mut env: Vec<(String, String)> = std::env::vars()
        .filter_map(|(k, v)| Some((k.strip_prefix("TF_VAR_")?.to_string(), v)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    env.sort();
    config.terraform.env = env;
    config.cloudformation.parameters = parameters.into_iter().collect();
    // Inputs named on the command line are checked once, before the scan: an unusable one stops
    // it (its values would change the results), reported in the chosen format.
    let mut problems: Vec<(String, String)> = Vec::new();
    for f in &config.terraform.var_files {
        if let Err(e) = ftrlint::check_input_file(&f.path) {
            problems.push((f.path.display().to_string(), format!("--var-file: {e}")));
        }
    }
    if let Some(path) = parameters_file {
        match ftrlint::read_parameters_file(&path) {
            Ok(values) => {
                config.cloudformation.parameters_file = Some((path.display().to_string(), values));
            }
            Err(e) => problems.push((path.display().to_string(), e)),
        }
    }
    Ok(Prepared {
        config,
        file: cfg,
        problems,
    })
}

/// Runs the scan of `prepared` (or the report of its unusable inputs).
fn run(prepared: &Prepared, machine_output: bool) -> scan::Report {
    let Prepared {
        config, problems, ..
    } = prepared;
    if problems.is_empty() {
        // A progress line for long scans, on an interactive terminal only: never in CI logs
        // or next to a machine format.
        let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr())
            && std::env::var_os("CI").is_none()
            && !machine_output;
        let progress = interactive.then(Progress::start);
        let report = scan(config);
        if let Some(p) = progress {
            p.stop();
        }
        report
    } else {
        for (_, e) in problems {
            eprintln!("error: {e}");
        }
        scan::input_failure(config, problems)
    }
}

fn run_scan(
    args: Box<ScanArgs>,
    order: Vec<(usize, CliSource)>,
    outputs: &[(usize, bool)],
    baseline_out: Option<PathBuf>,
) -> ExitCode {
    let ScanArgs {
        input,
        format,
        output,
        baseline,
        fail_on,
        min_severity,
        exit_zero,
        errors,
        stats,
    } = *args;
    let prepared = match configure(input, order) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let cfg = &prepared.file;
    let config = &prepared.config;
    let fail_on = fail_on.or(cfg.fail_on);
    let min_severity = min_severity.or(cfg.min_severity);
    let errors = errors.unwrap_or(match cfg.errors {
        Some(ftrlint::config_file::ErrorsSetting::Warn) => ErrorPolicy::Warn,
        _ => ErrorPolicy::Fail,
    });
    let baseline = baseline.or_else(|| cfg.baseline.as_ref().map(|b| cfg.resolve(b)));
    let started = std::time::Instant::now();
    let mut report = run(&prepared, format.iter().any(|f| f.is_machine()));
    if !cfg.severity.is_empty() {
        report.regrade(&cfg.severity);
    }
    if let Some(min) = min_severity {
        report.hide_below(min);
    }
    if let Some(path) = &baseline_out {
        let b = ftrlint::baseline::Baseline::from_report(&report);
        return match b.write(path) {
            Ok(()) => {
                eprintln!(
                    "baseline: {} finding{} recorded in {}",
                    b.findings.len(),
                    if b.findings.len() == 1 { "" } else { "s" },
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    if let Some(path) = &baseline {
        match ftrlint::baseline::Baseline::read(path) {
            Ok(b) => {
                let applied = b.apply(&mut report);
                eprintln!(
                    "baseline: {} known finding{} hidden, {} baseline entr{} fixed",
                    applied.known,
                    if applied.known == 1 { "" } else { "s" },
                    applied.fixed,
                    if applied.fixed == 1 { "y" } else { "ies" }
                );
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let targets = match pair_outputs(&format, &output, outputs) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let mut write_failed = false;
    for (fmt, file) in &targets {
        let color = file.is_none() && report::human::use_color();
        if *fmt == report::Format::Human && file.is_none() {
            // Findings and summary on stdout, input errors and notes on stderr.
            let parts = report::human::render_parts(&report, color);
            let mut r = write_report(&parts.findings);
            eprint!("{}", parts.diagnostics);
            r = r.and_then(|()| write_report(&parts.summary));
            if let Err(e) = r {
                eprintln!("error: cannot write the report: {e}");
                write_failed = true;
            }
            continue;
        }
        if *fmt == report::Format::Json {
            // Streamed: the JSON of a huge scan is never held whole in memory.
            if let Err(e) = write_json(&report, file.as_deref()) {
                match file {
                    Some(path) => eprintln!("error: cannot write {}: {e}", path.display()),
                    None => eprintln!("error: cannot write the report: {e}"),
                }
                write_failed = true;
            }
            continue;
        }
        let text = report::render(&report, *fmt, color);
        match file {
            Some(path) => {
                if let Err(e) = std::fs::write(path, text.as_bytes()) {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    write_failed = true;
                }
            }
            None => {
                if let Err(e) = write_report(&text) {
                    eprintln!("error: cannot write the report: {e}");
                    write_failed = true;
                }
            }
        }
    }
    if report.nothing_scanned() {
        eprintln!(
            "warning: no Terraform or CloudFormation file found in {}",
            config
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !report.errors.is_empty() && matches!(errors, ErrorPolicy::Warn) {
        eprintln!(
            "warning: {} input error{} (not failing the run: --errors warn)",
            report.errors.len(),
            if report.errors.len() == 1 { "" } else { "s" }
        );
    }
    let gates = Gates {
        fail_on: fail_on.unwrap_or(Severity::Low),
        errors_fail: matches!(errors, ErrorPolicy::Fail),
        exit_zero,
        require_files: fail_on.is_some(),
    };
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
    let code = if write_failed {
        2
    } else {
        report.exit_code_with(&gates) as u8
    };
    // The process ends here: let the OS reclaim the parse trees instead of freeing them
    // one by one.
    std::mem::forget(report);
    ExitCode::from(code)
}

/// `ftrlint report`: the scan with per-resource outcomes, as the FTR readiness report.
fn run_report(args: ReportArgs, order: Vec<(usize, CliSource)>) -> ExitCode {
    let ReportArgs {
        input,
        format,
        output,
    } = args;
    let mut prepared = match configure(input, order) {
        Ok(p) => p,
        Err(code) => return code,
    };
    prepared.config.detail = true;
    let mut report = run(&prepared, output.is_none());
    if !prepared.file.severity.is_empty() {
        report.regrade(&prepared.file.severity);
    }
    warn_if_empty(&report, &prepared.config);
    let readiness = ftrlint::readiness::build(&report, prepared.config.profile);
    let text = match format {
        ftrlint::readiness::Format::Html => ftrlint::readiness::html::render(&readiness),
        ftrlint::readiness::Format::Md => ftrlint::readiness::markdown::render(&readiness),
        ftrlint::readiness::Format::Csv => ftrlint::readiness::csv::render(&readiness),
    };
    let empty = report.summary.files_scanned == 0;
    std::mem::forget(report);
    finish(write_to(output.as_deref(), &text), empty)
}

/// Exit 2 when no file could be scanned (a mistyped path): the report was written, but it
/// shows nothing of the code.
fn finish(written: ExitCode, empty: bool) -> ExitCode {
    if empty && written == ExitCode::SUCCESS {
        ExitCode::from(2)
    } else {
        written
    }
}

/// `ftrlint graph`: the scan's resource graph as an architecture diagram.
fn run_graph(args: GraphArgs, order: Vec<(usize, CliSource)>) -> ExitCode {
    let GraphArgs {
        input,
        format,
        output,
    } = args;
    let mut prepared = match configure(input, order) {
        Ok(p) => p,
        Err(code) => return code,
    };
    prepared.config.detail = true;
    let report = run(&prepared, output.is_none());
    warn_if_empty(&report, &prepared.config);
    let diagram = ftrlint::diagram::Diagram::from_report(&report);
    let text = ftrlint::diagram::render(&diagram, format);
    let empty = report.summary.files_scanned == 0;
    std::mem::forget(report);
    finish(write_to(output.as_deref(), &text), empty)
}

fn warn_if_empty(report: &scan::Report, config: &Config) {
    if report.summary.files_scanned == 0 {
        eprintln!(
            "warning: no Terraform or CloudFormation file found in {}",
            config
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// Writes `text` to the file, or to stdout: exit 0, or 2 when it cannot be written.
fn write_to(path: Option<&Path>, text: &str) -> ExitCode {
    let written = match path {
        Some(p) => std::fs::write(p, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", p.display())),
        None => write_report(text).map_err(|e| format!("cannot write the report: {e}")),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// "scanning… 3 s" on stderr after the first second of a scan, cleared when it ends.
struct Progress {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    handle: std::thread::JoinHandle<()>,
}

impl Progress {
    fn start() -> Self {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let flag = done.clone();
        let handle = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let mut shown = false;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                let secs = started.elapsed().as_secs();
                if secs >= 1 && !flag.load(Ordering::Relaxed) {
                    eprint!("\rftrlint: scanning… {secs} s");
                    shown = true;
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress { done, handle }
    }

    fn stop(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.handle.join();
    }
}
