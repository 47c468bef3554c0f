"""Names vulture cannot see used (make lint): a framework or library calls or reads them.

vulture only reads this file; every line names an attribute or function as used.
"""

_ = object()

# html.parser.HTMLParser and http.server.BaseHTTPRequestHandler call these on their subclasses.
_.handle_starttag
_.handle_endtag
_.handle_data
_.do_GET
_.log_message
# langdetect's Detector calls these on xling.detector.FastDetector, its subclass.
_.cleaning_text
_._extract_ngrams
_._update_lang_prob
_._normalize_prob
# pytest reads module-level marks and runs autouse fixtures by themselves.
_.pytestmark
_._isolated_cache
_._own_workspace
# Attributes read by the library they are set on: langdetect's factory and detector, faiss' HNSW index,
# openpyxl's and python-docx's document properties.
_.langlist
_.word_lang_prob_map
_.n_trial
_.efConstruction
_.efSearch
_.creator
_.modified
# xling/stories/corpus.py (left to the stories work): the page-head parser nothing calls any more.
# embed/calibration.py: Calibration's profiles are read by name, getattr(calibration, profile).
_.translation
