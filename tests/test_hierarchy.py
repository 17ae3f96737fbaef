"""teachkit.hierarchy: WordNet closures (mammals and nouns), TSV in/out, reduction, depth, bad input."""
from __future__ import annotations

import csv
import random
import warnings
from pathlib import Path

import pytest

from teachkit import data, hierarchy

WORDNET = Path("/usr/share/wordnet/data.noun").exists()
needs_wordnet = pytest.mark.skipif(not WORDNET, reason="apt-get install wordnet-base")

# r -> a -> a1, r -> b -> a1 (a1 has two parents), b -> b1; as parent lists and as their closure.
PARENTS = {"r": [], "a": ["r"], "b": ["r"], "a1": ["a", "b"], "b1": ["b"]}
CLOSURE = sorted([("a", "r"), ("b", "r"), ("a1", "a"), ("a1", "b"), ("a1", "r"), ("b1", "b"), ("b1", "r")])
REDUCTION = sorted([("a", "r"), ("b", "r"), ("a1", "a"), ("a1", "b"), ("b1", "b")])


def test_closure_reduction_and_depth_of_a_small_dag():
    assert hierarchy.transitive_closure(PARENTS) == CLOSURE
    assert hierarchy.transitive_reduction(CLOSURE) == REDUCTION
    assert hierarchy.depth(CLOSURE) == {"r": 0, "a": 1, "b": 1, "a1": 2, "b1": 2}


def test_depth_is_the_longest_chain_not_the_shortest():
    # x -> r directly and x -> m -> n -> r: the longest chain has 3 links.
    closure = hierarchy.transitive_closure({"r": [], "n": ["r"], "m": ["n"], "x": ["r", "m"]})
    assert hierarchy.depth(closure)["x"] == 3
    assert ("x", "r") not in hierarchy.transitive_reduction(closure)


def test_reduction_then_closure_gives_the_closure_back_on_random_dags():
    rng = random.Random(0)
    for _ in range(20):
        nodes = [f"n{i}" for i in range(30)]
        parents = {n: rng.sample(nodes[:i], k=min(i, rng.randint(0, 3))) for i, n in enumerate(nodes)}
        closure = hierarchy.transitive_closure(parents)
        reduction = hierarchy.transitive_reduction(closure)
        rebuilt = {}
        for child, parent in reduction:
            rebuilt.setdefault(child, []).append(parent)
        assert hierarchy.transitive_closure(rebuilt) == closure
        # every closure edge that is not in the reduction is implied by a longer path
        assert set(reduction) <= set(closure)


def test_cycles_are_rejected_with_a_clear_error():
    with pytest.raises(ValueError, match="cycle"):
        hierarchy.depth([("a", "b"), ("b", "a")])
    with pytest.raises(ValueError, match="cycle"):
        hierarchy.transitive_reduction([("a", "a")])


def test_tsv_round_trip(tmp_path):
    file = tmp_path / "closure.tsv"
    hierarchy.write_closure_tsv(CLOSURE, file)
    assert file.read_text(encoding="utf-8").splitlines()[0] == "a\tr"
    assert hierarchy.read_closure_tsv(file) == CLOSURE


def test_tsv_is_read_by_gensim(tmp_path):
    poincare_gensim = pytest.importorskip("gensim.models.poincare")
    file = tmp_path / "closure.tsv"
    hierarchy.write_closure_tsv(CLOSURE, file)
    assert sorted(poincare_gensim.PoincareRelations(str(file))) == CLOSURE


def test_self_loops_and_duplicates_are_dropped_and_reported(tmp_path):
    file = tmp_path / "closure.tsv"
    file.write_text("a\tr\nr\tr\na\tr\nb\tr\nb\tb\n\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"dropped 2 self-loop row\(s\) and 1 duplicate row\(s\); 2 edges kept"):
        assert hierarchy.read_closure_tsv(file) == [("a", "r"), ("b", "r")]
    assert hierarchy.clean_edges([("a", "a"), ("a", "b"), ("a", "b")]) == ([("a", "b")], 1, 1)


@pytest.mark.bad_input
@pytest.mark.parametrize("text,message", [
    ("", "has no rows"),
    ("\n\n", "has no rows"),
    ("a\tr\nb\n", "line 2: expected the columns child<TAB>ancestor or child<TAB>ancestor<TAB>weight"),
    ("a\tr\tx\n", "line 1: weight 'x'; teachkit trains every edge alike"),
    ("a\t\n", "line 1: expected the columns child<TAB>ancestor"),
    ("a\tr\tx\ty\n", "line 1: expected the columns child<TAB>ancestor"),
    ("a\tr\nb\tr\t1\n", "line 2: expected the columns"),
    ("dog mammal\n", r"line 1: expected the columns child<TAB>ancestor \(TSV\) or id1,id2,weight \(CSV\)"),
    ("id1,id2,weight\n", "has only a header row"),
    ("a\ta\n", "only self-loops"),
])
def test_malformed_tsv_is_rejected_naming_the_problem(tmp_path, text, message):
    file = tmp_path / "bad.tsv"
    file.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning) if "self-loops" in message else _no_warning():
        with pytest.raises(ValueError, match=message):
            hierarchy.read_closure_tsv(file)


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.bad_input
@pytest.mark.parametrize("edges, message", [
    ([("a\tb", "r")], "without tabs"),
    ([("a", "r\n")], "line breaks"),
    ([("a", "r\r")], "line breaks"),
    ([(" a", "r")], "spaces at either end"),
    ([("a", "")], "non-empty strings"),
    ([('"a"', "r")], "double quotes"),
    ([("a", 3)], "non-empty strings"),
    ([("a", "b", "c")], r"expected a \(child, ancestor\) pair"),
    ([("id1", "id2")], "would be read back as the header"),
])
def test_names_a_closure_file_cannot_hold_are_refused_before_writing(tmp_path, edges, message):
    with pytest.raises(ValueError, match=message):
        hierarchy.write_closure_tsv(edges, tmp_path / "x.tsv")
    assert not (tmp_path / "x.tsv").exists()


