//! Rules for what people type: user names, passwords, purposes.
//!
//! Error messages here never repeat the input: a user name or a purpose can itself be sensitive.

/// Passwords shorter than this are refused. NCSC guidance favours length (three random words)
/// over complexity rules, so length is the only rule.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Longest accepted password; Argon2id handles any length, this only stops accidents (a pasted file).
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Longest user name.
pub const MAX_USER_NAME_CHARS: usize = 64;

/// Longest session purpose (an operation reference or a short reason).
pub const MAX_PURPOSE_CHARS: usize = 200;

/// Why a typed value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("the user name is empty")]
    EmptyUserName,
    #[error("the user name is longer than {MAX_USER_NAME_CHARS} characters")]
    UserNameTooLong,
    #[error(
        "the user name may contain only letters, digits, spaces and . - _ ' (and must not start or end with a space)"
    )]
    UserNameCharacters,
    #[error("the password is shorter than {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password is longer than {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
    #[error("the purpose is empty")]
    EmptyPurpose,
    #[error("the purpose is longer than {MAX_PURPOSE_CHARS} characters")]
    PurposeTooLong,
    #[error("the purpose must be a single line")]
    PurposeMultiline,
    #[error(
        "the user name mixes letters of different alphabets (Latin with Cyrillic or Greek), as look-alike names do"
    )]
    UserNameLookAlike,
    #[error(
        "control characters (such as escape sequences) are not allowed: they can rewrite a terminal showing the log"
    )]
    ControlCharacters,
}

/// Checks a user name and returns it trimmed.
///
/// # Errors
/// Returns which rule the name breaks.
pub fn validate_user_name(name: &str) -> Result<String, ValidationError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::EmptyUserName);
    }
    if trimmed.chars().count() > MAX_USER_NAME_CHARS {
        return Err(ValidationError::UserNameTooLong);
    }
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_' | '\'');
    if !trimmed.chars().all(allowed) {
        return Err(ValidationError::UserNameCharacters);
    }
    if super::mixes_look_alike_scripts(trimmed) {
        return Err(ValidationError::UserNameLookAlike);
    }
    Ok(trimmed.to_owned())
}

/// Checks a new password's length. The password itself is never copied or returned.
///
/// # Errors
/// Returns which bound the password breaks.
pub fn validate_password(password: &str) -> Result<(), ValidationError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ValidationError::PasswordTooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ValidationError::PasswordTooLong);
    }
    Ok(())
}

/// Checks a session purpose and returns it trimmed.
///
/// # Errors
/// Returns which rule the purpose breaks.
pub fn validate_purpose(purpose: &str) -> Result<String, ValidationError> {
    let trimmed = purpose.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::EmptyPurpose);
    }
    if trimmed.chars().count() > MAX_PURPOSE_CHARS {
        return Err(ValidationError::PurposeTooLong);
    }
    if trimmed.contains(['\n', '\r']) {
        return Err(ValidationError::PurposeMultiline);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValidationError::ControlCharacters);
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_names_are_trimmed_and_checked() {
        assert_eq!(
            validate_user_name("  DC O'Neil-Smith "),
            Ok("DC O'Neil-Smith".into())
        );
        assert_eq!(
            validate_user_name("   "),
            Err(ValidationError::EmptyUserName)
        );
        assert_eq!(
            validate_user_name("a/b"),
            Err(ValidationError::UserNameCharacters)
        );
        assert_eq!(
            validate_user_name(&"x".repeat(65)),
            Err(ValidationError::UserNameTooLong)
        );
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(
            validate_password("short"),
            Err(ValidationError::PasswordTooShort)
        );
        assert_eq!(validate_password("twelve chars"), Ok(()));
    }

    #[test]
    fn error_messages_never_repeat_the_input() {
        let secret = "Operation Nightjar / Jane Canary";
        let err = validate_user_name(secret).unwrap_err();
        assert!(!err.to_string().contains("Canary"));
    }

    #[test]
    fn purposes_are_single_lines() {
        assert_eq!(validate_purpose(" OP-123 "), Ok("OP-123".into()));
        assert_eq!(
            validate_purpose("a\nb"),
            Err(ValidationError::PurposeMultiline)
        );
        assert_eq!(validate_purpose(""), Err(ValidationError::EmptyPurpose));
    }
}
