"""Views of the call for contributions: `author` (public call, submitting) and `manage`
(organisers). Both fetch through cfp.rules and change state only through cfp.domain."""
