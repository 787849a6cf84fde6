"""Chinese messages: the risk assessment's state and whether suitability can be assessed."""

MESSAGES = {
    # The state of an assessment (review/risk_status.py)
    "No risk assessment": "无风险评估",
    "Valid": "有效",
    "Expiring soon": "即将过期",
    "Expired": "已过期",
    "No valid risk assessment": "无有效风险评估",
    # The command line (cli/book_cmds.py show)
    "Risk assessment": "风险评估",
    "{level}, assessed {date}, valid until {until} ({state})":
        "{level}，评估于 {date}，有效期至 {until}（{state}）",
    # Talking points (review/model.py)
    "The risk assessment expired on {date}: suitability cannot be assessed for {count} "
    "holding(s) of R2 or above ({names}). Redo it in this meeting.":
        "风险评估已于 {date} 过期，{count} 项 R2 及以上持仓（{names}）无法进行适当性评估，"
        "请在本次会面中重新评估。",
    "No risk assessment on record: suitability cannot be assessed for {count} holding(s) of "
    "R2 or above ({names}). Assess the client in this meeting.":
        "尚无风险评估记录，{count} 项 R2 及以上持仓（{names}）无法进行适当性评估，"
        "请在本次会面中为客户做风险评估。",
    "{subject} ({level}) is above the risk level of the expired assessment.":
        "{subject}（{level}）高于已过期评估的风险承受等级。",
    " and {count} more": "，另有 {count} 项",
    # The risk page of the pack, the review and present mode
    "The assessment is valid but expires on {date}: plan to redo it.":
        "评估仍有效，但将于 {date} 过期，请安排重新评估。",
    "Suitability cannot be assessed: the risk assessment expired on {date}.":
        "无法评估适当性：风险评估已于 {date} 过期。",
    "Suitability cannot be assessed: there is no risk assessment on record.":
        "无法评估适当性：尚无风险评估记录。",
    "These {count} holding(s) are rated R2 or above and need a valid assessment before they "
    "can be judged:":
        "以下 {count} 项持仓风险等级为 R2 及以上，须有有效的风险评估才能判断其适当性：",
    "No holding is rated R2 or above; assess the client before recommending any product.":
        "目前没有 R2 及以上的持仓；推荐任何产品前请先为客户做风险评估。",
    "{mark} above the level of the expired assessment ({level}).":
        "{mark} 高于已过期评估的等级（{level}）。",
}
