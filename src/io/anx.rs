//! i2 Analyst's Notebook exchange format (`.anx`): the link graph as an ANB chart, so analysts
//! who still brief from Analyst's Notebook are not stranded.
//!
//! The file follows the exchange structure ANB 7 and later read: a `Chart` with the attribute
//! classes, link types and entity types it uses declared first, then one `ChartItem` per
//! nominal (an `End` holding an `Entity` with its icon) and per link (a `Link` between two
//! entity ids, with an arrow for a directed link), each with its attributes. A saved chart's
//! entities keep the places the analyst gave them; the whole graph's are placed on a grid, and
//! ANB lays the chart out again on request. Entity ids are `n<nominal id>` so what ANB shows
//! traces back to the workbench's record.

use super::xml_escape as escape;
use crate::domain::{NominalId, NominalKind};
use crate::graph::LinkGraph;
use std::collections::HashMap;
use std::io::{self, Write};

/// Entities per row of the grid, and the grid's spacing in ANB's units.
const GRID_COLUMNS: usize = 20;
const GRID_SPACING: usize = 120;

/// The attribute classes the chart uses: name, and whether it describes entities or links.
const ATTRIBUTE_CLASSES: [&str; 7] = [
    "Kind",
    "OCG",
    "Criminal",
    "Link type",
    "Confidence",
    "Valid from",
    "Valid to",
];

/// The ANB entity type (and standard icon) for a kind of nominal.
fn entity_type(kind: NominalKind) -> (&'static str, &'static str) {
    match kind {
        NominalKind::Employee | NominalKind::Person => ("Person", "Person"),
        NominalKind::Ocg | NominalKind::Organisation => ("Organisation", "Organisation"),
        NominalKind::Phone => ("Telephone", "Telephone"),
        NominalKind::Account => ("Account", "Computer"),
        NominalKind::Vehicle => ("Vehicle", "Car"),
        NominalKind::Address => ("Address", "House"),
    }
}

fn attribute(out: &mut impl Write, class: &str, value: &str) -> io::Result<()> {
    writeln!(
        out,
        r#"        <Attribute AttributeClass="{}" Value="{}"/>"#,
        escape(class),
        escape(value)
    )
}

