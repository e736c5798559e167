"""Every shell command of the README runs as pasted, in a fresh folder, as a new user would
(sqlite-utils tests its documentation in the same spirit). The two set-up commands are run by
.ci/run itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def readme_commands() -> list[str]:
    """The command lines of the README's ``sh`` blocks, but the set-up ones (marked for CI)."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for match in re.finditer(r"(<!-- ci:\w+ -->\n)?```sh\n(.*?)```", text, flags=re.S):
        if match.group(1):
            continue
        for line in match.group(2).splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def test_the_readme_has_commands_to_run():
    commands = readme_commands()
    assert len(commands) >= 15
    assert not any(c.startswith("python3 -m venv") for c in commands)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A fresh folder with the repository's data/ beside it, as in a clone."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "data", folder / "data")
    return folder


@pytest.mark.skipif(shutil.which("ptce") is None and not (Path(sys.executable).parent
                                                           / "ptce").exists(),
                    reason="the ptce command is not installed")
@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_pasted(workdir, command):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}", "COLUMNS": "200"}
    if command.startswith("frictionless") or " frictionless " in command:
        pytest.importorskip("frictionless")
    done = subprocess.run(["bash", "-c", command], cwd=workdir, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, (command, done.stderr[-2000:])
