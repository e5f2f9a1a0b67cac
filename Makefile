# Two entry points for a fresh machine with only Python 3.11+ and make:
#   make run   - launch the wizard (creates .venv and installs on first use)
#   make test  - run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test bench docs clean

run: $(VENV)/.installed
	$(BIN)/pbxwizard $(ARGS)

# Bytecode is cached for the tests even where PYTHONDONTWRITEBYTECODE is set (.ci/run sets it):
# each xdist worker and every CLI subprocess would otherwise compile every module again.
test: $(VENV)/.installed-test
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

docs: $(VENV)/.installed
	$(BIN)/python -m pbxwizard.settings.docs --write README.md

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build dist *.egg-info
