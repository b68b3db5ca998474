use std::io::IsTerminal;

fn main() {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let mut out = stdout.lock();
    let mut err = std::io::stderr().lock();
    let code = nblint::cli::run(std::env::args_os(), &mut out, &mut err, tty);
    std::process::exit(code);
}
