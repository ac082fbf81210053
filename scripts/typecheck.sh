#!/bin/sh
# mypy over the whole tree (make lint, make test, pre-commit); settings in pyproject.toml.
#
# pytest imports each test folder without __init__.py as a top-level package base (the
# tests import `pdfmaker`, `seckit`, `claimkit` by bare name) and mypy names the modules
# the same way, so several test folders each hold a module named `conftest`. One mypy run
# cannot hold two modules of one name: pyproject.toml leaves the tests' conftest files out
# of the main run and each top-level `conftest` gets a run of its own here (the cache makes
# these short). A folder with __init__.py names its conftest `<package>.conftest`, so those
# join the first of these runs.
set -eu
MYPY="${MYPY:-mypy}"
"$MYPY" "$@"
top=""
packaged=""
for file in $(find tests -name conftest.py -not -path "*/__pycache__/*" | sort); do
  if [ -f "$(dirname "$file")/__init__.py" ]; then
    packaged="$packaged $file"
  else
    top="$top $file"
  fi
done
for file in $top; do
  # shellcheck disable=SC2086 # word splitting of the file list is intended
  "$MYPY" "$@" "$file" $packaged
  packaged=""
done
