"""fundalloc: decide, compare and stress-test award programmes for 两业融合 (see DESIGN.md)."""

__version__ = "0.1.0"
