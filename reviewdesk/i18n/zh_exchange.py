"""Chinese messages: Excel and CSV import, export and template."""

MESSAGES = {
    # Command line
    "Importing": "正在导入",
    "write an empty workbook in the import format": "生成导入格式的空白工作簿",
    "Write an empty workbook in the import format, with a comment on each column and "
    "drop-down lists.": "生成导入格式的空白工作簿，每列带说明批注和下拉列表。",
    "the workbook to write": "要写入的工作簿",
    "language of sheet and column names (default: the interface language)":
        "工作表和列名的语言（默认：界面语言）",
    "import workbooks or CSV files into the book": "将工作簿或 CSV 文件导入客户簿",
    "Import an .xlsx workbook, or one .csv file per sheet. All or nothing: with any problem, "
    "every problem is listed and the book is left unchanged.":
        "导入 .xlsx 工作簿，或每个工作表一个 .csv 文件。全部成功才导入：只要有问题，"
        "就列出所有问题，客户簿保持不变。",
    ".xlsx or .csv files": ".xlsx 或 .csv 文件",
    "check and report, but change nothing": "只检查并报告，不做任何修改",
    "export the book or one client as a workbook": "将客户簿或单个客户导出为工作簿",
    "Export the whole book, or one client, as a workbook in the import format.":
        "将整个客户簿或单个客户导出为导入格式的工作簿。",
    "only this client (id, code or name)": "仅此客户（编号、代码或姓名）",
    "Dry run: no problems found; nothing was changed.": "试运行：未发现问题；未做任何修改。",
    "Template written: {file}": "模板已生成：{file}",
    "Nothing to change: the book already holds this data.": "无需修改：客户簿中已有这些数据。",
    "Exported to {file}:": "已导出到 {file}：",
    "{file}: the file name must end in .xlsx": "{file}：文件名必须以 .xlsx 结尾",
    "warning: {message}": "提示：{message}",
    "{n} problems; nothing was imported, the book is unchanged.":
        "共 {n} 个问题；未导入任何数据，客户簿保持不变。",
    "1 problem; nothing was imported, the book is unchanged.":
        "共 1 个问题；未导入任何数据，客户簿保持不变。",
    "{sheet}: {n} rows": "{sheet}：{n} 行",
    "Imported into {book}.": "已导入 {book}。",
    # Report
    "(empty)": "（空）",
    "row {row}": "第 {row} 行",
    "{sheet}: {added} added, {updated} updated, {unchanged} unchanged":
        "{sheet}：新增 {added}，更新 {updated}，未变 {unchanged}",
    "{sheet}: {rows} rows; snapshots: {added} added, {updated} replaced, {unchanged} unchanged":
        "{sheet}：{rows} 行；资产快照：新增 {added}，替换 {updated}，未变 {unchanged}",
    # Problems
    "is not a client in the book or in the Clients sheet": "不是客户簿或客户表中的客户",
    "is required": "为必填项",
    "is the same currency as the one converted from": "与原币种相同",
    "no snapshot of this date is imported; these rates were not stored":
        "本次导入没有该日期的资产快照；这些汇率未保存",
    "has no exchange rate to {currency} for {date}: add it to the FX sheet":
        "缺少 {date} 到 {currency} 的汇率：请在汇率表中补充",
    "several family members of this client have this name; add the relation, e.g. {example}":
        "该客户有多位家庭成员同名；请注明关系，例如 {example}",
    "is given twice (first in row {row})": "重复出现（首次在第 {row} 行）",
    "is given twice for this client (first in row {row})": "该客户下重复出现（首次在第 {row} 行）",
    "this rate is given twice (first in row {row})": "该汇率重复出现（首次在第 {row} 行）",
    "client {code} has no snapshot on this date": "客户 {code} 在该日期没有资产快照",
    "the same policy is given twice (first in row {row})": "同一保单重复出现（首次在第 {row} 行）",
    "the same contact is given twice (first in row {row})":
        "同一联络记录重复出现（首次在第 {row} 行）",
    "this client has two assessments on this date (first in row {row})":
        "该客户在同一日期有两次测评（首次在第 {row} 行）",
    "cannot be read: {error}": "无法读取：{error}",
    "is neither the client ({name}) nor one of the client's family members":
        "既不是客户本人（{name}），也不是其家庭成员",
    "is not a JSON object such as {example}": "不是 JSON 对象（例如 {example}）",
    "duplicate snapshot: this client's rows for this date were already given (row {rows}); "
    "the rows of one snapshot must be next to each other":
        "重复的资产快照：该客户该日期的资产已在前面给出（第 {rows} 行）；同一快照的行必须连续",
    "is not text": "不是文本",
    "is not a date": "不是日期",
    "is not a finite number": "不是有限数值",
    "is a date, not text": "是日期，不是文本",
    "is longer than 40 characters": "超过 40 个字符",
    "is not an amount": "不是金额",
    "is too large": "数值过大",
    "is not a whole number": "不是整数",
    "is not a date (e.g. 2026-03-31 or 2026年3月31日)":
        "不是日期（例如 2026-03-31 或 2026年3月31日）",
    "is not an amount (e.g. 1,234.50 or 12.5万)": "不是金额（例如 1,234.50 或 12.5万）",
    "is not a day of the calendar": "不是有效的日期",
    "has a tag longer than 80 characters": "有超过 80 个字符的标签",
    "is not one of the allowed values": "不是允许的取值",
    "is not one of: {values}": "不是以下取值之一：{values}",
    "no such file": "文件不存在",
    "is a required column and is missing": "是必需的列，但缺失",
    "is neither an .xlsx workbook nor a .csv file": "既不是 .xlsx 工作簿也不是 .csv 文件",
    "is not a column of this sheet; it was ignored": "不是此工作表的列，已忽略",
    "appears twice in the header": "在表头中出现两次",
    "is given twice (also in {origin})": "重复提供（{origin} 中也有）",
    "is not a sheet of the format; it was ignored": "不是导入格式中的工作表，已忽略",
    "the file name does not say which sheet it holds (e.g. Clients.csv or 客户.csv)":
        "文件名未说明对应哪个工作表（例如 Clients.csv 或 客户.csv）",
    "cannot be read as an Excel workbook: {error}": "无法作为 Excel 工作簿读取：{error}",
    # The book's rules, as reported per row
    "must be text": "必须是文本",
    "must not be negative": "不能为负数",
    "must be greater than zero": "必须大于零",
    "is not a number": "不是数字",
    "is in the future": "是未来的日期",
    "must be a whole number": "必须是整数",
    "is not an email address": "不是有效的邮箱地址",
    "is before the start date": "早于生效日期",
    "is before the assessment date": "早于测评日期",
    "this client already has a snapshot on that date": "该客户在该日期已有资产快照",
    "is not a family member of this client": "不是该客户的家庭成员",
    "amounts must be exact decimals, not floats": "金额必须是精确小数，不能是浮点数",
    "has more than {0} decimal places": "小数位超过 {0} 位",
    "must be between {0} and {1}": "必须在 {0} 到 {1} 之间",
    "is not a known currency ({0})": "不是已知币种（{0}）",
    # Column help (template comments)
    "The client's code in the book.": "客户在客户簿中的编号。",
    "Full name.": "姓名。",
    "Phone number.": "电话号码。",
    "Email address.": "邮箱地址。",
    "Postal address.": "通信地址。",
    "Date of birth.": "出生日期。",
    "Occupation.": "职业。",
    "Employer.": "工作单位。",
    "Hobbies, free text.": "爱好，自由填写。",
    "Annual income, in the report currency.": "年收入，以报告币种计。",
    "Marital status.": "婚姻状况。",
    "Key clients are reviewed monthly, standard ones quarterly. Blank: standard.":
        "重要客户每月回顾，普通客户每季度回顾。留空：普通。",
    "Review cadence. Blank: follow the tier.": "回顾频率。留空：按客户等级。",
    "Currency of the review pack (ISO code). Blank: the book's default currency.":
        "回顾报告使用的币种（ISO 代码）。留空：客户簿的默认币种。",
    "Language of the review pack. Blank: Chinese.": "回顾报告的语言。留空：中文。",
    "Tags, separated by ; or ；or 、": "标签，用 ; 或 ；或 、 分隔",
    "Things to watch out for.": "需要特别注意的事项。",
    "How and when the client likes to be contacted.": "客户希望的联系方式和时间。",
    "Contact at least every this many days (1-366). Blank: the book's setting.":
        "至少每隔多少天联络一次（1-366）。留空：按客户簿设置。",
    "Family member's full name.": "家庭成员姓名。",
    "Relation to the client.": "与客户的关系。",
    "School or employer.": "学校或工作单位。",
    "Annual income.": "年收入。",
    "Date of the review; the rows of one client and date form one snapshot and must be next "
    "to each other.": "回顾日期；同一客户同一日期的各行构成一个资产快照，必须连续排列。",
    "Kind of asset.": "资产类别。",
    "Product name.": "产品名称。",
    "Product code.": "产品代码。",
    "Where it is held: blank or 本行 for this bank, or the other institution's name.":
        "持有机构：留空或填“本行”表示本行，否则填写其他机构名称。",
    "Currency of the amounts (ISO code).": "金额的币种（ISO 代码）。",
    "Market value on the review date.": "回顾日的市值。",
    "Amount invested.": "投入本金。",
    "Held since.": "开始持有的日期。",
    "Maturity date.": "到期日。",
    "Product risk rating, R1 (low) to R5 (high).": "产品风险等级，R1（低）至 R5（高）。",
    "Review date the rate is used for.": "该汇率适用的回顾日期。",
    "Currency converted from (ISO code).": "原币种（ISO 代码）。",
    "Currency converted to (ISO code).": "目标币种（ISO 代码）。",
    "1 unit of the first currency in the target currency, e.g. USD to CNY 7.10.":
        "1 单位原币种折合目标币种的数额，例如 USD 兑 CNY 为 7.10。",
    "Blank: the rate is used by every snapshot of that date; otherwise only by this client's.":
        "留空：该日期的所有资产快照都使用此汇率；否则仅用于该客户。",
    "The client's name or a family member's name. Blank: the client.":
        "客户本人或其家庭成员的姓名。留空：客户本人。",
    "Kind of cover.": "保障类型。",
    "Insurance company.": "保险公司。",
    "Sum assured.": "保额。",
    "Premium per year.": "每年保费。",
    "Years of premium payments (1-100).": "缴费年数（1-100）。",
    "Start of cover.": "保障开始日期。",
    "End of cover. Blank: for life.": "保障截止日期。留空：终身。",
    "Currency of the policy (ISO code). Blank: CNY.": "保单币种（ISO 代码）。留空：CNY。",
    "Policy number.": "保单号。",
    "Date of the contact.": "联络日期。",
    "T phone, E email, M meeting, S SMS, C chat, O other.":
        "T 电话，E 邮件，M 面谈，S 短信，C 即时通讯，O 其他。",
    "What was discussed.": "沟通内容。",
    "Agreed next step.": "约定的下一步。",
    "What the client said about products or service.": "客户对产品或服务的意见。",
    "What the feedback is about.": "反馈涉及的方面。",
    "Date of the assessment.": "测评日期。",
    "Assessed level, C1 (conservative) to C5 (aggressive).": "测评等级，C1（保守）至 C5（进取）。",
    "Questionnaire score (0-1000).": "问卷得分（0-1000）。",
    "Valid until. Blank: the book's validity period after the assessment.":
        "有效期至。留空：按客户簿设置的有效期自测评日起算。",
    "Questionnaire answers as JSON.": "问卷答案（JSON 格式）。",
    # Template formats
    "Text.": "文本。",
    "Text, one code per client (e.g. C00001).": "文本，每位客户一个编号（例如 C00001）。",
    "Number, or text such as 1,234.50, ¥1,234.50, 12.5万 or 1.2亿.":
        "数字，或如 1,234.50、¥1,234.50、12.5万、1.2亿 的文本。",
    "Number, e.g. 7.10.": "数字，例如 7.10。",
    "Whole number.": "整数。",
    "Date: an Excel date, 2026-03-31 or 2026年3月31日.":
        "日期：Excel 日期、2026-03-31 或 2026年3月31日。",
    "Text; several tags separated by ; or ；or 、": "文本；多个标签用 ; 或 ；或 、 分隔",
    "ISO currency code.": "ISO 币种代码。",
    "JSON object.": "JSON 对象。",
    "One of the listed values.": "从列出的取值中选择。",
    "Required.": "必填。",
    "Optional.": "选填。",
    "Choose a value from the list.": "请从列表中选择。",
    "Allowed: {values}": "可选值：{values}",
}
