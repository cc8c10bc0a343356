from .models import Reminder


def notifications(request) -> dict:
    """The unread count shown in the navigation: one COUNT query per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": Reminder.objects.inbox(user).filter(read_at__isnull=True).count()
    }
