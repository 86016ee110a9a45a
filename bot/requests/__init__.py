"""Requests and approvals: the kinds of request (bot/requests/kinds), their approval chains and workflow."""
