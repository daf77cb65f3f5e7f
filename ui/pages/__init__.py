"""One page per work area (see ``registry``: how an area plugs its page into the window)."""
