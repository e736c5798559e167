"""Hostile output paths: no input is ever overwritten, device nodes and links stay what they
are, a write that fails or is killed leaves the earlier file and no temporary file, and every
failure is one line."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading

import pytest
from hostile import assert_one_line_error

from ptce_typology.resources import cases_dir

PARIS = cases_dir() / "paris_mix.yaml"


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


# -o naming an input -----------------------------------------------------------------------


def test_output_naming_the_case_table_is_refused(run, tmp_path):
    table = tmp_path / "poles.csv"
    run("list", "-f", "csv", "-o", table)
    before = table.read_bytes()
    result = run("typology", "--cases", table, "-f", "csv", "-o", table)
    assert_one_line_error(result, "poles.csv", "--output", "input")
    assert table.read_bytes() == before


def test_output_naming_a_case_file_of_an_input_folder_is_refused(run, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "paris_mix.yaml").write_bytes(PARIS.read_bytes())
    result = run("list", "--cases", folder, "-f", "csv", "-o", folder / "paris_mix.yaml")
    assert_one_line_error(result, "paris_mix.yaml", "--output")
    assert (folder / "paris_mix.yaml").read_bytes() == PARIS.read_bytes()


def test_output_through_a_link_to_an_input_and_plot_over_an_input_are_refused(run, tmp_path):
    table = tmp_path / "poles.csv"
    run("list", "-f", "csv", "-o", table)
    before = table.read_bytes()
    (tmp_path / "alias.csv").symlink_to(table)
    assert_one_line_error(run("typology", "--cases", tmp_path / "alias.csv", "-o", table),
                          "--output")
    # --plot writes map.png, map_dendrogram.png and map_gains.png: none may be an input
    (tmp_path / "map_gains.png").write_bytes(b"not an image")
    result = run("clusters", "--cases", table, "--cases", tmp_path / "map_gains.png",
                 "--plot", tmp_path / "map.png", "--resamples", "0")
    assert_one_line_error(result, "map_gains.png", "--plot")
    assert table.read_bytes() == before


# Device nodes, FIFOs and links ------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="creating a device node needs root")
def test_a_device_node_is_written_to_not_replaced(run, tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
    result = run("list", "-f", "csv", "-o", null)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(null).st_mode)
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a private /dev/full
    assert_one_line_error(run("list", "-f", "csv", "-o", full), "full", "No space left")
    assert stat.S_ISCHR(os.stat(full).st_mode)
    assert _listing(tmp_path) == ["full", "null"]


def test_a_fifo_is_streamed_to(run, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("list", "-f", "csv", "-o", fifo)
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"pole_id,")


def test_a_symbolic_link_stays_a_link(run, tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = run("list", "-f", "csv", "-o", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("pole_id,")
    assert _listing(tmp_path) == ["link.csv", "real.csv"]


# OS errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(("failing", "code"), [("fsync", errno.ENOSPC), ("replace", errno.EACCES),
                                               ("replace", errno.EROFS)])
def test_os_errors_are_one_line_and_leave_the_earlier_file(run, tmp_path, monkeypatch,
                                                            failing, code):
    target = tmp_path / "poles.csv"
    target.write_text("earlier\n", encoding="utf-8")

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, failing, fail)
    assert_one_line_error(run("list", "-f", "csv", "-o", target), "poles.csv",
                          os.strerror(code))
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert _listing(tmp_path) == ["poles.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(run, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert_one_line_error(run("list", "-f", "csv", "-o", folder / "p.csv"), "p.csv")
    finally:
        folder.chmod(0o700)


def test_long_names_and_folders(run, tmp_path):
    long = tmp_path / ("p" * 250 + ".csv")  # legal; the temporary name must fit too
    assert run("list", "-f", "csv", "-o", long).exit_code == 0
    assert long.read_text(encoding="utf-8").startswith("pole_id,")
    assert_one_line_error(run("list", "-f", "csv", "-o", tmp_path / ("p" * 300 + ".csv")),
                          "name too long")
    (tmp_path / "map.png").mkdir()
    assert_one_line_error(run("gap", "--plot", tmp_path / "map.png"), "map.png", "folder")
    assert_one_line_error(run("list", "-o", tmp_path / "missing" / "p.csv"), "does not exist")


KILLED = """
import os, sys, time
from ptce_typology.render import write
real_fsync = os.fsync
def slow(fd):
    print("writing", flush=True)
    time.sleep(30)
