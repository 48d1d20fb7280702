//! Reading user names and passwords: from the environment for scripts, else from the terminal
//! without echo. Passwords are zeroized when dropped.
//!
//! The password variables (`CCU_PASSWORD`, `CCU_NEW_PASSWORD`, `CCU_SECOND_PASSWORD`) are for
//! tests and CI only: a password in the environment can be read by anything that can read the
//! process's environment. [`take_passwords_from_environment`] runs first in `main`, before any
//! thread starts: it moves them into the process's own memory, and removes them
//! from the environment, so no later code or child process sees them. (The kernel's copy of
//! the environment the process started with, `/proc/<pid>/environ` on Linux, is not changed:
//! that is why the variables are not for real use.)

use anyhow::{Context, Result, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The password variables, as read at start-up, for the life of the (short) command.
static PASSWORDS: Mutex<Vec<(&'static str, Zeroizing<String>)>> = Mutex::new(Vec::new());

const PASSWORD_VARIABLES: [&str; 3] = ["CCU_PASSWORD", "CCU_NEW_PASSWORD", "CCU_SECOND_PASSWORD"];

/// Moves the password variables out of the environment. Called first in `main`, while the
/// process has one thread (removing a variable is only sound then).
pub fn take_passwords_from_environment() {
    let mut taken = Vec::new();
    for name in PASSWORD_VARIABLES {
        if let Ok(value) = std::env::var(name) {
            taken.push((name, Zeroizing::new(value)));
            remove_variable(name);
        }
    }
    if let Ok(mut passwords) = PASSWORDS.lock() {
        *passwords = taken;
    }
}

#[expect(
    unsafe_code,
    reason = "std::env::remove_var is unsafe because another thread could read the environment at the same time; it is called from main before any thread is started"
)]
fn remove_variable(name: &str) {
    // SAFETY: called only from `take_passwords_from_environment`, first thing in `main`, while
    // the process has a single thread.
    unsafe { std::env::remove_var(name) };
}

/// The password variable `name`, if it was set (a command may need it twice: `user passwd`
/// unlocks with the current password, then confirms it).
fn env_password(name: &str) -> Option<Zeroizing<String>> {
    let passwords = PASSWORDS.lock().ok()?;
    passwords
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.clone())
}

/// The first of two password variables that was set (the demo and `init` fall back from one
/// to the other).
pub fn env_password_or(first: &str, second: &str) -> Option<Zeroizing<String>> {
    env_password(first).or_else(|| env_password(second))
}

/// The user name: `CCU_USER`, else a prompt.
///
/// # Errors
/// When no name is given.
pub fn user_name() -> Result<String> {
    if let Ok(name) = std::env::var("CCU_USER") {
        return Ok(name);
    }
    require_terminal("no user name given: set CCU_USER")?;
    eprint!("User name: ");
    std::io::stderr().flush().ok();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("could not read the user name")?;
    let name = line.trim().to_owned();
    if name.is_empty() {
        bail!("no user name given (set CCU_USER or type one)");
    }
    Ok(name)
}

/// The current password: `CCU_PASSWORD`, else a prompt without echo.
///
/// # Errors
/// When the terminal cannot be read.
pub fn password() -> Result<Zeroizing<String>> {
    if let Some(password) = env_password("CCU_PASSWORD") {
        return Ok(password);
    }
    require_terminal("no password given: set CCU_PASSWORD")?;
    let password = rpassword::prompt_password("Password: ")
        .context("could not read the password (set CCU_PASSWORD or run in a terminal)")?;
    Ok(Zeroizing::new(password))
}

/// A new password: `CCU_NEW_PASSWORD`, else a prompt asked twice.
///
/// # Errors
/// When the two entries differ or the terminal cannot be read.
pub fn new_password(prompt: &str) -> Result<Zeroizing<String>> {
    if let Some(password) = env_password("CCU_NEW_PASSWORD") {
        return Ok(password);
    }
    require_terminal("no new password given: set CCU_NEW_PASSWORD")?;
    let first =
        Zeroizing::new(rpassword::prompt_password(format!("{prompt}: ")).context(
            "could not read the new password (set CCU_NEW_PASSWORD or run in a terminal)",
        )?);
    let second = Zeroizing::new(
        rpassword::prompt_password("Repeat it: ").context("could not read the new password")?,
    );
    if first != second {
        bail!("the two passwords differ");
    }
    Ok(first)
}

/// Prompts only make sense at a terminal; a script without the variable gets a clear error
/// instead of a prompt nobody will answer.
fn require_terminal(message: &'static str) -> Result<()> {
    if std::io::stdin().is_terminal() {
        Ok(())
    } else {
        bail!(message)
    }
}

/// A second inspector's password (four eyes): `CCU_SECOND_PASSWORD`, else a prompt without echo.
///
/// # Errors
/// When the terminal cannot be read.
pub fn second_inspector_password() -> Result<Zeroizing<String>> {
    if let Some(password) = env_password("CCU_SECOND_PASSWORD") {
        return Ok(password);
    }
    require_terminal("no second inspector's password given: set CCU_SECOND_PASSWORD")?;
    let password = rpassword::prompt_password("Second inspector's password: ").context(
        "could not read the second inspector's password (set CCU_SECOND_PASSWORD or run in a terminal)",
    )?;
    Ok(Zeroizing::new(password))
}
