//! GraphML export of a [`LinkGraph`], readable by networkx, igraph, Gephi and yEd.
//!
//! Nodes are `n<nominal id>` and edges `e<link id>`, so what another tool reports can be traced
//! back to the workbench's records. The graph is written undirected (`edgedefault`), with each
//! link's own direction kept as the `directed` attribute: networkx and igraph read one kind of
//! graph, and link analysis here treats links as undirected unless asked to follow direction.

use super::xml_escape as escape;
use crate::graph::LinkGraph;
use std::io::{self, Write};

/// Writes `graph` as GraphML.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_graphml(graph: &LinkGraph, mut out: impl Write) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for (id, target, name, kind) in [
        ("label", "node", "label", "string"),
        ("kind", "node", "kind", "string"),
        ("ocg", "node", "ocg", "boolean"),
        ("criminal", "node", "criminal", "boolean"),
        ("link_type", "edge", "link_type", "string"),
        ("confidence", "edge", "confidence", "string"),
        ("directed", "edge", "directed", "boolean"),
        ("valid_from", "edge", "valid_from", "string"),
        ("valid_to", "edge", "valid_to", "string"),
    ] {
        writeln!(
            out,
            r#"  <key id="{id}" for="{target}" attr.name="{name}" attr.type="{kind}"/>"#
        )?;
    }
    writeln!(out, r#"  <graph id="ccu" edgedefault="undirected">"#)?;
    for node in graph.nodes() {
        writeln!(out, r#"    <node id="n{}">"#, node.id)?;
        writeln!(
            out,
            r#"      <data key="label">{}</data>"#,
            escape(&node.label)
        )?;
        writeln!(
            out,
            r#"      <data key="kind">{}</data>"#,
            node.kind.as_str()
        )?;
        writeln!(out, r#"      <data key="ocg">{}</data>"#, node.ocg)?;
        writeln!(
            out,
            r#"      <data key="criminal">{}</data>"#,
            node.criminal
        )?;
        writeln!(out, "    </node>")?;
    }
    for edge in graph.edges() {
        writeln!(
            out,
            r#"    <edge id="e{}" source="n{}" target="n{}">"#,
            edge.link, edge.from, edge.to
        )?;
        writeln!(
            out,
            r#"      <data key="link_type">{}</data>"#,
            escape(&edge.link_type)
        )?;
        writeln!(
            out,
            r#"      <data key="confidence">{}</data>"#,
            escape(&edge.confidence)
        )?;
        writeln!(
            out,
            r#"      <data key="directed">{}</data>"#,
            edge.directed
        )?;
        if let Some(from) = edge.valid_from {
            writeln!(out, r#"      <data key="valid_from">{from}</data>"#)?;
        }
        if let Some(to) = edge.valid_to {
            writeln!(out, r#"      <data key="valid_to">{to}</data>"#)?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{LinkId, NominalId, NominalKind};
    use crate::graph::{GraphEdge, GraphFilter, GraphNode};

    #[test]
    fn nodes_and_links_keep_their_ids_and_text_is_escaped() {
        let node = |id: i64, label: &str| GraphNode {
            id: NominalId(id),
            kind: NominalKind::Person,
            label: label.into(),
            ocg: false,
            criminal: id == 2,
        };
        let graph = LinkGraph::build(
            vec![node(1, "A & B <x>"), node(2, "C")],
            [GraphEdge {
                link: LinkId(7),
                from: NominalId(1),
                to: NominalId(2),
                link_type: "friend".into(),
                directed: false,
                valid_from: None,
                valid_to: None,
                confidence: "probable".into(),
                item_sources: Some(1),
                import_sources: Some(0),
            }],
            &GraphFilter::default(),
        );
        let mut out = Vec::new();
        write_graphml(&graph, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"<node id="n1">"#));
        assert!(text.contains("A &amp; B &lt;x&gt;"));
        assert!(text.contains(r#"<edge id="e7" source="n1" target="n2">"#));
        assert!(text.contains(r#"<data key="criminal">true</data>"#));
    }
}
