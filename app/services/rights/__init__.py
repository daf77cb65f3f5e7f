"""权益保障与法律援助 (seed section (五)): 普法, consultations, safety inspections, the duty roster
and partner firms, legal-aid cases, and the 来访 / 12351 tickets with their chain and timers."""
