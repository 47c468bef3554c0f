"""Realistic news-site pages around an article's paragraphs: the markup a saved web page really has.

Seven site layouts (a semantic HTML5 site, a div-soup site with inline "read also" boxes, a schema.org
magazine, an old table layout with ``<br><br>`` paragraphs, a wire-service page with a live ticker; and,
written after xling's reader was settled and never used to change it, a WordPress blog and a regional
portal with galleries, video boxes and polls among the paragraphs),
each with navigation, header, cookie banner, breadcrumbs, byline and date, share buttons, a captioned
photo, related stories (real headlines of other articles), tags, a newsletter box, ads, comments, an
author box and a footer, in Italian, Spanish or English. Which parts appear, their order and their
texts are drawn from a seeded generator: the same seed gives the same page.

Used by ``benchmarks/boilerplate.py`` (how much boilerplate an extractor lets through) and by
``tests/fixtures/make_fixtures.py`` (the Italian page of the test fixtures).
"""
from __future__ import annotations

import html
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

LANGS = ("it", "es", "en")


@dataclass(frozen=True)
class Article:
    """What the page is about: a headline and paragraphs (each a list of sentences)."""

    headline: str
    paragraphs: tuple[tuple[str, ...], ...]
    lang: str


@dataclass(frozen=True)
class Page:
    markup: str
    template: str
    site: str


