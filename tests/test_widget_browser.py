"""The chat widget in a real browser (Debian's Chromium, headless, driven by Selenium) against
the real stack: a scripted conversation on a Finnish, a Swedish and an English page,
keyboard-only use, text-only rendering, reloads, "end and delete", narrow screens, and an
axe-core audit with zero WCAG 2.1 A/AA violations. Screenshots go to .data/test/screenshots/.

Needs: chromium + chromium-driver (apt), selenium (pip), npm (axe-core is installed from the
npm registry into .data/test/node on first use). Skips with the reason when one is missing.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from bot.knowledge import get_knowledge
from bot.settings import ROOT
from bot.stack import Stack, free_port, http_ok
from tests.said import GREETING

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
NODE_DIR = ROOT / ".data" / "test" / "node"
AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / ".data" / "test" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,900",
]
REPLY_TIMEOUT = 60

KB = get_knowledge()
OPENING = {"fi": "Hei, tarvitsisin apua", "sv": "Hej, jag behöver hjälp", "en": "Hello, I need some help"}
BOT_LABEL = {"fi": "Botti", "sv": "Bot", "en": "Bot"}
PRIVACY_WORD = {"fi": "henkilötunnustasi", "sv": "personbeteckning", "en": "personal identity code"}
HELSINKI_INFO = KB.contact("helsinki_info").phone

try:  # imported lazily so that collection works without selenium
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException, WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - depends on the machine
    webdriver = None


# ------------------------------------------------------------------------ fixtures


def _require_browser() -> None:
    if webdriver is None:
        pytest.skip("selenium is not installed (pip install 'selenium==4.27.1' 'trio==0.22.2')")
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            pytest.skip(f"{path} not found: install Debian's {package} (apt-get install -y chromium chromium-driver)")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm not found: cannot install axe-core for the accessibility audit")
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund",
                                 "--no-save", "axe-core@4"], capture_output=True, text=True, timeout=300)
        if result.returncode != 0 or not AXE.exists():
            pytest.skip(f"could not install axe-core from the npm registry: {result.stderr[-500:]}")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def driver():
    _require_browser()
    profile = tempfile.mkdtemp(prefix="ko-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    try:
        browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.skip(f"Chromium could not be started: {exc.msg}")
    browser.set_script_timeout(120)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def gateway_url(stack: Stack) -> str:
    return f"http://127.0.0.1:{stack.settings.gateway_port}"


# ------------------------------------------------------------------------ helpers


def open_fresh(driver, url: str) -> None:
    driver.get(url)
    driver.execute_script("window.sessionStorage.clear()")
    driver.get(url)
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ko-chat .ko-input"))


def messages(driver) -> list[dict]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.ko-log .ko-msg')).map(function (m) {"
        "  return {kind: m.className.replace('ko-msg ko-msg--', ''), who: m.querySelector('.ko-who').textContent,"
        "          text: m.querySelector('.ko-text').textContent, lang: m.getAttribute('lang')}; });")


def wait_for_bot(driver, count_before: int, contains: str | None = None) -> list[dict]:
    """Wait until the bot has answered (a bot or notice message after ``count_before``)."""
    def answered(d):
        found = messages(d)[count_before:]
        replies = [m for m in found if m["kind"] in ("bot", "notice")]
        busy = d.execute_script("return document.querySelector('.ko-log').getAttribute('aria-busy')")
        if not replies or busy == "true":
            return False
        if contains and not any(contains in m["text"] for m in replies):
            return False
        return found

    try:
        return WebDriverWait(driver, REPLY_TIMEOUT).until(answered)
    except TimeoutException:
        pytest.fail(f"no bot answer containing {contains!r}; log: {messages(driver)[count_before:]}")


def active(driver):
    return driver.switch_to.active_element


def tab_until(driver, predicate, limit: int = 30, reverse: bool = False) -> None:
    for _ in range(limit):
        element = active(driver)
        if predicate(element):
            return
        keys = (Keys.SHIFT + Keys.TAB) if reverse else Keys.TAB
        element.send_keys(keys)
    pytest.fail("keyboard focus never reached the expected element")


def has_class(name: str):
    return lambda el: name in (el.get_attribute("class") or "").split()


def type_and_enter(driver, text: str) -> int:
    """Type into the focused message field and press Enter; return the message count before."""
    before = len(messages(driver))
    field = active(driver)
    assert has_class("ko-input")(field), "focus is not in the message field"
    field.send_keys(text)
    field.send_keys(Keys.ENTER)
    return before


def run_axe(driver, source: str, context: str) -> None:
    driver.execute_script(source)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        "  .then(function (r) { done(r.violations.map(function (v) {"
        "    return {id: v.id, impact: v.impact, help: v.help,"
        "            nodes: v.nodes.map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; })};"
        "  })); })"
        "  .catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });",
        WCAG_TAGS,
    )
    assert result == [], f"axe-core violations ({context}):\n" + json.dumps(result, indent=2, ensure_ascii=False)


def no_horizontal_scroll(driver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1")


def emulate_width(driver, width: int) -> None:
    """Emulate a viewport ``width`` CSS px wide; returns once the page has it (polled, not slept)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 500})
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.innerWidth") == width)


