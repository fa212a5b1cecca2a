"""The web application of `drafter serve`: routes over a Workspace, every refusal in Chinese.

Bottle routes requests (one pure-Python file, no dependencies); the pages are static files
shipped in web/static and talk to the /api/ routes in JSON. Every answer that is not a
success is a Chinese message with its status (JSON for /api/, a small page otherwise),
never a traceback.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import bottle

from ..errors import (
    DrafterError,
    ExtractError,
    FormError,
    OutputError,
    SaveConflictError,
    SpeechFileError,
    TemplateError,
    ToolError,
    ValidationError,
    WebRequestError,
)
from ..infra.resources import PACKAGE_DIR
from .security import (
    CONTENT_POLICY,
    CSRF_HEADER,
    MAX_JSON_BYTES,
    MAX_UPLOAD_BODY,
    MAX_UPLOAD_BYTES,
    TOKEN_COOKIE,
    Access,
)
from .workspace import Workspace

STATIC = PACKAGE_DIR / "web" / "static"  # found as built-in data is, in every kind of install
_STATUS_OF: tuple[tuple[type[DrafterError], int], ...] = (
    (WebRequestError, 400),  # its own status is used
    (FormError, 422),
    (ValidationError, 422),
    (SpeechFileError, 422),
    (ExtractError, 422),
    (TemplateError, 422),
    (OutputError, 409),
    (ToolError, 503),
)
_STATUS_WORDS = {
    400: "请求无效",
    401: "需要访问令牌",
    403: "拒绝访问",
    404: "没有这个页面或文件",
    405: "不支持这种请求方式",
    411: "请求没有写明长度",
    413: "请求内容太大",
    415: "不支持的文件类型",
    500: "服务器内部出错，请重试；如反复出现，请把操作步骤告诉维护人员",
}


def make_app(workspace: Workspace, access: Access) -> bottle.Bottle:
    """The application serving `workspace` to the browsers `access` lets in."""
    app = bottle.Bottle(catchall=True)
    app.default_error_handler = _error_page  # type: ignore[method-assign]
    app.add_hook("before_request", lambda: _admit(access))
    app.add_hook("after_request", _security_headers)

    def route(path: str, method: str = "GET") -> Callable[[Callable[..., Any]], Any]:
        def register(callback: Callable[..., Any]) -> Any:
            return app.route(path, method, _answering(callback))

        return register

    @route("/")
    def index() -> Any:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        return _html(page.replace("{{csrf}}", access.csrf))

    @route("/static/<name>")
    def static(name: str) -> Any:
        if name not in _STATIC_FILES:
            raise WebRequestError("没有这个文件", status=404)
        return bottle.static_file(name, root=str(STATIC), charset="utf-8")

    @route("/api/forms")
    def forms() -> Any:
        return _json({"forms": workspace.forms(), "packs": workspace.packs()})

    @route("/api/form")
    def open_form() -> Any:
        return _json(workspace.open_form(_query("name")))

    @route("/api/history")
    def history() -> Any:
        return _json({"versions": workspace.history(_query("name"))})

    @route("/api/history/text")
    def history_text() -> Any:
        return _json({"text": workspace.history_text(_query("name"), _query("entry"))})

    @route("/api/download")
    def download() -> Any:
        got = workspace.download(_query("name"), _query("format"), _query("style"))
        quoted = urllib.parse.quote(got.name)
        return bottle.HTTPResponse(
            got.payload,
            200,
            {
                "Content-Type": got.mime,
                "Content-Disposition": f"attachment; filename*=UTF-8''{quoted}",
            },
        )

    @route("/api/new", "POST")
    def new() -> Any:
        body = _body()
        return _json({"name": workspace.new_form(body.get("pack"), body.get("name"))})

    @route("/api/extract", "POST")
    def extract() -> Any:
        name, payload = _upload()
        return _json(workspace.extract_upload(name, payload))

    @route("/api/preview", "POST")
    def preview() -> Any:
        body = _body()
        return _json(workspace.preview(body.get("name"), body.get("data"), body.get("style")))

    @route("/api/save", "POST")
    def save() -> Any:
        body = _body()
        if "text" in body:
            saved = workspace.save_text(body.get("name"), body.get("version"), body["text"])
        else:
            saved = workspace.save(body.get("name"), body.get("version"), body.get("data"))
        return _json(saved)

    @route("/api/restore", "POST")
    def restore() -> Any:
        body = _body()
        return _json(workspace.restore(body.get("name"), body.get("version"), body.get("entry")))

    return app


_STATIC_FILES = frozenset({"app.js", "app.css", "LICENSE.txt"})


# ---------------------------------------------------------------- admission


def _admit(access: Access) -> None:
    """Refuse a request from outside (token), with a foreign Host, or a forged change (CSRF)."""
    try:
        _check_access(access)
    except DrafterError as exc:  # answered here: bottle would log a hook's error as a fault
        raise _refusal(exc) from None


def _check_access(access: Access) -> None:
    request = bottle.request
    if not access.host_ok(request.get_header("Host")):
        raise WebRequestError("请用 http://127.0.0.1 打开本页面（主机名不符，已拒绝）", status=403)
    given = request.get_cookie(TOKEN_COOKIE) or request.query.get("token")
    if not access.token_ok(given):
        raise WebRequestError(
            "需要访问令牌：请使用启动 drafter serve 时显示的完整网址（含 token=…）打开；"
            "有用户文件时，在网址后加上 ?token=您的口令",
            status=401,
        )
    word = request.query.get("token")
    if access.required and word and request.path == "/":  # remembered: the URL can be closed
        response = bottle.HTTPResponse(status=303, headers={"Location": "/"})
        response.set_cookie(TOKEN_COOKIE, word, httponly=True, samesite="strict", path="/")
        raise response
    if request.method != "GET":
        if not access.csrf_ok(request.get_header(CSRF_HEADER)):
            raise WebRequestError(
                "请求缺少页面的校验码（CSRF），已拒绝；请刷新页面后重试", status=403
            )
        _check_size()


def _check_size() -> None:
    length = bottle.request.content_length
    limit = MAX_UPLOAD_BODY if bottle.request.path == "/api/extract" else MAX_JSON_BYTES
    if length > limit:
        raise WebRequestError(
            f"请求内容太大（超过 {limit // (1024 * 1024)} MB），已拒绝", status=413
        )


def _security_headers() -> None:
    headers = bottle.response.headers
    headers["Content-Security-Policy"] = CONTENT_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cache-Control"] = "no-store"


# ---------------------------------------------------------------- answers


def _answering(callback: Callable[..., Any]) -> Callable[..., Any]:
    """A route whose refusals and faults become Chinese answers with the right status."""

    def answer(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except bottle.HTTPResponse:
            raise
        except DrafterError as exc:
            return _refusal(exc)
        except MemoryError:
            return _problem(413, "内容过大，内存不足，已停止")
        except RecursionError:
            return _problem(422, "内容嵌套过深，已停止")

    return answer


def _refusal(exc: DrafterError) -> bottle.HTTPResponse:
    status = next((code for kind, code in _STATUS_OF if isinstance(exc, kind)), 400)
    if isinstance(exc, WebRequestError):
        status = exc.status
    extra: dict[str, Any] = {}
    if isinstance(exc, SaveConflictError):
        extra = {"conflict": True, "disk": exc.disk, "mine": exc.mine}
    messages = [d.message for d in exc.diagnostics]
    located = [{"message": d.message, "line": d.line, "column": d.column} for d in exc.diagnostics]
    return _problem(status, "；".join(messages[:3]), problems=located, **extra)


def _problem(status: int, message: str, **extra: Any) -> bottle.HTTPResponse:
    """A refusal: JSON for the API, a small Chinese page for a page."""
    if not bottle.request.path.startswith("/api/"):
        page = _PAGE.format(message=_escape(message))
        return bottle.HTTPResponse(page, status, {"Content-Type": "text/html; charset=utf-8"})
    body = json.dumps({"error": message, **extra}, ensure_ascii=False)
    return bottle.HTTPResponse(body, status, {"Content-Type": "application/json; charset=utf-8"})


def _error_page(error: bottle.HTTPError) -> str:
    """Bottle's own refusals (404, 405, a fault) in Chinese; JSON for the API."""
    exception = getattr(error, "exception", None)
    if isinstance(exception, DrafterError):  # raised by a hook, before any route
        status = exception.status if isinstance(exception, WebRequestError) else 400
        message = exception.diagnostics[0].message
    else:
        status = error.status_code
        message = _STATUS_WORDS.get(status, _STATUS_WORDS[500] if status >= 500 else "请求无效")
    bottle.response.status = status
    _security_headers()
    if bottle.request.path.startswith("/api/"):
        bottle.response.content_type = "application/json; charset=utf-8"
        return json.dumps({"error": message}, ensure_ascii=False)
    bottle.response.content_type = "text/html; charset=utf-8"
    return _PAGE.format(message=_escape(message))


