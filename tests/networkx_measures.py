"""Reference figures from networkx for tests/it/graph_networkx.rs.

Reads the GraphML the workbench wrote (argv[1]) and the workbench's community partition
(argv[2], JSON: node id -> community), and prints, as JSON, networkx's degree, betweenness
(normalized), closeness and eigenvector centrality keyed by node id, the modularity of the
workbench's partition, and the number of connected components. Parallel links are merged
(nx.Graph) as the workbench's measures merge them.
"""

import json
import sys

import networkx as nx


def main() -> None:
    graph = nx.Graph(nx.read_graphml(sys.argv[1]))
    with open(sys.argv[2], encoding="utf-8") as handle:
        membership = json.load(handle)
    groups: dict[int, set[str]] = {}
    for node, community in membership.items():
        groups.setdefault(community, set()).add(node)
    print(
        json.dumps(
            {
                "degree": nx.degree_centrality(graph),
                "betweenness": nx.betweenness_centrality(graph),
                "closeness": nx.closeness_centrality(graph),
                "eigenvector": nx.eigenvector_centrality(graph),
                "modularity": nx.community.modularity(graph, list(groups.values())),
                "components": nx.number_connected_components(graph),
                "nodes": graph.number_of_nodes(),
                "edges": graph.number_of_edges(),
            }
        )
    )


if __name__ == "__main__":
    main()