/// Writes `graph` as an Analyst's Notebook chart, each entity at its place in `positions`
/// (a saved chart's layout, in the chart's units) or, if it has none there, on a grid.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_anx<S: std::hash::BuildHasher>(
    graph: &LinkGraph,
    positions: &HashMap<NominalId, (i64, i64), S>,
    mut out: impl Write,
) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<Chart IdReferenceLinking="false" Rigorous="true">"#)?;
    writeln!(out, "  <AttributeClassCollection>")?;
    for class in ATTRIBUTE_CLASSES {
        writeln!(
            out,
            r#"    <AttributeClass Name="{class}" Type="AttText" ShowValue="true"/>"#
        )?;
    }
    writeln!(out, "  </AttributeClassCollection>")?;
    writeln!(out, "  <LinkTypeCollection>")?;
    writeln!(out, r#"    <LinkType Name="Link" Colour="0"/>"#)?;
    writeln!(out, "  </LinkTypeCollection>")?;
    writeln!(out, "  <EntityTypeCollection>")?;
    let mut declared: Vec<(&str, &str)> = Vec::new();
    for kind in NominalKind::ALL {
        let (name, icon) = entity_type(kind);
        if !declared.iter().any(|(known, _)| *known == name) {
            declared.push((name, icon));
            writeln!(out, r#"    <EntityType Name="{name}" IconFile="{icon}"/>"#)?;
        }
    }
    writeln!(out, "  </EntityTypeCollection>")?;
    writeln!(out, "  <ChartItemCollection>")?;
    for (index, node) in graph.nodes().enumerate() {
        let (type_name, _) = entity_type(node.kind);
        let (x, y) = positions.get(&node.id).copied().unwrap_or_else(|| {
            let grid = |n: usize| i64::try_from(n * GRID_SPACING).unwrap_or(i64::MAX);
            (grid(index % GRID_COLUMNS), grid(index / GRID_COLUMNS))
        });
        writeln!(
            out,
            r#"    <ChartItem Label="{}" DateSet="false" XPosition="{x}">"#,
            escape(&node.label)
        )?;
        writeln!(out, r#"      <End Y="{y}">"#)?;
        writeln!(
            out,
            r#"        <Entity EntityId="n{id}" Identity="n{id}">"#,
            id = node.id
        )?;
        writeln!(
            out,
            r#"          <Icon><IconStyle Type="{type_name}"/></Icon>"#
        )?;
        writeln!(out, "        </Entity>")?;
        writeln!(out, "      </End>")?;
        writeln!(out, "      <AttributeCollection>")?;
        attribute(&mut out, "Kind", node.kind.label())?;
        if node.ocg {
            attribute(&mut out, "OCG", "yes")?;
        }
        if node.criminal {
            attribute(&mut out, "Criminal", "yes")?;
        }
        writeln!(out, "      </AttributeCollection>")?;
        writeln!(out, "    </ChartItem>")?;
    }
    for edge in graph.edges() {
        let label = edge.link_type.replace('_', " ");
        writeln!(
            out,
            r#"    <ChartItem Label="{}" DateSet="false">"#,
            escape(&label)
        )?;
        writeln!(
            out,
            r#"      <Link End1Id="n{}" End2Id="n{}">"#,
            edge.from, edge.to
        )?;
        let arrow = if edge.directed {
            "ArrowOnHead"
        } else {
            "ArrowNone"
        };
        writeln!(
            out,
            r#"        <LinkStyle ArrowStyle="{arrow}" Type="Link"/>"#
        )?;
        writeln!(out, "      </Link>")?;
        writeln!(out, "      <AttributeCollection>")?;
        attribute(&mut out, "Link type", &edge.link_type)?;
        attribute(&mut out, "Confidence", &edge.confidence)?;
        if let Some(from) = edge.valid_from {
            attribute(&mut out, "Valid from", &from.to_string())?;
        }
        if let Some(to) = edge.valid_to {
            attribute(&mut out, "Valid to", &to.to_string())?;
        }
        writeln!(out, "      </AttributeCollection>")?;
        writeln!(out, "    </ChartItem>")?;
    }
    writeln!(out, "  </ChartItemCollection>")?;
    writeln!(out, "</Chart>")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{IsoDate, LinkId, NominalId};
    use crate::graph::{GraphEdge, GraphFilter, GraphNode};

    fn node(id: i64, kind: NominalKind, label: &str) -> GraphNode {
        GraphNode {
            id: NominalId(id),
            kind,
            label: label.into(),
            ocg: kind == NominalKind::Ocg,
            criminal: false,
        }
    }

    fn sample() -> LinkGraph {
        let nodes = vec![
            node(1, NominalKind::Employee, "PC Synthetic <One> & \"Two\""),
            node(2, NominalKind::Ocg, "Synthetic Crew"),
            node(3, NominalKind::Phone, "+447700900123"),
        ];
        let edge = |link: i64, from: i64, to: i64, link_type: &str, directed: bool| GraphEdge {
            link: LinkId(link),
            from: NominalId(from),
            to: NominalId(to),
            link_type: link_type.into(),
            directed,
            valid_from: IsoDate::from_ymd(2024, 3, 1),
            valid_to: None,
            confidence: "probable".into(),
            item_sources: None,
            import_sources: None,
        };
        LinkGraph::build(
            nodes,
            vec![
                edge(10, 1, 2, "criminal_associate", false),
                edge(11, 1, 3, "uses_phone", true),
            ],
            &GraphFilter::default(),
        )
    }

    #[test]
    fn entities_links_and_attributes_are_written_with_text_escaped() {
        let mut out = Vec::new();
        write_anx(&sample(), &HashMap::new(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"Label="PC Synthetic &lt;One&gt; &amp; &quot;Two&quot;""#));
        assert!(text.contains(r#"<Entity EntityId="n2" Identity="n2">"#));
        assert!(text.contains(r#"<IconStyle Type="Telephone"/>"#));
        assert!(text.contains(r#"<Link End1Id="n1" End2Id="n3">"#));
        assert!(text.contains(r#"<LinkStyle ArrowStyle="ArrowOnHead" Type="Link"/>"#));
        assert!(text.contains(r#"<Attribute AttributeClass="Valid from" Value="2024-03-01"/>"#));
        assert!(text.contains(r#"<Attribute AttributeClass="OCG" Value="yes"/>"#));
        assert_eq!(text.matches("<ChartItem ").count(), 5);
    }
}
