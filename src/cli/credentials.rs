//! Reading user names and passwords: from the environment for scripts, else from the terminal
//! without echo. Passwords are zeroized when dropped.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, IsTerminal, Write};
use zeroize::Zeroizing;

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
    if let Ok(password) = std::env::var("CCU_PASSWORD") {
        return Ok(Zeroizing::new(password));
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
    if let Ok(password) = std::env::var("CCU_NEW_PASSWORD") {
        return Ok(Zeroizing::new(password));
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
    if let Ok(password) = std::env::var("CCU_SECOND_PASSWORD") {
        return Ok(Zeroizing::new(password));
    }
    require_terminal("no second inspector's password given: set CCU_SECOND_PASSWORD")?;
    let password = rpassword::prompt_password("Second inspector's password: ").context(
        "could not read the second inspector's password (set CCU_SECOND_PASSWORD or run in a terminal)",
    )?;
    Ok(Zeroizing::new(password))
}
