//! Cross-referencing in the session: run the engine over imported data, the register and the
//! link graph; keep the leads at or above the threshold with their explanations; read them;
//! promote one to an intelligence item with its evidence as provenance.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, Grading, INITIAL_STATUS, IntelItem, IntelItemFields, InvalidRecord,
    LeadId, NewAuditEntry, NominalId, Subject,
};
use crate::graph::{ExposureOptions, GraphFilter, find_exposures};
use crate::risk::crossref::{
    CrossrefOptions, LeadKind, UndeclaredRoute, cross_reference, name_explanation,
};
use crate::store::StoredLead;
use serde::Serialize;

/// A pattern seen that scored below the threshold: not kept, but listed in full so the
/// analyst sees what the threshold left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BelowThreshold {
    pub kind: LeadKind,
    pub employee: NominalId,
    pub others: Vec<NominalId>,
    pub score: u32,
    /// The facts in words, names filled in.
    pub explanation: Vec<String>,
}

/// What a run found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrossrefRun {
    /// The score from which leads were kept.
    pub threshold: u32,
    /// Leads at or above the threshold, best first, as kept.
    pub leads: Vec<StoredLead>,
    /// Patterns seen that scored below the threshold (not kept), best first.
    pub below_threshold: Vec<BelowThreshold>,
    /// How much was looked at.
    pub lookups: usize,
    pub calls: usize,
    pub hospitality: usize,
    pub contracts: usize,
    pub sanctions: usize,
    pub undeclared_routes: usize,
}

fn item_category(kind: LeadKind) -> &'static str {
    match kind {
        LeadKind::WatchedLookup | LeadKind::SanctionedStillQuerying => "misuse_of_systems",
        LeadKind::CallsWithCriminals
        | LeadKind::UndeclaredAssociation
        | LeadKind::UndeclaredRoute => "inappropriate_association",
        LeadKind::HospitalityBeforeContract => "theft_fraud",
        LeadKind::VettingExpiry | LeadKind::VettingBelowPost => "vetting",
    }
}

