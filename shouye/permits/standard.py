"""What GB 30871-2022 prints on each form (Appendix A, Tables A.1–A.8; REGULATIONS-2 §C.1) and how the copies
are held (Appendix B, Table B.2): the numbered safety measures, the header fields a kind adds to those every form
has, who on a form must hold a certificate, and the three copies' holders.

The measure texts are the standard's, in its order (text: the full standard in repository
``wyuzhu-gif/aky_work_ticket-agent``, file ``GB_30871-2022危险化学品企业特殊作业安全规范.md``, commit bc9a4b9a; check
against the official PDF). Each list stops before the form's closing "其他安全措施", which every permit adds as its
last number with its author (``other_measure_number``). Blanks such as "加盲板( )块" stay in the text: whoever
confirms the measure fills them in the confirmation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import PermitKind, PermitPersonRole

# The last line of every form's measures (Appendix A): "其他安全措施：编制人："
OTHER_MEASURES_LABEL = "其他安全措施"

MEASURES: dict[str, tuple[str, ...]] = {
    # Table A.1 动火安全作业票 (items 1–15; 16 is 其他安全措施)
    PermitKind.HOT_WORK: (
        "动火设备内部构件清洗干净，蒸汽吹扫或水洗、置换合格，达到动火条件",
        "与动火设备相连接的所有管线已断开，加盲板（ ）块，未采取水封或仅关闭阀门的方式代替盲板",
        "动火点周围及附近的孔洞、窨井、地沟、水封设施、污水井等已清除易燃物，并已采取覆盖、铺沙等手段进行隔离",
        "油气罐区动火点同一防火堤内和防火间距内的油品储罐未进行脱水和取样作业",
        "高处作业已采取防火花飞溅措施，作业人员佩戴必要的个体防护装备",
        "在有可燃物构件和使用可燃物做防腐内衬的设备内部动火作业，已采取防火隔绝措施",
        "乙炔气瓶直立放置，已采取防倾倒措施并安装防回火装置；乙炔气瓶、氧气瓶与火源间的距离不应小于10m，"
        "两气瓶相互间距不应小于5m",
        "现场配备灭火器（ ）台，灭火毯（ ）块，消防蒸汽带或消防水带（ ）",
        "电焊机所处位置已考虑防火防爆要求，且已可靠接地",
        "动火点周围规定距离内没有易燃易爆化学品的装卸、排放、喷漆等可能引起火灾爆炸的危险作业",
        "动火点30m内垂直空间未排放可燃气体；15m内垂直空间未排放可燃液体；10m范围内及动火点下方未同时进行可燃溶剂"
        "清洗或喷漆等作业，10m范围内未见有可燃性粉尘清扫作业",
        "已开展作业危害分析，制定相应的安全风险管控措施，交叉作业已明确协调人",
        "用于连续检测的移动式可燃气体检测仪已配备到位",
        "配备的摄录设备已到位，且防爆级别满足安全要求",
        "其他相关特殊作业已办理相应安全作业票，作业现场四周已设立警戒区",
    ),
    # Table A.2 受限空间安全作业票 (1–14; 15 其他安全措施)
    PermitKind.CONFINED_SPACE: (
        "盛装过有毒、可燃物料的受限空间，所有与受限空间有联系的阀门、管线已加盲板隔离，并落实盲板责任人，"
        "未采用水封或关闭阀门代替盲板",
        "盛装过有毒、可燃物料的受限空间，设备已经过置换、吹扫或蒸煮",
        "设备通风孔已打开进行自然通风，温度适宜人员作业；必要时采用强制通风或佩戴隔绝式呼吸防护装备，"
        "不应采用直接通入氧气或富氧空气的方法补充氧",
        "转动设备已切断电源，电源开关处已加锁并悬挂“禁止合闸”标志牌",
        "受限空间内部已具备进人作业条件，易燃易爆物料容器内作业，作业人员未采用非防爆工具，手持电动工具符合"
        "作业安全要求",
        "受限空间进出口通道畅通，无阻碍人员进出的障碍物",
        "盛装过可燃有毒液体、气体的受限空间，已分析其中的可燃、有毒有害气体和氧气含量，且在安全范围内",
        "存在大量扬尘的设备已停止扬尘",
        "用于连续检测的移动式可燃、有毒气体、氧气检测仪已配备到位",
        "作业人员已佩戴必要的个体防护装备，清楚受限空间内存在的危险因素",
        "已配备作业应急设施：消防器材（ ）、救生绳（ ）、气防装备（ ），盛有腐蚀性介质的容器作业现场已配备"
        "应急用冲洗水",
        "受限空间内作业已配备通信设备",
        "受限空间出入口四周已设立警戒区",
        "其他相关特殊作业已办理相应安全作业票",
    ),
    # Table A.3 盲板抽堵安全作业票 (1–10; 11 其他安全措施)
    PermitKind.LINE_BLINDING: (
        "在管道、设备上作业时，降低系统压力，作业点应为常压或微正压",
        "在有毒介质的管道、设备上作业时，作业人员应穿戴适合的个体防护装备",
        "火灾爆炸危险场所，作业人员穿防静电工作服、工作鞋；作业时使用防爆灯具和防爆工具",
        "火灾爆炸危险场所的气体管道，距作业地点30m内无其他动火作业",
        "在强腐蚀性介质的管道、设备上作业时，作业人员已采取防止酸碱化学灼伤的措施",
        "介质温度较高、可能造成烫伤的情况下，作业人员已采取防烫措施",
        "介质温度较低、可能造成人员冻伤情况下，作业人员已采取防冻伤措施",
        "同一管道上未同时进行两处及两处以上的盲板抽堵作业",
        "其他相关特殊作业已办理相应安全作业票",
        "作业现场四周已设警戒区",
    ),
    # Table A.4 高处安全作业票 (1–14; 15 其他安全措施)
    PermitKind.WORK_AT_HEIGHT: (
        "作业人员身体条件符合要求",
        "作业人员着装符合作业要求",
        "作业人员佩戴符合标准要求的安全帽、安全带，有可能散发有毒气体的场所携带正压式空气呼吸器或面罩备用",
        "作业人员携带有工具袋及安全绳",
        "现场搭设的脚手架、防护网、围栏符合安全规定",
        "垂直分层作业中间有隔离设施",
        "梯子、绳子符合安全规定",
        "轻型棚的承重梁、柱能承重作业过程最大负荷的要求",
        "作业人员在不承重物处作业所搭设的承重板稳定牢固",
        "采光、夜间作业照明符合作业要求",
        "30m以上高处作业时，作业人员已配备通信、联络工具",
        "作业现场四周已设警戒区",
        "露天作业，风力满足作业安全要求",
        "其他相关特殊作业已办理相应安全作业票",
    ),
    # Table A.5 吊装安全作业票 (1–19; 20 其他安全措施)
    PermitKind.LIFTING: (
        "一、二级吊装作业已编制吊装作业方案，已经审查批准；吊装物体形状复杂、刚度小、长径比大、精密贵重，"
        "作业条件特殊的三级吊装作业，已编制吊装作业方案，已经审查批准",
        "吊装场所如有含危险物料的设备、管道时，应制定详细吊装方案，并对设备、管道采取有效防护措施，必要时停车，"
        "放空物料，置换后再进行吊装作业",
        "作业人员已按规定佩戴个体防护装备",
        "已对起重吊装设备、钢丝绳、揽风绳、链条、吊钩等各种机具进行检查，安全可靠",
        "已明确各自分工、坚守岗位，并统一规定联络信号",
        "将建筑物、构筑物作为锚点，应经所属单位工程管理部门审查核算并批准",
        "吊装绳索、揽风绳、拖拉绳等不应与带电线路接触，并保持安全距离",
        "不应利用管道、管架、电杆、机电设备等作吊装锚点",
        "吊物捆扎坚固，未见绳打结、绳不齐现象，棱角吊物已采取衬垫措施",
        "起重机安全装置灵活好用",
        "吊装作业人员持有有效的法定资格证书",
        "地下通信电（光）缆、局域网络电（光）缆、排水沟的盖板，承重吊装机械的负重量已确认，保护措施已落实",
        "起吊物的质量（t）经确认，在吊装机械的承重范围内",
        "在吊装高度的管线、电缆桥架已做好防护措施",
        "作业现场围栏、警戒线、警告牌、夜间警示灯已按要求设置",
        "作业高度和转臂范围内无架空线路",
        "在爆炸危险场所内的作业，机动车排气管已装阻火器",
        "露天作业，环境风力满足作业安全要求",
        "其他相关特殊作业已办理相应安全作业票",
    ),
    # Table A.6 临时用电安全作业票 (1–13; 14 其他安全措施)
    PermitKind.TEMPORARY_POWER: (
        "作业人员持有电工作业操作证",
        "在防爆场所使用的临时电源、元器件和线路达到相应的防爆等级要求",
        "上级开关已断电、加锁，并挂安全警示标牌",
        "临时用电的单相和混用线路要求按照TN-S三相五线制方式接线",
        "临时用电线路如架高敷设，在作业现场敷设高度应不低于2.5m，跨越道路高度应不低于5m",
        "临时用电线路如沿墙面或地面敷设，已沿建筑物墙体根部敷设，穿越道路或其他易受机械损伤的区域，已采取防机械"
        "损伤的措施；在电缆敷设路径附近，已采取防止火花损伤电缆的措施",
        "临时用电线路架空进线不应采用裸线",
        "暗埋设及地下电缆线路敷设时，已备好“走向标志”和“安全标志”等标志桩，电缆埋深要求大于0.7m",
        "现场临时用配电盘、箱配备有防雨措施，并可靠接地",
        "临时用电设施已装配漏电保护器，移动工具、手持工具已采取防漏电的安全措施（一机一闸一保护）",
        "用电设备、线路容量、负荷符合要求",
        "其他相关特殊作业已办理相应安全作业票",
        "作业场所已进行气体检测且符合作业安全要求",
    ),
    # Table A.7 动土安全作业票 (1–10; 11 其他安全措施)
    PermitKind.EXCAVATION: (
        "地下电力电缆、通信电（光）缆、局域网络电（光）缆已确认，保护措施已落实",
        "地下供排水、消防管线、工艺管线已确认，保护措施已落实",
        "已按作业方案图划线和立桩",
        "作业现场围栏、警戒线、警告牌、夜间警示灯已按要求设置",
        "已进行放坡处理和固壁支撑",
        "道路施工作业已报：交通、消防、安全监督部门、应急中心",
        "现场夜间有充足照明：A.36V、24V、12V防水型灯；B.36V、24V、12V防爆型灯",
        "作业人员配备有必要的个人防护装备",
        "易燃易爆、有毒气体存在的场所动土深度超过1.2m，已按照受限空间作业要求采取了措施",
        "其他相关特殊作业已办理相应安全作业票",
    ),
    # Table A.8 断路安全作业票 (1–3; 4 其他安全措施)
    PermitKind.ROAD_CLOSURE: (
        "作业前，制定交通组织方案，并已通知相关部门或单位",
        "作业前，在断路的路口和相关道路上设置交通警示标志，在作业区域附近设置路栏、道路作业警示灯、导向标等"
        "交通警示设施",
        "夜间作业设置警示灯",
    ),
}

#: The hot-work measure that special hot work must confirm: 14 "配备的摄录设备已到位，且防爆级别满足安全要求"
#: (A.1; 5.2.11: full-process video from an explosion-proof recorder).
HOT_WORK_VIDEO_MEASURE = 14


def other_measure_number(kind: str) -> int:
    """The number of the closing "其他安全措施" line on the kind's form (16 on A.1, 4 on A.8 …)."""
    return len(MEASURES[kind]) + 1