# Every visible string a site adds, per language. Lists give the generator choices.
WORDS: dict[str, dict[str, object]] = {
    "it": {
        "sites": ["Il Quotidiano del Nord", "Corriere Adriatico Online", "La Voce di Roma", "Gazzetta Tirrenica"],
        "nav": ["Home", "Cronaca", "Politica", "Esteri", "Economia", "Sport", "Cultura", "Spettacoli", "Tecnologia",
                "Salute", "Opinioni", "Video", "Podcast", "Meteo"],
        "cookie": [("Questo sito utilizza cookie tecnici e di profilazione, anche di terze parti, per migliorare la tua "
                   "esperienza di navigazione e mostrarti pubblicità in linea con le tue preferenze."),
                   ("Noi e i nostri partner utilizziamo cookie o tecnologie simili per finalità tecniche e, con il tuo "
                   "consenso, per misurare il pubblico e personalizzare gli annunci.")],
        "cookie_buttons": ["Accetta", "Rifiuta", "Personalizza", "Accetta e chiudi", "Scopri di più"],
        "by": "di", "authors": ["Marco Bianchi", "Giulia Ferrari", "Luca Esposito", "Francesca Romano", "Redazione Esteri"],
        "updated": "Aggiornato il", "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
                                               "agosto", "settembre", "ottobre", "novembre", "dicembre"],
        "share": ["Condividi", "Facebook", "X", "WhatsApp", "Telegram", "Email", "Copia link", "Stampa"],
        "captions": ["Una veduta della città al tramonto (foto Ansa)", "Immagine d'archivio (LaPresse)",
                     "Il luogo dei fatti in una foto scattata ieri mattina", "Foto: Reuters / archivio"],
        "related": ["Leggi anche", "Potrebbe interessarti", "Articoli correlati", "Altre notizie"],
        "most_read": "I più letti", "tags": "Argomenti", "tag_words": ["Esteri", "Politica", "Attualità", "Mondo", "Economia"],
        "newsletter": ["Iscriviti alla newsletter: ogni mattina le notizie più importanti, direttamente nella tua casella.",
                       "Non perderti le ultime notizie: ricevi gratis la nostra newsletter del mattino."],
        "subscribe": "Iscriviti", "email_placeholder": "Il tuo indirizzo email",
        "ad": ["Pubblicità", "PUBBLICITÀ", "Contenuto sponsorizzato"],
        "comments": "Commenti", "comment_texts": ["Articolo molto interessante, grazie per l'approfondimento.",
                                                  "Non sono d'accordo con questa lettura dei fatti.",
                                                  "Finalmente qualcuno che ne parla in modo chiaro!",
                                                  "Mi chiedo perché nessuno ne parlasse prima.",
                                                  "Ottimo servizio, come sempre."],
        "users": ["paolo_72", "Lucia M.", "giornalista_in_erba", "Roberto", "anna.b"], "reply": "Rispondi",
        "login_to_comment": "Accedi per commentare", "load_comments": "Carica altri commenti",
        "bio": "{author} è giornalista della redazione esteri dal 2012 e si occupa di politica internazionale.",
        "footer_links": ["Chi siamo", "Contatti", "Pubblicità", "Privacy", "Cookie policy", "Note legali", "Lavora con noi",
                         "Abbonamenti"],
        "rights": "© {year} {site}. Tutti i diritti riservati. P.IVA 01234567890",
        "paywall": "Sei già abbonato? Accedi", "read_more": "Leggi tutto", "ticker": "Ultim'ora",
        "search": "Cerca", "login": "Accedi", "menu": "Menu", "top": "Torna su", "photo": "Foto",
    },
    "es": {
        "sites": ["El Diario del Sur", "La Crónica Digital", "Heraldo de Levante", "Noticias de Castilla"],
        "nav": ["Portada", "Internacional", "España", "Economía", "Deportes", "Cultura", "Sociedad", "Tecnología",
                "Opinión", "Vídeos", "Gente", "Motor", "El tiempo"],
        "cookie": [("Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarle publicidad "
                   "relacionada con sus preferencias mediante el análisis de sus hábitos de navegación."),
                   ("Este sitio web usa cookies para que usted tenga la mejor experiencia de usuario. Si continúa "
                   "navegando está dando su consentimiento para la aceptación de las mencionadas cookies.")],
        "cookie_buttons": ["Aceptar", "Rechazar", "Configurar", "Aceptar todas", "Más información"],
        "by": "Por", "authors": ["Laura Gómez", "Javier Martín", "Carmen Ruiz", "Alejandro Torres", "Agencias"],
        "updated": "Actualizado el", "months": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                                                "septiembre", "octubre", "noviembre", "diciembre"],
        "share": ["Compartir", "Facebook", "X", "WhatsApp", "LinkedIn", "Correo", "Copiar enlace", "Imprimir"],
        "captions": ["Imagen de archivo. (EFE)", "Vista general de la zona, este martes. (Europa Press)",
                     "Fotografía facilitada por las autoridades locales", "Foto: Reuters"],
        "related": ["Te puede interesar", "Noticias relacionadas", "Lee también", "Más noticias"],
        "most_read": "Lo más leído", "tags": "Temas", "tag_words": ["Internacional", "Política", "Actualidad", "Mundo", "Sociedad"],
        "newsletter": ["Suscríbete a nuestro boletín y recibe cada mañana las noticias más importantes del día.",
                       "Recibe gratis en tu correo las claves de la actualidad con nuestra newsletter."],
        "subscribe": "Suscribirme", "email_placeholder": "Tu correo electrónico",
        "ad": ["Publicidad", "PUBLICIDAD", "Contenido patrocinado"],
        "comments": "Comentarios", "comment_texts": ["Muy buen artículo, gracias por la información.",
                                                     "No estoy de acuerdo con lo que se dice aquí.",
                                                     "¿Alguien sabe dónde se puede consultar el informe completo?",
                                                     "Esto ya se veía venir desde hace años.",
                                                     "Excelente trabajo periodístico."],
        "users": ["jmlopez", "Marta G.", "lector_habitual", "Andrés", "pili.r"], "reply": "Responder",
        "login_to_comment": "Inicia sesión para comentar", "load_comments": "Ver más comentarios",
        "bio": "{author} es periodista de la sección de Internacional y cubre la actualidad europea desde 2014.",
        "footer_links": ["Quiénes somos", "Contacto", "Publicidad", "Aviso legal", "Política de privacidad",
                         "Política de cookies", "Trabaja con nosotros", "Suscripciones"],
        "rights": "© {year} {site}. Todos los derechos reservados.",
        "paywall": "¿Ya eres suscriptor? Inicia sesión", "read_more": "Leer más", "ticker": "Última hora",
        "search": "Buscar", "login": "Iniciar sesión", "menu": "Menú", "top": "Volver arriba", "photo": "Foto",
    },
    "en": {
        "sites": ["The Northern Herald", "Daily Chronicle Online", "The Evening Post", "Metro Times"],
        "nav": ["Home", "News", "World", "UK", "Business", "Politics", "Sport", "Culture", "Tech", "Science", "Health",
                "Opinion", "Video", "Weather"],
        "cookie": [("We use cookies and similar technologies to give you the best experience on our website, to analyse "
                   "traffic and to show you personalised advertising."),
                   ("By clicking 'Accept all', you agree to the storing of cookies on your device to enhance site "
                   "navigation, analyse site usage and assist in our marketing efforts.")],
        "cookie_buttons": ["Accept all", "Reject all", "Manage preferences", "OK", "Learn more"],
        "by": "By", "authors": ["James Carter", "Sarah Mitchell", "David Owen", "Emily Clarke", "Staff reporter"],
        "updated": "Updated", "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                                         "September", "October", "November", "December"],
        "share": ["Share", "Facebook", "X", "WhatsApp", "LinkedIn", "Email", "Copy link", "Print"],
        "captions": ["A general view of the area on Tuesday. Photograph: Reuters", "File photo (AP)",
                     "The scene earlier this week. Image: Getty Images", "Photo: PA Media"],
        "related": ["Read more", "Related stories", "More on this story", "You may also like"],
        "most_read": "Most read", "tags": "Topics", "tag_words": ["World news", "Politics", "Europe", "Business", "Society"],
        "newsletter": ["Sign up to our morning briefing: the day's top stories, straight to your inbox.",
                       "Get the news that matters, every weekday morning. Sign up to our free newsletter."],
        "subscribe": "Sign up", "email_placeholder": "Your email address",
        "ad": ["Advertisement", "ADVERTISEMENT", "Sponsored content"],
        "comments": "Comments", "comment_texts": ["Great piece, thanks for writing it.",
                                                  "I don't agree with this at all.",
                                                  "Does anyone have a link to the full report?",
                                                  "This has been coming for years.",
                                                  "Excellent reporting as always."],
        "users": ["mike_b", "Jane D.", "longtimereader", "Tom", "sue.k"], "reply": "Reply",
        "login_to_comment": "Sign in to comment", "load_comments": "Load more comments",
        "bio": "{author} is a foreign affairs reporter who has covered European politics since 2013.",
        "footer_links": ["About us", "Contact", "Advertise", "Terms of use", "Privacy policy", "Cookie policy",
                         "Careers", "Subscriptions"],
        "rights": "© {year} {site}. All rights reserved.",
        "paywall": "Already a subscriber? Sign in", "read_more": "Read more", "ticker": "Breaking",
        "search": "Search", "login": "Sign in", "menu": "Menu", "top": "Back to top", "photo": "Photo",
    },
}