impl Workbench {
    /// Runs the cross-reference engine and keeps its leads at or above the options' threshold
    /// ([`crate::risk::crossref::LEAD_THRESHOLD`] by default; a lead found before is updated, not repeated). The
    /// patterns below it come back in full, not kept.
    ///
    /// # Errors
    /// Permission errors (a purpose is required); SQL errors.
    pub fn cross_reference(
        &mut self,
        options: &CrossrefOptions,
    ) -> Result<CrossrefRun, WorkbenchError> {
        self.require(Action::CrossReference)?;
        let filter = GraphFilter {
            valid_on: Some(self.today()),
            ..GraphFilter::default()
        };
        let graph = self.cached_graph(&filter)?;
        let confidences: std::collections::HashMap<crate::domain::LinkId, &str> = graph
            .edges()
            .map(|edge| (edge.link, &*edge.confidence))
            .collect();
        let routes: Vec<UndeclaredRoute> =
            find_exposures(&graph, &self.exposure_options(&ExposureOptions::default())?)
                .into_iter()
                .map(|lead| UndeclaredRoute {
                    employee: lead.employee,
                    target: lead.target,
                    hops: lead.path.hops(),
                    strong: lead.path.links.iter().all(|link| {
                        confidences
                            .get(link)
                            .is_some_and(|c| matches!(*c, "confirmed" | "probable"))
                    }),
                    via: lead
                        .path
                        .nodes
                        .get(1..lead.path.nodes.len().saturating_sub(1))
                        .map(<[NominalId]>::to_vec)
                        .unwrap_or_default(),
                    reasons: lead.reasons,
                })
                .collect();
        let today = self.today();
        self.store.write(&self.actor(), |tx| {
            let mut facts = tx.reader().crossref_facts()?;
            facts.undeclared_routes = routes;
            facts.as_of = Some(today);
            let found = cross_reference(&facts, options);
            let (kept, below): (Vec<_>, Vec<_>) = found
                .iter()
                .partition(|lead| lead.score >= options.threshold);
            let names = super::display_names(
                tx.reader(),
                found
                    .iter()
                    .flat_map(|lead| std::iter::once(lead.employee).chain(lead.others.clone())),
            )?;
            let name_of = |id: NominalId| {
                names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("nominal {id}"))
            };
            let mut ids = Vec::with_capacity(kept.len());
            for lead in &kept {
                let explanation: Vec<String> = lead
                    .explanation
                    .iter()
                    .map(|line| name_explanation(line, &name_of))
                    .collect();
                ids.push(tx.upsert_lead(lead, &explanation)?);
            }
            let mut by_kind: std::collections::BTreeMap<&str, usize> =
                std::collections::BTreeMap::default();
            for lead in &kept {
                *by_kind.entry(lead.kind.as_str()).or_default() += 1;
            }
            tx.audit(
                NewAuditEntry::new(AuditAction::CrossReferenced, "crossref").with_detail(
                    serde_json::json!({
                        "leads": kept.len(),
                        "by_kind": by_kind,
                        "below_threshold": below.len(),
                        "threshold": options.threshold,
                        "lead_ids": ids.iter().map(|id| id.0).collect::<Vec<_>>(),
                        "hospitality_window_days": options.hospitality_window_days,
                    })
                    .to_string(),
                ),
            )?;
            let reader = tx.reader();
            let mut leads = Vec::with_capacity(ids.len());
            for id in ids {
                leads.push(reader.lead(id)?.ok_or(WorkbenchError::NoSuchLead)?);
            }
            let below_threshold = below
                .iter()
                .map(|lead| BelowThreshold {
                    kind: lead.kind,
                    employee: lead.employee,
                    others: lead.others.clone(),
                    score: lead.score,
                    explanation: lead
                        .explanation
                        .iter()
                        .map(|line| name_explanation(line, &name_of))
                        .collect(),
                })
                .collect();
            Ok(CrossrefRun {
                threshold: options.threshold,
                leads,
                below_threshold,
                lookups: facts.lookups.len(),
                calls: facts.calls.len(),
                hospitality: facts.hospitality.len(),
                contracts: facts.contracts.len(),
                sanctions: facts.sanctions.len(),
                undeclared_routes: facts.undeclared_routes.len(),
            })
        })
    }

    /// Every lead kept, best first (a consultation, audited).
    ///
    /// # Errors
    /// Permission errors; SQL errors.
    pub fn leads(&mut self) -> Result<Vec<StoredLead>, WorkbenchError> {
        self.require(Action::CrossReference)?;
        self.store.write(&self.actor(), |tx| {
            let leads = tx.reader().leads()?;
            tx.audit(
                NewAuditEntry::new(AuditAction::LeadsViewed, "leads")
                    .with_detail(serde_json::json!({ "leads": leads.len() }).to_string()),
            )?;
            Ok(leads)
        })
    }

    /// Records a lead as a new intelligence item (status `received`), graded as the detective
    /// judged it (the GUI and the CLI offer [`LeadKind::suggested_grading`]; the library takes
    /// no default): the employee as subject, the others as associates, the explanation as the
    /// narrative; the lead keeps the item's id and the audit entry names the lead, so the
    /// evidence is the item's provenance.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchLead`]; [`WorkbenchError::Refused`] if it was promoted before;
    /// [`WorkbenchError::Invalid`] for a grading the reference data refuses (code C without its
    /// conditions); permission errors; SQL errors.
    pub fn promote_lead(
        &mut self,
        id: LeadId,
        grading: &Grading,
    ) -> Result<IntelItem, WorkbenchError> {
        self.require(Action::RecordIntelligence)?;
        let today = self.today();
        let version = self.reference.version;
        let owner = self.user.id;
        let reference_data = self.reference.clone();
        self.store.write(&self.actor(), |tx| {
            let lead = tx.reader().lead(id)?.ok_or(WorkbenchError::NoSuchLead)?;
            if lead.promoted_item.is_some() {
                return Err(WorkbenchError::Refused(
                    "this lead has already been recorded as an intelligence item",
                ));
            }
            let kind = LeadKind::parse(&lead.kind).ok_or(WorkbenchError::NoSuchLead)?;
            let mut subjects = vec![Subject {
                nominal_id: lead.employee,
                role: "subject".into(),
            }];
            for &other in &lead.others {
                if other != lead.employee {
                    subjects.push(Subject {
                        nominal_id: other,
                        role: "associate".into(),
                    });
                }
            }
            let fields = IntelItemFields {
                received_on: today,
                source_type: "audit_check".into(),
                narrative: format!(
                    "Cross-reference lead {} ({}), score {} of 100. {} Recorded from imported \
                     data for assessment.",
                    lead.id,
                    kind.label(),
                    lead.score,
                    lead.explanation.join(" ")
                ),
                grading: grading.clone(),
                legacy_grading: None,
                category: item_category(kind).into(),
                subcategory: None,
                subjects,
                next_review_on: None,
            };
            InvalidRecord::check(
                "the intelligence item",
                fields.validate(&reference_data, today),
            )?;
            let (item_id, reference) =
                tx.insert_item(&fields, version, INITIAL_STATUS, owner, today.year())?;
            tx.set_lead_promoted(id, item_id)?;
            tx.audit(
                NewAuditEntry::new(AuditAction::LeadPromoted, format!("lead:{id}")).with_detail(
                    serde_json::json!({
                        "item": reference,
                        "kind": kind.as_str(),
                        "score": lead.score,
                        "grading": grading.short(),
                    })
                    .to_string(),
                ),
            )?;
            tx.audit(
                NewAuditEntry::new(AuditAction::ItemCreated, format!("item:{reference}"))
                    .with_detail(
                        serde_json::json!({
                            "id": item_id.0,
                            "reference_version": version,
                            "from": "cross_reference",
                            "lead": id.0,
                        })
                        .to_string(),
                    ),
            )?;
            tx.reader().item(item_id)?.ok_or(WorkbenchError::NoSuchItem)
        })
    }
}
