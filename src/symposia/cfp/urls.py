"""URLs under /<event>/cfp/: the public call, the author's pages, and manage/ for organisers."""

from django.urls import path

from .views import author, manage

app_name = "cfp"
urlpatterns = [
    path("", author.call_page, name="call"),
    path("submit/", author.submission_new, name="submit"),
    path("autosave/", author.autosave, name="autosave"),
    path("preview/", author.preview, name="preview"),
    path("submissions/", author.my_submissions, name="mine"),
    path("submissions/<str:code>/", author.submission_detail, name="detail"),
    path("submissions/<str:code>/edit/", author.submission_edit, name="edit"),
    path("submissions/<str:code>/autosave/", author.autosave, name="autosave_draft"),
    path("submissions/<str:code>/withdraw/", author.withdraw, name="withdraw"),
    path("submissions/<str:code>/receipt/<int:number>/", author.receipt, name="receipt"),
    path("submissions/<str:code>/files/<int:file_id>/", author.submission_file, name="file"),
    path("extension/<str:token>/", author.claim_extension, name="extension"),
    path("manage/", manage.dashboard, name="manage"),
    path("manage/settings/", manage.call_settings, name="manage_settings"),
    path("manage/types/", manage.contribution_types, name="manage_types"),
    path("manage/tracks/", manage.tracks, name="manage_tracks"),
    path("manage/questions/", manage.questions, name="manage_questions"),
    path("manage/extensions/", manage.extensions, name="manage_extensions"),
    path(
        "manage/extensions/<int:pk>/revoke/",
        manage.revoke_extension,
        name="manage_revoke_extension",
    ),
    path("manage/submissions/", manage.submission_list, name="manage_submissions"),
    path("manage/submissions/export.csv", manage.export, {"fmt": "csv"}, name="manage_csv"),
    path("manage/submissions/export.xlsx", manage.export, {"fmt": "xlsx"}, name="manage_xlsx"),
    path("manage/submissions/<str:code>/", manage.submission_detail, name="manage_submission"),
]
