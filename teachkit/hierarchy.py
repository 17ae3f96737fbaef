"""Hierarchies as closures: WordNet's noun hierarchy, closure TSV files, reduction, depth.

A hierarchy is stored as its *transitive closure*: one row ``child<TAB>ancestor`` for every
ancestor of every node (the format gensim's ``PoincareRelations`` and the facebookresearch
poincare-embeddings code read). The *transitive reduction* keeps only the direct parent links
(what one draws as a tree); ``depth`` counts the links on the longest chain up to a root.
"""
from __future__ import annotations

import graphlib
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

WORDNET_DIR = Path("/usr/share/wordnet")  # where Debian's wordnet-base puts the data files


def _wordnet_noun_names(wordnet_dir: Path) -> dict[str, str]:
    """Synset offset -> NLTK-style name ``lemma.n.NN`` (first lemma, sense number from index.noun)."""
    sense_of: dict[tuple[str, str], int] = {}
    for line in open(wordnet_dir / "index.noun", encoding="utf-8"):
        if line.startswith("  "):  # licence header
            continue
        fields = line.split()
        lemma, n_synsets = fields[0], int(fields[2])
        for i, offset in enumerate(fields[-n_synsets:]):
            sense_of[(lemma, offset)] = i + 1
    names = {}
    for line in open(wordnet_dir / "data.noun", encoding="utf-8"):
        if line.startswith("  "):
            continue
        fields = line.split()
        offset, first_lemma = fields[0], fields[4].lower()
        names[offset] = f"{first_lemma}.n.{sense_of[(first_lemma, offset)]:02d}"
    return names


def wordnet_noun_pointers(wordnet_dir: str | Path = WORDNET_DIR) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each noun synset -> its direct hypernyms (pointer ``@``) and instance hypernyms (``@i``)."""
    wordnet_dir = Path(wordnet_dir)
    if not (wordnet_dir / "data.noun").exists():
        raise FileNotFoundError(
            f"WordNet data files not found in {wordnet_dir}. Install them with "
            "`apt-get install wordnet-base` (Debian/Ubuntu) or pass wordnet_dir=."
        )
    names = _wordnet_noun_names(wordnet_dir)
    hypernyms: dict[str, list[str]] = {}
    instance_hypernyms: dict[str, list[str]] = {}
    for line in open(wordnet_dir / "data.noun", encoding="utf-8"):
        if line.startswith("  "):
            continue
        fields = line.split(" | ")[0].split()
        n_words = int(fields[3], 16)
        at = 4 + 2 * n_words
        n_pointers = int(fields[at])
        pointers = [fields[at + 1 + 4 * i: at + 5 + 4 * i] for i in range(n_pointers)]
        name = names[fields[0]]
        hypernyms[name] = [names[target] for symbol, target, pos, _ in pointers if symbol == "@" and pos == "n"]
        instance_hypernyms[name] = [names[target] for symbol, target, pos, _ in pointers
                                    if symbol == "@i" and pos == "n"]
    return hypernyms, instance_hypernyms


def wordnet_noun_hypernyms(wordnet_dir: str | Path = WORDNET_DIR) -> dict[str, list[str]]:
    """Each noun synset -> its direct hypernyms and instance hypernyms (pointers ``@`` and ``@i``)."""
    hypernyms, instance_hypernyms = wordnet_noun_pointers(wordnet_dir)
    return {name: hypernyms[name] + instance_hypernyms[name] for name in hypernyms}


def transitive_closure(parents: dict[str, list[str]]) -> list[tuple[str, str]]:
    """All (node, ancestor) pairs reachable through ``parents``; no self-loops, sorted."""
    ancestors: dict[str, set[str]] = {}

    def visit(node: str) -> set[str]:
        # Iterative depth-first search: WordNet is deep enough to hit Python's recursion limit.
        stack = [node]
        while stack:
            top = stack[-1]
            pending = [p for p in parents.get(top, []) if p not in ancestors]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            found: set[str] = set()
            for p in parents.get(top, []):
                found.add(p)
                found |= ancestors[p]
            ancestors[top] = found
        return ancestors[node]

    for node in parents:
        visit(node)
    return sorted((node, a) for node, found in ancestors.items() for a in found)


def subtree_closure(closure: list[tuple[str, str]], root: str,
                    exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The closure restricted to ``root`` and its descendants, without the nodes in ``exclude``."""
    members = {child for child, ancestor in closure if ancestor == root} | {root}
    members -= set(exclude)
    return [(c, a) for c, a in closure if c in members and a in members]


