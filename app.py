"""xling dashboard: widgets -> Settings -> one pipeline call -> render.

Run with ``streamlit run app.py`` (``make demo``). Streamlit caching lives here only: the model
(``st.cache_resource``) and the prepared documents with their vectors, keyed by the texts, the
model and the level; moving a threshold or a filter only calls ``xling.realign``. What each
section shows is built by ``xling.dashboard`` (pure functions, tested without a browser).
"""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import streamlit as st

import xling
from xling import pipeline
from app_workbench import (  # the workbench's sections: side by side, corrections, workspace, N-article table
    Saved,
    apply_workspace,
    open_saved,
    pair_names,
    section_save,
    section_sidebyside,
    section_units,
    sidebar_saved,
    sidebar_workspace,
)  # fmt: skip
from app_report import section_differences, section_overview, section_pairs, section_reading, section_unique
from xling.ui import dashboard as view
from xling.checks.artifacts import find_artifacts
from xling.embed import DEFAULT_MODEL, available_models
from xling.stories.view import StoryFolder, open_folder
from xling.types import LEVELS, PROFILES
from xling.ui import confidence as conf

ROOT = Path(__file__).resolve().parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SOURCES = ("Seed articles", "Upload files", "Paste text", "Saved comparison", "Stories folder")
STORIES_PARAM = "stories"  # ?stories=OUT_DIR opens the output folder of xling stories
OTHER_MODEL = "other"
PROFILE_HELP = ("Calibration: 'translation' for translations of one text (strict bars), 'comparable' for independent "
                "reports of one event (shared facts count), 'auto' chooses per pair from how many passages have a clear counterpart.")
PROFILE_WORDS = {"translation": "translations of one text", "comparable": "independent reports of one event"}
THRESHOLD_RANGE = (1.0, 1.25)  # margin scores: 1.0 means "no more alike than its neighbours"
MAX_PREPARED = 8  # inputs whose vectors stay in memory (the disk cache keeps every vector anyway)
UPLOAD_TYPES = ["txt", "md", "html", "htm", "pdf", "docx"]
STRICTNESS_HELP = ("How sure the aligner must be before it links two passages. Stricter: fewer, surer links; looser: more links, "
                   "some of them doubtful. The numbers behind it are under 'The numbers'.")  # fmt: skip


# ---------------------------------------------------------------- cached steps


@st.cache_resource(show_spinner="Loading the model (first time only)…", max_entries=3)
def load_embedder(model: str) -> xling.embed.Embedder:
    """The embedder with its weights loaded now, so the spinner covers the wait and a bad name fails here."""
    embedder = xling.get_embedder(model)
    for member in getattr(embedder, "members", [embedder]):  # an ensemble caches per member
        getattr(member, "inner", member).encode(["warm-up"])  # the bare model: the warm-up text stays out of the disk cache
    return embedder


@st.cache_resource
def prepared_cache() -> pipeline.PreparedCache:
    """Prepared documents (segments and vectors) of the last few inputs, shared by every session.

    A cache object rather than a cached function because preparing must run outside cached
    functions for its ``progress`` callback to drive a progress bar.
    """
    return pipeline.PreparedCache(MAX_PREPARED)


# ---------------------------------------------------------------- sidebar


