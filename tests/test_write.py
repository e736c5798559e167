"""Output files: never a read-only file replaced, a FIFO waited on, a folder taken for a file,
one output over another or a case written among the cases read; never a partial file."""

from __future__ import annotations

import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile import assert_one_line_error

from ptce_typology.errors import PtceError
from ptce_typology.render import write

PTCE = [sys.executable, "-m", "ptce_typology.cli"]


# Read-only files ----------------------------------------------------------------------------


def test_a_read_only_file_is_not_replaced(run, tmp_path):
    target = tmp_path / "poles.csv"
    target.write_text("mine\n", encoding="utf-8")
    target.chmod(0o444)
    line = assert_one_line_error(run("list", "-f", "csv", "-o", target), "read-only")
    assert str(target) in line
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_a_link_to_a_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("mine\n", encoding="utf-8")
    target.chmod(0o400)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with pytest.raises(PtceError, match="read-only"):
        write.atomic_write(link, "theirs\n")
    assert target.read_text(encoding="utf-8") == "mine\n" and link.is_symlink()


# FIFOs ------------------------------------------------------------------------------------


def test_a_fifo_nobody_reads_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = subprocess.run([*PTCE, "list", "-f", "csv", "-o", str(fifo)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "no program reads this FIFO" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_fifo_with_a_reader_gets_the_output(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    time.sleep(0.3)  # let cat open the FIFO
    write.atomic_write(fifo, "a,b\n")
    assert reader.communicate(timeout=30)[0] == b"a,b\n"


# Paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out/", "poles.csv/"])
def test_a_trailing_slash_is_refused(tmp_path, name):
    (tmp_path / "poles.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(PtceError, match="slash"):
        write.check_output(f"{tmp_path}/{name}", "--output")
    assert (tmp_path / "poles.csv").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("other", ["map.png", "map_dendrogram.png", "./sub/../map_gains.png"])
def test_two_outputs_on_one_file_are_refused(tmp_path, other):
    (tmp_path / "sub").mkdir()
    plot = tmp_path / "map.png"
    outputs = [("--plot", plot), ("--plot", tmp_path / "map_dendrogram.png"),
               ("--plot", tmp_path / "map_gains.png"), ("--output", tmp_path / other)]
    with pytest.raises(PtceError, match="same file") as err:
        write.check_outputs(outputs, [])
    assert err.value.field == "--output"
    assert not any(tmp_path.glob("*.png"))


def test_a_yaml_output_into_the_case_folder_read_is_refused(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (tmp_path / "link").symlink_to(cases)
    for out in (cases / "new.yaml", tmp_path / "link" / "other.YML"):
        with pytest.raises(PtceError, match="among the cases read"):
            write.check_outputs([("--output", out)], [cases])
    write.check_outputs([("--output", cases / "table.csv")], [cases])  # not read as a case


# Partial files ----------------------------------------------------------------------------


def _full_disk(limit: int):
    def limit_file_size() -> None:  # writes past `limit` bytes fail with EFBIG (SIGXFSZ off)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_file_size


def test_new_on_a_full_disk_leaves_no_partial_template(tmp_path):
    result = subprocess.run([*PTCE, "new", "mon_pole", "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=60,
                            preexec_fn=_full_disk(200))
    assert result.returncode == 1 and "cannot write" in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_output_on_a_full_disk_keeps_the_old_file(tmp_path):
    target = tmp_path / "poles.csv"
    target.write_text("mine\n", encoding="utf-8")
    result = subprocess.run([*PTCE, "list", "-f", "csv", "-o", str(target)],
                            capture_output=True, text=True, timeout=60,
                            preexec_fn=_full_disk(200))
    assert result.returncode == 1 and "cannot write" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["poles.csv"]
    assert target.read_text(encoding="utf-8") == "mine\n"


def test_a_kill_loop_never_leaves_a_torn_file(tmp_path):
    # a regression guard: the old file or the whole new one, whenever the kill comes
    target = tmp_path / "poles.json"
    whole = subprocess.run([*PTCE, "list", "-f", "json", "--cases", "all"],
                           capture_output=True, timeout=120).stdout
    target.write_text("old\n", encoding="utf-8")
    rng = random.Random(28)
    for i in range(6):
        process = subprocess.Popen([*PTCE, "list", "-f", "json", "--cases", "all", "-o",
                                    str(target)], stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.0))  # the command takes about a second
        process.send_signal(signal.SIGTERM if i % 2 else signal.SIGKILL)
        process.wait(timeout=60)
        assert target.read_bytes() in (b"old\n", whole)
        if i % 2:
            assert not list(Path(tmp_path).glob(".ptce-*.tmp"))
