"""A WTForms base whose built-in messages ("Not a valid date value.") follow the page's language."""
from __future__ import annotations

from wtforms import Form
from wtforms.i18n import get_translations
from wtforms.meta import DefaultMeta


class _LanguageMeta(DefaultMeta):
    def get_translations(self, form):
        from app.web import current_language

        language = current_language()
        return None if language == "en" else get_translations([language])


class LocalizedForm(Form):
    """Use instead of ``wtforms.Form`` for forms shown to people."""

    Meta = _LanguageMeta
