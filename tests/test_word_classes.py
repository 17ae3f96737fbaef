"""teachkit.word_classes: word2vec.c's -classes K-means, vectorised, against a line-by-line
transcription of the C loop (exact labels), on hand-made cases, and its output file."""
import numpy as np
import pytest

from teachkit.word_classes import save_word_classes, word_classes, word_classes_c_loop


@pytest.mark.parametrize("seed, n, dim, k", [(0, 60, 5, 4), (1, 200, 10, 7), (2, 31, 3, 31), (3, 90, 8, 1)])
def test_vectorised_labels_equal_the_c_loop(seed, n, dim, k):
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)) + rng.normal(scale=3, size=(1, dim)) * (rng.random((n, 1)) < 0.5)
    labels = word_classes(vectors, k)
    assert np.array_equal(labels, word_classes_c_loop(vectors, k))
    assert labels.min() >= 0 and labels.max() < k


def test_the_2013_counter_per_dimension_gives_the_same_labels():
    rng = np.random.default_rng(4)
    vectors = rng.normal(size=(80, 6))
    assert np.array_equal(word_classes_c_loop(vectors, 5), word_classes_c_loop(vectors, 5, count_per_dimension=True))


def test_round_robin_start_and_dot_product_assignment():
    # Two tight groups, interleaved: round robin puts each group half in each class; one pass
    # already separates them, by the direction of their vectors.
    a, b = np.array([1.0, 0.1]), np.array([-0.2, 1.0])
    vectors = np.array([a, b, a * 1.1, b * 0.9, a * 0.8, b * 1.2])
    labels = word_classes(vectors, 2, iterations=3)
    assert len(set(labels[::2])) == 1 and len(set(labels[1::2])) == 1 and labels[0] != labels[1]
    # Dot product, not distance: a long vector far from a centroid still joins it by direction.
    far = np.vstack([vectors, 10 * a])
    assert word_classes(far, 2)[-1] == word_classes(far, 2)[0]
    # One iteration from the round-robin start
    assert word_classes(np.eye(3), 3, iterations=1).tolist() == [0, 1, 2]


def test_output_file_is_word_and_class_per_line(tmp_path):
    save_word_classes(tmp_path / "classes.txt", ["the", "cat", "naïve"], np.array([0, 3, 1]))
    assert (tmp_path / "classes.txt").read_text(encoding="utf-8") == "the 0\ncat 3\nnaïve 1\n"
    with pytest.raises(ValueError, match="one class per word"):
        save_word_classes(tmp_path / "x.txt", ["a"], [0, 1])


@pytest.mark.parametrize("args, message", [
    ((np.zeros((3, 2)), 0), "k must"),
    ((np.zeros((3, 2)), 4), "k must"),
    ((np.zeros(3), 1), "2-D"),
    ((np.array([[np.nan, 1.0]]), 1), "finite"),
])
def test_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        word_classes(*args)
