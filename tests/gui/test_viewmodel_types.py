"""Every object the screen binds to keeps its class's own Qt type, so QML reads its properties.

PySide gives an object its own metaobject when one of its plain methods is connected to a Qt
signal (a timer's `timeout`, another object's signal). That metaobject dies with the object,
and QML caches property lookups by the metaobject's address: the next station's screen in the
same process could read another class's cache there and show `undefined` in the header, the
prompt and the stop list (the GUI tests failed on it one run in two).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject

from lineside.app.hmi import Hmi

from .conftest import item, until
from .test_navigation import run_again, stop


def bound_objects(hmi: Hmi) -> list[QObject]:
    """The viewmodels handed to QML and every QObject their properties hand on."""
    found: list[QObject] = []
    todo: list[QObject] = [
        vm
        for vm in (
            hmi.station_vm,
            hmi.prompt_vm,
            hmi.stops_vm,
            hmi.sign_in_vm,
            hmi.sync_vm,
            hmi.nav_vm,
            hmi.orders_vm,
            hmi.instruction_vm,
            hmi.deviations_vm,
            hmi.signature_vm,
        )
        if vm is not None
    ]
    while todo:
        current = todo.pop()
        found.append(current)
        meta = current.metaObject()
        for i in range(meta.propertyCount()):
            value = meta.property(i).read(current)
            if isinstance(value, QObject) and value not in found and value not in todo:
                todo.append(value)
    return found


def address(meta: object) -> int:
    return int(shiboken6.getCppPointer(meta)[0])


async def test_every_bound_object_keeps_its_class_type_through_stops_and_languages(
    hmi: Hmi,
) -> None:
    await stop(hmi)
    await run_again(hmi)
    assert hmi.language is not None
    hmi.language.use("de_DE")  # the switch is connected to every viewmodel
    hmi.language.use(None)
    await until(lambda: item(hmi, "machineStateBox").isVisible())

    objects = bound_objects(hmi)

    assert len(objects) >= 12  # ten viewmodels, the stop list's and the order queue's rows
    own = [
        type(o).__name__
        for o in objects
        if address(o.metaObject()) != address(type(o).staticMetaObject)
    ]
    assert own == [], f"these objects got a metaobject of their own: {own}"
