"""File-level refusals before any parsing (SPEC §8).

``check_file`` looks only at the file's size, its first bytes and the zip central
directory (never decompressing anything), and raises ``RefusedFile`` with a message
that says what is wrong and what to do. What it refuses:

- not a file (missing, or a folder named ``x.xlsx``), 0 bytes, over 50 MB;
- a symbolic link to a file outside the folder the link is in (a workbooks/ folder
  received from someone else must not make the engine read, and copy into a results
  workbook you share, a file from elsewhere on your disk);
- legacy ``.xls`` and encrypted (password-protected) workbooks — both are OLE2
  compound files; an encrypted one holds an ``EncryptedPackage`` stream;
- ``.xlsb`` and ``.ods`` (by extension or content);
- anything that is not a complete zip archive, or a zip without a workbook part;
- zip bombs: declared uncompressed total over 200 MB, or a member expanding at
  more than 100:1. ``zipfile`` never yields more than a member's declared size,
  so checking the declared sizes bounds what openpyxl can later expand.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from engine.errors import RefusedFile

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100.0
#: Members smaller than this cannot be a bomb whatever their ratio (tiny XML
#: parts full of repeated tags legitimately compress very well).
RATIO_MIN_MEMBER_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

RESAVE = "open it in Excel and use File › Save As › Excel Workbook (.xlsx)"


def check_file(path: Path) -> None:
    """Refuse ``path`` before parsing if it is not a safe, plausible .xlsx/.xlsm file."""
    path = Path(path)
    name = path.name or str(path)

    def refuse(message: str) -> RefusedFile:
        return RefusedFile(name, message)

    if path.is_symlink() and not _inside(path.resolve(), path.parent.resolve()):
        raise refuse(
            "this is a link (symlink) to a file outside its folder, refused for safety; "
            "copy the workbook itself into the folder, or give the path of the real file"
        )
    if not path.exists():
        raise refuse("the file does not exist; check the name and the folder")
    if path.is_dir():
        raise refuse("this is a folder, not a file; give the path of an .xlsx workbook")
    if not path.is_file():
        raise refuse("this is not a regular file; give the path of an .xlsx workbook")
    size = path.stat().st_size
    if size == 0:
        raise refuse("the file is empty (0 bytes); it may not have finished saving or copying")
    if size > MAX_FILE_BYTES:
        raise refuse(
            f"the file is {size / 1024 / 1024:.0f} MB, over the 50 MB limit for an input "
            "workbook; remove pictures, pivot caches or unused sheets and save again"
        )
    with path.open("rb") as f:
        head = f.read(8)
        if head == OLE2_MAGIC:
            f.seek(0)
            if ENCRYPTED_STREAM in f.read():
                raise refuse(
                    "the workbook is password-protected (encrypted) and cannot be read; "
                    "open it in Excel, remove the password (File › Info › Protect Workbook "
                    "› Encrypt with Password, clear it) and save"
                )
            raise refuse(
                f"this is an old Excel 97-2003 .xls file, which is not supported; {RESAVE}"
            )

    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise refuse(f"the .xls format is not supported; {RESAVE}")
    if suffix == ".xlsb":
        raise refuse(f"binary workbooks (.xlsb) are not supported; {RESAVE}")
    if suffix == ".ods":
        raise refuse(f"OpenDocument spreadsheets (.ods) are not supported; {RESAVE}")
    if head[:4] not in ZIP_MAGICS:
        raise refuse(
            "this is not an Excel workbook (an .xlsx file is a zip archive and this is not); "
            "if it is CSV or text, paste it into the template and save as .xlsx"
        )
    _check_zip(path, refuse)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _check_zip(path: Path, refuse) -> None:
    """Inspect the central directory only: completeness, content type, expansion."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise refuse(
            "the file is damaged or incomplete (its zip structure is broken, e.g. a "
            "truncated download or copy); get a fresh copy or re-save it in Excel"
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise refuse(f"the file holds {len(infos):,} parts, far more than a workbook; refused")
    names = {info.filename for info in infos}
    if "xl/workbook.bin" in names:
        raise refuse(f"binary workbooks (.xlsb) are not supported; {RESAVE}")
    if "mimetype" in names and "content.xml" in names:
        raise refuse(f"OpenDocument spreadsheets (.ods) are not supported; {RESAVE}")
    if "xl/workbook.xml" not in names:
        raise refuse(
            "this zip file is not an Excel workbook (no workbook part inside); "
            "give an .xlsx file made from the template"
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise refuse(
            f"the workbook would expand to {total / 1024 / 1024:,.0f} MB, over the 200 MB "
            "limit (possible zip bomb); refused for safety"
        )
    for info in infos:
        if info.file_size >= RATIO_MIN_MEMBER_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise refuse(
                    f"part {info.filename!r} expands {ratio:,.0f}:1, above the 100:1 "
                    "limit (possible zip bomb); refused for safety"
                )
