//! The areas of the main window, in navigation order.

use crate::domain::{Action, Role};
use serde::{Deserialize, Serialize};

/// An area of the main window. Later issues fill the ones that show a placeholder today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    Intelligence,
    Nominals,
    Graph,
    RiskTools,
    Interventions,
    NaRegister,
    Imports,
    Reports,
    Audit,
    Users,
    Account,
}

impl Area {
    pub const ALL: [Area; 11] = [
        Area::Intelligence,
        Area::Nominals,
        Area::Graph,
        Area::RiskTools,
        Area::Interventions,
        Area::NaRegister,
        Area::Imports,
        Area::Reports,
        Area::Audit,
        Area::Users,
        Area::Account,
    ];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Area::Intelligence => "Intelligence",
            Area::Nominals => "Nominals",
            Area::Graph => "Graph",
            Area::RiskTools => "Risk tools",
            Area::Interventions => "Interventions",
            Area::NaRegister => "NA register",
            Area::Imports => "Imports",
            Area::Reports => "Reports",
            Area::Audit => "Audit",
            Area::Users => "Users",
            Area::Account => "My account",
        }
    }

    /// Whether a user with `role` sees this area in the navigation. The library enforces the
    /// same rules; hiding is for clarity.
    #[must_use]
    pub fn is_visible_to(self, role: Role) -> bool {
        match self {
            Area::Users => Action::ManageUsers.is_permitted_for(role),
            _ => true,
        }
    }
}
