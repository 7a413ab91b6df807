"""URLs under /<event>/registration/; organisers' pages under manage/."""

from django.urls import path

from .views import link, manage, public, setup

app_name = "registration"
urlpatterns = [
    path("", public.register, name="register"),
    path("participants/", public.participants, name="participants"),
    path("mine/", public.mine, name="mine"),
    path("r/<str:token>/", link.show, name="link"),
    path("r/<str:token>/edit/", link.edit, name="edit"),
    path("r/<str:token>/cancel/", link.cancel, name="cancel"),
    path("r/<str:token>/confirm/", link.confirm, name="confirm"),
    path("manage/", manage.registration_list, name="manage"),
    path("manage/catering/", manage.catering, name="manage_catering"),
    path("manage/checkin/", manage.checkin_desk, name="manage_checkin"),
    path("manage/export.csv", manage.export, {"fmt": "csv"}, name="manage_export_csv"),
    path("manage/export.xlsx", manage.export, {"fmt": "xlsx"}, name="manage_export_xlsx"),
    path("manage/badges.pdf", manage.badges, name="manage_badges"),
    path("manage/letters.pdf", manage.letters, name="manage_letters"),
    path("manage/settings/", setup.settings_view, name="manage_settings"),
    path("manage/categories/", setup.categories, name="manage_categories"),
    path("manage/categories/new/", setup.category_form, name="manage_category_new"),
    path("manage/categories/<int:pk>/", setup.category_form, name="manage_category"),
    path(
        "manage/categories/<int:pk>/delete/", setup.category_delete, name="manage_category_delete"
    ),
    path("manage/questions/", setup.questions, name="manage_questions"),
    path("manage/questions/new/", setup.question_form, name="manage_question_new"),
    path("manage/questions/<int:pk>/", setup.question_form, name="manage_question"),
    path("manage/questions/<int:pk>/delete/", setup.question_delete, name="manage_question_delete"),
    path("manage/add/", setup.add, name="manage_add"),
    path("manage/<str:code>/", manage.detail, name="manage_detail"),
    path("manage/<str:code>/promote/", manage.promote, name="manage_promote"),
    path("manage/<str:code>/cancel/", manage.cancel, name="manage_cancel"),
    path("manage/<str:code>/paid/", manage.paid, name="manage_paid"),
    path("manage/<str:code>/checkin/", manage.check_in, name="manage_check_in"),
    path("manage/<str:code>/resend/", manage.resend, name="manage_resend"),
]