def sidebar_documents(bar, workspace_path: str) -> list[view.Upload] | Saved | None:
    """What the user chose to compare: the seeds, uploads, pasted texts or a saved comparison; None while nothing is given."""
    bar.header("Documents")
    opened = st.query_params.get(STORIES_PARAM, "")
    source = bar.radio("Compare", SOURCES, key="source", horizontal=True, label_visibility="collapsed", index=4 if opened else 0)
    if source == SOURCES[3]:
        return sidebar_saved(bar, workspace_path)
    if source == SOURCES[4]:
        return sidebar_story(opened)
    if source == SOURCES[0]:
        return [view.Upload(p.name, p.read_bytes(), bar.text_input(f"Name of {view.letter(i)}", p.stem, key=f"seed-name-{i}"))
                for i, p in enumerate(SEEDS)]  # fmt: skip
    if source == SOURCES[1]:
        files = bar.file_uploader(f"Two or more articles (.txt, .md, .html, .pdf, .docx; up to {view.MAX_UPLOAD_MB} MB each)",
                                  type=UPLOAD_TYPES, accept_multiple_files=True, key=uploads_key(),
                                  help="The files chosen here are the ones compared: remove one with its ✕; "
                                  "choosing more adds them to these.")  # fmt: skip
        if files:
            bar.caption(f"{len(files)} file{'s' if len(files) != 1 else ''} chosen.")
            bar.button("Remove every file", key="uploads-clear", on_click=clear_uploads)
        urls = [u.strip() for u in bar.text_area("…or web addresses, one per line", key="urls", height=68,
                                                  placeholder="https://www.example.org/news/article.html").splitlines() if u.strip()]  # fmt: skip
        items = [view.Upload(f.name, f.getvalue(), bar.text_input(f"Name for {view.md(f.name)}", Path(f.name).stem, key=f"upload-name-{i}"))
                 for i, f in enumerate(files or [])] + [fetched(url) for url in urls]  # fmt: skip
        if len(items) > view.MAX_DOCUMENTS:
            st.warning(f"Comparing the first {view.MAX_DOCUMENTS} documents: every pair is aligned, so more would be slow.")
        return items[: view.MAX_DOCUMENTS] or None
    items = []
    for i in range(int(bar.number_input("How many texts", min_value=2, max_value=view.MAX_DOCUMENTS, value=2, key="paste-count"))):
        name = bar.text_input(f"Name of {view.letter(i)}", f"Text {view.letter(i)}", key=f"paste-name-{i}")
        text = bar.text_area(f"Text {view.letter(i)}", key=f"paste-text-{i}", height=130, placeholder="Paste an article here")
        items.append(view.Upload(f"Text {view.letter(i)}", text, name))
    return items if any(item.data for item in items) else None


def uploads_key() -> str:
    """The uploader's key: a new one empties it (Streamlit offers no other way to drop every file at once)."""
    generation = st.session_state.get("uploads-generation", 0)
    return "uploads" if not generation else f"uploads-{generation}"


def clear_uploads() -> None:
    st.session_state["uploads-generation"] = st.session_state.get("uploads-generation", 0) + 1


@st.cache_data(show_spinner="Fetching the page…", ttl=3600, max_entries=32)
def fetched(url: str) -> view.Upload:
    """The page at ``url`` as an upload (fetched once an hour at most); a page that cannot be had becomes its error."""
    return view.fetch_upload(url)


@st.cache_data(show_spinner=False, max_entries=4)
def open_story_folder(path: str, stamp: float) -> StoryFolder:
    """The folder's stories, read again when its files change (``stamp``: their modification time)."""
    return open_folder(path)


def sidebar_story(opened: str) -> list[view.Upload] | None:
    """A story of an output folder of ``xling stories``: its documents go to the same views as any others."""
    bar = st.sidebar
    path = bar.text_input("Output folder of xling stories", opened, key="stories-dir", placeholder="out/").strip()
    if not path:
        st.info("Give the output folder of `xling stories` in the sidebar (or open the page with `?stories=FOLDER`).")
        st.stop()
    try:
        files = [Path(path) / name for name in ("stories.csv", "story_summary.csv")]
        folder = open_story_folder(path, max((f.stat().st_mtime for f in files if f.is_file()), default=0.0))
    except (OSError, xling.XlingError) as exc:
        st.error(f"**{view.md(path)}**: {view.md(exc.strerror if isinstance(exc, OSError) else exc)}")
        st.stop()
    ids = folder.stories(min_documents=2)
    if not ids:
        st.info(f"No story in {view.md(path)} has two or more documents: each document stands alone.")
        st.stop()
    story = bar.selectbox(f"Story ({len(ids)} with two or more documents)", ids, format_func=folder.label, key="story")
    with st.expander(f"Stories in {view.md(path)}: {len(folder.summary)} (pick one in the sidebar)"):
        st.dataframe(folder.overview(), hide_index=True, width="stretch")
    members = folder.members(story)
    if len(members) > view.MAX_DOCUMENTS:
        st.warning(f"Comparing the first {view.MAX_DOCUMENTS} of the story's {len(members)} documents: every pair is aligned.")
    items = []
    for doc, file in members[: view.MAX_DOCUMENTS]:
        try:
            items.append(view.Upload(str(file), file.read_bytes(), doc))
        except OSError as exc:
            st.error(f"**{view.md(doc)}**: {view.md(exc.strerror or exc)}")
    return items


