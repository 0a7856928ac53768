"""Uploads from the browser: kept within the officer's units, never naming what lies outside."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.builders import person, write_csv
from tests.web.conftest import Site, csrf_of


def test_a_dry_run_upload_does_not_name_another_communes_household(
    site: Site, tmp_path: Path
) -> None:
    """Trust issue, item 3: a foreign person_id answered 'already belongs to household H2'."""
    rows = [person("P5", "H9", "Nguyễn Văn Hùng", "head", birth_date="1980", sex="M")]
    path = write_csv(tmp_path / "do.csv", rows)
    officer = site.browser("officer")
    token = csrf_of(officer.get("/import").text)
    answer = officer.post(
        "/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("do.csv", path.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 400 and "ngoài phạm vi" in answer.text
    assert "H2" not in answer.text.replace(csrf_of(answer.text), "")  # the token is random


def _post_raw(
    site: Site, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> tuple[int, int]:
    """POST straight to the application; (status, body chunks it asked for)."""
    asked = 0
    status = 0

    async def receive() -> dict[str, object]:
        nonlocal asked
        asked += 1
        if asked <= len(chunks):
            return {
                "type": "http.request",
                "body": chunks[asked - 1],
                "more_body": asked < len(chunks),
            }
        return {"type": "http.disconnect"}

    async def send(message: dict[str, object]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])  # type: ignore[call-overload]

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80), "state": {},
    }  # fmt: skip
    asyncio.run(site.client.app(scope, receive, send))  # type: ignore[arg-type]
    return status, asked


MULTIPART = (b"content-type", b"multipart/form-data; boundary=xyz")


def test_a_declared_size_over_the_bound_is_refused_before_any_byte_is_read(site: Site) -> None:
    """Trust issue, item 4: an anonymous 300 MB POST spooled 253 MB before the redirect."""
    headers = [MULTIPART, (b"content-length", str(300 * 1024 * 1024).encode())]
    assert _post_raw(site, "/import", headers, [b"x" * 1024] * 3) == (413, 0)


def test_an_anonymous_upload_is_sent_to_sign_in_before_its_body_is_read(site: Site) -> None:
    headers = [MULTIPART, (b"content-length", b"3072")]
    assert _post_raw(site, "/import", headers, [b"x" * 1024] * 3) == (303, 0)


def test_a_body_without_a_declared_size_is_cut_off_at_the_bound(site: Site) -> None:
    cookie = site.browser("admin").cookies.get("ansinh_session")
    headers = [MULTIPART, (b"cookie", f"ansinh_session={cookie}".encode())]
    chunk = b"x" * (1024 * 1024)
    part = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    status, asked = _post_raw(site, "/import", headers, [part] + [chunk] * 40)
    assert status == 413 and asked <= 22  # 20 MB and the form's framing, not 40 MB
    status, asked = _post_raw(site, "/login", [MULTIPART], [chunk] * 40)
    assert status in (400, 413) and asked <= 2  # a form is 1 MB at most


def test_the_import_runs_off_the_event_loop(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Trust issue, item 4: a GET /login took 18.5 s during an upload (imported in the loop)."""
    from ansinh.web.routes import imports

    threads: list[bool] = []
    real = imports.import_upload

    def watched(*args: object, **kwargs: object) -> object:
        try:
            asyncio.get_running_loop()
            threads.append(False)
        except RuntimeError:  # no loop runs in this thread
            threads.append(True)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "import_upload", watched)
    path = write_csv(tmp_path / "ho.csv", [person("P7", "H7", "Lò Văn Sáng", "head")])
    admin = site.browser("admin")
    token = csrf_of(admin.get("/import").text)
    answer = admin.post(
        "/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("ho.csv", path.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 200 and threads == [True]


def test_an_upload_of_ten_thousand_columns_is_refused_at_once(site: Site) -> None:
    header = ",".join(f"c{n}" for n in range(10_000)).encode()
    admin = site.browser("admin")
    token = csrf_of(admin.get("/import").text)
    answer = admin.post(
        "/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("wide.csv", header + b"\n" + b"," * 9_999 + b"\n", "text/csv")},
    )
    assert answer.status_code == 400 and "at most 256" in answer.text


def test_a_panic_in_a_library_is_a_page_not_a_plain_500(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Rust panic (polars, calamine) is a BaseException: it went past the guard."""
    from polars.exceptions import PanicException

    from ansinh.web.routes import imports

    def panics(*args: object, **kwargs: object) -> object:
        raise PanicException("assertion failed: i < self.len()")

    monkeypatch.setattr(imports, "import_upload", panics)
    admin = site.browser("admin")
    token = csrf_of(admin.get("/import").text)
    client = TestClient(site.client.app, raise_server_exceptions=False, cookies=admin.cookies)
    answer = client.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("a.csv", b"person_id\nP1\n", "text/csv")},
    )
    assert (
        answer.status_code == 500 and "<html" in answer.text and "i < self.len" not in answer.text
    )
