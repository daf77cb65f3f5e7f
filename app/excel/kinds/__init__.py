"""One module per area; each exposes ``KINDS`` (see ``app.excel.registry``)."""
