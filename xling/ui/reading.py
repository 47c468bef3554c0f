"""The reading view: each full text in its own pane, the panes kept in step by the links between them.

Scrolling one pane scrolls the others so that the counterpart of the passage at its top (or of the next
passage that has one) stands at the same height: the texts are read together, not scrolled apart.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from ..pipeline import Comparison
from .common import Mark, esc
from .html import CSS as PAGE_CSS
from .html import reading_html
from .sidebyside import page

PANE_HEIGHT_PX = 700

CSS = """
body {font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif; color:#1f2328; margin:0 4px}
.xp {display:grid; gap:14px}
.xp-pane {position:relative; height:HEIGHTpx; overflow-y:auto; padding:0 10px 0 2px; border-top:1px solid #eee}
.xp-name {font-weight:700; margin:4px 0 6px 0; position:sticky; top:0; background:#fff; padding:4px 0; z-index:1}
.xp-pane .xl-read {max-width:none}
""".replace("HEIGHT", str(PANE_HEIGHT_PX))

SCRIPT = """
(function(){
  const panes = Array.from(document.querySelectorAll('.xp-pane'));
  const maps = JSON.parse(document.getElementById('xp-maps').textContent);
  let lock = false;
  function segs(p){ return Array.from(p.querySelectorAll('[data-seg]')); }
  function follow(p){
    if (lock) return;
    const mine = segs(p);
    let k = mine.findIndex(s => s.offsetTop + s.offsetHeight > p.scrollTop);
    if (k < 0) return;
    panes.forEach(q => {
      if (q === p) return;
      const m = maps[p.dataset.doc + '-' + q.dataset.doc] || {};
      for (let i = k; i < mine.length; i++){
        const j = m[mine[i].dataset.seg];
        if (j === undefined) continue;
        const target = q.querySelector('[data-seg="' + j + '"]');
        if (!target) return;
        lock = true;
        q.scrollTop = target.offsetTop - (mine[i].offsetTop - p.scrollTop);
        requestAnimationFrame(() => requestAnimationFrame(() => { lock = false; }));
        return;
      }
    });
  }
  panes.forEach(p => p.addEventListener('scroll', () => follow(p)));
  panes.forEach(p => { const sel = p.querySelector('.xl-sel'); if (sel){ lock = true; p.scrollTop = sel.offsetTop - 60; } });
  requestAnimationFrame(() => { lock = false; });
})();
"""


def counterpart_maps(comparison: Comparison, shown: Sequence[int]) -> dict[str, dict[int, int]]:
    """``"x-y" -> {segment of x: its first linked segment of y}`` for every two shown documents, both ways."""
    maps: dict[str, dict[int, int]] = {}
    for pair in comparison.pairs:
        da, db = comparison.ends(pair)
        if da not in shown or db not in shown:
            continue
        forward, backward = maps.setdefault(f"{da}-{db}", {}), maps.setdefault(f"{db}-{da}", {})
        for link in sorted(pair.links, key=lambda k: (k.a, k.b)):
            forward.setdefault(link.a, link.b)
            backward[link.b] = min(backward.get(link.b, link.a), link.a)
    return maps


def reading_panes_html(comparison: Comparison, shown: Sequence[int], names: Sequence[str], *,
                       selected: Mapping[int, set[int]], marks: Mapping[int, Sequence[Mark]]) -> str:  # fmt: skip
    """The shown documents' full texts side by side in panes that scroll in step; one HTML page."""
    panes = "".join(
        f'<div class="xp-pane" data-doc="{i}"><div class="xp-name">{esc(name)}</div>'
        f"{reading_html(comparison, i, selected=selected.get(i, ()), marks=marks.get(i, ()), ids=True)}</div>"
        for i, name in zip(shown, names)
    )
    maps = json.dumps(counterpart_maps(comparison, shown)).replace("</", "<\\/")
    body = (f"{PAGE_CSS}<style>{CSS}</style>"
            f'<div class="xp" style="grid-template-columns:repeat({max(len(shown), 1)},minmax(0,1fr))">{panes}</div>'
            f'<script type="application/json" id="xp-maps">{maps}</script><script>{SCRIPT}</script>')  # fmt: skip
    return page("xling reading view", body)
