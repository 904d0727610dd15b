"""Performance benchmarks (SPEC §9): ``python -m benchmarks`` prints the whole table."""

import engine  # noqa: F401  (first, as in the CLI: caps BLAS threads before numpy loads)
