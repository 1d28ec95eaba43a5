"""Boilerplate in plain text: lines that are not part of the article.

Social-media calls to action, newsletter prompts, "last updated" stamps, bylines, lists of
unrelated headlines, "read also" links, copyright lines and photo credits are *marked*
(``Paragraph.boilerplate = True``), never deleted, so line numbers and offsets stay exact.
Analyzers skip marked paragraphs. Why each line was marked is kept in
``article.meta["boilerplate"]`` (line number -> kind); a date read from an update stamp goes to
``article.meta["updated"]`` and one from a publication stamp to ``article.published`` (when
unset), as ISO 8601 (``--MM-DD`` when the stamp gives no year).

The rules are multilingual (en fr de it es pl ru el) and deliberately conservative: they look
for the phrases these lines are made of, and for runs of short headline-like lines at the end of
an article. Precision and recall on a hand-annotated set are in docs/ingest.md.
"""

from __future__ import annotations

import re

from ..document import Article, Paragraph
from ..features.tokenize import WORDS as _WORD

_I = re.IGNORECASE | re.UNICODE

# -- phrases ---------------------------------------------------------------------------------

_NETWORKS = (
    r"facebook|twitter|telegram|vkontakte|vk\b|вконтакте|вк\b|одноклассники|ok\.ru|gab\b|"
    r"instagram|youtube|tiktok|whatsapp|wechat|linkedin|rumble|gettr|parler|truth social|"
    r"mastodon|threads|x\.com|télégram|телеграм|телеграмм|dzen|дзен|яндекс\.?дзен|odysee|"
    r"bitchute|mewe|minds\b|qr|google news|flipboard|on x\b|sur x\b|auf x\b|su x\b|en x\b"
)
# Generic words ("social media") only count in a call addressed to the reader ("follow us").
_GENERIC_NETWORKS = (
    r"réseaux sociaux|social media|soziale[nr]? (?:medien|netzwerken?)|social networks?|"
    r"social\b|redes sociales|mediach społecznościowych|соцсетях|соцсети|κοινωνικά δίκτυα"
)
_TO_READER = re.compile(
    r"\b(?:us|our|nous|notre|nos|uns|unseren?|ci|seguici|nuestr[oa]s?|нас|наш[иа]?|nas|naszych|"
    r"μας|partagez-le|share (?:it|this)|teilen sie|condividilo|compártelo|поделитесь|"
    r"udostępnij|κοινοποιήστε)\b",
    _I,
)
_CTA_VERBS = (
    r"follow|join|like us|find us|subscribe|share|connect with|stay (?:connected|informed)|"
    r"suivez|suivre|rejoignez|rejoindre|abonnez|retrouvez|partagez|folgen|folge|abonnieren|"
    r"teilen|besuchen sie uns|seguici|segui|seguiteci|iscriviti|unisciti|condividi|seguinos|"
    r"síguenos|siguenos|sigue|suscríbete|únete|comparte|compártelo|condividilo|partagez-le|"
    r"подписывайтесь|подпишитесь|присоединяйтесь|"
    r"читайте нас|следите|делитесь|поделитесь|obserwuj|dołącz|subskrybuj|udostępnij|polub|"
    r"ακολουθήστε|γίνετε μέλος|κοινοποιήστε|εγγραφείτε|scannez|scan|shares?"
)
_SOCIAL = re.compile(rf"\b(?:{_CTA_VERBS})\b[^\n]{{0,80}}?(?:{_NETWORKS})", _I)
_SOCIAL_GENERIC = re.compile(rf"\b(?:{_CTA_VERBS})\b[^\n]{{0,60}}?(?:{_GENERIC_NETWORKS})", _I)
_SOCIAL_REVERSED = re.compile(rf"^\W*(?:{_NETWORKS})\b[^\n]{{0,40}}?\b(?:{_CTA_VERBS})\b", _I)
_SHARE = re.compile(
    r"^\W*(?:share (?:this|on|via)|share:|tweet\b|partager\b|partagez cet|teilen\b|"
    r"condividi\b|compartir\b|поделиться|udostępnij\b|κοινοποίηση)",
    _I,
)
_NEWSLETTER = re.compile(
    r"newsletter|infolettre|lettre d'information|bulletin|рассылк|newslettera|"
    r"sign up (?:for|to)|subscribe (?:to|for|now|today)|abonnez-vous|inscrivez-vous|"
    r"jetzt (?:abonnieren|anmelden)|iscriviti|suscríbete|zapisz się|zaprenumeruj|"
    r"подпишитесь на|εγγραφείτε|support (?:our|independent) journalism|"
    r"soutenez (?:notre|le) (?:média|journalisme)|faites un don|jetzt spenden|"
    r"sostieni (?:il nostro|[\w.]+\.it)|dona ora|haz una donación|поддержите (?:нас|проект)|"
    r"wesprzyj nas|donate (?:now|today|here)|make a donation|mit einer spende|"
    r"fai una donazione|wpłać darowiznę|пожертвуйте|сделайте пожертвование|κάντε δωρεά",
    _I,
)
_NEWSLETTER_CONTEXT = re.compile(
    r"\b(?:sign up|subscribe|inbox|e-?mail|abonn|inscri|anmelden|abonnieren|iscriviti|"
    r"ricevi|suscr|recib|zapisz|otrzymuj|подпи|получа|εγγρα|don|donate|spende|dona|"
    r"wesprzyj|пожертв|support|soutenez|unterstützen|sostieni|apoya|get (?:our|the)|receive|"
    r"recevez|erhalten|ricevi|recibe|получайте|otrzymuj|wpłać|δωρεά)",
    _I,
)
_STAMP_WORDS = (
    r"last updated|last modified|updated(?: on| at)?|published(?: on| at)?|posted(?: on| at)?|"
    r"first published|dernière mise à jour|mis à jour(?: le)?|publié(?: le)?|modifié le|"
    r"mis en ligne(?: le)?|ultima modifica|modificato(?: il)?|geändert(?: am)?|изменено|"
    r"дата обновления|дата изменения|"
    r"edytowano|last edited|"
    r"zuletzt aktualisiert|aktualisiert(?: am)?|veröffentlicht(?: am)?|erstellt am|stand|"
    r"ultimo aggiornamento|aggiornato(?: il| alle)?|pubblicato(?: il)?|última actualización|"
    r"actualizado(?: el)?|publicado(?: el)?|обновлено|опубликовано|дата публикации|"
    r"последнее обновление|aktualizacja|zaktualizowano|opublikowano|data publikacji|"
    r"ενημερώθηκε|δημοσιεύθηκε|τελευταία ενημέρωση"
)
_STAMP = re.compile(rf"^\W*(?P<word>{_STAMP_WORDS})\b\s*[:\-–—]?\s*(?P<rest>.*)$", _I)
_PUBLISHED_WORDS = re.compile(
    r"^(?:published|posted|first published|publié|mis en ligne|veröffentlicht|erstellt|pubblicato|"
    r"publicado|опубликовано|дата публикации|opublikowano|data publikacji|δημοσιεύθηκε)",
    _I,
)
_COPYRIGHT = re.compile(
    r"^\W{0,3}(?:©|\(c\)\s|copyright\b)|all rights reserved|tous droits réservés|"
    r"alle rechte vorbehalten|tutti i diritti riservati|todos los derechos reservados|"
    r"все права защищены|wszelkie prawa zastrzeżone|με επιφύλαξη παντός δικαιώματος|"
    r"distributed by tribune content agency|reproduction (?:interdite|prohibited)|"
    r"droits de reproduction|reproduction réservée|"
    r"при (?:цитировании|использовании материалов)|riproduzione riservata",
    _I,
)
_CREDIT = re.compile(
    r"^\W{0,3}(?:photo(?:s|graph)?(?: credit| d['’]illustration| prise)?|image(?: credit)?|"
    r"picture|pic|credits?|"
    r"crédits?(?: photo)?|photo ?credit|illustration|bild(?:quelle)?|foto(?:grafia)?|"
    r"zdjęcie(?: ilustracyjne)?|foto(?: de archivo| d'archivio| ilustrativa)|"
    r"immagine|imagen|фото(?:графия)?|изображение|иллюстрация|zdjęcie|ilustracja|"
    r"φωτογραφία|φωτό|πηγή φωτογραφίας|source de l'image|quelle)\s*(?:[:|/©]|by\b|par\b|"
    r"von\b|di\b|de\b|via\b)|^\W{0,3}fot\.\s",
    _I,
)
_AGENCY_TAIL = re.compile(
    r"(?:/|\||©|\bby\b|\bpar\b|\bvia\b|\bfoto\b|\bphoto\b)\s*[\w .'-]{0,40}"
    r"(?:reuters|afp|ap photo|getty images|shutterstock|epa|anadolu|tass|ria novosti|"
    r"sputnik|dpa|ansa|efe|pixabay|unsplash|wikimedia commons|istock)\W*$",
    _I,
)
_RELATED = re.compile(
    r"^\W*(?:read (?:more|also|next)|see also|more on this|related(?: articles| stories|"
    r" news| content| posts)?|recommended|most read|trending|you may also like|"
    r"lire (?:aussi|également|la suite)|à lire (?:aussi|également)|voir aussi|sur le même sujet|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|weitere artikel|"
    r"leggi anche|leggi (?:di più|l'articolo)|potrebbe interessarti|"
    r"lee también|te puede interesar|más información|"
    r"читайте (?:также|еще|ещё)|по теме|смотрите также|еще по теме|ещё по теме|"
    r"zobacz (?:też|również|także)|czytaj (?:też|także|więcej|również)|zobacz:|"
    r"διαβάστε (?:επίσης|ακόμη|ακόμα)|tags?|keywords|topics|schlagworte|mots-clés|"
    r"теги|тэги|метки|advertisement|anzeige|publicité|pubblicità|publicidad|реклама|"
    r"reklama|διαφήμιση|sponsored|click here|cliquez ici|hier klicken|clicca qui|"
    r"haz clic aquí|нажмите здесь|kliknij tutaj)\b(?P<sep>\s*[:\-–—|>»]|\W*$)?",
    _I,
)
_BYLINE = re.compile(
    r"^(?i:by|par|von|di|por|автор|autor|του|της)\s*:?\s+"
    r"(?:[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯΑ-Ω][\w'’.-]+\s*){1,4}(?:(?:,|\||and|et|und|e|y|и|i)\s*.*)?$",
    re.UNICODE,
)
# Staff and agency credits standing for a byline: "Redacción / Agencias", "Par la rédaction".
_STAFF_BYLINE = re.compile(
    r"^(?:(?:by|par|von|di|por|de)\s+)?(?:the |la |die |our |notre |unserer |della |nuestra |"
    r"la nostra |naszej |нашей )?(?:staff|newsroom|news desk|wire services|"
    r"agencies|rédaction|redaktion|redazione|redacción|редакция|redakcja|σύνταξη|agencias|"
    r"agences|agenturen|agenzie|correspondant|correspondent|korrespondent\w*|corrispondente|"
    r"corresponsal|корреспондент|korespondent\w*|ανταποκριτής)\b[\w\s/,&+-]{0,60}$",
    _I,
)
_SENTENCE_BREAK = re.compile(r"\w[.!?]\s+\w")
_END_PUNCT = tuple(".!:;,…\"»”'’)]")

