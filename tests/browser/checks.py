"""What the browser tests check on any page: axe-core's serious and critical violations."""

from axe_playwright_python.sync_playwright import Axe

BLOCKING = {"serious", "critical"}
axe = Axe()


def axe_problems(page, where: str | None = None) -> list[str]:
    """axe's serious and critical violations on the page as it is, each naming the page."""
    results = axe.run(page)
    return [
        f"{where or page.url}: axe [{v['impact']}] {v['id']}: {v['help']} "
        f"({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]
