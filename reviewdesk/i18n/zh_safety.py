"""Chinese messages: safety (encryption, backups, locking, audit trail, privacy)."""

MESSAGES = {
    'This is a demo book and it is not encrypted. Before you keep real clients in it, '
    'encrypt it: reviewdesk passphrase':
        '这是演示客户簿，未加密。存放真实客户之前请先加密：reviewdesk passphrase',
    'The passphrase kept in the keyring no longer opens this book.':
        '系统钥匙串中保存的口令已无法打开此客户簿。',
    '{book} is encrypted: set {env} or type the passphrase':
        '{book} 已加密：请设置 {env} 或输入口令',
    '{book} is open read-only: {reason}': '{book} 以只读方式打开：{reason}',
    'a new book is encrypted: set {env} or type a passphrase, or choose an unencrypted book '
    'with --plain':
        '新客户簿默认加密：请设置 {env} 或输入口令，或用 --plain 选择不加密的客户簿',
    'the audit trail is append-only: an entry cannot be changed or deleted':
        '审计记录只能追加：不能修改或删除记录',
    'this field is switched off in the settings: the bank does not collect it':
        '此字段已在设置中关闭：本行不收集该信息',
    "only a book file can be backed up here; use the database server's own backups":
        '这里只能备份客户簿文件；数据库服务器请使用其自身的备份功能',
    'the backup cannot replace the book itself': '备份文件不能覆盖客户簿本身',
    'only a book file can be restored': '只能恢复客户簿文件',
    'a book cannot be restored from itself': '客户簿不能从自身恢复',
    'the restored copy differs from the backup: nothing was restored':
        '恢复出的副本与备份不一致：未做任何恢复',
    '{file} is empty or missing: not a backup': '{file} 为空或不存在：不是备份',
    'the book is open read-only ({reason}): nothing was restored':
        '客户簿以只读方式打开（{reason}）：未做任何恢复',
    '{file} is encrypted: a passphrase is needed': '{file} 已加密：需要口令',
    '{file} does not open with this passphrase, or is damaged: refused (a backup keeps the '
    'passphrase the book had when it was made)':
        '{file} 无法用此口令打开，或已损坏：拒绝恢复（备份保留制作时客户簿的口令）',
    '{file} is not a ReviewDesk book: refused': '{file} 不是 ReviewDesk 客户簿：拒绝恢复',
    '{file} is damaged ({problem}): refused': '{file} 已损坏（{problem}）：拒绝恢复',
    'the passphrase is empty': '口令为空',
    'the passphrase cannot contain a NUL character': '口令不能包含 NUL 字符',
    'the SQLite library loaded is not SQLCipher: the book cannot be encrypted':
        '加载的 SQLite 库不是 SQLCipher：无法加密客户簿',
    'the SQLCipher key derivation is weaker than expected': 'SQLCipher 的密钥派生强度低于要求',
    'encrypted books need the sqlcipher3 package: {error}':
        '加密客户簿需要 sqlcipher3 软件包：{error}',
    'the passphrase is wrong for {book} (or the file is not a ReviewDesk book); '
    'nothing was changed':
        '{book} 的口令错误（或该文件不是 ReviewDesk 客户簿）；未做任何更改',
    'opened read-only': '以只读方式打开',
    'the file is read-only': '文件为只读',
    'its folder is read-only': '所在文件夹为只读',
    'the book could not be saved: the disk is full (database or disk is full); nothing was '
    'changed, free some space and try again':
        '客户簿无法保存：磁盘已满（database or disk is full）；未做任何更改，请释放空间后重试',
    'the book could not be read or saved: disk I/O error; nothing was changed, check the '
    'drive or share and try again':
        '客户簿无法读取或保存：磁盘读写错误（disk I/O error）；未做任何更改，请检查磁盘或共享后重试',  # noqa: E501
    'the book is open read-only: the change was not saved': '客户簿以只读方式打开：更改未保存',
    'a new book is encrypted: a passphrase is needed (or choose a plain book)':
        '新客户簿默认加密：需要口令（或选择不加密的客户簿）',
    'encrypted': '已加密',
    'not encrypted': '未加密',
    'only a book file can be encrypted': '只能加密客户簿文件',
    "the book file is damaged ({error}); restore a backup with 'reviewdesk restore'":
        "客户簿文件已损坏（{error}）；请用 'reviewdesk restore' 恢复备份",
    'the book is open read-only ({reason}): the change was not saved':
        '客户簿以只读方式打开（{reason}）：更改未保存',
    '{book} is encrypted: a passphrase is needed': '{book} 已加密：需要口令',
    '{book} does not exist and cannot be created read-only': '{book} 不存在，无法以只读方式创建',
    'open by {holder}': '已被 {holder} 打开',
    'read-only: {reason}': '只读：{reason}',
    'the book is open read-only ({reason}): the passphrase was not changed':
        '客户簿以只读方式打开（{reason}）：口令未更改',
    'the encrypted copy failed its check; the book is unchanged': '加密副本未通过检查；客户簿未改变',  # noqa: E501
    '{book} needs an upgrade and is open read-only ({reason})':
        '{book} 需要升级，但以只读方式打开（{reason}）',
    'there is no system keyring on this computer': '此电脑没有系统钥匙串',
    'the passphrase could not be kept in the keyring: {error}': '口令无法保存到钥匙串：{error}',
    'make a new book unencrypted (a new book is encrypted by default)':
        '新建不加密的客户簿（新客户簿默认加密）',
    'open the book read-only: nothing can be changed': '以只读方式打开客户簿：不能做任何更改',
    'Passphrase: ': '口令：',
    'New passphrase: ': '新口令：',
    'write a checked backup of the book to FILE': '将经过检查的客户簿备份写入 FILE',
    "Write a consistent backup of the book to FILE (encrypted with the book's passphrase "
    "when the book is encrypted).":
        '将客户簿的一致备份写入 FILE（客户簿加密时，备份用同一口令加密）。',
    'the backup file to write': '要写入的备份文件',
    'replace the book with a checked backup': '用经过检查的备份替换客户簿',
    'the backup file to restore': '要恢复的备份文件',
    "change the book's passphrase (or encrypt a plain book)": '更改客户簿口令（或加密未加密的客户簿）',  # noqa: E501
    'only keep the current passphrase in the system keyring': '仅将当前口令保存到系统钥匙串',
    'only remove the passphrase from the system keyring': '仅从系统钥匙串删除口令',
    'show the audit trail, of one client or of the book': '显示审计记录（单个客户或整个客户簿）',
    'Show who changed or disclosed what, and when.': '显示谁在何时更改或披露了什么。',
    'client id, code or exact name (default: the whole book)':
        '客户编号、代码或完整姓名（默认：整个客户簿）',
    'print CSV': '输出 CSV',
    'Passphrase again: ': '再次输入口令：',
    'The passphrase is kept in the system keyring.': '口令已保存到系统钥匙串。',
    'the new passphrase is empty: nothing was changed': '新口令为空：未做任何更改',
    'New passphrase again: ': '再次输入新口令：',
    'the two passphrases differ: nothing was changed': '两次输入的口令不一致：未做任何更改',
    'the two passphrases differ: nothing was created': '两次输入的口令不一致：未创建任何内容',
    'Backup written: {file} ({rows} rows, {state}, checked)':
        '备份已写入：{file}（{rows} 行，{state}，已检查）',
    'Restored from {file}. The book as it was is kept as {kept}.':
        '已从 {file} 恢复。恢复前的客户簿保存为 {kept}。',
    'The passphrase was removed from the keyring.': '口令已从钥匙串删除。',
    'No passphrase was kept in the keyring.': '钥匙串中没有保存口令。',
    'the book is not encrypted: there is no passphrase to keep': '客户簿未加密：没有可保存的口令',
    'When (UTC)': '时间（UTC）',
    'Who': '操作人',
    'Action': '操作',
    'Record': '记录',
    'Field': '字段',
    'Old value': '原值',
    'New value': '新值',
    'Detail': '详情',
    '{n} entries': '{n} 条记录',
    'Replace the book with the backup in FILE. The backup is checked first; the replaced '
    'book is kept as a backup. A backup made under an older passphrase: set {env}.':
        '用 FILE 中的备份替换客户簿。先检查备份；被替换的客户簿另存为备份。'
        '使用旧口令制作的备份：请设置 {env}。',
    'Re-key the book under a new passphrase, read from {env} or typed twice. A plain book '
    'becomes encrypted.':
        '用新口令重新加密客户簿，新口令取自 {env} 或输入两次。未加密的客户簿将被加密。',
    'A new encrypted book: {book}': '新的加密客户簿：{book}',
    '{file} already exists: choose a new file name': '{file} 已存在：请选择新的文件名',
    '{file} does not exist': '{file} 不存在',
    "The backup does not open with the book's passphrase; type the backup's passphrase.":
        '备份无法用客户簿的口令打开；请输入备份的口令。',
    'no new passphrase: set {env} or run this on a terminal': '没有新口令：请设置 {env} 或在终端中运行',  # noqa: E501
    'Keep the passphrase in the system keyring? [y/N] ': '将口令保存到系统钥匙串？[y/N] ',
    'Keep automatic backups for (days)': '自动备份保留（天）',
    "Collect clients' ID numbers": '收集客户证件号码',
    'Collect account numbers of holdings': '收集持仓账号',
    'Collect insurance policy numbers': '收集保单号',
    'Collect income (client and family)': '收集收入（客户及家庭成员）',
    'Collect birthdays (client and family)': '收集生日（客户及家庭成员）',
    'Collect home addresses': '收集家庭住址',
    'Collect hobbies and special notes': '收集兴趣爱好和特别备注',
    'the pack is not encrypted with AES-256: it cannot be attached to an email':
        '资产回顾未使用 AES-256 加密：不能作为邮件附件',
    'the pack does not open with its password: not attached': '资产回顾无法用其密码打开：未附加',
    "the draft would contain the pack's password: not written": '草稿中会包含资产回顾的密码：未写入',  # noqa: E501
    'The passphrase was changed; {n} backups now use it too.': '口令已更改；{n} 个备份也已改用新口令。',  # noqa: E501
    'The book is now encrypted; {n} backups were encrypted too.': '客户簿现已加密；{n} 个备份也已加密。',  # noqa: E501
    'show account, ID and policy numbers whole (the reveal is recorded)':
        '完整显示账号、证件号和保单号（显示操作会被记录）',
    'write an email draft (.eml) with the encrypted pack': '生成附有加密资产回顾的邮件草稿（.eml）',
    "Write an email draft with the client's review pack attached, encrypted with AES-256 and "
    "a random password shown once here, never written into the draft.":
        '生成附有客户资产回顾的邮件草稿；文件以 AES-256 和随机密码加密，'
        '密码只在此显示一次，绝不写入草稿。',
    'the review date (default: the latest snapshot)': '回顾日期（默认：最近一次快照）',
    "the recipient (default: the client's email address)": '收件人（默认：客户的电子邮箱）',
    'language of the pack': '资产回顾的语言',
    'the draft to write': '要写入的草稿文件',
    'Your review of {date}': '您 {date} 的资产回顾',
    'Please find your review pack attached. It is protected by a password, which I will give '
    'you separately.':
        '附件是您的资产回顾。文件设有密码，我会另行告知。',
    '{file}: cannot write: {error}': '{file}：无法写入：{error}',
    'Email draft written to {path}; open it in your mail program to send it.':
        '邮件草稿已写入 {path}；请在邮件程序中打开并发送。',
    'Password (shown only now; give it to the client by another channel): {password}':
        '密码（只显示这一次；请通过其他渠道告知客户）：{password}',
}
