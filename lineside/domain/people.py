"""People and their badges: who is signed in at a station is on every fact they record."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lineside.domain.names import LANGUAGE_PATTERN


class Role(enum.StrEnum):
    """What a person does at the line."""

    OPERATOR = "operator"
    TEAM_LEAD = "team_lead"
    TECHNICIAN = "technician"
    QUALITY = "quality"


DECIDES_DEVIATIONS = frozenset({Role.TEAM_LEAD, Role.QUALITY})
"""Who decides a quality deviation and releases a hold."""


class Person(BaseModel):
    """A person who may sign in at a station."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    person_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    badge: str = Field(pattern=r"^[0-9]{1,20}$")
    role: Role = Role.OPERATOR
    language: str | None = Field(
        default=None, pattern=LANGUAGE_PATTERN, exclude_if=lambda language: language is None
    )
    """The screens' language while this person is signed in (None: the station's)."""
    pin_hash: str | None = Field(
        default=None, pattern=r"^\$argon2id?\$", exclude_if=lambda pin: pin is None
    )
    """The person's signing PIN as an argon2 hash (never the PIN); None: cannot sign."""


class People(BaseModel):
    """The plant's people, looked up by badge number."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    people: tuple[Person, ...] = ()

    @model_validator(mode="after")
    def _badges_unique(self) -> People:
        seen: set[str] = set()
        for person in self.people:
            if person.badge in seen:
                raise ValueError(f"badge {person.badge} is given to two people")
            seen.add(person.badge)
        return self

    def by_badge(self, badge: str) -> Person | None:
        """The person holding a badge, if any."""
        return next((p for p in self.people if p.badge == badge), None)

    def by_id(self, person_id: str) -> Person | None:
        """The person with an id, if any."""
        return next((p for p in self.people if p.person_id == person_id), None)
