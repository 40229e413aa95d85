"""Open every page of the built site in headless Chromium and check what a reader would see.

For each HTML page of ``_build/html`` that the book's table of contents produced, it checks that
the page has a title, that every image loaded (``naturalWidth > 0``), that the browser console
logged no error, and that every internal link points at a page (and anchor) that exists. It saves
a screenshot of the introduction to ``_build/screenshots/intro.png``.

It needs Debian's ``chromium`` and ``chromium-driver`` (``make browser`` installs them where it
can). Without them it prints why it skipped and exits with status 0, so ``make test`` still runs
everywhere; set ``SEQSHAPE_REQUIRE_BROWSER=1`` to make a missing browser an error.

Usage: ``python tests/browser_check.py`` (``make test`` runs it after the site build).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import socketserver
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
SKIP_EXIT = 0

# Pages Sphinx writes besides the book's own; they are checked for links but carry no chapter.
GENERATED = {"genindex.html", "search.html", "py-modindex.html", "index.html"}


def find_browser() -> tuple[str, str] | None:
    chrome = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    return (chrome, driver) if chrome and driver else None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output readable
        pass


def serve(directory: Path) -> tuple[socketserver.TCPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = socketserver.TCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def make_driver(chrome: str, driver_path: str, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chrome
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,900", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def pages() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def check_page(driver, base: str, page: Path) -> tuple[list[str], set[str]]:
    """Problems on one page, and the internal links (absolute URLs with fragments) it holds."""
    url = urljoin(base, page.relative_to(SITE).as_posix())
    driver.get(url)
    problems = []
    if not driver.title.strip():
        problems.append("no <title>")
    broken = driver.execute_script(
        "return Array.from(document.images)"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));"
    )
    problems += [f"image did not load: {src}" for src in broken]
    for entry in driver.get_log("browser"):
        # favicon requests are the browser's own, not the page's
        if entry.get("level") == "SEVERE" and "favicon.ico" not in entry.get("message", ""):
            problems.append(f"console error: {entry['message']}")
    hrefs = driver.execute_script("return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);")
    internal = {h for h in hrefs if urlparse(h).netloc == urlparse(base).netloc}
    return problems, internal


def check_links(driver, base: str, links: set[str]) -> list[str]:
    """Every internal link must name an existing file, and its #anchor an element on that page."""
    problems, ids_by_page = [], {}
    for link in sorted(links):
        target, fragment = urldefrag(link)
        rel = urlparse(target).path.lstrip("/")
        path = SITE / rel
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            problems.append(f"broken link: {link}")
            continue
        if fragment and path.suffix == ".html":
            if path not in ids_by_page:
                driver.get(urljoin(base, path.relative_to(SITE).as_posix()))
                ids_by_page[path] = set(driver.execute_script(
                    "return Array.from(document.querySelectorAll('[id]')).map(e => e.id)"
                    ".concat(Array.from(document.querySelectorAll('a[name]')).map(e => e.name));"
                ))  # fmt: skip
            if fragment not in ids_by_page[path]:
                problems.append(f"broken anchor: {link}")
    return problems


def main() -> int:
    if not (SITE / "index.html").is_file():
        print(f"browser check: no site at {SITE}; run `make book` first")
        return 1
    found = find_browser()
    if found is None:
        message = (
            "browser check SKIPPED: chromium and chromedriver are not installed. "
            "Install them with `make browser` (Debian/Ubuntu: apt-get install chromium chromium-driver) "
            "to have make test open every page in a real browser."
        )
        print(message)
        return 1 if os.environ.get("SEQSHAPE_REQUIRE_BROWSER") == "1" else SKIP_EXIT
    server, base = serve(SITE)
    all_pages, failures, links = pages(), {}, set()
    with tempfile.TemporaryDirectory() as profile:
        driver = make_driver(*found, profile)
        try:
            for page in all_pages:
                problems, internal = check_page(driver, base, page)
                links |= internal
                if problems:
                    failures[page.relative_to(SITE).as_posix()] = problems
            link_problems = check_links(driver, base, links)
            if link_problems:
                failures["(links)"] = link_problems
            SHOTS.mkdir(parents=True, exist_ok=True)
            driver.get(urljoin(base, "book/intro.html"))
            driver.save_screenshot(str(SHOTS / "intro.png"))
        finally:
            driver.quit()
            server.shutdown()
    summary = {"pages": len(all_pages), "links": len(links), "failures": failures}
    (SHOTS / "browser-check.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    for page, problems in failures.items():
        for problem in problems:
            print(f"FAIL {page}: {problem}")
    print(
        f"browser check: {len(all_pages)} pages opened in headless Chromium, {len(links)} internal links "
        f"followed, {sum(map(len, failures.values()))} problems; screenshot in {SHOTS / 'intro.png'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
