"""Hierarchies as closures: WordNet's noun hierarchy, closure TSV files, depth.

A hierarchy is stored as its *transitive closure*: one row ``child<TAB>ancestor`` for every
ancestor of every node (the format gensim's ``PoincareRelations`` and the facebookresearch
poincare-embeddings code read).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

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


def wordnet_noun_hypernyms(wordnet_dir: str | Path = WORDNET_DIR) -> dict[str, list[str]]:
    """Each noun synset -> its direct hypernyms and instance hypernyms (pointers ``@`` and ``@i``)."""
    wordnet_dir = Path(wordnet_dir)
    if not (wordnet_dir / "data.noun").exists():
        raise FileNotFoundError(
            f"WordNet data files not found in {wordnet_dir}. Install them with "
            "`apt-get install wordnet-base` (Debian/Ubuntu) or pass wordnet_dir=."
        )
    names = _wordnet_noun_names(wordnet_dir)
    parents: dict[str, list[str]] = {}
    for line in open(wordnet_dir / "data.noun", encoding="utf-8"):
        if line.startswith("  "):
            continue
        fields = line.split(" | ")[0].split()
        n_words = int(fields[3], 16)
        at = 4 + 2 * n_words
        n_pointers = int(fields[at])
        pointers = [fields[at + 1 + 4 * i: at + 5 + 4 * i] for i in range(n_pointers)]
        parents[names[fields[0]]] = [
            names[target] for symbol, target, pos, _ in pointers if symbol in ("@", "@i") and pos == "n"
        ]
    return parents


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


def depth(closure: list[tuple[str, str]]) -> dict[str, int]:
    """Depth of each node = number of its ancestors on the longest chain (root has depth 0)."""
    n_ancestors: dict[str, int] = defaultdict(int)
    for child, ancestor in closure:
        n_ancestors[child] += 1
        n_ancestors.setdefault(ancestor, 0)
    return dict(n_ancestors)
