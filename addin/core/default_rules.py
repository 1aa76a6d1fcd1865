"""The classification rules the card ships with, used when a workbook has no Rules sheet.

Plain data, so that this file reads like the Rules sheet it is written to: one rule per entry, top
to bottom = priority. Each entry is (rule id, match, keywords, values set); every rule searches the
complaint, the customer's request and the product. ``addin.core.classify`` turns them into Rule
values (``DEFAULT_RULES``).

How to read the keywords:
- Chinese keywords match anywhere in the text (漏水 matches 冰箱漏水了).
- Keywords in Latin letters or digits match whole words; ``*`` at the end allows any ending
  (``refund*``: refund, refunds, refunded). "late" therefore does not match "related".
- Short Chinese keywords are chosen to avoid common phrases: 贵 alone would match 贵公司 ("your
  company"), so the price rule looks for 太贵, 偏贵, 贵了.

The order matters:
1. Severity and urgency first (safety, public exposure or legal action, regulators, fraud,
   complaints already made several times, suggestions). They set no category, so a matching
   complaint still gets its category from the rules below.
2. Categories, most specific first: how staff behaved (rude, 态度) first; then money, so
   "charged fees" is a Price complaint and "refund not received" is Billing, not Delivery;
   after-sales before product quality, so "still broken after the repair" is an after-sales
   complaint; the weak signals of a service problem (客服, "customer service") last.
3. A catch-all (``*``) last: category Other, severity Normal, urgency Normal for whatever is left.

Keywords include the US CFPB consumer complaint vocabulary (credit report, debt collection,
mortgage servicing, fees and interest, identity theft) so that imported US data is classified
sensibly: incorrect information and billing disputes are Billing, fees and interest are Price,
customer service and communication tactics are Service attitude, delays in money arriving are
Delivery, servicing and account management are After-sales.
"""

from __future__ import annotations

RuleData = tuple[str, str, tuple[str, ...], dict[str, str]]

