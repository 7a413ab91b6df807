"""Reviews reach decision notifications only once organisers release them."""

from symposia.cfp import notifications
from symposia.common.mail_templates import render_mail
from symposia.reviews import domain
from symposia.reviews.notifications import released_reviews
from tests.reviews.conftest import assign

BODY = "{% for review in reviews %}[{{ review.number }}] {{ review.comments }}\n{% endfor %}"


def _review(subs, committee, criteria):
    submission = subs["B"]
    assign(submission, committee["rita"])
    domain.save_review(
        submission,
        reviewer=committee["rita"],
        data=domain.ReviewData(
            scores={c.pk: 4 for c in criteria},
            recommendation=4,
            confidence=3,
            comments_to_authors="A clear argument for $W_2$.",
            confidential_comments="Secret: I know the authors.",
        ),
        submit=True,
    )
    return submission


def test_nothing_before_release(subs, committee, config, criteria):
    submission = _review(subs, committee, criteria)

    assert released_reviews(submission) == {"reviews": []}


def test_released_comments_without_confidential_text(subs, committee, config, criteria):
    submission = _review(subs, committee, criteria)
    config.reviews_released_to_authors = True
    config.save()

    context = notifications.extra_context(submission)
    body = render_mail("Decision", BODY, context).body

    assert context["reviews"] == [{"number": 1, "comments": "A clear argument for $W_2$."}]
    assert body == "[1] A clear argument for $W_2$.\n"
    assert "Secret" not in body


def test_reviews_is_a_documented_variable():
    names = [variable.name for variable in notifications.documented_variables()]

    assert "reviews" in names
