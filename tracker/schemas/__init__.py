"""Marshmallow schemas: load API requests, dump API responses (serialization at the edge only)."""
