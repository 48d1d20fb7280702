//! Conditional formatting of a link chart, as i2 Analyst's Notebook's: nodes sized by a
//! centrality measure and coloured by community, by kind, by Operation Beacon band or by
//! notifiable association, with the legend that says what each colour means; and the markers a
//! node carries for what the workbench knows of the nominal (vulnerable, journalist, private
//! investigator, a live notifiable association).
//!
//! Pure: the chart's graph and a [`ChartContext`] (read from the store by the workbench, once
//! per chart) in, sizes, colours and a legend out. The screen and the exports draw them alike.

use super::chart_style::{Rgb, node_style};
use super::{LinkGraph, Measure, betweenness_centrality_sampled, centrality, louvain_communities};
use crate::domain::{NominalId, NominalKind};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// What the workbench knows of the nominals on a chart beyond the graph: their flags, their
/// latest Beacon band and whether they are party to a live notifiable association.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartContext {
    /// People flagged vulnerable, journalist or private investigator (others are absent).
    pub flags: HashMap<NominalId, NodeFlags>,
    /// Employees assessed under Operation Beacon: their latest band.
    pub beacon: HashMap<NominalId, BeaconMark>,
    /// Employees and associates party to a live notifiable association.
    pub live_associations: HashSet<NominalId>,
    /// Employees who are police staff rather than officers (their own icon).
    #[serde(default)]
    pub police_staff: HashSet<NominalId>,
}

/// A person's flags that a chart marks (criminal and OCG member are the graph's own rings).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeFlags {
    pub vulnerable: bool,
    pub journalist: bool,
    pub private_investigator: bool,
}

/// An employee's latest Beacon band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeaconMark {
    pub band: String,
    /// The band's colour as the instrument gives it (`#rrggbb`).
    pub colour: String,
    /// The band's place in its instrument, from 0 (least serious).
    pub rank: usize,
}

/// A marker drawn beside a node: a letter on a coloured disc, explained in the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeMarker {
    Vulnerable,
    Journalist,
    PrivateInvestigator,
    LiveAssociation,
}

impl NodeMarker {
    pub const ALL: [NodeMarker; 4] = [
        Self::Vulnerable,
        Self::Journalist,
        Self::PrivateInvestigator,
        Self::LiveAssociation,
    ];

    /// The letter on the marker.
    #[must_use]
    pub fn letter(self) -> &'static str {
        match self {
            Self::Vulnerable => "V",
            Self::Journalist => "J",
            Self::PrivateInvestigator => "P",
            Self::LiveAssociation => "N",
        }
    }

    /// What the marker means, for the legend.
    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Vulnerable => "Vulnerable",
            Self::Journalist => "Journalist",
            Self::PrivateInvestigator => "Private investigator",
            Self::LiveAssociation => "Live notifiable association",
        }
    }

    /// The marker's disc colour.
    #[must_use]
    pub fn colour(self) -> Rgb {
        match self {
            Self::Vulnerable => [0x00, 0x79, 0x6b],
            Self::Journalist => [0x37, 0x47, 0x4f],
            Self::PrivateInvestigator => [0x5d, 0x40, 0x37],
            Self::LiveAssociation => [0xd8, 0x43, 0x15],
        }
    }

    /// The bit of the marker in a node's marker set.
    #[must_use]
    pub fn bit(self) -> u8 {
        match self {
            Self::Vulnerable => 1,
            Self::Journalist => 2,
            Self::PrivateInvestigator => 4,
            Self::LiveAssociation => 8,
        }
    }
}

/// What sizes the nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SizeBy {
    /// Each kind its own size.
    #[default]
    Kind,
    Degree,
    Betweenness,
    Eigenvector,
}

impl SizeBy {
    pub const ALL: [SizeBy; 4] = [
        Self::Kind,
        Self::Degree,
        Self::Betweenness,
        Self::Eigenvector,
    ];

    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Kind => "Kind",
            Self::Degree => "Degree centrality",
            Self::Betweenness => "Betweenness centrality",
            Self::Eigenvector => "Eigenvector centrality",
        }
    }

    fn measure(self) -> Option<Measure> {
        match self {
            Self::Kind => None,
            Self::Degree => Some(Measure::Degree),
            Self::Betweenness => Some(Measure::Betweenness),
            Self::Eigenvector => Some(Measure::Eigenvector),
        }
    }
}

/// What colours the nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColourBy {
    #[default]
    Kind,
    Community,
    BeaconBand,
    Association,
}

impl ColourBy {
    pub const ALL: [ColourBy; 4] = [
        Self::Kind,
        Self::Community,
        Self::BeaconBand,
        Self::Association,
    ];

