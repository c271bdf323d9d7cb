//! `mosharekat`: the staff console, and the tool commands around it (see `mosharekat --help`).

fn main() -> std::process::ExitCode {
    mosharekat::cli::main()
}
