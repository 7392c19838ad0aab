//! The `dolbom` command line: serve, migrate, demo, admin.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::auth::Role;
use crate::auth::accounts::{check_display_name, check_email, check_new_password};
use crate::auth::{accounts, admin_store};
use crate::config::{Config, ServeArgs};
use crate::demo::{self, DemoOptions};
use crate::directory::hsds_io;
use crate::directory::import::{self, services_csv};
use crate::directory::store as directory_store;
use crate::error::{AppError, FieldErrors};
use crate::i18n;
use crate::i18n::Locale;
use crate::keys::random_token;
use crate::server::{SecretFallback, prepare, prepare_with, serve, shutdown_signal};

#[derive(Parser, Debug)]
#[command(name = "dolbom", version, about = "돌봄: one-stop care and welfare platform for a Korean 시·군·구")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web pages and the API (migrations are applied first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Seed the demo municipality (서울특별시 노원구) if the database is empty, then serve.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// Seed of the generator: the same seed gives the same residents and households.
        #[arg(long, default_value_t = demo::DEFAULT_SEED)]
        seed: u64,
    },
    /// Import data into the directory.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export the directory.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// One allocation round from a JSON file (format in the README): child-proposing deferred acceptance with the
    /// centres' rankings or class, points and the published lottery. Writes the assignments with each child's
    /// explanation; a bad input is reported entry by entry and nothing is written.
    Allocate {
        #[arg(long)]
        input: std::path::PathBuf,
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Links agencies' recipient lists (CSV: record_id,source,name,birth_date,phone,address; UTF-8 or CP949): the
    /// records that are the same person share a cluster. Writes record_id,cluster_id,score; a file with broken
    /// rows is reported row by row and nothing is written.
    Link {
        #[arg(long)]
        input: std::path::PathBuf,
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Back the database up to FILE (SQLite: an online copy; PostgreSQL: pg_dump's custom format). The key file
    /// is not included: keep it, and its own backup, apart.
    Backup { file: std::path::PathBuf },
    /// Replace the database with the backup in FILE (stop the server first).
    Restore { file: std::path::PathBuf },
    /// The route table as JSON (method, path, and the roles let in; null for everyone), for the browser crawler
    /// and for reviewing who may do what.
    Routes,
    /// Administration from the shell.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand, Debug)]
enum ImportCommand {
    /// Services from a CSV file in UTF-8 or CP949/EUC-KR (detected); the columns are documented in
    /// crates/dolbom/src/directory/import/services_csv.rs. Bad rows are reported by line; the rest are imported.
    ServicesCsv { file: std::path::PathBuf },
    /// Open Referral HSDS 3.0: a folder with services.json (and organizations.json, …), one services file, or a
    /// tabular data package (datapackage.json with CSV files). Every record is validated against the HSDS schemas;
    /// invalid ones are reported by JSON pointer or CSV row.
    Hsds { path: std::path::PathBuf },
    /// 어린이집 in the public-data layout (서울 열린데이터광장 「어린이집 정보(표준 데이터)」), UTF-8 or CP949. Centres
    /// in operation are imported with their coordinates; rows without usable coordinates are reported by line.
    Facilities { file: std::path::PathBuf },
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// Open Referral HSDS 3.0 JSON files into a folder.
    Hsds { dir: std::path::PathBuf },
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an account with a role. Without --password a random one is printed once.
    CreateUser {
        #[arg(long)]
        email: String,
        /// resident, provider_staff, caregiver, welfare_worker, group_leader, official or admin.
        #[arg(long)]
        role: String,
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, env = "DOLBOM_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Organization name (created if missing).
        #[arg(long)]
        organization: Option<String>,
        /// 행정동 code (adm_cd2) the account is scoped to; repeat for several.
        #[arg(long = "area")]
        areas: Vec<String>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // A pure function of two files: no logging thread, no runtime to start.
    let offline = match &cli.command {
        Command::Allocate { input, output } => Some(crate::files::allocate(input, output)),
        Command::Link { input, output } => Some(crate::files::link(input, output)),
        Command::Routes => Some(print_routes()),
        _ => None,
    };
    if let Some(done) = offline {
        return match done {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dolbom: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let _log_flusher = init_tracing(&cli.config.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("dolbom: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dolbom: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_routes() -> anyhow::Result<()> {
    let table = crate::routes::table_json();
    // Written, not printed: a closed pipe (`dolbom routes | head`) is an error to report, not a panic.
    let mut out = std::io::stdout().lock();
    std::io::Write::write_all(&mut out, serde_json::to_string_pretty(&table)?.as_bytes())?;
    std::io::Write::write_all(&mut out, b"\n")?;
    Ok(())
}

/// Logs go to stderr through a writer thread, so a request never waits on the terminal or the log collector.
/// It blocks instead of dropping lines when far behind; the returned guard flushes at exit.
fn init_tracing(format: &str) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOLBOM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tantivy=warn,tower_http=info"));
    let (writer, guard) =
        tracing_appender::non_blocking::NonBlockingBuilder::default().lossy(false).finish(std::io::stderr());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(ansi);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
    guard
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let state = prepare(&cli.config).await?;
            listen_and_serve(state, &args).await
        }
        Command::Allocate { input, output } => crate::files::allocate(&input, &output),
        Command::Link { input, output } => crate::files::link(&input, &output),
        Command::Routes => print_routes(),
        Command::Backup { file } => {
            crate::backup::backup(&cli.config.database_url, &file).await?;
            println!("{}: backed up (the key file is not in it: keep it apart)", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            crate::backup::restore(&cli.config.database_url, &file).await?;
            println!("{}: restored", file.display());
            Ok(())
        }
        Command::Migrate => {
            prepare(&cli.config).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Demo { serve, seed } => {
            let state = prepare_with(&cli.config, SecretFallback::DatabaseForDemo).await?;
            let seeded = demo::seed_if_empty(&state, &DemoOptions { seed, ..DemoOptions::default() }).await?;
            match seeded {
                Some(summary) => println!("{summary}"),
                None => println!("the database already holds data: not seeding"),
            }
            println!("{}", demo::logins_text());
            listen_and_serve(state, &serve).await
        }
        Command::Import { what: ImportCommand::ServicesCsv { file } } => {
            let state = prepare(&cli.config).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (text, encoding) = services_csv::decode(&bytes);
            let rows = services_csv::parse(&text);
            let progress = indicatif::ProgressBar::new(rows.len() as u64);
            directory_store::seed_taxonomies(&state.db).await?;
            let report = import::write_with_progress(&state.db, state.municipality(), rows, &progress).await?;
            progress.finish_and_clear();
            println!(
                "{}: read as {encoding}; {} services imported, {} rows refused",
                file.display(),
                report.imported,
                report.errors.len()
            );
            for error in &report.errors {
                println!("  line {}: {}", error.line, error.message);
            }
            if report.errors.is_empty() { Ok(()) } else { anyhow::bail!("{} rows were refused", report.errors.len()) }
        }
        Command::Import { what: ImportCommand::Facilities { file } } => {
            let state = prepare(&cli.config).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let (text, encoding) = services_csv::decode(&bytes);
            let parsed = crate::places::import::parse(&text, &state.areas);
            let progress = indicatif::ProgressBar::new(0);
            let report = crate::places::import::write(&state.db, state.municipality(), parsed, &progress).await?;
            progress.finish_and_clear();
            println!(
                "{}: read as {encoding}; {} facilities imported, {} closed ones skipped, {} rows refused",
                file.display(),
                report.imported,
                report.skipped,
                report.errors.len()
            );
            for error in &report.errors {
                println!("  line {}: {}", error.line, error.message);
            }
            if report.errors.is_empty() { Ok(()) } else { anyhow::bail!("{} rows were refused", report.errors.len()) }
        }
        Command::Import { what: ImportCommand::Hsds { path } } => {
            let state = prepare(&cli.config).await?;
            let progress = indicatif::ProgressBar::new(0);
            let report = hsds_io::import_with_progress(&state.db, state.municipality(), &path, &progress).await?;
            progress.finish_and_clear();
            println!(
                "{}: {} services and {} organizations imported, {} problems",
                path.display(),
                report.services,
                report.organizations,
                report.invalid.len()
            );
            for problem in &report.invalid {
                println!("  {}: {}", problem.pointer, problem.reason);
            }
            if report.invalid.is_empty() {
                Ok(())
            } else {
                anyhow::bail!("{} records were refused", report.invalid.len())
            }
        }
        Command::Export { what: ExportCommand::Hsds { dir } } => {
            let state = prepare(&cli.config).await?;
            let report = hsds_io::export(&state.db, state.municipality(), &dir).await?;
            println!(
                "{}: {} services and {} organizations written",
                dir.display(),
                report.services,
                report.organizations
            );
            for problem in &report.invalid {
                println!("  {}: {}", problem.pointer, problem.reason);
            }
            if report.invalid.is_empty() { Ok(()) } else { anyhow::bail!("the export does not validate") }
        }
        Command::Admin { command: AdminCommand::CreateUser { email, role, name, password, organization, areas } } => {
            let state = prepare(&cli.config).await?;
            let role: Role = role.parse().map_err(|_| {
                anyhow::anyhow!("unknown role {role}; one of: {}", Role::ALL.map(|r| r.as_str()).join(", "))
            })?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(|| random_token()[..20].to_string());
            let display = if name.is_empty() { email.clone() } else { name };
            check_new_user(&state, &email, &display, &password, role, organization.is_some(), &areas)?;
            let org_id = match organization {
                Some(name) => Some(find_or_create_org(&state, &name).await?),
                None => None,
            };
            let id = accounts::create(
                &state.db,
                state.municipality(),
                &email,
                &display,
                &password,
                role,
                org_id.as_deref(),
                Locale::Ko,
            )
            .await
            .map_err(|e| explain(&email, e))?;
            admin_store::replace_areas(&state.db, &id, &areas).await?;
            println!("created {email} ({role}) with id {id}");
            if generated {
                println!("password: {password}");
            }
            Ok(())
        }
    }
}

/// The same rules as the admin page, reported per field in Korean and English.
fn check_new_user(
    state: &crate::app::AppState,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
    has_organization: bool,
    areas: &[String],
) -> anyhow::Result<()> {
    let mut errors = FieldErrors::default();
    check_email(&mut errors, email);
    check_display_name(&mut errors, name);
    check_new_password(&mut errors, "password", password, email);
    if role.needs_organization() && !has_organization {
        errors.add("organization", "field-organization-required");
    }
    if areas.iter().any(|a| state.areas.get(a).is_none()) {
        errors.add("area", "field-choice-invalid");
    } else if role.needs_areas() && areas.is_empty() {
        errors.add("area", "field-areas-required");
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(anyhow::anyhow!(describe(&errors)))
}

fn describe(errors: &FieldErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| format!("--{}: {} / {}", e.field, i18n::t(Locale::Ko, e.code), i18n::t(Locale::En, e.code)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn explain(email: &str, error: AppError) -> anyhow::Error {
    match error {
        AppError::Invalid(errors) => anyhow::anyhow!("cannot create {email}:\n{}", describe(&errors)),
        other => anyhow::anyhow!("cannot create {email}: {other}"),
    }
}

async fn find_or_create_org(state: &crate::app::AppState, name: &str) -> anyhow::Result<String> {
    let existing = admin_store::organizations(&state.db, state.municipality()).await?;
    if let Some(org) = existing.into_iter().find(|o| o.name == name) {
        return Ok(org.id);
    }
    admin_store::create_organization(&state.db, state.municipality(), name, "government")
        .await?
        .context("organization appeared concurrently; run again")
}

async fn listen_and_serve(state: crate::app::AppState, args: &ServeArgs) -> anyhow::Result<()> {
    let shutdown = shutdown_signal();
    let listener = TcpListener::bind(args.addr).await.with_context(|| format!("listening on {}", args.addr))?;
    tracing::info!(addr = %args.addr, backend = ?state.db.backend(), "dolbom is serving");
    serve(state, listener, !args.no_jobs, shutdown).await
}