def sidebar_model(bar) -> xling.Settings:
    """Model, level and calibration profile: the settings that do not depend on the documents."""
    bar.header("Settings")
    options = [DEFAULT_MODEL, *(m for m in available_models() if m != DEFAULT_MODEL), OTHER_MODEL]
    choice = bar.selectbox("Model", options, format_func=lambda m: view.model_label(m, other=OTHER_MODEL), key="model")
    model = choice
    if choice == OTHER_MODEL:
        model = bar.text_input("Model name or local path", key="model-other", placeholder="sentence-transformers/LaBSE").strip()
        model = model or DEFAULT_MODEL
    level = bar.radio("Compare by", LEVELS, horizontal=True, key="level")
    profile = bar.radio("Profile", PROFILES, horizontal=True, key="profile", help=PROFILE_HELP)
    repair = bar.checkbox("Split glued words before encoding", key="repair",
                                 help="'Putinthe' is read as 'Putin the' by the model; the texts and offsets shown stay the original's.")  # fmt: skip
    return xling.Settings(model=model, level=level, profile=profile, repair=repair)


def sidebar_thresholds(bar, calibrated: tuple[float, float]) -> tuple[float, float]:
    """The link and match thresholds: a "stricter <-> looser" step from the calibrated values, the numbers one click away.

    The sliders' keys follow the calibrated values and the step, so a new pair, model or step starts them afresh.
    """
    steps = list(reversed(conf.STRICTNESS))  # stricter on the left, as the label reads
    step = bar.select_slider("Stricter ↔ looser", steps, value="as calibrated", key="strictness", help=STRICTNESS_HELP)
    chosen = conf.thresholds_for(step, calibrated)
    link, match = calibrated
    low, high = THRESHOLD_RANGE[0], max(THRESHOLD_RANGE[1], match + 0.1, chosen.match_threshold + 0.01)  # room above any model's values
    with bar.expander("The numbers"):
        threshold = st.slider(
            "Link threshold", low, high, value=chosen.threshold, step=view.THRESHOLD_STEP, format="%.3f", key=f"threshold-{link}-{step}",
            help="Minimum margin score for two passages to be linked: how far the pair stands out from what each passage "
            f"resembles anyway. Higher = stricter = fewer links. Calibrated: {link:.3f}.",
        )  # fmt: skip
        match_threshold = st.slider(
            "Match threshold", low, high, value=chosen.match_threshold, step=view.THRESHOLD_STEP, format="%.3f", key=f"match-{match}-{step}",
            help=f"From this score a link is a match (the same content); below it, partial (related). Calibrated: {match:.3f}.",
        )  # fmt: skip
        st.caption("Confidence of a link: high from the match threshold up, medium in the upper half between the two, low below.")
    return threshold, match_threshold


# ---------------------------------------------------------------- loading and comparing


def load_documents(items: list[view.Upload] | None) -> list[xling.Document]:
    """Documents from the sidebar; each bad one is named in an error and the good ones go on."""
    if items is None:
        st.info("Upload two or more articles, or paste their texts, in the sidebar.")
        st.stop()
    documents, errors = view.load_inputs(items)
    for error in errors:
        st.error(f"**{view.md(error.source)}**: {view.md(error.problem)}")
    for duplicate in xling.near_duplicates(documents):
        st.warning(view.md(duplicate.message()))
    for document in documents:
        for warning in document.warnings:
            st.warning(f"**{view.md(document.source)}**: {view.md(warning)}")
    problem = view.too_few(documents)
    if problem:
        st.error(view.md(problem))
        st.stop()
    return documents


