"""Chinese messages: settings."""

MESSAGES = {
    'Bank name': '银行名称',
    'Relationship manager': '客户经理',
    "Manager's phone": '客户经理电话',
    'Bank logo (image file)': '银行标志（图片文件）',
    'Paper size': '纸张大小',
    'Default currency': '默认币种',
    'Life cover: multiple of annual income': '寿险保额：年收入倍数',
    'Premiums: at most this share of annual income': '保费：不超过年收入的比例',
    'Critical illness cover: multiple of annual income': '重疾保额：年收入倍数',
    'Life cover must also clear debts': '寿险保额还应覆盖负债',
    'Education need per child under 22': '每名22岁以下子女的教育金需求',
    'Accident cover: multiple of annual income': '意外险保额：年收入倍数',
    'Medical cover: minimum sum assured': '医疗险：最低保额',
    'Risk assessment valid for (months)': '风险测评有效期（月）',
    'Maturities shown ahead (days)': '提前提示到期（天）',
    'Review cadence of key clients': '重要客户回顾频率',
    'Review cadence of standard clients': '普通客户回顾频率',
    'Contact at least every (days), key clients': '重要客户联络间隔（天）',
    'Contact at least every (days), standard clients': '普通客户联络间隔（天）',
}
