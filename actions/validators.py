"""Checks on uploaded evidence: what kinds of file, and how large."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# PDF, Office documents, OpenDocument, images and plain text: what councils file as evidence.
ALLOWED_EVIDENCE_EXTENSIONS = {
    ".pdf": "PDF",
    ".doc": "Word",
    ".docx": "Word",
    ".xls": "Excel",
    ".xlsx": "Excel",
    ".ppt": "PowerPoint",
    ".pptx": "PowerPoint",
    ".odt": "OpenDocument text",
    ".ods": "OpenDocument spreadsheet",
    ".odp": "OpenDocument presentation",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".txt": "text",
    ".csv": "CSV",
    ".rtf": "rich text",
}
# The first bytes of the binary kinds, so a renamed program is not taken for a PDF.
_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".odp": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".rtf": (b"{\\rtf",),
}


def validate_evidence_file(upload) -> None:
    name = Path(upload.name or "").name
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EVIDENCE_EXTENSIONS:
        kinds = ", ".join(sorted(set(ALLOWED_EVIDENCE_EXTENSIONS.values())))
        raise ValidationError(
            f"“{name}” is not a file type we accept. Upload one of: {kinds}.", code="file_type"
        )
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(upload.size)}. The file must be smaller than "
            f"{filesizeformat(limit)}.",
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError(f"“{name}” is empty.", code="file_empty")
    signatures = _SIGNATURES.get(extension)
    if signatures:
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(8)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in signatures):
            raise ValidationError(
                f"“{name}” does not look like a {ALLOWED_EVIDENCE_EXTENSIONS[extension]} file. "
                "Check that it opens, then upload it again.",
                code="file_content",
            )