# --- issue 19, cases 7 and 8: the closure formats users have, byte-order marks, encodings ---------

FB_CSV = "id1,id2,weight\na1,a,1\na1,r,1\na,r,1\n"  # pandas.to_csv(index=False) of id1, id2, weight
EDGES = [("a1", "a"), ("a1", "r"), ("a", "r")]


@pytest.mark.bad_input
@pytest.mark.parametrize("text", [
    FB_CSV,                                       # facebookresearch's transitive_closure.py
    "id1,id2\na1,a\na1,r\na,r\n",                # its columns without the weight
    "a1,a,1\na1,r,1\na,r,1\n",                    # CSV with weights, no header
    "a1,a\na1,r\na,r\n",                          # CSV, no header, no weight
    "id1\tid2\na1\ta\na1\tr\na\tr\n",            # other exports: a TSV header
    "ID1\tID2\tWeight\r\na1\ta\t1.0\r\na1\tr\t1\r\na\tr\t1\r\n",  # header, weights, Windows line ends
    'id1,id2,weight\n"a1",a,1\na1,"r",1\na,r,1\n',  # CSV quoting
    "a1 , a\na1, r\na ,r\n",                        # spaces around commas
])
def test_closure_formats_people_have_read_to_the_same_edges(tmp_path, text):
    file = tmp_path / "closure.csv"
    file.write_text(text, encoding="utf-8", newline="")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no header is mistaken for an edge, no warning on good files
        assert hierarchy.read_closure_tsv(file) == EDGES


