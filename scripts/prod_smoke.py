"""Production smoke test (issue 9, defect 2; CI runs it after the test suites): the README's production steps
on this checkout — DEBUG off, a secret key, PostgreSQL, the Redis cache, migrate, collectstatic,
compilecatalog, ``check --deploy``, gunicorn and the video intake's gunicorn — then, as a browser behind nginx,
sign in through the form and fetch pages, a static file by its hashed name and API calls, and as a video
platform post a signed event to the intake, each of which must answer as it should. Stops the servers and
drops its database; exits 1 with the failed check's message.

    .venv/bin/python scripts/prod_smoke.py            # database shouye_prod_smoke (dropped afterwards)
    .venv/bin/python scripts/prod_smoke.py --database h_prod_site --workers 2

See scripts/prodsite.py for how the steps are run."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import hmac
import json
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.prodsite import Site, SiteFailure, tail  # noqa: E402

DEMO_PASSWORD = "Shouye@2026"
MASHAN = "370113107"
HASHED = r"\.[0-9a-f]{12}\."


#: Checks passed so far, for the closing line CI reads ("N passed, N failed").
passed = 0


def check(condition: bool, message: str) -> None:
    global passed
    if not condition:
        raise SiteFailure(message)
    passed += 1


def expect(response, status: int, what: str, *, contains: str | None = None):
    check(response.status == status,
          f"{what} answered {response.status}, expected {status}:\n{tail(response.text, 15)}")
    if contains is not None:
        check(contains in response.text, f"{what} does not contain {contains!r}")
    check(bool(response.headers.get("Content-Security-Policy")), f"{what} has no Content-Security-Policy")
    return response


def smoke(site: Site, log=print) -> None:
    browser = site.client()

    login = expect(browser.get("/accounts/login/"), 200, "the sign-in page")
    stylesheet = re.search(rf'href="(/static/vendor/bootstrap/bootstrap\.min{HASHED}css)"', login.text)
    check(bool(stylesheet), "the sign-in page does not link Bootstrap's stylesheet by its hashed name "
                            "(collectstatic's manifest is missing)")
    css = browser.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    check(css.status == 200 and css.headers.get("Content-Type", "").startswith("text/css"),
          f"{stylesheet.group(1)} answered {css.status} {css.headers.get('Content-Type')}")
    check(css.headers.get("Content-Encoding") == "gzip" and b".btn" in gzip.decompress(css.body),
          f"{stylesheet.group(1)} was not sent as its gzip copy")
    check("immutable" in css.headers.get("Cache-Control", ""), "a hashed static file is not cached for good")
    log(f"  static file      {stylesheet.group(1)} (gzip, immutable)")

    signed_in = browser.sign_in("staff", DEMO_PASSWORD)
    session_cookie = next(c for c in signed_in.headers.get_all("Set-Cookie") if c.startswith("sessionid="))
    check("Secure" in session_cookie and "HttpOnly" in session_cookie, f"the session cookie is {session_cookie!r}")
    expect(browser.get("/"), 200, "the home page", contains='data-testid="current-user"')
    enterprises = expect(browser.get(f"/enterprises/?township={MASHAN}"), 200, "the enterprise list")
    first = re.search(r'href="/enterprises/(\d+)/"', enterprises.text)
    check(bool(first), "the enterprise list of 马山镇 shows no enterprise")
    expect(browser.get(f"/enterprises/{first.group(1)}/"), 200, "an enterprise's ledger page")
    expect(browser.get("/hazards/"), 200, "the hazard ledger")
    expect(browser.get("/api/docs/"), 200, "the API docs")
    expect(browser.get("/api/v1/me/"), 200, "GET /api/v1/me/ (session)", contains='"staff"')
    check(browser.get("/no-such-page/").status == 404, "an unknown page does not answer 404")
    log("  pages            home, enterprises, ledger page, hazard ledger, API docs, me (session)")

    # The README's API example: a token, then the filtered enterprise list with it; then a write.
    api = site.client()
    token = expect(api.post_json("/api/v1/auth/token/", {"username": "staff", "password": DEMO_PASSWORD}),
                   200, "POST /api/v1/auth/token/")
    api.token = token.json()["token"]
    listed = expect(api.get(f"/api/v1/enterprises/?township={MASHAN}"), 200, "GET /api/v1/enterprises/ (token)")
    check(listed.json()["count"] > 0, "the API lists no enterprise in 马山镇")
    enterprise = listed.json()["results"][0]["id"]
    reported = expect(api.post_json("/api/v1/hazards/", {
        "enterprise": enterprise, "description": "生产冒烟测试：消防通道堆放杂物", "source": "inspection"}),
        201, "POST /api/v1/hazards/ (token)")
    hazard = reported.json()["id"]
    expect(api.get(f"/api/v1/hazards/{hazard}/"), 200, "GET /api/v1/hazards/{id}/ (token)")
    expect(browser.get(f"/hazards/{hazard}/"), 200, "the reported hazard's page", contains="消防通道堆放杂物")
    expect(api.get("/api/v1/hazards/stats/"), 200, "GET /api/v1/hazards/stats/ (token)")
    log("  API              token, enterprises, report a hazard, read it, stats")

    signed_out = browser.post_form("/accounts/logout/", {"csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")})
    check(signed_out.status == 302 and browser.get("/").status == 302, "signing out did not end the session")

    video_intake(site, log)


#: A video platform as the bureau registers one (its page), made through ``shouye shell``: the demo district of
#: a few enterprises may have no gas station, hence no cameras.
VENDOR = """
from shouye.enterprises.models import Enterprise
from shouye.monitoring.models import AlarmVendor, Camera, Scenario, VendorTypeMapping
vendor = AlarmVendor.objects.create(code="prod-smoke", name="冒烟测试视频平台", key_id="prod-smoke-key",
                                    secret="{secret}")
