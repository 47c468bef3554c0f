"""The ``xling`` command: parse, validate, call the pipeline, write. Errors become one line and an exit code."""
from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import XlingError
from .export import FORMATS, format_for
from .io import MAX_FILE_BYTES
from .types import LEVELS, MAX_PAIRS, MAX_SEGMENTS
from .writers import TMX_DEFAULT, TMX_STATUSES

log = logging.getLogger("xling")
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be positive: {value!r}")
    return number


def _add_common(parser: argparse.ArgumentParser) -> None:
    from .embed import DEFAULT_MODEL, available_models

    parser.add_argument("-o", "--output", default="-", help="output file, or - for stdout (default)")
    parser.add_argument("--format", choices=FORMATS, help="table format (default: from the output suffix, else csv)")
    parser.add_argument("--tmx-status", choices=TMX_STATUSES, default=TMX_DEFAULT,
                        help=f"which links a .tmx holds: match only, or match and partial (default {TMX_DEFAULT})")
    parser.add_argument("--model", default=DEFAULT_MODEL,
                        help=f"offline model ({', '.join(available_models())}) or any sentence-transformers name or path "
                             f"(default {DEFAULT_MODEL})")  # fmt: skip
    parser.add_argument("--threshold", type=_positive_float, help="minimum margin score for a link (default: the model's calibrated value)")
    parser.add_argument("--match-threshold", type=_positive_float, help="margin score from which a link is a match, not partial")
    parser.add_argument("--level", choices=LEVELS, default="sentence", help="segment level (default sentence)")
    parser.add_argument("--repair-glued", action="store_true",
                        help="split glued words ('Putinthe') in what the model reads; offsets and texts stay the original's")  # fmt: skip
    parser.add_argument("--max-bytes", type=_positive_int, default=MAX_FILE_BYTES, metavar="N",
                        help=f"refuse document files over N bytes (default {MAX_FILE_BYTES:,})")
    parser.add_argument("--max-segments", type=_positive_int, default=MAX_SEGMENTS, metavar="N",
                        help=f"refuse documents of more than N segments (default {MAX_SEGMENTS:,})")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="also print up to N linked pairs and unique passages per pair")
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary or progress on stderr")
    parser.add_argument("--workspace", metavar="PATH",
                        help="apply the human corrections saved in this workspace; the table gains a source column (model or human)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xling", description="Compare articles across languages, passage by passage.")
    parser.add_argument("--version", action="version", version=f"xling {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    align = sub.add_parser("align", help="align two or more documents and write the table")
    align.add_argument("documents", nargs="+", metavar="DOC",
                       help="text, Markdown, HTML, PDF or .docx files, or http(s):// addresses of web pages")
    _add_common(align)
    align.add_argument("--max-pairs", type=_positive_int, default=MAX_PAIRS, metavar="N",
                       help=f"refuse more than N pairs (every pair of the documents is aligned; default {MAX_PAIRS}; "
                            "xling batch aligns chosen pairs)")  # fmt: skip
    batch = sub.add_parser("batch", help="align the pairs of a manifest, or every pair of each group")
    batch.add_argument("manifest", metavar="MANIFEST|DIR",
                       help="CSV of pairs (pair_id,doc_a,doc_b) or of groups (group_id,doc), paths relative to it; "
                            "or a folder whose sub-folders are groups of .txt/.md/.html/.pdf/.docx files")  # fmt: skip
    _add_common(batch)
    batch.add_argument("--summary", metavar="PATH", help="per-pair summary CSV (default: OUT.summary.csv, named after the output)")
    batch.add_argument("--group-coverage", metavar="PATH",
                       help="per-group coverage CSV, for groups (default: OUT.group_coverage.csv, named after the output)")  # fmt: skip
    batch.add_argument("--resume", action="store_true", help="finish an interrupted run (from OUT.parts/) without redoing finished pairs")
    from .batch.engines import ENGINES

    batch.add_argument("--engine", choices=ENGINES, default="local", help="local: this process (default); dask: a Dask cluster")
    batch.add_argument("--workers", type=_positive_int, metavar="N", help="dask: worker processes of the local cluster (default: one per core)")
    batch.add_argument("--threads-per-worker", type=_positive_int, metavar="N",
                       help="dask: encoder threads per worker (default: cores / workers)")  # fmt: skip
    batch.add_argument("--scheduler", metavar="ADDRESS", help="dask: run on the existing cluster at this address (tcp://HOST:8786)")
    _add_corrections(sub)
    _add_stories(sub)
    inspect = sub.add_parser("inspect", help="show a document's language, segments and translation artifacts")
    inspect.add_argument("document", metavar="FILE", help="a text, Markdown, HTML, PDF or .docx file, or a web address")
    inspect.add_argument("--level", choices=LEVELS, default="sentence", help="segment level (default sentence)")
    inspect.add_argument("--json", action="store_true", help="print JSON instead of text")
    inspect.add_argument("--repair", action="store_true", help="also print the text with its glued words split")
    inspect.add_argument("--max-bytes", type=_positive_int, default=MAX_FILE_BYTES, metavar="N",
                         help=f"refuse files over N bytes (default {MAX_FILE_BYTES:,})")
    inspect.add_argument("--max-segments", type=_positive_int, default=MAX_SEGMENTS, metavar="N",
                         help=f"refuse documents of more than N segments (default {MAX_SEGMENTS:,})")
    return parser


def _add_stories(sub) -> None:
    from .stories.cli import add_parser

    add_parser(sub, _positive_int)


def _add_corrections(sub) -> None:
    from .workspace.corrections import CORRECTION_FORMATS

    corrections = sub.add_parser("corrections", help="share human corrections: export them to a file, import one")
    actions = corrections.add_subparsers(dest="action", required=True, metavar="ACTION")
    where = "workspace file (default: $XLING_WORKSPACE, else data/xling.db)"
    export = actions.add_parser("export", help="write every correction of a workspace to a CSV or JSON file")
    export.add_argument("--workspace", metavar="PATH", help=where)
    export.add_argument("-o", "--output", default="-", help="output file, or - for stdout (default)")
    export.add_argument("--format", choices=CORRECTION_FORMATS, help="csv or json (default: from the output suffix, else csv)")
    imp = actions.add_parser("import", help="add the corrections of a file to a workspace (those already there are skipped)")
    imp.add_argument("file", metavar="FILE", help="a file written by xling corrections export")
    imp.add_argument("--workspace", metavar="PATH", help=where + "; created if missing")
    imp.add_argument("--format", choices=CORRECTION_FORMATS, help="csv or json (default: from the file suffix, else csv)")


def _correction_format(args: argparse.Namespace, path: str, *, writing: bool = False) -> str:
    """``--format``, else the file's suffix (``.json``, else csv); a file to write with another suffix is refused, not mislabelled."""
    from .workspace.corrections import CORRECTION_FORMATS

    if args.format:
        return args.format
    suffix = Path(path).suffix.lower().lstrip(".") if path != "-" else ""
    if suffix not in CORRECTION_FORMATS:
        if not (writing and suffix):
            return "csv"
        raise ValueError(f"{path}: unknown corrections format '.{suffix}'; use a suffix of "
                         f"{', '.join('.' + f for f in CORRECTION_FORMATS)}, or name the format with --format")  # fmt: skip
    return suffix


def run_corrections(args: argparse.Namespace) -> int:
    from .workspace.corrections import MAX_CORRECTIONS_BYTES, corrections_from_bytes
    from .export import atomic_write, check_output
    from .io import read_file_bytes
    from .workspace.store import Workspace

    if args.action == "export":
        fmt = _correction_format(args, args.output, writing=True)
        check_output(args.output)
        data = Workspace(args.workspace, create=False).export_corrections(fmt)  # type: ignore[arg-type]
        if args.output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            atomic_write(Path(args.output), data)
        return EXIT_OK
    data = read_file_bytes(args.file, MAX_CORRECTIONS_BYTES, hint="a corrections file is rarely that big")
    corrections = corrections_from_bytes(data, _correction_format(args, args.file), origin=str(args.file))  # type: ignore[arg-type]
    workspace = Workspace(args.workspace)
    report = workspace.import_corrections(corrections)
    print(f"xling: imported {report.added} correction(s) into {workspace.path}; {report.skipped} already there", file=sys.stderr)
    return EXIT_OK


def _settings(args: argparse.Namespace):
    from .types import Settings

    return Settings(model=args.model, level=args.level, threshold=args.threshold, match_threshold=args.match_threshold,
                    repair=args.repair_glued, max_segments=args.max_segments,
                    max_pairs=getattr(args, "max_pairs", MAX_PAIRS))  # fmt: skip


def _embedder(args: argparse.Namespace):
    from .embed import get_embedder

    return get_embedder(args.model, cache=not args.no_cache)


def _output_format(args: argparse.Namespace) -> str:
    """The table format: ``--format``, else the output's suffix; an unknown suffix is refused (before any work)."""
    return args.format or format_for(args.output)


def _write(df, args: argparse.Namespace, fmt: str) -> None:
    from .export import write_table

    options = {"statuses": args.tmx_status, "segtype": args.level} if fmt == "tmx" else {}
    write_table(df, args.output, fmt, **options)  # type: ignore[arg-type]


def run_align(args: argparse.Namespace) -> int:
    from .duplicates import near_duplicates
    from .export import check_output
    from .io import distinct_names, read_document
    from .pipeline import check_pairs, compare
    from .progress import StageProgress
    from .report import summary

    if len(args.documents) < 2:
        raise XlingError("align needs at least two documents")
    fmt = _output_format(args)  # a bad suffix fails before any work
    check_output(args.output)
    settings = _settings(args)
    check_pairs(len(args.documents), settings, announce=False)  # before reading anything
    started = time.perf_counter()
    documents = distinct_names([read_document(path, max_bytes=args.max_bytes) for path in args.documents])
    for duplicate in near_duplicates(documents):
        log.warning(duplicate.message())
    progress = None if args.quiet else StageProgress()
    try:
        comparison = compare(documents, _embedder(args), settings, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if args.workspace:
        from .workspace.store import Workspace

        corrected = Workspace(args.workspace, create=False).apply(comparison)  # stale corrections are logged as warnings
        comparison, table = corrected.comparison, corrected.table
    else:
        table = comparison.to_dataframe()
    _write(table, args, fmt)
    if not args.quiet:
        print(summary(comparison, time.perf_counter() - started, examples=args.show), file=sys.stderr)
    return EXIT_OK


def run_inspect(args: argparse.Namespace) -> int:
    from .checks.artifacts import find_artifacts, repair
    from .io import read_document
    from .pipeline import segment_document, with_language

    document = with_language(read_document(args.document, max_bytes=args.max_bytes))
    segments = segment_document(document, args.level, max_segments=args.max_segments)
    artifacts = find_artifacts(document)
    report = {
        "document": document.name, "lang": document.lang, "lang_prob": document.lang_prob,
        "segments": [{"index": s.index, "start": s.start, "end": s.end, "lang": s.lang, "text": s.text} for s in segments],
        "artifacts": [a.to_dict() for a in artifacts],
    }  # fmt: skip
    if args.repair:
        report["repaired_text"] = repair(document.text, artifacts)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else _inspection_text(report))
    return EXIT_OK


def _inspection_text(report: dict) -> str:
    lines = [f"{report['document']}: language {report['lang']} (p={report['lang_prob']:.2f}), "
             f"{len(report['segments'])} segments, {len(report['artifacts'])} artifacts", "", "segments:"]  # fmt: skip
    lines += [f"  {s['index']:>4}  {s['start']:>6}-{s['end']:<6} {s['lang']:<7} {s['text']}" for s in report["segments"]]
    lines += ["", "artifacts:"] + [f"  {a['start']:>6}-{a['end']:<6} {a['message']}" for a in report["artifacts"]]
    if "repaired_text" in report:
        lines += ["", "repaired text:", report["repaired_text"].rstrip("\n")]
    return "\n".join(lines)


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number




def run_batch(args: argparse.Namespace) -> int:
    from .batch.run import run_batch as run
    from .batch.engines import EmbedderSpec
    from .progress import ProgressBar, list_on_stderr

    if args.output == "-":
        raise ValueError("batch writes a file (its parts and summary go next to it): give -o OUT.parquet or -o OUT.csv")
    if args.engine == "local" and (args.workers or args.scheduler or args.threads_per_worker):
        raise ValueError("--workers, --threads-per-worker and --scheduler need --engine dask")
    try:
        report = run(
            Path(args.manifest), Path(args.output), settings=_settings(args), embedder=EmbedderSpec(model=args.model, cache=not args.no_cache),
            engine=args.engine, workers=args.workers, threads_per_worker=args.threads_per_worker, scheduler=args.scheduler,
            fmt=args.format, summary_path=args.summary, group_coverage_path=args.group_coverage, resume=args.resume,
            progress=None if args.quiet else ProgressBar(), workspace=args.workspace, max_bytes=args.max_bytes,
        )  # fmt: skip
    except KeyboardInterrupt:
        print("xling: interrupted; finished pairs are kept: rerun with --resume to do the rest", file=sys.stderr)
        return 130
    list_on_stderr([f"pair {pair_id} failed: {error}" for pair_id, error in report.failed], f"{{n}} more failed pairs (see {report.summary})")
    if not args.quiet:
        resumed = f" ({report.resumed} done before)" if report.resumed else ""
        print(f"{report.pairs - len(report.failed)} of {report.pairs} pairs aligned{resumed} in {report.seconds:.1f} s; "
              f"table {report.output}, summary {report.summary}"
              + (f", group coverage {report.group_coverage}" if report.group_coverage else ""), file=sys.stderr)  # fmt: skip
    return EXIT_PARTIAL if report.failed else EXIT_OK


def _log_to_stderr() -> None:
    """Library warnings (odd encodings...) go to stderr as one line each, even with --quiet: they concern the data."""
    logger = logging.getLogger("xling")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("xling: warning: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr()
    for noisy in ("huggingface_hub", "sentence_transformers", "transformers", "trafilatura", "htmldate", "pypdf", "pdfminer"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from .stories.cli import run as run_stories

    runners = {"align": run_align, "batch": run_batch, "corrections": run_corrections, "inspect": run_inspect, "stories": run_stories}
    try:
        return runners[args.command](args)
    except XlingError as exc:
        print(f"xling: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:
        print(f"xling: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("xling: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else "writing the output: " if exc.errno == errno.ENOSPC else ""
        print(f"xling: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