def reset_emulation(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# ------------------------------------------------------------------------ tests


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_scripted_conversation_keyboard_only_and_axe(stack, driver, axe_source, lang):
    base = gateway_url(stack)
    open_fresh(driver, f"{base}/?lang={lang}")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang

    # The privacy notice is shown, in the page language, before the first message.
    privacy = driver.find_element(By.CSS_SELECTOR, ".ko-privacy")
    assert privacy.is_displayed() and PRIVACY_WORD[lang] in privacy.text

    # Keyboard only: Tab to the message field, type, Enter.
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    tab_until(driver, has_class("ko-input"))
    before = type_and_enter(driver, OPENING[lang])
    found = wait_for_bot(driver, before, GREETING[lang])
    assert found[0] == {"kind": "user", "who": {"fi": "Sinä", "sv": "Du", "en": "You"}[lang] + ":",
                        "text": OPENING[lang], "lang": None}
    bot = [m for m in found if m["kind"] == "bot"]
    assert all(m["who"] == BOT_LABEL[lang] + ":" and m["lang"] is None for m in bot)
    assert has_class("ko-input")(active(driver)), "focus left the message field after sending"
    assert not privacy.is_displayed()

    # Tab to "talk to a person" and press Enter: human contacts, with a phone link.
    tab_until(driver, has_class("ko-human"))
    before = len(messages(driver))
    active(driver).send_keys(Keys.ENTER)
    wait_for_bot(driver, before, KB.text("dialogue.human_contact_where", lang))
    assert has_class("ko-input")(active(driver))
    # The municipality is not known yet: the reply asks it with buttons. Tab to "Helsinki"
    # and press Enter: Helsinki's contacts, with a phone link.
    tab_until(driver, lambda el: has_class("ko-choice")(el) and el.text == "Helsinki", reverse=True)
    before = len(messages(driver))
    active(driver).send_keys(Keys.ENTER)
    wait_for_bot(driver, before, KB.text("dialogue.human_contact_intro", lang))
    tel = driver.find_elements(By.CSS_SELECTOR, ".ko-log a[href^='tel:']")
    assert tel, "phone numbers are not links"
    assert any(HELSINKI_INFO.replace(" ", "") in a.get_attribute("href") for a in tel)
    # A long address is shown short and still opens the whole address.
    long_link = [a for a in driver.find_elements(By.CSS_SELECTOR, ".ko-log a[href^='https://www.hel.fi/']")
                 if a.get_attribute("href").endswith("/socialjour")]
    assert long_link and long_link[-1].get_attribute("textContent").startswith("hel.fi/…/socialjour")

    # A <script> typed by the resident is shown as text and never runs.
    payload = "<script>window.__koInjected = 1</script><b>bold</b>"
    before = type_and_enter(driver, payload)
    wait_for_bot(driver, before)
    assert messages(driver)[before]["text"] == payload
    assert driver.execute_script(
        "return document.querySelectorAll('.ko-log script, .ko-log b').length") == 0
    assert driver.execute_script("return window.__koInjected === undefined")

    # The conversation survives a reload (same tab): transcript and session.
    shown = messages(driver)
    session = driver.execute_script("return JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage)[0])).session")
    assert session
    driver.refresh()
    WebDriverWait(driver, 20).until(lambda d: len(messages(d)) == len(shown))
    assert [m["text"] for m in messages(driver)] == [m["text"] for m in shown]

    path = SCREENSHOTS / f"widget-{lang}.png"
    driver.find_element(By.CSS_SELECTOR, ".ko-chat").screenshot(str(path))
    assert path.stat().st_size > 10_000
    driver.save_screenshot(str(SCREENSHOTS / f"page-{lang}.png"))

    run_axe(driver, axe_source, f"{lang} page with a conversation")

    # Narrow phone (320 CSS px, i.e. 400 % zoom of 1280 px) and 200 % zoom (640 px): no
    # horizontal scrolling, the message field and send button stay usable.
    try:
        for width in (320, 640):
            emulate_width(driver, width)
            assert no_horizontal_scroll(driver), f"horizontal scrolling at {width} px"
            for selector in (".ko-input", ".ko-send", ".ko-human", ".ko-forget"):
                box = driver.find_element(By.CSS_SELECTOR, selector).rect
                assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, width, box)
            driver.save_screenshot(str(SCREENSHOTS / f"widget-{lang}-{width}px.png"))
        run_axe(driver, axe_source, f"{lang} page at 640 px")
    finally:
        reset_emulation(driver)

    # End and delete: the bot confirms, the transcript and token leave the browser.
    driver.find_element(By.CSS_SELECTOR, ".ko-input").click()
    tab_until(driver, has_class("ko-forget"))
    active(driver).send_keys(Keys.ENTER)
    # (The typed HTML may have switched the conversation's language, e.g. to English: then
    # the confirmation comes in that language and is marked with its lang attribute.)
    confirmations = {code: KB.text("dialogue.forgotten", code) for code in ("fi", "sv", "en")}

    def confirmed(d):
        log = messages(d)
        return log if len(log) == 1 and log[0]["text"] in confirmations.values() else None

    try:
        log = WebDriverWait(driver, REPLY_TIMEOUT).until(confirmed)
    except TimeoutException:
        pytest.fail(f"no deletion confirmation alone in the log: {messages(driver)}")
    reply_lang = next(code for code, text in confirmations.items() if text == log[0]["text"])
    assert log[0]["kind"] == "bot" and log[0]["lang"] == (None if reply_lang == lang else reply_lang)
    assert driver.execute_script("return Object.keys(sessionStorage).length") == 0
    assert driver.find_element(By.CSS_SELECTOR, ".ko-privacy").is_displayed()
    assert has_class("ko-input")(active(driver))


