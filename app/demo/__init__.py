"""Generated demonstration data (never real people): a county with its unions and members.

Later work areas add their own step to ``app.demo.generator.STEPS``.
"""
