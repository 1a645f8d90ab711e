"""The development mail catcher's pages: /dev/mail.

``make run`` catches every outgoing email in a local SMTP server that stores
each message as a file (``store``); these pages list and show them, so someone
trying the app can open invitation and password-reset links. The blueprint is
registered only when MAIL_CATCHER_DIR is set, which production never does.
"""