@pytest.mark.bad_input
def test_facebookresearch_mammal_csv_reads_as_the_shipped_closure(tmp_path):
    # As transitive_closure.py writes it: pandas DataFrame(columns=['id1', 'id2']), weight 1, to_csv(index=False).
    closure = data.mammal_closure()
    file = tmp_path / "mammal_closure.csv"
    with open(file, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id1", "id2", "weight"])
        writer.writerows((child, ancestor, 1) for child, ancestor in closure)
    assert hierarchy.read_closure_tsv(file) == closure


@pytest.mark.bad_input
def test_weights_other_than_one_are_refused_and_deleting_the_column_works(tmp_path):
    file = tmp_path / "weighted.csv"
    file.write_text("id1,id2,weight\na1,a,1\na1,r,0.5\na,r,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 3: weight '0.5'.*Delete the third column"):
        hierarchy.read_closure_tsv(file)
    file.write_text("id1,id2\na1,a\na1,r\na,r\n", encoding="utf-8")  # the advice, followed
    assert hierarchy.read_closure_tsv(file) == EDGES


@pytest.mark.bad_input
def test_an_unknown_header_is_warned_about_and_header_decides(tmp_path):
    file = tmp_path / "closure.tsv"
    file.write_text("hyponym\thypernym\na1\ta\na1\tr\na\tr\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"line 1: 'hyponym' and 'hypernym' appear in no other row; if that row "
                                         r"is a header, pass header=True"):
        assert hierarchy.read_closure_tsv(file) == [("hyponym", "hypernym"), *EDGES]
    assert hierarchy.read_closure_tsv(file, header=True) == EDGES
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert hierarchy.read_closure_tsv(file, header=False)[0] == ("hyponym", "hypernym")
    # header=False keeps a first row that looks like facebookresearch's header
    file.write_text("id1\tid2\nid1\tr\n", encoding="utf-8")
    assert hierarchy.read_closure_tsv(file, header=False) == [("id1", "id2"), ("id1", "r")]


@pytest.mark.bad_input
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_byte_order_mark_is_not_part_of_the_first_node(tmp_path, encoding):
    # Spreadsheet programs save UTF-8 with a byte-order mark; Excel's "Unicode text" is UTF-16 with one.
    for text in ["dog\tmammal\ncat\tmammal\n", "id1,id2,weight\ndog,mammal,1\ncat,mammal,1\n"]:
        file = tmp_path / "closure.tsv"
        file.write_text(text, encoding=encoding)
        assert hierarchy.read_closure_tsv(file) == [("dog", "mammal"), ("cat", "mammal")]


@pytest.mark.bad_input
def test_undecodable_bytes_name_the_line_and_encoding_reads_them(tmp_path):
    file = tmp_path / "closure.tsv"
    file.write_bytes("dog\tmammal\ncaf\xe9\tmammal\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"closure.tsv, line 2, column 4: the bytes b'\\xe9' are not valid "
                                         r"UTF-8 .* in 'caf\ufffd\\tmammal'.*encoding='latin-1'"):
        hierarchy.read_closure_tsv(file)
    assert hierarchy.read_closure_tsv(file, encoding="latin-1") == [("dog", "mammal"), ("café", "mammal")]


@pytest.mark.parametrize("names", [("a.b,c", "r"), ("オオカミ", "哺乳類"), ("it's", "r\u2028x")])
def test_odd_but_valid_names_round_trip(tmp_path, names):
    file = tmp_path / "closure.tsv"
    hierarchy.write_closure_tsv([names], file)
    assert hierarchy.read_closure_tsv(file) == [names]


@pytest.mark.bad_input
def test_a_broken_wordnet_file_names_the_line(tmp_path):
    for name in ("index.noun", "data.noun"):
        (tmp_path / name).write_text("  1 licence line\n", encoding="utf-8")
    with open(tmp_path / "data.noun", "a", encoding="utf-8") as f:
        f.write("00001740 03 n 01 entity 0 003 ~ 00001930 n 0000 | truncated\n")
    with pytest.raises(ValueError, match=r"data.noun, line 2: not a line of WordNet 3.0's format: '00001740"):
        hierarchy.wordnet_noun_pointers(tmp_path)
    (tmp_path / "index.noun").unlink()
    with pytest.raises(FileNotFoundError, match=r"index.noun not found.*apt-get install wordnet-base"):
        hierarchy.wordnet_noun_pointers(tmp_path)


def test_index_edges_and_empty_closure():
    names, edges = hierarchy.index_edges(CLOSURE)
    assert names == ["a", "a1", "b", "b1", "r"]
    assert [(names[c], names[a]) for c, a in edges] == CLOSURE
    with pytest.raises(ValueError, match="closure is empty"):
        hierarchy.index_edges([])


def test_shipped_mammal_closure_structure():
    closure = data.mammal_closure()
    depths = hierarchy.depth(closure)
    assert len(closure) == 6540 and len(depths) == 1180
    assert max(depths.values()) == 9 and depths["mammal.n.01"] == 0
    assert len(set(depths) - {a for _, a in closure}) == 887  # leaves
    # every node but the root reaches mammal.n.01, and the reduction's closure is the closure
    assert {c for c, a in closure if a == "mammal.n.01"} == set(depths) - {"mammal.n.01"}
    reduction = hierarchy.transitive_reduction(closure)
    parents = {}
    for child, parent in reduction:
        parents.setdefault(child, []).append(parent)
    assert hierarchy.transitive_closure(parents) == sorted(closure)


@needs_wordnet
def test_mammal_closure_rebuilt_from_wordnet_is_the_shipped_file_byte_for_byte(tmp_path):
    rebuilt = hierarchy.mammal_closure_from_wordnet()
    assert rebuilt == data.mammal_closure()
    hierarchy.write_closure_tsv(rebuilt, tmp_path / "mammal_closure.tsv")
    assert (tmp_path / "mammal_closure.tsv").read_bytes() == data.path("mammal_closure.tsv").read_bytes()


@needs_wordnet
def test_noun_closure_counts_and_its_difference_from_following_every_pointer():
    closure = hierarchy.wordnet_noun_closure()
    assert len(closure) == 743_086 and len({n for e in closure for n in e}) == 82_115
    assert all(c != a for c, a in closure)
    every_pointer = hierarchy.transitive_closure(hierarchy.wordnet_noun_hypernyms())
    assert len(every_pointer) == 743_241 and set(closure) < set(every_pointer)


def test_missing_wordnet_directory_says_how_to_install(tmp_path):
    with pytest.raises(FileNotFoundError, match="apt-get install wordnet-base"):
        hierarchy.wordnet_noun_pointers(tmp_path)


@needs_wordnet
@pytest.mark.parametrize("root, nodes, rows, max_depth", [("fish.n.01", 618, 3426, 9), ("tree.n.01", 1015, 2681, 6)])
def test_wordnet_subtree_closures_of_other_hierarchies(root, nodes, rows, max_depth):
    # Two WordNet hierarchies of mammal size that notebook 05's defaults were checked on, not tuned to.
    closure = hierarchy.wordnet_subtree_closure(root)
    assert len(closure) == rows and len({n for e in closure for n in e}) == nodes
    depths = hierarchy.depth(closure)
    assert depths[root] == 0 and max(depths.values()) == max_depth
    assert all(a == root or (a, root) in set(closure) for _, a in closure)


@needs_wordnet
def test_wordnet_subtree_of_an_unknown_or_leaf_synset_is_a_clear_error():
    with pytest.raises(ValueError, match="not a WordNet noun synset"):
        hierarchy.wordnet_subtree_closure("fish.n.99")
    with pytest.raises(ValueError, match="no hyponyms"):
        hierarchy.wordnet_subtree_closure("tusker.n.01")
