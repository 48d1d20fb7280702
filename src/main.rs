//! The `ccu-workbench` binary: the GUI with no arguments, the command line otherwise.

fn main() -> std::process::ExitCode {
    ccu_workbench::cli::main_entry()
}
