"""The widget's "Was this helpful?" in a real browser (issue 14): a group labelled by the
question, reachable and usable from the keyboard, the choice marked with aria-pressed, the
buttons disabled once answered or when the conversation moves on (also after a reload), the
comment question, and zero axe-core WCAG 2.1 A/AA violations with the feedback shown.
Uses the browser fixtures of tests/test_widget_browser.py (skips the same way)."""
from __future__ import annotations

import pytest

from bot.knowledge import get_knowledge
from tests.test_widget_browser import (  # noqa: F401 (fixtures)
    active,
    axe_source,
    driver,
    gateway_url,
    has_class,
    messages,
    open_fresh,
    run_axe,
    tab_until,
    type_and_enter,
    wait_for_bot,
)

pytestmark = pytest.mark.slow

KB = get_knowledge()


def feedback_groups(driver) -> list[dict]:  # noqa: F811 - the driver fixture's browser
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('.ko-log .ko-feedback')).map(function (g) {"
        "  var label = document.getElementById(g.getAttribute('aria-labelledby'));"
        "  return {role: g.getAttribute('role'), label: label ? label.textContent : null,"
        "          buttons: Array.from(g.querySelectorAll('button')).map(function (b) {"
        "            return {text: b.textContent, pressed: b.getAttribute('aria-pressed'), disabled: b.disabled}; })};"
        "});")


def test_feedback_buttons_keyboard_aria_and_not_repeated(stack, driver, axe_source):  # noqa: F811 - fixtures
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    open_fresh(driver, f"{gateway_url(stack)}/?lang=en")
    driver.find_element("css selector", ".ko-input").click()
    before = type_and_enter(driver, "What is rehabilitative work activity?")
    wait_for_bot(driver, before, KB.text("feedback.question", "en"))
    yes, no = KB.text("feedback.button_yes", "en"), KB.text("feedback.button_no", "en")
    assert feedback_groups(driver) == [{"role": "group", "label": KB.text("feedback.question", "en"), "buttons": [
        {"text": yes, "pressed": "false", "disabled": False}, {"text": no, "pressed": "false", "disabled": False}]}]
    run_axe(driver, axe_source, "feedback question shown")

    # Keyboard: Shift+Tab back from the message field to "No", Enter.
    tab_until(driver, lambda el: has_class("ko-choice")(el) and el.text == no, reverse=True)
    before = len(messages(driver))
    active(driver).send_keys(Keys.ENTER)
    found = wait_for_bot(driver, before, KB.text("feedback.ask_comment", "en")[:30])
    assert found[0]["kind"] == "user" and found[0]["text"] == no
    assert has_class("ko-input")(active(driver)), "typing continues in the message field"
    [group] = feedback_groups(driver)
    assert group["buttons"] == [{"text": yes, "pressed": "false", "disabled": True},
                                {"text": no, "pressed": "true", "disabled": True}]
    run_axe(driver, axe_source, "feedback answered")

    # The comment, then another question: no second feedback question right away.
    before = type_and_enter(driver, "The phone number of the service was missing")
    wait_for_bot(driver, before, KB.text("feedback.thanks_comment", "en"))
    before = type_and_enter(driver, "How long does rehabilitative work activity last?")
    wait_for_bot(driver, before)
    assert len(feedback_groups(driver)) == 1, "not asked after every answer"

    # The choice survives a reload, still disabled.
    driver.refresh()
    WebDriverWait(driver, 20).until(lambda d: feedback_groups(d))
    assert feedback_groups(driver)[0]["buttons"][1] == {"text": no, "pressed": "true", "disabled": True}


def test_an_unanswered_question_is_disabled_when_the_resident_moves_on(stack, driver):  # noqa: F811 - fixture
    open_fresh(driver, f"{gateway_url(stack)}/?lang=fi")
    driver.find_element("css selector", ".ko-input").click()
    before = type_and_enter(driver, "Mitä on kuntouttava työtoiminta?")
    wait_for_bot(driver, before, KB.text("feedback.question", "fi"))
    before = type_and_enter(driver, "Kuinka kauan kuntouttava työtoiminta kestää?")
    wait_for_bot(driver, before)
    [group] = feedback_groups(driver)
    assert all(b["disabled"] and b["pressed"] == "false" for b in group["buttons"])
