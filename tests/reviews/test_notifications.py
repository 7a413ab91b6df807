"""Reviews reach decision notifications only once organisers release them."""

from symposia.cfp import notifications
from symposia.common.mail_templates import render_mail
from symposia.reviews import domain
from symposia.reviews.notifications import released_reviews
from tests.reviews.conftest import assign

BODY = "{% for review in reviews %}[{{ forloop.counter }}] {{ review }}\n{% endfor %}"


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

    assert context["reviews"] == ["A clear argument for $W_2$."]
    assert body == "[1] A clear argument for $W_2$.\n"
    assert "Secret" not in body


def test_reviews_is_a_documented_variable():
    names = [variable.name for variable in notifications.documented_variables()]

    assert "reviews" in names


def test_default_decision_mail_prints_the_released_comments(subs, committee, config, criteria):
    """The default templates print `{{ review }}`: the comments must be there, not blanks."""
    submission = _review(subs, committee, criteria)
    config.reviews_released_to_authors = True
    config.save()
    subject, body = notifications.default_text("accept_talk")
    recipient = notifications.recipients(submission, "presenting")[0]

    mail = notifications.render_for(
        submission, recipient, kind="accept_talk", subject=subject, body=body
    )

    assert "--- Review 1 ---\nA clear argument for $W_2$.\n" in mail.body
    assert "Secret" not in mail.body
