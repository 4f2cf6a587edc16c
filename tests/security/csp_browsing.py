"""Browser helpers for the security tests: staff sign-in and the XSS trap."""

import re

from django.conf import settings

from tests.conftest import PASSWORD
from tests.mfa import enable_totp, totp_code


def sign_in(page, user, *, next_url="/", totp_secret=None):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    if totp_secret:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code(totp_secret))
        page.press("input[name=code]", "Enter")
    page.wait_for_url(f"**{next_url}")


def sign_in_to_admin(page, staff):
    """Sign a staff member in with two-factor sign-in and open the admin."""
    sign_in(page, staff, next_url="/admin/", totp_secret=enable_totp(staff))


# What a payload leaves behind if it got through: a handler or script that
# calls a dialog or sets window.__xss, or a URL that runs script when followed.
SCAN = r"""() => {
  const found = [];
  const risky = /xss|alert|confirm|prompt|eval\(/i;
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href",
    "data", "background", "poster", "srcset", "content"]);
  for (const el of document.querySelectorAll("*")) {
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value;
      if ((name.startsWith("on") && risky.test(value))
          || (urlAttributes.has(name)
              && /^\s*(javascript|vbscript|data:text\/html)/i.test(value))
          || (name === "srcdoc" && risky.test(value))
          || (name === "style" && /javascript:|expression\(/i.test(value))) {
        found.push(el.outerHTML.slice(0, 200));
      }
    }
    if (el.tagName === "SCRIPT" && !/json/i.test(el.type) && risky.test(el.textContent)) {
      found.push(el.outerHTML.slice(0, 200));
    }
  }
  return found;
}"""


class XSSTrap:
    """Visit pages that show user input and prove no payload ran.

    A payload that ran opens a dialog (caught by the trap) or sets
    `window.__xss`; one that got into the page without running yet leaves an
    element that SCAN finds. CSP violations fail the test through the
    `csp_violations` fixture. `sinks` holds, for each place, the payloads
    whose text was seen there (a sanitiser may have removed some entirely).
    """

    def __init__(self, page, payloads):
        self.page = page
        self.dialogs = []
        self.sinks = {}
        # What shows that a payload reached a page: its "xss-N" marker.
        self.keys = [re.findall(r"xss-\d+", payload)[0] for payload in payloads]
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(f"{self.page.url}: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def visit(self, url, sink=None):
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response}"
        self.check(sink)

    def show_html(self, html, sink):
        """Render an email's HTML as a mail client would (no site policy)."""
        self.page.goto("about:blank")
        self.page.set_content(html)
        self.check(sink)

    def check(self, sink=None):
        page = self.page
        page.wait_for_load_state("load")
        assert page.evaluate(SCAN) == [], page.url
        assert page.evaluate("() => window.__xss") is None, page.url
        assert self.dialogs == []
        content = page.content()
        assert settings.SECRET_KEY not in content, page.url
        if sink:
            seen = self.sinks.setdefault(sink, set())
            markers = set(re.findall(r"xss-\d+", content))
            seen.update(n for n, key in enumerate(self.keys) if key in markers)

    def seen(self, sink):
        return len(self.sinks.get(sink, ()))
