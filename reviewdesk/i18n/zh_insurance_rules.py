"""Chinese messages: insurance rules in the client's currency, income currencies."""

MESSAGES = {
    # settings
    "Base currency of the book": "账簿本位币",
    "Currency of the education need (empty: the base currency)":
        "教育金需求的币种（留空：本位币）",
    "Currency of the medical minimum (empty: the base currency)":
        "医疗险最低保额的币种（留空：本位币）",
    "Base currency ({code})": "本位币（{code}）",
    # income currency: the desk and the workbook
    "Income currency": "收入币种",
    "(report currency)": "（报告币种）",
    "Annual income, in the income currency (blank: the report currency).":
        "年收入，以收入币种计（留空则为报告币种）。",
    "Currency of the annual income (ISO code). Blank: the report currency.":
        "年收入的币种（ISO 代码）。留空：报告币种。",
    "Annual income, in the income currency (blank: the client's report currency).":
        "年收入，以收入币种计（留空则为客户的报告币种）。",
    "Currency of the annual income (ISO code). Blank: the client's report currency.":
        "年收入的币种（ISO 代码）。留空：客户的报告币种。",
    # the rules, as the pack and the screen state them
    "Double-ten rule: total cover about ten times the household's annual income, premiums "
    "at most {share} of it.":
        "双十原则：总保额约为家庭年收入的十倍，总保费不超过家庭年收入的 {share}。",
    "Life: {n} times the person's annual income": "寿险：本人年收入的 {n} 倍",
    "the client's debts": "客户的负债",
    "{amount} of education per child under 22": "每位 22 岁以下子女教育金 {amount}",
    ", plus for the client: {items}": "，客户本人另加：{items}",
    ", ": "、",
    "Critical illness: {n} times annual income.": "重疾险：年收入的 {n} 倍。",
    "Accident: {n} times annual income.": "意外险：年收入的 {n} 倍。",
    "Medical: at least {amount} for each family member.": "医疗险：每位家庭成员至少 {amount}。",
    "These guides are set in the book's settings; a person without income has no "
    "income-based need.": "以上标准可在设置中调整；无收入的家庭成员不计算与收入挂钩的保障需求。",
    "{amount} ({original} at {rate})": "{amount}（{original}，按 {rate} 折算）",
    "1 {source} = {rate} {target}": "1 {source} = {rate} {target}",
    "{original} (no exchange rate to the report currency in this snapshot: not applied)":
        "{original}（本期快照无折算为报告币种的汇率：未采用）",
    "Incomes recorded in another currency are converted at the snapshot's exchange rates.":
        "以其他币种记录的收入按本期快照的汇率折算。",
    "No {source} to {target} rate in this snapshot: policies in {source} are left out of "
    "the cover and premiums.":
        "本期快照无 {source} 兑 {target} 的汇率：{source} 保单未计入保额和保费。",
    "No {source} to {target} rate in this snapshot: the income of {name} is left out, and "
    "so are the needs based on it and the premium guide.":
        "本期快照无 {source} 兑 {target} 的汇率：{name} 的收入未计入，"
        "据此计算的保障需求和保费上限亦不列示。",
    "No {source} to {target} rate in this snapshot: the medical minimum of {amount} is not "
    "applied and no medical need is shown.":
        "本期快照无 {source} 兑 {target} 的汇率：医疗险最低保额 {amount} 未采用，不列示医疗险需求。",
    "No {source} to {target} rate in this snapshot: the education need of {amount} per child "
    "is not applied and the client's life need is not shown.":
        "本期快照无 {source} 兑 {target} 的汇率：每位子女教育金 {amount} 未采用，"
        "不列示客户本人的寿险需求。",
    "Premiums: {premiums} a year. The household income is not known in {currency} (a rate "
    "is missing), so the guide of at most {share} of it cannot be checked.":
        "保费：每年 {premiums}。因缺少汇率，无法以 {currency} 计算家庭年收入，"
        "无法核对保费不超过家庭年收入 {share} 的建议。",
}
