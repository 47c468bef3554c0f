"""The dashboard's workbench views: pure functions of a comparison, returning records and HTML.

``sidebyside`` lays a pair out bead by bead in document order (and is the body of the HTML report),
``confidence`` says how sure a link is in words, ``workbench`` prepares the corrections panel,
``report`` writes the self-contained HTML report, ``ntable`` the alignment table across N articles.
No Streamlit here: app.py renders what these return.
"""
