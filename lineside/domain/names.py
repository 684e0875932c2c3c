"""Names in the plant's languages: master data carries a default name and optional others."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, NoReturn

from pydantic import AfterValidator, Field, StringConstraints

LANGUAGE_PATTERN = r"^[a-z]{2}(_[A-Z]{2})?$"
"""A language as stations and people name it: "de", or with a country, "de_AT"."""


class Names(dict[str, str]):
    """Names per language that cannot change, so the record holding them stays hashable."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))

    def _read_only(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise TypeError("master-data names do not change; the record is replaced")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _read_only


Labels = Annotated[
    dict[
        Annotated[str, StringConstraints(pattern=LANGUAGE_PATTERN)],
        Annotated[str, StringConstraints(min_length=1)],
    ],
    AfterValidator(Names),
    Field(default_factory=Names, exclude_if=lambda labels: not labels),
]
"""Names per language, e.g. {"de": "Flaschenstau Einlauf"}; left out of a record without any."""


def name_in(default: str, labels: Mapping[str, str], language: str | None) -> str:
    """The name in `language` ("de_AT" falls back to "de"), else the default name."""
    if not language:
        return default
    return labels.get(language) or labels.get(language.split("_")[0]) or default
