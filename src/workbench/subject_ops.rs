//! The subject profile: everything the workbench holds about one nominal (above all a member of
//! staff) gathered in one read, with the events on one time axis. A CCU's work turns on "what do
//! we know about this officer?"; the answer is spread over the register, the log, the risk tools,
//! interventions, conduct records, the imported registers and the leads, and this puts it in one
//! plain value the CLI, the GUI and the report all show. Viewing it is one audited consultation
//! with the session's purpose.

use super::{Workbench, WorkbenchError};
use crate::domain::{
    Action, AuditAction, BusinessInterest, ConductOutcome, GiftHospitality, IntelRow, IsoDate,
    NaReview, NewAuditEntry, Nominal, NominalDetails, NominalId, NotifiableAssociation,
    VettingRecord, list,
};
use crate::store::{ExternalId, StoredLead};
use serde::Serialize;

/// The most items the profile lists (newest first); the log has the rest.
pub const SUBJECT_ITEMS_SHOWN: usize = 500;

/// A member of staff's current vetting and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VettingSummary {
    pub current: VettingRecord,
    /// Expired, expiring within the warning period, below the post's requirement; in words.
    pub warnings: Vec<String>,
    /// Every record, oldest grant first.
    pub history: Vec<VettingRecord>,
}

/// A register entry the subject is in, as employee or associate, with its reviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectAssociation {
    pub entry: NotifiableAssociation,
    /// The other party's name (the associate for an employee, the employee for an associate).
    pub other_name: String,
    pub reviews: Vec<NaReview>,
}

/// An item the subject appears in, with their role in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectItem {
    pub item: IntelRow,
    /// `subject`, `associate`, `witness`, `victim` or `mentioned`.
    pub role: String,
}

/// An assessment of the subject: the instrument, when, the total and the band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectAssessment {
    pub id: crate::domain::AssessmentId,
    pub instrument: String,
    pub version: u32,
    pub assessed_on: IsoDate,
    /// The total as written (exact hundredths).
    pub total: String,
    /// The total in hundredths, for charts.
    pub total_hundredths: i64,
    pub band: String,
    /// The band's colour (`#rrggbb`), as the instrument gives it.
    pub band_colour: String,
    pub next_review_on: IsoDate,
}

/// A management intervention with the subject: its number, state, category and dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectIntervention {
    pub id: crate::domain::InterventionId,
    pub state: crate::domain::InterventionState,
    pub category: String,
    /// The day it was proposed.
    pub proposed_on: IsoDate,
    /// The meeting date proposed.
    pub meeting_proposed_for: IsoDate,
    /// Item references it rests on.
    pub items: Vec<String>,
}

/// The subject's look-ups on force systems, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LookupsInMonth {
    pub system: String,
    /// `YYYY-MM`.
    pub month: String,
    pub count: u64,
}

/// One event on the subject's time axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEvent {
    pub on: IsoDate,
    /// `intelligence`, `association`, `association_review`, `assessment`, `intervention`,
    /// `conduct_outcome`, `business_interest`, `hospitality`, `vetting_granted`,
    /// `vetting_expires`, `lead`.
    pub kind: String,
    pub summary: String,
    /// What opens the record: an item reference, `association:N`, `assessment:N`,
    /// `intervention:N`, `lead:N`, or empty for records that live only in an import.
    #[serde(rename = "ref")]
    pub reference: String,
}

/// Everything the workbench holds about one nominal. Every list is present, empty when there
/// is nothing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectProfile {
    pub nominal: Nominal,
    pub external_ids: Vec<ExternalId>,
    /// The nominal's links (those resting only on items restricted to others left out), and
    /// the names of the nominals at their other ends.
    pub links: Vec<crate::domain::Link>,
    pub linked_names: Vec<(NominalId, String)>,
    /// A member of staff's vetting, if any was imported.
    pub vetting: Option<VettingSummary>,
    pub associations: Vec<SubjectAssociation>,
    /// Newest first, at most [`SUBJECT_ITEMS_SHOWN`]; items restricted to others are left out.
    pub intelligence: Vec<SubjectItem>,
    /// Oldest first.
    pub assessments: Vec<SubjectAssessment>,
    pub interventions: Vec<SubjectIntervention>,
    pub conduct_outcomes: Vec<ConductOutcome>,
    pub business_interests: Vec<BusinessInterest>,
    pub hospitality: Vec<GiftHospitality>,
    /// Cross-reference leads about the subject (as the employee, or among the others), best
    /// first; undeclared routes among them.
    pub leads: Vec<StoredLead>,
    pub lookups: Vec<LookupsInMonth>,
    /// Calls between the subject's phones and phones used by OCG members or criminals.
    pub calls_with_watched: u64,
    /// An organised crime group's members (nominals joined to it by an `ocg_member` link), by
    /// name; empty for anyone else.
    pub members: Vec<(NominalId, String)>,
    /// For anyone but a member of staff: the staff within [`STAFF_ROUTE_HOPS`] links, nearest
    /// first, each by one shortest route over the links valid today.
    pub staff_routes: Vec<StaffRoute>,
    /// The route search stopped at [`STAFF_ROUTE_MAX_REACHED`] nominals: there may be more.
    pub staff_routes_capped: bool,
    /// Everything above that has a date, oldest first.
    pub timeline: Vec<TimelineEvent>,
}

