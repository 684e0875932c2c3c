"""Shared fakes and helpers for the tests (never imported from another test module)."""
