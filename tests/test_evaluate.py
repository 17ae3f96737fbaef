"""teachkit.evaluate.

Word vectors: neighbours on vectors whose answer is known, analogies and word similarity against
gensim's own evaluators on the same vectors, Spearman against scipy, and bad input.
"""
import numpy as np
import pytest

from teachkit import data, evaluate

gensim_models = pytest.importorskip("gensim.models")
stats = pytest.importorskip("scipy.stats")


# --- word vectors ---------------------------------------------------------------------------------

WORDS = ["east", "north", "west", "northeast", "south"]
ANGLES = np.radians([0, 90, 180, 45, 270])
COMPASS = np.c_[np.cos(ANGLES), np.sin(ANGLES)] * np.array([[1], [2], [3], [4], [5]])  # lengths differ


def test_most_similar_ranks_by_cosine_and_skips_the_query():
    result = evaluate.most_similar(COMPASS, WORDS, positive=["east"], topn=4)
    assert [w for w, _ in result] == ["northeast", "north", "south", "west"]  # ties keep vocabulary order
    np.testing.assert_allclose([c for _, c in result], [np.cos(np.pi / 4), 0, 0, -1], atol=1e-12)


def test_most_similar_with_a_negative_word_and_a_restricted_vocabulary():
    # north - south + east points at northeast (and beyond).
    assert evaluate.most_similar(COMPASS, WORDS, positive=["north", "east"], negative=["south"], topn=1)[0][0] \
        == "northeast"
    # Restricted to the 3 most frequent words, northeast and south cannot be answers.
    assert [w for w, _ in evaluate.most_similar(COMPASS, WORDS, ["north"], restrict_vocab=3)] == ["east", "west"]


def test_unknown_word_is_a_key_error_that_names_it():
    with pytest.raises(KeyError, match="'southwest' is not in the vocabulary") as info:
        evaluate.most_similar(COMPASS, WORDS, positive=["southwest"])
    assert isinstance(info.value, evaluate.UnknownWordError) and info.value.word == "southwest"
    with pytest.raises(TypeError, match="lists of words"):
        evaluate.most_similar(COMPASS, WORDS, positive="east")
    with pytest.raises(ValueError, match="one word per vector"):
        evaluate.most_similar(COMPASS, WORDS[:3], positive=["east"])


def test_unit_vectors_have_length_one_and_zero_rows_stay_zero():
    unit = evaluate.unit_vectors(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(unit, [[0.6, 0.8], [0.0, 0.0]])


@pytest.fixture(scope="module")
def random_embedding():
    """40 words with random vectors, as gensim KeyedVectors and as arrays."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(40, 3)).astype(np.float32)  # 3-D: many analogies come out right
    kv = gensim_models.KeyedVectors(vector_size=3)
    kv.add_vectors(words, vectors)
    return words, vectors, kv


def test_analogies_match_gensims_evaluator(tmp_path, random_embedding):
    words, vectors, kv = random_embedding
    rng = np.random.default_rng(1)
    lines = []
    for section in ("capital-world", "family"):
        lines.append(f": {section}")
        for _ in range(150):
            lines.append(" ".join(rng.choice(words, size=4, replace=False)))
    lines += ["w1 w2 w3", "x y", "w1 w2 w3 w4 w5", ": gram1", "w1 w2 w3 unknownword"]
    file = tmp_path / "questions.txt"
    file.write_text("\n".join(lines) + "\n")
    questions, bad_lines = data.read_analogies(file)
    assert bad_lines == 3  # lines without exactly four words are skipped and counted, not fatal

    for restrict in (40, 25):
        ours = evaluate.analogy_accuracy(vectors, words, questions, restrict_vocab=restrict)
        theirs, sections = kv.evaluate_word_analogies(str(file), restrict_vocab=restrict)
        total = next(s for s in sections if s["section"] == "Total accuracy")
        assert ours.accuracy == pytest.approx(theirs)
        assert ours.correct == len(total["correct"]) and ours.answered == len(total["correct"]) + len(total["incorrect"])
        assert ours.skipped == len(questions) - ours.answered
        assert sum(n for _, n in ours.sections.values()) == ours.answered
    assert 0 < ours.accuracy < 1  # the comparison is not between two zeros or two ones
    assert ours.skipped > 1       # restricting the vocabulary dropped questions, as in gensim


def test_word_similarity_matches_gensim_and_reports_oov(tmp_path, random_embedding):
    words, vectors, kv = random_embedding
    rng = np.random.default_rng(2)
    distinct = [(a, b) for i, a in enumerate(words) for b in words[i + 1:]]
    chosen = rng.choice(len(distinct), size=60, replace=False)
    pairs = [(*distinct[i], float(s)) for i, s in zip(chosen, rng.integers(0, 10, 60))]  # integer scores: ties
    pairs += [("w1", "nosuchword", 3.0), ("nosuch", "w2", 1.0)]
    file = tmp_path / "pairs.tsv"
    file.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs))
    ours = evaluate.word_similarity(vectors, words, pairs)
    _, (rho, _), oov_percent = kv.evaluate_word_pairs(str(file))
    assert ours.spearman == pytest.approx(rho, abs=1e-6)
    assert ours.oov_pairs == 2 and ours.pairs == 60
    assert 100 * ours.oov_rate == pytest.approx(oov_percent)


def test_spearman_matches_scipy_with_ties():
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 5, 50), rng.normal(size=50)
    assert evaluate.spearman(x, y) == pytest.approx(stats.spearmanr(x, y).statistic, abs=1e-12)
    assert evaluate.spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1)
    with pytest.raises(ValueError, match="at least 2"):
        evaluate.spearman([1], [2])


def test_word_similarity_with_almost_no_known_pairs_is_an_error():
    with pytest.raises(ValueError, match="Only 0 of 1 pairs"):
        evaluate.word_similarity(COMPASS, WORDS, [("cat", "dog", 5.0)])
