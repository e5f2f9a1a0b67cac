"""Pairing the phone apps: signed tokens, QR codes and the files and sheet that carry them."""
