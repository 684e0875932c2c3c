"""The central server: stations sync their events up and master data down (docs/server.md)."""
