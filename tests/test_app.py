"""The dashboard driven in-process with Streamlit's AppTest, on the seeds, with the real default model."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module

import xling
from xling import pipeline, preparation
from xling.ui import dashboard
from xling.cli import main as cli_main

pytestmark = pytest.mark.slow
APP = str(Path(__file__).resolve().parent.parent / "app.py")
TIMEOUT_S = 60  # the first run loads the model and encodes the seeds
THRESHOLD_FLOOR = 1.0  # the slider's lowest value: the loosest alignment
ALL_STATUSES = ("match", "partial", "unique_a", "unique_b")


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media store, remembered so a test can read what a download button serves."""

    instances: ClassVar[list[RecordingStorage]] = []

    def __init__(self, media_endpoint: str) -> None:
        super().__init__(media_endpoint)
        RecordingStorage.instances.append(self)


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list[RecordingStorage]:
    RecordingStorage.instances = []
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    return RecordingStorage.instances


def download(at: AppTest, media: list[RecordingStorage], fmt: str) -> bytes:
    url = next(b.proto.url for b in at.get("download_button") if b.proto.url.endswith(f".{fmt}") or b.label.endswith(fmt.upper()))
    return media[-1].get_file(url.rsplit("/", 1)[-1]).content


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def shown(source: str) -> str:
    """What a reader sees of a Markdown body: user strings in it are escaped (``blank\\.txt`` shows ``blank.txt``)."""
    from markdown_it import MarkdownIt

    return html.unescape(re.sub(r"<[^>]+>", "", MarkdownIt("commonmark").render(source))).strip()


def page_text(at: AppTest) -> str:
    """The page's Markdown and the side-by-side frame's HTML."""
    return "\n".join([*(m.value for m in at.markdown), *(f.proto.srcdoc for f in at.get("iframe"))])


def card_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def open_tab(at: AppTest, label: str) -> None:
    """Tabs are lazy (only the open one runs); this is a click on one."""
    at.session_state["tab"] = label
    at.run()
    assert not at.exception, at.exception


def threshold_slider(at: AppTest):
    return next(s for s in at.sidebar.slider if s.label == "Link threshold")


@pytest.fixture(autouse=True)
def _own_workspace(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page's default workspace file is a fresh one per test, never one in the working directory."""
    monkeypatch.setenv("XLING_WORKSPACE", str(tmp_path_factory.mktemp("ws") / "team.db"))


@pytest.fixture(scope="module")
def seeds_page() -> AppTest:
    return run_app()


def test_page_opens_on_the_seeds_with_metrics_pairs_and_unique_passages(seeds_page):
    at = seeds_page
    assert not at.error
    assert int(metric(at, "Shared passages")) > 5
    assert int(metric(at, "Only in A")) > 0 and int(metric(at, "Only in B")) > 0
    assert metric(at, "A covered by B").endswith("%")
    assert "old friend" in page_text(at)  # a linked pair, side by side
    open_tab(at, "Only in one article")
    assert "International Criminal Court" in page_text(at)  # a passage only B has
    assert "Only in A" in page_text(at) and "Only in B" in page_text(at)


def test_threshold_changes_counts_in_the_right_direction_without_re_encoding(monkeypatch):
    calls = []
    real_encode = preparation._encoded  # where every preparation encodes
    monkeypatch.setattr(preparation, "_encoded", lambda *a, **k: calls.append(1) or real_encode(*a, **k))
    import streamlit as st

    st.cache_resource.clear()  # the seeds' vectors may be in the page's cache already: this page must make them
    at = run_app()
    slider = threshold_slider(at)
    start, before = slider.value, int(metric(at, "Shared passages"))
    encodes = len(calls)
    assert encodes == 1, "the first run prepares (encodes) the seeds, once"
    slider.set_value(round(start + 0.03, 3)).run()
    stricter = int(metric(at, "Shared passages"))
    threshold_slider(at).set_value(THRESHOLD_FLOOR).run()
    looser = int(metric(at, "Shared passages"))
    assert stricter <= before <= looser
    assert stricter < looser
    assert len(calls) == encodes, "a threshold change must not prepare (encode) again"  # its speed: benchmarks/dashboard_bench.py



def test_csv_download_is_what_the_cli_writes(media, seed_paths, tmp_path):
    at = run_app()
    open_tab(at, "Linked pairs")
    at.button_group(key="filter-status").set_value(list(ALL_STATUSES)).run()  # no filter: every row, as the CLI writes
    out = tmp_path / "cli.csv"
    assert cli_main(["align", *map(str, seed_paths), "-o", str(out), "-q"]) == 0
    assert download(at, media, "csv") == out.read_bytes()


def test_downloads_hold_exactly_the_filtered_rows(media):
    at = run_app()
    open_tab(at, "Linked pairs")
    at.button_group(key="filter-status").set_value(["match"]).run()
    rows = pd.read_csv(io.BytesIO(download(at, media, "csv")))
    assert set(rows.status) == {"match"}
    shown = card_text(at).count('class="xl-card')
    assert len(rows) == shown
    parquet = pd.read_parquet(io.BytesIO(download(at, media, "parquet")))
    assert parquet.a_text.tolist() == rows.a_text.tolist()
    assert [r["status"] for r in pd.read_json(io.BytesIO(download(at, media, "json"))).to_dict("records")] == ["match"] * len(rows)


def test_bad_uploads_are_named_and_the_good_ones_compared(seed_paths):
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    good = [(p.name, p.read_bytes(), "text/plain") for p in seed_paths]
    at.sidebar.file_uploader(key="uploads").set_value([*good, ("blank.txt", b"  \n", "text/plain"),
                                                        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "text/plain")]).run()  # fmt: skip
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any("blank.txt" in e and "empty" in e for e in errors)
    assert any("photo.txt" in e and "binary" in e for e in errors)
    assert int(metric(at, "Shared passages")) > 0  # the two good files are still compared


