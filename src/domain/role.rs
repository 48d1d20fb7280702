//! The three roles of the CCU team, stored as text in the workbench.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user of the workbench is allowed to do is decided by their role alone.
///
/// Roles are few and fixed by the unit's structure (seed 001 §4.1.1), unlike code lists such as
/// corruption categories, which are versioned data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A CCU detective (DC/DS): records and grades intelligence, proposes interventions.
    Detective,
    /// An intelligence analyst: imports bulk data, analyses networks, writes assessments.
    Analyst,
    /// The detective inspector or head of CCU: authorises, approves, manages users and keys.
    Inspector,
}

impl Role {
    /// Every role, in the order screens list them.
    pub const ALL: [Role; 3] = [Role::Detective, Role::Analyst, Role::Inspector];

    /// The stable text stored in the database and accepted on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Detective => "detective",
            Role::Analyst => "analyst",
            Role::Inspector => "inspector",
        }
    }

    /// The name shown to people.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Role::Detective => "Detective",
            Role::Analyst => "Analyst",
            Role::Inspector => "Inspector",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of `detective`, `analyst` or `inspector`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role (expected detective, analyst or inspector)")]
pub struct UnknownRole;

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "detective" => Ok(Role::Detective),
            "analyst" => Ok(Role::Analyst),
            "inspector" => Ok(Role::Inspector),
            _ => Err(UnknownRole),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Inspector ".parse::<Role>(), Ok(Role::Inspector));
        assert!("admin".parse::<Role>().is_err());
    }
}
