# Lint and format check (Biome, configured in biome.json to match the code's existing style).
# Included from the Makefile; `make lint` fails on any lint finding or unformatted file.

.PHONY: lint fmt
lint: $(NPM_STAMP) ## lint and check formatting of every TypeScript/JSON file (Biome)
	npx --no-install biome check .

fmt: $(NPM_STAMP) ## apply Biome's formatting and safe fixes
	npx --no-install biome check --write .
