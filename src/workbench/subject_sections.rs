//! The subject profile in words, section by section: the one wording the terminal (`subject
//! show`), the printed report (`report subject`) and the GUI's plain sections all use, so a
//! record reads the same wherever it is seen. Codes are shown by their reference-data labels;
//! each section says why it is empty when it is.

use super::subject_ops::{SubjectProfile, instrument_words};
use crate::domain::{NominalDetails, ReferenceData, list};

/// One line of a section: its words, and the record it opens (an item's reference, or
/// `kind:id` for the workbench's own records; empty when it opens nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileLine {
    pub opens: String,
    pub text: String,
}

/// A section of the profile: its title, its lines, and what to say when it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSection {
    /// Stable, for a front end that draws some sections its own way.
    pub key: &'static str,
    pub title: &'static str,
    pub empty: &'static str,
    pub lines: Vec<ProfileLine>,
    /// Said after the lines, not counted among them: that the list stops short of everything.
    pub note: Option<String>,
}

impl ProfileSection {
    fn new(key: &'static str, title: &'static str, empty: &'static str) -> Self {
        Self {
            key,
            title,
            empty,
            lines: Vec::new(),
            note: None,
        }
    }

    fn line(&mut self, opens: impl Into<String>, text: impl Into<String>) {
        self.lines.push(ProfileLine {
            opens: opens.into(),
            text: text.into(),
        });
    }
}

