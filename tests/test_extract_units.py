"""The pieces `drafter extract` is built from: located text, series numbers, the speech frame."""

from __future__ import annotations

from pathlib import Path

from drafter.cn.ordinals import marker_at
from drafter.extract.frame import read_frame
from drafter.extract.reading import Para, read_speech
from drafter.extract.series import split_series
from drafter.extract.spans import Span, sentences, split_phrases

from .conftest import MODEL_ORIGINAL


def span(text: str, start: int = 0) -> Span:
    return Span(text, tuple(range(start, start + len(text))))


def test_a_span_keeps_the_file_offset_of_every_character() -> None:
    joined = span("按照要求，", 10) + span("今天召开会议。", 40)
    assert joined[5:7].text == "今天" and joined[5:7].origins == (40, 41)
    assert joined.strip("，。").origins[-1] == 45


def test_sentences_keep_quotes_whole() -> None:
    text = "他强调：“要抓好党建。”二是抓落实。积极参加“学习。强国”活动。"
    assert [s.text for s in sentences(span(text))] == [
        "他强调：“要抓好党建。”",
        "二是抓落实。",
        "积极参加“学习。强国”活动。",
    ]


def test_phrases_split_on_commas_outside_quotes() -> None:
    text = "大家准备得很充分，在“融合，规范”中成效明显，体现了责任感"
    assert [p.text for p in split_phrases(span(text))] == [
        "大家准备得很充分",
        "在“融合，规范”中成效明显",
        "体现了责任感",
    ]


def test_series_markers_of_each_kind() -> None:
    assert marker_at("一是党建责任落实到位。").number == 1
    assert marker_at("二要加强学习。").suffix == "要"
    assert marker_at("第三，警示教育扎实开展。").number == 3
    assert marker_at("首先，阵地管理更加规范。").kind == "word"
    assert marker_at("最后，队伍建设更加有力。").number is None
    assert marker_at("统一是前提。") is None


def test_a_series_is_cut_only_where_its_numbers_run_on() -> None:
    text = span("一是抓学习。做到一是一、二是二。二是抓落实。四是抓考核。三是抓作风。")
    first = marker_at(text.text)
    assert first is not None
    items = [item.text for _, item in split_series(text, first, 0)]
    assert items == ["抓学习。做到一是一、二是二。", "抓落实。四是抓考核。", "抓作风。"]


def test_frame_finds_title_byline_salutation_and_thanks() -> None:
    lines = [
        "在某会议上的点评讲话",
        "王建平",
        "（2026年1月20日）",
        "同志们：",
        "正文。",
        "谢谢大家！",
    ]
    frame = read_frame([Para(span(line)) for line in lines])
    assert frame.title is not None and frame.title.text == "在某会议上的点评讲话"
    assert frame.speaker is not None and frame.speaker.text == "王建平"
    assert frame.date == "2026-01-20"
    assert frame.salutation is not None and frame.salutation.text == "同志们"
    assert [p.text for p in frame.body] == ["正文。"]
    assert frame.thanks is not None and frame.thanks.text == "谢谢大家！"


def test_cleaned_text_remembers_where_it_was_in_the_scraped_file() -> None:
    speech = read_speech(Path(MODEL_ORIGINAL))
    title = speech.paras[0]
    assert title.text == "在基层党组织书记抓基层党建工作述职评议会议上的点评讲话"
    at = title.text.index("记")  # 書(shū)記: the pinyin between the two is gone
    assert speech.position(title.span.origins[at]) == (1, 13)
    assert [p.text.split("：")[0] for p in speech.chrome] == [
        "发布时间",
        "相关热词搜索",
        "热点文章阅读",
    ]
