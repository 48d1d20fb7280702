//! What a link chart shows of the nominals beyond the graph: people's flags (vulnerable,
//! journalist, private investigator), employees' latest Operation Beacon band and who is party
//! to a live notifiable association. Read once per chart for its conditional formatting and
//! markers, and recorded as one consultation (counts, never who).

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, IsoDate, NaStatus, NewAuditEntry};
use crate::graph::chart_formatting::{BeaconMark, ChartContext};

impl Workbench {
    /// The [`ChartContext`] on `as_of`: flags, Beacon bands as they stood that day, and live
    /// notifiable associations. Recorded as a consultation with the purpose.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); store errors.
    pub fn chart_context(&mut self, as_of: IsoDate) -> Result<ChartContext, WorkbenchError> {
        self.require(Action::AnalyseGraph)?;
        self.require(Action::ViewNominals)?;
        let mut context = ChartContext {
            flags: self.store.reader().chart_flags()?,
            police_staff: self.store.reader().police_staff()?,
            ..ChartContext::default()
        };
        for entry in self.cohort_unaudited(as_of)? {
            context.beacon.insert(
                entry.subject,
                BeaconMark {
                    band: entry.band,
                    colour: entry.band_colour,
                    rank: entry.band_rank,
                },
            );
        }
        for entry in self.store.reader().notifiable_associations()? {
            if entry.status == NaStatus::Live {
                context.live_associations.insert(entry.employee);
                context.live_associations.insert(entry.associate);
            }
        }
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::GraphQueried, "chart:context").with_detail(
                    serde_json::json!({
                        "flagged": context.flags.len(),
                        "beacon": context.beacon.len(),
                        "live_associations": context.live_associations.len(),
                    })
                    .to_string(),
                ),
            )
        })?;
        Ok(context)
    }
}
