"""The vocabulary the facts are read with, as data: month and weekday names, number words, scales,
currencies, units, and the word lists that keep names apart from titles and common words (it, es, en).

Nothing here is computed; :mod:`xling.checks.patterns` builds the patterns and lookups from it.
"""
from __future__ import annotations

import re

_UNKNOWN = "unknown"
_LANGUAGES = ("en", "it", "es")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
_MONTHS = {
    "en": _MONTH_NAMES,
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
_MONTH_ABBREVIATIONS = ("Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.")
_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "it": ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
_CLOCK_WORDS = frozenset({"alle", "dalle", "alle ore", "ore", "las", "a las", "desde las", "hasta las"})
_CLOCK_END = re.compile(r"\s*(?:[,.;:)]|$|\s(?:di|del|de|in|e|y|ora|ore|horas?)\b)")  # "alle 15 di", not "dalle 12 partite"
_AM_WORDS = ("mattin", "mañana", "madrugada", "morning")
_PM_WORDS = ("pomeriggio", "sera", "notte", "tarde", "noche", "afternoon", "evening", "night")

# number words: value of each word (Italian compounds are split into these pieces first)
_NUMBER_WORDS = {
    "en": dict(zip(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split(), range(20))) | {
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90, "hundred": 100, "thousand": 1000},
    "it": {"zero": 0, "uno": 1, "un": 1, "una": 1, "due": 2, "tre": 3, "tré": 3, "quattro": 4, "cinque": 5, "sei": 6,
           "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "tredici": 13,
           "quattordici": 14, "quindici": 15, "sedici": 16, "diciassette": 17, "diciotto": 18, "diciannove": 19,
           "venti": 20, "vent": 20, "trenta": 30, "trent": 30, "quaranta": 40, "quarant": 40, "cinquanta": 50,
           "cinquant": 50, "sessanta": 60, "sessant": 60, "settanta": 70, "settant": 70, "ottanta": 80,
           "ottant": 80, "novanta": 90, "novant": 90, "cento": 100, "mille": 1000, "mila": 1000},
    "es": dict(zip(
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
        "diecisiete dieciocho diecinueve veinte veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis "
        "veintisiete veintiocho veintinueve".split(), range(30))) | {
        "un": 1, "una": 1, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
        "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100, "doscientos": 200, "doscientas": 200,
        "trescientos": 300, "trescientas": 300, "cuatrocientos": 400, "cuatrocientas": 400, "quinientos": 500,
        "quinientas": 500, "seiscientos": 600, "seiscientas": 600, "setecientos": 700, "setecientas": 700,
        "ochocientos": 800, "ochocientas": 800, "novecientos": 900, "novecientas": 900, "mil": 1000},
}
_SCALES = {  # word -> multiplier; "billion" words differ: "billones" is 1e12, "miliardi" 1e9
    "mil millones": 1e9, "mila miliardi": 1e12, "trillion": 1e12, "trillions": 1e12, "billones": 1e12, "billón": 1e12,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "miliardi": 1e9, "miliardo": 1e9, "mld": 1e9, "millardos": 1e9,
    "millardo": 1e9, "million": 1e6, "millions": 1e6, "millones": 1e6, "millón": 1e6, "milioni": 1e6,
    "milione": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "mila": 1e3, "mil": 1e3, "k": 1e3,
}
_ATTACHED_SCALES = ("m", "mn", "bn", "k")  # only right after a currency amount: "£125m"; "100m" alone is metres
_CURRENCIES = {
    "USD": ("$", "US$", "USD", "dollar", "dollars", "dollari", "dollaro", "dólar", "dólares"),
    "EUR": ("€", "EUR", "euro", "euros"),
    "GBP": ("£", "GBP", "pounds sterling", "pound sterling", "sterline", "sterlina", "libras esterlinas",
            "libra esterlina", "pounds", "pound", "libras", "libra"),
    "JPY": ("¥", "yen", "JPY"),
    "CNY": ("yuan", "renminbi", "CNY"),
    "INR": ("rupees", "rupie", "rupias", "INR"),
    "RUB": ("rubles", "roubles", "rubli", "rublos", "RUB"),
    "MXN": ("pesos", "MXN"),
}
_WEIGHT_POUNDS = ("pounds", "pound", "libras", "libra")  # money only next to a scale word or a currency sign
_UNITS: dict[str, tuple[str, float, tuple[str, ...]]] = {  # canonical -> (dimension, factor to base unit, words)
    "second": ("time", 1, ("seconds", "second", "secondi", "segundos", "segundo", "sec")),
    "minute": ("time", 60, ("minutes", "minute", "minuti", "minuto", "minutos", "min")),
    "hour": ("time", 3600, ("hours", "hour", "ore", "ora", "horas", "hora", "hrs", "hr")),
    "day": ("time", 86400, ("days", "day", "giorni", "giorno", "días", "día", "dias", "dia")),
    "week": ("time", 604800, ("weeks", "week", "settimane", "settimana", "semanas", "semana")),
    "month": ("time", 2.63e6, ("months", "month", "mesi", "mese", "meses", "mes")),
    "year": ("time", 3.156e7, ("year-old", "years-old", "years old", "year old", "years", "year", "anni", "anno",
                               "años", "año", "enne")),
    "decade": ("time", 3.156e8, ("decades", "decade", "decenni", "decennio", "décadas", "década")),
    "km": ("length", 1000, ("kilometres", "kilometers", "kilometre", "kilometer", "chilometri", "chilometro",
                            "kilómetros", "kilómetro", "km")),
    "metre": ("length", 1, ("metres", "meters", "metre", "meter", "metri", "metro", "metros", "m")),
    "cm": ("length", 0.01, ("centimetres", "centimeters", "centimetri", "centímetros", "cm")),
    "mile": ("length", 1609.34, ("miles", "mile", "miglia", "miglio", "millas", "milla")),
    "yard": ("length", 0.9144, ("yards", "yard", "iarde", "yardas")),
    "foot": ("length", 0.3048, ("feet", "foot", "ft", "piedi", "pies")),
    "inch": ("length", 0.0254, ("inches", "inch", "pollici", "pulgadas")),
    "km/h": ("speed", 1 / 3.6, ("km/h", "km/ora", "kph", "kmh", "chilometri orari", "km orari", "kilómetros por hora")),
    "mph": ("speed", 0.44704, ("mph", "miles per hour", "miglia orarie", "miglia/ora", "millas por hora")),
    "kg": ("mass", 1, ("kilograms", "kilogrammes", "kilos", "kilo", "chili", "chilogrammi", "kilogramos", "kg")),
    "lb": ("mass", 0.4536, ("lbs", "lb", "libbre")),
    "tonne": ("mass", 1000, ("tonnes", "tons", "tonne", "ton", "tonnellate", "toneladas")),
    "hectare": ("area", 1e4, ("hectares", "ettari", "hectáreas", "ha")),
    "acre": ("area", 4046.86, ("acres", "acri")),
    "degree": ("temperature", 1, ("degrees", "degree", "gradi", "grados", "°C", "°F")),
}
_GENERIC_NAME_WORDS = frozenset("""
    mr mrs ms miss dr prof sir lord lady rev reverend father mister signor signora senor senora sr sra don dona
    president presidente prime premier minister ministro ministra governor governatore gobernador senator
    senatore senador general generale chancellor cancelliere canciller secretary segretario secretario chief
    judge giudice juez officer coach captain capitano capitan professor professore profesor doctor dottore
    dottor presiding vice deputy mayor sindaco alcalde queen king prince princess st saint san santa
""".split())
_STOPWORDS = frozenset("""
    the a an this that these those in on at for from by with of to and or but if when while after before as it its
    he she they we i you his her their our my your there here then so yet not no yes all some many most both each
    every other such what which who whom whose why how where also however although though because since until
    unless despite during meanwhile now today yesterday tomorrow last next according under over about between
    il lo la i gli le un uno una del della dei degli delle nel nella nei negli nelle al alla ai agli alle dal dalla
    di da con su per tra fra e o ma se quando mentre dopo prima come anche però perché questo questa questi queste
    quello quella quelli quelle ci si non già ancora oggi ieri domani secondo lui lei loro noi voi io tu cui che chi
    dove sono è ha hanno era nessuno ogni tutti tutto inoltre infatti intanto
    el los las unos unas de en por para sin sobre entre y pero cuando después antes también porque este esta
    estos estas ese esa esos esas aquel aquella les nos ya hoy ayer mañana según él ella ellos ellas usted que
    quien donde es son fue han además aunque tras desde hasta cada todos todo sus su mi tu
""".split())
_CAPITALISED_ADJECTIVES = frozenset("""
    muslim muslims greek greeks swiss thai democrat democrats conservative conservatives labour tory tories
    protestant sikh hindu buddhist jew jews jewish islamist jihadist arab arabs kurd kurds basque catholic
    catholics christian christians western eastern northern southern
""".split())
_EQUIVALENTS = """
    beijing pechino pekin | moscow mosca moscu | naples napoli napoles | germany germania alemania |
    spain spagna espana | united uniti unidos unite | states stati estados | kingdom regno reino |
    britain bretagna bretana | england inghilterra inglaterra | wales galles gales | scotland scozia escocia |
    switzerland svizzera suiza | netherlands olanda holanda | mexico messico | japan giappone japon | china cina |
    london londra londres | paris parigi | rome roma | brussels bruxelles bruselas | geneva ginevra ginebra |
    lisbon lisbona lisboa | athens atene atenas | jerusalem gerusalemme jerusalen | kyiv kiev kiev |
    turkey turchia turquia | egypt egitto egipto | lebanon libano | korea corea | zealand zelanda |
    philippines filippine filipinas | sweden svezia suecia | norway norvegia noruega | denmark danimarca dinamarca |
    hungary ungheria hungria | belgium belgio belgica | croatia croazia croacia | ukraine ucraina ucrania |
    catalonia catalogna cataluna | barcelona barcellona | seville siviglia sevilla | florence firenze florencia |
    venice venezia venecia | milan milano | turin torino | genoa genova | sardinia sardegna cerdena |
    white bianca blanca | house casa | court corte tribunal | nations nazioni naciones | church chiesa iglesia |
    army esercito ejercito | party partito partido | government governo gobierno | bank banca banco |
    world mondo mundo mondiale mundial | cup coppa copa | league lega liga | east est este oriente |
    west ovest oeste occidente | north nord norte | south sud sur | middle medio | pope papa | king re rey |
    queen regina reina | hurricane uragano huracan | storm tempesta tormenta | airport aeroporto aeropuerto |
    school scuola escuela | hospital ospedale | river fiume rio | lake lago | island isola isla |
    islands isole islas | mount monte | sea mare mar | committee commissione comitato comision comite |
    council consiglio consejo | office ufficio oficina | agency agenzia agencia | foundation fondazione fundacion |
    company compagnia compania societa | day giorno dia giornata | christmas natale navidad | easter pasqua pascua |
    god dio dios | great grande gran | hall sala salon | people popolo pueblo | new nuova nuovo nueva nuevo |
    york | state stato estado | city citta ciudad | street strada via calle | square piazza plaza |
    america usa us eeuu ee uu stati uniti unidos united states estados statunitense americano americana american |
    un onu nazioni naciones unite unidas nations | eu ue | uk | nato otan | kremlin cremlino | capitol campidoglio capitolio | russia rusia russo russa ruso rusa |
    europe europa | european europeo europea | union unione | justice giustizia justicia | health salute salud |
    police polizia policia | home interno interior | defence defense difesa defensa | foreign esteri exteriores |
    treasury tesoro | navy marina armada | air aerea aereo | force forza fuerza forze fuerzas |
    guard guardia | coast costa | border frontiera frontera | republic repubblica republica |
    democratic democratico democratica democrata | national nazionale nacional | central centrale |
    supreme suprema supremo | federal federale | reserve riserva | senate senato senado | judiciary giudiziaria judicial
"""
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ('"', '"'), ("„", "“"), ("‘", "’"))
