"""The mail catcher stores what is sent to it, and /dev/mail shows it."""

import smtplib
from email.message import EmailMessage

import pytest

from app import create_app
from app.devmail.store import list_messages, read_message, save_message
from app.devserver.mailcatcher import MailCatcher
from app.extensions import db as _db


def _message(subject: str, body: str, to: str = "officer@example.org") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Rochdale <no-reply@rochdale.invalid>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def test_catcher_stores_each_message_as_a_file(tmp_path):
    catcher = MailCatcher(tmp_path / "mail")
    catcher.start()
    try:
        with smtplib.SMTP(catcher.host, catcher.port, timeout=10) as smtp:
            smtp.send_message(_message("Reset your password", "Follow https://rochdale.test/password/reset/abc"))
            smtp.send_message(_message("You are invited", "Join us.", to="new@example.org"))
    finally:
        catcher.stop()

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    newest, oldest = list_messages(tmp_path / "mail")
    assert newest.subject == "You are invited"
    assert newest.to == "new@example.org"
    assert oldest.subject == "Reset your password"
    assert "https://rochdale.test/password/reset/abc" in oldest.body


def test_read_message_refuses_ids_that_are_not_ids(tmp_path):
    (tmp_path / "secret.eml").write_text("Subject: no\n\nno")
    assert read_message(tmp_path, "secret") is None
    assert read_message(tmp_path, "../secret") is None
    assert read_message(tmp_path, "20260101T000000000000-deadbeef") is None


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@pytest.fixture
def mail_client(app, app_config, mail_dir):
    """A client for an app built with MAIL_CATCHER_DIR set, as `rochdale run` builds it."""
    mail_app = create_app({**app_config, "MAIL_CATCHER_DIR": str(mail_dir)})
    with mail_app.app_context():
        yield mail_app.test_client()
        _db.session.remove()
        _db.engine.dispose()


def test_mail_pages_list_newest_first_and_show_the_body(mail_client, mail_dir):
    first = save_message(mail_dir, _message("First", "one").as_bytes())
    second = save_message(
        mail_dir,
        _message(
            "Reset <your> password", "Open https://rochdale.test/reset/t0k3n to continue. <script>x()</script>"
        ).as_bytes(),
    )

    listing = mail_client.get("/dev/mail")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "Caught emails" in page
    assert page.index(f"/dev/mail/{second}") < page.index(f"/dev/mail/{first}")
    assert "Reset &lt;your&gt; password" in page
    assert "govuk-table" in page

    shown = mail_client.get(f"/dev/mail/{second}")
    assert shown.status_code == 200
    body = shown.get_data(as_text=True)
    assert "<pre" in body
    assert '<a class="govuk-link" href="https://rochdale.test/reset/t0k3n">' in body
    assert "officer@example.org" in body
    assert "&lt;script&gt;x()&lt;/script&gt;" in body


def test_mail_page_without_messages_says_so(mail_client):
    response = mail_client.get("/dev/mail")
    assert response.status_code == 200
    assert "No emails yet" in response.get_data(as_text=True)


def test_unknown_or_malformed_message_is_404(mail_client, mail_dir):
    save_message(mail_dir, _message("Only", "one").as_bytes())
    assert mail_client.get("/dev/mail/20260101T000000000000-deadbeef").status_code == 404
    assert mail_client.get("/dev/mail/..%2F..%2Fsecret_key").status_code == 404
    assert mail_client.get("/dev/mail/not-an-id").status_code == 404


def test_mail_pages_do_not_exist_without_the_catcher(client):
    assert client.get("/dev/mail").status_code == 404
