"""The classification rules the card ships with, used when a workbook has no Rules sheet.

Plain data, so that this file reads like the Rules sheet it is written to: one rule per entry, top
to bottom = priority. Each entry is (rule id, match, keywords, values set, note), the note saying
in English and Chinese what kind of problem the rule names (the Notes column of the Rules sheet);
every rule searches the complaint, the customer's request and the product. ``addin.core.classify``
turns them into Rule values (``DEFAULT_RULES``).

The vocabularies come from what each category means, not from particular complaints: a keyword
names a kind of problem (a failure, a fee, a late handover), so that complaints nobody wrote for us
are classified. They were checked against real complaints (Chinese car-owner complaints and the
US CFPB database; ``bench/bench_classify.py``).

How to read the keywords:
- Chinese keywords match anywhere in the text (漏水 matches 冰箱漏水了), so short ones are chosen
  to avoid the words they hide in: 贵 alone would match 贵公司 ("your company"), so the price rule
  looks for 太贵, 偏贵, 贵了; 退 alone would match 退出 ("log out"), so the billing rule looks for
  退款, 退还, 不退; 响 alone would match 影响 ("affect"), so the failure rule looks for 异响;
  安全 alone would match 安全带 ("seat belt"), so the safety rule looks for 安全隐患, 行车安全.
- Keywords in Latin letters or digits match whole words; ``*`` at the end allows any ending
  (``refund*``: refund, refunds, refunded). "late" therefore does not match "related".

The order matters:
1. Severity and urgency first (safety, public exposure or legal action, regulators, fraud,
   complaints already made several times, suggestions). They set no category, so a matching
   complaint still gets its category from the rules below.
2. Categories, most specific first: how staff behaved (rude, 态度) first; then money, so
   "charged fees" is a Price complaint and "refund not received" is Billing; then the after-sales
   service itself (a repair visit, a warranty or a claim refused, spare parts missing), so "still
   broken after the repair under warranty" is an after-sales complaint; then delivery; then the
   product failing, which beats the weak signals of service (维修, 售后, 4S店) that nearly every
   defect complaint carries ("发动机故障灯亮维修未解决" is about the engine); weak service words
   last.
3. A catch-all (``*``) last: category Other, severity Normal, urgency Normal for whatever is left.

Keywords include the US CFPB consumer complaint vocabulary (credit report, debt collection,
mortgage servicing, fees and interest, identity theft) so that imported US data is classified
sensibly: incorrect information and billing disputes are Billing, fees and interest are Price,
customer service and communication tactics are Service attitude, delays in money arriving are
Delivery, servicing and account management are After-sales.
"""

from __future__ import annotations

from .text import Text

RuleData = tuple[str, str, tuple[str, ...], dict[str, str], Text]


def _note(en: str, zh: str) -> Text:
    return Text(en, zh)


