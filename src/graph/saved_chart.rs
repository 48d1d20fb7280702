//! A link chart as saved in the workbench: which nominals are on it, where, which are pinned,
//! the filter, and the highlighted path, so an analyst reopens exactly what they left.

use super::{GraphFilter, GraphPath};
use crate::domain::NominalId;
use serde::{Deserialize, Serialize};

/// One nominal's place on a chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ChartPlacement {
    pub id: NominalId,
    pub x: f32,
    pub y: f32,
    #[serde(default)]
    pub pinned: bool,
}

/// A saved chart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedChart {
    /// Unique within the workbench.
    pub name: String,
    pub placements: Vec<ChartPlacement>,
    pub hidden: Vec<NominalId>,
    pub filter: GraphFilter,
    pub highlighted: Option<GraphPath>,
    /// Nominals the analyst grouped, drawn in a labelled box.
    pub groups: Vec<ChartGroup>,
}

/// Nominals grouped on a chart by the analyst: a box round them, with the group's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartGroup {
    pub name: String,
    /// Sorted by id; a nominal is in one group at most.
    pub members: Vec<NominalId>,
}
