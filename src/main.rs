//! `cargo run`: prints the lesson's report from the kata's functions.
//!
//! `cargo run -- --echo` also prints every SQL statement as it runs, with its
//! bound values.

use std::io::{self, Write};
use std::process::ExitCode;

use models_kata::orm::Engine;
use models_kata::report;

const USAGE: &str = "usage: cargo run [--features solutions] [-- --echo]";

fn main() -> ExitCode {
    let mut echo = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--echo" => echo = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    // Unfinished steps panic with `todo!()`; the report turns each into one
    // friendly line, so the default panic message and backtrace stay quiet.
    std::panic::set_hook(Box::new(|_| {}));

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
        Ok(problems) if problems.is_empty() => ExitCode::SUCCESS,
        Ok(_) => {
            let _ = writeln!(
                stdout,
                "\nNot complete yet. Open the file named on the first [todo] line above; \
                 `cargo test` shows what each step still needs."
            );
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
