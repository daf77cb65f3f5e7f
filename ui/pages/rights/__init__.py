"""权益保障与法律援助: the tickets with their chain and timers, the duty roster as a month
calendar, and the handovers to answer; the other registers use the kit's lists and forms."""
