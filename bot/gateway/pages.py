"""The chat page (``/``, ``/?lang=sv``), the widget's static files and its configuration.

The page is the same widget a city embeds with one script tag, on a minimal page in the
requested language (``?lang=``, else Accept-Language, else Finnish).
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from bot.gateway.context import gateway
from bot.gateway.texts import pick_language
from bot.language.tags import LANGUAGES

STATIC = Path(__file__).parent / "static"
TEMPLATE = Template((Path(__file__).parent / "templates" / "index.html").read_text(encoding="utf-8"))

PAGE = {
    "fi": {
        "title": "Kuntoutusopas – neuvontabotti",
        "heading": "Kuntouttava työtoiminta ja sosiaalinen kuntoutus",
        "intro": "Neuvontabotti kertoo, sopisiko kuntouttava työtoiminta, sosiaalinen kuntoutus tai "
                 "työkyvyn tuen palvelu sinulle, ja keneen voit olla yhteydessä.",
        "language_label": "Kieli",
    },
    "sv": {
        "title": "Rehabiliteringsguiden – rådgivningsbot",
        "heading": "Rehabiliterande arbetsverksamhet och social rehabilitering",
        "intro": "Rådgivningsboten berättar om rehabiliterande arbetsverksamhet, social rehabilitering "
                 "eller stöd för arbetsförmågan kunde passa dig, och vem du kan kontakta.",
        "language_label": "Språk",
    },
    "en": {
        "title": "Rehabilitation guide – guidance bot",
        "heading": "Rehabilitative work activity and social rehabilitation",
        "intro": "The guidance bot tells you whether rehabilitative work activity, social rehabilitation "
                 "or the work ability support services could suit you, and whom to contact.",
        "language_label": "Language",
    },
}
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}

router = APIRouter()


def render_page(language: str) -> str:
    links = []
    for code in LANGUAGES:
        current = ' aria-current="page"' if code == language else ""
        links.append(f'        <li><a href="/?lang={code}" lang="{code}" hreflang="{code}"{current}>'
                     f"{escape(LANGUAGE_NAMES[code])}</a></li>")
    values = {key: escape(value) for key, value in PAGE[language].items()}
    return TEMPLATE.substitute(lang=language, language_links="\n".join(links), **values)


@router.get("/", include_in_schema=False)
async def index(request: Request, lang: str | None = Query(None, max_length=40)) -> HTMLResponse:
    language = pick_language(lang, request.headers.get("accept-language"))
    return HTMLResponse(render_page(language))


@router.get("/api/widget-config", tags=["chat"], summary="Settings the widget shows to residents")
async def widget_config(request: Request) -> dict[str, Any]:
    config = gateway(request).config
    return {
        "retention_days": config.settings.retention_days,
        "max_message_chars": config.max_message_chars,
        "languages": list(LANGUAGES),
    }
