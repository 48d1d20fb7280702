"""Peer timings for benches/graph.rs: the same operations in networkx (and igraph if installed).

Usage: networkx_peer.py GRAPHML... ; prints one JSON object keyed by file name, each with the
seconds taken by: reading, shortest path (mean of 20 random pairs), connected components,
Louvain communities, and betweenness. networkx's exact betweenness on 10k nodes takes tens of
minutes in pure Python, so it is sampled from k=500 sources (as the "betweenness_mode" says)
unless CCU_BENCH_NX_EXACT=1 asks for exact betweenness on graphs of at most 60,000 edges.
"""

import json
import os
import random
import sys
import time

import networkx as nx

SAMPLE_SOURCES = 500


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def networkx_figures(path):
    read_s, graph = timed(lambda: nx.Graph(nx.read_graphml(path)))
    nodes = sorted(graph.nodes())
    rng = random.Random(7)
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(20)]
    start = time.perf_counter()
    for a, b in pairs:
        try:
            nx.shortest_path(graph, a, b)
        except nx.NetworkXNoPath:
            pass
    shortest_path_s = (time.perf_counter() - start) / len(pairs)
    components_s, components = timed(lambda: list(nx.connected_components(graph)))
    louvain_s, communities = timed(lambda: nx.community.louvain_communities(graph, seed=1))
    exact = (
        os.environ.get("CCU_BENCH_NX_EXACT") == "1" and graph.number_of_edges() <= 60_000
    ) or graph.number_of_nodes() <= SAMPLE_SOURCES
    if exact:
        betweenness_s, _ = timed(lambda: nx.betweenness_centrality(graph))
        mode = "exact"
    else:
        betweenness_s, _ = timed(
            lambda: nx.betweenness_centrality(graph, k=SAMPLE_SOURCES, seed=1)
        )
        mode = f"k={SAMPLE_SOURCES}"
    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "read_s": read_s,
        "shortest_path_s": shortest_path_s,
        "components_s": components_s,
        "components": len(components),
        "louvain_s": louvain_s,
        "communities": len(communities),
        "modularity": nx.community.modularity(graph, communities),
        "betweenness_s": betweenness_s,
        "betweenness_mode": mode,
    }


def igraph_figures(path):
    try:
        import igraph
    except ImportError:
        return None
    graph = igraph.Graph.Read_GraphML(path)
    graph.simplify()
    rng = random.Random(7)
    pairs = [(rng.randrange(graph.vcount()), rng.randrange(graph.vcount())) for _ in range(20)]
    start = time.perf_counter()
    for a, b in pairs:
        graph.get_shortest_path(a, b)
    shortest_path_s = (time.perf_counter() - start) / len(pairs)
    components_s, _ = timed(lambda: graph.connected_components())
    louvain_s, _ = timed(lambda: graph.community_multilevel())
    betweenness_s, _ = timed(lambda: graph.betweenness())
    return {
        "shortest_path_s": shortest_path_s,
        "components_s": components_s,
        "louvain_s": louvain_s,
        "betweenness_s": betweenness_s,
        "betweenness_mode": "exact",
        "version": igraph.__version__,
    }


def main():
    report = {"networkx_version": nx.__version__}
    for path in sys.argv[1:]:
        name = os.path.basename(path)
        report[name] = {"networkx": networkx_figures(path), "igraph": igraph_figures(path)}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
