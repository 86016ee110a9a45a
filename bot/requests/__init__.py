"""Requests and approvals: working from home, equipment loans, and their approval chains."""
