"""osint: collect, extract, resolve, publish and screen open-source intelligence."""

__version__ = "0.1.0"
