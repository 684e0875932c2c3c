"""Plant time: every time is stored in UTC and shown in the plant's time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


class PlantClock:
    """Formats UTC times in the plant's time zone."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def time(self, at: datetime | None) -> str:
        """'14:03:27' in plant time, or '' for None."""
        return at.astimezone(self.tz).strftime("%H:%M:%S") if at else ""

    def day_start(self, at: datetime) -> datetime:
        """Local midnight of the plant day that `at` falls in."""
        local = at.astimezone(self.tz)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)


def duration_text(d: timedelta) -> str:
    """'1:35' for minutes, '1:02:05' past an hour; negative counts as zero."""
    total = max(0, int(d.total_seconds()))
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