def test_reply_in_another_language_is_marked_with_lang(stack, driver):
    open_fresh(driver, f"{gateway_url(stack)}/?lang=fi")
    driver.find_element(By.CSS_SELECTOR, ".ko-input").click()
    before = type_and_enter(driver, "Hej, jag behöver hjälp med rehabiliterande arbetsverksamhet")
    found = wait_for_bot(driver, before)
    bot = [m for m in found if m["kind"] == "bot"]
    assert bot and all(m["lang"] == "sv" for m in bot), found
    assert found[0]["lang"] == "sv"  # the resident wrote Swedish too
    assert all(m["who"] == "Botti:" for m in bot)  # labels stay in the page language


def test_reply_buttons_work_from_the_keyboard(stack, driver):
    open_fresh(driver, f"{gateway_url(stack)}/?lang=en")
    driver.find_element(By.CSS_SELECTOR, ".ko-input").click()
    before = type_and_enter(driver, "/help")  # the help answer offers reply buttons
    wait_for_bot(driver, before)
    choices = driver.find_elements(By.CSS_SELECTOR, ".ko-log .ko-choice")
    assert choices, f"no reply buttons: {messages(driver)}"
    title = choices[0].text
    tab_until(driver, lambda el: has_class("ko-choice")(el) and el.text == title, reverse=True)
    before = len(messages(driver))
    active(driver).send_keys(Keys.ENTER)
    found = wait_for_bot(driver, before)
    assert found[0]["kind"] == "user" and found[0]["text"] == title
    assert has_class("ko-input")(active(driver))


