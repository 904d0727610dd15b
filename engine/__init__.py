"""Personal asset-liability management engine."""

import os as _os

__version__ = "0.1.0"

# The engine's matrix products are small (buckets × paths) and it already keeps both
# cores busy (Monte Carlo prefetch thread, solver child, --jobs workers); BLAS threads
# on top of that oversubscribe the cores (benchmarks/README.md has the measurement). Set
# before numpy is first imported; a value the user set wins.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
