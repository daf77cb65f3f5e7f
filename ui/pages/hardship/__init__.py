"""困难职工帮扶: the area's own tabs on the kit's area page (declared in ``app.areas``): 档案
(``lists``), 救助发放 (``relief``), 走访慰问, 金秋助学 and 帮扶计划 (``help_tabs``); the kit adds
统计 and opens home figures and 待办 in the tab that lists their register."""
