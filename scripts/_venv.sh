# Shared by run.sh and test.sh: make .venv with Python 3.11+ and install a pinned requirements file.
# Usage: source scripts/_venv.sh REQUIREMENTS_FILE
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
req="$1"
py="${PYTHON:-}"
if [ -z "$py" ]; then
  for candidate in python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      py="$candidate"; break
    fi
  done
fi
[ -n "$py" ] || { echo "siyu needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $py"
  if ! "$py" -m venv .venv; then
    rm -rf .venv
    # Debian/Ubuntu ship venv separately from python3.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "==> installing python3-venv"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$py" -m venv .venv
    else
      echo "could not create .venv: install your Python's venv module (Debian: sudo apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
fi
# Reinstall only when the pins changed since the last install (a stamp per requirements file).
stamp=".venv/.installed-$(basename "$req")"
if [ ! -f "$stamp" ] || ! cmp -s "$stamp" <(cat requirements*.txt); then
  echo "==> installing $req"
  # --no-compile: Python compiles a module when it is first imported; compiling every file of every package
  # here (pyspark alone has thousands the tests never import) took ~50 of the install's ~120 s.
  .venv/bin/python -m pip install --quiet --no-compile --disable-pip-version-check -r "$req"
  cat requirements*.txt > "$stamp"
fi
