"""Command line: parse arguments, call one function per verb, turn errors into located messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__, reporting
from .click_chinese import install as use_chinese_messages
from .errors import DrafterError, ExitCode, Severity
from .infra import console

# A frozen program starts itself again for each `render -j N` worker: freeze_support runs the
# worker and exits before the command line would parse the worker's arguments.
if getattr(sys, "frozen", False):
    import multiprocessing

    multiprocessing.freeze_support()
use_chinese_messages()
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS = "[选项]"


# A file dropped on the program (or named first) stands for the command that takes it.
IMPLIED_COMMANDS = {".yaml": "render", ".yml": "render", ".docx": "extract", ".txt": "extract", ".md": "extract"}  # fmt: skip
WAIT_PROMPT = "按任意键关闭窗口…"


class DrafterGroup(click.Group):
    """The command group, with drafter's one error handler around every command.

    It also serves a program started from Explorer: `drafter 讲话.yaml` (a file dropped on
    drafter.exe) renders it, `drafter 旧讲话.docx` extracts it, and a window opened only for
    this run waits for a key, so the writer can read what happened before it closes.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line; in a console opened by a double-click, wait before closing."""
        try:
            return super().main(*args, **kwargs)
        finally:
            if console.opened_for_this_program():
                reporting.wait_for_key(WAIT_PROMPT)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`drafter FILE …` as `drafter render FILE …` or `drafter extract FILE`.

        The program double-clicked with nothing dropped on it opens the browser editor
        (`drafter serve --open`) on the folder it was started in.
        """
        if not args and console.opened_for_this_program():
            args = ["serve", "--open"]
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            implied = IMPLIED_COMMANDS.get(Path(args[0]).suffix.lower())
            if implied and Path(args[0]).is_file():
                args = [implied, *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a DrafterError becomes its located messages and exit code 2."""
        try:
            return super().invoke(ctx)
        except DrafterError as exc:
            reporting.report(exc.diagnostics)
            ctx.exit(ExitCode.INPUT)


@click.group(
    cls=DrafterGroup,
    context_settings=CONTEXT,
    options_metavar=OPTIONS,
    subcommand_metavar="命令 [参数]...",
)
@click.version_option(__version__, "-V", "--version", message="drafter %(version)s")
def main() -> None:
    """drafter：填写 YAML 表单，生成符合公文格式的讲话稿（Word 文档）。

    \b
    常用命令：
      drafter render configs/review-commentary.example.yaml   生成讲话稿到 output/
      drafter 讲话.yaml      同 drafter render（也可把表单拖到 drafter 程序上）
      drafter 旧讲话.docx    同 drafter extract（也可 .txt、.md）
    """
    reporting.keep_output_printable()


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "forms", nargs=-1, required=True, metavar="表单...", type=click.Path(path_type=Path)
)
@click.option(
    "-o", "--output", "out_dir",
    type=click.Path(path_type=Path, allow_dash=True), metavar="文件夹|文件|-",
    help="输出文件夹（默认为设置文件中的 output，没有则为 output/）；只有一份表单时也可写文件名（如 讲话.docx）；"
    "写 - 则把 md、txt 或 html 输出到屏幕。",
)  # fmt: skip
@click.option(
    "-f", "--format", "formats", multiple=True, metavar="格式",
    help="输出格式：docx（默认）、md、txt、html、pdf；可重复，如 -f docx -f pdf。",
)  # fmt: skip
@click.option(
    "--style", metavar="版式|路径",
    help="版式：gbt9704（公文字体，默认）、windows（Windows 自带字体），或样式文件路径（见 drafter styles）；"
    "不写时用设置文件中的 style。",
)  # fmt: skip
@click.option(
    "--reference-doc", type=click.Path(path_type=Path, dir_okay=False), metavar="参考文档.docx",
    help="沿用这份 Word 文档（如单位模板）的段落样式、页面设置和页脚。",
)  # fmt: skip
@click.option(
    "--template", metavar="模板|路径", help="改用指定的模板，而不是表单中 template 所写的。"
)
@click.option(
    "--force", is_flag=True,
    help="覆盖已在 Word/WPS 中修改过的、或不是 drafter 生成的 .docx（默认不覆盖，以保护修改）。",
)  # fmt: skip
@click.option(
    "-j", "--jobs", default=1, show_default=True, type=click.IntRange(min=0), metavar="N",
    help="同时用 N 个进程生成，适合大批表单；0 表示按 CPU 核数。",
)  # fmt: skip
@click.option(
    "--strict", is_flag=True,
    help="检查（同 drafter check）发现问题时不生成文件；默认只把问题作为警告列出。",
)  # fmt: skip
def render(
    forms: tuple[Path, ...],
    out_dir: Path | None,
    formats: tuple[str, ...],
    style: str | None,
    reference_doc: Path | None,
    template: str | None,
    force: bool,
    jobs: int,
    strict: bool,
) -> None:
    """根据表单生成讲话稿，默认写到 output/<表单名>.docx。

    \b
    可一次生成多份：drafter render configs/*.yaml（或写文件夹名 configs）。
    在 Word/WPS 中改过的 .docx 不会被覆盖，除非加 --force。
    生成前会自动检查过时提法、遗留的 XXX、标点等问题（同 drafter check），作为警告列出。
    """
    from .commands.render import RenderOptions, render_command  # deferred: start-up speed

    options = RenderOptions(out_dir, formats, style, template, force, jobs, reference_doc, strict)
    sys.exit(reporting.show_render(render_command(forms, options)))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("template", metavar="模板")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="表单.yaml",
    help="新表单的文件名（不以 .yaml 结尾时自动补上），或存放它的文件夹；"
    "默认为当前文件夹中的 <模板>.yaml，如 review-commentary.yaml。",
)  # fmt: skip
@click.option("--force", is_flag=True, help="文件已存在时覆盖它（默认不覆盖）。")
def new(template: str, output: Path | None, force: bool) -> None:
    """生成一份新表单：每个字段都有中文说明，并已填好范文中的例子。

    \b
    例：drafter new review-commentary -o 2026年述职评议.yaml
    模板可写编号，也可写中文名称（如 drafter new 述职评议）。
    已有同名文件时不会覆盖，请用 -o 另起一个名字。
    改好内容后运行 drafter render 2026年述职评议.yaml 生成讲话稿。
    有哪些模板：drafter templates
    """
    from .commands.new import new_form  # deferred: start-up speed

    path = new_form(template, output, force=force)
    reporting.tell_next_step(path, f"用记事本或 WPS 打开 {path}，改成本次会议的内容")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("speech", metavar="讲话稿", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), metavar="表单.yaml",
    help="表单的文件名（不以 .yaml 结尾时自动补上），或存放它的文件夹；"
    "默认为当前文件夹中与讲话稿同名的 .yaml，如 2025年讲话.yaml。",
)  # fmt: skip
@click.option(
    "--template", metavar="模板|路径",
    help="按指定的模板提取；不写时逐一尝试支持提取的模板，选用最吻合的一个。",
)  # fmt: skip
@click.option("--force", is_flag=True, help="表单文件已存在时覆盖它（默认不覆盖）。")
def extract(speech: Path, output: Path | None, template: str | None, force: bool) -> None:
    """从旧讲话稿（.txt、.md、.docx）提取一份填好的表单，改成今年的内容即可重新生成。

    \b
    例：drafter extract 2025年述职评议讲话.docx -o 2026年述职评议.yaml
    繁体字、拼音注音、半角标点会自动改正并逐条列出；网页信息（发布时间、相关文章等）会略去。
    找不到对应字段的段落原样保存在表单的 unplaced 中，并给出它在原文中的位置。
    已有同名表单时不会覆盖，除非加 --force。
    """
    from .commands.extract import extract_command  # deferred: start-up speed

    path, extraction = extract_command(speech, output, template, force)
    reporting.report([extraction.choice] if extraction.choice else [])
    reporting.report_fixes(extraction.fixes, err=True)
    reporting.report(extraction.diagnostics)
    reporting.tell_next_step(path, f"打开 {path}，核对标有“请核对”的地方，改成本次会议的内容")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "folder", required=False, metavar="[文件夹]",
    type=click.Path(path_type=Path, file_okay=False),
)  # fmt: skip
@click.option(
    "--host", default="127.0.0.1", show_default=True, metavar="地址",
    help="监听的地址；默认只有本机能打开。写其他地址（如 0.0.0.0）时，同事需要启动时显示的访问令牌。",
)  # fmt: skip
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), metavar="端口",
    help="监听的端口；0 表示任选一个空闲端口。",
)  # fmt: skip
@click.option(
    "--users", type=click.Path(path_type=Path, dir_okay=False), metavar="用户文件.yaml",
    help="每行写一位同事“姓名: 口令”（口令至少 12 个字符）；每人用自己的口令打开，代替启动时显示的访问令牌。",
)  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="启动后用默认浏览器打开。")
def serve(
    folder: Path | None, host: str, port: int, users: Path | None, open_browser: bool
) -> None:
    """在浏览器里填写表单：边填边看讲话稿的样子，保存为 YAML 表单，下载 Word 文档。

    \b
    例：drafter serve 表单文件夹 --open
    不写文件夹时打开设置文件中 forms_folder 所写的文件夹，没有则打开当前文件夹；按 Ctrl+C 停止。
    """
    from .commands.serve import serve_command  # deferred: start-up speed

    server = serve_command(folder, host, port, users)
    reporting.serving(server.url, server.folder, server.access.token, len(server.access.users))
    if open_browser:
        import webbrowser  # deferred: start-up speed

        webbrowser.open(server.url)
    try:
        server.run()
    except KeyboardInterrupt:
        server.close()


@main.command("schema", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("template", metavar="模板")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="文件.json",
    help="写入这个文件（UTF-8 编码）；不写则输出到屏幕。",
)  # fmt: skip
@click.option("--force", is_flag=True, help="文件已存在且不是 drafter 生成的 Schema 时也覆盖它。")
def schema_command(template: str, output: Path | None, force: bool) -> None:
    """输出表单的 JSON Schema，供编辑器（如 VS Code 的 YAML 插件）自动补全和检查。

    \b
    例：drafter schema review-commentary -o review-commentary.schema.json
    输出到屏幕时中文写作 \\uXXXX 转义，不受命令行编码影响；存成文件请用 -o。
    """
    from .commands.schema import schema_text, write_schema  # deferred: start-up speed

    if output is None:
        click.echo(schema_text(template, ascii_only=True), nl=False)
    else:
        reporting.print_line(str(write_schema(template, output, force=force)))


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("name", required=False, metavar="[模板|路径]")
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path), metavar="文件夹",
    help="把这个模板的文件夹复制到这里（如 templates），改好后即可使用。",
)  # fmt: skip
@click.option("--force", is_flag=True, help="-o 中已有同名模板文件夹时覆盖它（默认不覆盖）。")
def templates(name: str | None, output: Path | None, force: bool) -> None:
    """列出可用的模板，或显示一个模板的表单字段（键名、中文名、类型、是否必填、说明、示例）。

    \b
    自己的模板放在表单旁边或当前文件夹的 templates/模板编号/ 中，写法见 docs/templates.md。
    复制一个模板来修改：drafter templates review-commentary -o templates
    """
    from .commands.templates import copy_pack, pack_fields, pack_list  # deferred: start-up speed

    if output is not None:
        if not name:
            raise click.UsageError(
                "-o 需要指定要复制的模板，如 drafter templates review-commentary -o templates"
            )
        copied = copy_pack(name, output, force=force)
        reporting.print_line(str(copied))
        click.echo(
            "已复制模板：放在表单旁边或当前文件夹的 templates/ 中即可使用（同名时优先于内置模板），"
            "写法见 docs/templates.md",
            err=True,
        )
        return

    lines, problems = (pack_fields(name), []) if name else pack_list()
    reporting.print_line("\n".join(lines))
    reporting.report(problems)
    if any(problem.severity == Severity.ERROR for problem in problems):
        sys.exit(ExitCode.FAILED)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument("name", required=False, metavar="[版式|路径]")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="文件.yaml",
    help="把版式另存为样式文件，改好后用 --style 文件.yaml 使用。",
)  # fmt: skip
@click.option("--force", is_flag=True, help="-o 的文件已存在时覆盖它（默认不覆盖）。")
def styles(name: str | None, output: Path | None, force: bool) -> None:
    """列出内置版式，或显示一个版式的全部设置（含说明，可复制后修改）。"""
    from .commands.styles import styles_command  # deferred: start-up speed

    shown = styles_command(name, output, force=force)
    if shown.saved is not None:
        reporting.print_line(str(shown.saved))
    else:
        reporting.emit(shown.text)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS)
@click.argument(
    "files", nargs=-1, required=True, metavar="文件...", type=click.Path(path_type=Path)
)
@click.option(
    "--date", "date_text", metavar="YYYY-MM-DD",
    help="按这个讲话日期判断提法是否过时；默认用表单或文稿中的日期，没有则用今天。",
)  # fmt: skip
@click.option(
    "--rules", "rule_paths", multiple=True, type=click.Path(path_type=Path), metavar="规则文件",
    help="再加载本单位的规则文件（或装有 .yaml 规则文件的文件夹）；可重复。",
)  # fmt: skip
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="输出格式：text（每条一行 文件:行:列）或 json（供其他工具读取）。",
)  # fmt: skip
@click.option(
    "--fix", is_flag=True, help="自动修改安全的问题（半角标点、繁体字、拼音注音），并列出每处修改。"
)
@click.option("--fix-all", is_flag=True, help="同 --fix，并把过时的提法也替换为建议的写法。")
@click.option(
    "--pace", default=180, show_default=True, type=click.IntRange(min=60, max=600), metavar="字/分钟",
    help="估算讲话时长用的语速。",
)  # fmt: skip
def check(
    files: tuple[Path, ...],
    date_text: str | None,
    rule_paths: tuple[Path, ...],
    output: str,
    fix: bool,
    fix_all: bool,
    pace: int,
) -> None:
    """检查表单（.yaml）或讲话稿（.docx、.txt、.md）：过时提法、占位符、标点、繁体字、序号和条数、过长的段落，并按讲话的各部分估算讲话时长。

    \b
    每条问题一行：文件:行:列: 警告|错误: [规则编号] 说明 (建议: …)；Word 文档的“行”是段落序号。
    退出码：0 没有问题；1 发现问题；2 文件或规则无法读取。
    例：drafter check 2026年述职评议.yaml --date 2026-11-28
    """
    from .commands.check import (  # deferred: start-up speed
        CheckOptions,
        check_command,
        exit_code,
        parse_date,
    )

    options = CheckOptions(parse_date(date_text), rule_paths, fix, fix_all, pace, output)
    reports = check_command(files, options)
    reporting.show_check(reports, output)
    sys.exit(exit_code(reports))


@main.command("settings", context_settings=CONTEXT, options_metavar=OPTIONS)
@click.option("--init", is_flag=True, help="生成一份带说明的设置文件（在第一个查找位置）。")
@click.option("--force", is_flag=True, help="--init 时设置文件已存在也覆盖它（默认不覆盖）。")
def settings_command(init: bool, force: bool) -> None:
    """显示本单位设置文件的位置和当前生效的设置（默认版式、参考文档、输出位置、共享模板文件夹）。

    \b
    设置文件的位置：环境变量 DRAFTER_CONFIG 指定的文件；否则 Windows 为
    %APPDATA%\\drafter\\settings.yaml（或 设置.yaml），其他系统为 ~/.config/drafter/settings.yaml。
    命令行中写的选项优先于设置文件。
    """
    from .commands.settings import init_settings, settings_lines  # deferred: start-up speed

    if init:
        path = init_settings(force=force)
        reporting.print_line(str(path))
        click.echo(f"已生成设置文件：用记事本打开 {path}，按其中的说明修改", err=True)
        return
    reporting.print_line("\n".join(settings_lines()))
