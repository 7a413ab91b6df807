import random

from symposia.cfp import demo
from symposia.cfp.models import Call, ContributionType, Submission, SubmissionVersion, Track


def test_showcase_opens_the_call_and_is_idempotent(event):
    demo.showcase(event, log=lambda _: None)
    demo.showcase(event, log=lambda _: None)

    call = Call.objects.get(event=event)
    assert call.is_open()
    assert call.deadline_zone == "aoe"
    assert list(ContributionType.objects.values_list("name", flat=True)) == [
        "Poster",
        "Contributed talk",
    ]
    assert "Optimal transport" in Track.objects.values_list("name", flat=True)


def test_fill_makes_submitted_contributions_with_versions(event):
    demo.fill(event, rng=random.Random(1), options={"submissions": 25}, log=lambda _: None)

    assert Submission.objects.filter(event=event, state="submitted").count() == 25
    assert SubmissionVersion.objects.count() == 25
    assert all(s.authors.filter(is_presenting=True).count() == 1 for s in Submission.objects.all())
