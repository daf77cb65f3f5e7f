"""UnionDesk's Qt desktop front end. Presentation only: every action goes through ``app``."""
