# almanach — the Territoires Pilotes letters, built into a site and a PDF.
# `make help` lists the targets; the comments after `##` are the help text.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BUILDDIR ?= build
SPHINXOPTS ?=
# A warning is a failure: strict, nitpicky, but report them all. Quiet: Sphinx's
# own progress is not shown, almanach says each step in French (SPHINXOPTS=-v
# shows everything).
STRICT := -W --keep-going -n
SPHINXBUILD = $(BIN)/sphinx-build -q -c docs $(STRICT) $(SPHINXOPTS)
# One environment for every builder, outside the published folders.
DOCTREES = -d $(BUILDDIR)/doctrees

# Debian packages (see the README): for the PDF, TeX Live with lualatex and
# French, the fonts (TeX Gyre, DejaVu, Noto Color Emoji), xindy, poppler; for the
# browser tests, Chromium (driven by Playwright, no browser download).
DEBIAN_PACKAGES := texlive-luatex latexmk texlive-lang-french texlive-latex-extra \
	texlive-fonts-recommended fonts-texgyre fonts-noto-color-emoji fonts-dejavu-core \
	xindy poppler-utils chromium

SYSTEM_STAMP := $(VENV)/.system-packages
PYTHON_STAMP := $(VENV)/.python-packages
NODE_STAMP := tests/browser/node_modules/.installed

.PHONY: all setup html pdf email preview live linkcheck check test fuzz bench clean help lock

all: setup ## Tout installer, puis construire le site HTML et le PDF
	@$(MAKE) --no-print-directory pdf
	@$(MAKE) --no-print-directory html

ifdef ALMANACH_NO_SETUP
# Hosted builders (Read the Docs) install the packages themselves.
setup:
	@true
else
setup: $(SYSTEM_STAMP) $(PYTHON_STAMP) $(NODE_STAMP) ## Installer les paquets Debian, l’environnement Python et axe-core (une fois)
endif

$(SYSTEM_STAMP): Makefile
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' "$$package" 2>/dev/null | grep -q '^install ok installed' \
	    || missing="$$missing $$package"; \
	done; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installation des paquets Debian manquants :$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Paquets système manquants. Lancez, puis relancez make :"; \
	    echo "  sudo apt-get install$$missing"; \
	    exit 1; \
	  fi; \
	fi
	@mkdir -p $(VENV) && touch $@

$(PYTHON_STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  --constraint requirements.lock --editable '.[test,edit]'
	@touch $@

$(NODE_STAMP): tests/browser/package-lock.json $(SYSTEM_STAMP)
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	@touch $@

html: setup ## Construire le site dans build/html (avec le PDF s’il est construit)
	@$(SPHINXBUILD) $(DOCTREES) -b html docs $(BUILDDIR)/html
	@if [ -f $(BUILDDIR)/pdf/territoires-pilotes.pdf ]; then \
	  cp $(BUILDDIR)/pdf/territoires-pilotes.pdf $(BUILDDIR)/html/; fi

pdf: setup ## Construire le recueil PDF dans build/pdf
	@$(SPHINXBUILD) $(DOCTREES) -b latex docs $(BUILDDIR)/latex
	@$(BIN)/python -m almanach.pdf.build $(BUILDDIR)

# Every link of a message leads to the published site: ALMANACH_BASEURL is needed
# (the build says so otherwise). From, Reply-To and List-Unsubscribe come from
# ALMANACH_EMAIL_FROM, ALMANACH_EMAIL_REPLY_TO and ALMANACH_EMAIL_UNSUBSCRIBE.
email: setup ## Construire l’édition e-mail de chaque lettre publiée dans build/email (demande ALMANACH_BASEURL)
	@test -n "$$ALMANACH_BASEURL$$READTHEDOCS_CANONICAL_URL" || { $(BIN)/python -c \
	  'from almanach.email.builder import NO_ADDRESS; print("make email : " + NO_ADDRESS)' >&2; exit 2; }
	@$(SPHINXBUILD) $(DOCTREES) -b email docs $(BUILDDIR)/email

preview: setup ## Construire toutes les lettres, brouillons compris (bandeaux), dans build/preview, avec leurs e-mails
	@$(SPHINXBUILD) -d $(BUILDDIR)/preview/doctrees -D almanach_preview=1 -b html docs $(BUILDDIR)/preview/html
	@$(SPHINXBUILD) -d $(BUILDDIR)/preview/doctrees -D almanach_preview=1 -b email docs $(BUILDDIR)/preview/email
	@$(SPHINXBUILD) -d $(BUILDDIR)/preview/doctrees -D almanach_preview=1 -b latex docs $(BUILDDIR)/preview/latex
	@$(BIN)/python -m almanach.pdf.build $(BUILDDIR)/preview
	@cp $(BUILDDIR)/preview/pdf/territoires-pilotes.pdf $(BUILDDIR)/preview/html/

LIVE_HOST ?= 127.0.0.1
LIVE_PORT ?= 8000
live: setup ## Prévisualiser le site (brouillons compris) sur http://127.0.0.1:8000, à chaque enregistrement
	$(BIN)/python -m almanach.live -c docs -n -D almanach_preview=1 \
	  --host $(LIVE_HOST) --port $(LIVE_PORT) \
	  --watch issues --watch references.bib --watch extensions/almanach \
	  --ignore '*/territoires/*.md' $(SPHINXOPTS) docs $(BUILDDIR)/live

linkcheck: setup ## Vérifier les liens externes des lettres (demande le réseau)
	$(SPHINXBUILD) $(DOCTREES) -b linkcheck docs $(BUILDDIR)/linkcheck

check: setup ## Vérifier les lettres et les registres sans construire (almanach check)
	@$(BIN)/almanach check

test: setup ## Relire le code (ruff), puis lancer tous les tests
	$(BIN)/ruff check extensions tests benchmarks docs/conf.py
	$(BIN)/ruff format --check extensions tests benchmarks docs/conf.py
	$(BIN)/python -m pytest

fuzz: setup ## Tests aléatoires prolongés de chaque directive et rôle (hypothesis)
	ALMANACH_FUZZ_PROFILE=deep $(BIN)/python -m pytest -m fuzz -p no:cacheprovider

# The PDF rows at 60 and 120 letters are measured once (each is minutes long).
bench: setup ## Mesurer le coût de construction quand l’archive grandit (build/bench), tableau du README compris
	$(BIN)/python -m benchmarks.run --pdf-runs 60:1,120:1
	$(BIN)/python -m benchmarks.readme build/bench/results.json README.md

clean: ## Effacer les constructions (garde l’environnement Python)
	rm -rf $(BUILDDIR)

help: ## Lister les commandes
	@echo "Commandes (make <commande>) :"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) \
	  | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

lock: ## Recalculer les versions de requirements.lock (demande PyPI)
	rm -rf $(BUILDDIR)/lock-venv
	$(PYTHON) -m venv $(BUILDDIR)/lock-venv
	$(BUILDDIR)/lock-venv/bin/python -m pip install --quiet --upgrade "pip==26.3"
	$(BUILDDIR)/lock-venv/bin/python -m pip install --quiet '.[test,edit]'
	{ echo "# Locked versions of every Python dependency; regenerate with 'make lock'."; \
	  $(BUILDDIR)/lock-venv/bin/python -m pip freeze --exclude almanach; } > requirements.lock
	rm -rf $(BUILDDIR)/lock-venv
