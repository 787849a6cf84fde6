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
    "No reviews yet": "暂无回顾记录",
    "In {currency}": "单位：{currency}",
    "Other institutions": "他行及其他机构",
    # The pack
    "Asset allocation": "资产配置",
    "Assets of {total} (liabilities not included).": "资产合计 {total}（不含负债）。",
    "By asset class": "按资产类别",
    "This bank and other institutions": "本行与他行",
    "Trend across reviews": "历次回顾资产走势",
    "Total assets at each review since {date}.": "自 {date} 起每次回顾时的总资产。",
    "Monthly review": "月度回顾",
    "Quarterly review": "季度回顾",
    "Portfolio review": "资产回顾",
    "Review date: {date}": "回顾日期：{date}",
    "Report currency: {currency}": "报告币种：{currency}",
    "This document is confidential and prepared for {name} alone.":
        "本文件内容保密，仅供 {name} 本人阅览。",
    "Compared with the review of {date}": "对比 {date} 的回顾",
    "Prepared by {name}, your relationship manager": "客户经理：{name}",
    "Telephone: {phone}": "电话：{phone}",
    "Confidential - prepared for {client}": "保密文件 - 仅供 {client} 阅览",
    "Portfolio review of {date}": "{date} 资产回顾",
    "Page {page} of {pages}": "第 {page} 页，共 {pages} 页",
    "Holdings": "持仓明细",
    "Held since": "持有起始",
    "Maturity": "到期日",
    "Change": "变动",
    "Change %": "变动率",
    "Risk level marked ▲: above the client's assessed risk level.":
        "风险等级标 ▲：高于客户的风险承受等级。",
    "Values in {currency} at each review's exchange rates; institution shown under the "
    "product when it is not this bank.":
        "金额以 {currency} 计，按各次回顾时的汇率折算；非本行资产在产品名称下注明机构。",
    "New since the last review": "上次回顾后新增",
    "No holdings at this review.": "本次回顾无持仓。",
    "Value ({currency})": "市值（{currency}）",
    "{name} (liability)": "{name}（负债）",
    "Change: since the review of {date}.": "变动：与 {date} 的回顾相比。",
    "No longer held": "已不再持有",
    "Client": "客户本人",
    "These guides are set in the book's settings; a person without income has no "
    "income-based need.": "以上标准可在设置中调整；无收入的家庭成员不计算与收入挂钩的保障需求。",
    "Insurance cover": "保险保障",
    "Insured person": "被保险人",
    "Cover": "保障类型",
    "Sum assured": "保额",
    "Need": "需求",
    "Gap": "缺口",
    "Premiums: {premiums} a year, {share} of household income of {income} "
    "(guide: at most {limit}).":
        "保费：每年 {premiums}，占家庭年收入 {income} 的 {share}（建议不超过 {limit}）。",
    "Life: {n} times the person's annual income": "寿险：本人年收入的 {n} 倍",
    "the client's debts": "客户的负债",
    ", plus for the client: {items}": "，客户本人另加：{items}",
    "Double-ten rule: total cover about ten times the household's annual income, premiums "
    "at most {share} of it.":
        "双十原则：总保额约为家庭年收入的十倍，总保费不超过家庭年收入的 {share}。",
    "Critical illness: {n} times annual income.": "重疾险：年收入的 {n} 倍。",
    "Accident: {n} times annual income.": "意外险：年收入的 {n} 倍。",
    "Medical: at least {amount} for each family member.": "医疗险：每位家庭成员至少 {amount}。",
    "Amounts in {currency}; policies in force on the review date.":
        "金额以 {currency} 计；仅计回顾日有效的保单。",
    "How the need is worked out": "保障需求的计算方法",
    "annual income {amount}": "年收入 {amount}",
    "{amount} of education per child under 22": "每位 22 岁以下子女教育金 {amount}",
    "No cover and no need by the rules": "暂无保单，按规则亦无保障需求",
    "Covered": "已足额",
    ", ": "、",
    "Next steps": "后续安排",
    "Agreed next steps": "已约定的下一步",
    "Recent contacts": "近期联络",
    "Important information": "重要提示",
    "This review is prepared for the named client only and is based on the holdings and "
    "exchange rates recorded on the review date, including assets at other institutions as "
    "reported by the client. Market values change; past performance does not guarantee "
    "future results. Insurance needs are estimates from general guides, not advice on a "
    "particular policy. Investing involves risk, including the loss of principal; please "
    "read each product's documents before deciding.":
        "本回顾仅供文中所列客户本人使用，依据回顾日记录的持仓与汇率编制，其中他行资产由客户自行提供。"
        "市值会随市场变动，过往业绩不代表未来表现。保险需求为依据一般经验法则的估算，并非针对具体保单的建议。"
        "投资有风险，可能损失本金；决策前请详细阅读各产品的说明文件。",
    "Nothing matures in this period.": "此期间内没有到期的产品。",
    "No next step agreed yet.": "尚未约定下一步。",
    "No contact recorded yet.": "尚无联络记录。",
    "Maturing in the next {days} days": "未来 {days} 天内到期",
    "Date": "日期",
    "How": "方式",
    "What was discussed": "沟通内容",
    "Risk profile and suitability": "风险评估与适当性",
    "Suitability": "适当性",
    "These holdings carry a risk level above the client's assessed level; they are shown so "
    "that they can be discussed.": "以下持仓的风险等级高于客户的风险承受等级，特此列出以便沟通。",
    "No risk assessment on record: assess the client before recommending any product.":
        "尚无风险评估记录：推荐任何产品前请先完成评估。",
    "Every holding is within the client's risk level.": "所有持仓均在客户的风险承受等级之内。",
    "Product risk": "产品风险等级",
    "Client level": "客户等级",
    "The assessment has expired: it must be redone before any new investment.":
        "风险评估已过期：新增投资前须重新评估。",
    "The assessment is valid.": "风险评估在有效期内。",
    "Risk level: {level}": "风险承受等级：{level}",
    "Assessed on {date}, valid until {until}.": "评估日期 {date}，有效期至 {until}。",
    "Summary": "概览",
    "Worth talking about": "本次值得沟通的要点",
    "Nothing needs attention at this review.": "本次回顾没有需要特别关注的事项。",
    "Not included for want of an exchange rate: {codes}": "缺少汇率、未计入合计的币种：{codes}",
    "Change since {date}": "较 {date} 变动",
    # Commands
    "write one client's review pack (PDF)": "生成一位客户的资产回顾（PDF）",
    "Write a client's review pack as a PDF, by default for the latest snapshot, in the "
    "client's language.": "将客户的资产回顾生成为 PDF，默认使用最新快照和客户的语言。",
    "the review date (a snapshot date; default: the latest)": "回顾日期（快照日期；默认最新）",
    "language of the pack (default: the client's)": "回顾文件的语言（默认：客户的语言）",
    "encrypt with AES-256 and a generated password, shown once":
        "使用 AES-256 加密并生成随机密码（仅显示一次）",
    "encrypt with AES-256 and this password (12 characters or more; it stays in the shell's "
    "history: prefer --password-stdin)":
        "使用 AES-256 和此密码加密（至少 12 个字符；密码会留在命令历史中，建议用 --password-stdin）",
    "encrypt with AES-256 and the password read from standard input (its first line)":
        "使用 AES-256 加密，密码从标准输入读取（第一行）",
    "paper size (default: the book's setting)": "纸张大小（默认：设置中的纸张）",
    "the PDF file to write": "要写入的 PDF 文件",
    "write review packs for many clients": "批量生成客户的资产回顾",
    "Write one review pack per client into a folder, in parallel, with a summary at the end.":
        "为每位客户生成一份资产回顾并写入文件夹（并行处理），最后给出汇总。",
    "clients whose review is due by the end of the month": "截至月底应回顾的客户",
    "every client": "所有客户",
    "with --due: the month (default: this month)": "与 --due 一起使用：月份（默认本月）",
    "language of every pack (default: each client's)": "所有回顾文件的语言（默认：各客户的语言）",
    "processes to use (default: one per core)": "使用的进程数（默认：每个核心一个）",
    "the folder to write into": "要写入的文件夹",
    "Review pack of {date} for {client} written to {path}":
        "{client} 的 {date} 资产回顾已写入 {path}",
    "Writing packs": "正在生成资产回顾",
    "{written} packs written to {folder}, {skipped} skipped":
        "已写入 {written} 份资产回顾到 {folder}，跳过 {skipped} 份",
    "Password (shown only now; send it by another channel): {password}":
        "密码（仅显示这一次，请通过其他渠道告知客户）：{password}",
    "skipped {code} {name}: {reason}": "已跳过 {code} {name}：{reason}",
}
