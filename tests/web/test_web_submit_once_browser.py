"""A new concern sent once: a second click or Enter while the first submit is on its way is
ignored in the browser (the public /raise form and the staff new-concern form)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# Each submit event is recorded (was it refused?) and then stopped here, so the page stays.
RECORD_TWO_SUBMITS = """(selector) => {
  const form = document.querySelector(selector);
  const seen = [];
  form.addEventListener("submit", (event) => {
    seen.push(event.defaultPrevented);
    event.preventDefault();
  });
  form.requestSubmit();
  form.requestSubmit();
  return seen;
}"""


def test_the_public_form_ignores_a_second_submit(tab_factory):
    tab = tab_factory(width=360, height=740)
    tab.page.goto("/raise")
    tab.page.fill("[name=title]", "Wages cut for NSSF but not paid")
    seen = tab.page.evaluate(RECORD_TWO_SUBMITS, "form[data-submit-once]")
    assert seen == [False, True]


def test_the_back_button_lets_the_form_be_sent_again(tab_factory):
    tab = tab_factory(width=360, height=740)
    tab.page.goto("/raise")
    tab.page.evaluate(
        """() => {
      const form = document.querySelector("form[data-submit-once]");
      form.addEventListener("submit", (event) => event.preventDefault(), { once: true });
      form.requestSubmit();
      window.dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true }));
    }"""
    )
    seen = tab.page.evaluate(RECORD_TWO_SUBMITS, "form[data-submit-once]")
    assert seen == [False, True]  # the first of these two went through again


def test_the_staff_form_for_a_new_concern_is_guarded_too(tab_factory, officer):
    tab = tab_factory()
    tab.log_in(officer)
    tab.page.goto("/cases/new")
    tab.page.fill("#title", "Maternity benefit not paid")
    seen = tab.page.evaluate(RECORD_TWO_SUBMITS, "form[data-submit-once]")
    assert seen == [False, True]
