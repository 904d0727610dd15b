"""Regenerate docs/dashboard.png: the example's Dashboard as LibreOffice prints it.

    python scripts/render_dashboard.py [--out docs/dashboard.png] [--dpi 110]

Runs the engine on workbooks/example.xlsx (no history, so the trend slot shows its
one-run sentence), converts the results workbook to PDF with LibreOffice headless in a
private profile, and rasterises page 1 — the Dashboard, the first sheet — with
``pdftoppm``. Needs ``soffice`` and ``pdftoppm`` (poppler-utils) on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "workbooks" / "example.xlsx"
TIMEOUT_S = 300


def _tool(*names: str) -> str:
    for name in names:
        exe = shutil.which(name)
        if exe:
            return exe
    sys.exit(f"{names[0]} is not installed (needed to render the dashboard)")


def render(out: Path, dpi: int = 110) -> Path:
    """Run the example, print it with LibreOffice, and save page 1 as ``out`` (PNG)."""
    sys.path.insert(0, str(REPO))
    from engine.app import cli

    soffice, pdftoppm = _tool("soffice", "libreoffice"), _tool("pdftoppm")
    with tempfile.TemporaryDirectory(prefix="render_dashboard_") as tmp:
        tmp_dir = Path(tmp)
        code = cli.main(
            ["--out", str(tmp_dir / "results"), "--no-history", "--quiet", str(EXAMPLE)]
        )
        if code != 0:
            sys.exit(f"the engine failed on the example (exit code {code})")
        book = next((tmp_dir / "results").glob("*.xlsx"))
        profile = (tmp_dir / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_dir / "pdf"),
                str(book),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
        pdf = tmp_dir / "pdf" / (book.stem + ".pdf")
        if not pdf.exists():
            sys.exit("LibreOffice did not produce a PDF")
        stem = tmp_dir / "page"
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                str(dpi),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "dashboard.png")
    parser.add_argument("--dpi", type=int, default=110)
    args = parser.parse_args(argv)
    path = render(args.out, args.dpi)
    print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
