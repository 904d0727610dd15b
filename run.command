#!/bin/sh
# macOS launcher: double-click in Finder to process every workbook in workbooks/.
# Runs run.py from this folder (it sets itself up on first use), then waits for Enter.
cd "$(dirname "$0")" || exit 1
if command -v python3 >/dev/null 2>&1; then PYTHON=python3; else PYTHON=python; fi
"$PYTHON" run.py "$@"
status=$?
if [ -t 0 ] && [ -z "${CI:-}" ]; then
    printf '\nPress Enter to close this window.'
    read -r _
fi
exit $status
