"""基层组织建设 (seed section (七)): 会籍 events, 建会, elections, 文号, 职工之家, 职工书屋, 培训.
Units and members are in ``app.services.units`` and ``app.services.members``."""
