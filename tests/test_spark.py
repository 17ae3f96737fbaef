"""teachkit.spark: clear errors before Spark starts, and (with Java + pyspark) a tiny real run."""
import stat
import sys

import numpy as np
import pytest

from teachkit import spark as tk_spark
from teachkit.corpus import Vocab


def _spark_available() -> bool:
    try:
        tk_spark.check_java()
        return True
    except (ImportError, tk_spark.JavaNotFoundError):
        return False


def _pyspark_installed() -> bool:
    try:
        import pyspark  # noqa: F401
        return True
    except ImportError:
        return False


needs_java = pytest.mark.skipif(not _spark_available(), reason="no Java runtime or no pyspark for Spark")
needs_pyspark = pytest.mark.skipif(not _pyspark_installed(), reason="pyspark is not installed")


def _fake_java(tmp_path, version_line: str):
    bin_dir = tmp_path / "jdk" / "bin"
    bin_dir.mkdir(parents=True)
    java = bin_dir / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return bin_dir.parent


# --- bad input ------------------------------------------------------------------------------------

@needs_pyspark
def test_no_java_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no java anywhere
    with pytest.raises(tk_spark.JavaNotFoundError, match="none was found on PATH.*apt-get install"):
        tk_spark.check_java()


@needs_pyspark
def test_java_home_without_java_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-such-jdk"))
    with pytest.raises(tk_spark.JavaNotFoundError, match="JAVA_HOME=.*no-such-jdk.*openjdk-17"):
        tk_spark.check_java()


@needs_pyspark
def test_too_old_java_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(_fake_java(tmp_path, 'openjdk version "1.7.0_80"')))
    with pytest.raises(tk_spark.JavaNotFoundError, match="is Java 7, but this pyspark needs Java"):
        tk_spark.check_java()


@needs_pyspark
def test_java_version_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("JAVA_HOME", str(_fake_java(tmp_path, 'openjdk version "21.0.2" 2024-01-16')))
    assert tk_spark.check_java() == "21.0.2"


def test_missing_pyspark_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    with pytest.raises(ImportError, match="pip install 'teachkit\\[spark\\]'"):
        tk_spark.check_java()


def test_missing_corpus_path(tmp_path):
    missing = tmp_path / "no_corpus.txt"
    with pytest.raises(FileNotFoundError, match="no_corpus.txt does not exist.*write_sentences"):
        tk_spark.train_word2vec(missing)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_num_partitions_below_one(tmp_path, bad):
    corpus = tk_spark.write_sentences([["a", "b"]] * 5, tmp_path / "c.txt")
    with pytest.raises(ValueError, match="num_partitions must be an int >= 1"):
        tk_spark.train_word2vec(corpus, num_partitions=bad)


@pytest.mark.parametrize("name", ["num_iterations", "vector_size", "window", "min_count"])
def test_other_sizes_below_one(tmp_path, name):
    corpus = tk_spark.write_sentences([["a", "b"]] * 5, tmp_path / "c.txt")
    with pytest.raises(ValueError, match=f"{name} must be an int >= 1"):
        tk_spark.train_word2vec(corpus, **{name: 0})


def test_empty_corpus_and_all_rare_words_fail_before_spark(tmp_path):
    with pytest.raises(ValueError, match="corpus is empty"):
        tk_spark.train_word2vec(tk_spark.write_sentences([], tmp_path / "empty.txt"))
    with pytest.raises(ValueError, match="fewer than min_count=5"):
        tk_spark.train_word2vec(tk_spark.write_sentences([["a", "b"]], tmp_path / "rare.txt"))


def test_write_sentences_round_trip_and_rejects_strings(tmp_path):
    path = tk_spark.write_sentences([["the", "cat"], ["sat"]], tmp_path / "c.txt")
    assert path.read_text(encoding="utf-8") == "the cat\nsat\n"
    with pytest.raises(TypeError, match="lists of tokens"):
        tk_spark.write_sentences(["the cat"], tmp_path / "d.txt")


# --- a real run -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def session():
    spark = tk_spark.local_session(cores=2)
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def toy_corpus(tmp_path_factory):
    # Two topics that never share a sentence: animals and numbers. Any working skip-gram puts
    # words of the same topic closer together than words of different topics.
    rng = np.random.default_rng(0)
    animals, numbers = ["cat", "dog", "cow", "horse"], ["one", "two", "three", "four"]
    sentences = [list(rng.choice(topic, size=8)) for topic in [animals, numbers] * 300]
    return tk_spark.write_sentences(sentences, tmp_path_factory.mktemp("spark") / "toy.txt"), sentences


@needs_java
@pytest.mark.parametrize("num_partitions", [1, 2])
def test_tiny_real_training_run(session, toy_corpus, num_partitions):
    path, sentences = toy_corpus
    result = tk_spark.train_word2vec(path, vector_size=10, window=2, min_count=5,
                                     num_partitions=num_partitions, num_iterations=3, seed=7, spark=session)
    assert result.words == Vocab.build(sentences, min_count=5).words
    assert result.vectors.shape == (8, 10) and result.vectors.dtype == np.float32
    assert np.all(np.isfinite(result.vectors))
    assert result.train_words == 8 * 600 and result.words_per_second > 0
    unit = result.vectors / np.linalg.norm(result.vectors, axis=1, keepdims=True)
    topic = np.array([w in ("cat", "dog", "cow", "horse") for w in result.words])
    cosine = unit @ unit.T
    same = cosine[np.equal.outer(topic, topic) & ~np.eye(8, dtype=bool)].mean()
    different = cosine[~np.equal.outer(topic, topic)].mean()
    assert same > different + 0.3, (same, different)


@needs_java
def test_spark_session_is_quiet_and_bound_to_loopback(session):
    conf = session.sparkContext.getConf()
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.ui.showConsoleProgress") == "false"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert session.sparkContext.master == "local[2]"
    # The JVM's start-up messages went to the log file, not to our stderr.
    assert "log4j" in tk_spark.SPARK_LOG.read_text(errors="replace")
