"""The board pack as a PDF, made on the server with WeasyPrint.

The same sections as the printable page (templates/boards/_pack_sections.html),
in a standalone document styled by boards/pdf/pack.css: PDF/UA-1, so the PDF is
tagged (headings, real tables with header cells, lists), with its title and
language set; every page names the council and the meeting and is numbered
(@page margin boxes fed by string-set from the document).
"""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify

from .selectors import BoardPack

STYLESHEET = Path(__file__).resolve().parent / "pdf" / "pack.css"


def file_name(pack: BoardPack) -> str:
    meeting = pack.meeting
    return f"board-pack-{slugify(meeting.council.name)}-{meeting.held_on:%Y-%m-%d}.pdf"


def pack_html(pack: BoardPack, request=None) -> str:
    return render_to_string("boards/pack_pdf.html", {"pack": pack, "pdf": True}, request=request)


def render_pack(pack: BoardPack, request=None) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only this needs.
    from weasyprint import CSS, HTML

    html = pack_html(pack, request)
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    return document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET))],
        pdf_variant="pdf/ua-1",
    )
