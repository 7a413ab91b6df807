"""URLs under /<event>/publishing/: the book of abstracts."""

from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("book/", views.book, name="book"),
    path("book/build/", views.book_build, name="book_build"),
    path("book/status.json", views.book_status, name="book_status"),
    path("book/<int:pk>/book.tex", views.book_source, {"kind": "tex"}, name="book_tex"),
    path("book/<int:pk>/book.typ", views.book_source, {"kind": "typ"}, name="book_typ"),
    path("book.pdf", views.book_pdf, name="book_pdf"),
]
