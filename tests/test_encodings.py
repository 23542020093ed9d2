"""Legacy charsets without a declaration: detected (issue 16), declared ones honoured, and
every guess logged with the file's name; read through the real reader."""

from __future__ import annotations

import base64
import logging
import random
from pathlib import Path

import pytest

from monitor.articles import ArticleError, read_article, read_bytes_article
from monitor.articles.decode import DETECT_BYTES, decode_bytes, detection_sample

# (language, title, body, the legacy charsets its press used)
NEWS = [
    (
        "ru",
        "Россия и НАТО обсудили безопасность в Европе",
        "Министр иностранных дел России заявил в понедельник, что переговоры с НАТО о "
        "безопасности в Европе зашли в тупик. Представители альянса ответили, что двери "
        "для диалога остаются открытыми.",
        ["cp1251", "koi8-r", "iso-8859-5"],
    ),
    (
        "uk",
        "Україна отримала нову допомогу від ЄС",
        "Європейський союз у четвер погодив новий пакет фінансової допомоги Україні. "
        "Міністр фінансів подякував партнерам і пообіцяв прозоре використання коштів.",
        ["cp1251", "koi8-u"],
    ),
    (
        "ja",
        "日本政府、新たな経済対策を発表",
        "政府は月曜日、物価高に対応するための新たな経済対策を発表した。首相は記者会見で、"
        "賃上げを後押しし、家計の負担を軽減すると述べた。",
        ["shift_jis", "euc-jp"],
    ),
    (
        "zh-hans",
        "台湾半导体出口创新高",
        "台湾本月半导体出口再创新高，主要受人工智能芯片需求强劲推动。经济部官员表示，"
        "预计明年出口仍将保持增长。",
        ["gb18030", "gb2312"],
    ),
    (
        "zh-hant",
        "台灣半導體出口創新高",
        "台灣本月半導體出口再創新高，主要受人工智慧晶片需求強勁帶動。經濟部官員表示，"
        "預計明年出口仍將維持成長。",
        ["big5"],
    ),
    (
        "ko",
        "한국 정부, 북한 미사일 발사 규탄",
        "한국 정부는 월요일 북한의 탄도 미사일 발사를 강력히 규탄했다. 국방부는 미국 및 "
        "일본과 긴밀히 협력하고 있다고 밝혔다.",
        ["euc-kr"],
    ),
    (
        "el",
        "Η Ελλάδα ενισχύει την άμυνα των νησιών",
        "Η ελληνική κυβέρνηση ανακοίνωσε τη Δευτέρα νέο πρόγραμμα για την ενίσχυση της "
        "άμυνας των νησιών του Αιγαίου. Ο υπουργός δήλωσε ότι η χώρα παραμένει "
        "προσηλωμένη στη διπλωματία.",
        ["cp1253", "iso-8859-7"],
    ),
    (
        "he",
        "ישראל וירדן חתמו על הסכם מים חדש",
        "ממשלת ישראל וממשלת ירדן חתמו ביום שני על הסכם חדש לאספקת מים. שר החוץ אמר כי "
        "ההסכם יחזק את היחסים בין המדינות.",
        ["cp1255", "iso-8859-8"],
    ),
    (
        "pl",
        "Polska zwiększa wydatki na obronność",
        "Rząd w Warszawie zapowiedział w poniedziałek, że w przyszłym roku wydatki na "
        "obronność wzrosną do pięciu procent PKB. Minister podkreślił, że zagrożenie ze "
        "wschodu jest poważne.",
        ["cp1250", "iso-8859-2"],
    ),
    (
        "cs",
        "Česká vláda schválila nový rozpočet",
        "Vláda v Praze ve středu schválila návrh rozpočtu na příští rok. Ministr financí "
        "řekl, že schodek se sníží díky vyšším příjmům z daní.",
        ["cp1250", "iso-8859-2"],
    ),
    (
        "tr",
        "Türkiye ile Yunanistan arasında yeni görüşmeler",
        "Türk ve Yunan dışişleri bakanları çarşamba günü Ankara'da bir araya gelerek "
        "Ege'deki gerginliği azaltmak için yeni bir görüşme turu başlattı. Bakanlar, "
        "diyaloğun süreceğini söyledi.",
        ["cp1254", "iso-8859-9"],
    ),
]
CASES = [(lang, title, body, enc) for lang, title, body, encs in NEWS for enc in encs]

