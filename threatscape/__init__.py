"""threatscape: news reports in, a sourced record of armed-group activity and political conflict out."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
