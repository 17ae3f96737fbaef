"""Does `make lab` install from wheels alone on every supported Python, on Linux, macOS and Windows?

    python scripts/check_wheels.py            # every supported version x platform, a table
    python scripts/check_wheels.py 3.12 macos # one cell of the table

For each Python version in pyproject's `requires-python` classifiers and each platform below, pip
resolves `teachkit[lab]` with `--only-binary=:all:` for that interpreter and platform, without
installing anything (`--dry-run`; PyPI's metadata files mean no wheel is downloaded). A package
that only has a source distribution there would need a compiler on the student's machine: the
check fails and names it. Exit status 1 if any combination fails.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What a student's machine accepts, newest first: pip takes the platform tags literally, so list
# the older tags a current machine also accepts (glibc 2.28 Linux, macOS 14 on Apple silicon).
PLATFORMS = {
    "linux": [f"manylinux_2_{v}_x86_64" for v in (28, 27, 26, 24, 17)]
             + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"],
    "macos": [f"macosx_{v}_0_{arch}" for v in (14, 13, 12, 11) for arch in ("arm64", "universal2")],
    "windows": ["win_amd64"],
}


def supported_versions() -> list[str]:
    """The Python versions pyproject.toml declares (its "Programming Language :: Python :: 3.X" classifiers)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)


def resolve(version: str, platform: str, extra: str = "lab") -> tuple[bool, str]:
    """(ok, what pip said) for `teachkit[extra]` on Python ``version`` and ``platform``, wheels only."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
                   "--only-binary=:all:", "--python-version", version, "--target", str(Path(tmp) / "t"),
                   "--report", str(report), f"{ROOT}[{extra}]"]
        for tag in PLATFORMS[platform]:
            command += ["--platform", tag]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
            return False, " ".join(errors) or done.stderr[-300:]
        installed = {i["metadata"]["name"].lower(): i["metadata"]["version"]
                     for i in json.loads(report.read_text())["install"]}
        key = ", ".join(f"{n} {installed[n]}" for n in ("numpy", "numba", "gensim", "scipy") if n in installed)
        return True, f"{len(installed)} wheels ({key})"


def main(argv: list[str]) -> int:
    versions = [a for a in argv if re.fullmatch(r"3\.\d+", a)] or supported_versions()
    platforms = [a for a in argv if a in PLATFORMS] or list(PLATFORMS)
    cases = [(v, p) for v in versions for p in platforms]
    with ThreadPoolExecutor(max_workers=4) as pool:  # pip waits on the network, not the CPU
        results = list(pool.map(lambda case: resolve(*case), cases))
    for (version, platform), (ok, what) in zip(cases, results):
        print(f"Python {version} {platform:8s} {'ok  ' if ok else 'FAIL'} {what}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
