"""Today's stops, newest first, with uncoded ones marked; split a stop at a chosen time."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    Property,
    QModelIndex,
    QObject,
    QTimer,
    Signal,
    Slot,
)

from lineside.domain.events import utc_now
from lineside.domain.plant_time import PlantClock, duration_text
from lineside.domain.stops import Change, StopRecord
from lineside.station.commands import downtime
from lineside.station.ledger import Ledger, Refused
from lineside.viewmodels.base import RowsModel, ViewModel, prop, refusal_text
from lineside.viewmodels.reason_prompt import category_text, plc_words

ROLES = (
    "stop_id",
    "start_text",
    "end_text",
    "duration_text",
    "category_text",
    "reason_text",
    "needs_reason",
    "is_open",
    "plc_text",
    "history_text",
)


class Row(Mapping[str, Any]):
    """A row of the list, made the first time it is read: a long day has thousands of stops
    and the screen shows ten, so a start makes only the rows the list draws."""

    __slots__ = ("_make", "_values", "stop_id")

    def __init__(self, stop_id: str, make: Callable[[], dict[str, Any]]) -> None:
        self.stop_id = stop_id
        self._make: Callable[[], dict[str, Any]] | None = make
        self._values: dict[str, Any] | None = None

    def values_now(self) -> dict[str, Any]:
        """The row's values (made now if they were not yet)."""
        if self._values is None:
            assert self._make is not None
            self._values, self._make = self._make(), None
        return self._values

    def __getitem__(self, key: str) -> Any:
        return self.stop_id if key == "stop_id" else self.values_now()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.values_now())

    def __len__(self) -> int:
        return len(self.values_now())


