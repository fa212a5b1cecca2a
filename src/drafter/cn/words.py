"""Chinese word segmentation with word classes, for breaking titles between words.

jieba's method without its HMM: every way to cut a run of Han characters into dictionary
words forms a graph, and the cut whose words are jointly most probable (by their counts in
jieba's corpus) wins. The dictionary is jieba's own, trimmed to its more frequent words and
every single character (cn/data/words.txt.gz, written by tools/make_word_list.py); the rest
of jieba (a 38 MB install, or rjieba's 4.8 MB compiled wheel, missing on Windows on ARM) is
not needed for titles, whose words are common ones.
"""

from __future__ import annotations

import bisect
import gzip
import importlib.resources
import math
import re
from collections.abc import Iterable, Sequence

# What jieba cuts with its dictionary: Han characters and the ASCII that writes a word
# (5G, COVID-19, 2.0); everything else is cut at white space and otherwise character by
# character.
_WORD_RUN = re.compile(
    "([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef"
    "\U0002f800-\U0002fa1fa-zA-Z0-9+#&._%\\-]+)"
)
_SPACE = re.compile(r"(\r\n|\s)")


class WordSegmenter:
    """jieba's dictionary-only segmenter over a sorted word list with counts and classes.

    Words are found by bisection in the sorted list, not in a dict: a title looks up a few
    hundred pieces, and hashing a quarter of a million words would take longer than that.
    """

    def __init__(
        self, words: Sequence[str], counts: Sequence[str], tags: Sequence[str], total: int
    ) -> None:
        self.words, self.counts, self.tags = words, counts, tags
        # The counts of the whole corpus: a trimmed list keeps every kept word's probability.
        self.total = total
        self.added: dict[str, tuple[int, str]] = {}
        self.longest = max(map(len, words), default=1)

    @classmethod
    def from_table(cls, table: dict[str, tuple[int, str]], total: int) -> WordSegmenter:
        """A segmenter over word → (count, class)."""
        words = sorted(table)
        counts = [str(table[word][0]) for word in words]
        return cls(words, counts, [table[word][1] for word in words], total)

    def lookup(self, word: str) -> tuple[int, str] | None:
        """The count and class of a known word, or None."""
        added = self.added.get(word)
        if added is not None:
            return added
        index = bisect.bisect_left(self.words, word)
        if index < len(self.words) and self.words[index] == word:
            return int(self.counts[index]), self.tags[index]
        return None

    def add_word(self, word: str, tag: str) -> None:
        """Make `word` one word, just more likely than its parts; a known word keeps its class."""
        count = self.suggest_count(word)
        old_count, old_tag = self.lookup(word) or (0, tag)
        self.added[word] = (count, old_tag)
        self.total += count - old_count
        self.longest = max(self.longest, len(word))

    def suggest_count(self, word: str) -> int:
        """The smallest count that keeps `word` whole (jieba's suggest_freq)."""
        log_total = math.log(self.total)
        joint = sum(math.log(self._count(part)) - log_total for part in self.cut(word))
        return max(int(math.exp(joint + log_total)) + 1, self._count(word))

    def tag(self, text: str) -> list[tuple[str, str]]:
        """The words of `text` with their word classes (jieba's tags: n, v, p, uj, x, …)."""
        return [(word, self._tag(word)) for word in self.cut(text)]

    def cut(self, text: str) -> list[str]:
        """The words of `text`, in order."""
        words: list[str] = []
        for index, block in enumerate(_WORD_RUN.split(text)):
            if index % 2:
                words.extend(self._cut_run(block))
                continue
            for part_index, part in enumerate(_SPACE.split(block)):
                if part_index % 2:
                    words.append(part)
                else:
                    words.extend(part)
        return words

    def _count(self, word: str) -> int:
        known = self.lookup(word)
        return known[0] if known else 1

    def _tag(self, word: str) -> str:
        known = self.lookup(word)
        if known is not None:
            return known[1]
        letters = [char for char in word if char.isascii() and char.isalnum()]
        if not letters:
            return "x"
        return "m" if all(char.isdigit() for char in letters) else "eng"

    def _cut_run(self, run: str) -> Iterable[str]:
        """The most probable cut of a run; single ASCII letters and digits rejoin (5G)."""
        ends = self._best_route(run)
        pending = ""
        start = 0
        while start < len(run):
            word = run[start : ends[start]]
            if len(word) == 1 and word.isascii() and word.isalnum():
                pending += word
            else:
                if pending:
                    yield pending
                    pending = ""
                yield word
            start = ends[start]
        if pending:
            yield pending

    def _best_route(self, run: str) -> list[int]:
        """For each position, where the word starting there ends on the most probable cut."""
        n = len(run)
        log_total = math.log(self.total)
        score = [0.0] * (n + 1)
        ends = [0] * n
        for start in range(n - 1, -1, -1):
            best: tuple[float, int] | None = None
            for end in range(start + 1, min(n, start + self.longest) + 1):
                known = self.lookup(run[start:end])
                if known is not None:
                    option = (math.log(known[0]) - log_total + score[end], end)
                    if best is None or option > best:
                        best = option
            if best is None:  # a character the list lacks is a word of its own
                best = (-log_total + score[start + 1], start + 1)
            score[start], ends[start] = best
        return ends


def builtin_segmenter() -> WordSegmenter:
    """A segmenter over the built-in word list (cn/data/words.txt.gz, tools/make_word_list.py).

    The file holds the corpus total, then the words sorted, each as how many characters it
    shares with the one before (a hexadecimal digit) and the rest, then their counts, then
    their classes, one a line, the three parts separated by a blank line.
    """
    resource = importlib.resources.files(__package__) / "data" / "words.txt.gz"
    text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    _, _, body = text.rpartition("# total ")
    total, _, body = body.partition("\n")
    coded, counts, tags = (part.split("\n") for part in body.strip("\n").split("\n\n"))
    words: list[str] = []
    append = words.append
    previous = ""
    for line in coded:
        previous = previous[: _HEX[line[0]]] + line[1:]
        append(previous)
    return WordSegmenter(words, counts, tags, int(total))


_HEX = {f"{value:x}": value for value in range(16)}
