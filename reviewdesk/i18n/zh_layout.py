"""Chinese messages: pack layout, money notes, exchange rates, currency allocation, fonts."""

MESSAGES = {
    "Each amount is rounded to the smallest unit of {currency}; subtotals add up the rounded "
    "amounts shown.":
        "各金额按 {currency} 的最小货币单位四舍五入；小计为所列已取整金额之和。",
    "By currency": "按币种",
    "Share": "占比",
    "Currency pair": "货币对",
    "Rate": "汇率",
    "warning": "警告",
    "Exchange rates of {date}": "{date} 使用的汇率",
    "Characters that no embedded font has print as empty boxes: {chars}":
        "以下字符在内嵌字体中没有字形，将显示为空白方框：{chars}",
}
