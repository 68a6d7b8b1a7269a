"""The formats journalists hold, each in a file the test makes: PDF, Word, OpenDocument, tables, feeds,
press-database exports; every file read or reported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from graphkit.documents import read_documents
from graphkit.formats import ReadOptions
from graphkit.model import Document

ARTICLE = (
    "Le groupe Carrefour a racheté l'enseigne Dia à Madrid pour un montant non communiqué. "
    "Alexandre Bompard, le PDG de Carrefour, parle d'une étape importante pour le groupe."
)


def read(*inputs: Path, **options: object) -> tuple[list[Document], list[tuple[str, str]]]:
    skipped: list[tuple[str, str]] = []
    reading = ReadOptions(**options)  # type: ignore[arg-type]
    documents = list(read_documents(inputs, on_skip=lambda n, r: skipped.append((n, r)), options=reading))
    return documents, skipped


def one(path: Path, **options: object) -> Document:
    documents, skipped = read(path, **options)
    assert skipped == []
    [document] = documents
    return document


# -- PDF, Word, OpenDocument -----------------------------------------------------------


def make_pdf(path: Path, lines: list[str], title: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2024, 3, 5, 9, 30, tzinfo=dt.timezone.utc))
    if title:
        pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(4)
    pdf.output(str(path))
    return path


def test_formats_pdf_text_layer_with_title_and_date(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "note.pdf", ["Renault rachete Nissan.", "Deuxieme page."], title="Dépêche")
    document = one(path)
    assert document.name == "note.pdf"
    assert "Renault rachete Nissan." in document.text and "Deuxieme page." in document.text
    assert "PDF-1" not in document.text and "EOF" not in document.text
    assert document.meta_dict == {"title": "Dépêche", "date": "2024-03-05"}


def test_formats_pdf_without_text_layer_says_ocr_it(tmp_path: Path) -> None:
    documents, skipped = read(make_pdf(tmp_path / "scan.pdf", []))
    assert documents == [] and skipped == [("scan.pdf", "no text layer, OCR it first")]


def test_formats_damaged_pdf_and_word_files_are_skipped_with_their_reason(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not a zip")
    documents, skipped = read(tmp_path)
    assert documents == []
    assert [(name, reason.split(" (")[0]) for name, reason in skipped] == [
        ("bad.docx", "unreadable Word file"),
        ("bad.pdf", "unreadable PDF"),
    ]


def test_formats_docx_paragraphs_tables_title_and_date(tmp_path: Path) -> None:
    import docx

    word = docx.Document()
    word.core_properties.title = "Carrefour et Dia"
    word.core_properties.created = dt.datetime(2024, 5, 2, 8, 0)
    word.add_heading("Carrefour rachète Dia", level=1)
    word.add_paragraph(ARTICLE)
    word.add_table(rows=1, cols=1).cell(0, 0).text = "Source : AFP"
    word.save(str(tmp_path / "note.docx"))
    document = one(tmp_path / "note.docx")
    assert document.text == f"Carrefour rachète Dia\n\n{ARTICLE}\n\nSource : AFP"
    assert document.meta_dict == {"title": "Carrefour et Dia", "date": "2024-05-02"}


def test_formats_odt_headings_paragraphs_and_title(tmp_path: Path) -> None:
    from odf import dc, text
    from odf.opendocument import OpenDocumentText

    odt = OpenDocumentText()
    odt.meta.addElement(dc.Title(text="Dépêche"))
    odt.text.addElement(text.H(outlinelevel=1, text="Carrefour rachète Dia"))
    odt.text.addElement(text.P(text=ARTICLE))
    odt.save(str(tmp_path / "note.odt"))
    document = one(tmp_path / "note.odt")
    assert document.text == f"Carrefour rachète Dia\n\n{ARTICLE}"
    assert document.meta_dict == {"title": "Dépêche"}


# -- tables ---------------------------------------------------------------------------------


def test_formats_csv_one_article_a_row_with_guessed_columns(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Titre": ["Un", "Deux", "Trois"],
            "Content": [ARTICLE, "", "Airbus livre un A350."],
            "published": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "link": ["https://a.fr/1", "https://a.fr/2", "https://a.fr/3"],
            "source": ["Le Monde", "Le Monde", "Les Echos"],
        }
    )
    frame.to_csv(tmp_path / "export.csv", index=False, sep=";", encoding="utf-8-sig")
    documents, skipped = read(tmp_path / "export.csv")
    assert [(d.name, d.text) for d in documents] == [
        ("export.csv#1", ARTICLE),
        ("export.csv#3", "Airbus livre un A350."),
    ]
    assert documents[1].meta_dict == {
        "title": "Trois", "date": "2024-01-03", "url": "https://a.fr/3", "outlet": "Les Echos"
    }
    assert skipped == [("export.csv#2", "no text")]


def test_formats_tsv_and_xlsx_with_named_columns(tmp_path: Path) -> None:
    frame = pd.DataFrame({"corps": [ARTICLE], "titre_long": ["Titre"], "jour": ["2024-02-02"]})
    frame.to_csv(tmp_path / "a.tsv", index=False, sep="\t")
    frame.to_excel(tmp_path / "b.xlsx", index=False)
    options = {"text_column": "corps", "title_column": "titre_long", "date_column": "jour"}
    documents, skipped = read(tmp_path, **options)
    assert skipped == []
    assert [(d.name, d.text, d.meta_dict) for d in documents] == [
        (name, ARTICLE, {"title": "Titre", "date": "2024-02-02"}) for name in ("a.tsv#1", "b.xlsx#1")
    ]


def test_formats_table_without_a_text_column_names_its_columns(tmp_path: Path) -> None:
    pd.DataFrame({"a": ["x"], "b": ["y"]}).to_csv(tmp_path / "t.csv", index=False)
    documents, skipped = read(tmp_path / "t.csv")
    assert documents == []
    assert skipped == [("t.csv", "no text column (columns: a, b); name it with --text-column")]
    _documents, skipped = read(tmp_path / "t.csv", text_column="body")
    assert skipped == [("t.csv", "no column 'body' (columns: a, b)")]


# -- feeds ------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Journal</title>
<item><title>Carrefour rachète Dia</title><link>https://journal.fr/a</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{ARTICLE}&lt;/p&gt;&lt;p&gt;Fin.&lt;/p&gt;</description></item>
<item><title>Vide</title><link>https://journal.fr/b</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Agence</title><id>urn:a</id><updated>2024-03-06T00:00:00Z</updated>
<entry><title>Dia</title><id>urn:1</id><link href="https://agence.fr/1"/><updated>2024-03-06T08:00:00Z</updated>
<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content></entry></feed>"""