    #[must_use]
    pub fn words(self) -> &'static str {
        match self {
            Self::Kind => "Kind",
            Self::Community => "Community",
            Self::BeaconBand => "Beacon band",
            Self::Association => "Notifiable association",
        }
    }

    /// Whether the colouring needs the workbench's [`ChartContext`].
    #[must_use]
    pub fn needs_context(self) -> bool {
        matches!(self, Self::BeaconBand | Self::Association)
    }
}

/// Above this many nominals on a chart, betweenness is estimated from [`SAMPLED_SOURCES`]
/// sources, so choosing it answers in a moment on the screen's thread.
const EXACT_MAX_NODES: usize = 2_000;
const SAMPLED_SOURCES: usize = 100;

/// The smallest and largest size a centrality gives, as a multiple of the kind's size.
pub const MIN_SCALE: f32 = 0.7;
pub const MAX_SCALE: f32 = 2.2;
/// Communities beyond this many (smallest last) share the last colour.
const COMMUNITY_COLOURS: [Rgb; 10] = [
    [0x1f, 0x77, 0xb4],
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x17, 0xbe, 0xcf],
    [0xbc, 0xbd, 0x22],
    [0x7f, 0x7f, 0x7f],
];
/// Nodes the colouring says nothing about (not assessed, no association).
pub const UNMARKED: Rgb = [0xc4, 0xc8, 0xcc];
const LIVE_ASSOCIATION: Rgb = [0xd8, 0x43, 0x15];

/// One line of the legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendEntry {
    pub colour: Rgb,
    pub words: String,
    /// Drawn as this kind's node with its icon (police staff's when `police_staff`), not a
    /// plain disc.
    pub kind: Option<(NominalKind, bool)>,
}

/// Sizes, colours and markers for a chart's nodes, and the legend that explains them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Formatting {
    /// Size as a multiple of the kind's (absent: 1).
    pub scale: HashMap<NominalId, f32>,
    /// Fill colour (absent: the kind's).
    pub fill: HashMap<NominalId, Rgb>,
    /// Markers by [`NodeMarker::bit`] (absent: none).
    pub markers: HashMap<NominalId, u8>,
    /// What the colours mean.
    pub legend: Vec<LegendEntry>,
    /// What the sizes mean (`None` when sized by kind).
    pub size_legend: Option<String>,
    /// The markers on the chart, for the legend.
    pub markers_shown: Vec<NodeMarker>,
    /// The most central nominals (by the size measure, or by degree): labelled at every zoom.
    pub prominent: HashSet<NominalId>,
    /// Employees drawn with police staff's icon.
    pub police_staff: HashSet<NominalId>,
}

/// How many of the most central nominals keep their labels at every zoom: one in twenty, at
/// least one and at most this many.
pub const PROMINENT_LABELS: usize = 10;

fn prominent_count(graph: &LinkGraph) -> usize {
    (graph.node_count() / 20).clamp(1, PROMINENT_LABELS)
}

/// `#rrggbb` as a colour.
#[must_use]
pub fn hex_rgb(text: &str) -> Option<Rgb> {
    let digits = text.strip_prefix('#').unwrap_or(text);
    if digits.len() != 6 {
        return None;
    }
    let [_, r, g, b] = u32::from_str_radix(digits, 16).ok()?.to_be_bytes();
    Some([r, g, b])
}

