//! Building a demo workbench: a new workbench filled with the synthetic force of [`crate::demo`],
//! recorded as one import so every demo link has provenance.

use super::{Workbench, WorkbenchError};
use crate::crypto::KdfParams;
use crate::demo::{self, DemoAnswers, DemoPlan, DemoScale, PlantedExposure, PlantedTerm};
use crate::domain::{AuditAction, LinkFields, NewAuditEntry, Role, UserId};
use crate::store::ResolvedSource;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// The demo team's other members (same password as the inspector who builds it).
pub const DEMO_DETECTIVE: &str = "DC Demo";
pub const DEMO_ANALYST: &str = "Analyst Demo";

/// Items per transaction: large enough to be fast, small enough to report progress often.
const ITEMS_PER_BATCH: usize = 20_000;

/// What demo to build, and for whom.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec<'a> {
    /// The demo inspector's name.
    pub admin_name: &'a str,
    /// The password of all three demo users.
    pub password: &'a str,
    pub kdf: KdfParams,
    pub scale: DemoScale,
    pub seed: u64,
}

/// Where a demo build has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoProgress {
    pub stage: &'static str,
    pub done: u64,
    pub total: u64,
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Workbench {
    /// Creates a workbench at `root` and fills it with the demo force of `spec`.
    /// The inspector `spec.admin_name` builds it; `DC Demo` (detective) and `Analyst Demo` (analyst)
    /// get the same password. Returns the unlocked workbench and the planted patterns' answers
    /// (which the caller writes out only in test mode). A failed or cancelled build leaves no
    /// folder behind.
    ///
    /// # Errors
    /// Creation errors; [`WorkbenchError::Refused`] when cancelled; store errors.
    pub fn create_demo(
        root: &Path,
        spec: &DemoSpec<'_>,
        progress: &mut dyn FnMut(DemoProgress),
        cancel: &AtomicBool,
    ) -> Result<(Workbench, DemoAnswers), WorkbenchError> {
        let existed = root.exists();
        let mut workbench = Workbench::create(root, spec.admin_name, spec.password, spec.kdf)?;
        let built = (|| {
            workbench.add_user(DEMO_DETECTIVE, Role::Detective, spec.password)?;
            workbench.add_user(DEMO_ANALYST, Role::Analyst, spec.password)?;
            let plan = demo::plan(spec.scale, spec.seed);
            workbench.load_demo(&plan, progress, cancel)
        })();
        match built {
            Ok(answers) => Ok((workbench, answers)),
            Err(err) => {
                drop(workbench);
                if existed {
                    for entry in std::fs::read_dir(root).into_iter().flatten().flatten() {
                        let path = entry.path();
                        let _ = if path.is_dir() {
                            std::fs::remove_dir_all(&path)
                        } else {
                            std::fs::remove_file(&path)
                        };
                    }
                } else {
                    let _ = std::fs::remove_dir_all(root);
                }
                Err(err)
            }
        }
    }

    fn load_demo(
        &mut self,
        plan: &DemoPlan,
        progress: &mut dyn FnMut(DemoProgress),
        cancel: &AtomicBool,
    ) -> Result<DemoAnswers, WorkbenchError> {
        let check_cancel = || {
            if cancel.load(Ordering::Relaxed) {
                Err(WorkbenchError::Refused("the demo build was cancelled"))
            } else {
                Ok(())
            }
        };
        let reference = self.reference.clone();
        let owners: Vec<UserId> = self.store.all_users()?.iter().map(|u| u.user.id).collect();
        let detail =
            serde_json::json!({ "seed": plan.seed, "scale": plan.scale.as_str() }).to_string();

        // Nominals and links, in one transaction.
        progress(DemoProgress {
            stage: "nominals",
            done: 0,
            total: count(plan.nominals.len()),
        });
        let (import_id, ids) =
            self.store
                .write(&self.actor(), |tx| -> Result<_, WorkbenchError> {
                    let import_id = tx.insert_import("demo", "demo generator", None, &detail)?;
                    let mut ids = Vec::with_capacity(plan.nominals.len());
                    for details in &plan.nominals {
                        let mut details = details.clone();
                        details
                            .normalise(super::DEFAULT_PHONE_REGION)
                            .map_err(|_| {
                                WorkbenchError::Refused("the demo produced an invalid phone number")
                            })?;
                        ids.push(tx.insert_nominal(&details)?);
                    }
                    let sources = [ResolvedSource::Import(import_id)];
                    for link in &plan.links {
                        let fields = LinkFields {
                            link_type: link.link_type.to_owned(),
                            from: ids[link.from],
                            to: ids[link.to],
                            valid_from: link.valid_from,
                            valid_to: None,
                            confidence: link.confidence.to_owned(),
                            provenance: Vec::new(),
                        };
                        let directed = reference.link_is_directed(link.link_type);
                        tx.insert_link_resolved(&fields, directed, reference.version, &sources)?;
                    }
                    tx.set_import_rows(import_id, count(plan.nominals.len() + plan.links.len()))?;
                    Ok((import_id, ids))
                })?;
        progress(DemoProgress {
            stage: "nominals",
            done: count(ids.len()),
            total: count(ids.len()),
        });

        // Items, in batches.
        let mut references = vec![String::new(); plan.planted_terms.len()];
        let mut by_category: std::collections::BTreeMap<String, usize> =
            std::collections::BTreeMap::new();
        let mut start = 0;
        while start < plan.item_count {
            check_cancel()?;
            let end = (start + ITEMS_PER_BATCH).min(plan.item_count);
            self.store
                .write(&self.actor(), |tx| -> Result<(), WorkbenchError> {
                    for index in start..end {
                        let mut item = demo::demo_item(plan, index);
                        for subject in &mut item.fields.subjects {
                            let position = usize::try_from(subject.nominal_id.0).unwrap_or(0);
                            subject.nominal_id = ids[position];
                        }
                        let owner = owners[index % owners.len()];
                        let year = item.fields.received_on.year();
                        let (_, reference_text) = tx.insert_item(
                            &item.fields,
                            reference.version,
                            item.status,
                            owner,
                            year,
                        )?;
                        *by_category.entry(item.fields.category.clone()).or_default() += 1;
                        for (slot, (term_index, _)) in plan.planted_terms.iter().enumerate() {
                            if *term_index == index {
                                references[slot].clone_from(&reference_text);
                            }
                        }
                    }
                    Ok(())
                })?;
            start = end;
            progress(DemoProgress {
                stage: "items",
                done: count(start),
                total: count(plan.item_count),
            });
        }

        let answers = DemoAnswers {
            seed: plan.seed,
            scale: plan.scale.as_str().to_owned(),
            employees: plan
                .nominals
                .iter()
                .filter(|n| n.kind() == crate::domain::NominalKind::Employee)
                .count(),
            nominals: plan.nominals.len(),
            items: plan.item_count,
            links: plan.links.len(),
            declared_associations: plan
                .links
                .iter()
                .filter(|l| l.link_type == "declared_association")
                .count(),
            exposures: plan
                .exposures
                .iter()
                .map(|&(employee, associate, ocg, declared)| PlantedExposure {
                    employee: ids[employee],
                    associate: ids[associate],
                    ocg: ids[ocg],
                    declared,
                })
                .collect(),
            near_duplicates: plan
                .near_duplicates
                .iter()
                .map(|&(a, b)| (ids[a], ids[b]))
                .collect(),
            planted_terms: plan
                .planted_terms
                .iter()
                .zip(references)
                .map(|((_, term), reference)| PlantedTerm {
                    term: term.clone(),
                    reference,
                })
                .collect(),
            items_by_category: by_category.into_iter().collect(),
        };
        let summary = serde_json::json!({
            "seed": plan.seed,
            "scale": plan.scale.as_str(),
            "import": import_id.0,
            "nominals": answers.nominals,
            "links": answers.links,
            "items": answers.items,
        });
        self.store.write(&self.actor(), |tx| {
            tx.audit(
                NewAuditEntry::new(AuditAction::DemoGenerated, "workbench")
                    .with_detail(summary.to_string()),
            )
        })?;
        progress(DemoProgress {
            stage: "statistics",
            done: 0,
            total: 1,
        });
        self.store.analyze()?;
        Ok(answers)
    }
}