WESTERN = [
    (
        "Le président s’exprime à l’Élysée",
        "Le président a déclaré mardi que la France « soutiendra ses alliés » et qu’il "
        "recevrait bientôt le secrétaire général de l’OTAN à l’Élysée.",
    ),
    (
        "Bundesregierung beschließt neue Maßnahmen",
        "Die Bundesregierung hat am Mittwoch ein Gesetz über höhere Verteidigungsausgaben "
        "beschlossen. Der Minister sagte, Deutschland müsse „kriegstüchtig“ werden.",
    ),
    (
        "El Gobierno español aprueba los presupuestos",
        "El Consejo de Ministros aprobó el martes el proyecto de presupuestos, que según "
        "la ministra “garantizará la protección social” durante el próximo año.",
    ),
]


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("lang", "title", "body", "encoding"), CASES)
def test_undeclared_legacy_charset_is_detected(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, lang: str, title: str, body: str,
    encoding: str,
) -> None:  # fmt: skip
    path = _file(tmp_path, f"{lang}.txt", f"{title}\n{body}\n".encode(encoding))
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(path)
    assert (article.title, article.body) == (title, body)
    [record] = [r for r in caplog.records if r.name == "monitor.articles"]
    assert record.levelno == logging.INFO  # a paragraph is enough to be sure
    assert str(path) in record.getMessage()
    assert "guessed" in record.getMessage()


def test_russian_cp1251_matches_its_words_not_mojibake(tmp_path: Path) -> None:
    """The issue's case: cp1251 read as cp1252 gave `Ðîññèÿ è ÍÀÒÎ`."""
    article = read_article(_file(tmp_path, "r.txt", "Россия и НАТО\nТекст.".encode("cp1251")))
    assert article.title == "Россия и НАТО"


@pytest.mark.parametrize(("title", "body"), WESTERN)
@pytest.mark.parametrize("name", ["w.txt", "w.md", "w.html"])
def test_western_cp1252_text_stays_cp1252(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, title: str, body: str, name: str
) -> None:
    text = f"{title}\n{body}\n"
    if name.endswith(".html"):
        text = f"<html><head><title>{title}</title></head><body><p>{body}</p></body></html>"
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, name, text.encode("cp1252")))
    assert article.title == title
    assert body in article.body
    assert "read as cp1252" in caplog.text


def test_a_short_headline_is_logged_as_an_unsure_guess(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _file(tmp_path, "short.txt", "台湾半导体出口创新高".encode("gb18030"))  # 20 bytes
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(path)
    assert article.title == "台湾半导体出口创新高"
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert "short.txt" in record.getMessage() and "unsure" in record.getMessage()
    assert "gb18030" in record.getMessage()


def test_an_unsure_guess_on_western_looking_bytes_keeps_cp1252(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, "odd.txt", b"Title\nna\xefve \x81"))
    assert article.body == "na\u00efve \x81"  # latin-1 for the byte cp1252 leaves undefined
    assert caplog.records[0].levelno == logging.WARNING
    assert "read as latin-1, unsure" in caplog.text


def test_utf8_and_declared_charsets_log_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = "<meta charset='koi8-r'><title>Новости</title><p>Привет</p>".encode("koi8-r")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        read_article(_file(tmp_path, "u.txt", "Россия\nи НАТО".encode()))
        read_article(_file(tmp_path, "k.html", page))
    assert caplog.records == []


# --- a declared charset wins ----------------------------------------------------------------

CZECH = "Česká vláda schválila nový rozpočet"  # detection alone reads it as cp1252


def test_detection_alone_misreads_a_short_czech_headline_but_says_so() -> None:
    text, decoding = decode_bytes(CZECH.encode("cp1250"))
    assert text != CZECH and not decoding.sure


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("meta.html", "<html><head><meta charset='{cs}'><title>{t}</title></head><p>{t}</p>"),
        (
            "equiv.html",
            '<meta http-equiv="Content-Type" content="text/html; charset={cs}">'
            "<title>{t}</title><p>{t}</p>",
        ),
        ("x.xhtml", "<?xml version='1.0' encoding='{cs}'?><html><title>{t}</title><p>{t}</p>"),
        ("x.xml", "<?xml version='1.0' encoding='{cs}'?>\n{t}"),
    ],
)
def test_declared_charset_overrides_detection(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, template: str
) -> None:
    data = template.format(cs="windows-1250", t=CZECH).encode("cp1250")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, name, data))
    assert CZECH in (article.title, article.body)
    assert caplog.records == []


def test_eml_declared_charset_overrides_detection(tmp_path: Path) -> None:
    data = (
        b"Subject: =?windows-1250?b?" + base64.b64encode(CZECH.encode("cp1250")) + b"?=\r\n"
        b"Content-Type: text/plain; charset=windows-1250\r\n\r\n" + CZECH.encode("cp1250")
    )
    article = read_article(_file(tmp_path, "c.eml", data))
    assert (article.title, article.body) == (CZECH, CZECH)


