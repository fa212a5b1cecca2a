"""Command line: parse arguments, call one function per verb, turn errors into located messages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .click_chinese import install as use_chinese_messages
from .errors import Diagnostic, DrafterError

use_chinese_messages()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS = "[选项]"
EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def report(diagnostics: list[Diagnostic]) -> None:
    """Print diagnostics to stderr, one `FILE:LINE:COL: 错误: …` line each."""
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


@click.group(context_settings=CONTEXT, options_metavar=OPTIONS, subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", message="drafter %(version)s")
def main() -> None:
    """drafter：填写 YAML 表单，生成符合公文格式的讲话稿（Word 文档）。

    \b
    常用命令：
      drafter render configs/review-commentary.example.yaml   生成讲话稿到 output/
    """


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "forms", nargs=-1, required=True, metavar="表单...", type=click.Path(path_type=Path)
)
@click.option(
    "-o", "--output", "out_dir", default="output", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="输出文件夹。",
)  # fmt: skip
@click.option(
    "-f", "--format", "formats", multiple=True, default=("docx",), show_default=True,
    metavar="格式", help="输出格式：docx、md、txt；可重复，如 -f docx -f txt。",
)  # fmt: skip
@click.option(
    "--style", default="gbt9704", show_default=True, metavar="版式|路径",
    help="版式：gbt9704（公文字体）、windows（Windows 自带字体），或样式文件路径。",
)  # fmt: skip
@click.option(
    "--template", metavar="模板|路径", help="改用指定的模板，而不是表单中 template 所写的。"
)
def render(
    forms: tuple[Path, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    style: str,
    template: str | None,
) -> None:
    """根据表单生成讲话稿，默认写到 output/<表单名>.docx。"""
    from .commands.render import render_forms

    failures = 0
    try:
        for result in render_forms(forms, out_dir, formats, style, template):
            report(result.warnings)
            for path in result.written:
                click.echo(str(path))
            if result.error is not None:
                failures += 1
                report(result.error.diagnostics)
    except DrafterError as exc:
        report(exc.diagnostics)
        sys.exit(EXIT_INPUT)
    if failures:
        sys.exit(EXIT_INPUT if failures == len(forms) else EXIT_FAILED)
