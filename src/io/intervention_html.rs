//! A management intervention's authorisation record as one self-contained HTML page (no
//! scripts, no external resources), to print or file: who proposed it on which intelligence
//! (the subject by name and staff number, the items by reference: never a database id),
//! the preconditions as answered, who decided and why, the meeting and its outcome, and every
//! step with its time.

use crate::domain::InterventionView;
use std::io::Write;

/// Text made safe to put inside HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// How one item the intervention rests on may be handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemHandling {
    pub reference: String,
    pub handling_code: String,
    /// Required with handling code C.
    pub conditions: Option<String>,
}

fn yes_no(answer: Option<bool>) -> &'static str {
    match answer {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not answered",
    }
}

/// Writes the record of `view` (`category` is the category's label).
///
/// # Errors
/// I/O errors from `out`.
pub fn write_record(
    view: &InterventionView,
    category: &str,
    handling: &[ItemHandling],
    mut out: impl Write,
) -> std::io::Result<()> {
    let i = &view.intervention;
    let user = |id: crate::domain::UserId| {
        view.user_names
            .get(&id.0)
            .cloned()
            .unwrap_or_else(|| String::from("a former user"))
    };
    super::html_page::open(
        &mut out,
        &format!("Management intervention: {}", view.subject_name),
        "OFFICIAL-SENSITIVE: COUNTER CORRUPTION UNIT",
        "body{max-width:52em}table{width:100%}",
    )?;
    writeln!(
        out,
        "<h1>Management intervention</h1>\
         <table><tr><th>State</th><td>{}</td></tr>\
         <tr><th>Subject</th><td>{}</td></tr>\
         <tr><th>Category</th><td>{}</td></tr>\
         <tr><th>Intelligence</th><td>{}</td></tr>\
         <tr><th>Proposed by</th><td>{}</td></tr>\
         <tr><th>Meeting proposed for</th><td class=\"nowrap\">{}</td></tr>\
         <tr><th>Proposed attendees</th><td>{}</td></tr></table>",
        i.state.label(),
        escape(&view.subject_name),
        escape(category),
        escape(&i.proposal.items.join(", ")),
        escape(&user(i.proposed_by)),
        i.proposal.proposed_date,
        escape(&i.proposal.proposed_attendees.join(", ")),
    )?;
    // Each item the intervention rests on, with its handling code; a C item's conditions travel
    // with the record.
    writeln!(
        out,
        "<h2>Intelligence handling</h2><table><tr><th>Item</th><th>Handling code</th>\
         <th>Conditions</th></tr>"
    )?;
    for item in handling {
        writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&item.reference),
            escape(&item.handling_code),
            escape(item.conditions.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(out, "</table>")?;
    writeln!(
        out,
        "<h2>Rationale</h2><p>{}</p><h2>Preconditions</h2><table>",
        escape(&i.proposal.rationale)
    )?;
    for (_, wording, answer) in i.proposal.preconditions.answers() {
        writeln!(
            out,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(&super::sentence_case(wording)),
            yes_no(answer)
        )?;
    }
    writeln!(out, "</table><h2>Decision</h2>")?;
    match (i.decided_by, &i.decision_rationale) {
        (Some(by), Some(rationale)) => writeln!(
            out,
            "<p>{} by {}.</p><p>{}</p>",
            i.history
                .iter()
                .find(|h| h.step == "authorise" || h.step == "decline")
                .map_or("Decided", |h| if h.step == "authorise" {
                    "Authorised"
                } else {
                    "Declined"
                }),
            escape(&user(by)),
            escape(rationale)
        )?,
        _ => writeln!(out, "<p>Not decided.</p>")?,
    }
    if let Some(meeting) = &i.meeting {
        writeln!(
            out,
            "<h2>Meeting</h2><table><tr><th>Held on</th><td>{}</td></tr>\
             <tr><th>Attendees</th><td>{}</td></tr>\
             <tr><th>What was said</th><td>{}</td></tr>\
             <tr><th>The officer's response</th><td>{}</td></tr></table>",
            meeting.held_on,
            escape(&meeting.attendees.join(", ")),
            escape(&meeting.summary),
            escape(&meeting.officer_response)
        )?;
    }
    if let Some(outcome) = &i.outcome {
        writeln!(
            out,
            "<h2>Outcome</h2><p>{}; follow-up review on {}.</p>",
            escape(outcome.outcome.label()),
            outcome.follow_up_on
        )?;
    }
    writeln!(
        out,
        "<h2>History</h2><table><thead><tr><th>When (UTC)</th><th>Step</th><th>To</th>\
         <th>By</th><th>Note</th></tr></thead>"
    )?;
    for step in &i.history {
        writeln!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&minute_of(&step.at_utc)),
            escape(&super::sentence_case(&step.step.replace('_', " "))),
            step.to.label(),
            escape(&user(step.by)),
            escape(&step.note)
        )?;
    }
    writeln!(out, "</table>")?;
    super::html_page::close(&mut out)
}

/// An RFC 3339 time to the minute, as a reader writes it: `2026-07-22T09:30:00.000Z` is
/// `2026-07-22 09:30` (the column says UTC). Anything else is shown as it is.
fn minute_of(at_utc: &str) -> String {
    match (at_utc.get(..10), at_utc.get(11..16)) {
        (Some(day), Some(minute)) if at_utc.as_bytes().get(10) == Some(&b'T') => {
            format!("{day} {minute}")
        }
        _ => at_utc.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_text_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
