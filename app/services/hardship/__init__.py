"""困难职工帮扶 services: archives, workflow, eligibility, ledger, visits, 金秋助学, plans, stats.

Each module is small and takes ``(session, actor, ...)``; the caller owns the transaction.
"""
