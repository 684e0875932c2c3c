"""The station core: the ledger (the only writer of the record), commands, and the wiring."""
