"""The loggers slack_sdk and slack-bolt write to, at the level logging is configured at.

Both libraries decide whether to build a debug message by testing the logger's *own*
level (`logger.level <= logging.DEBUG`), not the effective one. A logger left at
NOTSET (0) passes that test, so every Web API call formats its whole request and
response body into a debug line that logging then throws away: tens of microseconds
a call, on every answer. Giving those loggers the configured level explicitly skips
that work unless debug logging is really on (`STAFFROOM_LOG_LEVEL=debug`).
"""

from __future__ import annotations

import logging

#: The loggers the clients and the bolt app are given (`bot.slack.app`, `bot.slack.courier`).
WEB_API_LOGGER = "slack_sdk.web.async_client"
BOLT_LOGGER = "slack_bolt"


def library_logger(name: str) -> logging.Logger:
    """`logging.getLogger(name)`, its own level set to its effective level if it had none."""
    logger = logging.getLogger(name)
    if logger.level == logging.NOTSET:
        logger.setLevel(logger.getEffectiveLevel())
    return logger
