//! The demo force's threat assessment text and control strategy, so a new user's first report
//! reads as a finished one: an argument in seed 000's shape (summary, key judgements, the threats
//! ranked with an assessment of each, intelligence requirements, recommendations) and a control
//! strategy by intervention, protection and prevention. Written in the project's own words from
//! the priorities the seeds set (abuse of position for a sexual purpose, inappropriate
//! association, misuse of systems and disclosure); it quotes no figure, since the figures beside
//! it come from the demo's data.

use crate::risk::threat_assessment::{AssessmentText, ControlStrategyRow, ThreatJudgement};

fn lines(entries: &[&str]) -> Vec<String> {
    entries.iter().map(|entry| (*entry).to_owned()).collect()
}

/// The analyst's text for the demo's year.
#[must_use]
pub fn demo_assessment_text() -> AssessmentText {
    AssessmentText {
        summary: String::from(
            "The main threat to the force from corruption this year remains staff who use \
             their position to pursue sexual or emotional relationships with vulnerable people \
             they meet through their work. It is followed closely by associations with people \
             involved in crime that staff have not declared, and by looking up force systems \
             without a policing purpose, which is often how the other two begin.\n\n\
             Organised crime groups in the area continue to seek access to the force through \
             family members, friends and former colleagues of serving staff. The unit's \
             proactive work on system audit trails and call data now finds more of this \
             activity than reporting alone did, so part of the rise in recorded intelligence \
             reflects better detection rather than more corruption.",
        ),
        key_judgements: lines(&[
            "Abuse of position for a sexual purpose remains the most harmful threat: its \
             victims are vulnerable by definition, and reports usually come late.",
            "Undeclared associations with people involved in organised crime are likely \
             under-reported; cross-referencing registers against call data finds associations \
             nobody declared.",
            "Misuse of force systems is the most common route into disclosure, and most \
             look-ups without a policing purpose concern family, friends or neighbours rather \
             than criminals.",
            "Staff under financial pressure are more open to approaches from organised crime; \
             the unit sees this in the intelligence but not yet in the vetting reviews.",
        ]),
        threats: vec![
            ThreatJudgement {
                category: String::from("abuse_of_authority"),
                assessment: String::from(
                    "Contact with victims and witnesses after their case closes, and repeated \
                     self-deployment to the same vulnerable person, are the patterns that \
                     precede most cases. Operation Beacon screening now looks for both in the \
                     command and control and audit data. The threat is assessed as high and \
                     stable.",
                ),
            },
            ThreatJudgement {
                category: String::from("inappropriate_association"),
                assessment: String::from(
                    "Most live notifiable associations are family members with criminal \
                     associations and are managed well. The concern is associations that were \
                     never declared: several exposure leads run from staff through one \
                     associate to an organised crime group. The threat is assessed as high and \
                     rising as detection improves.",
                ),
            },
            ThreatJudgement {
                category: String::from("misuse_of_systems"),
                assessment: String::from(
                    "Audit trail monitoring finds look-ups of associates and of people in the \
                     news. Most are curiosity rather than corruption, but they are the first \
                     step in the disclosure cases the unit has investigated. The threat is \
                     assessed as moderate.",
                ),
            },
            ThreatJudgement {
                category: String::from("disclosure"),
                assessment: String::from(
                    "Disclosure to family and friends is the most common form; disclosure to \
                     criminals is rarer but does the most harm to operations. The threat is \
                     assessed as moderate and stable.",
                ),
            },
        ],
        intelligence_requirements: lines(&[
            "Which serving staff have family members or close friends linked to the organised \
             crime groups mapped in the area, and which of them have declared it?",
            "Are there staff whose phones are in regular contact with numbers attributed to \
             organised crime groups?",
            "Which staff show signs of financial vulnerability (debt, court judgments, \
             gambling) while holding roles with access to sensitive information?",
            "Which officers contact victims of domestic abuse or sexual offences after the \
             case has closed, outside any policing purpose?",
        ]),
        recommendations: lines(&[
            "Screen the workforce under Operation Beacon every month and bring those due an \
             assessment to the People Intelligence Board.",
            "Review every notifiable association on its anniversary, and the undeclared \
             associations cross-referencing finds within 28 days.",
            "Run the system audit trail through the cross-reference engine each week, and \
             brief supervisors on the look-ups it finds in their teams.",
            "Work with the vetting unit so that intelligence on financial vulnerability \
             prompts a vetting review.",
        ]),
    }
}

/// The control strategy for the demo's year, one row per priority.
#[must_use]
pub fn demo_control_strategy() -> Vec<ControlStrategyRow> {
    let row = |priority: &str, intervention: &str, protection: &str, prevention: &str| {
        ControlStrategyRow {
            priority: priority.to_owned(),
            intervention: intervention.to_owned(),
            protection: protection.to_owned(),
            prevention: prevention.to_owned(),
        }
    };
    vec![
        row(
            "Abuse of position for a sexual purpose",
            "Assess every Beacon screening finding within 14 days; refer to the IOPC where the \
             conduct meets the criteria.",
            "Monitor contact with victims after case closure through audit and call data.",
            "Brief every new officer and supervisor on professional boundaries, with the \
             force's own case studies.",
        ),
        row(
            "Inappropriate association",
            "Investigate undeclared associations with organised crime groups found by \
             cross-referencing.",
            "Review notifiable associations annually and on any new intelligence; manage \
             those at risk through intervention meetings.",
            "Remind staff every year what they must declare and why, and make declaring easy.",
        ),
        row(
            "Misuse of force systems and disclosure",
            "Take proportionate action on look-ups without a policing purpose, from advice to \
             misconduct proceedings.",
            "Audit system use proactively each week; restrict access to sensitive records.",
            "Show the audit warning at every log-in and publish the outcomes of misuse cases \
             inside the force.",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::list;
    use crate::risk::threat_assessment::{assessment_text_problems, control_strategy_problems};

    #[test]
    fn the_demo_text_and_strategy_pass_the_checks_a_user_would_meet() {
        let reference = crate::io::reference_file::shipped_default().unwrap();
        let text = demo_assessment_text();
        assert!(
            assessment_text_problems(&text, |code| reference.has(list::CORRUPTION_CATEGORY, code))
                .is_empty()
        );
        assert!(control_strategy_problems(&demo_control_strategy()).is_empty());
        assert!(!text.summary.is_empty() && text.threats.len() >= 3);
    }
}
