"""Screenshots of a route answer in the widget on a phone-sized screen (390 × 844 CSS px), one
per language, as a resident sees it: the interview answered by typing, then the short answer
with its buttons. Writes tests/bench/results/screenshots/route-<lang>.png.

Needs Debian's chromium and chromium-driver (as tests/test_widget_browser.py) and a trained
model: ``python tests/bench/screenshots.py``.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from bot.stack import Stack, latest_model, loopback_settings  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "screenshots"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]
# What a resident types, answer by answer (Helsinki, 45, unemployed, health affects work
# ability, no disability, no referral, no plan, no worker yet).
TYPED = {
    "fi": ["Mikä palvelu sopii minulle?", "Helsinki", "45", "kyllä", "kyllä", "ei", "ei lähetettä", "ei",
           "ei mitään näistä"],
    "sv": ["Vilken tjänst passar mig?", "Helsingfors", "45", "ja", "ja", "nej", "ingen remiss", "nej",
           "ingen av dessa"],
    "en": ["Which service suits me?", "Helsinki", "45", "yes", "yes", "no", "no referral", "no", "none of these"],
}
FIRST_STEP = {"fi": "Ensimmäinen askel", "sv": "Första steget", "en": "Your first step"}


def bot_texts(driver) -> list:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.ko-log .ko-msg--bot .ko-text')).map(e => e.textContent)")


def send(driver, text: str) -> None:
    before = len(bot_texts(driver))
    field = driver.find_element(By.CSS_SELECTOR, ".ko-chat .ko-input")
    field.send_keys(text)
    field.send_keys(Keys.ENTER)
    WebDriverWait(driver, 120).until(
        lambda d: len(bot_texts(d)) > before
        and d.execute_script("return document.querySelector('.ko-log').getAttribute('aria-busy')") != "true")


def main() -> int:
    model = latest_model(ROOT / "models")
    if model is None or not Path("/usr/bin/chromium").exists():
        print("needs a trained model (make train) and /usr/bin/chromium", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="screens-"))
    settings = loopback_settings(tmp, "screens")
    OUT.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="screens-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    env = {"GATEWAY_RATE_ADDRESS_PER_MINUTE": "0", "GATEWAY_RATE_SESSION_PER_MINUTE": "0"}
    with Stack(settings, model, tmp / "logs", extra_env=env):
        driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
        try:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
            for language, typed in TYPED.items():
                driver.get(f"http://127.0.0.1:{settings.gateway_port}/?lang={language}")
                driver.execute_script("window.sessionStorage.clear()")
                driver.get(f"http://127.0.0.1:{settings.gateway_port}/?lang={language}")
                WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".ko-chat .ko-input"))
                for text in typed:
                    send(driver, text)
                answer = [t for t in bot_texts(driver) if FIRST_STEP[language] in t]
                if not answer:
                    print(f"{language}: no route answer; last replies: {bot_texts(driver)[-3:]}", file=sys.stderr)
                    return 1
                driver.execute_script(
                    "var m = Array.from(document.querySelectorAll('.ko-log .ko-msg--bot'))"
                    "  .filter(e => e.textContent.indexOf(arguments[0]) >= 0).pop();"
                    "m.scrollIntoView({block: 'start'});", FIRST_STEP[language])
                path = OUT / f"route-{language}.png"
                driver.save_screenshot(str(path))
                print(f"{language}: {len(answer[-1].split())} words -> {path.relative_to(ROOT)}")
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
