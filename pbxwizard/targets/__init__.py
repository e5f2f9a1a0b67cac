"""Exports: the settings and the certificate store turned into another product's files.

One package a product (``kamailio/``); each builds an ``Export`` (``base.py``): the files
to write, and what the product cannot express, which the command lists and every file
names in its header so nothing is silently dropped.
"""
