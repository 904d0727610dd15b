"""Data that ships inside the package: ``us_stocks_monthly.csv`` (see README.md here).

Read it through ``engine.model.history_data``, which parses it once and keeps a binary
cache (``us_stocks_monthly.npz``) beside it when this folder is writable.
"""
