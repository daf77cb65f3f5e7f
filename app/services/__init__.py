"""Use cases per work area: plain functions taking a Session first; all writes go through here.
The caller owns the transaction (``with db.session(actor) as s:``)."""