def load_model(model: str) -> xling.embed.Embedder:
    try:
        return load_embedder(model)
    except xling.XlingError as exc:
        st.error(f"**Model {view.md(model)}**: {view.md(exc)}")
    except Exception as exc:  # a typed-in model can fail in many ways; the page says so, not a traceback
        st.error(f"**Model {view.md(model)}** cannot be loaded: {type(exc).__name__}: {view.md(exc)}")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def prepare(documents: list[xling.Document], embedder: xling.embed.Embedder, settings: xling.Settings) -> list[xling.Prepared]:
    """Segments and vectors, from the cache for texts prepared before, else with a progress bar; a document that
    cannot be used is named in an error and the others go on."""
    bars: list = []  # made at the first call: an input found in the cache shows no bar
    chars = sum(len(d.text) for d in documents)

    def progress(stage: str, share: float) -> None:
        if not bars:
            bars.append(st.progress(0.0))
        bars[0].progress(max(share, 0.1), text=f"{stage.capitalize()} {chars:,} characters with {view.md(settings.model)}…")

    try:
        done = pipeline.prepare_each(documents, embedder, settings, cache=prepared_cache(), progress=progress)
    except xling.XlingError as exc:  # the encoder's: no document is to blame
        st.error(view.md(exc))
        st.stop()
    for problem in done.problems.values():
        st.error(view.md(problem))
    for shown in bars:
        shown.empty()
    problem = view.too_few([p.document for p in done.prepared])
    if problem:
        st.error(view.md(problem))
        st.stop()
    return list(done.prepared)


def align(prepared: list[xling.Prepared], base: xling.Settings, bar) -> xling.Comparison:
    """One alignment, with the sliders' thresholds; they start from those the first pair's calibration resolves to."""
    started = time.perf_counter()
    params = pipeline.resolve_pair(prepared[0], prepared[1], base)
    calibrated = (params.threshold, params.match_threshold)
    note_recalibration(calibrated, prepared, base)
    settings = view.settings_for(base, *sidebar_thresholds(bar, calibrated), calibrated)
    comparison = pipeline.run(prepared, None, settings).comparison()
    profiles = sorted({p.profile for p in comparison.pairs})
    kinds = " and ".join(PROFILE_WORDS.get(p, p) for p in profiles)
    bar.caption(f"Aligned in {(time.perf_counter() - started) * 1000:.0f} ms, read as {kinds}.",
                help=f"Encoder: {view.md(comparison.model_id)}. Calibration profile: {', '.join(profiles)}.")  # fmt: skip
    return comparison


def note_recalibration(calibrated: tuple[float, float], prepared: list[xling.Prepared], base: xling.Settings) -> None:
    """Say so when the calibrated thresholds moved by themselves since the last run: other documents, model or profile."""
    inputs = (tuple(p.name for p in prepared), base.model, base.profile, base.level)
    before = st.session_state.get("calibrated")
    if before is not None and before[0] != inputs:
        why = "other documents" if before[0][0] != inputs[0] else "another model" if before[0][1] != inputs[1] else \
            "another profile" if before[0][2] != inputs[2] else "another level"  # fmt: skip
        note = conf.changed_note(before[1], calibrated, why)
        if note:
            st.session_state["recalibrated"] = note
    st.session_state["calibrated"] = (inputs, calibrated)
    if st.session_state.get("recalibrated"):
        st.info(view.md(st.session_state["recalibrated"]), icon="ℹ️")


# ---------------------------------------------------------------- sections


def section_header() -> None:
    st.markdown(view.CSS, unsafe_allow_html=True)
    st.title("What the articles share, and what each says alone")
    st.markdown(
        '<div class="xl-lead">xling splits each article into sentences and links those that say the same thing, across '
        f"languages: {view.badge('match')} in both, {view.badge('partial')} related, {view.badge('unique')} in one article only.</div>",
        unsafe_allow_html=True,
    )
    if st.session_state.get("source", SOURCES[0]) == SOURCES[0]:
        st.caption("Opened on the seed articles: English translations of an Italian (A) and a Spanish (B) report of the Xi–Putin "
                   "meeting in Beijing, October 2023. Compare your own in the sidebar.")  # fmt: skip


def focus_pair(comparison: xling.Comparison) -> xling.PairResult:
    """The pair the metrics and the heatmap describe; a choice only with three or more documents."""
    if len(comparison.pairs) == 1:
        return comparison.pairs[0]
    index = st.selectbox("Pair in focus (the tiles, the side-by-side view and the corrections)", range(len(comparison.pairs)), key="focus-pair",
                         format_func=lambda i: " and ".join(pair_names(comparison, comparison.pairs[i])))  # fmt: skip
    return comparison.pairs[index]


