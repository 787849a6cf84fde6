"""Chinese messages: packs for many clients at once (`reviewdesk packs`, the desktop batch)."""

MESSAGES = {
    "no snapshot yet": "尚无持仓快照",
    "could not be prepared: {error} (details in the log)": "无法生成：{error}（详情见日志）",
    "the file {name} cannot be written: {error}": "无法写入文件 {name}：{error}",
    "Only {written} of {total} packs were written (each one recorded): a process preparing "
    "them stopped unexpectedly; the details are in the log.":
        "共 {total} 份资产回顾，仅生成了 {written} 份（均已记录）：生成进程意外终止，详情见日志。",
    "Only {written} of {total} packs were written (each one recorded): the folder {folder} "
    "cannot be written to ({error}).":
        "共 {total} 份资产回顾，仅生成了 {written} 份（均已记录）：无法写入文件夹 {folder}（{error}）。",
    "Only {written} of {total} packs were written (each one recorded): the book could not be "
    "read ({error}).":
        "共 {total} 份资产回顾，仅生成了 {written} 份（均已记录）：无法读取客户簿（{error}）。",
    "The packs could not be prepared: an unexpected error ({error}); the details are in the "
    "log.":
        "无法生成资产回顾：发生意外错误（{error}），详情见日志。",
    "the book is open read-only ({reason}): no pack was written, since none could be "
    "recorded":
        "客户簿以只读方式打开（{reason}）：资产回顾无法记录，因此一份也未生成",
}
