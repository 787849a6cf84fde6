"""Chinese messages: keeping in touch (agenda, calendar, segments, contacts, feedback)."""

MESSAGES = {
    # Days
    "Monday": "星期一",
    "Tuesday": "星期二",
    "Wednesday": "星期三",
    "Thursday": "星期四",
    "Friday": "星期五",
    "Saturday": "星期六",
    "Sunday": "星期日",
    "(today)": "（今天）",
    "(tomorrow)": "（明天）",
    # Commands
    "what is due today and in the coming days, and why": "今天和未来几天要做的事及原因",
    "Reviews and contacts due, birthdays, maturities, expired risk assessments and "
    "insurance renewals.": "到期的回顾和联络、生日、产品到期、过期的风险测评和保险续保。",
    "days ahead besides today (default 7)": "今天之后的天数（默认 7）",
    "the book by value: the 80/20 view and potential": "按价值看客户：二八分布与潜力客户",
    "Clients ranked by assets here and in total, the key clients who hold most of the assets "
    "here, suggested tier changes and clients with potential.":
        "按本行资产和总资产排名的客户、持有本行大部分资产的重要客户、建议的级别调整和潜力客户。",
    "rows of the ranking to print (default 20; JSON has all)":
        "打印的排名行数（默认 20；JSON 含全部）",
    "log a contact with a client": "记录一次客户联络",
    "Log a contact (phone, email, meeting...) with a client, with the client's feedback "
    "if any.": "记录与客户的一次联络（电话、邮件、面谈……），如有客户反馈一并记录。",
    "T phone, E email, M meeting, S SMS, C chat, O other":
        "T 电话，E 邮件，M 面谈，S 短信，C 聊天，O 其他",
    "the day of the contact (default today)": "联络日期（默认今天）",
    "what was said": "沟通内容",
    "what to do next": "下一步",
    "what the client said about us": "客户对我们的意见",
    "what the feedback is about (default other)": "反馈涉及的方面（默认其他）",
    "list a client's feedback": "列出客户的反馈",
    "What the client said about products and service, newest first.":
        "客户对产品和服务的意见，最新的在前。",
    "set a client's tier (key or standard)": "设置客户级别（重要或普通）",
    "Set a client's tier; the book records whether it follows the suggestion of "
    "`reviewdesk segments`.": "设置客户级别；系统会记录是否采纳了 `reviewdesk segments` 的建议。",
    "the new tier": "新的级别",
    # Agenda output
    "What": "事项",
    "Why": "原因",
    "Contact preference": "联络偏好",
    "{n} items from {start} to {end}": "{start} 至 {end} 共 {n} 项",
    "Nothing due from {start} to {end}.": "{start} 至 {end} 没有待办事项。",
    # Agenda kinds and reasons
    "Review overdue": "回顾逾期",
    "Review due": "回顾到期",
    "Contact overdue": "联络逾期",
    "Contact due": "联络到期",
    "Maturity": "产品到期",
    "Risk assessment expired": "风险测评已过期",
    "Risk assessment expiring": "风险测评即将过期",
    "Insurance renewal": "保险续保",
    "Never reviewed: a {cadence} review is due": "从未回顾：应做{cadence}回顾",
    "{cadence} review was due {due}; last review {last}":
        "{cadence}回顾应于 {due} 完成；上次回顾 {last}",
    "{cadence} review due; last review {last}": "{cadence}回顾到期；上次回顾 {last}",
    "No contact on record (contact every {every} days)": "没有联络记录（每 {every} 天联络一次）",
    "No contact for {gap} days (every {every} days); last contact {last}":
        "已 {gap} 天未联络（每 {every} 天一次）；上次联络 {last}",
    "Contact due (every {every} days); last contact {last}":
        "应联络（每 {every} 天一次）；上次联络 {last}",
    "Birthday: turns {age}": "生日：{age} 岁",
    "Birthday (born 29 February, kept on 28 February this year): turns {age}":
        "生日（2月29日出生，今年按2月28日）：{age} 岁",
    "{relation} {name}'s birthday: turns {age}": "{relation}{name}生日：{age} 岁",
    "{relation} {name}'s birthday (born 29 February, kept on 28 February this year): "
    "turns {age}": "{relation}{name}生日（2月29日出生，今年按2月28日）：{age} 岁",
    "{product} ({value}) matures {due}: call about reinvesting":
        "{product}（{value}）{due} 到期：致电商量续作",
    "{product} at {institution} ({value}) matures {due}: a chance to bring it here":
        "{institution}的{product}（{value}）{due} 到期：争取转入本行的机会",
    "Risk assessment ({level}) expired {due}: redo it before advising":
        "风险测评（{level}）已于 {due} 过期：推荐产品前须重新测评",
    "Risk assessment ({level}) expires {due}": "风险测评（{level}）将于 {due} 过期",
    "No risk assessment on file: assess before advising": "没有风险测评：推荐产品前须先测评",
    "{policy} policy ({insurer}) ends {due}: discuss renewal":
        "{policy}保单（{insurer}）{due} 到期：商量续保",
    "{policy} policy ({insurer}): renewal premium {premium} due {due}":
        "{policy}保单（{insurer}）：续期保费 {premium}，{due} 到期",
    # Segments
    "{share} of the assets here ({total}) are held by {k} of {n} clients ({pct}).":
        "本行资产（{total}）的 {share} 由 {n} 位客户中的 {k} 位持有（{pct}）。",
    "#": "#",
    "Client": "客户",
    "Suggested": "建议",
    "Assets here": "本行资产",
    "# by total": "总资产排名",
    "Cumulative": "累计占比",
    "... {n} more (use --top or --json)": "…… 另有 {n} 位（使用 --top 或 --json）",
    "Suggested tier changes (accept with `reviewdesk tier CLIENT TIER`):":
        "建议的级别调整（用 `reviewdesk tier 客户 级别` 采纳）：",
    "Clients with potential:": "潜力客户：",
    "Elsewhere": "他行资产",
    "Not valued (no exchange rate): {names}": "未估值（缺少汇率）：{names}",
    "Most financial assets are at other institutions ({share} here)":
        "金融资产大部分在他行（本行占 {share}）",
    "Total assets grew {growth} in a year": "总资产一年增长 {growth}",
    "{name}: tier {old} -> {new} (suggested: {suggested}).":
        "{name}：级别 {old} -> {new}（建议：{suggested}）。",
    # Contacts and feedback
    "Logged: {channel} with {name} on {day}.": "已记录：{day} 与{name}{channel}联络。",
    "Date": "日期",
    "Channel": "方式",
    "Topic": "方面",
    "Feedback": "反馈",
    "No feedback from {name} yet.": "{name}尚无反馈。",
    # Settings
    "Agenda: maturities, assessments and renewals ahead (days)":
        "待办：提前提示到期、测评和续保（天）",
    "Key clients: those who together hold this share of the assets here":
        "重要客户：合计持有本行资产的比例",
    "Potential: growth of total assets over a year at least": "潜力客户：总资产一年增长至少",
    # Pareto chart
    "Clients, largest first": "客户（由大到小）",
    "Cumulative share": "累计占比",
    "No assets held here yet": "本行尚无资产",
    "{k} of {n} clients ({pct}%) hold {share}% of the assets here":
        "{n} 位客户中的 {k} 位（{pct}%）持有本行 {share}% 的资产",
    "Assets here ({currency})": "本行资产（{currency}）",
    # Agenda page
    "Agenda": "待办",
    "Days ahead": "未来天数",
    "Group by": "分组",
    "Day": "按日期",
    "Kind": "按事项",
    "Refresh": "刷新",
    "Loading…": "正在加载……",
    "Start review": "开始回顾",
    "Log contact": "记录联络",
    "Open client": "打开客户",
    "{n} items from {start} to {end}; {urgent} overdue or expired":
        "{start} 至 {end} 共 {n} 项，其中 {urgent} 项逾期或过期",
    # Calendar page
    "Mo": "一",
    "Tu": "二",
    "We": "三",
    "Th": "四",
    "Fr": "五",
    "Sa": "六",
    "Su": "日",
    "Last contact": "上次联络",
    "Next due": "下次到期",
    "review": "回顾",
    "contact": "联络",
    "Today": "今天",
    "Previous": "上一个",
    "Next": "下一个",
    "Month": "月",
    "Quarter": "季",
    "All tiers": "全部级别",
    "All tags": "全部标签",
    "Longest without contact": "最久未联络",
    "Find a client": "查找客户",
    "T phone · E email · M meeting · S SMS · C chat · O other — click an empty day to log "
    "a contact, a marked day to edit it":
        "T 电话 · E 邮件 · M 面谈 · S 短信 · C 聊天 · O 其他 —— "
        "点击空白日期记录联络，点击已有记录可修改",
    "{name}, {day}: click to log a contact": "{name}，{day}：点击记录联络",
    "View": "视图",
    "Tag": "标签",
    "Sort": "排序",
    "Log a contact": "记录联络",
    "{year}-{month:02d}": "{year}年{month}月",
    "{year} Q{quarter}": "{year}年第{quarter}季度",
    "{shown} of {total} clients": "显示 {shown} / {total} 位客户",
    "Edit {channel}: {note}": "修改{channel}：{note}",
    "{days} days ago": "{days} 天前",
    "Next contact due: {day}": "下次联络：{day}",
    "Next review due: {day}": "下次回顾：{day}",
    "Next step: {text}": "下一步：{text}",
    "Feedback: {text}": "反馈：{text}",
    # Contact dialog
    "What was said": "沟通内容",
    "What the client said about a product or our service": "客户对产品或服务的意见",
    "Delete": "删除",
    "Save": "保存",
    "Cancel": "取消",
    "Unexpected error": "意外错误",
    "Edit contact": "修改联络记录",
    "Note": "备注",
    "Next step": "下一步",
    "Client feedback": "客户反馈",
    "Feedback on": "反馈方面",
    # Segments page
    "Clients by value": "客户价值分布",
    "Rank by": "排名依据",
    "Accept suggested tier": "采纳建议级别",
    "Keep current tier": "保留当前级别",
    "Suggested tier changes": "建议的级别调整",
    "Clients with potential": "潜力客户",
    "Saving…": "正在保存……",
    "Select one or more clients first.": "请先选择客户。",
    "{n} clients updated.": "已更新 {n} 位客户。",
    # Tags
    "likes new fund launches": "喜欢新发基金",
    "has children (invite to family events)": "有子女（邀请参加亲子活动）",
    "no calls during working hours": "工作时间勿电话",
    "prefers SMS": "偏好短信",
    "prefers email": "偏好邮件",
    "business owner": "企业主",
    "retirement planning": "退休规划",
    "assets abroad": "海外资产",
    "the tags in use, and tags to suggest": "使用中的标签和建议标签",
    "The tags in use with the number of clients carrying each, and the suggested tags not "
    "used yet.": "使用中的标签及各自的客户数，以及尚未使用的建议标签。",
    "Clients": "客户数",
    "No tags in use yet.": "尚未使用标签。",
    "Suggested: {tags}": "建议：{tags}",
}
