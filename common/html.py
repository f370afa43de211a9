"""User-written HTML made safe to show: a small allow-list, cleaned by nh3 (ammonia)."""

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}


def sanitize_html(text: str) -> str:
    """Keep paragraphs, emphasis, lists and http(s)/mailto links; drop everything else."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    ).strip()