def e(text: str) -> str:
    """Text as it appears in markup: escaped once, as every site escapes it."""
    return html.escape(text, quote=False)


class _Parts:
    """The page's pieces for one article, language and seed; each returns markup."""

    def __init__(self, article: Article, others: Sequence[str], rng: random.Random, year: int = 2019) -> None:
        self.a, self.rng, self.w = article, rng, WORDS[article.lang]
        self.others = list(others)
        self.site = rng.choice(self.w["sites"])  # type: ignore[arg-type]
        self.author = rng.choice(self.w["authors"])  # type: ignore[arg-type]
        self.year, self.month, self.day = year, rng.randrange(12), rng.randrange(1, 28)
        self.hour, self.minute = rng.randrange(6, 23), rng.randrange(60)

    def pick(self, key: str, k: int | None = None):
        values = self.w[key]
        return self.rng.choice(values) if k is None else self.rng.sample(values, min(k, len(values)))  # type: ignore[arg-type]

    def headlines(self, k: int) -> list[str]:
        return self.rng.sample(self.others, min(k, len(self.others)))

    def slug(self, text: str) -> str:
        return "-".join("".join(c for c in word.lower() if c.isalnum()) for word in text.split()[:6])

    # ------------------------------------------------------------ pieces
    def head(self) -> str:
        iso = f"{self.year}-{self.month + 1:02d}-{self.day:02d}T{self.hour:02d}:{self.minute:02d}:00+01:00"
        title = f"{e(self.a.headline)} | {e(self.site)}" if self.rng.random() < 0.7 else e(self.a.headline)
        ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
              f'"headline":{_json(self.a.headline)},"datePublished":"{iso}",'
              f'"author":{{"@type":"Person","name":{_json(self.author)}}},'
              f'"publisher":{{"@type":"Organization","name":{_json(self.site)}}}}}</script>')  # fmt: skip
        return (f'<head><meta charset="utf-8"><title>{title}</title>'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<meta property="og:site_name" content="{html.escape(self.site)}">'
                f'<meta property="og:title" content="{html.escape(self.a.headline)}">'
                f'<meta property="og:type" content="article">'
                f'<meta name="author" content="{html.escape(self.author)}">'
                f'<meta property="article:published_time" content="{iso}">'
                f'<link rel="stylesheet" href="/static/css/main.{self.rng.randrange(10**6):06d}.css">'
                f'<style>.cookie{{position:fixed;bottom:0}} .ad-slot{{min-height:250px}}</style>'
                f'<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>'
                f"{ld}</head>")  # fmt: skip

    def cookie(self) -> str:
        buttons = "".join(f'<button type="button" class="btn">{e(b)}</button>' for b in self.pick("cookie_buttons", 3))
        return f'<div class="cookie-banner" id="cmp" role="dialog"><p>{e(self.pick("cookie"))}</p><div class="cmp-buttons">{buttons}</div></div>'

    def nav(self) -> str:
        items = self.pick("nav", self.rng.randrange(7, 12))
        links = "".join(f'<li><a href="/{self.slug(i)}/">{e(i)}</a></li>' for i in items)
        tools = f'<a href="/search" class="search">{e(self.w["search"])}</a> <a href="/login">{e(self.w["login"])}</a>'  # type: ignore[index]
        return (f'<header class="site-header"><button class="hamburger">{e(self.w["menu"])}</button>'  # type: ignore[index]
                f'<a class="logo" href="/"><span>{e(self.site)}</span></a>{tools}'
                f'<nav class="main-nav"><ul>{links}</ul></nav></header>')

    def breadcrumbs(self) -> str:
        crumbs = [self.w["nav"][0], *self.pick("nav", 2)]  # type: ignore[index]
        return '<ol class="breadcrumb">' + "".join(f'<li><a href="/">{e(c)}</a></li>' for c in crumbs) + "</ol>"

    def date_text(self) -> str:
        month = self.w["months"][self.month]  # type: ignore[index]
        return f"{self.day} {month} {self.year}, {self.hour:02d}:{self.minute:02d}"

    def byline(self) -> str:
        iso = f"{self.year}-{self.month + 1:02d}-{self.day:02d}T{self.hour:02d}:{self.minute:02d}"
        return (f'<div class="byline"><span class="author">{e(self.w["by"])} <a href="/autori/{self.slug(self.author)}" rel="author">'  # type: ignore[index]
                f'{e(self.author)}</a></span> <time datetime="{iso}">{e(self.date_text())}</time></div>')

    def share(self) -> str:
        items = self.w["share"]
        links = "".join(f'<li><a href="#" class="share-{self.slug(i)}">{e(i)}</a></li>' for i in items[1 : self.rng.randrange(4, len(items)) + 1])  # type: ignore[index]
        return f'<div class="share-bar"><span>{e(items[0])}</span><ul>{links}</ul></div>'  # type: ignore[index]

    def figure(self) -> str:
        return (f'<figure class="photo"><img src="/img/{self.rng.randrange(10**8)}.jpg" alt="{html.escape(self.pick("captions"))}" '
                f'width="960" height="540"><figcaption>{e(self.pick("captions"))}</figcaption></figure>')

    def related(self, k: int = 4) -> str:
        items = "".join(f'<li><a href="/{self.slug(h)}"><img src="/thumb/{i}.jpg" alt=""><h3>{e(h)}</h3></a></li>'
                        for i, h in enumerate(self.headlines(k)))  # fmt: skip
        return f'<aside class="related"><h2>{e(self.pick("related"))}</h2><ul>{items}</ul></aside>'

    def read_also(self) -> str:
        """An inline box inside the article body: the hardest boilerplate (it sits among the paragraphs)."""
        head = self.headlines(1)[0]
        return f'<div class="read-also"><strong>{e(self.pick("related"))}</strong> <a href="/{self.slug(head)}">{e(head)}</a></div>'

    def most_read(self, k: int = 5) -> str:
        items = "".join(f'<li><span class="rank">{i + 1}</span><a href="/{self.slug(h)}">{e(h)}</a></li>' for i, h in enumerate(self.headlines(k)))
        return f'<section class="most-read"><h2>{e(self.w["most_read"])}</h2><ol>{items}</ol></section>'  # type: ignore[index]

    def tags(self) -> str:
        items = "".join(f'<a href="/tag/{self.slug(t)}" rel="tag">{e(t)}</a> ' for t in self.pick("tag_words", 3))
        return f'<div class="tags"><span>{e(self.w["tags"])}:</span> {items}</div>'  # type: ignore[index]

    def newsletter(self) -> str:
        return (f'<div class="newsletter"><p>{e(self.pick("newsletter"))}</p><form><input type="email" '
                f'placeholder="{html.escape(self.w["email_placeholder"])}"><button>{e(self.w["subscribe"])}</button></form></div>')  # type: ignore[index]

    def ad(self) -> str:
        return f'<div class="ad-slot"><span class="ad-label">{e(self.pick("ad"))}</span><div id="div-gpt-ad-{self.rng.randrange(10**6)}"></div></div>'

    def comments(self) -> str:
        n = self.rng.randrange(2, 5)
        items = "".join(
            f'<li class="comment"><div class="comment-author">{e(user)}</div><div class="comment-time">{self.rng.randrange(1, 12)} h</div>'
            f'<p>{e(text)}</p><a href="#" class="reply">{e(self.w["reply"])}</a></li>'  # type: ignore[index]
            for user, text in zip(self.pick("users", n), self.pick("comment_texts", n))
        )
        return (f'<section id="comments" class="comments"><h2>{e(self.w["comments"])} ({n})</h2><ul>{items}</ul>'  # type: ignore[index]
                f'<a href="/login" class="cta">{e(self.w["login_to_comment"])}</a> <button>{e(self.w["load_comments"])}</button></section>')  # type: ignore[index]

    def bio(self) -> str:
        return f'<div class="author-box"><img src="/authors/{self.slug(self.author)}.jpg" alt=""><p>{e(self.w["bio"].format(author=self.author))}</p></div>'  # type: ignore[union-attr]

    def footer(self) -> str:
        links = "".join(f'<li><a href="/{self.slug(x)}">{e(x)}</a></li>' for x in self.pick("footer_links", self.rng.randrange(5, 8)))
        return (f'<footer class="site-footer"><ul class="footer-links">{links}</ul>'
                f'<p class="copyright">{e(self.w["rights"].format(year=self.year, site=self.site))}</p>'  # type: ignore[union-attr]
                f'<a href="#top" class="to-top">{e(self.w["top"])}</a></footer>')  # type: ignore[index]

    def paragraphs(self, inline_extras: Callable[[], str] | None = None, tag: str = "p") -> str:
        """The article's paragraphs; now and then an inline box between them (``inline_extras``)."""
        out = []
        for k, sentences in enumerate(self.a.paragraphs):
            out.append(f"<{tag}>{e(' '.join(sentences))}</{tag}>")
            if inline_extras and 0 < k < len(self.a.paragraphs) - 1 and self.rng.random() < 0.25:
                out.append(inline_extras())
        return "".join(out)


