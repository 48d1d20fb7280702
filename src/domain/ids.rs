//! The workbench's stable ids for records. Never reused; JSON output shows them as numbers.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

record_id!(
    /// An intelligence item (people use its reference, `CCU/2026/000123`).
    ItemId
);
record_id!(
    /// A nominal: employee, person, OCG, organisation, phone, account, vehicle or address.
    NominalId
);
record_id!(
    /// A link between two nominals.
    LinkId
);
record_id!(
    /// A file attached to an intelligence item.
    AttachmentId
);
record_id!(
    /// A saved risk assessment (kept as scored, never edited).
    AssessmentId
);
record_id!(
    /// A bulk import (or a demo generation), the provenance of what it created.
    ImportId
);
record_id!(
    /// A cross-reference lead: a pattern found in bulk data, kept until it is promoted.
    LeadId
);
record_id!(
    /// An entry of the notifiable association register.
    NotifiableAssociationId
);
record_id!(
    /// A management intervention (an ethical meeting).
    InterventionId
);
