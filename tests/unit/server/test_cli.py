"""`lineside server` commands: import, token, migrate, purge-tombstones, and startup errors."""

from __future__ import annotations

import argparse
import json
import socket
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from lineside.app.cli import main as lineside_main
from lineside.domain.master_data import PlantFile
from lineside.server.auth import check_token
from lineside.server.cli import configure_parser, run
from lineside.server.db import make_engine, master_record, station
from lineside.server.migrations import LATEST, migrate
from tests.unit.server.support import DEMO_ASSETS, DEMO_PLANT, ROOT, STATIONS


def server(*args: str) -> int:
    """Run `lineside server ARGS` in this process; its exit code."""
    parser = argparse.ArgumentParser(prog="lineside server")
    configure_parser(parser)
    return run(parser.parse_args(list(args)))


def test_importing_the_demo_plant(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert server("import", str(DEMO_PLANT), "--db", database_url) == 2  # its images first
    assert "lineside server assets add" in capsys.readouterr().err
    assets = ("--assets", str(DEMO_ASSETS))
    assert server("import", str(DEMO_PLANT), "--db", database_url, *assets) == 0
    plant = PlantFile.model_validate_json(DEMO_PLANT.read_text(encoding="utf-8"))
    total = len(plant.records())
    out = capsys.readouterr().out.splitlines()
    images = sorted(DEMO_ASSETS.iterdir())
    assert [line.split("  ")[1] for line in out[:-1]] == [str(p) for p in images]
    assert out[-1] == f"{DEMO_PLANT}: {total} added, 0 changed, 0 unchanged, 0 deleted"
    assert server("--db", database_url, "import", str(DEMO_PLANT)) == 0  # images stored
    assert capsys.readouterr().out.endswith(f": 0 added, 0 changed, {total} unchanged, 0 deleted\n")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            lines = dict(conn.execute(select(station.c.station_id, station.c.line)).all())
            count = len(conn.execute(select(master_record.c.key)).all())
    finally:
        engine.dispose()
    assert lines == dict.fromkeys(STATIONS, "Line1")
    assert count == total


def test_the_demo_plant_matches_the_demo_station() -> None:
    plant = PlantFile.model_validate_json(DEMO_PLANT.read_text(encoding="utf-8"))
    demo = ROOT / "lineside" / "app" / "demo"
    reasons = json.loads((demo / "reasons.json").read_text(encoding="utf-8"))
    people = json.loads((demo / "people.json").read_text(encoding="utf-8"))
    assert [t.model_dump(mode="json", exclude_defaults=True) for t in plant.reason_tree] == [
        PlantFile.model_validate({"reason_tree": [t]})
        .reason_tree[0]
        .model_dump(mode="json", exclude_defaults=True)
        for t in reasons["trees"]
    ]
    assert [p.model_dump(mode="json") for p in plant.person] == people["people"]
    equipment = {(e.station_id, e.equipment_id, e.equipment_class) for e in plant.equipment}
    assert equipment == {
        ("L1-FILLER", "Filler", "filler"),
        ("L1-LABELER", "Labeler", "labeler"),
        ("L1-CASEPACKER", "CasePacker", "case_packer"),
    }
    water, juice, _planned = plant.order
    assert (water.order_id, water.product, water.quantity) == ("4711", "Still water 0.5 l", 12000)
    assert juice.product == "Apple juice 0.5 l"  # the second product: a changeover between
    assert {p.product_id for p in plant.product} == {water.product, juice.product}
    for order in plant.order:
        assert [(o.operation_id, o.station_id) for o in order.operations] == [
            ("0010", "L1-FILLER"),
            ("0020", "L1-LABELER"),
            ("0030", "L1-CASEPACKER"),
        ]
    instructions = {i.instruction_id: i for i in plant.work_instruction}
    juice_fill = instructions[juice.operations[0].work_instruction or ""]
    assert any(len(s.signs) == 2 for s in juice_fill.steps)  # a step two people sign
    assert any(s.check and s.check.lower is not None for s in juice_fill.steps)
    assert any(s.image for s in juice_fill.steps)
    assert all(p.pin_hash for p in plant.person)  # everyone can sign (PINs in README)
    assert {lot.status.value for lot in plant.lot} >= {"released", "blocked", "quarantined"}
    (calendar,) = plant.shift
    assert [(s.name, s.start.hour, s.end.hour) for s in calendar.shifts] == [
        ("Early", 6, 14),
        ("Late", 14, 22),
        ("Night", 22, 6),
    ]


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (
            {"order": [{"order_id": "1", "line": "L", "product": "p", "quantity": -1}]},
            ["$.order[0].quantity: Input should be greater than or equal to 0"],
        ),
        ({"lot": [{"lot_id": "A"}]}, ["$.lot[0].material: Field required"]),
        ({"lots": []}, ["$.lots: Extra inputs are not permitted"]),
        (
            {"lot": [{"lot_id": "A", "material": "m"}, {"lot_id": "A", "material": "m"}]},
            ["$: Value error, lot 'A' appears twice"],
        ),
    ],
)
def test_a_bad_file_names_file_and_path_and_imports_nothing(
    tmp_path: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    content: object,
    problems: list[str],
) -> None:
    plant = tmp_path / "plant.json"
    valid = json.loads(DEMO_PLANT.read_text(encoding="utf-8"))
    plant.write_text(json.dumps({**valid, **content}), encoding="utf-8")  # type: ignore[dict-item]
    assert server("import", str(plant), "--db", database_url) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == [f"{plant}: {problem}" for problem in problems]
    assert err[-1].startswith("lineside server: nothing imported")
    engine = make_engine(database_url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(select(master_record.c.key)).all() == []
    finally:
        engine.dispose()


def test_a_file_that_is_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plant = tmp_path / "plant.json"
    plant.write_text('{\n  "lot": [\n', encoding="utf-8")
    assert server("import", str(plant), "--db", f"sqlite:///{tmp_path}/s.db") == 2
    assert capsys.readouterr().err.startswith(f"{plant}: line 3 column 1: not JSON")
    assert server("import", str(tmp_path / "missing.json")) == 2
    assert "missing.json: cannot read it" in capsys.readouterr().err


def test_a_token_is_printed_once_or_written_to_a_private_file(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server("token", "L1-FILLER", "--db", database_url) == 0
    printed = capsys.readouterr().out.strip()
    assert len(printed) >= 43
    token_file = tmp_path / "filler.token"
    assert server("token", "L1-FILLER", "--db", database_url, "--token-file", str(token_file)) == 0
    out = capsys.readouterr()
    written = token_file.read_text(encoding="utf-8").strip()
    assert out.out == ""
    assert written not in out.err
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    engine = make_engine(database_url)
    try:
        check_token(engine, written, "L1-FILLER")
        with pytest.raises(Exception, match="not valid"):
            check_token(engine, printed, "L1-FILLER")  # rotated
        with engine.connect() as conn:
            stored = conn.scalar(select(station.c.token_hash))
        assert stored is not None
        assert written not in stored
    finally:
        engine.dispose()


def test_migrate_and_purge_through_the_lineside_command(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert lineside_main(["server", "migrate", "--db", database_url]) == 0
    assert f"schema version {LATEST}" in capsys.readouterr().out
    assert (
        lineside_main(
            ["server", "--db", database_url, "purge-tombstones", "--older-than-days", "30"]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith("purged 0 tombstones older than 30 days")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://db/x", "'mysql' databases are not supported"),
        ("nonsense", "'nonsense' is not a database URL"),
        ("sqlite://", "give a file"),
    ],
)
def test_a_bad_database_url_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], url: str, message: str
) -> None:
    assert server("--db", url) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert message in err


def test_an_unreachable_database_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert server("--db", f"postgresql://me:secret@127.0.0.1:{port}/x", "migrate") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot use the database postgresql://me:***@127.0.0.1" in err
    assert "secret" not in err


def test_a_port_in_use_is_one_line_and_exit_2(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert server("--db", database_url, "--port", str(port)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err


def test_https_needs_both_certificate_and_key(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert server("--db", database_url, "--certfile", str(tmp_path / "cert.pem")) == 2
    assert "both --certfile and --keyfile" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"lot": ' + "[" * 5000 + "]" * 5000 + "}", "nested too deep"),
        (
            '{"order": [{"order_id": "1", "line": "Line1", "product": "p", "quantity": 1'
            + "1" * 5000
            + "}]}",
            "not a plant file",
        ),
        ('{"station": [{"station_id": "A/B", "line": "L", "name": "n"}]}', "is not a station id"),
    ],
)
def test_an_unusable_file_is_named_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: str
) -> None:
    plant = tmp_path / "plant.json"
    plant.write_text(text, encoding="utf-8")
    assert server("import", str(plant), "--db", f"sqlite:///{tmp_path}/s.db") == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err


def test_missing_references_are_reported(
    tmp_path: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plant = tmp_path / "plant.json"
    plant.write_text(
        json.dumps(
            {
                "equipment": [
                    {
                        "equipment_id": "E1",
                        "station_id": "NOWHERE",
                        "equipment_class": "c",
                        "name": "n",
                    }
                ],
                "order": [
                    {
                        "order_id": "9",
                        "line": "Line7",
                        "product": "p",
                        "quantity": 1,
                        "bom": "NO-BOM",
                        "operations": [
                            {"operation_id": "10", "description": "d", "work_instruction": "WI-X"}
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    assert server("import", str(plant), "--db", database_url) == 0
    err = capsys.readouterr().err
    assert "$.equipment[0].station_id names station 'NOWHERE', which does not exist" in err
    assert "$.order[0].line names line 'Line7', which no station is on" in err
    assert "$.order[0].bom names bom 'NO-BOM'" in err
    assert "$.order[0].operations[0].work_instruction names work_instruction 'WI-X'" in err


@pytest.mark.parametrize("station_id", ["A/B", "", " L1", "L1 FILLER", "x" * 65, "ä1"])
def test_a_token_needs_a_station_id_that_can_sync(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], station_id: str
) -> None:
    assert server("token", station_id, "--db", f"sqlite:///{tmp_path}/s.db") == 2
    assert "is not a station id" in capsys.readouterr().err


def test_the_sqlite_file_is_private(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.db"
    make_engine(f"sqlite:///{fresh}").dispose()
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    wide = tmp_path / "wide.db"
    wide.touch(mode=0o644)
    wide.chmod(0o644)
    make_engine(f"sqlite:///{wide}").dispose()
    assert stat.S_IMODE(wide.stat().st_mode) == 0o600
