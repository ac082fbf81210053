"""Who may use the clerk's screens. Everyone else gets the same Http404 as a missing page.

Threat model: clerk pages show sealed documents, every filer's findings and the
audit log; a refused user must not learn that they exist. The answer comes from
filers.permissions (role, certified, not suspended, two-factor); this module only
names it for the clerk's views.
"""

from filers.permissions import (
    is_active_clerk as is_clerk,
)
from filers.permissions import (
    is_active_judge as is_judge,
)
from filers.permissions import (
    require_clerk,
    require_court_user,
    require_judge,
)

__all__ = [
    "is_clerk",
    "is_judge",
    "require_clerk",
    "require_court_user",
    "require_judge",
]
