"""Small HTML pieces that show progress and RAG the same way in the admin and the pages."""

from django.utils.html import format_html

from .rag import Rag


def progress_bar(percent: int | None) -> str:
    if percent is None:
        return format_html('<span class="tracker-progress">{}</span>', "No actions")
    return format_html(
        '<span class="tracker-progress"><progress value="{}" max="100" aria-hidden="true">'
        "</progress> {}%</span>",
        percent,
        percent,
    )


def rag_tag(rag: Rag | str | None, text: str = "") -> str:
    if not rag:
        return format_html('<span class="tracker-rag tracker-rag--not_rated">{}</span>', "None")
    rag = Rag(rag)
    return format_html(
        '<span class="tracker-rag tracker-rag--{}">{}</span>', rag.value, text or rag.label
    )
