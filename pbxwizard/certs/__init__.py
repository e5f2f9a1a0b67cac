"""The PBX's certificate store: a local CA or requests for a third-party CA, and checks.

Modules, smallest first: ``policy`` (key types and limits, no cryptography), ``layout``
(where each file goes), ``keys``, ``authority`` (local CA and issuing), ``request`` (CSRs),
``staging`` (build beside, swap in), ``generate`` (a whole store, with progress),
``signing`` (another box's request, signed by a CA kept in its own folder), ``importing``
(a signed certificate back in), ``checks`` (the store in words) and
``tlscontext`` (an ``ssl`` server context as the PBX would set it up).

This package imports nothing on purpose: the catalog reads ``policy`` at start-up, and
cryptography loads only inside the functions that need it.
"""
