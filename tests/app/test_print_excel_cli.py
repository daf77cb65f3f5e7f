"""``uniondesk-cli print`` and ``uniondesk-cli excel`` as scripts use them (real subprocesses)."""

import sqlite3

from openpyxl import load_workbook

from tests.app import pdf_tools
from tests.app.test_cli import cli
from tests.conftest import PASSWORDS


def _member(db_path):
    con = sqlite3.connect(db_path)
    try:
        return con.execute("SELECT m.name, m.card_no, u.name FROM members m JOIN units u "
                           "ON u.id = m.union_id ORDER BY m.name LIMIT 1").fetchone()
    finally:
        con.close()


def test_print_list_form_and_roster(db_path, tmp_path):
    r = cli("--db", db_path, "print", "--list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "member_form  工会会员登记表" in lines and "member_roster  会员花名册" in lines
    assert all(len(line.split("  ")) == 2 for line in lines)
    name, card_no, union = _member(db_path)
    out = tmp_path / "f7.pdf"
    r = cli("--db", db_path, "--user", "clerk", "print", "member_form", "--id", card_no, "--out", out,
            password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    assert "已打印工会会员登记表 1 份,共 1 页" in r.stdout and name in pdf_tools.squeezed(out)
    roster = tmp_path / "roster.pdf"
    r = cli("--db", db_path, "--user", "clerk", "print", "member_roster", "--union", union,
            "--status", "正常", "--out", roster, password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    assert union in pdf_tools.squeezed(roster)
    mistakes = [
        (["print", "nosuch", "--out", tmp_path / "x.pdf"], "没有名为“nosuch”的表格"),
        (["print", "member_form", "--id", card_no, "--union", union, "--out", tmp_path / "x.pdf"],
         "不使用这些选项"),
        # the core names the options as the dialog captions them; the command line adds its flags
        (["print", "relief_signoff", "--union", union, "--out", tmp_path / "x.pdf"],
         "请指定要打印的发放:慰问活动、发放批次、发放日期起或发放日期止至少填一项"
         "(命令行选项:--campaign、--batch、--from、--to)"),
    ]
    for args, message in mistakes:
        r = cli("--db", db_path, "--user", "clerk", *args, password=PASSWORDS["clerk"])
        assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_excel_export_template_and_import(db_path, tmp_path):
    r = cli("--db", db_path, "excel", "export", "--list")
    assert r.returncode == 0 and r.stdout.splitlines() == [
        "tickets  来访和12351工单", "duty_roster  律师值班", "aid_cases  法律援助案件",
        "law_events  普法活动", "consultations  法律咨询", "safety_checks  劳动安全监督检查",
        "law_firms  合作律所", "lawyers  值班律师", "archives  困难职工档案", "relief  救助发放", "visits  走访慰问", "aid  金秋助学", "campaigns  慰问活动",
        "plans  帮扶计划", "units  单位", "members  会员", "membership_events  会籍变动",
        "union_foundings  建会", "elections  换届选举", "doc_series  发文字号", "documents  发文登记",
        "home_awards  职工之家", "reading_rooms  职工书屋", "book_donations  赠书", "book_loans  借阅",
        "training_sessions  培训班", "trainees  学员"]  # every register has a kind, hand-made or generated
    out = tmp_path / "m.xlsx"
    r = cli("--db", db_path, "--user", "clerk", "excel", "export", "members", "--out", out,
            "--from", "2010-01-01", "--to", "2015-12-31", password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    assert load_workbook(out).worksheets[0]["A1"].value.endswith("(入会日期 2010-01-01 至 2015-12-31)")
    template = tmp_path / "t.xlsx"
    r = cli("--db", db_path, "--user", "clerk", "excel", "template", "members", "--out", template,
            password=PASSWORDS["clerk"])
    assert r.returncode == 0, r.stderr
    # Importing the export again: every member is recognised as already registered, unchanged.
    r = cli("--db", db_path, "--user", "clerk", "excel", "import", "members", out, "--dry-run",
            password=PASSWORDS["clerk"])
    assert r.returncode == 0 and "可导入 0 行,与已有记录相同" in r.stdout and "试运行:未写入任何数据" in r.stdout
    wb = load_workbook(template)
    ws = wb["会员"]
    con = sqlite3.connect(db_path)
    union = con.execute("SELECT name FROM units WHERE kind='grassroots' LIMIT 1").fetchone()[0]
    before = con.execute("SELECT count(*) FROM members").fetchone()[0]
    con.close()
    headers = [c.value for c in ws[2]]
    row = dict.fromkeys(headers)
    row.update({"*姓名": "新会员", "*身份证号": "11010519491231002X", "*所属基层工会": union})
    ws.append(list(row.values()))
    new = tmp_path / "new.xlsx"
    wb.save(new)
    r = cli("--db", db_path, "--user", "clerk", "excel", "import", "members", new,
            password=PASSWORDS["clerk"])
    assert r.returncode == 0 and "已导入 1 条" in r.stdout, r.stdout + r.stderr
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM members").fetchone()[0] == before + 1
    con.close()
    r = cli("--db", db_path, "--user", "readonly", "excel", "export", "members", "--out", out,
            password=PASSWORDS["readonly"])
    assert r.returncode == 3 and "无权" in r.stderr
