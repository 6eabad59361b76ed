"""Turning a question into a verified answer: quotes, counterparts, conversation rules, the service."""
