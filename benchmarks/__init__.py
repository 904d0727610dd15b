"""Performance benchmarks (SPEC §9); run ``python -m benchmarks.bench_monte_carlo``."""