def test_a_single_document_gets_a_clear_message(seed_paths):
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    at.sidebar.file_uploader(key="uploads").set_value((seed_paths[0].name, seed_paths[0].read_bytes(), "text/plain")).run()
    assert not at.exception
    assert any("two or more documents" in e.value for e in at.error)
    assert not at.metric


def test_pasted_text_with_an_empty_one_names_it():
    at = run_app()
    at.sidebar.radio(key="source").set_value("Paste text").run()
    at.sidebar.text_area(key="paste-text-0").input("Rome hosted the summit on Monday. Leaders agreed on a new trade pact.").run()
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert any("Text B" in e and "empty" in e for e in errors)
    assert any("two or more documents" in e for e in errors)


def test_selecting_a_passage_shows_its_counterparts(seeds_page):
    at = seeds_page
    open_tab(at, "Reading view")
    box = at.selectbox(key="read-passage")
    index = next(i for i, option in enumerate(box.options) if "old friend" in option)
    box.select_index(index).run()
    assert not at.exception
    assert "cos 0." in page_text(at)  # the counterpart cards carry the cosine
    assert "xl-sel" in page_text(at)  # and the selected passage is outlined in the text


def test_an_unknown_model_is_an_error_on_the_page_not_a_traceback(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    at = run_app()
    at.sidebar.selectbox(key="model").set_value("other").run()
    at.sidebar.text_input(key="model-other").input("no-such-model-anywhere").run()
    assert not at.exception
    assert any("no-such-model-anywhere" in shown(e.value) for e in at.error)
    at.sidebar.selectbox(key="model").set_value("e5-small").run()  # and the page recovers
    assert not at.error and int(metric(at, "Shared passages")) > 0


def test_paragraph_level_compares_paragraphs():
    def passages_of_a(at: AppTest) -> int:
        return int(next(c.value for c in at.caption if c.value.endswith("passages of A")).split()[1])  # "of 31 passages of A"

    at = run_app()
    sentences = passages_of_a(at)
    at.sidebar.radio(key="level").set_value("paragraph").run()
    assert not at.exception and not at.error
    assert passages_of_a(at) < sentences  # fewer, longer passages


def test_where_they_differ_shows_the_trade_figure_and_the_translation_artifacts(seeds_page):
    at = seeds_page
    label = next(t.label for t in at.tabs if t.label.startswith("Where they differ"))
    open_tab(at, label)
    text = page_text(at)
    assert "money: 190 billion USD vs 200 billion USD" in text  # A's figure beside B's closest passage
    assert "&#x27;Putinthe&#x27; -&gt; &#x27;Putin the&#x27;" in text and "Spanish leftover" in text
    open_tab(at, "Reading view")
    assert 'class="xl-mark"' in page_text(at)  # artifacts underlined in the full text


def test_web_addresses_and_a_pdf_upload_are_compared_and_offered_as_xlsx_and_tmx(media):
    """A page fetched from a local server (127.0.0.1 only) beside an uploaded PDF; the downloads offer every format."""
    import http.server
    import threading

    fixtures = Path(__file__).resolve().parent / "fixtures"
    page = (fixtures / "page_it.html").read_bytes()

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        at = run_app()
        at.sidebar.radio(key="source").set_value("Upload files").run()
        at.sidebar.file_uploader(key="uploads").set_value(("page_es.pdf", (fixtures / "page_es.pdf").read_bytes(), "application/pdf"))
        at.sidebar.text_area(key="urls").input(f"http://127.0.0.1:{server.server_address[1]}/esteri/warren\nnot-an-address").run()
    finally:
        server.shutdown()
        server.server_close()
    assert not at.exception
    assert any("not-an-address" in shown(e.value) and "not a web address" in shown(e.value) for e in at.error)
    assert "Corriere Adriatico Online" in page_text(at)  # the outlet on the page's card
    assert int(metric(at, "Shared passages")) >= 12
    open_tab(at, "Linked pairs")
    workbook = pd.read_excel(io.BytesIO(download(at, media, "xlsx")), sheet_name=None)
    assert set(workbook) == {"alignment", "coverage"} and len(workbook["coverage"]) == 2
    assert download(at, media, "tmx").count(b"<tu ") >= 12


def rendered_strings(at: AppTest) -> list[tuple[str, bool]]:
    """Every string the page renders as Markdown, with whether raw HTML is allowed in it: bodies and widget labels."""
    out = [(m.value, bool(getattr(m, "allow_html", False))) for m in [*at.markdown, *at.caption]]
    out += [(e.value, False) for e in [*at.error, *at.warning, *at.info]]
    out += [(w.label, False) for kind in ("text_input", "selectbox", "multiselect", "radio", "slider", "checkbox") for w in at.get(kind)]
    out += [(w.label, False) for kind in ("text_input", "selectbox", "radio", "slider", "checkbox") for w in getattr(at.sidebar, kind)]
    return out


def test_markdown_in_file_names_and_names_renders_as_text(seed_paths):
    from markdown_it import MarkdownIt

    hostile = ["**x**", "[l](http:\\\\host)", "![p](http:example.invalid)"]
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    at.sidebar.file_uploader(key="uploads").set_value([
        (f"{hostile[0]}.txt", seed_paths[0].read_bytes(), "text/plain"),
        (f"{hostile[1]}.txt", seed_paths[1].read_bytes(), "text/plain"),
        (f"{hostile[2]}.txt", b"  \n", "text/plain"),  # empty: named in the error box
    ]).run()  # fmt: skip
    named = "![p](http://example.invalid/p.png)"  # a name typed in the sidebar may hold slashes
    at.sidebar.text_input(key="upload-name-0").input(named).run()
    assert not at.exception
    seen: list[tuple[str, bool]] = []
    for tab in ("Only in one article", "Reading view", next(t.label for t in at.tabs if t.label.startswith("Where they differ"))):
        open_tab(at, tab)
        seen += rendered_strings(at)
    shown = []
    for source, allow_html in seen:
        html_out = MarkdownIt("commonmark", {"html": allow_html}).render(source)
        assert "<img" not in html_out and "<a " not in html_out, source
        shown.append(re.sub(r"<[^>]+>", "", html_out))
    page = html.unescape("\n".join(shown))
    for text in (named, hostile[1], f"{hostile[0]}.txt", f"{hostile[1]}.txt", f"{hostile[2]}.txt"):
        assert text in page, f"{text!r} is not shown as typed"


def test_the_same_article_twice_is_warned_with_its_names_shown_as_typed(seed_paths):
    """The near-duplicate warning names the documents; Markdown in their names stays text."""
    from markdown_it import MarkdownIt

    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    data = seed_paths[0].read_bytes()
    at.sidebar.file_uploader(key="uploads").set_value([("**x**.txt", data, "text/plain"), ("[l](http:example.invalid).txt", data, "text/plain")]).run()
    assert not at.exception
    warnings = [w.value for w in at.warning if "look like the same article" in w.value]
    assert len(warnings) == 1
    rendered = MarkdownIt("commonmark").render(warnings[0])
    assert "<strong>" not in rendered and "<a " not in rendered
    assert shown(warnings[0]).startswith("**x** and [l](http:example.invalid) look like the same article")


# ---------------------------------------------------------------- the workbench


def frame(at: AppTest) -> str:
    return at.get("iframe")[0].proto.srcdoc


def test_the_side_by_side_view_shows_each_passage_once_in_document_order(seeds_page):
    at = seeds_page
    open_tab(at, "Side by side")
    html_doc = frame(at)
    for side, count in (("a", 31), ("b", 12)):
        ids = re.findall(rf'id="{side}(\d+)"', html_doc)
        assert sorted(map(int, ids)) == list(range(count)), f"every passage of {side} once"  # B#4 of a one-to-many bead too
    assert "moved" in html_doc and "nothing here in" in html_doc and "closest in" in html_doc
    assert "confidence" in html_doc and "next difference" in html_doc
    assert "$190 billion" in html_doc  # a difference, marked in the text
    assert html.unescape(html_doc).index("old friend") > 0


def pick(box, needle: str) -> int:
    return next(i for i, option in enumerate(box.options) if needle in option)


def test_a_link_rejected_on_the_page_is_human_in_the_cli_csv(seed_paths, tmp_path):
    """The issue's flow: a reader fixes a wrong link in the dashboard, then `xling align --workspace` shows it as human."""
    db = tmp_path / "team.db"
    at = run_app()
    at.sidebar.text_input(key="workspace-path").input(str(db)).run()
    at.sidebar.text_input(key="author").input("ana").run()
    box = at.selectbox(key="fix-link")
    box.select_index(0).run()
    link = box.options[0]
    a_index, b_index = (int(x) for x in re.findall(r"#(\d+)", link)[:2])
    at.radio(key="fix-decision").set_value("Reject: they do not say the same thing").run()
    at.text_input(key="fix-note").input("not the same statement").run()
    at.button(key="fix-save").click().run()
    assert not at.exception and not at.error
    assert any("Kept in" in shown(s.value) for s in at.success)
    assert "xs-human" in frame(at)  # the page marks the row a person decided
    listed = at.dataframe[0].value
    assert listed["who"].tolist() == ["ana"] and listed["note"].tolist() == ["not the same statement"]
    out = tmp_path / "out.csv"
    assert cli_main(["align", *map(str, seed_paths), "--workspace", str(db), "-o", str(out), "-q"]) == 0
    rows = pd.read_csv(out)
    linked = rows[rows.status.isin(["match", "partial"])]
    assert not ((linked.a_index == a_index) & (linked.b_index == b_index)).any(), "the rejected link is gone"
    assert (rows.source == "human").any()


def test_a_missing_link_added_on_the_page_is_a_human_link_in_the_cli_csv(seed_paths, tmp_path):
    db = tmp_path / "team.db"
    at = run_app()
    at.sidebar.text_input(key="workspace-path").input(str(db)).run()
    a_box, b_box = at.selectbox(key="add-a"), at.selectbox(key="add-b")
    a = pick(a_box, "only here")
    b = pick(b_box, "only here")
    a_box.select_index(a)
    b_box.select_index(b)
    at.radio(key="add-status").set_value("partly shared (partial)")
    at.button(key="add-save").click().run()
    assert not at.exception and not at.error
    out = tmp_path / "out.csv"
    assert cli_main(["align", *map(str, seed_paths), "--workspace", str(db), "-o", str(out), "-q"]) == 0
    rows = pd.read_csv(out)
    added = rows[(rows.a_index == a) & (rows.b_index == b)]
    assert added.status.tolist() == ["partial"] and added.source.tolist() == ["human"]
    at.selectbox(key="undo-id").select_index(0)
    at.button(key="undo").click().run()  # and an undo takes it back
    assert cli_main(["align", *map(str, seed_paths), "--workspace", str(db), "-o", str(out), "-q"]) == 0
    assert not (pd.read_csv(out).source == "human").any()


def test_a_saved_comparison_reopens_without_a_model_or_encoding(monkeypatch, tmp_path):
    db = tmp_path / "team.db"
    at = run_app()
    at.sidebar.text_input(key="workspace-path").input(str(db)).run()
    before = metric(at, "Shared passages")
    at.sidebar.button(key="save-comparison").click().run()
    assert any("Saved as #1" in shown(s.value) for s in at.sidebar.success)
    calls = []
    monkeypatch.setattr(pipeline, "prepare_each", lambda *a, **k: calls.append("prepare"))
    monkeypatch.setattr(xling, "get_embedder", lambda *a, **k: calls.append("model"))
    at.sidebar.radio(key="source").set_value("Saved comparison").run()
    assert not at.exception and not at.error
    assert metric(at, "Shared passages") == before
    assert calls == [], "reopening loads no model and encodes nothing"
    assert "xs-row" in frame(at)


def test_stricter_and_looser_move_the_counts_and_the_numbers_follow(seeds_page):
    at = seeds_page
    calibrated = threshold_slider(at).value
    middle = int(metric(at, "Shared passages"))
    at.sidebar.select_slider(key="strictness").set_value("much stricter").run()
    stricter = int(metric(at, "Shared passages"))
    assert threshold_slider(at).value > calibrated
    at.sidebar.select_slider(key="strictness").set_value("much looser").run()
    looser = int(metric(at, "Shared passages"))
    assert threshold_slider(at).value < calibrated
    assert stricter <= middle <= looser and stricter < looser
    at.sidebar.select_slider(key="strictness").set_value("as calibrated").run()


def test_thresholds_that_change_by_themselves_are_announced():
    at = run_app()
    at.sidebar.radio(key="profile").set_value("translation").run()  # the seeds' automatic profile is "comparable"
    assert not at.exception
    assert any("changed by themselves" in shown(i.value) for i in at.info)


def test_the_html_report_is_self_contained(media):
    at = run_app()
    report_html = download(at, media, "html").decode("utf-8")
    assert report_html.startswith("<!DOCTYPE html>")
    assert "Only in one article" in report_html and "Where they differ" in report_html and "xs-row" in report_html
    assert not re.search(r'(src|href)="(https?:)?//', report_html), "nothing fetched from elsewhere"
    assert "@media print" in report_html


def test_the_upload_ceiling_lets_an_oversized_file_reach_the_page_and_its_red_message(seed_paths):
    import tomllib

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] > dashboard.MAX_UPLOAD_MB  # else Streamlit greys it out, silently
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    big = b"A sentence about the summit. " * (dashboard.MAX_UPLOAD_BYTES // 29 + 10)
    good = [(p.name, p.read_bytes(), "text/plain") for p in seed_paths]
    at.sidebar.file_uploader(key="uploads").set_value([*good, ("huge.txt", big, "text/plain")]).run()
    assert any("huge.txt" in shown(e.value) and "over the upload limit" in shown(e.value) for e in at.error)
    assert int(metric(at, "Shared passages")) > 0


def test_removing_every_file_is_one_click(seed_paths):
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    at.sidebar.file_uploader(key="uploads").set_value([(p.name, p.read_bytes(), "text/plain") for p in seed_paths]).run()
    assert any(c.value == "2 files chosen." for c in at.sidebar.caption)
    at.sidebar.button(key="uploads-clear").click().run()
    assert not at.exception and not at.metric
    assert any("Upload two or more" in i.value for i in at.info)


def test_three_articles_get_one_column_each_in_the_unit_table(seed_paths):
    at = run_app()
    at.sidebar.radio(key="source").set_value("Upload files").run()
    b = seed_paths[1].read_text(encoding="utf-8")
    third = "\n\n".join(b.split("\n\n")[:3]) + "\n"  # the start of B: a shorter report
    files = [(p.name, p.read_bytes(), "text/plain") for p in seed_paths] + [("short.txt", third.encode(), "text/plain")]
    at.sidebar.file_uploader(key="uploads").set_value(files).run()
    assert not at.exception
    assert len(at.selectbox(key="focus-pair").options) == 3
    assert all(o.count(" · ") == 2 for o in at.selectbox(key="focus-pair").options)  # named, not "A and B"
    open_tab(at, "All articles, unit by unit")
    table = at.dataframe[0].value
    assert [c[:4] for c in table.columns[1:]] == ["A · ", "B · ", "C · "]
    assert (table["in articles"] == 3).any() and (table["in articles"] == 1).any()
    assert ((table.iloc[:, 1:] == "").any(axis=1)).any()  # blank where an article lacks the unit
    open_tab(at, "Only in one article")
    assert "In none of the others, only in A" in page_text(at)