@dataclass(frozen=True)
class DetailField:
    """A header field one kind's form adds to those every permit has (``details[key]``). ``kind`` says how it
    is entered and checked: text, decimal, integer, boolean, choice (one of ``choices``), datetime, list (of
    short texts)."""

    key: str
    label: object
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, object], ...] = ()
    help: object = ""


#: The hot-work place facts that decide the grade (5.1.2–5.1.4; shouye.rules.permits.hot_work_grade), the wind
#: (5.2.15), and the form's 动火方式.
_HOT_WORK = (
    DetailField("method", _("Hot-work method (动火方式)"), required=True,
                help=_("e.g. 电焊、气割、砂轮打磨")),
    DetailField("fire_explosion_area", _("In a fire or explosion hazard area"), "boolean"),
    DetailField("on_operating_equipment", _("On operating equipment, pipes, tanks or vessels"), "boolean",
                help=_("Including hot tapping without purging (带压不置换): special grade in a hazard area.")),
    DetailField("in_mhi_tank_farm_dike", _("Inside the fire dike of a major-hazard tank farm with flammables"),
                "boolean"),
    DetailField("on_pipe_rack", _("On a pipe rack (管廊)"), "boolean"),
    DetailField("shut_down_and_isolated", _("Unit fully shut down, cleaned, purged, tested and isolated"), "boolean",
                help=_("5.1.4: may then be managed as grade 2, approved by the production or safety head.")),
    DetailField("outdoor", _("Outdoors"), "boolean"),
    DetailField("wind_force", _("Wind force (Beaufort)"), "integer",
                help=_("Force 5 or more outdoors raises the grade (5.2.15).")),
)

