"""``python -m benchmarks``: the whole SPEC §9 table (see ``benchmarks.run_all``)."""

from benchmarks.run_all import main

raise SystemExit(main())
