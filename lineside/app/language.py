"""The screens' language: the station's, and the signed-in person's while they are signed in."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTranslator, Signal
from PySide6.QtQml import QQmlEngine

from lineside.station.ledger import Ledger
from lineside.viewmodels.base import ViewModel

log = logging.getLogger(__name__)
TRANSLATIONS = Path(__file__).resolve().parent.parent / "resources" / "translations"


def install_translator(app: QCoreApplication, language: str | None) -> QTranslator | None:
    """Use the station's language (or the system's) when a translation for it is installed."""
    locale = QLocale(language) if language else QLocale()
    translator = QTranslator(app)
    if translator.load(locale, "lineside", "_", str(TRANSLATIONS)):
        app.installTranslator(translator)
        return translator
    if locale.language() not in (QLocale.Language.English, QLocale.Language.C):
        log.warning("no %s translation installed; the screens stay in English", locale.name())
    return None


class LanguageSwitch(QObject):
    """Installs the translation of the current language and has QML and viewmodels re-word.

    The station's `language` (None: the system's) holds while nobody is signed in; a person
    with a `language` of their own gets it from sign-in to sign-out.
    """

    language_changed = Signal(str)
    """The new language, e.g. "de_DE": viewmodels re-make their texts and names."""

    def __init__(self, station_language: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        app = QCoreApplication.instance()
        assert app is not None, "the language is switched on a running Qt application"
        self._app = app
        self._station_language = station_language
        self._translator: QTranslator | None = None
        self._engine: QQmlEngine | None = None
        self.language = ""
        self.use(station_language)

    def use(self, language: str | None) -> None:
        """Switch the screens to `language` (None: the system's); nothing when it is current."""
        code = QLocale(language).name() if language else QLocale().name()
        if code == self.language:
            return
        self._remove()
        self._translator = install_translator(self._app, language)
        self.language = code
        if self._engine is not None:
            self._engine.retranslate()
        self.language_changed.emit(code)

    def attach(self, engine: QQmlEngine, viewmodels: Iterable[ViewModel], ledger: Ledger) -> None:
        """Re-word `engine`'s QML and `viewmodels` on each switch; follow who is signed in."""
        self._engine = engine
        for vm in viewmodels:
            vm.set_language(self.language)
            self.language_changed.connect(vm.set_language)
        ledger.subscribe(lambda _touched: self.follow(ledger))
        self.follow(ledger)

    def follow(self, ledger: Ledger) -> None:
        """Use the language of whoever `ledger` says is signed in (the station's if nobody).

        Called before the viewmodels are made, too: a restart while someone is signed in then
        builds each screen once, in their language, instead of twice.
        """
        person = ledger.people.by_id(ledger.session.person_id or "")
        self.use(person.language if person and person.language else self._station_language)

    def _remove(self) -> None:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None

    def close(self) -> None:
        """Remove the translation (the screen is gone; another station may start in-process)."""
        self._remove()
        self._engine = None