# -- dates -----------------------------------------------------------------------------------

_MONTHS = {
    # en, fr, de, it, es, pl (nominative and genitive), ru (genitive), el (genitive)
    1: "january jan janvier janv januar jän gennaio gen "
    "enero ene styczeń stycznia sty января янв ιανουαρίου",
    2: "february feb février févr februar febbraio febrero luty lutego lut февраля фев φεβρουαρίου",
    3: "march mar mars märz marzo marzec marca марта мар μαρτίου",
    4: "april apr avril aprile abril kwiecień kwietnia kwi апреля апр απριλίου",
    5: "may mai maggio mayo maj maja мая μαΐου μαίου",
    6: "june jun juin juni giugno junio czerwiec czerwca cze июня ιουνίου",
    7: "july jul juillet juil juli luglio lug julio lipiec lipca lip июля ιουλίου",
    8: "august aug août agosto sierpień sierpnia sie августа авг αυγούστου",
    9: "september sep sept septembre settembre set "
    "septiembre wrzesień września wrz сентября сен σεπτεμβρίου",
    10: "october oct octobre oktober okt ottobre ott "
    "octubre październik października paź октября окт οκτωβρίου",
    11: "november nov novembre novembre noviembre listopad listopada lis ноября ноя νοεμβρίου",
    12: "december dec décembre déc dezember dez dicembre "
    "dic diciembre grudzień grudnia gru декабря дек δεκεμβρίου",
}
_MONTH_OF = {word: number for number, words in _MONTHS.items() for word in words.split()}
_MONTH_NAMES = "|".join(sorted((re.escape(w) for w in _MONTH_OF), key=len, reverse=True))
_NUMERIC_DATE = re.compile(
    r"\b(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})|"
    r"(?P<d2>\d{1,2})[/.\-](?P<m2>\d{1,2})(?:[/.\-](?P<y2>\d{4}|\d{2}))?)\b"
)
_DAY_MONTH = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th|\.)?(?:\s+de|\s+del)?\s+(?P<mon>{_MONTH_NAMES})\.?"
    rf"(?:,?(?:\s+de|\s+del)?\s+(?P<y>\d{{4}}))?",
    _I,
)
_MONTH_DAY = re.compile(
    rf"\b(?P<mon>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?(?:\s+(?P<y>\d{{4}}))?",
    _I,
)
_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])\s*(?:[:h]|\s?h\s?)\s*(?P<mi>[0-5]\d)\b(?:\s*(?P<ap>[ap]\.?m\.?))?",
    _I,
)
_DATE_ONLY_LINE = re.compile(
    rf"^[\W\d]*(?:(?:{_MONTH_NAMES}|\d+|[ap]\.?m\.?|h|at|à|um|alle|a las|в|o|GMT|UTC|CET|"
    rf"CEST|MSK|EST|EDT|BST|mon|tue|wed|thu|fri|sat|sun)\b[\W\d]*){{1,9}}$",
    _I,
)


