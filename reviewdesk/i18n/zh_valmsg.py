"""Chinese messages: the book's refusals, translated when shown."""

MESSAGES = {
    "has more than {places} decimal places": "小数位超过 {places} 位",
    "must be between {low} and {high}": "必须在 {low} 到 {high} 之间",
    "is not a known currency ({known})": "不是已知币种（{known}）",
    "must be one of {choices}": "必须是以下之一：{choices}",
    "must be at least {minimum}": "不能小于 {minimum}",
    "must be at most {maximum}": "不能大于 {maximum}",
    "is not a known setting": "不是已知的设置项",
    "{field} “{value}”: {reason}": "{field}“{value}”：{reason}",
    "“{value}”: {reason}": "“{value}”：{reason}",
    "Score": "得分",
    # An import problem: where it is, the value, why.
    "{place}, {column}": "{place}，{column}",
    "{where}: {reason}": "{where}：{reason}",
    "{where}: {value} {reason}": "{where}：{value} {reason}",
}
