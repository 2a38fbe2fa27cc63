"""Security headers on every page: a Content-Security-Policy with no inline script, no MIME sniffing, a referrer
policy, no framing; and, when served in HTTPS mode, HSTS and cookies that are Secure and HttpOnly."""

import http.client
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie

from django.urls import reverse

from archive.security import policy_header
from tests.test_serve import REPO, free_port, manage, production_env

# Script types a browser does not run, so they are data, not inline script (e.g. Django's json_script).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


class InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline <script>/<style>, on* handlers,
    style attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        script_type = (attributes.get("type") or "").lower()
        if tag == "script" and not attributes.get("src") and script_type not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("inline <style>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.found.append(f"<{tag} style=...> attribute")
            if name in {"href", "src", "action", "formaction"} and re.match(r"\s*javascript:", value or "", re.I):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found


def public_urls(article) -> list[str]:
    quotation = article.quotations.first()
    return [
        reverse("archive:home"),
        article.get_absolute_url(),
        quotation.get_absolute_url(),
        quotation.speaker.get_absolute_url(),
        article.publisher.get_absolute_url(),
        quotation.documents.first().get_absolute_url(),
    ]


ADMIN_URLS = [
    reverse("admin:login"),
    reverse("admin:index"),
    reverse("admin:archive_article_add"),
    reverse("admin:archive_article_changelist"),
    reverse("admin:archive_quotation_changelist"),
    reverse("admin:auth_user_changelist"),
]


def assert_security_headers(response, url):
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if " " in part.strip())
    assert directives.get("script-src") == "'self'", f"{url}: {policy!r}"
    assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'", url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") == "same-origin", url
    assert response.headers.get("X-Frame-Options") == "DENY", url


def test_public_pages_send_the_security_headers_and_carry_no_inline_script(client, seed_archive):
    """Every kind of public page is sent with the CSP and the other security headers, and needs no inline code."""
    for url in public_urls(seed_archive):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert inline_code(response.content.decode()) == [], url


def test_admin_pages_send_the_security_headers_and_carry_no_inline_script(staff_client, seed_archive):
    """The admin's login, index, add-article and list pages are sent with the CSP and need no inline code."""
    staff_client.logout()
    login = staff_client.get(ADMIN_URLS[0])
    assert_security_headers(login, ADMIN_URLS[0])
    assert inline_code(login.content.decode()) == []
    staff_client.post(ADMIN_URLS[0], {"username": "editor", "password": "a-long-passphrase"})
    for url in ADMIN_URLS[1:] + [reverse("admin:archive_article_change", args=[seed_archive.pk])]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert inline_code(response.content.decode()) == [], url


def test_the_inline_code_check_notices_inline_script():
    """The page check above would catch an inline script, a handler, a style attribute or a javascript: link."""
    found = inline_code(
        '<script>alert(1)</script><script type="application/json">{}</script><script src="/a.js"></script>'
        '<img src="x" onerror="alert(1)"><p style="color:red"><a href=" JavaScript:alert(1)">x</a>'
    )
    assert len(found) == 4, found


def test_policy_header_writes_directives_in_order():
    """The CSP setting becomes one header: sources space-separated, directives joined by semicolons."""
    policy = {"default-src": ["'self'"], "img-src": ["'self'", "data:"], "upgrade-insecure-requests": True, "x": []}
    assert policy_header(policy) == "default-src 'self'; img-src 'self' data:; upgrade-insecure-requests"


def https_request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    """A request as a TLS-terminating proxy would pass it on: plain HTTP to the server, X-Forwarded-Proto https."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    response = connection.getresponse()
    content = response.read().decode()
    connection.close()
    return response, content


def wait_until_answering(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    """Wait for the server to answer at all (in HTTPS mode its plain-HTTP answer is a redirect)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited early:\n{process.stdout.read()}")
        try:
            https_request(port, "HEAD", "/robots.txt")
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the server on port {port} did not answer within {seconds} s")


def set_cookies(response) -> dict[str, str]:
    """Each cookie set by the response, with its attributes as sent (Set-Cookie headers, one per cookie)."""
    return {header.split("=", 1)[0]: header for header in response.headers.get_all("Set-Cookie") or []}


def test_served_in_https_mode_sends_hsts_and_secure_httponly_cookies(tmp_path):
    """Served for real with a SECRET_KEY (HTTPS mode): plain HTTP is redirected, pages carry HSTS and the CSP,
    and the CSRF and session cookies set on logging in to the admin are Secure and HttpOnly."""
    secret = "s" * 30 + "-a-long-random-production-secret-value"
    env = production_env(tmp_path, SECRET_KEY=secret, DEBUG="0")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_until_answering(port, process)
        created = manage("createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.org",
                         env={**env, "DJANGO_SUPERUSER_PASSWORD": "a-long-passphrase"})  # fmt: skip
        assert created.returncode == 0, created.stderr

        plain = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        plain.request("GET", "/")
        redirect = plain.getresponse()
        assert redirect.status == 301 and redirect.headers["Location"] == f"https://127.0.0.1:{port}/"

        home, _ = https_request(port, "GET", "/")
        assert home.status == 200
        assert home.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert home.headers["X-Content-Type-Options"] == "nosniff"
        assert home.headers["Referrer-Policy"] == "same-origin"
        assert "script-src 'self'" in home.headers["Content-Security-Policy"]

        login_page, html = https_request(port, "GET", "/admin/login/")
        csrf_cookie = set_cookies(login_page)["csrftoken"]
        assert "; Secure" in csrf_cookie and "; HttpOnly" in csrf_cookie
        assert "script-src 'self'" in login_page.headers["Content-Security-Policy"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        cookie = SimpleCookie(csrf_cookie)["csrftoken"].value

        logged_in, _ = https_request(
            port,
            "POST",
            "/admin/login/?next=/admin/",
            body=f"csrfmiddlewaretoken={token}&username=chief&password=a-long-passphrase&next=/admin/",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}/admin/login/",
            },
        )
        assert logged_in.status == 302 and logged_in.headers["Location"] == "/admin/"
        session_cookie = set_cookies(logged_in)["sessionid"]
        assert "; Secure" in session_cookie and "; HttpOnly" in session_cookie
    finally:
        process.terminate()
        process.communicate(timeout=20)
