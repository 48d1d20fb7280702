//! Full-text search over items and nominals.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry, SearchHit, SearchQuery};

impl Workbench {
    /// Ranked hits with snippets. Every search is recorded with its words, filters and number
    /// of hits, and the session's purpose.
    ///
    /// # Errors
    /// Permission (a purpose is required) or store errors.
    pub fn search(&mut self, query: &SearchQuery) -> Result<Vec<SearchHit>, WorkbenchError> {
        self.require(Action::Search)?;
        self.store.write(
            &self.actor(),
            |tx| -> Result<Vec<SearchHit>, WorkbenchError> {
                let hits = tx.reader().search(query)?;
                let detail = serde_json::json!({ "query": query, "hits": hits.len() });
                tx.audit(
                    NewAuditEntry::new(AuditAction::Searched, "search")
                        .with_detail(detail.to_string()),
                )?;
                Ok(hits)
            },
        )
    }
}
