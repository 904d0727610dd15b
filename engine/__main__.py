"""``python -m engine``: the same command line as ``run.py`` (without the bootstrap)."""

import sys

from engine.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
