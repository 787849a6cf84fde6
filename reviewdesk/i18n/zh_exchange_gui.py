"""Chinese messages: Excel and CSV import and export in the desktop app."""

MESSAGES = {
    # Menus
    "Import from Excel or CSV…": "从 Excel 或 CSV 导入…",
    "Export book to Excel…": "将客户簿导出到 Excel…",
    "Write import template…": "生成导入模板…",
    "Export this client to Excel…": "将此客户导出到 Excel…",
    # File choosers
    "Import from Excel or CSV": "从 Excel 或 CSV 导入",
    "Workbooks and CSV files (*.xlsx *.csv);;All files (*)":
        "工作簿和 CSV 文件 (*.xlsx *.csv);;所有文件 (*)",
    "Export to Excel": "导出到 Excel",
    "Excel workbooks (*.xlsx)": "Excel 工作簿 (*.xlsx)",
    "Write import template": "生成导入模板",
    "ReviewDesk import template.xlsx": "ReviewDesk 导入模板.xlsx",
    "ReviewDesk {date}.xlsx": "ReviewDesk {date}.xlsx",
    "Save the import report": "保存导入报告",
    "Text files (*.txt)": "文本文件 (*.txt)",
    "import report": "导入报告",
    # The import dialog
    "All or nothing: if any row has a problem, every problem is listed here and nothing is "
    "imported. Rows already in the book (same client and dates) are left as they are.":
        "全部成功才导入：只要有一行有问题，这里会列出所有问题，且不导入任何数据。"
        "客户簿中已有的记录（同一客户、同一日期）保持不变。",
    "Files: {files}": "文件：{files}",
    "Check only (change nothing)": "仅检查（不做任何修改）",
    "Check": "检查",
    "Import": "导入",
    "Copy report": "复制报告",
    "Save report…": "保存报告…",
    "Sheet": "工作表",
    "Row": "行",
    "Column": "列",
    "Cell value": "单元格内容",
    "Warnings (nothing to fix before importing):": "提示（不影响导入）：",
    "Reading the files…": "正在读取文件…",
    "Reading {sheet}: {rows} rows…": "正在读取“{sheet}”：{rows} 行…",
    "Stopping: the book is being left as it was…": "正在停止：客户簿将保持原样…",
    "Cancelled: nothing was imported, the book is unchanged.":
        "已取消：未导入任何数据，客户簿保持不变。",
    "The import stopped: {error}. Nothing was imported, the book is unchanged.":
        "导入中止：{error}。未导入任何数据，客户簿保持不变。",
    "Checked: no problems found; nothing was changed yet.": "检查完毕：未发现问题；尚未做任何修改。",
    "Imported: the book now holds this data.": "导入完成：客户簿已包含这些数据。",
    "Imported: {files}": "已导入：{files}",
    "the book is open read-only ({reason}): nothing can be imported into it":
        "客户簿以只读方式打开（{reason}）：无法导入",
    # The export dialog
    "Exporting {what} to {file}": "正在将{what}导出到 {file}",
    "the whole book": "整个客户簿",
    "client {name}": "客户{name}",
    "Writing the workbook…": "正在写入工作簿…",
    "Writing {sheet}: {rows} of {total} rows…": "正在写入“{sheet}”：{rows} / {total} 行…",
    "Stopping: no file will be written…": "正在停止：不会写入任何文件…",
    "Cancelled: no file was written.": "已取消：未写入任何文件。",
    "Exported to {file}: {rows} rows": "已导出到 {file}：共 {rows} 行",
    "the book is open read-only ({reason}): an export is recorded in the book, so nothing "
    "was exported": "客户簿以只读方式打开（{reason}）：导出须记入客户簿，因此未导出任何内容",
}
