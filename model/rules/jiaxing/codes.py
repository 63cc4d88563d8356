"""The codes the Jiaxing schedule works in: sectors, recognition kinds and levels, award ids,
and the Chinese names input files may use for them (嘉政发〔2024〕14号 三.(一)).

Arrays carry integer codes into these tuples; award ids are also the `award` column of every
output. Changing an order changes every output, so these tuples are a contract (DESIGN.md).
"""

from __future__ import annotations

SECTORS = ("tech_info", "logistics", "business_services", "wholesale_retail", "manufacturing")
AWARDS = ("revenue_tier", "growth", "service_mfg_demo", "industrial_design", "platform")
LEVELS = ("national", "provincial", "municipal")
KINDS = ("service_mfg_demo", "industrial_design")  # recognition kind codes 0, 1
REVENUE_TIER, GROWTH, SERVICE_MFG_DEMO, INDUSTRIAL_DESIGN, PLATFORM = range(5)

# Input aliases (Chinese names as the text and finance bureaux write them).
SECTOR_ALIASES = {
    "科技信息": "tech_info",
    "物流运输": "logistics",
    "商务服务": "business_services",
    "批零贸易": "wholesale_retail",
    "制造业": "manufacturing",
    "制造": "manufacturing",
    # as the text and bureaux' tables name them: 科技信息、物流运输、商务服务类企业; 批零贸易类
    "科技信息类": "tech_info",
    "科技信息服务": "tech_info",
    "物流运输类": "logistics",
    "商务服务类": "business_services",
    "批零贸易类": "wholesale_retail",
    "批发零售": "wholesale_retail",
    "批发零售业": "wholesale_retail",
}
LEVEL_ALIASES = {"国家级": "national", "省级": "provincial", "市级": "municipal"}
KIND_ALIASES = {
    "服务型制造示范": "service_mfg_demo",
    "服务型制造示范企业": "service_mfg_demo",
    "服务型制造": "service_mfg_demo",
    "工业设计": "industrial_design",
    "工业设计企业": "industrial_design",
    "工业设计中心": "industrial_design",
}

# Rate comparisons: 1000 -> 1150 is exactly 15 %, which is not "above 15 %" (增速超过15%), and
# 20 % growth exactly is "达到20%以上" however the fraction was rounded.
EPS = 1e-9

# Who pays (五 各县(市)参照执行): the city's own budget (市本级) or a county / district of Jiaxing,
# each from its own budget. Code 0, 市本级, is the payer of a row that names none.
PAYERS = ("市本级", "南湖区", "秀洲区", "嘉善县", "平湖市", "海盐县", "海宁市", "桐乡市")
CITY = 0
PAYER_ALIASES = {
    "市级": "市本级",
    "嘉兴市": "市本级",
    "嘉兴市本级": "市本级",
    "南湖": "南湖区",
    "秀洲": "秀洲区",
    "嘉善": "嘉善县",
    "平湖": "平湖市",
    "海盐": "海盐县",
    "海宁": "海宁市",
    "桐乡": "桐乡市",
}
