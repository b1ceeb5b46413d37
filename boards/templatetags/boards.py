from django import template

register = template.Library()


@register.filter
def signed(value) -> str:
    """A change as the board reads it: "+3", "−2" (a real minus sign), or "no change"."""
    if value is None or value == "":
        return ""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"\N{MINUS SIGN}{-value}"
    return "no change"
