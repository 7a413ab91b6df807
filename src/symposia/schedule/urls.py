"""URLs under /<event>/programme/: the public programme and its files, and manage/ for
organisers."""

from django.urls import path

from .views import feeds, manage, organise, public

app_name = "schedule"
urlpatterns = [
    path("", public.programme, name="programme"),
    path("posters/", public.posters, name="posters"),
    path("speakers/", public.speakers, name="speakers"),
    path("speakers/<str:slug>/", public.speaker, name="speaker"),
    path("contributions/<str:code>/", public.contribution, name="contribution"),
    path("talks/<int:pk>/", public.talk, name="talk"),
    path("talks/<int:pk>/media/", organise.media, name="media"),
    path("talks/<int:pk>/slides/<str:name>", public.slides, name="slides"),
    path("talks/<int:pk>.ics", feeds.talk_ics, name="talk_ics"),
    path("sessions/<int:pk>.ics", feeds.session_ics, name="session_ics"),
    path("schedule.ics", feeds.schedule_ics, name="ics"),
    path("schedule.json", feeds.schedule_json, name="json"),
    path("schedule.xml", feeds.schedule_xml, name="xml"),
    path("manage/", manage.editor, name="manage"),
    path("manage/publish/", organise.publish, name="manage_publish"),
    path("manage/unpublish/", organise.unpublish, name="manage_unpublish"),
    path("manage/versions/", organise.releases, name="manage_releases"),
    path("manage/sessions/new/", manage.session_new, name="manage_session_new"),
    path("manage/sessions/<int:pk>/", manage.session_edit, name="manage_session"),
    path("manage/sessions/<int:pk>/move/", manage.session_move, name="manage_session_move"),
    path("manage/sessions/<int:pk>/delete/", manage.session_delete, name="manage_session_delete"),
    path("manage/items/new/", manage.item_new, name="manage_item_new"),
    path("manage/items/<int:pk>/", manage.item_edit, name="manage_item"),
    path("manage/items/<int:pk>/move/", manage.item_move, name="manage_item_move"),
    path(
        "manage/items/<int:pk>/unschedule/", manage.item_unschedule, name="manage_item_unschedule"
    ),
    path("manage/items/<int:pk>/delete/", manage.item_delete, name="manage_item_delete"),
    path("manage/items/<int:pk>/board/", manage.item_board, name="manage_item_board"),
    path("manage/place/<str:code>/", manage.place, name="manage_place"),
    path("manage/unscheduled/", manage.unscheduled, name="manage_unscheduled"),
    path("manage/rooms/", organise.rooms, name="manage_rooms"),
    path("manage/rooms/<int:pk>/", organise.room_edit, name="manage_room"),
    path("manage/people/", organise.people, name="manage_people"),
    path("manage/people/import/", organise.people_import, name="manage_people_import"),
    path("manage/people/new/", organise.person_edit, name="manage_person_new"),
    path("manage/people/<int:pk>/", organise.person_edit, name="manage_person"),
    path("manage/posters/", organise.posters, name="manage_posters"),
    path("manage/posters/renumber/", organise.posters_renumber, name="manage_posters_renumber"),
]
