"""One module per capability: each checks a command against the projections and commits it."""
