"""Kamailio (5.6, Debian's ``kamailio`` and ``kamailio-tls-modules``): kamailio.cfg and tls.cfg.

``export.py`` gathers the settings and the store, ``tlscfg.py`` writes the TLS domains,
``script.py`` the routing script with the security routes.
"""
