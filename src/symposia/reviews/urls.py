"""URLs under /<event>/reviews/: reviewers' and authors' pages, and manage/ for organisers."""

from django.urls import path

from .views import manage, reviewer

app_name = "reviews"
urlpatterns = [
    path("", reviewer.home, name="home"),
    path("bids/", reviewer.bids, name="bids"),
    path("profile/", reviewer.profile, name="profile"),
    path("s/<str:code>/", reviewer.submission, name="submission"),
    path("s/<str:code>/bid/", reviewer.bid_one, name="bid"),
    path("s/<str:code>/review/", reviewer.review, name="review"),
    path("s/<str:code>/pdf/", reviewer.pdf, name="pdf"),
    path("s/<str:code>/discussion/", reviewer.comment, name="comment"),
    path("conflicts/<str:code>/", reviewer.author_conflicts, name="author_conflicts"),
    path("invitation/<str:token>/", reviewer.invitation, name="invitation"),
    path("manage/", manage.dashboard, name="manage"),
    path("manage/remind/", manage.remind, name="manage_remind"),
    path("manage/settings/", manage.review_settings, name="manage_settings"),
    path("manage/form/", manage.review_form, name="manage_form"),
    path("manage/committee/", manage.committee, name="manage_committee"),
    path(
        "manage/committee/invitations/<int:pk>/<str:action>/",
        manage.invitation_action,
        name="manage_invitation",
    ),
    path("manage/committee/reviewers/<int:pk>/", manage.reviewer_action, name="manage_reviewer"),
    path("manage/conflicts/", manage.conflicts, name="manage_conflicts"),
    path("manage/conflicts/detect/", manage.detect_conflicts, name="manage_detect"),
    path("manage/conflicts/add/", manage.add_conflict, name="manage_add_conflict"),
    path("manage/conflicts/<int:pk>/", manage.decide_conflict, name="manage_decide_conflict"),
    path("manage/assignment/", manage.assignment, name="manage_assignment"),
    path("manage/assignment/affinity/", manage.affinity, name="manage_affinity"),
    path("manage/assignment/runs/<int:pk>/", manage.run_detail, name="manage_run"),
    path("manage/assignment/<str:code>/add/", manage.assignment_add, name="manage_assignment_add"),
    path(
        "manage/assignment/remove/<int:pk>/",
        manage.assignment_remove,
        name="manage_assignment_remove",
    ),
    path("manage/reviews.csv", manage.export, {"fmt": "csv"}, name="manage_csv"),
    path("manage/reviews.xlsx", manage.export, {"fmt": "xlsx"}, name="manage_xlsx"),
]
