from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "symposia.reviews"
    label = "reviews"

    def ready(self) -> None:
        from symposia.cfp.notifications import register_extra_context
        from symposia.common.mail_templates import TemplateVariable

        from .notifications import released_reviews

        register_extra_context(
            released_reviews,
            variables=[
                TemplateVariable(
                    "reviews",
                    "The reviewers' comments to the authors, once organisers release them "
                    "(a list of texts; empty before). Loop with {% for review in reviews %}"
                    "{{ forloop.counter }}: {{ review }}{% endfor %}.",
                    ["A clear poster on a timely question.", "Please state the assumptions."],
                )
            ],
        )
