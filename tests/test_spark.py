"""teachkit.spark: clear errors before Spark starts, and (with Java + pyspark) a tiny real run."""
import re
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

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


@pytest.mark.bad_input
def test_missing_pyspark_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    with pytest.raises(ImportError, match="pip install pyspark \\(Spark 4 also needs Java 17 or newer\\)"):
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


# --- issue 19, case 9: a model too large for Spark fails in Python, before Spark runs ---------------

TINY = [["cat", "dog", "cow", "horse", "one", "two", "three", "four"]] * 5   # 8 words, 5 times each
GIB = 2 ** 30


def fake_session(heap_bytes: int):
    """Just enough of a SparkSession to report its driver's heap; training with it would fail loudly."""
    runtime = SimpleNamespace(maxMemory=lambda: heap_bytes)
    jvm = SimpleNamespace(java=SimpleNamespace(lang=SimpleNamespace(Runtime=SimpleNamespace(getRuntime=lambda: runtime))))
    return SimpleNamespace(sparkContext=SimpleNamespace(_jvm=jvm))


def no_spark(*args, **kwargs):
    raise AssertionError("Spark was started: the size check should have failed first")


def advised_vector_size(message: str) -> int:
    return int(re.search(r"vector_size=(\d+) or less", message).group(1))


@pytest.mark.bad_input
def test_40_million_dimensions_fail_before_spark_with_the_memory_named(tmp_path, monkeypatch):
    corpus = tk_spark.write_sentences(TINY, tmp_path / "tiny.txt")
    monkeypatch.setattr(tk_spark, "local_session", no_spark)
    monkeypatch.setattr(tk_spark, "_physical_memory", lambda: 16 * GIB)
    with pytest.raises(tk_spark.ModelTooLargeError) as error:
        tk_spark.train_word2vec(corpus, vector_size=40_000_000, spark=fake_session(GIB))
    message = str(error.value)
    assert "vocabulary x vector size = 8 x 40,000,000 = 320,000,000" in message
    assert "1.28 GB as float32" in message and "18.23 GB in all" in message and "1.07 GB heap" in message
    d = advised_vector_size(message)
    tk_spark.check_model_size(8, d, GIB)                 # the advice fits ...
    with pytest.raises(tk_spark.ModelTooLargeError):
        tk_spark.check_model_size(8, d + 1, GIB)         # ... and is the largest that does
    assert "driver_memory" not in message                # 24 GB of heap on a 16 GB machine would not work


@pytest.mark.bad_input
def test_400_million_dimensions_are_past_the_java_array_limit(tmp_path, monkeypatch):
    corpus = tk_spark.write_sentences(TINY, tmp_path / "tiny.txt")
    monkeypatch.setattr(tk_spark, "local_session", no_spark)
    with pytest.raises(tk_spark.ModelTooLargeError) as error:
        tk_spark.train_word2vec(corpus, vector_size=400_000_000, spark=fake_session(64 * GIB))
    message = str(error.value)
    assert "8 x 400,000,000 = 3,200,000,000" in message and "2,147,483,647" in message
    assert "whatever the memory" in message and "driver_memory" not in message
    tk_spark.check_model_size(8, advised_vector_size(message), 64 * GIB)


@pytest.mark.bad_input
def test_without_a_session_the_check_uses_the_default_heap(tmp_path, monkeypatch):
    corpus = tk_spark.write_sentences(TINY, tmp_path / "tiny.txt")
    monkeypatch.setattr(tk_spark, "local_session", no_spark)
    monkeypatch.setattr(tk_spark, "driver_heap_bytes", lambda spark=None: GIB if spark is None else no_spark())
    with pytest.raises(tk_spark.ModelTooLargeError, match="1.07 GB heap"):
        tk_spark.train_word2vec(corpus, vector_size=40_000_000)