RULES: tuple[RuleData, ...] = (
    # ---- Severity and urgency --------------------------------------------------------------
    ("safety", "any", (
        "injury", "injured", "injuries", "got hurt", "was hurt", "were hurt", "burn*",
        "scald*", "fire", "caught fire", "on fire", "fire hazard", "smoke", "sparks",
        "sparking", "sparked", "explod*", "explosion", "electric shock", "electrocut*",
        "gas leak*", "carbon monoxide", "poison*", "choking", "unsafe", "hazardous",
        "safety",
        "受伤", "伤到", "划伤", "烫伤", "烧伤", "起火", "着火", "失火", "冒烟", "火花", "爆炸",
        "炸裂", "触电", "漏电", "燃气泄漏", "煤气泄漏", "漏气", "中毒", "窒息", "送医",
        "住院", "安全隐患", "安全",
    ), {"severity": "Major", "urgency": "Immediate"}),
    ("public-or-legal", "any", (
        "media", "journalist*", "reporter*", "newspaper*", "the press", "go public",
        "going public", "viral", "lawyer*", "my attorney", "lawsuit*", "sue", "suing",
        "class action", "small claims",
        "媒体", "曝光", "记者", "电视台", "报社", "微博", "抖音", "发帖", "律师", "起诉",
        "诉讼", "法院", "打官司", "维权",
    ), {"severity": "Escalated", "urgency": "Immediate"}),
    ("regulator", "any", (
        "regulator*", "cfpb", "consumer financial protection bureau", "attorney general",
        "federal trade commission", "ftc", "better business bureau", "bbb", "ombudsman",
        "trading standards", "financial conduct authority",
        "监管", "12315", "12345", "消协", "消费者协会", "市场监督", "市场监管", "工商局",
        "银保监", "金融监管",
    ), {"severity": "Escalated"}),
    ("fraud", "any", (
        "fraud", "fraudulent*", "scam*", "identity theft", "stolen identity", "identity was stolen",
        "unauthori*", "phishing",
        "诈骗", "欺诈", "盗刷", "被盗", "冒用", "盗用", "冒名",
    ), {"severity": "Major", "urgency": "Immediate"}),
    ("repeat-unresolved", "any", (
        "still not resolved", "still unresolved", "still has not been resolved",
        "complained several times", "complained many times", "complained multiple times",
        "repeatedly complained",
        "多次投诉", "反复投诉", "屡次投诉", "投诉多次", "一直未解决", "一直没解决",
        "仍未解决", "至今未解决",
    ), {"severity": "Difficult"}),
    ("suggestion", "any", (
        "suggestion*", "i suggest", "would like to suggest", "please consider",
        "提个建议", "一点建议", "合理化建议", "建议门店", "建议增加", "建议贵公司",
    ), {"urgency": "Planned"}),
    # ---- Categories -------------------------------------------------------------------------
    # How staff behaved comes first: in "the agent was rude about my refund" the complaint is
    # the rudeness. Weaker signals of a service problem (客服, "customer service") come last.
    ("attitude", "any", (
        "rude*", "attitude", "impolite", "unprofessional", "disrespect*", "hung up", "hang up",
        "shout*", "yell*", "arrogant", "communication tactics", "harass*", "threaten*",
        "false statements", "abusive",
        "态度", "不耐烦", "敷衍", "恶劣", "辱骂", "骂人", "挂断", "挂电话", "冷淡", "推诿",
        "踢皮球", "服务差", "不理睬", "爱答不理", "骚扰", "威胁", "蛮横",
    ), {"category": "Service attitude"}),
    ("price", "any", (
        "price*", "pricing", "expensive", "overpriced", "cheaper", "discount*", "promotion*",
        "price match", "fees", "late fee", "annual fee", "overdraft*", "interest",
        "interest rate", "apr", "rate increase", "cost", "costs",
        "价格", "价钱", "差价", "降价", "涨价", "太贵", "偏贵", "贵了", "优惠", "便宜",
        "价保", "促销", "利息", "利率", "手续费", "年费", "滞纳金", "违约金", "费率",
    ), {"category": "Price"}),
    ("billing", "any", (
        "bill", "bills", "billing", "billed", "charge", "charges", "charged", "overcharg*",
        "double charged", "refund*", "invoice*", "statement*", "incorrect information",
        "inaccurate", "belongs to someone else", "not mine", "billing dispute*", "debt*",
        "not owed", "collect*", "payment*", "transaction*", "credited",
        # CFPB's product "Credit reporting, credit repair services, …": the record of an
        # account, so Billing (and not After-sales for the word "repair").
        "credit report*",
        "扣费", "扣款", "账单", "多收", "多扣", "重复扣", "乱收费", "退款", "发票", "计费",
        "账户余额", "信息错误", "征信", "催收", "欠款",
    ), {"category": "Billing"}),
    ("after-sales", "any", (
        "repair*", "warranty", "guarantee", "engineer*", "technician*", "maintenance",
        # Not install*: that would read "installment" as an installation problem.
        "install", "installed", "installing", "installation", "installer", "spare part*",
        "call-out", "servicer", "servicing", "service center", "service centre",
        "managing an account", "managing the loan", "closing an account",
        "closing your account", "loan modification", "forbearance", "foreclosure", "escrow",
        "payoff", "struggling to pay", "struggling to repay", "investigation",
        "售后", "维修", "保修", "报修", "安装", "师傅", "配件", "换货", "返修", "保养",
    ), {"category": "After-sales"}),
    ("delivery", "any", (
        "late", "delivery", "deliveries", "deliver", "delivered", "courier*", "shipping",
        "shipped", "shipment*", "tracking", "parcel*", "dispatch*", "delay*", "arrive",
        "arrived", "arrival", "not available when promised", "didn't receive",
        "did not receive", "never received", "processing delay",
        "物流", "快递", "延误", "延迟", "配送", "送货", "发货", "到货", "没收到", "未收到",
        "签收", "迟迟", "送达", "催单", "运输",
    ), {"category": "Delivery"}),
    ("quality", "any", (
        "broken", "defect*", "faulty", "leak*", "crack*", "damaged", "quality", "noise",
        "noisy", "overheat*", "malfunction*", "stopped working", "not working",
        "doesn't work", "does not work", "won't work", "rust*", "peeling",
        "switches itself off", "caught fire", "sparks", "short circuit",
        "质量", "坏了", "坏掉", "损坏", "漏水", "故障", "裂", "破损", "不工作", "不能用",
        "用不了", "噪音", "异响", "断电", "失灵", "瑕疵", "次品", "不制冷", "不制热",
        "不加热", "掉漆", "变形", "生锈", "死机", "黑屏", "花屏", "自动关机",
        # A product that burns or gives shocks is a quality failure as well as a safety one.
        "起火", "自燃", "冒烟", "漏电", "短路",
    ), {"category": "Product quality"}),
    ("customer-service", "any", (
        "customer service", "ignored", "unhelpful", "can't contact", "cannot contact",
        "never called back", "no one called", "nobody called",
        "客服", "没人理", "无人回复", "没有回复", "联系不上",
    ), {"category": "Service attitude"}),
    # ---- Whatever is left -------------------------------------------------------------------
    ("default", "any", ("*",), {"category": "Other", "severity": "Normal", "urgency": "Normal"}),
)
