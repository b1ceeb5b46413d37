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


# The dashboard and the finding page belong to councils/ and inspections/, which do not
# import boards (reporting sits above them); their templates draw the trends through these.


@register.inclusion_tag("boards/_dashboard_trends.html", takes_context=True)
def dashboard_trends(context):
    from boards.trends import council_trend

    council = context["council"]
    # Stored snapshots only: the page most people open first must not replay the timeline.
    trend = council_trend(council, context["view"].clock.now, rebuild=False)
    return {"trend": trend, "is_manager": context.get("is_manager"), "council": council}


@register.inclusion_tag("boards/_finding_trends.html", takes_context=True)
def finding_trends(context, finding):
    from boards.trends import finding_trend

    return {
        "trend": finding_trend(finding, context["view"].clock.now),
        "finding": finding,
        "is_manager": context.get("is_manager"),
    }
