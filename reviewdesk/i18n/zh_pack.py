"""Chinese messages: the review, its charts, the review pack and its commands."""

MESSAGES = {
    # Talking points (review/model.py)
    "{subject} matures on {date} ({amount}): plan the reinvestment.":
        "{subject} 将于 {date} 到期（{amount}），请规划到期资金安排。",
    "{subject}: {kind} cover is {amount} short of the need.":
        "{subject}：{kind}保额距需求尚差 {amount}。",
    "{subject} ({level}) is above the client's risk level.":
        "{subject}（{level}）高于客户的风险承受等级。",
    "{subject} moved {percent} ({amount}) since the last review.":
        "{subject} 较上次回顾变动 {percent}（{amount}）。",
    "The risk assessment expired on {date}: redo it in this meeting.":
        "风险评估已于 {date} 过期，请在本次会面中重新评估。",
    "Premiums of {amount} a year exceed the planned share of income.":
        "每年保费 {amount}，超过收入的建议比例。",
    # Charts
    "No assets": "暂无资产",
    "In {currency}": "单位：{currency}",
    "Other institutions": "他行及其他机构",
}