/// Formats `graph` as `size_by` and `colour_by` say, with what `context` knows.
#[must_use]
pub fn format_chart(
    graph: &LinkGraph,
    size_by: SizeBy,
    colour_by: ColourBy,
    context: &ChartContext,
) -> Formatting {
    let mut formatting = Formatting::default();
    if size_by.measure().is_none() {
        // Degree is linear: the most linked keep their labels even when sized by kind.
        formatting.prominent = super::degree_centrality(graph)
            .top(prominent_count(graph))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
    }
    if let Some(measure) = size_by.measure() {
        // Exact betweenness is quadratic: a big chart's is estimated from a sample of sources.
        // A measure that does not converge leaves the sizes as they are.
        let scores = if measure == Measure::Betweenness && graph.node_count() > EXACT_MAX_NODES {
            Ok(betweenness_centrality_sampled(graph, SAMPLED_SOURCES, 2026))
        } else {
            centrality(graph, measure)
        };
        if let Ok(scores) = scores {
            formatting.prominent = scores
                .top(prominent_count(graph))
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let max = graph
                .nodes()
                .filter_map(|n| scores.score(n.id))
                .fold(0.0_f64, f64::max);
            for node in graph.nodes() {
                let share = if max > 0.0 {
                    scores.score(node.id).unwrap_or(0.0) / max
                } else {
                    0.0
                };
                #[expect(clippy::cast_possible_truncation, reason = "a share in 0..=1")]
                let share = share.sqrt() as f32;
                formatting
                    .scale
                    .insert(node.id, MIN_SCALE + (MAX_SCALE - MIN_SCALE) * share);
            }
            formatting.size_legend = Some(format!("Size: {}", size_by.words().to_lowercase()));
        }
    }
    colour(graph, colour_by, context, &mut formatting);
    formatting.police_staff = graph
        .nodes()
        .filter(|n| context.police_staff.contains(&n.id))
        .map(|n| n.id)
        .collect();
    let mut shown: u8 = 0;
    for node in graph.nodes() {
        let flags = context.flags.get(&node.id).copied().unwrap_or_default();
        let mut bits = 0;
        for (on, marker) in [
            (flags.vulnerable, NodeMarker::Vulnerable),
            (flags.journalist, NodeMarker::Journalist),
            (flags.private_investigator, NodeMarker::PrivateInvestigator),
            (
                context.live_associations.contains(&node.id),
                NodeMarker::LiveAssociation,
            ),
        ] {
            if on {
                bits |= marker.bit();
            }
        }
        if bits != 0 {
            formatting.markers.insert(node.id, bits);
            shown |= bits;
        }
    }
    formatting.markers_shown = NodeMarker::ALL
        .into_iter()
        .filter(|m| shown & m.bit() != 0)
        .collect();
    formatting
}

