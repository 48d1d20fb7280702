//! Full-text search over items and nominals.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, NewAuditEntry, SearchHit, SearchQuery, SearchTarget};

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
                // Items restricted to others give no hit (nor a snippet, nor a count).
                let hidden = match tx.actor_user() {
                    Some(viewer) => tx.reader().hidden_items(viewer)?,
                    None => std::collections::HashSet::new(),
                };
                let hits: Vec<SearchHit> = tx
                    .reader()
                    .search(query)?
                    .into_iter()
                    .filter(|hit| match hit.target {
                        SearchTarget::Item { id } => !hidden.contains(&id),
                        SearchTarget::Nominal { .. } => true,
                    })
                    .collect();
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
