"""The users file of `drafter serve`: each colleague's own access word instead of one token.

One line per person, `姓名: 口令`; a person opens http://SERVER:PORT/?token=口令 once and the
browser remembers it. Read like every YAML file drafter reads: problems located, all at once.
"""

from __future__ import annotations

from pathlib import Path

from ..config.located_yaml import FileKind, load_located
from ..config.options import Mapping, Reading, Text
from ..errors import UsageError

USERS_FILE = FileKind("用户文件", UsageError)
MIN_WORD = 12  # long enough that nobody guesses it over an office network
USERS = Mapping(
    "用户",
    values=Text("口令", blank=False),
    example=f"张三: 一个至少 {MIN_WORD} 个字符的口令",
    noun="用户",
)


def read_users(path: Path) -> dict[str, str]:
    """Each user's name and access word, checked whole."""
    located = load_located(path, USERS_FILE)
    reading = Reading(located)
    users: dict[str, str] = USERS.read(located.data, (), reading) or {}
    owners: dict[str, str] = {}
    for name, word in users.items():
        if len(word) < MIN_WORD:
            reading.fail((name,), f"用户 {name} 的口令太短：至少要 {MIN_WORD} 个字符，别人才猜不到")
        elif word in owners:
            reading.fail((name,), f"用户 {name} 的口令与 {owners[word]} 的相同；每人应有自己的口令")
        owners.setdefault(word, name)
    if not users and not reading.all_problems():
        reading.fail((), "用户文件中没有用户；每行写一位：姓名: 口令")
    if reading.all_problems():
        raise UsageError(diagnostics=reading.all_problems())
    return users
