"""Background tasks of the registration app (django-tasks; they take ids)."""

from django_tasks import task

from symposia.events.models import Event


@task()
def expire_offers_task(event_id: int) -> int:
    """Expire the event's overdue offers and pass their places on; returns how many expired.

    Enqueued with run_after = the offer's deadline when the backend can defer tasks.
    """
    from .domain import expire_offers

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return len(expire_offers(event))