HEIGHT_HAZARDS = (
    ("gust", _("Gusts of force 5 (8.0 m/s) or more")),
    ("cold", _("Average air temperature 5 °C or below")),
    ("cold_water", _("Contact with water at 12 °C or below")),
    ("slippery", _("Ice, snow, frost, oil or water underfoot")),
    ("poor_light", _("Poor light or visibility")),
    ("live_conductor", _("Closer to live conductors than Table 1 allows")),
    ("unstable_footing", _("Swaying or unstable footing (any side under 500 mm)")),
    ("toxic_or_low_oxygen", _("Toxic gas or oxygen below 19.5 %")),
    ("disaster", _("Disaster environment or rescue")),
)

DETAIL_FIELDS: dict[str, tuple[DetailField, ...]] = {
    PermitKind.HOT_WORK: _HOT_WORK,
    # A.2
    PermitKind.CONFINED_SPACE: (
        DetailField("space_name", _("Confined space (受限空间名称)"), required=True),
        DetailField("original_medium", _("Medium it held (原有介质名称)"), required=True),
        DetailField("oxygen_enriched", _("Oxygen-enriched environment"), "boolean",
                    help=_("6.4 a): oxygen up to 23.5 % instead of 21 %.")),
    ),
    # A.3: one permit = one blind, one action (7.11)
    PermitKind.LINE_BLINDING: (
        DetailField("operation", _("Operation"), "choice", required=True,
                    choices=(("insert", _("Insert a blind (堵盲板)")), ("remove", _("Remove a blind (抽盲板)")))),
        DetailField("equipment", _("Equipment or pipe"), required=True),
        DetailField("medium", _("Medium")),
        DetailField("temperature", _("Temperature (°C)"), "decimal"),
        DetailField("pressure", _("Pressure (MPa)"), "decimal"),
        DetailField("blind_material", _("Blind material")),
        DetailField("blind_size", _("Blind size")),
        DetailField("blind_number", _("Blind number (on the blind-location drawing)"), required=True),
        DetailField("actual_start", _("Actual start of work"), "datetime"),
    ),
    # A.4; 8.1 and Table 2
    PermitKind.WORK_AT_HEIGHT: (
        DetailField("height_m", _("Working height (m)"), "decimal", required=True),
        DetailField("objective_hazards", _("Objective hazard factors (8.1.2)"), "list", choices=HEIGHT_HAZARDS),
    ),
    # A.5; 9.1
    PermitKind.LIFTING: (
        DetailField("rigging", _("Lifting gear (吊具名称)"), required=True),
        DetailField("load", _("Load (吊物内容)"), required=True),
        DetailField("mass_t", _("Load mass (t)"), "decimal", required=True),
    ),
    # A.6; 10.1
    PermitKind.TEMPORARY_POWER: (
        DetailField("power_point", _("Power connection point and permitted power"), required=True),
        DetailField("voltage", _("Working voltage"), required=True),
        DetailField("equipment", _("Equipment and rated power"), required=True),
        DetailField("in_hazard_area", _("In an operating unit, tank farm or fire and explosion hazard area"),
                    "boolean", help=_("10.1: a flammable gas analysis is then required first.")),
    ),
    # A.7; 11.10
    PermitKind.EXCAVATION: (
        DetailField("scope", _("Scope, content and method (depth, area)"), required=True),
        DetailField("depth_m", _("Depth (m)"), "decimal"),
    ),
    # A.8
    PermitKind.ROAD_CLOSURE: (
        DetailField("related_units", _("Units and departments concerned"), required=True),
        DetailField("reason", _("Reason for closing the road"), required=True),
        DetailField("section", _("Road section and explanation"), required=True),
    ),
}