/// How far from a person or an OCG the profile looks for members of staff (the issue's "staff
/// within three links").
pub const STAFF_ROUTE_HOPS: usize = 3;

/// The most nominals the route search reaches before it stops (a hub would otherwise make one
/// profile read the whole graph).
pub const STAFF_ROUTE_MAX_REACHED: usize = 20_000;

/// A member of staff who can reach the nominal, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffRoute {
    pub employee: NominalId,
    pub name: String,
    pub hops: usize,
    /// The route from the nominal to the member of staff in words: each name, then each link
    /// by its type and confidence labels.
    pub route: String,
    /// A live notifiable association joins the member of staff to someone on the route: the
    /// route is declared.
    pub declared: bool,
}

fn date_of_utc(rfc3339: &str) -> Option<IsoDate> {
    rfc3339.get(..10)?.parse().ok()
}

impl Workbench {
    /// The subject profile of nominal `id`: one read, one audited consultation.
    ///
    /// # Errors
    /// [`WorkbenchError::NoSuchNominal`]; permission errors (a purpose is required); store
    /// errors.
    #[expect(
        clippy::too_many_lines,
        reason = "every section of the profile gathered in one read transaction"
    )]
    pub fn subject_profile(&mut self, id: NominalId) -> Result<SubjectProfile, WorkbenchError> {
        self.require(Action::ViewNominals)?;
        self.require(Action::ViewIntelligence)?;
        let viewer = self.user.id;
        let today = self.today();
        let reference = self.reference.clone();
        let hidden = self.store.reader().hidden_items(viewer)?;
        let hidden_links = self.store.reader().links_only_from(&hidden)?;
        // Routes to staff only for those who are not staff, from the graph of links valid today
        // (the exposure finder's, cached), which already leaves out hidden links.
        let is_staff = matches!(
            self.store.reader().nominal(id)?.map(|n| n.details),
            Some(NominalDetails::Employee { .. })
        );
        let graph = if is_staff {
            None
        } else {
            Some(self.cached_graph(&crate::graph::GraphFilter {
                valid_on: Some(today),
                ..crate::graph::GraphFilter::default()
            })?)
        };
        self.store.write(&self.actor(), |tx| {
            let reader = tx.reader();
            let nominal = reader.nominal(id)?.ok_or(WorkbenchError::NoSuchNominal)?;
            let links: Vec<crate::domain::Link> = reader
                .links_for_nominal(id)?
                .into_iter()
                .filter(|link| !hidden_links.contains(&link.id))
                .collect();
            let linked = super::display_names(
                reader,
                links.iter().map(|link| {
                    if link.fields.from == id {
                        link.fields.to
                    } else {
                        link.fields.from
                    }
                }),
            )?;
            let mut linked_names: Vec<(NominalId, String)> = linked.into_iter().collect();
            linked_names.sort_unstable();
            let is_employee = matches!(nominal.details, NominalDetails::Employee { .. });
            let external_ids = reader.external_ids_of(id)?;
            let vetting = if is_employee {
                let history = reader.vetting_of(id)?;
                history.last().cloned().map(|current| VettingSummary {
                    warnings: vetting_warnings(&current, today),
                    current,
                    history,
                })
            } else {
                None
            };
            let all_entries = reader.notifiable_associations()?;
            let (staff_routes, staff_routes_capped) = match &graph {
                Some(graph) => staff_routes_to(reader, graph, id, &all_entries, &reference)?,
                None => (Vec::new(), false),
            };
            let members = if matches!(nominal.details, NominalDetails::Ocg { .. }) {
                let member_ids: Vec<NominalId> = links
                    .iter()
                    .filter(|l| l.fields.link_type == OCG_MEMBER_LINK)
                    .map(|l| {
                        if l.fields.from == id {
                            l.fields.to
                        } else {
                            l.fields.from
                        }
                    })
                    .collect();
                let mut named: Vec<(NominalId, String)> = super::display_names(reader, member_ids)?
                    .into_iter()
                    .collect();
                named.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
                named
            } else {
                Vec::new()
            };
            let entries: Vec<NotifiableAssociation> = all_entries
                .into_iter()
                .filter(|e| e.employee == id || e.associate == id)
                .collect();
            let names = super::display_names(
                reader,
                entries.iter().flat_map(|e| [e.employee, e.associate]),
            )?;
            let mut associations = Vec::with_capacity(entries.len());
            for entry in entries {
                let other = if entry.employee == id {
                    entry.associate
                } else {
                    entry.employee
                };
                associations.push(SubjectAssociation {
                    other_name: names.get(&other).cloned().unwrap_or_default(),
                    reviews: reader.na_reviews(entry.id)?,
                    entry,
                });
            }
            let intelligence: Vec<SubjectItem> = reader
                .items_for_nominal(id, SUBJECT_ITEMS_SHOWN, viewer)?
                .into_iter()
                .map(|(item, role)| SubjectItem { item, role })
                .collect();
            let assessments: Vec<SubjectAssessment> = reader
                .assessments_of(id)?
                .into_iter()
                .map(|a| SubjectAssessment {
                    id: a.id,
                    instrument: a.instrument,
                    version: a.version,
                    assessed_on: a.assessed_on,
                    total: a.score.total.to_string(),
                    total_hundredths: a.score.total.0,
                    band: a.score.band,
                    band_colour: a.score.band_colour,
                    next_review_on: a.next_review_on,
                })
                .collect();
            let interventions: Vec<SubjectIntervention> = reader
                .interventions(None)?
                .into_iter()
                .filter(|i| i.proposal.subject == id)
                .map(|i| SubjectIntervention {
                    id: i.id,
                    state: i.state,
                    category: i.proposal.category.clone(),
                    proposed_on: i
                        .history
                        .first()
                        .and_then(|h| date_of_utc(&h.at_utc))
                        .unwrap_or(i.proposal.proposed_date),
                    meeting_proposed_for: i.proposal.proposed_date,
                    items: i.proposal.items.clone(),
                })
                .collect();
            let (conduct_outcomes, business_interests, hospitality, lookups, calls_with_watched) =
                match &nominal.details {
                    NominalDetails::Employee { staff_number, .. } => (
                        reader.conduct_outcomes(Some((Some(id), staff_number)))?,
                        reader.business_interests_of(id)?,
                        reader.hospitality_of(id)?,
                        reader
                            .lookups_by_month(id)?
                            .into_iter()
                            .map(|(system, month, count)| LookupsInMonth {
                                system,
                                month,
                                count,
                            })
                            .collect(),
                        reader.calls_with_watched(id)?,
                    ),
                    _ => (
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                        reader.calls_with_watched(id)?,
                    ),
                };
            let leads: Vec<StoredLead> = reader
                .leads()?
                .into_iter()
                .filter(|l| l.employee == id || l.others.contains(&id))
                .collect();
            let mut profile = SubjectProfile {
                nominal,
                external_ids,
                links,
                linked_names,
                vetting,
                associations,
                intelligence,
                assessments,
                interventions,
                conduct_outcomes,
                business_interests,
                hospitality,
                leads,
                lookups,
                calls_with_watched,
                members,
                staff_routes,
                staff_routes_capped,
                timeline: Vec::new(),
            };
            profile.timeline = timeline_of(&profile, &reference);
            tx.audit(
                NewAuditEntry::new(AuditAction::SubjectViewed, format!("nominal:{id}"))
                    .with_detail(
                        serde_json::json!({
                            "items": profile.intelligence.len(),
                            "associations": profile.associations.len(),
                            "assessments": profile.assessments.len(),
                            "interventions": profile.interventions.len(),
                            "leads": profile.leads.len(),
                        })
                        .to_string(),
                    ),
            )?;
            Ok(profile)
        })
    }
}

