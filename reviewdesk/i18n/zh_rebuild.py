"""Chinese messages: packs that can be rebuilt (as-of date, reference number), the risk
wording and glossary of the pack, and the book's settings from the command line."""

MESSAGES = {
    # The pack
    "Prepared on {date}": "编制日期：{date}",
    "Ref. {reference}": "文件编号 {reference}",
    "Risk levels": "风险等级说明",
    "Your risk tolerance (from the risk assessment)": "您的风险承受能力（依据风险测评）",
    "Product risk rating (low to high)": "产品风险等级（由低到高）",
    "A product suits you when its rating is not above your tolerance: a C3 (balanced) "
    "client, for example, may hold products rated R1 to R3. A holding above your level, "
    "or an expired assessment, is flagged in this review.":
        "产品风险等级不高于您的风险承受能力时，方与您相匹配：例如 C3（平衡型）客户可持有 "
        "R1 至 R3 级产品。高于您风险等级的持仓或已过期的风险测评，会在本回顾中特别标示。",
    "Wealth management products are not deposits; products carry risk; invest with care.":
        "理财非存款、产品有风险、投资须谨慎。",
    # Rebuilding a pack
    "no pack with reference {reference} is recorded in this book":
        "本客户簿中没有编号为 {reference} 的报告记录",
    "pack {reference}: its record lacks the as-of date or the paper, it cannot be rebuilt":
        "报告 {reference}：其记录缺少编制日期或纸张大小，无法重新生成",
    "pack {reference}: the book or its settings have changed since the pack was made, so "
    "it cannot be rebuilt as it was (made today with the same dates and options it would be "
    "{now}); nothing was written":
        "报告 {reference}：自该报告生成以来，客户簿或其设置已有变动，无法按原样重新生成"
        "（以相同日期和选项生成将得到 {now}）；未写入任何文件",
    "as of {date}: client {client!r} has no snapshot on or before that day; snapshots: "
    "{dates}":
        "截至 {date}：客户 {client!r} 在该日或之前没有快照；已有快照：{dates}",
    # The pack commands
    "--date {date} is after --as-of {as_of}: a pack cannot be prepared before its review "
    "date":
        "--date {date} 晚于 --as-of {as_of}：报告不能早于其回顾日期编制",
    "the day the pack is prepared on: maturities, contacts and the assessment's expiry are "
    "judged from it (default: today)":
        "报告的编制日期：到期提示、联络记录和风险测评是否过期均以该日为准（默认：今天）",
    "rebuild the recorded pack with this reference: its client, review date, as-of date, "
    "language and paper (instead of CLIENT)":
        "按此编号重新生成已记录的报告：沿用其客户、回顾日期、编制日期、语言和纸张（代替 CLIENT）",
    "the day the packs are prepared on (default: today)": "报告的编制日期（默认：今天）",
    "--reference: the record gives the client, dates, language and paper; leave out "
    "{options}":
        "--reference：客户、日期、语言和纸张均取自记录，请勿同时给出 {options}",
    "CLIENT: required (or --reference REF to rebuild a recorded pack)":
        "CLIENT：必须给出（或用 --reference REF 重新生成已记录的报告）",
    "Prepared on {date}, reference {reference}": "编制日期 {date}，文件编号 {reference}",
    "Reference of the pack: {reference}": "报告的文件编号：{reference}",
    "list the packs recorded for a client, with their references":
        "列出某位客户的报告记录及其文件编号",
    "List the review packs given to a client (saved, printed, emailed or shown), newest "
    "first, with what it takes to rebuild each: its reference, as-of date, language and "
    "paper.":
        "列出交给某位客户的回顾报告（保存、打印、发送邮件或展示），最新的在前，并列出重新生成"
        "所需的信息：文件编号、编制日期、语言和纸张。",
    "yes": "是",
    "As of": "编制日期",
    "Paper": "纸张",
    "Reference": "文件编号",
    "{n} packs recorded for {client}": "{client} 共有 {n} 份报告记录",
    # Settings from the command line
    "list, show or change the book's settings": "列出、查看或修改客户簿的设置",
    "The book's settings, shared by everyone using the book: without an action, list them "
    "all.":
        "客户簿的设置，由使用该客户簿的所有人共享；不带操作时列出全部设置。",
    "print one setting's value": "显示一项设置的值",
    "the setting, e.g. bank_name": "设置项，例如 bank_name",
    "change one setting (recorded in the audit trail)": "修改一项设置（记入审计记录）",
    "Change one setting. The value is checked as in the app; an empty value clears a name, "
    "a phone or the logo.":
        "修改一项设置。取值按应用程序中的规则检查；空值可清除名称、电话或标志。",
    "the new value": "新的取值",
    "list them as JSON": "以 JSON 格式列出",
    "Setting": "设置项",
    "Current value": "当前值",
    "Meaning": "含义",
    "is not a known setting; known: {keys}": "不是已知的设置项；已知设置项：{keys}",
    "warning: no bank name is set, so the pack's cover and header carry none; set it with "
    "`reviewdesk settings set bank_name NAME`":
        "提示：尚未设置银行名称，报告封面和页眉将不显示银行名称；"
        "可用 `reviewdesk settings set bank_name 名称` 设置",
    "No bank name is set: packs carry none on the cover and in the header. Set it in "
    "Settings.":
        "尚未设置银行名称：报告封面和页眉将不显示银行名称。请在“设置”中填写。",
    # The logo
    "the file cannot be read": "文件无法读取",
    "the file is larger than 10 MB": "文件大于 10 MB",
    "is not an image the pack can show (PNG or JPEG)": "不是报告可以显示的图片（PNG 或 JPEG）",
}