os.fsync = slow
write.atomic_write(sys.argv[1], "new content\\n" * 1000)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_killed_write_leaves_no_temporary_file(tmp_path, sig):
    target = tmp_path / "poles.csv"
    target.write_text("earlier\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(target)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "writing"
    assert len(_listing(tmp_path)) == 2  # the temporary file exists while writing
    proc.send_signal(sig)
    proc.wait(20)
    assert proc.returncode != 0
    assert _listing(tmp_path) == ["poles.csv"]
    assert target.read_text(encoding="utf-8") == "earlier\n"


# ptce new ---------------------------------------------------------------------------------


def test_new_never_replaces_a_file(run, tmp_path):
    existing = tmp_path / "mon_pole.yaml"
    existing.write_text("mine\n", encoding="utf-8")
    assert_one_line_error(run("new", "mon_pole", "-o", tmp_path), "already exists")
    assert existing.read_text(encoding="utf-8") == "mine\n"


def test_new_does_not_follow_a_dangling_link(run, tmp_path):
    # the exclusive create refuses a link even when its target does not exist yet
    (tmp_path / "mon_pole.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    assert_one_line_error(run("new", "mon_pole", "-o", tmp_path), "already exists")
    assert not (tmp_path / "elsewhere.yaml").exists()


def test_new_created_in_between_is_not_lost(tmp_path, monkeypatch):
    # the race of the issue: a file appears after any check and before the write
    from ptce_typology.errors import PtceError
    from ptce_typology.render import write

    target = tmp_path / "mon_pole.yaml"
    real_open = open

    def racing_open(path, mode="r", *args, **kwargs):
        if str(path) == str(target) and "x" in mode:
            target.write_text("written in between\n", encoding="utf-8")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", racing_open)
    with pytest.raises(PtceError, match="already exists"):
        write.write_new(target, "template\n")
    assert target.read_text(encoding="utf-8") == "written in between\n"


@pytest.mark.parametrize("pole_id", ["abc\n", "abc\r", "../abc", "a/b", "Abc", "abc def", ""])
def test_new_refuses_a_bad_pole_id(run, tmp_path, pole_id):
    assert_one_line_error(run("new", pole_id, "-o", tmp_path), "POLE_ID")
    assert _listing(tmp_path) == []


def test_dev_stdout_is_streamed_not_replaced(run):
    before = os.lstat("/dev/stdout")
    result = run("list", "-f", "csv", "-o", "/dev/stdout")
    assert result.exit_code == 0, result.output[-300:]
    after = os.lstat("/dev/stdout")
    assert stat.S_ISLNK(after.st_mode) == stat.S_ISLNK(before.st_mode)
    assert after.st_ino == before.st_ino


def test_nothing_is_written_when_an_output_folder_is_missing(run, tmp_path):
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.png",
                 "-o", tmp_path / "missing" / "clusters.csv")
    assert_one_line_error(result, "missing", "--output")
    assert _listing(tmp_path) == []  # the figures were not written first


# Two outputs on one file, a case file written among the cases, a folder named as a file ----


@pytest.mark.parametrize("other", ["map.png", "map_gains.png", "sub/../map_dendrogram.png"])
def test_output_equal_to_a_figure_is_refused_before_anything_is_written(run, tmp_path, other):
    (tmp_path / "sub").mkdir()
    result = run("clusters", "--resamples", "0", "--plot", tmp_path / "map.png",
                 "-o", f"{tmp_path}/{other}")
    assert_one_line_error(result, "--output", "--plot", "same file")
    assert _listing(tmp_path) == ["sub"]


def test_a_yaml_output_into_the_case_folder_is_refused(run, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    (folder / "paris_mix.yaml").write_bytes(PARIS.read_bytes())
    for name in ("new.yaml", "NEW.YML"):  # a file that does not exist yet, too
        result = run("list", "--cases", folder, "-f", "json", "-o", folder / name)
        assert_one_line_error(result, name, "--output", "among the cases read")
    assert _listing(folder) == ["paris_mix.yaml"]
    assert run("list", "--cases", folder, "--lang", "fr", "-f", "json",
               "-o", folder / "x.yaml").stderr.startswith("erreur : ")


@pytest.mark.parametrize("command", [("list", "-f", "csv", "-o"), ("report", "-o"),
                                     ("clusters", "--resamples", "0", "--plot")])
def test_an_output_naming_a_folder_is_refused(run, tmp_path, command):
    (tmp_path / "folder").mkdir()
    for name in ("new/", "folder/", "folder"):  # `-o new/` used to write a file named new
        result = run(*command, f"{tmp_path}/{name}")
        assert_one_line_error(result, name.rstrip("/"), "folder")
    assert _listing(tmp_path) == ["folder"]
    assert _listing(tmp_path / "folder") == []


# export-data: never through a link, never into a folder that holds files ----------------------


def test_export_data_refuses_a_link_and_a_non_empty_folder(run, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    for name in ("link", "dangling"):
        assert_one_line_error(run("export-data", "-o", tmp_path / name, "--force"),
                              name, "--output", "link")
    assert _listing(real) == [] and not (tmp_path / "nowhere").exists()
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    assert_one_line_error(run("export-data", "-o", full), "full", "--force")
    assert _listing(full) == ["notes.txt"]


def test_export_data_never_writes_through_a_link_in_the_folder(run, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("keep me")
    package = tmp_path / "package"
    package.mkdir()
    (package / "poles.csv").symlink_to(outside)
    result = run("export-data", "-o", package, "--force")
    assert_one_line_error(result, "poles.csv", "link")
    assert outside.read_text() == "keep me"
    assert _listing(package) == ["poles.csv"]


# A closed or broken stdout --------------------------------------------------------------------

PTCE = (sys.executable, "-m", "ptce_typology.cli")


@pytest.mark.parametrize("args", [("list", "-f", "csv"), ("list",), ("validate",),
                                  ("schema",)])
def test_a_closed_stdout_ends_quietly(args):
    result = subprocess.run([*PTCE, *args], stderr=subprocess.PIPE, text=True, timeout=120,
                            preexec_fn=lambda: os.close(1))  # `ptce list >&-`
    assert result.stderr == ""
    assert result.returncode == 1


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_a_reader_that_went_away_ends_quietly(fmt):
    proc = subprocess.Popen([*PTCE, "list", "--cases", "all", "-f", fmt],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # `ptce list | head -c0`: the reader is gone before the first write
    stderr = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert stderr == ""


def test_written_files_still_work_with_a_closed_stdout(tmp_path):
    result = subprocess.run([*PTCE, "list", "-f", "csv", "-o", tmp_path / "p.csv"],
                            stderr=subprocess.PIPE, text=True, timeout=120,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("pole_id,")


def test_a_home_that_cannot_be_written_gives_no_matplotlib_warning(tmp_path):
    (tmp_path / "file").write_text("")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    env["HOME"] = str(tmp_path / "file" / "home")  # under a file: nothing can be made there
    result = subprocess.run([*PTCE, "clusters", "--resamples", "0", "--plot",
                             tmp_path / "map.png", "-f", "csv"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "atplotlib" not in result.stderr and "mkdir" not in result.stderr, result.stderr
    assert (tmp_path / "map.png").exists()
