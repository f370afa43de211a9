"""Every write of the affiliates app: keyword-only, typed, atomic, named <thing>_<verb>,
one module per concern. Callers import from here (`from affiliates import services`).

Status changes go through common.transitions.transition(); each item's steps (sent,
accepted, shipped...) are its audit entries, which the inbox and the seller's pages show.
"""

from .applications import application_approve, application_decline, application_submit, application_withdraw
from .codes import CreatorCodeBook, code_create, code_update
from .collaborations import (
    collaboration_end,
    invitation_accept,
    invitation_decline,
    invitation_send,
    invitation_withdraw,
    invitations_expire,
)
from .content import content_add_product, content_register
from .creators import (
    creator_approve,
    creator_register,
    creator_reinstate,
    creator_reject,
    creator_set_status,
    creator_suspend,
    creator_update,
)
from .programs import (
    open_products_set,
    program_join,
    program_leave,
    program_update,
    rate_cut_reaches_link_holders_at,
)
from .samples import (
    sample_approve,
    sample_decline,
    sample_mark_delivered,
    sample_post_content,
    sample_request_create,
    sample_ship,
    samples_expire,
)
from .showcase import showcase_add, showcase_move, showcase_remove

__all__ = [
    "application_approve", "application_decline", "application_submit", "application_withdraw",
    "CreatorCodeBook", "code_create", "code_update", "content_add_product", "content_register",
    "collaboration_end", "creator_approve", "creator_register", "creator_reinstate", "creator_reject",
    "creator_set_status", "creator_suspend", "creator_update", "invitation_accept", "invitation_decline",
    "invitation_send", "invitation_withdraw", "invitations_expire", "open_products_set", "program_join",
    "program_leave", "program_update", "rate_cut_reaches_link_holders_at", "sample_approve", "sample_decline",
    "sample_mark_delivered", "sample_post_content", "sample_request_create", "sample_ship", "samples_expire",
    "showcase_add", "showcase_move", "showcase_remove",
]