def _json(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


# ---------------------------------------------------------------- layouts


def semantic(p: _Parts) -> str:
    """A current HTML5 site: header/nav, <article> with byline, photo, share bar, tags; aside; comments; footer."""
    side = p.most_read() if p.rng.random() < 0.6 else p.related(3)
    body = (
        f"{p.cookie()}{p.nav()}<main><div class='container'>{p.breadcrumbs()}"
        f"<article class='story'><header><h1>{e(p.a.headline)}</h1>{p.byline()}{p.share()}</header>"
        f"{p.figure() if p.rng.random() < 0.8 else ''}"
        f"<div class='story-body'>{p.paragraphs(p.ad)}</div>"
        f"{p.tags()}{p.share() if p.rng.random() < 0.5 else ''}</article>"
        f"{p.bio() if p.rng.random() < 0.5 else ''}{p.related(4)}{p.newsletter()}"
        f"{p.comments() if p.rng.random() < 0.7 else ''}</div><aside class='sidebar'>{p.ad()}{side}</aside></main>{p.footer()}"
    )
    return body


def div_soup(p: _Parts) -> str:
    """Classes but no semantic tags; "read also" boxes and ads among the paragraphs."""
    return (
        f"<div id='page'><div class='top-bar'>{p.cookie()}</div><div class='header'>{p.nav()}</div>"
        f"<div class='content-wrapper'><div class='col-main'><div class='story-header'>"
        f"<div class='kicker'>{e(p.pick('nav'))}</div><h1 class='story-title'>{e(p.a.headline)}</h1>{p.byline()}</div>"
        f"{p.share()}{p.figure() if p.rng.random() < 0.7 else ''}"
        f"<div class='story-text'>{p.paragraphs(lambda: p.read_also() if p.rng.random() < 0.6 else p.ad())}</div>"
        f"{p.tags()}{p.newsletter() if p.rng.random() < 0.6 else ''}{p.related(5)}"
        f"{p.comments() if p.rng.random() < 0.6 else ''}</div>"
        f"<div class='col-side'>{p.most_read()}{p.ad()}</div></div><div class='footer'>{p.footer()}</div></div>"
    )


def magazine(p: _Parts) -> str:
    """schema.org microdata, articleBody, a photo between paragraphs, a related grid and a paywall prompt."""
    return (
        f"{p.nav()}{p.cookie() if p.rng.random() < 0.8 else ''}"
        f"<div class='layout' itemscope itemtype='https://schema.org/NewsArticle'>{p.breadcrumbs()}"
        f"<h1 itemprop='headline'>{e(p.a.headline)}</h1>"
        f"<div class='meta'><span itemprop='author'>{e(p.author)}</span> · <span itemprop='datePublished'>{e(p.date_text())}</span></div>"
        f"{p.figure()}<div itemprop='articleBody' class='article-content'>{p.paragraphs(p.figure)}</div>"
        f"<p class='paywall-note'><a href='/login'>{e(p.w['paywall'])}</a></p>"  # type: ignore[index]
        f"{p.share()}{p.bio() if p.rng.random() < 0.6 else ''}</div>"
        f"<section class='grid'>{p.related(6)}</section>{p.newsletter()}{p.footer()}"
    )


def table_layout(p: _Parts) -> str:
    """An old site: layout tables, <font> and <br><br> between paragraphs instead of <p>."""
    paragraphs = "<br><br>".join(e(" ".join(s)) for s in p.a.paragraphs)
    nav = " | ".join(f"<a href='/{p.slug(i)}'>{e(i)}</a>" for i in p.pick("nav", 8))
    return (
        f"<table width='100%' border='0'><tr><td colspan='2' class='masthead'><b>{e(p.site)}</b><br>{nav}</td></tr>"
        f"<tr><td width='180' valign='top' class='left'>{p.most_read(6)}<br>{p.ad()}</td>"
        f"<td valign='top'><font face='Arial' size='2'>{p.breadcrumbs()}<font size='5'><b>{e(p.a.headline)}</b></font><br>"
        f"<i>{e(p.w['by'])} {e(p.author)} - {e(p.date_text())}</i><br><br>{paragraphs}<br><br>"  # type: ignore[index]
        f"{p.share()}</font>{p.related(4)}{p.comments() if p.rng.random() < 0.5 else ''}</td></tr>"
        f"<tr><td colspan='2'>{p.footer()}</td></tr></table>"
    )


def wire(p: _Parts) -> str:
    """A wire-service page: a breaking-news ticker, dateline, short paragraphs in <section>s, "read more" teasers."""
    ticker = "".join(f"<li><a href='/{p.slug(h)}'>{e(h)}</a></li>" for h in p.headlines(3))
    return (
        f"{p.cookie()}<div class='ticker'><strong>{e(p.w['ticker'])}</strong><ul>{ticker}</ul></div>{p.nav()}"  # type: ignore[index]
        f"<main id='content'><article><div class='headline-block'><h1>{e(p.a.headline)}</h1>"
        f"<p class='dateline'>{e(p.date_text())} · {e(p.site)}</p></div>{p.share()}"
        f"<div class='text'>{p.paragraphs(p.read_also, tag='p')}</div>"
        f"<p class='more'><a href='/{p.slug(p.headlines(1)[0])}'>{e(p.w['read_more'])}</a></p></article>"  # type: ignore[index]
        f"{p.related(3)}{p.ad()}</main>{p.footer()}"
    )


# Written after xling's reader was settled on the five layouts above, and never used to change it:
# how the reader does on markup it was not developed against.
HELD_OUT_WORDS: dict[str, dict[str, str]] = {
    "it": {"share_this": "Condividi:", "like": "Mi piace", "loading": "Caricamento...", "prev": "← Articolo precedente",
           "next": "Articolo successivo →", "reply_title": "Lascia un commento",
           "reply_note": "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
           "post": "Pubblica il commento", "posted": "Pubblicato il", "in": "in", "gallery": "Galleria fotografica",
           "video": "Guarda il video: le immagini dal luogo dei fatti", "video_na": "Il video non è disponibile nel tuo paese.",
           "poll": "Sondaggio: sei d'accordo con questa decisione?", "yes": "Sì", "no": "No", "vote": "Vota",
           "results": "Vedi i risultati", "live": "In diretta", "minutes": "min fa", "follow": "Segui"},
    "es": {"share_this": "Comparte esto:", "like": "Me gusta", "loading": "Cargando...", "prev": "← Entrada anterior",
           "next": "Entrada siguiente →", "reply_title": "Deja una respuesta",
           "reply_note": "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
           "post": "Publicar el comentario", "posted": "Publicado el", "in": "en", "gallery": "Galería de fotos",
           "video": "Vídeo: las imágenes del lugar de los hechos", "video_na": "Este vídeo no está disponible en tu país.",
           "poll": "Encuesta: ¿estás de acuerdo con esta decisión?", "yes": "Sí", "no": "No", "vote": "Votar",
           "results": "Ver resultados", "live": "En directo", "minutes": "min", "follow": "Seguir"},
    "en": {"share_this": "Share this:", "like": "Like this:", "loading": "Loading...", "prev": "← Previous post",
           "next": "Next post →", "reply_title": "Leave a Reply",
           "reply_note": "Your email address will not be published. Required fields are marked *",
           "post": "Post Comment", "posted": "Posted on", "in": "in", "gallery": "Photo gallery",
           "video": "Watch: footage from the scene", "video_na": "This video is not available in your country.",
           "poll": "Poll: do you agree with this decision?", "yes": "Yes", "no": "No", "vote": "Vote",
           "results": "See results", "live": "Live", "minutes": "min ago", "follow": "Follow"},
}


def blog(p: _Parts) -> str:
    """Held out. A WordPress news blog: sharing and related-posts plugins inside entry-content, post navigation, reply form."""
    x = HELD_OUT_WORDS[p.a.lang]
    shares = "".join(f"<li class='share-{p.slug(i)}'><a href='#'><span>{e(i)}</span></a></li>" for i in p.w["share"][1:5])  # type: ignore[index]
    related = "".join(f"<div class='jp-relatedposts-post'><h4><a href='/{p.slug(h)}'>{e(h)}</a></h4><p>{e(p.date_text())}</p></div>"
                      for h in p.headlines(3))  # fmt: skip
    prev, nxt = p.headlines(2)
    return (
        f"<div id='page' class='site'><a class='skip-link' href='#content'>Skip to content</a>{p.nav()}"
        f"<div id='content' class='site-content'><div id='primary'><main id='main'>"
        f"<article class='post type-post hentry'><header class='entry-header'><h1 class='entry-title'>{e(p.a.headline)}</h1>"
        f"<div class='entry-meta'><span class='posted-on'>{e(x['posted'])} <time class='entry-date'>{e(p.date_text())}</time></span> "
        f"<span class='byline'>{e(p.w['by'])} <span class='author vcard'>{e(p.author)}</span></span></div></header>"  # type: ignore[index]
        f"<div class='entry-content'>{p.paragraphs()}"
        f"<div class='sharedaddy sd-sharing-enabled'><h3 class='sd-title'>{e(x['share_this'])}</h3><ul>{shares}</ul></div>"
        f"<div class='sharedaddy sd-like'><h3>{e(x['like'])}</h3><span>{e(x['loading'])}</span></div>"
        f"<div id='jp-relatedposts' class='jp-relatedposts'><h3 class='jp-relatedposts-headline'><em>{e(p.pick('related'))}</em></h3>{related}</div>"
        f"</div><footer class='entry-footer'><span class='cat-links'>{e(x['in'])} <a href='/cat'>{e(p.pick('tag_words'))}</a></span></footer></article>"
        f"<nav class='post-navigation'><div class='nav-previous'><a href='/{p.slug(prev)}'><span>{e(x['prev'])}</span> {e(prev)}</a></div>"
        f"<div class='nav-next'><a href='/{p.slug(nxt)}'><span>{e(x['next'])}</span> {e(nxt)}</a></div></nav>"
        f"{p.comments() if p.rng.random() < 0.5 else ''}<div id='respond' class='comment-respond'><h3>{e(x['reply_title'])}</h3>"
        f"<p class='comment-notes'>{e(x['reply_note'])}</p><textarea></textarea><input type='submit' value='{e(x['post'])}'></div>"
        f"</main></div><aside id='secondary' class='widget-area'>{p.most_read(5)}{p.newsletter()}</aside></div>{p.footer()}</div>"
    )


def portal(p: _Parts) -> str:
    """Held out. A regional portal: a photo gallery, a video box and a poll among the paragraphs, a live sidebar."""
    x = HELD_OUT_WORDS[p.a.lang]

    def gallery() -> str:
        slides = "".join(f"<li><img src='/g/{k}.jpg' alt=''><p class='slide-caption'>{e(p.pick('captions'))}</p><span>{k + 1}/4</span></li>"
                         for k in range(4))  # fmt: skip
        return f"<div class='gallery'><h3>{e(x['gallery'])}</h3><ul>{slides}</ul></div>"

    def video() -> str:
        return f"<div class='video-box'><h4>{e(x['video'])}</h4><div class='player'><p>{e(x['video_na'])}</p></div></div>"

    def poll() -> str:
        return (f"<form class='poll'><p><strong>{e(x['poll'])}</strong></p><label><input type='radio'> {e(x['yes'])}</label>"
                f"<label><input type='radio'> {e(x['no'])}</label><button>{e(x['vote'])}</button> <a href='#'>{e(x['results'])}</a></form>")

    boxes = [gallery, video, poll, p.ad]
    live = "".join(f"<li><span class='time'>{p.rng.randrange(2, 59)} {e(x['minutes'])}</span> <a href='/{p.slug(h)}'>{e(h)}</a></li>"
                   for h in p.headlines(4))  # fmt: skip
    return (
        f"{p.cookie()}<div class='portal'><div class='masthead'><span class='brand'>{e(p.site)}</span>{p.nav()}</div>"
        f"<div class='row'><div class='sidebar-left'><div class='live'><h3>{e(x['live'])}</h3><ul>{live}</ul></div>{p.ad()}</div>"
        f"<div class='main-col'><div class='article'><span class='section'>{e(p.pick('nav'))}</span>"
        f"<h1>{e(p.a.headline)}</h1><div class='author-line'><a href='#'>{e(p.author)}</a> <button>{e(x['follow'])}</button> "
        f"<span>{e(p.date_text())}</span></div>{p.figure()}"
        f"<div class='body-text'>{p.paragraphs(lambda: p.rng.choice(boxes)())}</div>{p.tags()}{p.share()}</div>"
        f"{p.related(4)}</div></div>{p.footer()}</div>"
    )


TEMPLATES: dict[str, Callable[[_Parts], str]] = {
    "semantic": semantic, "div-soup": div_soup, "magazine": magazine, "table-layout": table_layout, "wire": wire,
    "blog (held out)": blog, "portal (held out)": portal,
}  # fmt: skip


def render(article: Article, other_headlines: Sequence[str], template: str, seed: int) -> Page:
    """The whole page for ``article`` with the given layout; ``other_headlines`` feed the related-story lists."""
    rng = random.Random(seed)
    parts = _Parts(article, other_headlines, rng)
    body = TEMPLATES[template](parts)
    markup = f'<!DOCTYPE html>\n<html lang="{article.lang}">{parts.head()}<body>{body}</body></html>\n'
    return Page(markup=markup, template=template, site=parts.site)


def paragraphs_of(sentences: Sequence[str], rng: random.Random, most: int = 3) -> tuple[tuple[str, ...], ...]:
    """Sentences grouped into paragraphs of 1 to ``most`` sentences, as a newspaper sets them."""
    out, k = [], 0
    while k < len(sentences):
        n = rng.randrange(1, most + 1)
        out.append(tuple(sentences[k : k + n]))
        k += n
    return tuple(out)
