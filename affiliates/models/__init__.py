"""The affiliate program's models, by concern; import them from here."""

from .collaborations import (
    Application,
    Collaboration,
    CollaborationProduct,
    Invitation,
    InvitationProduct,
    SampleRequest,
)
from .creators import Creator, ShowcaseItem
from .programs import MAX_RATE, MIN_RATE, RATE, RATE_CUT_NOTICE, AffiliateProgram, OpenProduct, RateChange

__all__ = [
    "AffiliateProgram",
    "Application",
    "Collaboration",
    "CollaborationProduct",
    "Creator",
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
]