@pytest.mark.bad_input
def test_the_advice_names_a_min_count_and_a_driver_memory_that_work(monkeypatch):
    # 1,000 words seen twice and 10 words seen 50 times: min_count=50 leaves 10 words.
    counts = np.array([50] * 10 + [2] * 1000)
    monkeypatch.setattr(tk_spark, "_physical_memory", lambda: 64 * GIB)
    with pytest.raises(tk_spark.ModelTooLargeError) as error:
        tk_spark.check_model_size(1010, 100_000, GIB, counts=counts, min_count=2)
    message = str(error.value)
    assert "min_count=50 (keeps the 10 words seen at least 50 times)" in message
    tk_spark.check_model_size(10, 100_000, GIB)
    wanted = int(re.search(r"driver_memory='(\d+)g'", message).group(1))
    tk_spark.check_model_size(1010, 100_000, wanted * GIB)
    with pytest.raises(tk_spark.ModelTooLargeError):
        tk_spark.check_model_size(1010, 100_000, (wanted - 1) * GIB)
    assert "restart the kernel" in message


@pytest.mark.bad_input
def test_a_model_that_fits_passes_and_bad_memory_strings_are_refused():
    tk_spark.check_model_size(10_000, 100, GIB)   # the course's models: 4 MB a matrix
    assert tk_spark._parse_memory("512m") == 512 * 2 ** 20 and tk_spark._parse_memory("2g") == 2 * GIB
    with pytest.raises(ValueError, match="driver memory must look like '1g'"):
        tk_spark.local_session(driver_memory="4 gigabytes")
    with pytest.raises(ValueError, match="below the 450m Spark needs to start"):
        tk_spark.local_session(driver_memory="400m")


@needs_java
def test_driver_memory_sets_the_heap_of_a_fresh_jvm_and_the_advised_size_trains():
    """The advice of the size error works: in a fresh process, local_session(driver_memory=...) gets
    that heap, and the largest vector_size the error names for it trains."""
    script = """
import re, numpy as np
from teachkit import spark
path = spark.write_sentences(%r, %r)
session = spark.local_session(driver_memory="512m")
heap = spark.driver_heap_bytes(session)
try:
    spark.train_word2vec(path, vector_size=40_000_000, spark=session)
except spark.ModelTooLargeError as e:
    d = int(re.search(r"vector_size=(\\d+) or less", str(e)).group(1))
result = spark.train_word2vec(path, vector_size=d, min_count=5, spark=session)
print(heap, d, result.vectors.shape, bool(np.isfinite(result.vectors).all()))
session.stop()
""" % (TINY * 4, str(Path(__import__("tempfile").mkdtemp()) / "tiny.txt"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    heap, d, *rest = out.stdout.split()
    assert abs(int(heap) - 512 * 2 ** 20) < 0.05 * 512 * 2 ** 20
    assert int(d) == (int(heap) - tk_spark.SPARK_RESERVED) // (tk_spark.DRIVER_COPIES * 4 * 8)
    assert " ".join(rest) == f"(8, {d}) True"


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
def test_a_different_driver_memory_after_spark_started_is_refused(session):
    with pytest.raises(ValueError, match="heap is fixed when the JVM starts.*Restart the kernel"):
        tk_spark.local_session(driver_memory="3g")


@needs_java
def test_spark_session_is_quiet_and_bound_to_loopback(session):
    conf = session.sparkContext.getConf()
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.ui.showConsoleProgress") == "false"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    assert session.sparkContext.master == "local[2]"
    # The JVM's start-up messages went to the log file, not to our stderr.
    assert "log4j" in tk_spark.SPARK_LOG.read_text(errors="replace")


# --- issue 21: pyspark is optional; a notebook cell that needs it says so in one line ----------------

def test_ready_without_pyspark_prints_one_line_and_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # makes `import pyspark` fail
    assert tk_spark.ready("Spark's vectors next to teachkit's") is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert "pyspark is not installed, so this cell skips Spark's vectors next to teachkit's" in out
    assert "pip install pyspark" in out and "Java 17 or newer" in out


@needs_pyspark
def test_ready_without_java_prints_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tk_spark.ready("a comparison") is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "skips a comparison" in out and "openjdk-17" in out


@needs_java
def test_ready_with_spark_says_nothing(capsys):
    assert tk_spark.ready("a comparison") is True
    assert capsys.readouterr().out == ""
