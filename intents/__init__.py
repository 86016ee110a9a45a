"""Understanding staff messages: the policy library and the intent router.

Pure code: no database, no network, no chat-platform names.
"""
