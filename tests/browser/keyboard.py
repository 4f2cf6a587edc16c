"""Keyboard helpers for browser journeys: move focus as a keyboard user does."""


def focused(page):
    """Describe the focused element: tag, text, accessible name bits, outline."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                text: (el.innerText || el.value || "").trim(),
                name: el.getAttribute("name") || "",
                id: el.id,
                href: el.getAttribute("href") || "",
                outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
                shadow: style.boxShadow !== "none",
            };
        }"""
    )


def tab_to(page, match, *, limit=80):
    """Press Tab until the focused element satisfies `match`; return its description.

    Every element passed on the way must show a visible focus indicator.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] != "body":
            assert element["outline"] or element["shadow"], (
                f"no visible focus on {element}"
            )
        if match(element):
            return element
    raise AssertionError(f"Tab never reached the element after {limit} presses")
