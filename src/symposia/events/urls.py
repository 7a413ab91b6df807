"""URLs under /<event>/. The organisers' area and branding files come before the page
catch-all; page slugs and asset paths that would collide with them are refused
(models.RESERVED_PAGE_SLUGS, domain.RESERVED_ASSET_PREFIXES)."""

from django.urls import path

from .views import manage, public

app_name = "events"
urlpatterns = [
    path("", public.page, name="page"),
    path("static/theme.css", public.theme_css, name="theme_css"),
    path("static/logo", public.logo, name="logo"),
    path("manage/", manage.dashboard, name="manage"),
    path("manage/settings/", manage.settings, name="manage_settings"),
    path("manage/pages/", manage.page_list, name="manage_pages"),
    path("manage/pages/new/", manage.page_create, name="manage_page_create"),
    path("manage/pages/preview/", manage.page_preview, name="manage_page_preview"),
    path("manage/pages/<int:pk>/", manage.page_edit, name="manage_page_edit"),
    path("manage/pages/<int:pk>/delete/", manage.page_delete, name="manage_page_delete"),
    path("manage/pages/<int:pk>/move/", manage.page_move, name="manage_page_move"),
    path("manage/pages/<int:pk>/menu/", manage.page_menu, name="manage_page_menu"),
    path("manage/assets/", manage.asset_list, name="manage_assets"),
    path("manage/assets/<int:pk>/delete/", manage.asset_delete, name="manage_asset_delete"),
    path("<slug:page>/", public.page, name="page"),
    path("<path:path>", public.asset, name="asset"),
]
