"""Hostile and unsupported files are refused before parsing, each with its own message."""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path

import pytest

from engine.errors import InputError, RefusedFile
from engine.io.example import write_example
from engine.io.reader import read_workbook
from engine.io.safety import ENCRYPTED_STREAM, OLE2_MAGIC, check_file


@pytest.fixture(scope="module")
def example_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("example") / "example.xlsx"
    write_example(path)
    return path


def refused(path: Path) -> RefusedFile:
    with pytest.raises(RefusedFile) as caught:
        check_file(path)
    # The reader refuses the same way (it calls check_file first).
    with pytest.raises(RefusedFile):
        read_workbook(path)
    problem = caught.value.problems[0]
    assert problem.sheet == path.name and problem.cell == "" and problem.column == ""
    return caught.value


def ole2_file(path: Path, *streams: bytes) -> Path:
    """A minimal OLE2 compound file: the magic, a header, and directory entry names."""
    body = OLE2_MAGIC + b"\x00" * (512 - len(OLE2_MAGIC))
    for name in streams:
        body += name + b"\x00" * (128 - len(name))
    path.write_bytes(body)
    return path


def test_example_passes(example_path):
    assert check_file(example_path) is None


def test_missing_file(tmp_path):
    assert "does not exist" in refused(tmp_path / "nowhere.xlsx").reason


def test_directory_named_like_a_workbook(tmp_path):
    folder = tmp_path / "x.xlsx"
    folder.mkdir()
    assert "folder" in refused(folder).reason


def test_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.touch()
    assert "empty (0 bytes)" in refused(path).reason


def test_over_50_mb(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as f:
        f.truncate(51 * 1024 * 1024)  # sparse: cheap to create
    assert "50 MB" in refused(path).reason


def test_legacy_xls_renamed(tmp_path):
    path = ole2_file(tmp_path / "old.xlsx", "Workbook".encode("utf-16-le"))
    reason = refused(path).reason
    assert ".xls" in reason and "Save As" in reason and "password" not in reason


def test_encrypted_workbook(tmp_path):
    path = ole2_file(
        tmp_path / "secret.xlsx", "EncryptionInfo".encode("utf-16-le"), ENCRYPTED_STREAM
    )
    reason = refused(path).reason
    assert "password-protected" in reason and "remove the password" in reason


@pytest.mark.parametrize(
    ("suffix", "word"), [(".xls", ".xls"), (".xlsb", ".xlsb"), (".ods", ".ods")]
)
def test_unsupported_extensions(example_path, tmp_path, suffix, word):
    path = tmp_path / f"book{suffix}"
    path.write_bytes(example_path.read_bytes())
    assert word in refused(path).reason


def test_xlsb_by_content(tmp_path):
    path = tmp_path / "binary.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert ".xlsb" in refused(path).reason


def test_ods_by_content(tmp_path):
    path = tmp_path / "calc.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert ".ods" in refused(path).reason


def test_text_file_renamed(tmp_path):
    path = tmp_path / "holdings.xlsx"
    path.write_text("Name,Quantity\nToyota,100\n")
    assert "not an Excel workbook" in refused(path).reason


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "no workbook part" in refused(path).reason


def test_truncated_zip(example_path, tmp_path):
    data = example_path.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or incomplete" in refused(path).reason


def test_zip_bomb_by_ratio(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * 1024 * 1024))  # ~1000:1
    assert path.stat().st_size < 1024 * 1024
    assert "100:1" in refused(path).reason


def test_zip_bomb_by_total_size(tmp_path):
    path = tmp_path / "big.xlsx"
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(210):
                member.write(chunk)
    assert "200 MB" in refused(path).reason


def _replace_part(source: Path, target: Path, part: str, new: bytes) -> None:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, new if info.filename == part else src.read(info.filename))


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/worksheets/sheet3.xml"])
def test_xml_entity_bomb_is_refused_not_expanded(example_path, tmp_path, part):
    with zipfile.ZipFile(example_path) as z:
        original = z.read(part)
    body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
    hostile = BOMB + body.replace(b"<t>", b"<t>&lol3;", 1).replace(b"<v>", b"<v>&lol3;", 1)
    path = tmp_path / "entities.xlsx"
    _replace_part(example_path, path, part, hostile)
    check_file(path)  # the zip itself is fine
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    assert isinstance(caught.value, RefusedFile)
    assert "entity" in str(caught.value).lower()


# ----------------------------------------------------------------------------- links
def symlink(link: Path, target) -> None:
    try:
        link.symlink_to(target)
    except OSError:  # Windows without the right to make links
        pytest.skip("cannot create symbolic links here")


def test_symlink_to_a_file_outside_its_folder(example_path, tmp_path):
    folder = tmp_path / "workbooks"
    folder.mkdir()
    link = folder / "shared.xlsx"
    symlink(link, example_path)  # example_path lives in another temp folder
    reason = refused(link).reason
    assert "link" in reason and "outside its folder" in reason


