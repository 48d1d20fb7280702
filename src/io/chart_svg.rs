//! A link chart as SVG: the picture the PNG export draws (the same [`ChartScene`]), as vectors
//! that stay sharp at any size in a report or a briefing, and that name what they show. Each
//! nominal is one `<g class="node" id="nominal-N">` whose `<title>` is its label, each link
//! one `<g class="link" id="link-N">` whose `<title>` is its type in words, so a reader (or
//! a test) finds every nominal and link of the chart in the file. The handling marking is
//! written at the top and the foot. Every text is XML-escaped; the file has no script, no
//! style sheet and no external reference.

use super::chart_scene::{ChartScene, Outline, SceneLink, SceneNode};
use super::xml_escape as escape;
use crate::graph::chart_style::{self as style, Rgb};
use std::io::{self, Write};

/// The font the PNG draws with (egui's Ubuntu Light), and what to use where it is missing.
const FONT_FAMILY: &str = "Ubuntu, 'Ubuntu Light', 'DejaVu Sans', sans-serif";
/// A text's baseline below its top, in ems (Ubuntu's ascent).
const ASCENT_EM: f32 = 0.93;

/// Writes `scene` as a standalone SVG document.
///
/// # Errors
/// Whatever the writer reports.
pub fn write_svg(scene: &ChartScene<'_>, mut out: impl Write) -> io::Result<()> {
    let (width, height) = (scene.width, scene.height);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{}" font-weight="300">"#,
        escape(FONT_FAMILY)
    )?;
    writeln!(
        out,
        r#"<rect width="{width}" height="{height}" fill="{}"/>"#,
        hex(style::BACKGROUND)
    )?;
    writeln!(out, r#"<g class="links" fill="none">"#)?;
    for link in &scene.links {
        write_link(&mut out, link)?;
    }
    writeln!(out, "</g>")?;
    writeln!(out, r#"<g class="nodes">"#)?;
    for node in &scene.nodes {
        write_node(&mut out, node)?;
    }
    writeln!(out, "</g>")?;
    #[expect(clippy::cast_precision_loss, reason = "picture sides are at most 8192")]
    let middle = width as f32 / 2.0;
    for top in scene.marking_tops {
        writeln!(
            out,
            r#"<text class="marking" x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="400" fill="{}">{}</text>"#,
            N(middle),
            N(top + style::MARKING_SIZE * ASCENT_EM),
            N(style::MARKING_SIZE),
            hex(style::MARKING),
            escape(scene.marking)
        )?;
    }
    writeln!(out, "</svg>")?;
    out.flush()
}

fn write_link(out: &mut impl Write, link: &SceneLink<'_>) -> io::Result<()> {
    let edge = link.edge;
    writeln!(
        out,
        r#"<g class="link{}" id="link-{}" data-type="{}" data-confidence="{}" stroke="{}" stroke-width="{}">"#,
        if link.highlighted { " highlighted" } else { "" },
        edge.link,
        escape(&edge.link_type),
        escape(&edge.confidence),
        hex(link.colour()),
        N(link.width())
    )?;
    writeln!(out, "<title>{}</title>", escape(&link.words))?;
    let dash = if link.dashed {
        let [on, off] = style::WEAK_LINK_DASH;
        format!(r#" stroke-dasharray="{} {}""#, N(on), N(off))
    } else {
        String::new()
    };
    writeln!(
        out,
        r#"<path d="M{} {}L{} {}"{dash}/>"#,
        N(link.from[0]),
        N(link.from[1]),
        N(link.to[0]),
        N(link.to[1])
    )?;
    if let Some([tip, left, right]) = link.arrow {
        writeln!(
            out,
            r#"<path class="arrow" d="M{} {}L{} {}M{} {}L{} {}"/>"#,
            N(tip[0]),
            N(tip[1]),
            N(left[0]),
            N(left[1]),
            N(tip[0]),
            N(tip[1]),
            N(right[0]),
            N(right[1])
        )?;
    }
    writeln!(out, "</g>")
}

fn write_node(out: &mut impl Write, node: &SceneNode<'_>) -> io::Result<()> {
    let nominal = node.node;
    let label = escape(&nominal.label);
    writeln!(
        out,
        r#"<g class="node" id="nominal-{}" data-kind="{}">"#,
        nominal.id,
        escape(nominal.kind.label())
    )?;
    writeln!(out, "<title>{label}</title>")?;
    let outline = if node.outlined {
        format!(r#" stroke="{}" stroke-width="1""#, hex(style::NODE_OUTLINE))
    } else {
        String::new()
    };
    write_outline(
        out,
        &node.shape,
        &format!(r#"fill="{}"{outline}"#, hex(node.fill)),
    )?;
    if !node.icon.is_empty() {
        writeln!(out, r#"<g class="icon" fill="{}">"#, hex(style::ICON))?;
        for part in &node.icon {
            write_outline(out, part, "")?;
        }
        writeln!(out, "</g>")?;
    }
    for ring in &node.rings {
        writeln!(
            out,
            r#"<circle class="ring" cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}"/>"#,
            N(node.centre[0]),
            N(node.centre[1]),
            N(ring.radius),
            hex(ring.colour),
            N(ring.width)
        )?;
    }
    if let Some(top) = node.label_top {
        writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{}">{label}</text>"#,
            N(node.centre[0]),
            N(top + style::LABEL_SIZE * ASCENT_EM),
            N(style::LABEL_SIZE),
            hex(style::LABEL)
        )?;
    }
    writeln!(out, "</g>")
}

/// A circle or polygon element, with `attributes` (already escaped) added.
fn write_outline(out: &mut impl Write, outline: &Outline, attributes: &str) -> io::Result<()> {
    let space = if attributes.is_empty() { "" } else { " " };
    match outline {
        Outline::Circle { centre, radius } => writeln!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}"{space}{attributes}/>"#,
            N(centre[0]),
            N(centre[1]),
            N(*radius)
        ),
        Outline::Polygon(points) => {
            let points: Vec<String> = points
                .iter()
                .map(|p| format!("{},{}", N(p[0]), N(p[1])))
                .collect();
            writeln!(
                out,
                r#"<polygon points="{}"{space}{attributes}/>"#,
                points.join(" ")
            )
        }
    }
}

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A coordinate or length, to a hundredth of a pixel, without trailing zeros.
struct N(f32);

impl std::fmt::Display for N {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.0.is_finite() { self.0 } else { 0.0 };
        let text = format!("{value:.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        f.write_str(if text == "-0" { "0" } else { text })
    }
}

#[cfg(test)]
mod tests {
    use super::super::chart_scene::tests::{sample, words};
    use super::*;
    use crate::domain::{LinkId, NominalId};
    use crate::graph::GraphPath;

    fn svg(label: &str) -> String {
        let (graph, positions) = sample(label);
        let path = GraphPath {
            nodes: vec![NominalId(1), NominalId(2)],
            links: vec![LinkId(10)],
        };
        let scene = ChartScene::new(
            &graph,
            &positions,
            Some(&path),
            (800, 600),
            &words,
            crate::io::HANDLING_MARKING,
        );
        let mut out = Vec::new();
        write_svg(&scene, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn labels_are_escaped_and_read_back_as_written() {
        let text = svg("O'Brien & <Sons> \"Ltd\"");
        assert!(text.contains("<title>O&apos;Brien &amp; &lt;Sons&gt; &quot;Ltd&quot;</title>"));
        assert!(!text.contains("O'Brien"));
        let document = roxmltree::Document::parse(&text).expect("well-formed XML");
        let node = document
            .descendants()
            .find(|n| n.attribute("id") == Some("nominal-1"))
            .unwrap();
        let title = node.children().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("O'Brien & <Sons> \"Ltd\""));
        let label = node.children().find(|n| n.has_tag_name("text")).unwrap();
        assert_eq!(label.text(), Some("O'Brien & <Sons> \"Ltd\""));
    }

    #[test]
    fn one_element_per_node_and_link_under_the_marking() {
        let text = svg("PC Robin FIELDHOUSE");
        let document = roxmltree::Document::parse(&text).unwrap();
        let with_class = |class: &str| {
            document
                .descendants()
                .filter(|n| {
                    n.attribute("class")
                        .is_some_and(|c| c.split(' ').any(|word| word == class))
                })
                .collect::<Vec<_>>()
        };
        let ids = |class| {
            with_class(class)
                .iter()
                .map(|n| n.attribute("id").unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("node"), ["nominal-1", "nominal-2", "nominal-3"]);
        assert_eq!(ids("link"), ["link-11", "link-10"]);
        assert_eq!(ids("highlighted"), ["link-10"]);
        let titles: Vec<_> = with_class("link")
            .iter()
            .map(|n| {
                n.children()
                    .find(|c| c.has_tag_name("title"))
                    .unwrap()
                    .text()
            })
            .collect();
        assert_eq!(titles, [Some("criminal associate"); 2]);
        // The possible link is dashed, the directed one has its arrowhead.
        assert!(text.contains(r#"stroke-dasharray="5 4""#));
        assert_eq!(with_class("arrow").len(), 1);
        let markings: Vec<_> = with_class("marking")
            .iter()
            .map(roxmltree::Node::text)
            .collect();
        assert_eq!(markings, [Some(crate::io::HANDLING_MARKING); 2]);
        // Icons are there, in the icon colour; the criminal's ring and the path's.
        assert_eq!(with_class("icon").len(), 3);
        assert_eq!(with_class("ring").len(), 3);
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(N(1.0).to_string(), "1");
        assert_eq!(N(2.50).to_string(), "2.5");
        assert_eq!(N(-0.001).to_string(), "0");
        assert_eq!(N(f32::NAN).to_string(), "0");
        assert_eq!(N(12.345).to_string(), "12.35");
    }
}