# The facebookresearch build drops these two: both are also filed under other mammals
# (tusker under elephant, female_mammal under female), and their direct links to mammal.n.01
# are not part of the published mammal closure.
MAMMAL_EXCLUDED_EDGES = (("tusker.n.01", "mammal.n.01"), ("female_mammal.n.01", "mammal.n.01"))


def wordnet_noun_closure(wordnet_dir: str | Path = WORDNET_DIR) -> list[tuple[str, str]]:
    """The noun closure exactly as facebookresearch/poincare-embeddings builds it with NLTK.

    Their script adds, for every synset, the closure of ``hypernyms()`` (``@`` only), and for each
    of its instance hyponyms the instance hypernyms and *their* ``hypernyms()`` closure. Following
    ``@`` and ``@i`` at every level instead (``transitive_closure(wordnet_noun_hypernyms())``) gives
    155 more edges: five synsets (alabama.n.01, orion.n.02, ...) carry both pointer kinds, and the
    NLTK walk never follows an ``@i`` found above the first step. Result: 82,115 nodes, 743,086 edges.
    """
    hypernyms, instance_hypernyms = wordnet_noun_pointers(wordnet_dir)
    hypernym_closure = _ancestor_sets(hypernyms)
    edges = {(node, a) for node, found in hypernym_closure.items() for a in found}
    instance_closure = _ancestor_sets(instance_hypernyms)
    for instance, found in instance_closure.items():
        for hyper in found:
            edges.add((instance, hyper))
            edges.update((instance, a) for a in hypernym_closure[hyper])
    return sorted(edges)


def _ancestor_sets(parents: dict[str, list[str]]) -> dict[str, set[str]]:
    """node -> set of everything reachable through ``parents`` (not the node itself)."""
    found: dict[str, set[str]] = {node: set() for node in parents}
    for node, ancestor in transitive_closure(parents):
        found[node].add(ancestor)
    return found


def mammal_closure_from_wordnet(wordnet_dir: str | Path = WORDNET_DIR) -> list[tuple[str, str]]:
    """The mammal closure (1,180 nodes, 6,540 edges) rebuilt from WordNet's data files."""
    closure = subtree_closure(transitive_closure(wordnet_noun_hypernyms(wordnet_dir)), "mammal.n.01")
    return [edge for edge in closure if edge not in MAMMAL_EXCLUDED_EDGES]


def wordnet_subtree_closure(root: str, wordnet_dir: str | Path = WORDNET_DIR) -> list[tuple[str, str]]:
    """The closure of ``root`` and every WordNet noun below it, e.g. ``"fish.n.01"`` (618 nodes,
    3,426 rows) or ``"tree.n.01"`` (1,015 nodes, 2,681 rows): the noun closure as facebookresearch
    builds it (``wordnet_noun_closure``) restricted to that subtree, the way their mammal closure is cut.
    """
    closure = wordnet_noun_closure(wordnet_dir)
    if not any(ancestor == root for _, ancestor in closure):
        known = root in {node for edge in closure for node in edge}
        raise ValueError(f"{root!r} " + ("has no hyponyms in WordNet: its subtree is empty." if known else
                         "is not a WordNet noun synset; use NLTK-style names such as 'fish.n.01'."))
    return subtree_closure(closure, root)


# --- closure TSV files -------------------------------------------------------------------------

def clean_edges(edges: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], int, int]:
    """Drop self-loops and repeated rows, keeping first-seen order.

    Returns ``(edges, n_self_loops, n_duplicates)``. A self-loop ``u -> u`` would make a node its own
    neighbour (distance 0 to itself, nothing to learn) and a repeated row would be trained twice.
    """
    seen: set[tuple[str, str]] = set()
    kept, self_loops, duplicates = [], 0, 0
    for child, ancestor in edges:
        if child == ancestor:
            self_loops += 1
        elif (child, ancestor) in seen:
            duplicates += 1
        else:
            seen.add((child, ancestor))
            kept.append((child, ancestor))
    return kept, self_loops, duplicates