impl SubjectProfile {
    /// Every section of the profile in words, in reading order. Sections that only a member
    /// of staff can have (vetting, conduct, interests, activity) appear for staff only; the
    /// members of an OCG for an OCG only; the staff within reach for anyone but staff.
    #[must_use]
    #[expect(
        clippy::too_many_lines,
        reason = "one section after another, as the profile reads"
    )]
    pub fn sections(&self, reference: &ReferenceData) -> Vec<ProfileSection> {
        let label = |list_name: &str, code: &str| reference.label(list_name, code).to_owned();
        let is_staff = matches!(self.nominal.details, NominalDetails::Employee { .. });
        let is_ocg = matches!(self.nominal.details, NominalDetails::Ocg { .. });
        let mut sections = Vec::new();

        let mut record = ProfileSection::new("record", "Record", "Nothing recorded.");
        for (name, value) in self.nominal.details.fields_in_words(reference) {
            record.line("", format!("{name}: {value}"));
        }
        if !self.external_ids.is_empty() {
            record.line(
                "",
                format!(
                    "Ids in force systems: {}",
                    self.external_ids
                        .iter()
                        .map(|e| format!("{} {}", e.system.to_uppercase(), e.id))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        sections.push(record);

        if is_staff {
            let mut vetting = ProfileSection::new("vetting", "Vetting", "No vetting imported.");
            if let Some(summary) = &self.vetting {
                let current = &summary.current;
                vetting.line(
                    "",
                    format!(
                        "{} · expires {} · the post requires {}",
                        label(list::VETTING_LEVEL, &current.level),
                        current
                            .expires_on
                            .map_or_else(|| "(not given)".to_owned(), |d| d.to_string()),
                        current.post_requires.as_deref().map_or_else(
                            || "(not given)".to_owned(),
                            |r| label(list::VETTING_LEVEL, r)
                        )
                    ),
                );
                for warning in &summary.warnings {
                    vetting.line("", format!("Warning: {warning}"));
                }
            }
            sections.push(vetting);
        }

        if is_ocg {
            let mut members =
                ProfileSection::new("members", "Members", "No one is linked as a member.");
            for (id, name) in &self.members {
                members.line(format!("nominal:{id}"), name.clone());
            }
            sections.push(members);
        }

        if !is_staff {
            let mut staff = ProfileSection::new(
                "staff_routes",
                "Staff within three links",
                "No member of staff within three links.",
            );
            for route in &self.staff_routes {
                staff.line(
                    format!("nominal:{}", route.employee),
                    format!(
                        "{} · {} link(s) · {} · {}",
                        route.name,
                        route.hops,
                        if route.declared {
                            "declared"
                        } else {
                            "not declared"
                        },
                        route.route
                    ),
                );
            }
            if self.staff_routes_capped {
                staff.note = Some(
                    "The search stopped at its limit: there may be more staff within reach."
                        .to_owned(),
                );
            }
            sections.push(staff);
        }

        let mut associations = ProfileSection::new(
            "associations",
            "Notifiable associations",
            "None registered.",
        );
        for association in &self.associations {
            let entry = &association.entry;
            associations.line(
                format!("association:{}", entry.id),
                format!(
                    "{} · {} · {} on {} · {} · {} review(s)",
                    association.other_name,
                    label(list::NA_CATEGORY, &entry.category),
                    entry.origin.label(),
                    entry.declared_on,
                    entry.status.label(),
                    association.reviews.len()
                ),
            );
        }
        sections.push(associations);

        let mut intelligence = ProfileSection::new(
            "intelligence",
            "Intelligence",
            "No item you may see names them.",
        );
        // Grouped by the subject's role, in the reference data's order (the subject first).
        let roles = reference.codes(list::SUBJECT_ROLE);
        let mut items: Vec<_> = self.intelligence.iter().collect();
        items.sort_by_key(|s| {
            roles
                .iter()
                .position(|r| r.code == s.role)
                .unwrap_or(roles.len())
        });
        for subject_item in items {
            let item = &subject_item.item;
            intelligence.line(
                item.reference.clone(),
                format!(
                    "{} · as {} · {} · graded {} · {} · {}{}",
                    item.reference,
                    label(list::SUBJECT_ROLE, &subject_item.role).to_lowercase(),
                    item.received_on,
                    item.grading,
                    label(list::INTEL_STATUS, &item.status),
                    label(list::CORRUPTION_CATEGORY, &item.category),
                    item.priority
                        .as_deref()
                        .map(|p| format!(" · priority {p}"))
                        .unwrap_or_default()
                ),
            );
        }
        if self.intelligence.len() >= super::subject_ops::SUBJECT_ITEMS_SHOWN {
            intelligence.note = Some(format!(
                "The newest {} items are listed; the intelligence log has every item.",
                super::subject_ops::SUBJECT_ITEMS_SHOWN
            ));
        }
        sections.push(intelligence);

        let mut assessments = ProfileSection::new("assessments", "Risk assessments", "None made.");
        for a in &self.assessments {
            assessments.line(
                format!("assessment:{}", a.id),
                format!(
                    "{} · version {} · {} · total {} · band {}",
                    instrument_words(&a.instrument),
                    a.version,
                    a.assessed_on,
                    a.total,
                    a.band
                ),
            );
        }
        sections.push(assessments);

        let mut interventions = ProfileSection::new(
            "interventions",
            "Management interventions",
            "None proposed.",
        );
        for i in &self.interventions {
            interventions.line(
                format!("intervention:{}", i.id),
                format!(
                    "{} · {} · proposed {} · meeting proposed for {}",
                    label(list::CORRUPTION_CATEGORY, &i.category),
                    i.state.label(),
                    i.proposed_on,
                    i.meeting_proposed_for
                ),
            );
        }
        sections.push(interventions);

        if is_staff {
            let mut outcomes = ProfileSection::new(
                "conduct_outcomes",
                "Conduct outcomes",
                "None recorded or imported.",
            );
            for o in &self.conduct_outcomes {
                outcomes.line(
                    "",
                    format!(
                        "{} · {} · {}{}",
                        o.decided_on,
                        o.outcome.title(),
                        label(list::CORRUPTION_CATEGORY, &o.category),
                        if o.referred_to_iopc {
                            " · referred to the IOPC"
                        } else {
                            ""
                        }
                    ),
                );
            }
            sections.push(outcomes);

            let mut interests = ProfileSection::new(
                "interests",
                "Business interests and hospitality",
                "None imported.",
            );
            for b in &self.business_interests {
                interests.line(
                    "",
                    format!(
                        "Business interest · {} · {}{}",
                        b.declared_on
                            .map_or_else(|| "(undated)".to_owned(), |d| d.to_string()),
                        b.organisation,
                        if b.approved { " · approved" } else { "" }
                    ),
                );
            }
            for h in &self.hospitality {
                interests.line(
                    "",
                    format!(
                        "Hospitality · {} · {} · {}{}",
                        h.offered_on,
                        h.provider,
                        if h.accepted { "accepted" } else { "declined" },
                        h.value_pence
                            .map(|p| format!(" · {}", crate::domain::bulk_record::format_pence(p)))
                            .unwrap_or_default()
                    ),
                );
            }
            sections.push(interests);
        }

        let mut leads = ProfileSection::new(
            "leads",
            "Cross-reference leads",
            "None kept (run the cross-reference after importing).",
        );
        for l in &self.leads {
            leads.line(
                format!("lead:{}", l.id),
                format!(
                    "{} · score {} · {}",
                    crate::risk::crossref::LeadKind::parse(&l.kind)
                        .map_or_else(|| l.kind.clone(), |k| k.label().to_owned()),
                    l.score,
                    l.explanation.first().cloned().unwrap_or_default()
                ),
            );
        }
        sections.push(leads);

        if is_staff {
            let mut activity = ProfileSection::new(
                "activity",
                "Imported activity",
                "No look-ups on force systems imported.",
            );
            for l in &self.lookups {
                activity.line(
                    "",
                    format!("{} · {} · {} look-up(s)", l.month, l.system, l.count),
                );
            }
            if self.calls_with_watched > 0 || !activity.lines.is_empty() {
                activity.line(
                    "",
                    format!(
                        "Calls with phones used by OCG members or criminals: {}",
                        self.calls_with_watched
                    ),
                );
            }
            sections.push(activity);
        }

        let mut timeline = ProfileSection::new("timeline", "Timeline", "Nothing dated is held.");
        for event in &self.timeline {
            timeline.line(
                event.reference.clone(),
                format!(
                    "{} · {} · {}",
                    event.on,
                    timeline_kind_words(&event.kind),
                    event.summary
                ),
            );
        }
        sections.push(timeline);
        sections
    }
}

/// A timeline kind in words.
#[must_use]
pub fn timeline_kind_words(kind: &str) -> &str {
    match kind {
        "intelligence" => "Intelligence",
        "association" => "Association",
        "association_review" => "Association review",
        "assessment" => "Assessment",
        "intervention" => "Intervention",
        "conduct_outcome" => "Conduct outcome",
        "business_interest" => "Business interest",
        "hospitality" => "Hospitality",
        "vetting_granted" => "Vetting granted",
        "vetting_expires" => "Vetting expires",
        "lead" => "Lead",
        other => other,
    }
}
