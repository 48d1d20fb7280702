//! The synthetic demo force: staff, associates, organised crime groups, phones, links and
//! intelligence items, generated deterministically from a seed, with known patterns planted for
//! the analysis to find. Pure generation: the workbench loads what this produces.

mod assessment_text;
mod bulk;
mod generator;
mod names;
mod rng;

pub use assessment_text::{demo_assessment_text, demo_control_strategy};
pub use bulk::{DemoBulk, PlantedLeadPlan, bulk_plan, undeclared_direct_associations};
pub use generator::{
    DemoAnswers, DemoItem, DemoLink, DemoPlan, DemoScale, PlantedExposure, PlantedLead,
    PlantedTerm, demo_item, plan,
};
pub use rng::SplitMix64;