def test_eml_undeclared_body_detected_and_raw_subject_read_alike(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, title, body, _ = NEWS[0]
    data = b"Subject: " + title.encode("cp1251") + b"\r\n\r\n" + body.encode("cp1251")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, "r.eml", data))
    assert (article.title, article.body) == (title, body)
    assert "r.eml: not UTF-8 and no charset declared; read as cp1251" in caplog.text


def test_json_not_in_utf8_is_read_by_an_unsure_guess(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, title, body, _ = NEWS[0]
    data = f'{{"title": "{title}", "body": "{body}"}}'.encode("cp1251")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, "a.json", data))
    assert (article.title, article.body) == (title, body)
    assert caplog.records[0].levelno == logging.WARNING
    assert "not utf-8 as declared; read as cp1251" in caplog.text


def test_a_wrong_declaration_falls_back_to_detection_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, title, body, _ = NEWS[2]  # Japanese, declared as Big5 but in Shift_JIS
    page = f"<meta charset='big5'><title>{title}</title><p>{body}</p>".encode("shift_jis")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, "j.html", page))
    assert article.title == title
    assert "not big5 as declared" in caplog.text


# --- hostile and unlucky input ----------------------------------------------------------------


def test_detection_sees_a_bounded_sample_from_the_first_non_ascii_byte() -> None:
    head = b"<script>" + b"x" * 200_000 + b"</script>"
    data = head + ("Россия и НАТО. " * 700_000).encode("cp1251")  # 10 MB
    sample = detection_sample(data)
    assert len(sample) <= DETECT_BYTES
    assert sample.find(b"\xd0") < 300  # starts where the Cyrillic does, not in the script
    text, decoding = decode_bytes(data)
    assert decoding.charset == "cp1251" and text.endswith("Россия и НАТО. ")


def test_the_sample_cut_never_splits_a_multibyte_character(tmp_path: Path) -> None:
    _, title, body, _ = NEWS[2]
    data = f"{title}\n" + (body + "\n") * 2_000  # far past DETECT_BYTES, odd line length
    article = read_bytes_article(data.encode("shift_jis")[: 3 * DETECT_BYTES], "big.txt")
    assert article.title == title
    assert body in article.body


def test_binary_files_are_still_refused(tmp_path: Path) -> None:
    noise = random.Random(16).randbytes(20_000)
    with pytest.raises(ArticleError, match=r"^binary file"):
        read_article(_file(tmp_path, "noise.txt", noise))
    with pytest.raises(ArticleError, match=r"^binary file: .*control characters"):
        read_article(
            _file(tmp_path, "ctl.txt", bytes(range(1, 32)) * 40 + "Россия".encode("cp1251"))
        )


def test_a_long_western_text_stays_cp1252() -> None:
    """The language detection guesses on the sample is weak (a long French text came out
    "Turkish"); where cp1252 reads the sample alike, it is kept."""
    title, body = WESTERN[0]
    data = (f"{title}\n{body}\n" * 2_000).encode("cp1252")
    text, decoding = decode_bytes(data)
    assert decoding.charset == "cp1252"
    assert text.startswith(f"{title}\n{body}\n")


@pytest.mark.parametrize(
    ("name", "data", "title"),
    [
        # a cp1252 dash pasted into UTF-8 Russian
        ("stray.txt", "Россия и НАТО: переговоры\nМинистр \x96 заявил.".encode(), None),
        # a UTF-8 file cut inside its last character
        ("cut.txt", "台湾半导体出口创新高\n经济部表示出口增长".encode()[:-1], None),
        # German, few non-ASCII letters, one cp1252 dash
        (
            "de.txt",
            "Gespräche über Nordkorea\nSüdkorea reagiert zurückhaltend".encode() + b" \x96 gut",
            None,
        ),
        # an HTML page declaring UTF-8 with one stray byte
        (
            "page.html",
            "<html><head><meta charset='utf-8'><title>Россия и НАТО</title></head>"
            "<body><p>Министр заявил \x93в понедельник\x94.</p></body></html>".encode(),
            "Россия и НАТО",
        ),
    ],
)
def test_utf8_with_a_few_broken_bytes_stays_utf8(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, data: bytes, title: str | None
) -> None:
    """One stray byte made the whole text fall to latin-1: every letter garbled."""
    data = data.replace("\x96".encode(), b"\x96").replace("\x93".encode(), b"\x93")
    data = data.replace("\x94".encode(), b"\x94")
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, name, data))
    expected = title or data.decode("utf-8", "replace").split("\n")[0]
    assert article.title == expected
    assert "\ufffd" in article.title + article.body
    [record] = [r for r in caplog.records if r.name == "monitor.articles"]
    assert record.levelno == logging.WARNING and "not valid UTF-8" in record.getMessage()


