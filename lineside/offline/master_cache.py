"""Master data on its way down: the pages of one pull, held until the last one is in."""

from __future__ import annotations

from dataclasses import dataclass, field

from lineside.domain.sync import MasterDataPage, MasterRecord


@dataclass
class MasterPull:
    """The pages of one pull from the server; the cache changes only once `add` says done."""

    full: bool = False
    """The pull started a complete snapshot: the cache is replaced, not patched."""
    cursor: int = 0
    """The server's cursor after the last page added."""
    records: list[MasterRecord] = field(default_factory=list)
    """Records and tombstones in the server's order; the last one for a key wins."""
    pages: int = 0

    def add(self, page: MasterDataPage) -> bool:
        """Take the next page; True when it was the last one of the pull."""
        if page.full:
            # A snapshot starts (again, if the server restarted it): earlier pages are superseded.
            self.full = True
            self.records = []
        self.records.extend(page.records)
        self.cursor = page.cursor
        self.pages += 1
        return not page.more

    @property
    def changes_cache(self) -> bool:
        """Applying the pull changes what the station works with."""
        return self.full or bool(self.records)
