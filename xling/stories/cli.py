"""``xling stories INPUT... -o OUT_DIR``: the subcommand's options and its run (cli.py only hooks it in)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub, positive_int) -> None:
    from ..batch.engines import ENGINES
    from ..embed import DEFAULT_MODEL, available_models
    from ..io import MAX_FILE_BYTES
    from ..types import MAX_SEGMENTS

    parser = sub.add_parser("stories", help="group a corpus of articles into stories, then align every pair inside each story",
                            description="Find which documents cover the same story and align every pair inside each story. "
                                        "Writes OUT_DIR/stories.csv, alignment.parquet and story_summary.csv.")  # fmt: skip
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="folders (searched recursively) or files (.txt, .md, .html)")
    parser.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="folder for stories.csv, alignment.parquet, story_summary.csv")
    parser.add_argument("--engine", choices=ENGINES, default="local", help="local: this process (default); dask: a Dask cluster")
    parser.add_argument("--workers", type=positive_int, metavar="N", help="dask: worker processes of the local cluster (default: one per core)")
    parser.add_argument("--threads-per-worker", type=positive_int, metavar="N", help="dask: encoder threads per worker (default: cores / workers)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="dask: run on the existing cluster at this address (tcp://HOST:8786)")
    parser.add_argument("--resume", action="store_true", help="finish an interrupted run without redoing finished work")
    parser.add_argument("--model", default=DEFAULT_MODEL,
                        help=f"offline model ({', '.join(available_models())}) or a sentence-transformers name or path (default {DEFAULT_MODEL})")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the embedding cache (every step encodes again)")
    parser.add_argument("--max-bytes", type=positive_int, default=MAX_FILE_BYTES, metavar="N", help=f"skip files over N bytes (default {MAX_FILE_BYTES:,})")
    parser.add_argument("--max-segments", type=positive_int, default=MAX_SEGMENTS, metavar="N",
                        help=f"skip documents of more than N segments (default {MAX_SEGMENTS:,})")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on stderr")


def run(args: argparse.Namespace) -> int:
    from ..batch.engines import EmbedderSpec
    from ..progress import ProgressBar, list_on_stderr
    from ..types import Settings
    from .run import run_stories

    bars: dict[str, ProgressBar] = {}

    def progress(step: str, done: int, total: int) -> None:
        bars.setdefault(step, ProgressBar(step))(done, total)

    try:
        report = run_stories(
            args.inputs, Path(args.output), settings=Settings(model=args.model, max_segments=args.max_segments),
            embedder=EmbedderSpec(model=args.model, cache=not args.no_cache), engine=args.engine, workers=args.workers,
            threads_per_worker=args.threads_per_worker, scheduler=args.scheduler, resume=args.resume, max_bytes=args.max_bytes,
            progress=None if args.quiet else progress,
        )  # fmt: skip
    except KeyboardInterrupt:
        print("xling: interrupted; finished work is kept: rerun with --resume to do the rest", file=sys.stderr)
        return 130
    list_on_stderr([f"skipped {error}" for _, error in report.skipped], f"{{n}} more skipped files (see {report.out_dir / 'skipped.csv'})")
    list_on_stderr([f"pair {pair_id} failed: {error}" for pair_id, error in report.failed_pairs], f"{{n}} more failed pairs (see {report.out_dir / 'pairs.csv'})")
    if not args.quiet:
        print(f"{report.documents} documents in {report.stories} stories ({report.multi_document_stories} with two or more), "
              f"{report.pairs} pairs aligned, {len(report.skipped)} files skipped, in {report.seconds:.1f} s; "
              f"files in {report.out_dir}", file=sys.stderr)  # fmt: skip
    return 3 if report.skipped or report.failed_pairs else 0