impl Workbench {
    /// Writes the subject profile of nominal `id` to `out` (which must not exist) as a document
    /// to file or print: one HTML page for `.html`, A4 pages for `.pdf`, with the same sections
    /// as [`Workbench::subject_profile`] and the unit's marking. A disclosure: recorded with the
    /// purpose, format, size, SHA-256 and the items it names before the file is written; if it
    /// cannot be recorded, nothing is written.
    ///
    /// # Errors
    /// As [`Workbench::subject_profile`]; [`WorkbenchError::Refused`] for another extension;
    /// `out` exists; I/O errors.
    pub fn export_subject_report(
        &mut self,
        id: NominalId,
        out: &std::path::Path,
    ) -> Result<SubjectProfile, WorkbenchError> {
        self.require(Action::ExportReport)?;
        let extension = out
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let format = match extension.as_deref() {
            Some("html" | "htm") => "html",
            Some("pdf") => "pdf",
            _ => {
                return Err(WorkbenchError::Refused(
                    "the subject report is written as .html or .pdf",
                ));
            }
        };
        let profile = self.subject_profile(id)?;
        let sections = profile.sections(&self.reference);
        let report = crate::io::subject_report::SubjectReport {
            // The name (with rank and staff number for staff) says who; the record says what.
            title: profile.nominal.details.display_name(),
            prepared: format!(
                "Prepared on {} by {} for {}.",
                self.today(),
                self.user.name,
                self.purpose().unwrap_or("(no purpose)")
            ),
            sections: &sections,
        };
        let mut content = Vec::new();
        if format == "pdf" {
            content = crate::io::subject_report::pdf(&report);
        } else {
            crate::io::subject_report::write_html(&report, &mut content)
                .map_err(|e| crate::store::StoreError::io("write", "the output file", e))?;
        }
        let extra = serde_json::json!({
            "report": "subject",
            "items": profile
                .intelligence
                .iter()
                .map(|s| s.item.reference.clone())
                .collect::<Vec<_>>(),
        });
        let object = format!("nominal:{id}");
        self.disclose_bytes(
            out,
            super::disclosure::Disclosure {
                action: AuditAction::ReportExported,
                object: &object,
                format: Some(format),
                extra: Some(&extra),
            },
            &content,
        )?;
        Ok(profile)
    }
}

