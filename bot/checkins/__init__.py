"""Wellbeing check-ins (WFH policy 6): prompts for line managers, their buttons, weekly summaries."""
