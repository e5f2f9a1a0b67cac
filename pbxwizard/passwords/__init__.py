"""Accounts and passwords: which accounts exist, the password rules, hashing and generation."""
