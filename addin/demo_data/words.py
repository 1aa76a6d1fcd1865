"""The demo's word tables: names, products, who handles what, and what complaints say.

Data only: the generator draws from these tables in their order, so reordering an entry changes
the demo for every seed. Texts a handler writes (solutions, causes, outcomes, notes) are
``Text``s; a complaint's own words are kept per language, as customers write them (the
classification rules' keywords are in them, tested per language).
"""

from __future__ import annotations

from addin.core.text import Text

SURNAMES = (("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
            ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"),
            ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"), ("胡", "hu"),
            ("郭", "guo"), ("何", "he"), ("林", "lin"), ("罗", "luo"), ("高", "gao"),
            ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
            ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"), ("彭", "peng"))
GIVEN_CHARS = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
               "桂英华玉兰萍建国红梅鑫宇晨浩然思雨欣怡子涵俊")
FIRST_NAMES = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
               "David", "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah",
               "Daniel", "Karen", "Matthew", "Emma", "Oliver", "Sophie", "Liam", "Chloe",
               "Noah", "Grace", "Wei", "Mei", "Arjun", "Priya")
LAST_NAMES = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
              "Taylor", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Green",
              "Baker", "Evans", "Turner", "Chen", "Wang", "Patel", "Murphy", "O'Brien")
# Reserved example domains (RFC 2606 and lookalikes under .example.*): demo addresses reach nobody.
EMAIL_DOMAINS = ("example.com", "example.cn", "example.net", "mail.example.com",
                 "example.org")
MOBILE_PREFIXES = ("130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                   "155", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186",
                   "187", "188", "189", "191", "198", "199")

# What customers bought.
PRODUCTS = (
    Text("Inverter air conditioner 1.5HP", "变频空调 1.5匹"),
    Text("Floor-standing air conditioner 3HP", "柜式空调 3匹"),
    Text("French-door fridge 520L", "对开门冰箱 520升"),
    Text("Chest freezer 200L", "卧式冷柜 200升"),
    Text("Front-load washer 10kg", "滚筒洗衣机 10公斤"),
    Text("Washer-dryer 9kg", "洗烘一体机 9公斤"),
    Text("65-inch 4K TV", "65英寸 4K 电视"), Text("75-inch smart TV", "75英寸 智能电视"),
    Text("Gas water heater 16L", "燃气热水器 16升"),
    Text("Electric water heater 60L", "电热水器 60升"),
    Text("Range hood", "吸油烟机"), Text("Built-in gas hob", "嵌入式燃气灶"),
    Text("Dishwasher 13 place", "洗碗机 13套"), Text("Robot vacuum", "扫地机器人"),
    Text("Air purifier", "空气净化器"), Text("Rice cooker 4L", "电饭煲 4升"),
    Text("Microwave oven", "微波炉"), Text("Water purifier", "净水器"),
    Text("Cordless vacuum", "无线吸尘器"), Text("Tower fan", "塔扇"),
)

# Department that owns each category, and the people who handle its cases.
DEPARTMENTS = {
    "Product quality": Text("Quality", "品质部"),
    "Service attitude": Text("Customer service", "客服中心"),
    "Delivery": Text("Logistics", "物流部"),
    "Price": Text("Sales", "销售部"),
    "Billing": Text("Finance", "财务部"),
    "After-sales": Text("After-sales service", "售后服务部"),
    "Other": Text("Store operations", "门店运营部"),
}
HANDLERS = {
    "Product quality": (Text("Helen Zhou", "周海燕"), Text("Victor Lin", "林志远")),
    "Service attitude": (Text("Amy Xu", "徐晓梅"), Text("Kevin Ma", "马俊"),
                         Text("Lucy Song", "宋丽")),
    "Delivery": (Text("Tony Liu", "刘强"), Text("Jason Hu", "胡建军")),
    "Price": (Text("Grace Gao", "高雅"),),
    "Billing": (Text("Nina He", "何娜"), Text("Eric Tang", "唐磊")),
    "After-sales": (Text("Frank Guo", "郭峰"), Text("Sunny Deng", "邓晴"),
                    Text("Peter Xie", "谢鹏")),
    "Other": (Text("Iris Luo", "罗艺"),),
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

# What the handler did, and why it happened, per category.
SOLUTIONS: dict[str, tuple[Text, ...]] = {
    "Product quality": (Text("Inspected at home and replaced the unit.",
                             "已上门检测，为客户更换新机。"),
                        Text("Accepted the return and refunded in full.", "同意退货，全额退款。")),
    "Service attitude": (Text("Apologised; the employee was coached.",
                              "已向客户致歉，并对员工进行培训。"),
                         Text("A manager called the customer back.", "主管已回电客户说明情况。")),
    "Delivery": (Text("Rushed the delivery; the customer signed for it.",
                      "已加急配送，客户已签收。"),
                 Text("Found the parcel and re-delivered it.", "已找回包裹并重新配送。")),
    "Price": (Text("Paid back the difference under the price guarantee.", "按价保政策退还差价。"),),
    "Billing": (Text("Checked the account and returned the overcharge.", "已核实并退回多扣款项。"),
                Text("Cancelled the plan and reversed the payment.", "已取消服务并撤销扣款。")),
    "After-sales": (Text("Sent an engineer; fixed on site.", "已安排师傅上门处理完毕。"),
                    Text("Waived the call-out fee.", "已免除上门费。")),
    "Other": (Text("Explained the rules to the customer.", "已向客户解释说明。"),),
}
ROOT_CAUSES: dict[str, tuple[Text, ...]] = {
    "Product quality": (Text("Faulty batch from the supplier", "供应商批次质量缺陷"),
                        Text("Damaged in transit", "运输途中受损")),
    "Service attitude": (Text("Staff not following the service script", "员工未按服务规范操作"),),
    "Delivery": (Text("Carrier short of drivers in peak season", "旺季承运商运力不足"),
                 Text("Wrong address in the order", "订单地址有误")),
    "Price": (Text("Promotion started after the purchase", "购买后促销活动开始"),),
    "Billing": (Text("Payment system sent the request twice", "支付系统重复请求"),),
    "After-sales": (Text("Engineers fully booked", "维修师傅排期已满"),
                    Text("Spare part out of stock", "备件缺货")),
    "Other": (Text("Information not shared between channels", "各渠道信息不一致"),),
}
# What the customer made of the resolution, and how often.
OUTCOMES: tuple[tuple[Text, int], ...] = (
    (Text("Customer accepted", "客户接受处理方案"), 70),
    (Text("Customer partly accepted", "客户部分接受"), 20),
    (Text("Customer not satisfied; explained our position", "客户不满意，已解释说明"), 10))
NOTES = (Text("Prefers a call after 6pm", "客户要求下午六点后联系"),
         Text("Sent an SMS with the case details", "已发短信告知处理进度"),
         Text("Customer is elderly; speak slowly", "客户年纪较大，请耐心沟通"),
         Text("Second address: office", "备用地址：公司"))
REPEAT_PREFIX = Text("Complaining again: ", "再次投诉：")
