"""Run the built drafter program through every verb a writer uses: `python packaging/smoke.py PROGRAM`.

`new`, `render` (docx and pdf, two workers), `check`, `extract` and `serve` (its home page and
a form's preview over HTTP), in a fresh folder with a fresh cache, checking what they write.
Exit 0 when all pass; the first failure is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "configs" / "review-commentary.example.yaml"
# A traditional character in a simplified speech: finding it needs the converter's data files.
MIXED_SCRIPT = "同志們：\n今天召开会议。\n"


class SmokeFailure(Exception):
    """A step of the smoke run did not do what it should."""


def run(program: Path, *arguments: str, folder: Path, expect: int = 0) -> str:
    """Run the program in `folder`; its stdout and stderr, or SmokeFailure on another exit code."""
    env = {**os.environ, "DRAFTER_CACHE_DIR": str(folder / "cache"), "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)  # the program must carry all it needs
    done = subprocess.run(
        [str(program), *arguments], cwd=folder, env=env, capture_output=True, timeout=300
    )
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    print(f"+ drafter {' '.join(arguments)} → {done.returncode}")
    if done.returncode != expect:
        raise SmokeFailure(f"drafter {' '.join(arguments)}: 退出码 {done.returncode}\n{output}")
    return output


def serve(program: Path, folder: Path) -> None:
    """`drafter serve FOLDER --port 0`: the home page and a form's data answered, then stopped."""
    env = {**os.environ, "DRAFTER_CACHE_DIR": str(folder / "cache"), "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONPATH", None)
    server = subprocess.Popen(
        [str(program), "serve", str(folder), "--port", "0"],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url, deadline = "", time.monotonic() + 60
        assert server.stdout is not None
        while not url and time.monotonic() < deadline:
            line = server.stdout.readline().decode("utf-8", "replace").strip()
            if not line and server.poll() is not None:
                break
            url = line if line.startswith("http://127.0.0.1:") else ""
        if not url:
            raise SmokeFailure("serve: 没有显示网址")
        with urllib.request.urlopen(url, timeout=30) as answer:
            if "drafter" not in answer.read().decode("utf-8"):
                raise SmokeFailure("serve: 首页不对")
        with urllib.request.urlopen(f"{url.rstrip('/')}/api/forms", timeout=30) as answer:
            names = json.dumps(json.loads(answer.read()), ensure_ascii=False)
        if "form.yaml" not in names:
            raise SmokeFailure(f"serve: 表单列表中没有 form.yaml\n{names}")
        print("+ drafter serve → home page and form list answered")
    finally:
        server.terminate()
        server.wait(timeout=30)


def docx_text(path: Path) -> str:
    """The XML of a .docx's main part (opening it proves it is a whole package)."""
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def smoke(program: Path, folder: Path) -> None:
    """Every step, in `folder`."""
    run(program, "new", "review-commentary", "-o", "form.yaml", folder=folder)
    if "meeting:" not in (folder / "form.yaml").read_text(encoding="utf-8"):
        raise SmokeFailure("new: 表单缺少 meeting 字段")

    run(program, "render", str(EXAMPLE), "form.yaml", "-o", "out", "-f", "docx", "-f", "pdf",
        "-j", "2", folder=folder)  # fmt: skip
    for stem in ("review-commentary.example", "form"):
        if "w:body" not in docx_text(folder / "out" / f"{stem}.docx"):
            raise SmokeFailure(f"render: {stem}.docx 没有正文")
        if not (folder / "out" / f"{stem}.pdf").read_bytes().startswith(b"%PDF"):
            raise SmokeFailure(f"render: {stem}.pdf 不是 PDF")
    if "述职评议会议" not in docx_text(folder / "out" / "review-commentary.example.docx"):
        raise SmokeFailure("render: 讲话稿缺少会议名称")

    (folder / "mixed.txt").write_text(MIXED_SCRIPT, encoding="utf-8")
    found = run(program, "check", "mixed.txt", folder=folder, expect=1)
    if "mixed.txt:1:3:" not in found or "script.traditional" not in found:
        raise SmokeFailure(f"check: 没有指出繁体字\n{found}")

    run(program, "extract", "out/review-commentary.example.docx", "-o", "back.yaml", folder=folder)
    if "template: review-commentary" not in (folder / "back.yaml").read_text(encoding="utf-8"):
        raise SmokeFailure("extract: 提取的表单没有选用 review-commentary")

    serve(program, folder)


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    program = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="drafter-smoke-") as folder:
        try:
            smoke(program, Path(folder))
        except (
            SmokeFailure,
            OSError,
            KeyError,
            zipfile.BadZipFile,
            subprocess.SubprocessError,
        ) as exc:
            print(f"frozen program smoke test failed: {exc}", file=sys.stderr)
            print("smoke: 0 passed, 1 failed")
            return 1
    print(
        "frozen program: new, render (docx, pdf, -j 2), check, extract and serve all did their work"
    )
    print("smoke: 1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
