"""Every command, option and setting a user can reach is documented in the README."""
import re
from pathlib import Path

import pytest

from aggregator import settings
from aggregator.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented(command):
    assert f"aggregator {command}" in README


@pytest.mark.parametrize("command,option", [
    (name, opt) for name, cmd in sorted(main.commands.items())
    for param in cmd.params for opt in param.opts if opt.startswith("--")])
def test_every_option_is_documented(command, option):
    assert option in README, f"aggregator {command} {option}"


@pytest.mark.parametrize("setting", sorted(n for n in dir(settings) if n.startswith("AGGREGATOR_")))
def test_every_setting_is_documented(setting):
    assert re.search(rf"\b{setting}\b", README)
