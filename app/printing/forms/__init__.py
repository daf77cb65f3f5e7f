"""One module per printed form; each exposes ``FORMS`` (see ``app.printing.registry``)."""
