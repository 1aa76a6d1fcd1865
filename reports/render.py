"""The Jinja environment every report renders with, and the optional PDF converter.

Templates are looked up first in a ``templates/`` folder next to the workbook, then in the ones
shipped in ``reports/templates``: an office changes wording by copying a template there and
editing it, without touching code. HTML templates are autoescaped (complaint text can hold
anything); the Markdown summary is plain text and is not.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

SHIPPED = Path(__file__).with_name("templates")
OVERRIDE_FOLDER = "templates"
# Browsers that print HTML to PDF headlessly, in the order they are tried.
PDF_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class TemplateProblem(ValueError):
    """A template (usually an office's own copy) could not be rendered; says which and why."""


def markdown_text(value: Any) -> str:
    """Cell text as Markdown shows it literally: mail clients render raw HTML inside Markdown, so
    a complaint's ``<script>`` must arrive as text. Only ``&``, ``<`` and ``>`` are turned into
    entities, which every Markdown renderer shows as the characters themselves."""
    text = "" if value is None else str(value)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def environment(workbook: Path | None = None) -> jinja2.Environment:
    """The environment for a workbook's reports: its ``templates/`` folder first, when it has one.

    One environment is kept per set of folders, so a template is compiled once per process
    (Jinja still reloads one whose file changed); a report started from the command line
    compiles its page while the workbook is read (``warm``)."""
    folders = []
    if workbook is not None and (Path(workbook).parent / OVERRIDE_FOLDER).is_dir():
        folders.append(str(Path(workbook).parent / OVERRIDE_FOLDER))
    folders.append(str(SHIPPED))
    return _environment(tuple(folders))


@functools.lru_cache(maxsize=8)
def _environment(folders: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"),
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    env.filters["md"] = markdown_text
    return env


def warm(workbook: Path | None, name: str) -> None:
    """Compile a template ahead of its render, and the templates it includes or imports, which
    Jinja otherwise compiles during the render (the monthly page's three: 7 ms). A broken one is
    said when it is rendered."""
    env = environment(workbook)
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            env.get_template(current)
            source = env.loader.get_source(env, current)[0]
            todo += [n for n in meta.find_referenced_templates(env.parse(source)) if n]
        except (jinja2.TemplateError, OSError):
            pass


def render(env: jinja2.Environment, name: str, context: Any) -> str:
    """Render a template with a context dataclass's fields as its names."""
    values = {f.name: getattr(context, f.name) for f in fields(context)}
    try:
        template = env.get_template(name)
        return template.render(**values)
    except jinja2.TemplateError as err:
        where = getattr(err, "filename", None) or name
        line = getattr(err, "lineno", None)
        at = f"{where}, line {line}" if line else where
        raise TemplateProblem(f"template {at}: {err.message or err}") from err


def find_browser() -> str | None:
    for name in PDF_BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: Path, pdf: Path, timeout: float = 120) -> bool:
    """Print an HTML file to PDF with headless Chromium; False when no browser is installed."""
    browser = find_browser()
    if browser is None:
        return False
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--user-data-dir={profile}", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
            capture_output=True, timeout=timeout, check=False)
    return done.returncode == 0 and pdf.exists() and pdf.stat().st_size > 0