/// The link type that makes a person a member of an OCG (as imports and typed entry write it).
const OCG_MEMBER_LINK: &str = "ocg_member";

/// The staff within [`STAFF_ROUTE_HOPS`] links of `id`, each route in words and marked declared
/// when a live notifiable association joins its member of staff to anyone on it.
fn staff_routes_to(
    reader: crate::store::StoreReader<'_>,
    graph: &crate::graph::LinkGraph,
    id: NominalId,
    entries: &[NotifiableAssociation],
    reference: &crate::domain::ReferenceData,
) -> Result<(Vec<StaffRoute>, bool), WorkbenchError> {
    use std::fmt::Write as _;
    let within = crate::graph::staff_within(graph, id, STAFF_ROUTE_HOPS, STAFF_ROUTE_MAX_REACHED);
    let names = super::display_names(
        reader,
        within.routes.iter().flat_map(|r| r.nodes.iter().copied()),
    )?;
    let name_of = |n: NominalId| names.get(&n).cloned().unwrap_or_default();
    let mut routes = Vec::with_capacity(within.routes.len());
    for path in &within.routes {
        let Some(&employee) = path.nodes.last() else {
            continue;
        };
        let mut words = name_of(id);
        for (step, link) in path.links.iter().enumerate() {
            let (at, next) = (path.nodes[step], path.nodes[step + 1]);
            if let Some(edge) = graph.edges_of(at).find(|e| e.link == *link) {
                let _ = write!(
                    words,
                    " \u{2014} {} ({}) \u{2014} ",
                    reference.label(list::LINK_TYPE, &edge.link_type),
                    reference
                        .label(list::LINK_CONFIDENCE, &edge.confidence)
                        .to_lowercase()
                );
            } else {
                words.push_str(" \u{2014} ");
            }
            words.push_str(&name_of(next));
        }
        let declared = entries.iter().any(|e| {
            e.status == crate::domain::NaStatus::Live
                && e.employee == employee
                && path.nodes.contains(&e.associate)
        });
        routes.push(StaffRoute {
            employee,
            name: name_of(employee),
            hops: path.hops(),
            route: words,
            declared,
        });
    }
    Ok((routes, within.capped))
}

/// What is wrong with a member of staff's current vetting, in words.
fn vetting_warnings(current: &VettingRecord, today: IsoDate) -> Vec<String> {
    let mut warnings = Vec::new();
    if let Some(expires) = current.expires_on {
        match crate::risk::crossref::vetting_expiry(expires, today) {
            Some(crate::risk::crossref::VettingExpiry::Expired { days_ago }) => {
                warnings.push(format!("Expired on {expires}, {days_ago} day(s) ago."));
            }
            Some(crate::risk::crossref::VettingExpiry::Expiring { days_left }) => {
                warnings.push(format!("Expires on {expires}, in {days_left} day(s)."));
            }
            None => {}
        }
    }
    if let Some(required) = &current.post_requires
        && !crate::risk::crossref::vetting_meets(&current.level, required)
    {
        warnings.push(format!(
            "The post requires {required}; {} is held.",
            current.level
        ));
    }
    warnings
}

