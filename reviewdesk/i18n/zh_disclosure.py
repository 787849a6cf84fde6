"""Chinese messages: what the client may read of the contact log (shared notes, next steps)."""

MESSAGES = {
    # Review page, present mode and pack
    "No open next step.": "暂无待办的下一步。",
    "No contact to report.": "暂无可告知的联络记录。",
    "No date set": "未定期限",
    "Due by": "期限",
    "Agreed on": "约定日期",
    "Next steps and contacts are left out of the pack and present mode (book setting).":
        "按本簿设置，回顾报告和演示模式不显示下一步和联络记录。",
    "Internal, not shown to the client: {contacts} contact(s) and {steps} open next step(s). "
    "Share them in the contact's dialog.":
        "内部记录，不向客户展示：{contacts} 条联络、{steps} 项待办的下一步。"
        "可在联络记录对话框中设为告知客户。",
    # Settings
    "Pack and present mode: show the shared next steps and contacts":
        "回顾报告和演示模式：显示已告知客户的下一步和联络记录",
    # Contact dialog
    "Share this note with the client": "告知客户此记录内容",
    "Share the next step with the client": "告知客户下一步",
    "Next step due by": "下一步期限",
    "Next step done": "下一步完成",
    "Set": "设定",
    "Done on": "完成于",
    "Off: internal. The pack and present mode show only what is shared.":
        "不勾选即为内部记录。回顾报告和演示模式只显示告知客户的内容。",
    "{field}: {reason}": "{field}：{reason}",
    # Reasons of the book's rules
    "needs the next step itself": "需要先填写下一步",
    "needs the feedback itself": "需要先填写客户反馈",
    "is before the contact date": "早于联络日期",
    "must be yes or no": "只能是“是”或“否”",
    # Command line
    "the client may read this note in the pack and present mode (default: internal)":
        "客户可在回顾报告和演示模式中看到此记录（默认：内部）",
    "the client may read the next step (needs --next-step)":
        "客户可看到下一步（需同时给出 --next-step）",
    "the day the next step is due (needs --next-step)": "下一步的期限（需同时给出 --next-step）",
    "a client's open next steps; mark one done": "客户待办的下一步；标记完成",
    "The next steps not done yet, soonest due first, with the contact number to mark one "
    "done (--done).": "尚未完成的下一步，期限最近的在前，附联络编号，可用 --done 标记完成。",
    "mark this contact's next step done": "将此联络的下一步标记为完成",
    "open this contact's next step again": "重新打开此联络的下一步",
    "the day it was done (default today)": "完成日期（默认今天）",
    "--done and --reopen: give one of them": "--done 和 --reopen 只能给出其一",
    "--on needs --done CONTACT": "--on 需同时给出 --done 联络编号",
    "{option} needs --next-step TEXT": "{option} 需同时给出 --next-step 下一步内容",
    "Contact": "联络",
    "Client sees it": "告知客户",
    "yes": "是",
    "no": "否",
    "Done: the next step of contact {id}.": "已完成：联络 {id} 的下一步。",
    "Open again: the next step of contact {id}.": "已重新打开：联络 {id} 的下一步。",
    "{name} has no open next step.": "{name} 暂无待办的下一步。",
    # Workbook exchange
    "is not yes or no (yes/no, 是/否, 1/0)": "不是“是”或“否”（yes/no、是/否、1/0）",
    "Yes: the client may read the summary in the review pack. Blank: internal.":
        "是：客户可在回顾报告中看到联络内容。留空：内部记录。",
    "Yes: the client may read the next step in the review pack. Blank: internal.":
        "是：客户可在回顾报告中看到下一步。留空：内部记录。",
    "The day the next step is due.": "下一步的期限。",
    "The day the next step was done. Blank: still open.": "下一步的完成日期。留空：尚未完成。",
    "Yes or no (yes/no, 是/否, 1/0).": "是或否（yes/no、是/否、1/0）。",
}
