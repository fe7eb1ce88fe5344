"""A newcomer's mistakes in the settings: one line naming the setting, with an example."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings, unknown_variables


@pytest.fixture(autouse=True)
def clean_environment(tmp_path, monkeypatch):
    """Only what a test sets: no developer's .env or environment."""
    monkeypatch.chdir(tmp_path)
    for info in Settings.model_fields.values():
        for alias in getattr(info.validation_alias, "choices", []):
            monkeypatch.delenv(str(alias), raising=False)


@pytest.mark.parametrize(
    ("name", "value", "example"),
    [
        ("ISCG_SMTP_PORT", "many", "ISCG_SMTP_PORT=587"),
        ("PORT", "80800", "PORT=8080"),
        ("ISCG_SMTP_TLS", "yes", "ISCG_SMTP_TLS=starttls"),
        ("DISCORD_GUILD_ID", "my server", "DISCORD_GUILD_ID=123456789012345678"),
        ("ISCG_WEB_PUBLIC", "maybe", "ISCG_WEB_PUBLIC=false"),
        ("ISCG_DIGEST_SCHEDULE", "daily 25:00", "ISCG_DIGEST_SCHEDULE=weekly mon 08:00"),
    ],
)
def test_a_bad_value_names_the_setting_and_shows_a_good_one(monkeypatch, name, value, example):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"setting {name}: ")
    assert f"for example {example}" in message
    assert "Value error" not in message and "\n" not in message


@pytest.mark.parametrize("name", ["ISCG_BOT_ADDRESS", "ISCG_LIST_ADDRESS"])
@pytest.mark.parametrize("value", ["notanaddress", "ISCG bot <iscg-bot@example.org>"])
def test_an_address_that_is_not_a_bare_address_is_refused(monkeypatch, name, value):
    """A display name or no domain: the bot would not know its own mail, or the list's."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"^setting {name}: .*for example {name}="):
        load_settings()


def test_a_chair_that_is_no_identity_is_refused_at_start_naming_the_setting(monkeypatch):
    monkeypatch.setenv("ISCG_CHAIRS", "chair@example.org, Jane Doe")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith("setting ISCG_CHAIRS: 'Jane Doe' is not an identity")
    assert "for example ISCG_CHAIRS=chair@example.org,slack:U0123ABCD" in message


def test_good_values_still_load(monkeypatch):
    monkeypatch.setenv("ISCG_BOT_ADDRESS", "iscg-bot@example.org")
    monkeypatch.setenv("ISCG_CHAIRS", "Chair@Example.org,slack:U0123")
    settings = load_settings()
    assert settings.bot_address == "iscg-bot@example.org"
    assert settings.chair_identities == {"email:chair@example.org", "slack:U0123"}


def test_a_chair_pasted_with_an_invisible_character_is_still_that_chair(monkeypatch):
    # Copied from a mail client, an address may carry a zero-width space or a
    # byte-order mark; the chair's own mail then matched no chair.
    monkeypatch.setenv("ISCG_CHAIRS", "\ufeffchair@example.org\u200b,slack:U0123\u2060")
    settings = load_settings()
    assert settings.chair_identities == {"email:chair@example.org", "slack:U0123"}


def test_a_mistyped_variable_is_pointed_out_with_the_setting_meant(tmp_path, monkeypatch):
    """`ISCG_SMTP_PASS=...` was ignored without a word: mail then went out with no
    password and the server refused the login, hour after hour."""
    monkeypatch.setenv("ISCG_SMTP_PASS", "secret")
    (tmp_path / ".env").write_text("ISCG_TIMEZON=Europe/Zurich\nISCG_SMTP_HOST=smtp.example.org\n")
    assert unknown_variables() == [
        "ISCG_SMTP_PASS is not a setting; did you mean ISCG_SMTP_PASSWORD?",
        "ISCG_TIMEZON (in .env) is not a setting; did you mean ISCG_TIMEZONE?",
    ]
