//! `cargo run`: prints the lesson's report from the kata's functions.
//!
//! `cargo run -- --echo` also prints every SQL statement as it runs, with its
//! bound values; `cargo run -- --db PATH` leaves the lesson's database in a
//! SQLite file at PATH (rebuilt each time; a file that is not the kata's own
//! is refused); `cargo run -- --diagram` prints the models' schema as a
//! Mermaid diagram.
//!
//! Whatever it prints, its last lines say where to go next: the step to
//! finish, its file and the command that checks it; once the report is
//! complete, the locked tasks.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use models_kata::dbfile::{self, Written};
use models_kata::orm::Engine;
use models_kata::report::{self, Problem};
use models_kata::{diagram, steps};

const USAGE: &str = "usage: cargo run [--features solutions] [-- [--echo] [--db PATH] | --diagram]";

/// The last lines of an unfinished report: the first unfinished step is next.
fn unfinished(problems: &[Problem]) -> String {
    let next = problems.first().map_or(steps::MODELS, |p| *p.step);
    format!("\nNot complete yet.\n{}", next.next_line())
}

fn main() -> ExitCode {
    let mut echo = false;
    let mut show_diagram = false;
    let mut db: Option<PathBuf> = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        match arg.to_str().unwrap_or_default() {
            "--echo" => echo = true,
            "--diagram" => show_diagram = true,
            "--db" => match args.next() {
                Some(path) if !path.is_empty() => db = Some(PathBuf::from(path)),
                Some(_) => {
                    eprintln!("--db needs a file path, and the one given is empty\n{USAGE}");
                    return ExitCode::from(2);
                }
                None => {
                    eprintln!("--db needs a file path\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            // `cargo run -- --diagram --features solutions` hands the
            // feature to the kata instead of to cargo.
            "--features" => {
                eprintln!(
                    "--features is cargo's, not the kata's: put it before `--`, \
                     as in `cargo run --features solutions -- --diagram`\n{USAGE}"
                );
                return ExitCode::from(2);
            }
            _ => {
                eprintln!("unknown argument `{}`\n{USAGE}", arg.to_string_lossy());
                return ExitCode::from(2);
            }
        }
    }

    // Unfinished steps panic with `todo!()`; the report turns each into one
    // friendly line, so the default panic message and backtrace stay quiet.
    std::panic::set_hook(Box::new(|_| {}));

    if show_diagram {
        return print_diagram();
    }

    if let Some(path) = db {
        return write_file(&path, echo);
    }

    let engine = match Engine::in_memory() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("could not open an in-memory database: {e}");
            return ExitCode::FAILURE;
        }
    };
    if echo {
        engine.echo_to(Some(Box::new(io::stdout())));
    }

    let mut stdout = io::stdout();
    match report::run(&engine, &mut stdout) {
        Ok(problems) if problems.is_empty() => {
            // stdout is the lesson's report, byte for byte; the way on goes
            // to stderr, which still ends the screen.
            let _ = stdout.flush();
            eprint!("\n{}", steps::locked_tasks_text());
            ExitCode::SUCCESS
        }
        Ok(problems) => {
            let _ = writeln!(stdout, "{}", unfinished(&problems));
            ExitCode::FAILURE
        }
        // The reader went away (`cargo run | head`): nothing left to say.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("could not write the report: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--db PATH`: the report, run in memory, then written to the file at
/// `path`. The file is the product: it is written whatever happens to stdout
/// (`| head -1`).
fn write_file(path: &std::path::Path, echo: bool) -> ExitCode {
    let mut stdout = io::stdout();
    if echo {
        eprintln!("note: --echo is ignored with --db");
    }
    let (said, code) = match dbfile::write_lesson_db(path, &mut stdout) {
        Ok(Written::Complete) => (
            writeln!(stdout, "\nWrote the database to {}.", path.display()),
            ExitCode::SUCCESS,
        ),
        Ok(Written::Unfinished(problems)) => (
            writeln!(
                stdout,
                "{}\nThe database file was not written.",
                unfinished(&problems)
            ),
            ExitCode::FAILURE,
        ),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    match said.and_then(|()| stdout.flush()) {
        // The reader went away: the file is written, nothing left to say.
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            let file = if code == ExitCode::SUCCESS {
                format!("the database was written to {}", path.display())
            } else {
                "the database file was not written".to_owned()
            };
            eprintln!("could not print the report ({e}); {file}");
            ExitCode::FAILURE
        }
        _ => code,
    }
}

/// `--diagram`: the schema of the learner's models, as a Mermaid `erDiagram`;
/// while step 1 is unfinished, what to do first.
fn print_diagram() -> ExitCode {
    match diagram::lesson_diagram_or_next_step() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(next) => {
            println!("{next}");
            ExitCode::FAILURE
        }
    }
}
