"""The README tells the truth about the command line: every command it lists exists."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from threatscape.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands() -> None:
    head = README.read_text(encoding="utf-8").split("\n## ")[0]
    assert head.index("make demo") < head.index("make test")


def test_every_command_in_the_readme_exists() -> None:
    text = README.read_text(encoding="utf-8")
    commands = set(re.findall(r"`threatscape ([a-z]+(?: [a-z]+)?)", text))
    assert {"ingest", "articles", "extract", "events", "report"} <= {c.split()[0] for c in commands}
    runner = CliRunner()
    for command in sorted(commands):
        words = command.split()
        group = cli.get_command(None, words[0])  # type: ignore[arg-type]
        assert group is not None, f"README names `threatscape {words[0]}`, which does not exist"
        args = words if len(words) == 1 or not hasattr(group, "commands") or words[1] in group.commands else words[:1]
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0, (command, result.output)


def test_every_option_a_command_row_shows_is_in_its_help() -> None:
    rows = re.findall(r"^\| `threatscape ([a-z]+)([^`]*)` \|", README.read_text(encoding="utf-8"), flags=re.M)
    assert any(name == "reextract" for name, _ in rows)
    runner = CliRunner()
    for name, rest in rows:
        result = runner.invoke(cli, [name, "--help"])
        for option in set(re.findall(r"--[a-z][a-z-]*", rest)):
            assert option in result.output, f"README shows `threatscape {name} ... {option}`; --help does not"
