#!/usr/bin/env bash
# Prints the path of a CPython of the given minor version (default 3.12) for the project's own tasks,
# tests and CI: $CDK_PYTHON_COLDSTART_PYTHON if it has that version, `pythonX.Y` on PATH, a pyenv-installed
# one, or Debian's. Prints nothing when none is found. The library itself never reads this script.
version="${1:-3.12}"
check() { [ -n "$1" ] && "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$version' else 1)" >/dev/null 2>&1; }
cands=("${CDK_PYTHON_COLDSTART_PYTHON:-}" "python$version")
root="${PYENV_ROOT:-$HOME/.pyenv}"
for d in $(ls -d "$root"/versions/"$version".* 2>/dev/null | sort -rV); do cands+=("$d/bin/python$version"); done
cands+=("/usr/bin/python$version" "/usr/local/bin/python$version")
for c in "${cands[@]}"; do
  if check "$c"; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
