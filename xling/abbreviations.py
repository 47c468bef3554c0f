"""Abbreviations that end in a full stop, per language, for :mod:`xling.segment`.

A stop after one of these words does not end the sentence, in one of four ways:

- ``titles``: words that stand before a name or a noun (``Dr.``, ``Sig.``, ``Sra.``, ``Gen.``): never a sentence end.
- ``before_number``: a stop that is an abbreviation only before a digit (``No. 5``, ``art. 3``, ``Sept. 29``):
  the words are common words too (``no``, ``art``, ``mar``), so anywhere else the stop ends the sentence.
- ``ambiguous``: may end a sentence (``Jr.``, ``Inc.``, ``St.``): the stop ends it only when a word that
  opens sentences follows (``openers``). Dotted abbreviations (``U.S.``, ``a.m.``) and initials
  (``J. K.``, ``EE. UU.``) are treated the same way by the segmenter itself.
- ``openers``: words that start sentences and almost never follow an abbreviation mid-sentence (articles,
  pronouns, conjunctions), lower-cased: after ``U.S.`` or ``Jr.``, ``The`` means a new sentence.

A word written here in lower case matches in any case (``sig`` matches ``Sig.``); a capitalised
entry matches only capitalised (``Gen`` is the English title, not ``gen``). ``SHARED`` holds what is
safe in every language; it is all that is used when the language is unknown.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Abbreviations:
    titles: frozenset[str] = frozenset()
    before_number: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()

    def __or__(self, other: Abbreviations) -> Abbreviations:
        return Abbreviations(self.titles | other.titles, self.before_number | other.before_number,
                             self.ambiguous | other.ambiguous, self.openers | other.openers)  # fmt: skip

    def lists(self, word: str) -> bool:
        """Whether ``word`` is an abbreviation of any kind here."""
        return any(listed(word, group) for group in (self.titles, self.before_number, self.ambiguous))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def listed(word: str, entries: frozenset[str]) -> bool:
    """Whether ``word`` is one of ``entries``: lower-case entries match in any case, others exactly."""
    return word in entries or word.lower() in entries


SHARED = Abbreviations(
    titles=_words("mr mrs ms dr dra prof"),
    before_number=_words("nº"),
    # Titles of it, es and en, capitalised only: they stay abbreviations in a text of any language
    # (St. Mirren in an Italian report), but end the sentence before a word that opens one.
    ambiguous=_words("vs St Jr Sr Sra Srta Sres Sig Sigg Dott Avv Ing Sen Rep Gov Gen Capt Det Lt Col Sgt Rev Hon"),
)

BY_LANG: dict[str, Abbreviations] = {
    "en": Abbreviations(
        titles=_words("""
            messrs mmes drs profs Rev Revs Hon Sen Sens Rep Reps Gov Govs Gen Gens Col Lt Sgt Capt Cmdr Cdr Adm Maj
            Brig Cpl Pvt Det Supt Insp Atty Pres Mt Ft Fr
            """),
        before_number=_words("""
            No Nos no nos Art Arts art arts p pp para paras fig figs vol vols ch chap sec approx ca est
            Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
            """),
        ambiguous=_words("Jr Sr St Inc Ltd Co Corp Bros Ave Blvd Rd Dept Univ Mass Calif Fla Penn"),
        openers=_words("""
            the an this that these those there here it its he she his her they their them we our you your
            but and or so yet if when while after before since although though as in on at for from by with
            during meanwhile however also then now still some many most all both each no not what who which
            where why how according one two three other another such even only just last earlier later
            """),
    ),
    "it": Abbreviations(
        titles=_words("""
            sig sigg sigra dott dssa prof proff avv arch ing geom rag mons egr gent spett ill preg cfr es ss
            On Gen Col Magg Cap Ten Sen Card
            """),
        before_number=_words("""
            n nr num art artt pag pagg pp p fig vol tab par all ca
            gen genn feb febbr mar apr mag giu lug ago sett set ott nov dic
            """),
        ambiguous=_words("spa srl"),
        openers=_words("""
            il lo la i gli le un uno una questo questa questi queste quello quella quelli ma e ed o in nel
            nella nei negli nelle del della dei per con su sul sulla da dal dalla al alla non si ci lui lei
            loro noi io secondo anche poi già inoltre tuttavia quando mentre dopo prima se come cosa chi dove
            perché oggi ieri tra fra però infatti così sono è era c'è l'
            """),
    ),
    "es": Abbreviations(
        titles=_words("""
            sr sra sres sras srta srtas srs dres dras lic ing arq profa ud uds vd vds dña dª dn excmo excma ilmo
            ilma sto sta gral pdte avda av ej
            """),
        before_number=_words("""
            n nº núm núms num art arts pág págs pag p pp fig vol cap tel aprox
            ene feb mar abr may jun jul ago sep sept oct nov dic
            """),
        ambiguous=_words("cía"),
        openers=_words("""
            el la los las lo un una unos unas este esta estos estas ese esa esos esas eso esto pero y e o en
            del al de por para con sin sobre desde según no se él ella ellos ellas nosotros yo su sus también
            además luego cuando mientras después antes si como qué quién dónde hoy ayer entre así es era hay
            """),
    ),
}


_ANY_OPENERS = Abbreviations(openers=frozenset().union(*(a.openers for a in BY_LANG.values())))


def for_language(lang: str | None) -> Abbreviations:
    """The shared abbreviations, with the language's own when xling knows them.

    For another or an unknown language only the shared abbreviations count, and a word that
    opens sentences in any of it, es and en counts as an opener.
    """
    return SHARED | BY_LANG[lang] if lang in BY_LANG else SHARED | _ANY_OPENERS


__all__ = ["BY_LANG", "SHARED", "Abbreviations", "for_language", "listed"]