class StopListModel(RowsModel):
    """Rows of the stop list; each role is a ready-to-show value."""

    ROLES = ROLES

    _rows: list[Mapping[str, Any]]  # type: ignore[assignment]  # rows made when first read

    def row_of(self, stop_id: str) -> dict[str, Any] | None:
        """The shown row of a stop."""
        found = next((r for r in self._rows if r["stop_id"] == stop_id), None)
        return dict(found) if found is not None else None

    def reset_rows(self, rows: list[Mapping[str, Any]]) -> None:
        """Show other rows in every place (a new language): nothing is compared or made."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def set_rows(self, rows: list[Mapping[str, Any]]) -> None:
        """Replace the rows; new stops on top are inserted, changed rows updated in place.

        Only a change in the order of existing stops resets the model: a reset rebuilds every
        delegate, which would delay the frame that shows the reason prompt.
        """
        old_ids = [r["stop_id"] for r in self._rows]
        new_ids = [r["stop_id"] for r in rows]
        added = len(new_ids) - len(old_ids)
        if added < 0 or new_ids[added:] != old_ids:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        if added:
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            old, self._rows = self._rows, rows
            self.endInsertRows()
        else:
            old, self._rows = self._rows, rows
        for i, (before, after) in enumerate(zip(old, rows[added:], strict=True)):
            if before is not after and before != after:
                self.dataChanged.emit(self.index(i + added), self.index(i + added))

    def put_row(self, i: int, row: Mapping[str, Any]) -> None:
        """Show a changed row in place (nothing happens when it did not change)."""
        if self._rows[i] is not row and self._rows[i] != row:
            self._rows[i] = row
            self.dataChanged.emit(self.index(i), self.index(i))

    def insert_top(self, row: Mapping[str, Any]) -> None:
        """Show a new stop on top."""
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, row)
        self.endInsertRows()


class StopListViewModel(ViewModel):
    """The stop list screen: rows, counts, and the split dialog."""

    uncoded_count_changed = Signal()
    split_visible_changed = Signal()
    split_text_changed = Signal()
    split_range_text_changed = Signal()
    message_changed = Signal()

    uncoded_count = prop(int, "uncoded_count", uncoded_count_changed)
    split_visible = prop(bool, "split_visible", split_visible_changed)
    split_text = prop(str, "split_text", split_text_changed)
    split_range_text = prop(str, "split_range_text", split_range_text_changed)
    message = prop(str, "message", message_changed)

    def __init__(
        self,
        ledger: Ledger,
        clock: PlantClock,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = utc_now,
        language: str | None = None,
    ) -> None:
        super().__init__(parent, language)
        self._ledger = ledger
        self._clock = clock
        self._now = now
        self._model = StopListModel(self)
        self._uncoded_count = 0
        self._split_visible = False
        self._split_text = ""
        self._split_range_text = ""
        self._message = ""
        self._split_stop: str = ""
        self._split_at: datetime | None = None
        self._rows_by_stop: dict[str, tuple[StopRecord, Row]] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._shown: list[StopRecord] = []
        """The stops in the model, in its order (newest first)."""
        self._day_start: datetime | None = None
        ledger.subscribe(self._changed)
        self.refresh()

    def _get_model(self) -> StopListModel:
        return self._model

    model = Property(QObject, _get_model, constant=True)

    @Slot()
    def refresh(self, every_row: bool = False) -> None:
        """Rebuild the rows from the stops projection (today's, newest first).

        `every_row`: each row reads differently now (another language); show them anew.
        """
        now = self._now()
        day_start = self._clock.day_start(now)
        stops = [s for s in self._ledger.stops.values() if self._today(s, day_start)]
        stops.sort(key=lambda s: s.started_at, reverse=True)
        rows: list[Mapping[str, Any]] = [self._row(s, now) for s in stops]
        if every_row:
            self._model.reset_rows(rows)
        else:
            self._model.set_rows(rows)
        self._shown, self._day_start = stops, day_start
        if len(self._rows_by_stop) > len(stops):  # forget rows of stops no longer shown
            shown = {s.stop_id for s in stops}
            self._rows_by_stop = {k: v for k, v in self._rows_by_stop.items() if k in shown}
        self._count_uncoded()

    @staticmethod
    def _today(s: StopRecord, day_start: datetime) -> bool:
        return s.is_open or (s.ended_at is not None and s.ended_at >= day_start)

    def _count_uncoded(self) -> None:
        self._set("uncoded_count", sum(1 for s in self._shown if s.needs_reason))

    def _changed(self, touched: set[str]) -> None:
        """Update only the rows of the stops a change touched, so a tap costs the same
        however many stops the day has; anything else (a split, a stop of an earlier time,
        a new plant day) rebuilds the list."""
        if not touched:
            return
        now = self._now()
        if self._clock.day_start(now) != self._day_start:
            self.refresh()
            return
        for stop_id in sorted(touched, key=self._started):
            stop = self._ledger.stops.get(stop_id)
            i = next((n for n, s in enumerate(self._shown) if s.stop_id == stop_id), None)
            if stop is not None and i is not None and stop.started_at == self._shown[i].started_at:
                self._shown[i] = stop
                self._model.put_row(i, self._row(stop, now))
            elif (
                stop is not None
                and i is None
                and (not self._shown or stop.started_at > self._shown[0].started_at)
            ):
                self._shown.insert(0, stop)
                self._model.insert_top(self._row(stop, now))
            else:
                self.refresh()
                return
        self._count_uncoded()

    def _started(self, stop_id: str) -> datetime:
        stop = self._ledger.stops.get(stop_id)
        return stop.started_at if stop is not None else datetime.min.replace(tzinfo=UTC)

    @Slot()  # a declared slot: a plain method would give each instance its own metaobject
    def _tick(self) -> None:
        """Every second: the open stops' durations (and a new plant day: the whole list)."""
        now = self._now()
        if self._clock.day_start(now) != self._day_start:
            self.refresh()
            return
        for i, s in enumerate(self._shown):
            if s.is_open:
                self._model.put_row(i, self._row(s, now))

    def _row(self, s: StopRecord, now: datetime) -> Row:
        # A closed stop's row only changes when its record does (records are replaced, not
        # mutated): reuse it, so a refresh costs little however many stops the day has. A row
        # is made when the list first reads it, in the language of that moment.
        cached = self._rows_by_stop.get(s.stop_id)
        if cached is not None and cached[0] is s and not s.is_open:
            return cached[1]
        row = Row(s.stop_id, lambda: self._build_row(s, now))
        self._rows_by_stop[s.stop_id] = (s, row)
        return row

    def _build_row(self, s: StopRecord, now: datetime) -> dict[str, Any]:
        if s.reason:
            reason = self._reason_words(s.reason, s.reason_path or s.reason)
            if s.automatic:
                reason = self.tr("%1 (automatic)").replace("%1", reason)
        else:
            reason = self.tr("No reason yet") if s.needs_reason else ""
        plc = plc_words(self._ledger, s, self._language)
        # The history is shown once a stop has been corrected (recoded, split): who and when.
        lines = [
            f"{self._clock.time(h.at)} {self._who(h.by)}: {self._change_words(h)}"
            for h in s.history
        ]
        lines += [
            self.tr("No connection %1 to %2")
            .replace("%1", self._clock.time(start))
            .replace("%2", self._clock.time(end) if end else self.tr("now"))
            for start, end in s.gaps
        ]
        history = "\n".join(lines) if len(s.history) > 1 or s.gaps else ""
        return {
            "stop_id": s.stop_id,
            "start_text": self._clock.time(s.started_at),
            "end_text": self._clock.time(s.ended_at) if s.ended_at else self.tr("now"),
            "duration_text": duration_text(s.duration(now)),
            "category_text": category_text(s.category),
            "reason_text": reason,
            "needs_reason": s.needs_reason,
            "is_open": s.is_open,
            "plc_text": plc,
            "history_text": history,
        }

    def _reason_words(self, code: str, fallback: str) -> str:
        tree = self._ledger.reason_tree
        path = tree.label_path(code, self._language) if tree else ""
        return path or fallback

    def _change_words(self, change: Change) -> str:
        data = dict(change.data)
        if change.what == "coded":
            return self.tr("coded %1").replace(
                "%1", self._reason_words(data.get("reason", ""), data.get("path", ""))
            )
        if change.what == "recoded":
            text = self.tr("changed %1 → %2").replace(
                "%1", self._reason_words(data.get("old", ""), data.get("old", ""))
            )
            text = text.replace("%2", self._reason_words(data.get("new", ""), data.get("new", "")))
            why = data.get("why", "")
            return f"{text}: {why}" if why else text
        if change.what == "split":
            at = data.get("at")
            return self.tr("split at %1").replace(
                "%1", self._clock.time(datetime.fromisoformat(at)) if at else ""
            )
        if change.what == "split_off":
            return self.tr("split off")
        return change.what

    def retranslate(self) -> None:
        """Every row and the split dialog in the new language."""
        self._rows_by_stop.clear()
        self.refresh(every_row=True)
        stop = self._ledger.stop(self._split_stop) if self._split_visible else None
        if stop is not None:
            self._set("split_range_text", self._range_words(stop))

    def _range_words(self, stop: StopRecord) -> str:
        return (
            self.tr("Stop from %1 to %2")
            .replace("%1", self._clock.time(stop.started_at))
            .replace("%2", self._clock.time(stop.ended_at) if stop.ended_at else self.tr("now"))
        )

    def _who(self, person_id: str | None) -> str:
        person = self._ledger.people.by_id(person_id or "")
        return person.name if person else (person_id or self.tr("not signed in"))

    # -- split ----------------------------------------------------------------------------

    @Slot(str)
    def begin_split(self, stop_id: str) -> None:
        """Open the split dialog for a stop, proposing its midpoint."""
        stop = self._ledger.stop(stop_id)
        if stop is None:
            return
        end = stop.ended_at or self._now()
        if end - stop.started_at < timedelta(seconds=2):
            self._set("message", self.tr("This stop is too short to split."))
            return
        self._split_stop = stop_id
        mid = stop.started_at + (end - stop.started_at) / 2
        self._split_at = mid.replace(microsecond=0)
        self._set("split_range_text", self._range_words(stop))
        self._set("split_text", self._clock.time(self._split_at))
        self._set("message", "")
        self._set("split_visible", True)

    @Slot(int)
    def adjust_split(self, seconds: int) -> None:
        """Move the split time by a number of seconds, kept inside the stop."""
        stop = self._ledger.stop(self._split_stop)
        if stop is None or self._split_at is None:
            return
        end = stop.ended_at or self._now()
        at = self._split_at + timedelta(seconds=seconds)
        lo, hi = stop.started_at + timedelta(seconds=1), end - timedelta(seconds=1)
        self._split_at = min(max(at, lo), hi)
        self._set("split_text", self._clock.time(self._split_at))

    @Slot()
    def cancel_split(self) -> None:
        """Close the split dialog without a change."""
        self._set("split_visible", False)

    @Slot()
    def confirm_split(self) -> None:
        """Record the split; the dialog closes once it is saved."""
        if self._split_at is not None and self._split_stop:
            self._spawn(self._split(self._split_stop, self._split_at))

    async def _split(self, stop_id: str, at: datetime) -> None:
        try:
            await downtime.split(self._ledger, stop_id, at)
        except Refused as exc:
            self._set("message", refusal_text(exc))
            return
        self._set("split_visible", False)
