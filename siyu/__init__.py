"""siyu (私域): analytics for the private-domain operations of consumer brands."""

__version__ = "0.1.0"
