"""Hierarchies as closures: WordNet's noun hierarchy, closure TSV files, reduction, depth.

A hierarchy is stored as its *transitive closure*: one row ``child<TAB>ancestor`` for every
ancestor of every node (the format gensim's ``PoincareRelations`` and the facebookresearch
poincare-embeddings code read). The *transitive reduction* keeps only the direct parent links
(what one draws as a tree); ``depth`` counts the links on the longest chain up to a root.
"""
from __future__ import annotations

import csv
import graphlib
import math
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from teachkit import data

WORDNET_DIR = Path("/usr/share/wordnet")  # where Debian's wordnet-base puts the data files


def _wordnet_lines(file: Path):
    """(line number, line) for each data line of a WordNet file (licence lines start with two spaces)."""
    if not file.exists():
        raise FileNotFoundError(f"WordNet data file {file} not found. Install WordNet 3.0 with "
                                "`apt-get install wordnet-base` (Debian/Ubuntu) or pass wordnet_dir=.")
    for number, line in enumerate(data.read_lines(file), start=1):
        if not line.startswith("  "):
            yield number, line


def _wordnet_format_error(file: Path, number: int, line: str) -> ValueError:
    return ValueError(f"{file}, line {number}: not a line of WordNet 3.0's format: {line[:80]!r}. Is "
                      f"{file.parent} WordNet 3.0's dict directory (Debian's wordnet-base), unmodified?")


def _wordnet_noun_names(wordnet_dir: Path) -> dict[str, str]:
    """Synset offset -> NLTK-style name ``lemma.n.NN`` (first lemma, sense number from index.noun)."""
    sense_of: dict[tuple[str, str], int] = {}
    for number, line in _wordnet_lines(wordnet_dir / "index.noun"):
        try:
            fields = line.split()
            lemma, n_synsets = fields[0], int(fields[2])
            if not 0 < n_synsets < len(fields) - 3:
                raise ValueError
        except (IndexError, ValueError):
            raise _wordnet_format_error(wordnet_dir / "index.noun", number, line) from None
        for i, offset in enumerate(fields[-n_synsets:]):
            sense_of[(lemma, offset)] = i + 1
    names = {}
    for number, line in _wordnet_lines(wordnet_dir / "data.noun"):
        try:
            fields = line.split()
            offset, first_lemma = fields[0], fields[4].lower()
            names[offset] = f"{first_lemma}.n.{sense_of[(first_lemma, offset)]:02d}"
        except (IndexError, KeyError):
            raise _wordnet_format_error(wordnet_dir / "data.noun", number, line) from None
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
    for number, line in _wordnet_lines(wordnet_dir / "data.noun"):
        try:
            fields = line.split(" | ")[0].split()
            n_words = int(fields[3], 16)
            at = 4 + 2 * n_words
            n_pointers = int(fields[at])
            pointers = [fields[at + 1 + 4 * i: at + 5 + 4 * i] for i in range(n_pointers)]
            name = names[fields[0]]
            hypernyms[name] = [names[target] for symbol, target, pos, _ in pointers
                               if symbol == "@" and pos == "n"]
            instance_hypernyms[name] = [names[target] for symbol, target, pos, _ in pointers
                                        if symbol == "@i" and pos == "n"]
        except (IndexError, KeyError, ValueError):
            raise _wordnet_format_error(wordnet_dir / "data.noun", number, line) from None
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


CLOSURE_HEADER = ("id1", "id2", "weight")  # facebookresearch's CSV: ``pandas.to_csv`` of id1, id2, weight