#: Who on the form must hold a valid certificate (4.9; the forms' "动火人及证书编号", "电工证号"; lifting
#: measure 11 "吊装作业人员持有有效的法定资格证书").
CERTIFICATE_ROLES: dict[str, tuple[str, ...]] = {
    PermitKind.HOT_WORK: (PermitPersonRole.OPERATOR,),
    PermitKind.TEMPORARY_POWER: (PermitPersonRole.ELECTRICIAN,),
    PermitKind.LIFTING: (PermitPersonRole.OPERATOR,),
}

#: Table B.2: who holds copies 1, 2 and 3 (the archive). Keyed by (kind, grade) for hot work, (kind, None) else.
COPY_HOLDERS: dict[tuple[str, str | None], tuple[str, str, str]] = {
    (PermitKind.HOT_WORK, "special"): ("监护人", "作业单位（动火人）", "安全管理部门"),
    (PermitKind.HOT_WORK, "1"): ("监护人", "作业单位（动火人）", "安全管理部门"),
    (PermitKind.HOT_WORK, "2"): ("监护人", "作业单位（动火人）", "所在基层单位"),
    (PermitKind.CONFINED_SPACE, None): ("监护人", "作业单位负责人", "所在基层单位"),
    (PermitKind.LINE_BLINDING, None): ("监护人", "作业单位实施人", "所在基层单位"),
    (PermitKind.WORK_AT_HEIGHT, None): ("监护人", "作业单位实施人", "所在基层单位"),
    (PermitKind.LIFTING, None): ("监护人", "吊装指挥", "所在基层单位"),
    (PermitKind.TEMPORARY_POWER, None): ("监护人", "作业单位（作业时）、配送电执行人（作业结束后注销）", "电气管理部门"),
    (PermitKind.EXCAVATION, None): ("监护人", "作业单位负责人", "所在单位专业部门"),
    (PermitKind.ROAD_CLOSURE, None): ("监护人", "作业单位负责人", "所在单位专业部门"),
}


def copy_holders(kind: str, grade: str = "") -> tuple[str, str, str]:
    """Table B.2's holders of the three copies for a permit of ``kind`` at ``grade``."""
    return COPY_HOLDERS[(kind, grade if kind == PermitKind.HOT_WORK else None)]
