"""yb: look up the figures of a page of the Yanbian daily paper, with their sources."""

__version__ = "0.1.0"