def read_date(text: str) -> str | None:
    """An ISO 8601 date (and time) read from a stamp, ``--MM-DD`` when it has no year."""
    year = month = day = None
    match = _NUMERIC_DATE.search(text)
    if match and match.group("y1"):
        year, month, day = int(match["y1"]), int(match["m1"]), int(match["d1"])
    elif match:
        day, month = int(match["d2"]), int(match["m2"])
        year = int(match["y2"]) if match["y2"] else None
        if year is not None and year < 100:
            year += 2000
    else:
        for pattern in (_DAY_MONTH, _MONTH_DAY):
            named = pattern.search(text)
            if named:
                month = _MONTH_OF.get(named["mon"].lower().rstrip("."))
                day = int(named["d"])
                year = int(named["y"]) if named["y"] else None
                break
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    clock = _TIME.search(text.replace(match.group(0), " ") if match else text)
    if clock:
        hour, minute = int(clock["h"]), int(clock["mi"])
        meridiem = (clock["ap"] or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        date += f"T{hour:02d}:{minute:02d}"
    return date


# -- classification --------------------------------------------------------------------------


# Literal words the expensive patterns need: a line without any of them skips the pattern
# (a substring test is far cheaper than a case-insensitive search over a long alternation).
_COPYRIGHT_CUES = (
    "©",
    "(c)",
    "copyright",
    "rights reserved",
    "droits réservés",
    "rechte vorbehalten",
    "diritti riservati",
    "derechos reservados",
    "права защищены",
    "prawa zastrzeżone",
    "επιφύλαξη",
    "tribune content",
    "reproduction",
    "цитировании",
    "использовании материалов",
    "riproduzione",
)
_NETWORK_CUES = (
    "google news",
    "flipboard",
    "on x",
    "sur x",
    "auf x",
    "su x",
    "en x",
    "facebook",
    "twitter",
    "telegram",
    "vkontakte",
    "vk",
    "вконтакте",
    "вк",
    "одноклассники",
    "ok.ru",
    "gab",
    "instagram",
    "youtube",
    "tiktok",
    "whatsapp",
    "wechat",
    "linkedin",
    "rumble",
    "gettr",
    "parler",
    "truth social",
    "mastodon",
    "threads",
    "x.com",
    "télégram",
    "телеграм",
    "dzen",
    "дзен",
    "odysee",
    "bitchute",
    "mewe",
    "minds",
    "qr",
)
_GENERIC_NETWORK_CUES = (
    "réseaux sociaux",
    "social",
    "soziale",
    "redes sociales",
    "społecznościowych",
    "соцсет",
    "κοινωνικά",
)
_NEWSLETTER_CUES = (
    "donate",
    "donation",
    "spende",
    "donazione",
    "darowizn",
    "пожертв",
    "δωρεά",
    "newsletter",
    "infolettre",
    "lettre d'information",
    "bulletin",
    "рассылк",
    "sign up",
    "subscribe",
    "abonnez",
    "inscrivez",
    "abonnieren",
    "anmelden",
    "iscriviti",
    "suscríbete",
    "zapisz się",
    "zaprenumeruj",
    "подпишитесь",
    "εγγραφείτε",
    "journalism",
    "journalisme",
    "un don",
    "spenden",
    "sostieni",
    "dona ora",
    "donación",
    "поддержите",
    "wesprzyj",
)
_AGENCY_CUES = (
    "reuters",
    "afp",
    "ap photo",
    "getty",
    "shutterstock",
    "epa",
    "anadolu",
    "tass",
    "ria novosti",
    "sputnik",
    "dpa",
    "ansa",
    "efe",
    "pixabay",
    "unsplash",
    "wikimedia",
    "istock",
)


# A call to the reader (second person or "us") about a channel or an action, at the start or the
# end of an article: app downloads, news tips, alerts, sharing, donations, channels.
_READER_ADDRESS = re.compile(
    r"\b(?:you|your|us|our|vous|votre|vos|nous|notre|nos|sie|ihr|ihnen|uns|unser\w*|du|dein\w*|"
    r"tu|ti|tuo|vostr\w|nostr\w|ci|usted|tus?|nuestr\w+|вы|вас|ваш\w*|нас|наш\w*|ty|twój|"
    r"nas|nasz\w*|σας|μας)\b|\b(?:please|bitte|per favore|por favor|s'il vous plaît)\b|"
    r"^\W*(?:download|get|share|send|write|email|scarica|descarga|t[ée]l[ée]charg\w*|lade|"
    r"pobierz|napisz|masz|got|have|scarica|empfehlen|consigliate|recomienda|soutenez|"
    r"unterstützen|больше|ещё|еще|more|réagissez|commentez|kommentieren|commenta|comenta|"
    r"комментируйте|skomentuj|σχολιάστε|consider|все новости|tutte le notizie|toutes les "
    r"informations)\b|\b(?:if you|si vous|wenn (?:ihnen|sie)|se (?:questo|ti)|si te|если вам|jeśli|"
    r"sostienici|supportaci|aiutaci|seguici|читайте)\b",
    _I,
)
_READER_ACTION = re.compile(
    r"\b(?:app|apps|application|applicazione|aplicación|приложени\w*|aplikacj\w*|download\w*|"
    r"télécharg\w*|herunterlad\w*|scarica|descarga\w*|скача\w*|pobierz|notific\w*|"
    r"notifications?|alert\w*|push|newsletter\w*|e-?mail\w*|story|tips?|témoign\w*|hinweis\w*|"
    r"segnal\w*|napisz|пишите|напишите|share|partag\w*|teil\w*|weiter|condivid\w*|compart\w*|"
    r"подел\w*|udostępn\w*|κοινοποι\w*|don(?!['’])|donat\w*|spende\w*|dona\w*|пожертв\w*|wpłat\w*|"
    r"δωρε\w*|subscri\w*|abonn\w*|iscriv\w*|suscr\w*|подпис\w*|telegram\w*|канал\w*|"
    r"channel|kanal|canale|canal|facebook|twitter|instagram|whatsapp|comment\w*|kommentar\w*|"
    r"commenti|comentarios?|комментар\w*|komentarz\w*|σχόλι\w*|support\w*|contribut\w*|"
    r"sostien\w*|soutien\w*|unterstütz\w*|apoy\w*|поддерж\w*|wesprzyj\w*|στήριξ\w*|"
    r"сайт\w*|website|sito|sitio|stron\w*)\b",
    _I,
)


def _is_reader_call(line: str, words: int) -> bool:
    return (
        (words <= 25 and not _SENTENCE_BREAK.search(line.rstrip(".!?")) or words <= 16)
        and bool(_READER_ACTION.search(line))
        and bool(_READER_ADDRESS.search(line))
    )


def _has_any(lower: str, cues: tuple[str, ...]) -> bool:
    return any(cue in lower for cue in cues)


def classify_line(text: str) -> str | None:
    """The kind of boilerplate one line is, or None when it reads like article text."""
    line = text.strip().removeprefix("\ufeff")
    if not line:
        return None
    lower = line.lower()
    words = len(line.split())
    stamp = _STAMP.match(line)
    if stamp and words <= 16 and re.search(r"\d", stamp["rest"]):
        return "stamp"
    if words <= 12 and _DATE_ONLY_LINE.match(line) and read_date(line):
        return "date"
    if words <= 60 and _has_any(lower, _COPYRIGHT_CUES) and _COPYRIGHT.search(line):
        return "copyright"
    if words <= 30:
        if _has_any(lower, _NETWORK_CUES) and (
            _SOCIAL.search(line) or _SOCIAL_REVERSED.search(line)
        ):
            return "social"
        if (
            _has_any(lower, _GENERIC_NETWORK_CUES)
            and _SOCIAL_GENERIC.search(line)
            and _TO_READER.search(line)
        ):
            return "social"
    if words <= 8 and _SHARE.match(line):
        return "social"
    if (
        words <= 40
        and _has_any(lower, _NEWSLETTER_CUES)
        and _NEWSLETTER.search(line)
        and _NEWSLETTER_CONTEXT.search(line)
    ):
        return "newsletter"
    if words <= 30 and (
        _CREDIT.match(line) or (_has_any(lower, _AGENCY_CUES) and _AGENCY_TAIL.search(line))
    ):
        return "credit"
    if words <= 12 and "©" in line and not line.endswith(_END_PUNCT[:1]):
        return "credit"  # "Photo d'illustration © Name / Agency": a credit inside a caption
    related = _RELATED.match(line) if words <= 20 else None
    if related and (related["sep"] is not None or words <= 8):
        return "related"
    if words <= 10 and _BYLINE.match(line) and not line.endswith(_END_PUNCT[:1]):
        return "byline"
    if words <= 8 and _STAFF_BYLINE.match(line):
        return "byline"
    return None


def is_headline_like(text: str) -> bool:
    """A short line without sentence-final punctuation (a question mark is allowed)."""
    line = text.strip()
    words = len(line.split())
    return (
        2 <= words <= 22
        and len(line) <= 170
        and not line.endswith(_END_PUNCT)
        and not _SENTENCE_BREAK.search(line)
    )


def _is_body(text: str) -> bool:
    """A sentence of the article: several words ending with sentence punctuation."""
    line = text.strip()
    return len(line.split()) >= 6 and line.endswith(_END_PUNCT)


def mark_boilerplate(article: Article) -> Article:
    """Mark the boilerplate paragraphs of ``article`` in place; returns it."""
    paragraphs = article.paragraphs
    if not paragraphs:
        return article
    kinds: dict[int, str] = {}
    for index, paragraph in enumerate(paragraphs):
        kind = classify_line(paragraph.text)
        near_edge = index <= 3 or index >= len(paragraphs) - 3
        if kind in ("byline", "date") and not near_edge:
            kind = None  # bylines and bare dates sit by the title or at the end; else a heading
        if kind is None and index > 0 and index >= len(paragraphs) - 4:
            text = paragraphs[index].text.strip()
            if _is_reader_call(text, len(text.split())):
                kind = "call"
        if kind == "date":
            kind = "stamp"
        if kind is not None:
            kinds[index] = kind
    _mark_related_blocks(paragraphs, kinds)
    _mark_trailing_headlines(paragraphs, kinds)
    marked: dict[str, str] = {}
    for index, kind in sorted(kinds.items()):
        paragraph = paragraphs[index]
        paragraph.boilerplate = True
        marked[str(paragraph.line)] = kind
        if kind == "stamp":
            _read_stamp(article, paragraph.text)
    if marked:
        article.meta["boilerplate"] = marked
        if paragraphs[0].boilerplate:
            # The title is the first line that is article text.
            first = next((p for p in paragraphs if not p.boilerplate), None)
            if first is not None and article.title == paragraphs[0].text.strip().lstrip("\ufeff"):
                article.title = first.text.strip()
    return article


def _mark_related_blocks(paragraphs: list[Paragraph], kinds: dict[int, str]) -> None:
    """After a "related"/"read also" header, the headline-like lines that follow are links."""
    for index, kind in list(kinds.items()):
        if kind != "related":
            continue
        header = paragraphs[index].text.strip()
        if len(_WORD.findall(header)) > 4:
            continue  # "Read more: <headline>" is a whole link in one line
        for following in range(index + 1, len(paragraphs)):
            if following in kinds:
                continue
            if not is_headline_like(paragraphs[following].text):
                break
            kinds[following] = "headlines"


def _mark_trailing_headlines(paragraphs: list[Paragraph], kinds: dict[int, str]) -> None:
    """A run of three or more headline-like lines closing an article, after its body."""
    run: list[int] = []
    headline_count = 0
    for index in range(len(paragraphs) - 1, 0, -1):
        text = paragraphs[index].text
        if index in kinds:
            run.append(index)
            continue
        if is_headline_like(text):
            run.append(index)
            headline_count += 1
            continue
        break
    else:
        return  # the whole article is short lines: nothing to tell headlines from body
    # The run starts at its first headline-like line that is neither a question (the last
    # sentence of an opinion piece often is one) nor a list item the article announced.
    while run and run[-1] not in kinds and paragraphs[run[-1]].text.rstrip().endswith("?"):
        run.pop()
        headline_count -= 1
    if run and paragraphs[run[-1] - 1].text.rstrip().endswith(":"):
        return  # "Key figures:" followed by its items
    if headline_count < 3:
        return
    body_before = any(_is_body(p.text) for i, p in enumerate(paragraphs) if i not in run)
    if not body_before:
        return
    for index in run:
        kinds.setdefault(index, "headlines")


def _read_stamp(article: Article, text: str) -> None:
    date = read_date(text)
    if date is None:
        return
    stamp = _STAMP.match(text.strip())
    if stamp and _PUBLISHED_WORDS.match(stamp["word"]):
        if article.published is None:
            article.published = date
        else:
            article.meta.setdefault("published_stamp", date)
    else:
        article.meta.setdefault("updated", date)