/// Colours `graph`'s nodes as `colour_by` says, with the legend that explains them.
fn colour(
    graph: &LinkGraph,
    colour_by: ColourBy,
    context: &ChartContext,
    formatting: &mut Formatting,
) {
    match colour_by {
        ColourBy::Kind => {
            // Employees split into officers and police staff, each with its icon.
            let kinds: std::collections::BTreeSet<(NominalKind, bool)> = graph
                .nodes()
                .map(|n| (n.kind, context.police_staff.contains(&n.id)))
                .collect();
            formatting.legend = kinds
                .into_iter()
                .map(|(kind, staff)| LegendEntry {
                    colour: node_style(kind).0,
                    words: match (kind, staff) {
                        (NominalKind::Employee, false) => String::from("Police officer"),
                        (NominalKind::Employee, true) => String::from("Police staff"),
                        _ => kind.label().to_owned(),
                    },
                    kind: Some((kind, staff)),
                })
                .collect();
        }
        ColourBy::Community => {
            let found = louvain_communities(graph);
            for (index, group) in found.groups.iter().enumerate() {
                let colour = COMMUNITY_COLOURS[index.min(COMMUNITY_COLOURS.len() - 1)];
                for id in group {
                    formatting.fill.insert(*id, colour);
                }
                if index < COMMUNITY_COLOURS.len() - 1 {
                    formatting.legend.push(LegendEntry {
                        colour,
                        words: format!("Community {} ({} nominals)", index + 1, group.len()),
                        kind: None,
                    });
                } else if index == COMMUNITY_COLOURS.len() - 1 {
                    let rest: usize = found.groups[index..].iter().map(Vec::len).sum();
                    formatting.legend.push(LegendEntry {
                        colour,
                        words: format!("Smaller communities ({rest} nominals)"),
                        kind: None,
                    });
                }
            }
        }
        ColourBy::BeaconBand => {
            let mut bands: Vec<(usize, String, Rgb)> = Vec::new();
            for node in graph.nodes() {
                let colour = match context.beacon.get(&node.id) {
                    Some(mark) => {
                        let colour = hex_rgb(&mark.colour).unwrap_or(UNMARKED);
                        if !bands.iter().any(|(_, band, _)| *band == mark.band) {
                            bands.push((mark.rank, mark.band.clone(), colour));
                        }
                        colour
                    }
                    None => UNMARKED,
                };
                formatting.fill.insert(node.id, colour);
            }
            bands.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            formatting.legend = bands
                .into_iter()
                .map(|(_, band, colour)| LegendEntry {
                    colour,
                    words: format!("Beacon: {band}"),
                    kind: None,
                })
                .collect();
            formatting.legend.push(LegendEntry {
                colour: UNMARKED,
                words: String::from("Not assessed under Beacon"),
                kind: None,
            });
        }
        ColourBy::Association => {
            for node in graph.nodes() {
                let live = context.live_associations.contains(&node.id);
                formatting
                    .fill
                    .insert(node.id, if live { LIVE_ASSOCIATION } else { UNMARKED });
            }
            formatting.legend = vec![
                LegendEntry {
                    colour: LIVE_ASSOCIATION,
                    words: String::from("Party to a live notifiable association"),
                    kind: None,
                },
                LegendEntry {
                    colour: UNMARKED,
                    words: String::from("No live notifiable association"),
                    kind: None,
                },
            ];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::LinkId;
    use crate::graph::{GraphEdge, GraphFilter, GraphNode};

    fn star() -> LinkGraph {
        let nodes: Vec<GraphNode> = (1..=5)
            .map(|id| GraphNode {
                id: NominalId(id),
                kind: if id == 1 {
                    NominalKind::Employee
                } else {
                    NominalKind::Person
                },
                label: format!("N{id}"),
                ocg: false,
                criminal: false,
            })
            .collect();
        let edges: Vec<GraphEdge> = (2..=5)
            .map(|id| GraphEdge {
                link: LinkId(id),
                from: NominalId(1),
                to: NominalId(id),
                link_type: "associate".into(),
                directed: false,
                valid_from: None,
                valid_to: None,
                confidence: "probable".into(),
                item_sources: Some(1),
                import_sources: Some(0),
            })
            .collect();
        LinkGraph::build(nodes, edges, &GraphFilter::default())
    }

    #[test]
    fn the_hub_is_the_biggest_and_leaves_the_smallest() {
        for size_by in [SizeBy::Degree, SizeBy::Betweenness, SizeBy::Eigenvector] {
            let f = format_chart(&star(), size_by, ColourBy::Kind, &ChartContext::default());
            let hub = f.scale[&NominalId(1)];
            assert!((hub - MAX_SCALE).abs() < 1e-4, "{size_by:?} {hub}");
            for id in 2..=5 {
                assert!(f.scale[&NominalId(id)] < hub, "{size_by:?}");
                assert!(f.scale[&NominalId(id)] >= MIN_SCALE);
            }
            assert!(f.size_legend.is_some());
            assert!(f.prominent.contains(&NominalId(1)));
        }
        let plain = format_chart(
            &star(),
            SizeBy::Kind,
            ColourBy::Kind,
            &ChartContext::default(),
        );
        assert!(plain.scale.is_empty() && plain.size_legend.is_none());
        // By kind: the legend names the kinds on the chart, and only those.
        let words: Vec<&str> = plain.legend.iter().map(|e| e.words.as_str()).collect();
        assert_eq!(words.len(), 2, "{words:?}");
    }

    #[test]
    fn beacon_bands_and_associations_colour_and_mark_only_those_they_concern() {
        let mut context = ChartContext::default();
        context.beacon.insert(
            NominalId(1),
            BeaconMark {
                band: "High".into(),
                colour: "#c62828".into(),
                rank: 3,
            },
        );
        context.live_associations.insert(NominalId(2));
        context.flags.insert(
            NominalId(3),
            NodeFlags {
                journalist: true,
                ..NodeFlags::default()
            },
        );
        let f = format_chart(&star(), SizeBy::Kind, ColourBy::BeaconBand, &context);
        assert_eq!(f.fill[&NominalId(1)], [0xc6, 0x28, 0x28]);
        assert_eq!(f.fill[&NominalId(2)], UNMARKED);
        assert_eq!(f.legend[0].words, "Beacon: High");
        let f = format_chart(&star(), SizeBy::Kind, ColourBy::Association, &context);
        assert_eq!(f.fill[&NominalId(2)], LIVE_ASSOCIATION);
        assert_eq!(f.fill[&NominalId(1)], UNMARKED);
        assert_eq!(f.markers[&NominalId(2)], NodeMarker::LiveAssociation.bit());
        assert_eq!(f.markers[&NominalId(3)], NodeMarker::Journalist.bit());
        assert!(!f.markers.contains_key(&NominalId(4)));
        assert_eq!(
            f.markers_shown,
            vec![NodeMarker::Journalist, NodeMarker::LiveAssociation]
        );
    }

    #[test]
    fn communities_get_colours_of_their_own() {
        let f = format_chart(
            &star(),
            SizeBy::Kind,
            ColourBy::Community,
            &ChartContext::default(),
        );
        assert_eq!(f.fill.len(), 5);
        assert!(!f.legend.is_empty());
        assert_eq!(hex_rgb("#2e7d32"), Some([0x2e, 0x7d, 0x32]));
        assert_eq!(hex_rgb("green"), None);
    }
}
