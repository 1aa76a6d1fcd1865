"""Realistic demo complaints for the record card, with known problems planted on purpose.

A home-appliance retailer's complaint register over a number of months: weekday-heavy, busier
around the June and November shopping festivals and the summer air-conditioner season, with
descriptions written so that the default classification rules can classify them. The oldest rows
carry case numbers as if an earlier run had numbered them; about 5% of rows use the other
language's list values; some customers complain again within 30 days.

Every kind of problem the checks catch is planted on a few rows, chosen by the seed, so a demo
workbook shows each finding and tests can count them. ``PLANTED_FINDINGS`` says which finding code
each planted kind should produce.

Everything is generated from the seed and ``end``: the same arguments give the same rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from .core.fields import BY_KEY, TYPED_KEYS
from .core.vocab import default_lists
from .demo_process import add_process

# The staff-typed fields of the card; source_ref belongs to imports, not to typed complaints.
DEMO_KEYS: tuple[str, ...] = tuple(k for k in TYPED_KEYS if k != "source_ref")

# Planted kind -> the finding code it should produce (None: must be read without a finding).
PLANTED_FINDINGS: dict[str, str | None] = {
    "missing-required": "required",
    "no-contact": "contact-missing",
    "text-date": None,
    "unreadable-date": "not-a-date",
    "future-received": "date-in-future",
    "resolved-before-received": "date-order",
    "not-in-list": "not-in-list",
    "bad-phone": "bad-phone",
    "bad-email": "bad-email",
    "satisfaction-out-of-range": "satisfaction-range",
    "satisfaction-on-open-case": "satisfaction-open",
    "duplicate-case-no": "duplicate-case-no",
    "closed-without-solution": "required-when-done",
    "closed-without-resolved": "required-when-done",
    "started-without-handler": "required-when-started",
    "repeat-complaint": "repeat-complaint",
}

CASE_FORMAT = "TS-{yyyy}{mm}-{seq:04d}"
NUMBERED_SHARE = 0.3  # the oldest rows, numbered "by an earlier run"
OTHER_LANGUAGE_SHARE = 0.05
REPEAT_SHARE = 0.04
REPEAT_WINDOW_DAYS = 30


@dataclass
class DemoSet:
    headers: list[str]
    rows: list[list[Any]]
    planted: dict[str, int]  # planted kind -> number of rows
    planted_rows: dict[str, list[int]] = field(default_factory=dict)  # kind -> 0-based positions
    categories: list[str] = field(default_factory=list)  # category each description was written for
    # Not accepted and anonymous complaints (0-based positions): the process, not problems.
    process_rows: dict[str, list[int]] = field(default_factory=dict)


def demo_rows(n: int = 3000, months: int = 18, end: dt.date | None = None,
              lang: str = "zh-CN", seed: int = 7) -> tuple[list[str], list[list]]:
    """Headers in ``lang`` and ``n`` complaint rows over ``months`` months ending at ``end``.

    ``end`` defaults to today; pass it explicitly for reproducible rows.
    """
    demo = make_demo(n, months, end, lang, seed)
    return demo.headers, demo.rows


def make_demo(n: int = 3000, months: int = 18, end: dt.date | None = None,
              lang: str = "zh-CN", seed: int = 7) -> DemoSet:
    """The demo rows together with what was planted where."""
    end = end or dt.date.today()
    lang = "zh-CN" if lang.startswith("zh") else "en"
    rng = random.Random(seed)
    now = dt.datetime.combine(end, dt.time(23, 59))
    times = _received_times(rng, n, _first_day(end, months), end)
    cases, repeats, paired = _build_cases(rng, times, now, lang)
    numbered = int(len(cases) * NUMBERED_SHARE)
    _number_earlier_run(cases[:numbered])
    planted_rows = _plant(rng, cases, numbered, paired, lang, now)
    planted_rows["repeat-complaint"] = repeats
    spared = paired | {i for rows in planted_rows.values() for i in rows}
    process_rows = add_process(cases, spared, now, lang, seed)
    planted = {kind: len(planted_rows.get(kind, [])) for kind in PLANTED_FINDINGS}
    headers = [BY_KEY[key].header(lang) for key in DEMO_KEYS]
    rows = [_render(case, lang) for case in cases]
    return DemoSet(headers, rows, planted, {k: sorted(v) for k, v in planted_rows.items()},
                   [case["_category"] for case in cases], process_rows)


# --------------------------------------------------------------------------------------------
# When complaints arrive

# Relative volume by month: the 618 (June) and Double 11 (November) festivals, summer
# air-conditioner season, and a quiet Spring Festival.
_MONTH_WEIGHT = {1: 0.85, 2: 0.7, 3: 0.9, 4: 0.95, 5: 1.0, 6: 1.35, 7: 1.3, 8: 1.2,
                 9: 0.95, 10: 1.0, 11: 1.5, 12: 1.1}
_WEEKDAY_WEIGHT = (1.15, 1.1, 1.05, 1.05, 1.0, 0.5, 0.4)  # Monday first: the weekend backlog
_HOUR_WEIGHT = {8: 1, 9: 4, 10: 7, 11: 7, 12: 4, 13: 5, 14: 7, 15: 7, 16: 6, 17: 5, 18: 3,
                19: 3, 20: 3, 21: 2, 22: 1}


def _first_day(end: dt.date, months: int) -> dt.date:
    index = end.year * 12 + end.month - 1 - (max(months, 1) - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


def _day_weight(day: dt.date) -> float:
    weight = _MONTH_WEIGHT[day.month] * _WEEKDAY_WEIGHT[day.weekday()]
    # Complaints follow the festival deliveries by a few days.
    if (day.month, 20 <= day.day <= 30) == (6, True) or (day.month == 11 and 13 <= day.day <= 25):
        weight *= 1.6
    return weight


def _received_times(rng: random.Random, n: int, first: dt.date, end: dt.date
                    ) -> list[dt.datetime]:
    days = [first + dt.timedelta(d) for d in range((end - first).days + 1)]
    day_cum = list(accumulate(_day_weight(d) for d in days))
    hours = list(_HOUR_WEIGHT)
    hour_cum = list(accumulate(_HOUR_WEIGHT.values()))
    picked = rng.choices(days, cum_weights=day_cum, k=n)
    picked_hours = rng.choices(hours, cum_weights=hour_cum, k=n)
    times = [dt.datetime.combine(day, dt.time(hour, rng.randrange(60)))
             for day, hour in zip(picked, picked_hours, strict=True)]
    return sorted(times)


# --------------------------------------------------------------------------------------------
# Who complains, about what

_CHANNEL_SHARE = {"Phone": 30, "Web form": 13, "App": 14, "Live chat": 12, "Social media": 8,
                  "Email": 8, "Walk-in": 8, "Letter": 1, "Regulator referral": 4, "Other": 2}
_CUSTOMER_TYPE_SHARE = {"New": 45, "Returning": 43, "VIP": 12}
_CATEGORY_SHARE = {"Product quality": 27, "After-sales": 21, "Delivery": 20,
                   "Service attitude": 12, "Billing": 8, "Price": 7, "Other": 5}

_SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
             ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
             ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
             ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
             ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
             ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"))
_GIVEN_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
                "桂英华玉兰萍建国红梅鑫宇晨浩然思雨欣怡子涵俊")
_FIRST_NAMES = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
                "David", "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah",
                "Daniel", "Karen", "Matthew", "Emma", "Oliver", "Sophie", "Liam", "Chloe",
                "Noah", "Grace", "Wei", "Mei", "Arjun", "Priya")
_LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
               "Taylor", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Green",
               "Baker", "Evans", "Turner", "Chen", "Wang", "Patel", "Murphy", "O'Brien")
# Reserved example domains (RFC 2606 and lookalikes under .example.*): demo addresses reach nobody.
_EMAIL_DOMAINS = ("example.com", "example.cn", "example.net", "mail.example.com",
                  "example.org")
_MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                    "155", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186",
                    "187", "188", "189", "191", "198", "199")

_PRODUCTS = (
    ("Inverter air conditioner 1.5HP", "变频空调 1.5匹"),
    ("Floor-standing air conditioner 3HP", "柜式空调 3匹"),
    ("French-door fridge 520L", "对开门冰箱 520升"), ("Chest freezer 200L", "卧式冷柜 200升"),
    ("Front-load washer 10kg", "滚筒洗衣机 10公斤"), ("Washer-dryer 9kg", "洗烘一体机 9公斤"),
    ("65-inch 4K TV", "65英寸 4K 电视"), ("75-inch smart TV", "75英寸 智能电视"),
    ("Gas water heater 16L", "燃气热水器 16升"), ("Electric water heater 60L", "电热水器 60升"),
    ("Range hood", "吸油烟机"), ("Built-in gas hob", "嵌入式燃气灶"),
    ("Dishwasher 13 place", "洗碗机 13套"), ("Robot vacuum", "扫地机器人"),
    ("Air purifier", "空气净化器"), ("Rice cooker 4L", "电饭煲 4升"),
    ("Microwave oven", "微波炉"), ("Water purifier", "净水器"),
    ("Cordless vacuum", "无线吸尘器"), ("Tower fan", "塔扇"),
)

# Department that owns each category, and the people who handle its cases.
_DEPARTMENTS = {
    "Product quality": ("Quality", "品质部"),
    "Service attitude": ("Customer service", "客服中心"),
    "Delivery": ("Logistics", "物流部"),
    "Price": ("Sales", "销售部"),
    "Billing": ("Finance", "财务部"),
    "After-sales": ("After-sales service", "售后服务部"),
    "Other": ("Store operations", "门店运营部"),
}
_HANDLERS = {
    "Product quality": (("Helen Zhou", "周海燕"), ("Victor Lin", "林志远")),
    "Service attitude": (("Amy Xu", "徐晓梅"), ("Kevin Ma", "马俊"), ("Lucy Song", "宋丽")),
    "Delivery": (("Tony Liu", "刘强"), ("Jason Hu", "胡建军")),
    "Price": (("Grace Gao", "高雅"),),
    "Billing": (("Nina He", "何娜"), ("Eric Tang", "唐磊")),
    "After-sales": (("Frank Guo", "郭峰"), ("Sunny Deng", "邓晴"), ("Peter Xie", "谢鹏")),
    "Other": (("Iris Luo", "罗艺"),),
}

# The keywords the default classification rules look for, per category and language. Each
# description template holds its own category's keyword and no other category's (tested).
CATEGORY_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "Product quality": {"zh": ("漏水", "质量"), "en": ("broken", "leak")},
    "Service attitude": {"zh": ("态度",), "en": ("rude",)},
    "Delivery": {"zh": ("物流", "快递"), "en": ("late", "delivery")},
    "Price": {"zh": ("价格",), "en": ("price",)},
    "Billing": {"zh": ("扣费",), "en": ("charge", "refund")},
    "After-sales": {"zh": ("维修", "保修"), "en": ("repair", "warranty")},
    "Other": {"zh": (), "en": ()},
}

# Descriptions per category: {product}, {days} and {n} are filled in.
DESCRIPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "Product quality": {
        "zh": ("{product}使用不到{days}天就出现漏水，地板都泡了。",
               "新买的{product}质量太差，一天自动断电{n}次。",
               "{product}外壳有裂缝，怀疑出厂质量有问题。",
               "{product}运行时噪音很大，质量明显不合格。",
               "{product}底部漏水，已经影响到楼下邻居。"),
        "en": ("The {product} started to leak after {days} days and flooded the kitchen floor.",
               "The {product} is broken: it switches itself off {n} times a day.",
               "The door seal of the {product} is broken and water leaks out.",
               "The {product} stopped working after {days} days; the control panel is broken."),
    },
    "Service attitude": {
        "zh": ("门店销售员态度恶劣，询问{product}参数时被敷衍。",
               "客服电话里态度很差，没说完就挂断了我的电话。",
               "上门的工作人员态度蛮横，还在我家里抽烟。",
               "热线接线员态度冷淡，问题说了{n}遍都没有记录。"),
        "en": ("The sales assistant was rude when I asked about the {product}.",
               "Your hotline agent was rude and hung up on me before I finished.",
               "Staff in the store were rude and ignored me for {n} minutes."),
    },
    "Delivery": {
        "zh": ("订单显示已发货{days}天，物流一直没有更新，{product}还没收到。",
               "快递把{product}放在小区门口就走了，没有送货上门。",
               "约好的送货时间物流没来，白等了一整天。",
               "快递员没打电话就签收了，{product}至今找不到。"),
        "en": ("The {product} is {days} days late and the tracking has not moved.",
               "Delivery was promised for Saturday but nobody came; the {product} is still "
               "not here.",
               "The courier left the {product} outside in the rain; the delivery note was signed "
               "by someone else."),
    },
    "Price": {
        "zh": ("购买{product}一周后价格就降了{n}00元，要求补差价。",
               "门店标注的价格和结账时不一致，{product}贵了{n}0元。",
               "同款{product}网上价格比门店低很多，感觉被误导。"),
        "en": ("The price of the {product} dropped by ${n}00 a week after I bought it.",
               "The shelf price of the {product} was lower than what I paid at the till.",
               "The same {product} has a much lower price online than in your store."),
    },
    "Billing": {
        "zh": ("没有办理延保却被自动扣费{n}9元。",
               "{product}订单取消后被重复扣费，已经{days}天了。",
               "分期付款每月扣费金额和合同不符。"),
        "en": ("I was charged twice for the {product} order.",
               "The refund for my cancelled {product} order has not arrived after {days} days.",
               "A service plan charge appeared on my card that I never agreed to."),
    },
    "After-sales": {
        "zh": ("{product}报修{days}天了还没有人上门维修。",
               "{product}还在保修期内，却要求我付上门费。",
               "维修师傅换了零件后{product}还是不能用。",
               "{product}申请保修被拒，理由是人为损坏，我不认可。"),
        "en": ("I booked a repair for the {product} {days} days ago and nobody has come.",
               "The {product} is under warranty but I was asked to pay a call-out fee.",
               "After the repair the {product} still does not work; the engineer replaced one "
               "part only."),
    },
    "Other": {
        "zh": ("以旧换新活动的规则说明不清楚，门店和热线说法不一致。",
               "建议门店周末增加导购人员。",
               "门店洗手间长期关闭，很不方便。"),
        "en": ("The trade-in rules on your website are unclear.",
               "Please open the store earlier on weekends.",
               "The store car park was closed without notice."),
    },
}

# What the customer asks for: free of any category keyword, so it never sways the rules.
REQUESTS: dict[str, dict[str, tuple[str, ...]]] = {
    "Product quality": {"zh": ("更换新机", "上门检测并给出说法", "退货"),
                        "en": ("A replacement unit", "An inspection at home", "Take it back")},
    "Service attitude": {"zh": ("道歉", "给出处理说法"),
                         "en": ("A written apology", "A call back from a manager")},
    "Delivery": {"zh": ("尽快送达", "告知准确到货时间"),
                 "en": ("Bring it this week", "A firm arrival date")},
    "Price": {"zh": ("补偿差额", "按标价结算"),
              "en": ("The difference paid back", "Honour the shelf label")},
    "Billing": {"zh": ("退回多扣的钱", "取消自动续费"),
                "en": ("Money back on my card", "Cancel the plan")},
    "After-sales": {"zh": ("尽快安排师傅上门", "免除上门费"),
                    "en": ("An engineer visit this week", "Waive the call-out fee")},
    "Other": {"zh": ("给出答复",), "en": ("A reply",)},
}

_SOLUTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "Product quality": (("Inspected at home and replaced the unit.",
                         "已上门检测，为客户更换新机。"),
                        ("Accepted the return and refunded in full.", "同意退货，全额退款。")),
    "Service attitude": (("Apologised; the employee was coached.",
                          "已向客户致歉，并对员工进行培训。"),
                         ("A manager called the customer back.", "主管已回电客户说明情况。")),
    "Delivery": (("Rushed the delivery; the customer signed for it.", "已加急配送，客户已签收。"),
                 ("Found the parcel and re-delivered it.", "已找回包裹并重新配送。")),
    "Price": (("Paid back the difference under the price guarantee.", "按价保政策退还差价。"),),
    "Billing": (("Checked the account and returned the overcharge.", "已核实并退回多扣款项。"),
                ("Cancelled the plan and reversed the payment.", "已取消服务并撤销扣款。")),
    "After-sales": (("Sent an engineer; fixed on site.", "已安排师傅上门处理完毕。"),
                    ("Waived the call-out fee.", "已免除上门费。")),
    "Other": (("Explained the rules to the customer.", "已向客户解释说明。"),),
}
_ROOT_CAUSES: dict[str, tuple[tuple[str, str], ...]] = {
    "Product quality": (("Faulty batch from the supplier", "供应商批次质量缺陷"),
                        ("Damaged in transit", "运输途中受损")),
    "Service attitude": (("Staff not following the service script", "员工未按服务规范操作"),),
    "Delivery": (("Carrier short of drivers in peak season", "旺季承运商运力不足"),
                 ("Wrong address in the order", "订单地址有误")),
    "Price": (("Promotion started after the purchase", "购买后促销活动开始"),),
    "Billing": (("Payment system sent the request twice", "支付系统重复请求"),),
    "After-sales": (("Engineers fully booked", "维修师傅排期已满"),
                    ("Spare part out of stock", "备件缺货")),
    "Other": (("Information not shared between channels", "各渠道信息不一致"),),
}
_OUTCOMES = (("Customer accepted", "客户接受处理方案", 70),
             ("Customer partly accepted", "客户部分接受", 20),
             ("Customer not satisfied; explained our position", "客户不满意，已解释说明", 10))
_NOTES = (("Prefers a call after 6pm", "客户要求下午六点后联系"),
          ("Sent an SMS with the case details", "已发短信告知处理进度"),
          ("Customer is elderly; speak slowly", "客户年纪较大，请耐心沟通"),
          ("Second address: office", "备用地址：公司"))
_REPEAT_PREFIX = ("Complaining again: ", "再次投诉：")

# Days from receipt to resolution, per category (low, high).
_RESOLVE_DAYS = {"Product quality": (2, 20), "Service attitude": (1, 4), "Delivery": (1, 6),
                 "Price": (1, 6), "Billing": (1, 10), "After-sales": (2, 15), "Other": (1, 5)}


def _pick(rng: random.Random, shares: dict[str, int]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _text(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang.startswith("zh") else pair[0]


def _phone(rng: random.Random) -> str:
    number = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    style = rng.random()
    if style < 0.8:
        return number
    if style < 0.92:  # typed in groups, as read out on the phone
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"+86 {number[:3]}-{number[3:7]}-{number[7:]}"


def _customer(rng: random.Random, lang: str) -> tuple[str, str]:
    """A name and the local part an email address would use."""
    if lang.startswith("zh"):
        surname, pinyin = rng.choice(_SURNAMES)
        given = "".join(rng.choices(_GIVEN_CHARS, k=rng.choice((1, 2, 2))))
        return surname + given, f"{pinyin}{rng.randrange(10, 9999)}"
    first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
    handle = f"{first}.{last}".lower().replace("'", "")
    # A number keeps namesakes apart, so only true repeats share an address.
    return f"{first} {last}", f"{handle}{rng.randrange(1, 999)}"


def _description(rng: random.Random, category: str, product: str, lang: str) -> str:
    template = rng.choice(DESCRIPTIONS[category]["zh" if lang.startswith("zh") else "en"])
    return template.format(product=product, days=rng.randint(2, 20), n=rng.randint(2, 5))


# Status shares by age in days: old cases are mostly closed, this week's mostly open.
_STATUS_BY_AGE: tuple[tuple[float, dict[str, int]], ...] = (
    (30, {"Closed": 80, "Resolved": 12, "In progress": 3, "Waiting on customer": 2,
          "Reopened": 2, "Acknowledged": 1}),
    (7, {"Closed": 40, "Resolved": 25, "In progress": 19, "Waiting on customer": 8,
         "Reopened": 4, "Acknowledged": 4}),
    (-1, {"New": 28, "Acknowledged": 20, "In progress": 33, "Waiting on customer": 10,
          "Reopened": 2, "Resolved": 7}),
)


def _status_for_age(rng: random.Random, age_days: float) -> str:
    shares = next(s for older_than, s in _STATUS_BY_AGE if age_days > older_than)
    return _pick(rng, shares)


def _build_cases(rng: random.Random, times: list[dt.datetime], now: dt.datetime, lang: str
                 ) -> tuple[list[dict[str, Any]], list[int], set[int]]:
    """All cases in received order; some customers complain again within the repeat window.

    Returns the cases, the positions of the repeats, and every position in a repeat pair (the
    planting leaves both alone so each repeat stays visible).
    """
    again = set(rng.sample(range(1, len(times)), int(len(times) * REPEAT_SHARE))
                if len(times) > 1 else [])
    cases: list[dict[str, Any]] = []
    repeats: list[int] = []
    taken: set[int] = set()  # each earlier complaint is repeated at most once
    for i, received in enumerate(times):
        first = _earlier_complaint(rng, times, i, taken) if i in again else None
        cases.append(_new_case(rng, received, now, lang, None if first is None else cases[first]))
        if first is not None:
            taken.update((first, i))
            repeats.append(i)
    return cases, repeats, taken


def _earlier_complaint(rng: random.Random, times: list[dt.datetime], i: int, taken: set[int]
                       ) -> int | None:
    window_start = times[i] - dt.timedelta(days=REPEAT_WINDOW_DAYS - 1)
    lo = bisect.bisect_left(times, window_start, 0, i)
    earlier = [j for j in range(lo, i) if j not in taken and times[j] < times[i]]
    return rng.choice(earlier) if earlier else None


def _new_case(rng: random.Random, received: dt.datetime, now: dt.datetime, lang: str,
              first: dict[str, Any] | None = None) -> dict[str, Any]:
    """One clean complaint (every check it meets passes); ``first`` is the one it repeats."""
    category = first["_category"] if first else _pick(rng, _CATEGORY_SHARE)
    channel = _pick(rng, _CHANNEL_SHARE)
    name, handle = _customer(rng, lang)
    product = first["product"] if first else _text(rng.choice(_PRODUCTS), lang)
    key = "zh" if lang.startswith("zh") else "en"
    description = _description(rng, category, product, lang)
    case: dict[str, Any] = {
        "_category": category, "_flip": rng.random() < OTHER_LANGUAGE_SHARE,
        "received_at": _with_seconds(rng, received, channel),
        "channel": channel, "customer_name": name,
        "customer_type": _pick(rng, _CUSTOMER_TYPE_SHARE), "product": product,
        "description": _text(_REPEAT_PREFIX, lang) + description if first else description,
        "request": rng.choice(REQUESTS[category][key]) if rng.random() < 0.85 else None,
    }
    case.update(_contact(rng, handle, channel))
    if rng.random() < 0.85:
        ordered = received - dt.timedelta(days=rng.randint(0, 60))
        case["order_ref"] = f"SO{ordered:%Y%m%d}{rng.randrange(10**6):06d}"
    if first:  # the same customer, reachable the same way, about the same order
        for same in ("customer_name", "phone", "email", "customer_type", "order_ref"):
            case[same] = first.get(same)
    _staff_classification(rng, case, category)
    _progress(rng, case, now, lang)
    if rng.random() < 0.08:
        case["notes"] = _text(rng.choice(_NOTES), lang)
    return case


def _with_seconds(rng: random.Random, received: dt.datetime, channel: str) -> dt.datetime:
    # Online channels stamp the second; staff typing a call or a visit do not.
    if channel in {"Web form", "App", "Live chat", "Email"}:
        return received.replace(second=rng.randrange(60))
    return received


def _contact(rng: random.Random, handle: str, channel: str) -> dict[str, str | None]:
    phone = _phone(rng) if channel == "Phone" or rng.random() < 0.9 else None
    wants_email = phone is None or rng.random() < 0.35
    email = f"{handle}@{rng.choice(_EMAIL_DOMAINS)}" if wants_email else None
    return {"phone": phone, "email": email}


def _staff_classification(rng: random.Random, case: dict[str, Any], category: str) -> None:
    """Most rows leave category, severity and urgency to the rules; some staff fill in."""
    if rng.random() < 0.25:
        case["category"] = category
    if rng.random() < 0.08:
        case["severity"] = _pick(rng, {"Normal": 70, "Major": 20, "Escalated": 7, "Difficult": 3})
    if rng.random() < 0.08:
        case["urgency"] = _pick(rng, {"Immediate": 25, "Normal": 60, "Planned": 15})


def _progress(rng: random.Random, case: dict[str, Any], now: dt.datetime, lang: str) -> None:
    """Status by age, and what each status implies: handler, replies, resolution, feedback."""
    received = case["received_at"]
    status = _status_for_age(rng, (now - received).total_seconds() / 86400)
    case["status"] = status
    if status != "New":
        case["acknowledged_at"] = _acknowledged(rng, received, case["channel"], now)
    if status != "New" and (status != "Acknowledged" or rng.random() < 0.5):
        _assign(rng, case)
    if status in {"Resolved", "Closed"}:
        _resolve(rng, case, now, lang, with_feedback=status == "Closed" or rng.random() < 0.5)


def _acknowledged(rng: random.Random, received: dt.datetime, channel: str, now: dt.datetime
                  ) -> dt.datetime:
    if channel in {"Phone", "Walk-in", "Live chat"}:
        delay = dt.timedelta(minutes=rng.randint(1, 30))
    else:
        delay = dt.timedelta(minutes=rng.randint(20, 30 * 60))
    # A reply cannot come after the moment the register is looked at.
    return _minute(min(received + delay, received + (now - received) / 2))


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


def _assign(rng: random.Random, case: dict[str, Any]) -> None:
    category = case["_category"]
    case["_handler"] = rng.choice(_HANDLERS[category])
    if rng.random() < 0.6:
        case["_department"] = _DEPARTMENTS[category]


def _resolve(rng: random.Random, case: dict[str, Any], now: dt.datetime, lang: str,
             with_feedback: bool) -> None:
    category = case["_category"]
    start = case.get("acknowledged_at") or case["received_at"]
    low, high = _RESOLVE_DAYS[category]
    wanted = dt.timedelta(days=rng.uniform(low, high))
    room = now - start
    resolved = start + (wanted if wanted < room else room * rng.uniform(0.3, 0.9))
    # Recorded during the working day, to the minute, and never before the work started.
    case["resolved_at"] = max(_office_hours(rng, resolved).replace(second=0, microsecond=0), start)
    case["solution"] = _text(rng.choice(_SOLUTIONS[category]), lang)
    if rng.random() < 0.7:
        case["root_cause"] = _text(rng.choice(_ROOT_CAUSES[category]), lang)
    outcome = rng.choices(_OUTCOMES, weights=[o[2] for o in _OUTCOMES])[0]
    case["outcome"] = _text(outcome[:2], lang)
    if with_feedback and rng.random() < 0.8:
        case["satisfaction"] = rng.choices((5, 4, 3, 2, 1), weights=(35, 30, 18, 10, 7))[0]
        follow = case["resolved_at"].date() + dt.timedelta(days=rng.randint(1, 3))
        if follow <= now.date():
            case["follow_up_at"] = dt.datetime.combine(follow, dt.time())


def _office_hours(rng: random.Random, moment: dt.datetime) -> dt.datetime:
    """Resolutions are recorded during the working day."""
    if 9 <= moment.hour < 19:
        return moment
    return moment.replace(hour=rng.randint(9, 18), minute=rng.randrange(60))


# --------------------------------------------------------------------------------------------
# The earlier run's case numbers

def _number_earlier_run(cases: list[dict[str, Any]]) -> None:
    """Case numbers as an earlier run gave them: per month, increasing with the received time."""
    seq: dict[str, int] = {}
    for case in cases:
        received = case["received_at"]
        month = f"{received:%Y%m}"
        seq[month] = seq.get(month, 0) + 1
        case["case_no"] = CASE_FORMAT.format(yyyy=f"{received:%Y}", mm=f"{received:%m}",
                                             seq=seq[month])


# --------------------------------------------------------------------------------------------
# Planted problems

_UNREADABLE_DATES = ("next Tuesday", "下周二", "上个月底", "ASAP")
_NOT_IN_LIST = (("channel", "WeChat group", "微信群"), ("status", "Done", "办完了"),
                ("customer_type", "Gold member", "金卡会员"), ("category", "Noise", "噪音问题"))
_BAD_PHONES = ("12345", "138-1234-abcd", "see notes", "电话空号")
_BAD_EMAILS = ("wang.fang@", "li.na@@example.com", "zhang wei@example.cn", "liuyang.example.com")
_REQUIRED_KEYS = ("received_at", "channel", "customer_name", "description", "status")


def _per_kind(n: int) -> int:
    return max(1, min(4, n // 500))


def _plant(rng: random.Random, cases: list[dict[str, Any]], numbered: int, paired: set[int],
           lang: str, now: dt.datetime) -> dict[str, list[int]]:
    """Spoil a few unnumbered rows per kind; each spoiled row gets exactly one problem."""
    kinds = [k for k in PLANTED_FINDINGS if k != "repeat-complaint"]
    free = [i for i in range(numbered, len(cases)) if i not in paired]
    count = _per_kind(len(cases))
    rows = rng.sample(free, min(len(free), count * len(kinds)))
    used = set(rows)
    planted: dict[str, list[int]] = {}
    for slot, i in enumerate(rows):
        kind, nth = kinds[slot % len(kinds)], slot // len(kinds)
        if kind == "duplicate-case-no" and numbered == 0:
            continue
        if kind == "text-date" and _TEXT_DATE_FORMATS[nth % 3].startswith("{d"):
            i = _day_above_12(cases, free, used, i)
        _PLANTERS[kind](rng, cases[i], nth, lang, now, cases)
        planted.setdefault(kind, []).append(i)
    return planted


def _day_above_12(cases: list[dict[str, Any]], free: list[int], used: set[int], i: int) -> int:
    # Day-first text (18/03/2026) is unambiguous only when the day is above 12.
    if cases[i]["received_at"].day > 12:
        return i
    for j in reversed(free):
        if j not in used and cases[j]["received_at"].day > 12:
            used.add(j)
            return j
    return i


def _soon_after(moment: dt.datetime, delay: dt.timedelta, now: dt.datetime) -> dt.datetime:
    return _minute(min(moment + delay, moment + (now - moment) / 2))


def _close(rng: random.Random, case: dict[str, Any], lang: str, now: dt.datetime) -> None:
    """Make the row a complete closed case, ready to have one piece taken away."""
    case["status"] = "Closed"
    case.setdefault("acknowledged_at", _soon_after(case["received_at"], dt.timedelta(hours=2), now))
    if not case.get("_handler"):
        case["_handler"] = rng.choice(_HANDLERS[case["_category"]])
    if not case.get("resolved_at"):
        _resolve(rng, case, now, lang, with_feedback=False)


def _open(rng: random.Random, case: dict[str, Any], now: dt.datetime) -> None:
    """Make the row a case in progress with nothing of a closed case left on it."""
    case["status"] = "In progress"
    case.setdefault("acknowledged_at", _soon_after(case["received_at"], dt.timedelta(hours=1), now))
    if not case.get("_handler"):
        case["_handler"] = rng.choice(_HANDLERS[case["_category"]])
    _strip_resolution(case)


def _strip_resolution(case: dict[str, Any]) -> None:
    for key in ("resolved_at", "solution", "root_cause", "outcome", "satisfaction",
                "follow_up_at"):
        case.pop(key, None)


# Each planter spoils one case: (rng, case, nth of its kind, lang, now, all cases).

def _plant_missing(rng, case, nth, lang, now, cases) -> None:
    case[_REQUIRED_KEYS[nth % len(_REQUIRED_KEYS)]] = None


def _plant_no_contact(rng, case, nth, lang, now, cases) -> None:
    case["phone"] = case["email"] = None
    # Not the exempt channel, and not a call (a call always leaves a number).
    if case["channel"] in {"Regulator referral", "Phone"}:
        case["channel"] = "Walk-in"


_TEXT_DATE_FORMATS = ("{y}/{m}/{d} {H}:{M:02d}", "{y}年{m}月{d}日", "{d:02d}/{m:02d}/{y}")


def _plant_text_date(rng, case, nth, lang, now, cases) -> None:
    received: dt.datetime = case["received_at"]
    case["received_at"] = _TEXT_DATE_FORMATS[nth % len(_TEXT_DATE_FORMATS)].format(
        y=received.year, m=received.month, d=received.day, H=received.hour, M=received.minute)


def _plant_unreadable(rng, case, nth, lang, now, cases) -> None:
    case["received_at"] = _UNREADABLE_DATES[nth % len(_UNREADABLE_DATES)]


def _plant_future(rng, case, nth, lang, now, cases) -> None:
    later = now.date() + dt.timedelta(days=rng.randint(3, 40))
    case["received_at"] = dt.datetime.combine(later, case["received_at"].time())
    case["status"] = "New"
    for key in ("acknowledged_at", "_handler", "_department"):
        case.pop(key, None)
    _strip_resolution(case)


def _plant_resolved_before(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["resolved_at"] = case["received_at"] - dt.timedelta(days=rng.randint(1, 5), hours=3)
    case.pop("follow_up_at", None)


def _plant_not_in_list(rng, case, nth, lang, now, cases) -> None:
    key, en, zh = _NOT_IN_LIST[nth % len(_NOT_IN_LIST)]
    case[key] = zh if lang.startswith("zh") else en
    case["_raw"] = {key}  # shown as typed, not looked up in the lists


def _plant_bad_phone(rng, case, nth, lang, now, cases) -> None:
    case["phone"] = _BAD_PHONES[nth % len(_BAD_PHONES)]


def _plant_bad_email(rng, case, nth, lang, now, cases) -> None:
    case["email"] = _BAD_EMAILS[nth % len(_BAD_EMAILS)]


def _plant_satisfaction_range(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["satisfaction"] = (0, 7)[nth % 2]


def _plant_satisfaction_open(rng, case, nth, lang, now, cases) -> None:
    _open(rng, case, now)
    case["satisfaction"] = 4


def _plant_duplicate(rng, case, nth, lang, now, cases) -> None:
    # Distinct numbers in row order, so each planted copy reuses a different one.
    numbers = list(dict.fromkeys(c["case_no"] for c in cases if c.get("case_no")))
    case["case_no"] = numbers[-1 - nth % len(numbers)]  # copied from a row above


def _plant_closed_no_solution(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["solution"] = None


def _plant_closed_no_resolved(rng, case, nth, lang, now, cases) -> None:
    _close(rng, case, lang, now)
    case["resolved_at"] = None
    case.pop("follow_up_at", None)


def _plant_no_handler(rng, case, nth, lang, now, cases) -> None:
    _open(rng, case, now)
    case["_handler"] = case["_department"] = None


_PLANTERS = {
    "missing-required": _plant_missing,
    "no-contact": _plant_no_contact,
    "text-date": _plant_text_date,
    "unreadable-date": _plant_unreadable,
    "future-received": _plant_future,
    "resolved-before-received": _plant_resolved_before,
    "not-in-list": _plant_not_in_list,
    "bad-phone": _plant_bad_phone,
    "bad-email": _plant_bad_email,
    "satisfaction-out-of-range": _plant_satisfaction_range,
    "satisfaction-on-open-case": _plant_satisfaction_open,
    "duplicate-case-no": _plant_duplicate,
    "closed-without-solution": _plant_closed_no_solution,
    "closed-without-resolved": _plant_closed_no_resolved,
    "started-without-handler": _plant_no_handler,
}


# --------------------------------------------------------------------------------------------
# Rendering a case as a sheet row

_LISTS = default_lists()


def _render(case: dict[str, Any], lang: str) -> list[Any]:
    # A flipped row was typed by someone using the other language's list values.
    shown = ("en" if lang.startswith("zh") else "zh-CN") if case["_flip"] else lang
    values = dict(case)
    if case.get("_handler"):
        values["handler"] = _text(case["_handler"], lang)
    if case.get("_department"):
        values["department"] = _text(case["_department"], lang)
    raw = case.get("_raw", set())
    row: list[Any] = []
    for key in DEMO_KEYS:
        value = values.get(key)
        if key in _LISTS and isinstance(value, str) and key not in raw:
            value = _LISTS[key].label(value, shown)
        row.append(value)
    return row