def test_symlink_within_its_folder_is_read(example_path, tmp_path):
    folder = tmp_path / "workbooks"
    folder.mkdir()
    real = folder / "real.xlsx"
    real.write_bytes(example_path.read_bytes())
    link = folder / "alias.xlsx"
    symlink(link, real.name)  # relative, inside the folder
    assert check_file(link) is None
    assert read_workbook(link).holdings


# ----------------------------------------------------------------------------- all together
def hostile_files(example: Path, folder: Path) -> dict[str, tuple[Path, str]]:
    """One of each hostile file the issue lists: name → (path, word of its message)."""
    folder.mkdir(parents=True, exist_ok=True)
    outside = folder.parent / "elsewhere"
    outside.mkdir(exist_ok=True)
    (outside / "private.xlsx").write_bytes(example.read_bytes())
    files = {}

    bomb = folder / "zip bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(260):  # 260 MB of zeros, about 250 kB on disk
                member.write(b"\x00" * (1024 * 1024))
    files["zip bomb"] = (bomb, "200 MB")

    entities = folder / "entity bomb.xlsx"
    with zipfile.ZipFile(example) as z:
        original = z.read("xl/sharedStrings.xml")
    body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
    _replace_part(
        example, entities, "xl/sharedStrings.xml", BOMB + body.replace(b"<t>", b"<t>&lol3;", 1)
    )
    files["XML entity bomb"] = (entities, "entity")

    files[".xls renamed"] = (ole2_file(folder / "old.xlsx", "Workbook".encode("utf-16-le")), ".xls")
    encrypted = ole2_file(
        folder / "secret.xlsx", "EncryptionInfo".encode("utf-16-le"), ENCRYPTED_STREAM
    )
    files["encrypted"] = (encrypted, "password")

    truncated = folder / "cut.xlsx"
    truncated.write_bytes(example.read_bytes()[: example.stat().st_size // 3])
    files["truncated zip"] = (truncated, "damaged or incomplete")

    empty = folder / "empty.xlsx"
    empty.touch()
    files["0 bytes"] = (empty, "0 bytes")

    directory = folder / "x.xlsx"
    directory.mkdir()
    files["directory"] = (directory, "folder")

    link = folder / "link.xlsx"
    with contextlib.suppress(OSError):  # Windows without the right to make links: left out
        link.symlink_to(outside / "private.xlsx")
        files["symlink outside"] = (link, "outside its folder")
    return files


def test_each_hostile_file_has_its_own_message_and_bounded_memory(example_path, tmp_path):
    import tracemalloc

    reasons = {}
    for what, (path, word) in hostile_files(example_path, tmp_path / "in").items():
        tracemalloc.start()
        try:
            with pytest.raises(RefusedFile) as caught:
                read_workbook(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert word in caught.value.reason, (what, caught.value.reason)
        assert peak < 16 * 1024 * 1024, (what, peak)  # nothing was expanded
        reasons[what] = caught.value.reason
    assert len(set(reasons.values())) == len(reasons), reasons  # each its own message


#: The child process reports its own peak resident memory (VmHWM of its own image: a
#: fork's rusage would also count the pages of the big test process it was forked from).
_PEAK_WRAPPER = """
import atexit, runpy, sys
def _peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            open(PEAK, "w").write(line.split()[1])
atexit.register(_peak)
sys.argv = ["engine", *sys.argv[1:]]
runpy.run_module("engine", run_name="__main__", alter_sys=True)
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="VmHWM: Linux")
def test_hostile_files_through_the_command_line(example_path, tmp_path):
    """A real process: exit code 1, each file named with its reason, no traceback, no
    results, and the memory of a process that expanded nothing."""
    import subprocess
    import sys

    from conftest import REPO

    files = hostile_files(example_path, tmp_path / "in")
    out = tmp_path / "out"
    peak_file = tmp_path / "peak_kb.txt"
    wrapper = f"PEAK = {str(peak_file)!r}\n" + _PEAK_WRAPPER
    # The folder, as a double-click run sees workbooks/: nothing is skipped silently.
    command = [sys.executable, "-c", wrapper, "--out", str(out), "--history",
               str(tmp_path / "h.sqlite"), "--quiet", str(tmp_path / "in")]  # fmt: skip
    with open(tmp_path / "stderr.txt", "w+") as err:
        proc = subprocess.run(command, cwd=REPO, stdout=err, stderr=err)
        err.seek(0)
        printed = err.read()
    assert proc.returncode == 1, printed
    assert "Traceback" not in printed
    for path, word in files.values():
        line = next(x for x in printed.splitlines() if x.startswith(f"{path.name}: "))
        assert "not processed" in line
        assert any(word in x for x in printed.splitlines() if x.startswith("  "))
    assert f"0 done, {len(files)} with problems" in printed
    assert sorted(p.name for p in out.iterdir()) == ["run.log"]
    assert not (tmp_path / "h.sqlite").exists()
    # About 80 MB: the interpreter and libraries; the 260 MB zip bomb was never expanded.
    peak_mb = int(peak_file.read_text()) / 1024
    assert peak_mb < 250, peak_mb
