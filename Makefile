# The two commands a newcomer needs (see README):
#   make demo   install, build the gazetteer index, process seeds/, write maps/
#   make test   install (with Chromium for the browser tests), lint, run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
GEOKIT := $(BIN)/geokit

.PHONY: demo test install gazetteer resolve-seeds maps browser lint bench clean

demo: install gazetteer resolve-seeds maps

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

gazetteer: install
	$(GEOKIT) gazetteer build --quiet
	$(GEOKIT) gazetteer info

resolve-seeds: install
	$(GEOKIT) resolve Donetsk Luhansk Lugansk Kiev Kyiv Pyongyang Tehran Moscow "North Korean" "the Kremlin" "the Middle East" --limit 1

# The gallery: the seed articles as an online map, a self-contained offline
# map, and a screenshot of the offline one (no tiles to wait for).
maps: install browser
	mkdir -p maps
	$(GEOKIT) map seeds/ -o maps/seeds.html --title "Seeds: deployments and alliances"
	$(GEOKIT) map seeds/ --offline -o maps/seeds-offline.html --title "Seeds: deployments and alliances"
	$(BIN)/python bench/screenshot.py maps/seeds-offline.html maps/seeds.png

# Debian's Chromium for the Playwright browser tests; Playwright's own browser
# download needs hosts this network does not reach.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check geokit tests bench

test: install browser lint
	$(GEOKIT) gazetteer build --quiet
	$(BIN)/pytest -q

bench: install gazetteer
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