VendorTypeMapping.objects.create(vendor=vendor, vendor_code="smoking", scenario=Scenario.objects.get(code="smoking"))
camera = Camera(vendor=vendor, vendor_device_id="prod-smoke-cam", name="冒烟测试摄像头")
camera.stamp_from(Enterprise.objects.order_by("pk").first())
camera.save()
"""


def video_intake(site: Site, log=print) -> None:
    """A video platform posts a signed event to the intake's server (README, "The intake's own server"), then
    the same event again; an unsigned post is refused in the API's words."""
    secret = secrets.token_urlsafe(32)
    site.manage("video vendor", "shell", "-c", VENDOR.format(secret=secret))
    path = "/api/v1/alarms/intake/prod-smoke/"
    body = json.dumps({"event_id": "prod-smoke-1", "device_id": "prod-smoke-cam", "type": "smoking",
                       "occurred_at": datetime.now(UTC).isoformat(), "description": "生产冒烟测试告警"}).encode()
    timestamp = str(int(time.time()))
    signed = {"Content-Type": "application/json", "X-Shouye-Key": "prod-smoke-key", "X-Shouye-Timestamp": timestamp,
              "X-Shouye-Signature": hmac.new(secret.encode(), f"{timestamp}\n".encode() + body,
                                             hashlib.sha256).hexdigest()}
    vendor = site.intake_client()
    first = expect(vendor.request("POST", path, body=body, headers=signed), 202, f"POST {path} (signed)")
    again = expect(vendor.request("POST", path, body=body, headers=signed), 200, f"POST {path} (the same again)")
    check(first.json()["received_as"] == "accepted" and again.json()["received_as"] == "duplicate"
          and again.json()["event"] == first.json()["event"],
          f"the event and its replay were answered {first.json()} and {again.json()}")
    refused = expect(vendor.request("POST", path, body=body, headers={"Content-Type": "application/json"}),
                     401, f"POST {path} (unsigned)")
    check("X-Shouye-Signature" in refused.json().get("detail", ""), f"the unsigned post was answered {refused.text}")
    log("  video intake     signed event 202, its replay 200, unsigned 401 (uvicorn's worker)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="shouye_prod_smoke", help="PostgreSQL database (created and dropped)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (the README runs one per core)")
    parser.add_argument("--redis-db", type=int, default=14, help="first of the two Redis databases it flushes")
    args = parser.parse_args(argv)
    started = time.monotonic()
    print(f"Production smoke test: the README's production steps on {ROOT}")
    try:
        with Site(args.database, redis_db=args.redis_db, workers=args.workers, demo_count=10) as site:
            try:
                smoke(site)
            except SiteFailure as failure:
                raise SiteFailure(f"{failure}\n\nthe servers' logs:\n{site.server_log()}") from None
    except SiteFailure as failure:
        print(f"\nPRODUCTION SMOKE TEST FAILED: {failure}", file=sys.stderr, flush=True)
        print(f"prod-smoke: {passed} passed, 1 failed")
        return 1
    print(f"Production smoke test done in {time.monotonic() - started:.0f} s.")
    print(f"prod-smoke: {passed} passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