def test_legacy_text_is_not_taken_for_broken_utf8(tmp_path: Path) -> None:
    """A title in cp1251 above a UTF-8 body: the body's letters are kept, the title's
    bytes replaced (it was all latin-1 garble before); cp1251 alone is detected as such."""
    legacy = "Россия и НАТО обсудили безопасность\nМинистр заявил в понедельник.".encode("cp1251")
    assert read_article(_file(tmp_path, "ru.txt", legacy)).title.startswith("Россия")


@pytest.mark.parametrize(
    "label", ["quoted-printable", "base64", "rot13", "zlib", "undefined", "unicode_escape"]
)
def test_a_label_that_names_no_charset_is_no_declaration(tmp_path: Path, label: str) -> None:
    """`charset=quoted-printable` (real broken mail) made the article unreadable, and
    `unicode_escape` turned a page's `\\x1b` into a real escape character."""
    html = (
        f"<html><head><meta charset='{label}'><title>Café NATO</title></head>"
        "<body><p>Les alliés \\x1b se réunissent.</p></body></html>"
    ).encode("cp1252")
    article = read_article(_file(tmp_path, "p.html", html))
    assert article.title == "Café NATO" and "\x1b" not in article.body
    mail = (
        f'Subject: news\nContent-Type: text/plain; charset="{label}"\n\n'
        "Les alliés se réunissent à Bruxelles.\n"
    ).encode("cp1252")
    assert "alliés" in read_article(_file(tmp_path, "m.eml", mail)).body


@pytest.mark.parametrize(
    ("charset", "declared"), [("cp1251", "koi8-r"), ("cp1251", "iso-8859-1"), ("koi8-r", "cp1251")]
)
def test_a_wrong_declaration_is_kept_but_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, charset: str, declared: str
) -> None:
    """A page template declaring the wrong one-byte charset garbled the text without a word:
    the declaration still wins (as in browsers), and the log says what the text reads as."""
    title, body = NEWS[0][1], NEWS[0][2]
    html = (
        f'<html><head><meta charset="{declared}"><title>{title}</title></head>'
        f"<body><p>{body}</p></body></html>"
    )
    with caplog.at_level(logging.INFO, logger="monitor.articles"):
        article = read_article(_file(tmp_path, "p.html", html.encode(charset)))
    assert article.title != title  # as declared
    [record] = [r for r in caplog.records if r.name == "monitor.articles"]
    assert record.levelno == logging.WARNING
    assert f"the text reads as {charset.replace('-', '_')}, Russian" in record.getMessage()


@pytest.mark.parametrize(("title", "body"), WESTERN)
def test_a_right_declaration_of_a_latin_code_page_is_not_doubted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, title: str, body: str
) -> None:
    for declared in ("iso-8859-1", "windows-1252"):
        html = (
            f'<html><head><meta charset="{declared}"><title>{title}</title></head>'
            f"<body><p>{body}</p></body></html>"
        )
        with caplog.at_level(logging.INFO, logger="monitor.articles"):
            assert read_article(_file(tmp_path, "p.html", html.encode("cp1252"))).title == title
    assert not [r for r in caplog.records if r.name == "monitor.articles"]


def test_utf8_mail_labelled_with_a_one_byte_charset_is_read_as_utf8(tmp_path: Path) -> None:
    """Mail clients mislabel UTF-8 as windows-1251 or latin-1; the body came out as
    `РњРѕСЃРєРІР°` without a word (found by the outside review)."""
    for label, body in (
        ("windows-1251", "Москва: встреча министров"),
        ("iso-8859-1", "Café à Zürich"),
    ):
        mail = f'Subject: x\nContent-Type: text/plain; charset="{label}"\n\n{body}\n'.encode()
        assert read_article(_file(tmp_path, "m.eml", mail)).body == body


def test_western_utf8_with_a_few_stray_bytes_stays_utf8(tmp_path: Path) -> None:
    """Each accented letter is one character: two names and a pasted Word dash fell to
    cp1252 (`CafÃ©`) at the first threshold (four characters per broken byte)."""
    data = "Café news\nThe café opened ".encode() + b"\x96 today."
    article = read_article(_file(tmp_path, "w.txt", data))
    assert article.title == "Café news" and article.body == "The café opened \ufffd today."


def test_an_ebcdic_label_is_no_declaration(tmp_path: Path) -> None:
    """`charset=cp037` is a Python codec, no web charset: the page was quarantined."""
    html = (
        "<html><head><meta charset='cp037'><title>Москва</title></head>"
        "<body><p>Текст статьи.</p></body></html>"
    )
    assert read_article(_file(tmp_path, "p.html", html.encode())).title == "Москва"
