"""A test-only work area with one register, declared exactly as a new area declares one (a model, a
field spec, a migration and one manifest line). The contract tests check it like every real
register, so the kit's promise — a record declared once gets its service, list, form, Excel,
print, sync, CLI, demo and figures — is tested by a register that has nothing else
(``docs/adding-an-area.md`` walks through these files)."""
