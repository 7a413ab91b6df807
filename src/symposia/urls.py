"""URL map. Every event lives under /<event-slug>/; each app owns one prefix below it.

The events app comes last: its page catch-all /<event>/<page>/ must not shadow the others,
and page slugs equal to an app prefix are refused (events.models.RESERVED_PAGE_SLUGS).
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("symposia.accounts.urls")),
    path("", include("symposia.events.urls_root")),
    path("<slug:event>/cfp/", include("symposia.cfp.urls")),
    path("<slug:event>/reviews/", include("symposia.reviews.urls")),
    path("<slug:event>/registration/", include("symposia.registration.urls")),
    path("<slug:event>/programme/", include("symposia.schedule.urls")),
    path("<slug:event>/publishing/", include("symposia.publishing.urls")),
    path("<slug:event>/mail/", include("symposia.common.urls")),
    path("<slug:event>/", include("symposia.events.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
