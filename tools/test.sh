#!/usr/bin/env bash
# The one test entry point, for developers and CI alike: installs what the tests need
# (Debian's Java, Jena and Raptor as independent peers, Chromium and its driver for the
# browser test; the package with its test extra), then lints, type-checks and runs the
# test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
[ -f /usr/share/java/jena-core.jar ] || need+=(libapache-jena-java)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
python3 -m ruff check .
python3 -m mypy  # the files and strictness are in pyproject.toml ([tool.mypy])
python3 -m pytest "$@"
