"""`lineside sim` options, and the exit code and message for input it refuses before serving."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from lineside.simulator.cli import configure_parser, run


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lineside sim")
    configure_parser(parser)
    return parser.parse_args(argv)


def test_defaults() -> None:
    args = parse("--random")
    assert args.random is True
    assert args.scenario is None
    assert (args.seed, args.host, args.port) == (1, "127.0.0.1", 4840)
    assert (args.once, args.trace) == (False, False)
    assert args.extra_namespaces == 0


def test_all_options() -> None:
    args = parse(
        "--scenario", "line.toml", "--seed", "9", "--host", "::1", "--port", "0",
        "--once", "--trace", "--extra-namespaces", "3",
    )  # fmt: skip
    assert args.scenario == "line.toml"
    assert args.extra_namespaces == 3
    assert (args.seed, args.host, args.port, args.once, args.trace) == (9, "::1", 0, True, True)


@pytest.mark.parametrize("argv", [(), ("--random", "--scenario", "x.toml")])
def test_scenario_or_random_is_required_and_exclusive(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        parse(*argv)
    assert raised.value.code == 2
    assert "--scenario" in capsys.readouterr().err


def test_bad_scenario_returns_2_with_one_line_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "line.toml"
    path.write_text('machines = ["Filler"]\n[[event]]\nat = 5\nmachine = "Filler"\nstate = "Run"\n')
    assert run(parse("--scenario", str(path))) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f'lineside sim: {path}, event 1: key "state" is "Run", which is not a PackML state; use '
        "one of Execute, Held, Suspended, Stopped, Undefined, Clearing, Starting, Idle, Stopping, "
        "Aborting, Aborted, Holding, Unholding, Suspending, Unsuspending, Resetting, Completing, "
        "Complete or its number (e.g. 11 for Held)\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--random", "--machines", "Filler,,Labeler"), '--machines is "Filler,,Labeler"'),
        (("--random", "--machines", "A,A"), "give unique machine names"),
        (("--random", "--line", "L/1"), '--line is "L/1"'),
        (("--scenario", "x.toml", "--machines", "A"), "--machines and --line apply to --random"),
    ],
)
def test_bad_random_options_return_2(
    argv: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parse(*argv)) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("count", ["-1", "x", "1.5", "1001", "\u0663"])
def test_extra_namespaces_must_be_a_small_whole_number(
    count: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        parse("--random", "--extra-namespaces", count)
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --extra-namespaces: {count!r} is not a whole number from 0 to 1000" in err
