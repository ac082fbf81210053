"""Who may see a trainee's progress: the trainee, and the clerk's office."""

from django.http import Http404

from filers.models import User
from filers.permissions import is_clerk


def access_trainee_for_clerk(user: User, user_id: int) -> User:
    """Return the trainee for the clerk's review; raise Http404 otherwise.

    Missing users and non-clerk viewers get the same error, so ids reveal nothing.
    """
    if not is_clerk(user):
        raise Http404
    trainee = User.objects.select_related("filer").filter(pk=user_id).first()
    if trainee is None or trainee.filer_or_none is None:
        raise Http404
    return trainee
