"""The Slack adapter: Events API, interactivity and slash commands through slack-bolt."""