def test_reduced_motion_turns_off_the_typing_animation(stack, driver):
    open_fresh(driver, f"{gateway_url(stack)}/?lang=fi")
    script = ("var s = document.querySelector('.ko-status'); s.classList.add('ko-status--busy');"
              "return getComputedStyle(s, '::after').animationName;")
    assert driver.execute_script(script) == "ko-dots"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                           {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
    try:
        assert driver.execute_script(script) == "none"
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


# ------------------------------------------------------------------------ embedded on another site


CITY_PAGE = """<!doctype html>
<html lang="sv">
<head><meta charset="utf-8"><title>Staden – social rehabilitering</title></head>
<body>
<header><p>Stadens webbplats</p></header>
<main>
<h1>Social rehabilitering</h1>
<p>Fråga vår rådgivningsbot.</p>
<script src="{gateway}/static/widget.js" defer></script>
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def city_site(stack):
    """A page on another origin that embeds the widget with one script tag, and a gateway
    that allows that origin (CORS)."""
    site_port, gateway_port = free_port(), free_port()
    site_origin = f"http://127.0.0.1:{site_port}"
    gateway = f"http://127.0.0.1:{gateway_port}"
    root = Path(tempfile.mkdtemp(prefix="ko-city-"))
    (root / "index.html").write_text(CITY_PAGE.format(gateway=gateway), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
    site = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()

    env = stack.environment()
    env.update({"GATEWAY_ALLOWED_ORIGINS": site_origin, "KO_GATEWAY_PORT": str(gateway_port)})
    log = open(stack.log_dir / "gateway-city.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bot.gateway.app:app", "--host", "127.0.0.1", "--port",
         str(gateway_port), "--ws", "none", "--no-server-header", "--no-access-log"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not http_ok(f"{gateway}/livez"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("second gateway did not start: " + (stack.log_dir / "gateway-city.log").read_text()[-2000:])
            time.sleep(0.3)
        yield f"{site_origin}/index.html"
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
        site.shutdown()
        shutil.rmtree(root, ignore_errors=True)


def test_one_script_tag_embeds_the_widget_on_another_site(stack, driver, axe_source, city_site):
    open_fresh(driver, city_site)
    # The widget made its own container right after its script tag, inside <main>.
    assert driver.execute_script(
        "var c = document.querySelector('main > .ko-embed');"
        "return !!c && c.previousElementSibling.tagName === 'SCRIPT' && !!c.querySelector('.ko-chat');")
    assert driver.find_element(By.CSS_SELECTOR, ".ko-title").text == "Rådgivningsbot"
    driver.find_element(By.CSS_SELECTOR, ".ko-input").click()
    before = type_and_enter(driver, "/greet")
    wait_for_bot(driver, before, GREETING["sv"])  # the page language started the conversation
    run_axe(driver, axe_source, "widget embedded on another site")
    driver.save_screenshot(str(SCREENSHOTS / "widget-embedded-sv.png"))