RULES: tuple[RuleData, ...] = (
    # ---- Severity and urgency --------------------------------------------------------------
    ("safety", "any", (
        "injury", "injured", "injuries", "got hurt", "was hurt", "were hurt", "burn*",
        "scald*", "fire", "caught fire", "on fire", "fire hazard", "smoke", "sparks",
        "sparking", "sparked", "explod*", "explosion", "electric shock", "electrocut*",
        "gas leak*", "carbon monoxide", "poison*", "choking", "unsafe", "hazardous",
        "safety", "crash", "lost control",
        "受伤", "伤到", "划伤", "烫伤", "烧伤", "起火", "着火", "失火", "冒烟", "火花", "爆炸",
        "炸裂", "触电", "漏电", "燃气泄漏", "煤气泄漏", "漏气", "中毒", "窒息", "送医",
        "住院", "安全隐患", "行车安全", "影响安全", "危及安全", "安全问题", "不安全", "危险",
        "自燃", "失控", "事故", "刹车失灵", "爆胎",
    ), {"severity": "Major", "urgency": "Immediate"},
     _note("Danger to people: injury, fire, smoke, electric shock, loss of control.",
           "危及人身安全：受伤、起火、冒烟、触电、车辆失控。")),
    ("public-or-legal", "any", (
        "media", "journalist*", "reporter*", "newspaper*", "the press", "go public",
        "going public", "viral", "lawyer*", "my attorney", "lawsuit*", "sue", "suing",
        "class action", "small claims",
        "媒体", "曝光", "记者", "电视台", "报社", "微博", "抖音", "发帖", "律师", "起诉",
        "诉讼", "法院", "打官司", "维权",
    ), {"severity": "Escalated", "urgency": "Immediate"},
     _note("The customer threatens publicity or legal action.", "客户要求曝光或采取法律行动。")),
    ("regulator", "any", (
        "regulator*", "cfpb", "consumer financial protection bureau", "attorney general",
        "federal trade commission", "ftc", "better business bureau", "bbb", "ombudsman",
        "trading standards", "financial conduct authority",
        "监管", "12315", "12345", "消协", "消费者协会", "市场监督", "市场监管", "工商局",
        "银保监", "金融监管",
    ), {"severity": "Escalated"},
     _note("A regulator or consumer body is involved.", "已涉及监管部门或消费者组织。")),
    ("fraud", "any", (
        "fraud", "fraudulent*", "scam*", "identity theft", "stolen identity", "identity was stolen",
        "unauthori*", "phishing",
        "诈骗", "欺诈", "盗刷", "被盗", "冒用", "盗用", "冒名",
    ), {"severity": "Major", "urgency": "Immediate"},
     _note("Fraud, identity theft or payments the customer did not make.",
           "诈骗、冒用身份或非本人交易。")),
    ("repeat-unresolved", "any", (
        "still not resolved", "still unresolved", "still has not been resolved",
        "complained several times", "complained many times", "complained multiple times",
        "repeatedly complained",
        "多次投诉", "反复投诉", "屡次投诉", "投诉多次", "一直未解决", "一直没解决",
        "仍未解决", "至今未解决", "多次维修", "多次更换", "反复维修", "修不好",
    ), {"severity": "Difficult"},
     _note("Raised before and still not resolved, or repaired again and again.",
           "多次反映仍未解决，或反复维修。")),
    ("suggestion", "any", (
        "suggestion*", "i suggest", "would like to suggest", "please consider",
        "提个建议", "一点建议", "合理化建议", "建议门店", "建议增加", "建议贵公司",
    ), {"urgency": "Planned"},
     _note("A suggestion rather than a fault: planned handling.", "建议类意见，计划处理。")),
    # ---- Categories -------------------------------------------------------------------------
    ("attitude", "any", (
        "rude*", "attitude", "impolite", "unprofessional", "disrespect*", "hung up", "hang up",
        "shout*", "yell*", "arrogant", "communication tactics", "harass*", "threaten*",
        "false statements", "abusive", "run around", "runaround",
        "态度", "不耐烦", "敷衍", "恶劣", "辱骂", "骂人", "挂断", "挂电话", "冷淡", "推诿",
        "踢皮球", "服务差", "不理睬", "爱答不理", "骚扰", "威胁", "蛮横", "刁难", "不专业",
        "不礼貌", "冷漠", "无法联系", "联系不上", "无人接听",
    ), {"category": "Service attitude"},
     _note("How staff behaved: rude, dismissive, passing the buck, harassing.",
           "人员行为：态度差、敷衍、推诿、骚扰。")),
    ("price", "any", (
        "price*", "pricing", "expensive", "overpriced", "cheaper", "discount*", "promotion*",
        "price match", "fees", "late fee", "annual fee", "overdraft*", "interest",
        "interest rate", "apr", "rate increase", "cost", "costs", "subsid*", "rebate*",
        "markup",
        "价格", "价钱", "差价", "降价", "涨价", "太贵", "偏贵", "贵了", "优惠", "便宜",
        "价保", "促销", "利息", "利率", "手续费", "年费", "滞纳金", "违约金", "费率",
        "补贴", "返现", "加价", "收费", "服务费", "金融服务费", "上牌费", "出库费", "捆绑",
        "强制购买", "强制消费", "购车活动", "优惠活动",
    ), {"category": "Price"},
     _note("What things cost: prices, fees, interest, discounts and subsidies promised.",
           "价格与费用：价格、手续费、利息、承诺的优惠或补贴、加价与捆绑收费。")),
    ("billing", "any", (
        "bill", "bills", "billing", "billed", "charge", "charges", "charged", "overcharg*",
        "double charged", "refund*", "invoice*", "statement*", "incorrect information",
        "inaccurate", "belongs to someone else", "not mine", "billing dispute*", "debt*",
        "not owed", "collect*", "payment*", "transaction*", "credited", "deposit*",
        # CFPB's product "Credit reporting, credit repair services, …": the record of an
        # account, so Billing (and not After-sales for the word "repair").
        "credit report*",
        "扣费", "扣款", "账单", "多收", "多扣", "重复扣", "乱收费", "退款", "发票", "计费",
        "账户余额", "信息错误", "征信", "催收", "欠款", "退还", "不退", "未退", "押金",
        "退订金", "退定金", "保证金", "到账",
    ), {"category": "Billing"},
     _note("Money taken or owed: charges, refunds, deposits, invoices, account records.",
           "账务：扣款、退款、订金押金、发票、账户记录。")),
    ("after-sales", "any", (
        "repair*", "warranty", "guarantee", "engineer*", "technician*", "maintenance",
        # Not install*: that would read "installment" as an installation problem.
        "install", "installed", "installing", "installation", "installer", "spare part*",
        "call-out", "servicer", "servicing", "service center", "service centre",
        "managing an account", "managing the loan", "closing an account",
        "closing your account", "loan modification", "forbearance", "foreclosure", "escrow",
        "payoff", "struggling to pay", "struggling to repay", "investigation",
        "保修", "报修", "返修", "上门维修", "上门服务", "上门费", "维修师傅", "安装", "换货",
        "不予质保", "拒绝质保", "不质保", "索赔", "拒赔", "无配件", "没有配件", "缺配件",
        "不提供配件", "配件不符",
        "维修不到位", "维修技术", "维修质量", "过度维修", "故障件", "保养后", "售后服务网点",
        "无法提供售后", "没有售后",
    ), {"category": "After-sales"},
     _note("The after-sales service itself: repair visits, warranty or claims refused, spare "
           "parts missing, repairs or maintenance done badly.",
           "售后服务本身：上门维修、保修或索赔被拒、缺少配件、维修保养不到位。")),
    ("delivery", "any", (
        "late", "delivery", "deliveries", "deliver", "delivered", "courier*", "shipping",
        "shipped", "shipment*", "tracking", "parcel*", "dispatch*", "delay*", "arrive",
        "arrived", "arrival", "not available when promised", "didn't receive",
        "did not receive", "never received", "processing delay",
        "物流", "快递", "延误", "延迟", "配送", "送货", "发货", "到货", "没收到", "未收到",
        "签收", "迟迟", "送达", "催单", "运输", "交付", "交车", "提车", "延期交", "未兑现",
        "不兑现", "无法兑现", "未提供", "没有提供", "未给", "没给", "合格证", "登记证",
        "约定不符", "合同不符", "未依照合同", "未按合同", "不按合同",
    ), {"category": "Delivery"},
     _note("Getting what was bought or promised: late or missing deliveries, a car or papers "
           "not handed over, promised items not given, not what the contract said.",
           "交付：延误或未送达、车辆或证件未交付、承诺的物品未兑现、与合同约定不符。")),
    ("not-as-advertised", "all", ("宣传", "不符"), {"category": "Product quality"},
     _note("The product does not match its advertising (宣传 … 不符, in any wording).",
           "产品与宣传不符（“宣传”与“不符”同时出现）。")),
    ("quality", "any", (
        "broken", "defect*", "faulty", "leak*", "crack*", "damaged", "quality",
        "noise", "noisy", "overheat*", "malfunction*", "stopped working", "not working",
        "doesn't work", "does not work", "won't work", "won't start", "rust*", "corrod*",
        "corrosion", "peeling", "switches itself off", "caught fire", "sparks", "short circuit",
        "squeak*", "rattl*", "vibrat*", "stall*", "worn", "glitch*",
        "misleading advertising", "false advertising", "not as advertised", "not as described",
        # Failing: it does not work, or not as it should.
        "质量", "坏了", "坏掉", "损坏", "故障", "失灵", "失效", "不工作", "不能用", "用不了",
        "无法", "不能正常", "不正常", "异常", "不准", "故障灯", "报警灯", "故障报警",
        "发动机报警", "变速箱报警", "胎压报警", "死机", "黑屏", "花屏", "重启",
        "乱码", "不亮", "不制冷", "不制热", "不加热", "自动关机", "断电", "亏电", "续航",
        "无法充电", "打不开", "关不上", "打不着",
        # Noise, vibration and the way it drives.
        "异响", "噪音", "杂音", "抖动", "顿挫", "卡顿", "卡滞", "卡住", "卡死", "锁死",
        "熄火", "启动困难", "动力不足", "动力消失", "动力缺失", "无力", "跑偏", "打滑",
        "跳挡", "脱挡", "溜车", "爆震", "晃动", "怠速", "油耗", "烧机油", "机油增多", "拉缸",
        "偏软", "变硬", "沉重", "水温高", "过热", "堵塞", "烧毁",
        # Leaks, water, smell.
        "漏水", "漏油", "漏机油", "渗油", "渗水", "渗漏", "泄漏", "泄露", "漏液", "漏防冻液",
        "进水", "积水", "异味", "气味", "甲醛",
        # The body and parts: rust, cracks, wear, finish.
        "生锈", "锈", "腐蚀", "氧化", "裂", "断裂", "破损", "变形", "鼓包", "脱落", "脱胶",
        "开焊", "松动", "磨损", "偏磨", "吃胎", "老化", "起雾", "发白", "发黄", "掉色",
        "褪色", "掉漆", "漆面", "色差", "喷漆", "划痕", "起泡", "瑕疵", "次品", "缺陷",
        "不合格", "自爆", "模糊", "反光", "阴影", "斑点",
        # A product that burns or gives shocks is a quality failure as well as a safety one.
        "起火", "自燃", "冒烟", "漏电", "短路",
        # Not what the advertising said: the product falls short of what was described.
        "虚假宣传", "夸大宣传",
    ), {"category": "Product quality"},
     _note("The product fails or falls short: does not work, noise and vibration, leaks, rust, "
           "cracks, wear, poor finish, not as advertised.",
           "产品质量：故障失灵、异响抖动、漏水漏油、生锈开裂、磨损、外观瑕疵、与宣传不符。")),
    ("after-sales-service", "any", (
        "维修", "售后", "保养", "配件", "质保", "召回", "4s店",
    ), {"category": "After-sales"},
     _note("Mentions of repair, maintenance or the service shop, with no product failure named.",
           "提到维修、保养、4S店等售后服务，但未说明产品故障。")),
    ("customer-service", "any", (
        "customer service", "ignored", "unhelpful", "can't contact", "cannot contact",
        "never called back", "no one called", "nobody called",
        "客服", "没人理", "无人回复", "没有回复", "联系不上",
    ), {"category": "Service attitude"},
     _note("Weak signs of a service problem: customer service, no reply.",
           "服务问题的弱信号：客服、无人回复。")),
    # ---- Whatever is left -------------------------------------------------------------------
    ("default", "any", ("*",), {"category": "Other", "severity": "Normal", "urgency": "Normal"},
     _note("Whatever no rule above recognised.", "以上规则均未识别的投诉。")),
)