def read_closure_tsv(file: str | Path, header: bool | None = None,
                     encoding: str = "utf-8") -> list[tuple[str, str]]:
    """Read a closure file: ``child<TAB>ancestor`` rows (gensim ``PoincareRelations``, facebookresearch
    TSV) or facebookresearch's CSV ``id1,id2,weight`` (``transitive_closure.py``).

    The separator is a tab if the first row has one, else a comma (CSV quoting understood). A weight
    column is accepted when every weight is 1 (the WordNet closures); other weights raise, since
    teachkit trains every edge alike. ``header=None`` skips a first row ``id1, id2[, weight]``
    and warns when the first row's two names appear nowhere else (a header it does not know?);
    ``header=True`` always skips the first row, ``header=False`` never does. A UTF-8 byte-order mark
    is dropped. Self-loops and repeated rows are dropped with a warning that counts them; an empty
    file, undecodable bytes or a malformed row raise ``ValueError`` naming the line.
    """
    lines = data.read_lines(file, encoding)
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise ValueError(f"{file} has no rows; a closure TSV needs one child<TAB>ancestor row per edge.")
    tab = "\t" in first
    layout = ("child<TAB>ancestor or child<TAB>ancestor<TAB>weight" if tab else
              "child<TAB>ancestor (TSV) or id1,id2,weight (CSV)")
    edges: list[tuple[str, str]] = []
    n_columns, first_edge_line, header_checked = 0, 0, False
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        columns = (line.split("\t") if tab else line.split(",") if '"' not in line
                   else next(csv.reader([line])))
        if not header_checked:
            header_checked = True
            names = [c.strip().lower() for c in columns]
            if header or (header is None and len(names) >= 2 and names == list(CLOSURE_HEADER[:len(names)])):
                continue
        if not n_columns:
            n_columns, first_edge_line = len(columns), number
        child, ancestor = columns[0].strip(), columns[1].strip() if len(columns) > 1 else ""
        if len(columns) != n_columns or n_columns not in (2, 3) or not child or not ancestor:
            raise ValueError(f"{file}, line {number}: expected the columns {layout} (as in the rows "
                             f"before), got {line!r}. Fix or remove that row.")
        if n_columns == 3:
            weight = columns[2].strip()
            if weight not in ("1", "1.0"):
                try:
                    value = float(weight)
                except ValueError:
                    value = math.nan
                if value != 1:
                    raise ValueError(
                        f"{file}, line {number}: weight {weight!r}; teachkit trains every edge alike, so it "
                        "reads a weight column only when every weight is 1 (as in the WordNet closures). "
                        "Delete the third column to train every edge alike.")
        edges.append((child, ancestor))
    if not edges:
        raise ValueError(f"{file} has only a header row; a closure needs one child<TAB>ancestor row per edge.")
    if header is None and len(edges) > 1:
        child, ancestor = edges[0]
        if not any(child in edge or ancestor in edge for edge in edges[1:]):
            warnings.warn(f"{file}, line {first_edge_line}: {child!r} and {ancestor!r} appear in no other row; "
                          "if that row is a header, pass header=True; if it is an edge, pass header=False "
                          "to silence this warning.", stacklevel=2)
    kept, self_loops, duplicates = clean_edges(edges)
    if self_loops or duplicates:
        warnings.warn(f"{file}: dropped {self_loops} self-loop row(s) and {duplicates} duplicate row(s); "
                      f"{len(kept)} edges kept.", stacklevel=2)
    if not kept:
        raise ValueError(f"{file} has only self-loops; a closure needs at least one child<TAB>ancestor "
                         "row with two different nodes.")
    return kept


def write_closure_tsv(edges: Iterable[tuple[str, str]], file: str | Path) -> None:
    """Write ``child<TAB>ancestor`` rows, one per edge, in the order given.

    Refuses (before writing anything) names that ``read_closure_tsv`` or gensim's reader would read
    back differently: empty, holding a tab, a line break or a double quote, or with spaces at either
    end; and a first row ``id1<TAB>id2``, which readers take for a header.
    """
    edges = [tuple(edge) for edge in edges]
    for i, edge in enumerate(edges):
        if len(edge) != 2:
            raise ValueError(f"Edge {i} {edge!r}: expected a (child, ancestor) pair.")
        for name in edge:
            if (not isinstance(name, str) or not name or name != name.strip() or '"' in name
                    or any(ch in name for ch in "\t\n\r")):
                raise ValueError(
                    f"Edge {i} {edge!r}: node names must be non-empty strings without tabs, line breaks, "
                    "double quotes or spaces at either end; a closure file could not hold them.")
    if edges and [n.lower() for n in edges[0]] == list(CLOSURE_HEADER[:2]):
        raise ValueError(f"The first edge {edges[0]!r} would be read back as the header id1<TAB>id2; "
                         "rename those nodes or put another edge first.")
    with open(file, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(f"{child}\t{ancestor}\n" for child, ancestor in edges)


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