def section_metrics(comparison: xling.Comparison, pair: xling.PairResult) -> None:
    counts = view.pair_counts(pair)
    la, lb = (view.letter(i) for i in comparison.ends(pair))
    two = len(comparison.documents) == 2
    tiles = [
        ("match", "Shared passages", counts.links, f"{counts.match} match, {counts.partial} partial links"),
        ("unique", f"Only in {la}" if two else f"In {la}, not in {lb}", counts.only_a, f"of {counts.segments_a} passages of {la}"),
        ("unique", f"Only in {lb}" if two else f"In {lb}, not in {la}", counts.only_b, f"of {counts.segments_b} passages of {lb}"),
        ("neutral", f"{la} covered by {lb}", f"{counts.coverage_a:.0%}", f"of {la}'s text is also in {lb}"),
        ("neutral", f"{lb} covered by {la}", f"{counts.coverage_b:.0%}", f"of {lb}'s text is also in {la}"),
    ]
    for column, (status, label, value, note) in zip(st.columns(len(tiles)), tiles):
        with column.container(border=True, key=f"xl-metric-{status}-{label.replace(' ', '-')}"):
            st.metric(label, value)
            st.caption(note)


def section_documents(comparison: xling.Comparison) -> None:
    summary = view.document_summary(comparison).to_dict("records")
    columns = st.columns(min(len(summary), 4))
    for index, row in enumerate(summary):
        columns[index % len(columns)].markdown(view.document_card_html(row, view.kind_shares(comparison, index)), unsafe_allow_html=True)


def artifact_marks(document: xling.Document) -> list[view.Mark]:
    """The document's translation artifacts (glued words, untranslated fragments) as marks for the page."""
    return _artifact_marks(document.text, document.lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _artifact_marks(text: str, lang: str) -> list[view.Mark]:
    return [(a.start, a.end, a.message()) for a in find_artifacts(xling.Document(name="", text=text, lang=lang))]


# ---------------------------------------------------------------- page


def main() -> None:
    st.set_page_config(page_title="xling · what articles share", page_icon="🔗", layout="wide")
    section_header()
    docs_box, settings_box, workspace_box = st.sidebar.container(), st.sidebar.container(), st.sidebar.container()
    path, author = sidebar_workspace(workspace_box)
    items = sidebar_documents(docs_box, path)
    base = sidebar_model(settings_box)
    if isinstance(items, Saved):
        loaded = open_saved(items)
        base = replace(base, level=loaded.settings.level, repair=loaded.settings.repair)  # its vectors were made so
        prepared = list(loaded.documents)
        settings_box.caption(f"Reopened from {view.md(items.path)}: no model loaded, nothing encoded again.")
    else:
        if items is None and st.session_state.get("source") == SOURCES[3]:
            st.stop()
        embedder = load_model(base.model)
        documents = load_documents(items)
        prepared = prepare(documents, embedder, base)
    original = align(prepared, base, settings_box)
    section_save(workspace_box, original, path, author, saved=isinstance(items, Saved))
    comparison, table = apply_workspace(original, path)
    pair = focus_pair(comparison)
    section_metrics(comparison, pair)
    section_documents(comparison)
    sections = {
        "Side by side": lambda: section_sidebyside(comparison, table, pair, path, author),
        "Linked pairs": lambda: section_pairs(comparison, table),
        "All articles, unit by unit": lambda: section_units(comparison),
        "Only in one article": lambda: section_unique(comparison),
        f"Where they differ ({int(view.has_discrepancies(table, comparison).sum())})": lambda: section_differences(comparison, table, artifact_marks),
        "Reading view": lambda: section_reading(comparison, artifact_marks),
        "Charts": lambda: section_overview(comparison, pair),
    }
    # Only the open tab runs: a threshold change redraws one section, not every chart and full text.
    for tab, draw in zip(st.tabs(list(sections), key="tab", on_change="rerun"), sections.values()):
        if tab.open:
            with tab:
                draw()


main()
