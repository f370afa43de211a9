"""The affiliate program's models, by concern; import them from here."""

from .collaborations import (
    Application,
    Collaboration,
    CollaborationProduct,
    Invitation,
    InvitationProduct,
    SampleRequest,
)
from .content import Content, CreatorCode, content_id_from_tag, normalize_code
from .creators import Creator, ShowcaseItem
from .programs import MAX_RATE, MIN_RATE, RATE, RATE_CUT_NOTICE, AffiliateProgram, OpenProduct, RateChange

__all__ = [
    "AffiliateProgram",
    "Application",
    "Collaboration",
    "CollaborationProduct",
    "Content",
    "Creator",
    "CreatorCode",
    "Invitation",
    "InvitationProduct",
    "MAX_RATE",
    "MIN_RATE",
    "OpenProduct",
    "RATE",
    "RATE_CUT_NOTICE",
    "RateChange",
    "SampleRequest",
    "ShowcaseItem",
    "content_id_from_tag",
    "normalize_code",
]