def test_formats_rss_atom_and_xml_feeds(tmp_path: Path) -> None:
    (tmp_path / "journal.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "agence.xml").write_text(ATOM, encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text("<urlset><url/></urlset>", encoding="utf-8")
    documents, skipped = read(tmp_path)
    assert [(d.name, d.text, d.meta_dict) for d in documents] == [
        ("agence.xml#1", ARTICLE, {"title": "Dia", "url": "https://agence.fr/1", "date": "2024-03-06",
                                   "outlet": "Agence"}),
        ("journal.rss#1", f"{ARTICLE}\n\nFin.", {"title": "Carrefour rachète Dia", "url": "https://journal.fr/a",
                                                 "date": "2024-03-05", "outlet": "Le Journal"}),
    ]
    assert skipped == [
        ("journal.rss#2", "feed entry without text"),
        ("sitemap.xml", "unsupported format .xml (an XML file that is not an RSS or Atom feed)"),
    ]


# -- press-database exports ------------------------------------------------------------------


def export_article(title: str, outlet: str, date: str, body: str) -> str:
    return (
        f'<article><h2>{title}</h2><div class="source">{outlet}</div><time datetime="{date}">{date}</time>'
        f'<a rel="bookmark" href="https://base.fr/{date}">lien</a>'
        f"<p>{body}</p><p>Fin de l'article.</p></article>"
    )


def test_formats_press_export_split_into_articles(tmp_path: Path) -> None:
    body = ARTICLE + " " + ARTICLE
    page = "<html><body><h1>Export du 5 mars</h1>" + "".join(
        export_article(f"Titre {n}", outlet, f"2024-03-0{n}", body)
        for n, outlet in ((1, "Le Monde"), (2, "Ouest-France"), (3, "Les Echos"))
    ) + "</body></html>"
    (tmp_path / "export.html").write_text(page, encoding="utf-8")
    documents, skipped = read(tmp_path / "export.html")
    assert skipped == []
    assert [d.name for d in documents] == ["export.html#1", "export.html#2", "export.html#3"]
    assert documents[1].meta_dict == {
        "title": "Titre 2", "outlet": "Ouest-France", "date": "2024-03-02", "url": "https://base.fr/2024-03-02"
    }
    assert documents[1].text == f"lien\n\n{body}\n\nFin de l'article."


def test_formats_news_page_with_teasers_is_one_article(tmp_path: Path) -> None:
    teaser = "<article><h3>À lire aussi</h3><p>Un court résumé.</p></article>"
    main = f"<article><h1>Carrefour rachète Dia</h1><p>{ARTICLE}</p><p>{ARTICLE}</p></article>"
    (tmp_path / "page.html").write_text(f"<html><body>{main}{teaser}{teaser}</body></html>", encoding="utf-8")
    document = one(tmp_path / "page.html")
    assert document.name == "page.html" and ARTICLE in document.text


# -- every file accounted for ---------------------------------------------------------------


def test_formats_unsupported_and_binary_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04\x00\x00binary")
    (tmp_path / "a.txt").write_text("Renault.", encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    documents, skipped = read(tmp_path)
    assert [d.name for d in documents] == ["a.txt"]
    assert skipped == [("image.txt", "binary file"), ("slides.pptx", "unsupported format .pptx")]
    _documents, skipped = read(tmp_path / "slides.pptx")  # named explicitly: tried as text, then reported
    assert skipped == [("slides.pptx", "unsupported format .pptx")]
