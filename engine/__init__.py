"""Personal asset-liability management engine."""

__version__ = "0.1.0"
