from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "symposia.reviews"
    label = "reviews"