_PAGE = (
    '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>drafter</title>'
    '<link rel="stylesheet" href="/static/app.css"><main class="refusal"><h1>drafter</h1>'
    '<p>{message}</p><p><a href="/">返回首页</a></p></main></html>'
)


def _escape(text: str) -> str:
    import html  # deferred: start-up speed

    return html.escape(text)


def _json(data: Any) -> bottle.HTTPResponse:
    return bottle.HTTPResponse(
        json.dumps(data, ensure_ascii=False, default=str),
        200,
        {"Content-Type": "application/json; charset=utf-8"},
    )


def _html(page: str) -> bottle.HTTPResponse:
    return bottle.HTTPResponse(page, 200, {"Content-Type": "text/html; charset=utf-8"})


def _query(name: str) -> str | None:
    raw = bottle.request.query_string
    values = urllib.parse.parse_qs(raw, keep_blank_values=True, errors="strict").get(name)
    return values[0] if values else None


def _body() -> dict[str, Any]:
    """The request's JSON object, or a Chinese refusal saying what is wrong with it."""
    raw = bottle.request.body.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        raise WebRequestError("请求内容太大，已拒绝", status=413)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebRequestError("请求内容不是 UTF-8 编码，已拒绝") from None
    try:
        body = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise WebRequestError("请求内容不是有效的 JSON，已拒绝") from None
    if not isinstance(body, dict):
        raise WebRequestError("请求内容应为 JSON 对象，已拒绝")
    return body


def _upload() -> tuple[str, bytes]:
    """The uploaded speech file: its name and bytes, within the size limit."""
    try:
        upload = bottle.request.files.get("file")
    except Exception:  # bottle's multipart parser refuses a malformed body in English
        raise WebRequestError("上传的内容格式不正确，已拒绝") from None
    if upload is None:
        raise WebRequestError("请选择要上传的讲话稿文件")
    payload = upload.file.read(MAX_UPLOAD_BYTES + 1)
    if len(payload) > MAX_UPLOAD_BYTES:
        raise WebRequestError(
            f"上传的文件太大（超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB），已拒绝", status=413
        )
    name = upload.raw_filename or upload.filename or "upload"
    return str(name), payload
