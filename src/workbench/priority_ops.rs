//! Intelligence prioritised item by item (seed 001 s4.6.4; seed 003 "to prioritise actions"):
//! an item scored under the newest intelligence priority instrument, its source evaluation and
//! intelligence assessment taken from its own grading, the score kept and its band put beside
//! the item for the log to sort and filter on.

use super::{Workbench, WorkbenchError};
use crate::domain::{Action, AuditAction, IsoDate, NewAuditEntry};
use crate::risk::{
    Answers, GRADING_FACTORS, ITEM_PRIORITY_INSTRUMENT, ItemPriority, grading_answer, grading_code,
};

impl Workbench {
    /// Scores the item `reference` under the newest intelligence priority instrument: the
    /// assessor's answers to its THRIVE factors, and the item's own grading for its source
    /// evaluation and intelligence assessment (an answer given to those is refused unless it
    /// is the grading's). Saved with the rationale; the item's band shows in the log. Audited
    /// by the item's reference, the instrument version and the band.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`] (or one the user may not see); a blank rationale;
    /// answers that do not fit the instrument; an instrument without the grading factors
    /// (one a force published that scores people); permission errors; store errors.
    pub fn prioritise_item(
        &mut self,
        reference: &str,
        answers: &Answers,
        rationale: &str,
        assessed_on: IsoDate,
    ) -> Result<ItemPriority, WorkbenchError> {
        self.require(Action::Assess)?;
        let rationale = super::risk_ops::checked_rationale(rationale)?;
        self.store.write(
            &self.actor(),
            |tx| -> Result<ItemPriority, WorkbenchError> {
                let reader = tx.reader();
                let item =
                    super::intel_ops::existing_item(reader, reference.trim(), tx.actor_user())?;
                let (version_id, instrument) = reader
                    .instrument(ITEM_PRIORITY_INSTRUMENT, None)?
                    .ok_or(WorkbenchError::NoSuchInstrument)?;
                let grading = &item.fields.grading;
                let mut answers = answers.clone();
                for factor_key in GRADING_FACTORS {
                    let code = grading_code(factor_key, grading).unwrap_or_default();
                    let factor = instrument
                        .factors()
                        .iter()
                        .find(|f| f.key == factor_key)
                        .ok_or(WorkbenchError::Refused(
                            "the newest intelligence priority instrument does not score an item's \
                         grading: publish one that does",
                        ))?;
                    let from_grading = grading_answer(factor, code).ok_or(WorkbenchError::Refused(
                    "the intelligence priority instrument has no answer for the item's grading",
                ))?;
                    match answers.get(factor_key) {
                        Some(given) if given != from_grading => {
                            return Err(WorkbenchError::Refused(
                                "the source evaluation and intelligence assessment are the item's \
                             own grading: change the grading, not the priority's answer",
                            ));
                        }
                        _ => {
                            answers.insert(factor_key.to_owned(), from_grading.to_owned());
                        }
                    }
                }
                let score = crate::risk::score(&instrument, &answers)
                    .map_err(|err| super::risk_ops::answers_error(&err))?;
                let band_rank = instrument.band_index(&score.band).unwrap_or(0) + 1;
                let priority = ItemPriority {
                    item: item.reference.clone(),
                    version: instrument.version(),
                    answers,
                    next_review_on: assessed_on.plus_days(i64::from(score.review_days)),
                    score,
                    rationale: rationale.to_owned(),
                    assessed_on,
                    created_at_utc: String::new(),
                    created_by: tx.actor_user().unwrap_or(crate::domain::UserId(0)),
                };
                tx.insert_item_priority(item.id, version_id, &priority, band_rank)?;
                tx.audit(
                    NewAuditEntry::new(
                        AuditAction::ItemPrioritised,
                        format!("item:{}", item.reference),
                    )
                    .with_detail(
                        serde_json::json!({
                            "instrument": ITEM_PRIORITY_INSTRUMENT,
                            "version": priority.version,
                            "band": priority.score.band,
                        })
                        .to_string(),
                    ),
                )?;
                let mut saved = tx.reader().item_priorities(item.id, &item.reference)?;
                saved.pop().ok_or(WorkbenchError::NoSuchItem)
            },
        )
    }

    /// An item's priority scores, oldest first. A consultation of the item, recorded.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchItem`]; permission errors (a purpose is required); store
    /// errors.
    pub fn item_priorities(
        &mut self,
        reference: &str,
    ) -> Result<Vec<ItemPriority>, WorkbenchError> {
        self.require(Action::ViewIntelligence)?;
        self.store.write(&self.actor(), |tx| {
            let item =
                super::intel_ops::existing_item(tx.reader(), reference.trim(), tx.actor_user())?;
            let priorities = tx.reader().item_priorities(item.id, &item.reference)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ItemViewed, format!("item:{}", item.reference))
                    .with_detail(serde_json::json!({ "priorities": priorities.len() }).to_string()),
            )?;
            Ok(priorities)
        })
    }
}
