"""Tags beyond the category: the kind of problem and the part of the product a complaint names.

The category says who should act (quality, billing, after-sales); the tags say what went wrong
and where, so the analyses can group complaints by them ("twelve gearbox complaints this month,
eight of them judder"). They are written in their own columns (Problem class, Part) and never
change a value staff typed or a rule decided.

The tags are rules kept as data, read like the classification rules (``default_rules``): each entry
is (canonical English name, Chinese name, keywords, note); keywords are searched in the complaint,
the customer's request and the product with the same matcher, so Chinese keywords match anywhere
(异响 in 变速箱换挡异响) and Latin ones match whole words (``*`` allows any ending). The first
entry that matches gives the tag, so the order says which wins when a complaint names two things:
the named failure before the generic "does not work", the specific part before the engine (an
"engine warning light" complaint often names the part that fails first). A complaint that names
nothing known gets no tag: an empty cell says "the text does not tell", never a guess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .classify.matcher import Matcher
from .classify.rules import DEFAULT_FIELDS, Rule
from .register import Register
from .text import Lang

TagData = tuple[str, str, tuple[str, ...], str]

PROBLEMS: tuple[TagData, ...] = (
    # ---- Money (the CFPB vocabulary first: its product names would match the parts below) ---
    ("Fraud or identity theft", "欺诈盗用", (
        "fraud*", "scam*", "identity theft", "stolen identity", "unauthori*", "phishing",
        "诈骗", "欺诈", "盗刷", "冒用", "盗用", "冒名",
    ), "Payments or accounts the customer did not make or open."),
    ("Credit report error", "信用记录错误", (
        "incorrect information", "inaccurate", "not mine", "belongs to someone else",
        "wrong information", "investigation", "reinvestigat*", "outdated information",
        "征信错误", "信用记录错误", "征信有误", "信息错误",
    ), "Wrong entries on a credit report, or a dispute about them not investigated."),
    ("Improper use of a report", "违规查询", (
        "improper use", "without my permission", "without my consent", "hard inquir*",
        "unauthorized inquir*", "违规查询", "擅自查询",
    ), "A report pulled or shared without a reason the customer accepts."),
    ("Debt collection contact", "催收", (
        "debt collect*", "collection agency", "collection agencies", "attempts to collect",
        "communication tactics", "harass*", "threatened to", "negative or legal action",
        "written notification about debt", "debt not owed",
        "催收", "催债", "暴力催收", "骚扰电话",
    ), "How a debt is chased: calls, letters, threats, debts the customer says are not owed."),
    ("Fees or interest", "费用利息", (
        "fee", "fees", "interest", "overdraft*", "apr", "charged fees",
        "手续费", "利息", "滞纳金", "违约金", "年费", "服务费", "乱收费",
    ), "Fees and interest charged, expected or not."),
    ("Payment problem", "还款支付", (
        "payment*", "pay off", "payoff", "struggling to pay", "struggling to repay",
        "funds being low", "not credited", "money was not available",
        "还款", "扣款", "付款", "支付失败", "未到账", "转账失败",
    ), "Paying or being paid: payments lost, late, refused or not credited."),
    ("Account handling", "账户管理", (
        "managing an account", "closing an account", "closing your account", "opening an account",
        "close my account", "closed my account", "account was closed", "frozen", "freeze*",
        "销户", "开户", "冻结", "封号",
    ), "Opening, managing, freezing or closing an account."),
    # ---- Things that fail (the car-owner vocabulary, and its English equivalents) -----------
    ("Leak", "渗漏", (
        "leak*", "seep*",
        "漏水", "漏油", "漏机油", "渗油", "渗水", "进水", "漏液", "漏防冻液", "漏雨",
    ), "Water, oil or coolant where it should not be (not gas: that is a safety rule)."),
    ("Rust or corrosion", "锈蚀", (
        "rust*", "corrod*", "corrosion", "oxidi*",
        "生锈", "锈蚀", "锈迹", "腐蚀", "氧化",
    ), "Rust, corrosion, oxidised metal."),
    ("Crack or break", "开裂破损", (
        "crack*", "shatter*", "split open", "snapped",
        "开裂", "龟裂", "裂纹", "裂痕", "裂缝", "破裂", "爆裂", "断裂", "鼓包", "开焊", "脱焊",
        "脱胶", "脱落", "起皮", "掉漆",
    ), "Something cracked, burst, came apart or came off."),
    ("Noise", "异响", (
        "noise*", "noisy", "rattl*", "squeak*", "squeal*", "grinding", "whine", "whining",
        "clunk*", "knocking",
        "异响", "噪音", "噪声", "杂音", "响声", "咔咔", "嗡嗡", "电流声", "哒哒",
    ), "Noises: rattles, squeaks, knocking, hum."),
    ("Vibration", "抖动", (
        "vibrat*", "shaking", "shudder*", "judder*", "wobbl*",
        "抖动", "震动", "振动", "共振", "发抖",
    ), "Shaking and vibration."),
    ("Stalling or loss of power", "熄火动力异常", (
        "stall*", "hesitat*", "loss of power", "lost power", "won't start", "will not start",
        "does not start", "slipping",
        "熄火", "顿挫", "动力消失", "动力不足", "动力缺失", "动力中断", "加速无力", "无法提速",
        "提速慢", "启动困难", "无法启动", "无法正常启动", "转速过低", "不能启动", "打不着",
        "打滑", "跳挡", "跳档", "溜车", "闯挡", "怠速不稳", "怠速不正常",
    ), "The vehicle stalls, judders when shifting, loses power or will not start."),
    ("Overheating", "过热", (
        "overheat*", "too hot",
        "过热", "高温", "水温高", "发烫", "温度过高",
    ), "Overheating (fire and smoke are safety rules)."),
    ("Oil consumption", "烧机油", (
        "burns oil", "burning oil", "oil consumption",
        "烧机油", "机油增多", "机油乳化", "机油消耗",
    ), "Oil used up or diluted."),
    ("Smell", "异味", (
        "smell*", "odor*", "odour*", "fumes",
        "异味", "气味", "臭味", "甲醛", "刺鼻",
    ), "Smells inside the product."),
    ("Software fault", "软件故障", (
        "software", "glitch*", "freez*", "reboot*", "restart*", "app",
        "死机", "黑屏", "重启", "卡顿", "蓝屏", "闪退", "系统故障", "无法升级", "升级后",
        "不自检",
    ), "Screens and software: freezes, restarts, black screens, failed updates."),
    ("Electrical fault", "电气故障", (
        "electrical", "short circuit", "battery drain*", "won't charge", "not charging",
        "漏电", "亏电", "断电", "无法充电", "不能充电", "充不进电", "短路", "电路", "跳闸",
    ), "Wiring, charging and batteries."),
    ("Warning light", "故障灯报警", (
        "warning light", "check engine",
        "故障灯", "故障报警", "报警", "警告灯",
    ), "A warning light or alarm with no other problem named."),
    ("Wear", "磨损老化", (
        "worn", "wear", "wearing", "fad*", "peel*",
        "磨损", "吃胎", "偏磨", "老化", "褪色", "掉色", "发白", "发黄", "色差",
    ), "Wear, fading and ageing before their time."),
    ("Does not work", "功能失效", (
        "not working", "doesn't work", "does not work", "stopped working", "malfunction*",
        "broken", "defect*", "faulty",
        "失灵", "失效", "无法使用", "不能使用", "不工作", "不制冷", "不出风", "打不开",
        "无法打开", "卡住", "不亮", "故障", "损坏", "坏了",
    ), "A function that fails, when nothing more precise is named."),
)

PARTS: tuple[TagData, ...] = (
    # ---- Money -------------------------------------------------------------------------------
    ("Mortgage", "房贷", (
        "mortgage*", "escrow", "foreclos*", "refinanc*",
        "房贷", "按揭", "房屋贷款",
    ), "A home loan."),
    ("Credit report", "信用报告", (
        "credit report*", "credit score*", "credit file", "consumer report*",
        "征信", "信用报告", "信用记录",
    ), "A credit report or score."),
    ("Card", "银行卡", (
        "card", "cards", "credit card*", "debit card*", "prepaid",
        "信用卡", "银行卡", "储蓄卡", "借记卡",
    ), "A credit, debit or prepaid card."),
    ("Loan", "贷款", (
        "loan*", "lease", "lender*", "line of credit",
        "贷款", "借款", "网贷", "分期",
    ), "A loan or lease."),
    ("Debt", "债务", (
        "debt*",
        "欠款", "债务",
    ), "A debt being collected."),
    ("Money transfer", "转账汇款", (
        "money transfer*", "wire transfer*", "remittance*", "virtual currency", "money order*",
        "转账", "汇款",
    ), "Sending or receiving money."),
    ("Account", "账户", (
        "account*", "checking", "savings",
        "账户", "账号", "存款",
    ), "A bank or service account."),
    # ---- A car's parts (most specific first; the engine last, since 发动机故障灯 names it loosely)
    ("Lights", "灯光", (
        "headlight*", "headlamp*", "taillight*", "tail light*", "fog light*",
        "大灯", "尾灯", "日行灯", "雾灯", "车灯", "转向灯", "前照灯", "灯光", "透镜",
    ), "Lamps (before steering: a 转向灯 is a lamp)."),
    ("Transmission", "变速箱", (
        "transmission", "gearbox", "clutch", "gear shift*", "shifting", "cvt", "dsg",
        "变速箱", "变速器", "离合", "换挡", "换档", "挡位", "档位", "挂挡", "半轴", "传动轴",
    ), "Gearbox, clutch and drive shafts."),
    ("Brakes", "制动系统", (
        "brake*", "braking", "abs",
        "刹车", "制动", "手刹", "防抱死",
    ), "Brakes."),
    ("Steering", "转向系统", (
        "steering",
        "方向盘", "方向机", "转向", "助力",
    ), "Steering."),
    ("Suspension", "悬挂", (
        "suspension", "shock absorber*", "struts", "chassis",
        "减震", "减振", "悬挂", "悬架", "避震", "底盘",
    ), "Suspension and chassis."),
    ("Tyres and wheels", "轮胎轮毂", (
        "tire", "tires", "tyre*", "wheel", "wheels", "rim", "rims",
        "轮胎", "轮毂", "车轮", "吃胎", "爆胎", "胎压", "备胎",
    ), "Tyres and wheels."),
    ("Battery and charging", "电池充电", (
        "battery", "batteries", "charging", "charger",
        "电池", "电瓶", "亏电", "充电", "续航",
    ), "The battery, its charging and range."),
    ("Infotainment", "车机影音", (
        "infotainment", "navigation", "touchscreen", "screen", "display", "carplay",
        "bluetooth", "camera",
        "车机", "中控", "影音", "导航", "显示屏", "屏幕", "音响", "倒车影像", "360影像",
        "蓝牙", "仪表",
    ), "Screens, navigation, audio, cameras and the instrument cluster."),
    ("Air conditioning", "空调", (
        "air conditioning", "air conditioner", "a/c", "aircon", "heater", "hvac",
        "空调", "压缩机", "暖风", "出风", "冷气", "制冷",
    ), "Air conditioning and heating."),
    ("Glass and sunroof", "玻璃天窗", (
        "windshield", "windscreen", "sunroof", "window*", "glass",
        "玻璃", "天窗", "挡风", "风挡", "车窗",
    ), "Windows, windscreen and sunroof."),
    ("Seats and interior", "座椅内饰", (
        "seat", "seats", "interior", "seatbelt*", "seat belt*",
        "座椅", "内饰", "安全带", "地毯", "顶棚",
    ), "Seats, belts and the trim inside."),
    ("Body and paint", "车身漆面", (
        "paint*", "bodywork", "body panel*", "door", "doors", "bumper*", "hood", "bonnet",
        "trunk", "tailgate",
        "车身", "漆面", "油漆", "喷漆", "车漆", "车门", "引擎盖", "后备箱", "尾门", "焊点",
        "保险杠", "叶子板", "油箱盖",
    ), "The body, its paint, doors and panels."),
    ("Fuel system", "燃油系统", (
        "fuel pump", "fuel tank", "fuel system", "injector*",
        "油泵", "油箱", "燃油", "喷油嘴",
    ), "Fuel pump, tank and injectors."),
    ("Engine", "发动机", (
        "engine", "motor", "turbo*", "cylinder*", "spark plug*",
        "发动机", "引擎", "机油", "缸", "涡轮", "节气门", "火花塞", "电机",
    ), "The engine or motor."),
)

KINDS = {"problem": PROBLEMS, "part": PARTS}
# The tags in Chinese, by canonical English name: what the sheet shows in a Chinese workbook.
ZH = {name: zh for table in KINDS.values() for name, zh, _, _ in table}
_CANONICAL = {written: name for name, zh in ZH.items() for written in (name, zh)}


def _rules(table: tuple[TagData, ...]) -> list[Rule]:
    return [Rule(name, DEFAULT_FIELDS, "any", keywords, {}) for name, _, keywords, _ in table]


RULES = {kind: _rules(table) for kind, table in KINDS.items()}


def tag(register: Register) -> pd.DataFrame:
    """The problem class and part of each row (canonical English names; None where the text
    names none): the first entry of each table whose keywords the row's text holds."""
    index = register.rows.index
    every = [rule for rules in RULES.values() for rule in rules]
    matcher = Matcher(register, pd.DataFrame(index=index), every)
    matcher.prepare(every)
    columns = {}
    for kind, rules in RULES.items():
        found = np.full(len(index), None, dtype=object)
        undecided = np.ones(len(index), dtype=bool)
        for rule in rules:
            hit = undecided & matcher.mask(rule)
            found[hit] = rule.id
            undecided &= ~hit
            if not undecided.any():
                break
        columns[kind] = pd.Series(found, index=index, dtype=object)
    return pd.DataFrame(columns, index=index)


def label(name: object, lang: str) -> object:
    """A tag as the sheet shows it: the Chinese name in a Chinese workbook."""
    if name is None or Lang.of(lang) is not Lang.ZH:
        return name
    return ZH.get(name, name)


def canonical(written: object) -> object:
    """A tag as a run wrote it, in either language, back to its canonical English name."""
    return _CANONICAL.get(str(written).strip(), written)