def read_closure_tsv(file: str | Path) -> list[tuple[str, str]]:
    """Read ``child<TAB>ancestor`` rows (gensim ``PoincareRelations`` / facebookresearch TSV).

    Self-loops and repeated rows are dropped with a warning that counts them; an empty file, or a
    row without exactly two tab-separated columns, raises ``ValueError`` naming the line.
    """
    edges = []
    with open(file, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            columns = line.split("\t")
            if len(columns) != 2 or not all(c.strip() for c in columns):
                raise ValueError(f"{file}, line {number}: expected two tab-separated columns "
                                 f"child<TAB>ancestor, got {line!r}. Fix or remove that row.")
            edges.append((columns[0].strip(), columns[1].strip()))
    if not edges:
        raise ValueError(f"{file} has no rows; a closure TSV needs one child<TAB>ancestor row per edge.")
    kept, self_loops, duplicates = clean_edges(edges)
    if self_loops or duplicates:
        warnings.warn(f"{file}: dropped {self_loops} self-loop row(s) and {duplicates} duplicate row(s); "
                      f"{len(kept)} edges kept.", stacklevel=2)
    if not kept:
        raise ValueError(f"{file} has only self-loops; a closure needs at least one child<TAB>ancestor "
                         "row with two different nodes.")
    return kept


def write_closure_tsv(edges: Iterable[tuple[str, str]], file: str | Path) -> None:
    """Write ``child<TAB>ancestor`` rows, one per edge, in the order given."""
    with open(file, "w", encoding="utf-8") as f:
        for child, ancestor in edges:
            if "\t" in child or "\t" in ancestor or "\n" in child or "\n" in ancestor:
                raise ValueError(f"Node names must not contain tabs or newlines: {(child, ancestor)!r}.")
            f.write(f"{child}\t{ancestor}\n")


# --- structure: reduction, depth, indexing ------------------------------------------------------

def ancestors_of(closure: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """node -> set of its ancestors, for every node that appears in the closure (roots get {})."""
    ancestors: dict[str, set[str]] = {}
    for child, ancestor in closure:
        ancestors.setdefault(child, set()).add(ancestor)
        ancestors.setdefault(ancestor, set())
    return ancestors


def _roots_first(ancestors: dict[str, set[str]]) -> list[str]:
    """Nodes ordered so that every ancestor comes before its descendants; a cycle is an error."""
    try:
        return list(graphlib.TopologicalSorter(ancestors).static_order())
    except graphlib.CycleError as e:
        raise ValueError(f"The hierarchy has a cycle or self-loop through {e.args[1]}; a closure must "
                         "be acyclic (drop self-loops with clean_edges()).") from None


def transitive_reduction(closure: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The direct links of a closure: ``(c, a)`` stays unless some other ancestor of c lies below a.

    For a DAG this is the unique smallest edge set with the same closure (it is what one draws).
    """
    ancestors = ancestors_of(closure)
    _roots_first(ancestors)  # raises on a cycle
    reduction = []
    for child, found in ancestors.items():
        # a is a direct parent iff it is not an ancestor of another ancestor b of child.
        covered = set().union(*(ancestors[b] for b in found)) if found else set()
        reduction.extend((child, a) for a in found if a not in covered)
    return sorted(reduction)


def depth(closure: Iterable[tuple[str, str]]) -> dict[str, int]:
    """Depth of each node = number of links on its longest chain up to a root (roots have depth 0).

    Visiting nodes roots first, a node's depth is one more than its deepest ancestor's.
    """
    ancestors = ancestors_of(closure)
    depths: dict[str, int] = {}
    for node in _roots_first(ancestors):
        depths[node] = 1 + max((depths[a] for a in ancestors[node]), default=-1)
    return depths


def index_edges(closure: Iterable[tuple[str, str]]) -> tuple[list[str], np.ndarray]:
    """Node names (sorted) and the closure as an ``(n_edges, 2)`` int array of (child, ancestor) rows."""
    closure = list(closure)
    if not closure:
        raise ValueError("The closure is empty: pass at least one (child, ancestor) edge.")
    names = sorted({node for edge in closure for node in edge})
    position = {name: i for i, name in enumerate(names)}
    return names, np.array([[position[c], position[a]] for c, a in closure], dtype=np.int64)