/// The profile's dated records on one axis, oldest first (same day: in the order of the
/// sections).
fn timeline_of(
    profile: &SubjectProfile,
    reference: &crate::domain::ReferenceData,
) -> Vec<TimelineEvent> {
    let mut events = Vec::new();
    let mut push = |on: IsoDate, kind: &str, summary: String, reference: String| {
        events.push(TimelineEvent {
            on,
            kind: kind.to_owned(),
            summary,
            reference,
        });
    };
    if let Some(vetting) = &profile.vetting {
        for record in &vetting.history {
            if let Some(granted) = record.granted_on {
                push(
                    granted,
                    "vetting_granted",
                    format!("{} vetting granted", record.level),
                    String::new(),
                );
            }
        }
        if let Some(expires) = vetting.current.expires_on {
            push(
                expires,
                "vetting_expires",
                format!("{} vetting expires", vetting.current.level),
                String::new(),
            );
        }
    }
    for association in &profile.associations {
        let entry = &association.entry;
        push(
            entry.declared_on,
            "association",
            format!(
                "Notifiable association ({}) with {}, {}",
                reference.label(list::NA_CATEGORY, &entry.category),
                association.other_name,
                entry.origin.label().to_lowercase()
            ),
            format!("association:{}", entry.id),
        );
        for review in &association.reviews {
            push(
                review.reviewed_on,
                "association_review",
                format!(
                    "Association with {} reviewed: {}",
                    association.other_name,
                    review.outcome.label().to_lowercase()
                ),
                format!("association:{}", entry.id),
            );
        }
    }
    for SubjectItem { item, role } in &profile.intelligence {
        push(
            item.received_on,
            "intelligence",
            format!(
                "{} ({role}): {}",
                item.reference,
                reference.label(list::CORRUPTION_CATEGORY, &item.category)
            ),
            item.reference.clone(),
        );
    }
    for assessment in &profile.assessments {
        push(
            assessment.assessed_on,
            "assessment",
            format!(
                "{} assessment (v{}): {}, band {}",
                instrument_words(&assessment.instrument),
                assessment.version,
                assessment.total,
                assessment.band
            ),
            format!("assessment:{}", assessment.id),
        );
    }
    for intervention in &profile.interventions {
        push(
            intervention.proposed_on,
            "intervention",
            format!(
                "Management intervention ({}), {}",
                reference.label(list::CORRUPTION_CATEGORY, &intervention.category),
                intervention.state.label().to_lowercase()
            ),
            format!("intervention:{}", intervention.id),
        );
    }
    for outcome in &profile.conduct_outcomes {
        push(
            outcome.decided_on,
            "conduct_outcome",
            format!(
                "{} ({})",
                outcome.outcome.title(),
                reference.label(list::CORRUPTION_CATEGORY, &outcome.category)
            ),
            String::new(),
        );
    }
    for interest in &profile.business_interests {
        if let Some(declared) = interest.declared_on {
            push(
                declared,
                "business_interest",
                format!("Business interest declared: {}", interest.organisation),
                String::new(),
            );
        }
    }
    for entry in &profile.hospitality {
        push(
            entry.offered_on,
            "hospitality",
            format!(
                "Hospitality {} from {}",
                if entry.accepted {
                    "accepted"
                } else {
                    "offered"
                },
                entry.provider
            ),
            String::new(),
        );
    }
    for lead in &profile.leads {
        if let Some(found) = date_of_utc(&lead.first_found_at_utc) {
            push(
                found,
                "lead",
                format!(
                    "{} (score {})",
                    crate::risk::crossref::LeadKind::parse(&lead.kind)
                        .map_or_else(|| lead.kind.clone(), |k| k.label().to_owned()),
                    lead.score
                ),
                format!("lead:{}", lead.id),
            );
        }
    }
    // Stable: records of one day keep the order of the sections.
    events.sort_by_key(|e| e.on);
    events
}

/// An instrument's key in words (the profile, its timeline and its chart say it so).
#[must_use]
pub fn instrument_words(key: &str) -> &str {
    match key {
        "beacon" => "Operation Beacon",
        "notifiable_association" => "Notifiable association",
        "intelligence_priority" => "Intelligence priority",
        other => other,
    }
}
