"""Russian and Arabic for mail-parser-reply, which knows neither: two of the UN's languages;
and the forms of Outlook and Foxmail in the members' languages that its entries miss.

A mail client writes the header above a quoted message in its own language.
Outlook marks nothing else (no `>`), so a header the parser cannot read
leaves the whole quoted thread in the "new" text, and its `ACTION:` lines are
recorded again. These entries follow the library's own (`MAIL_LANGUAGES`: the
same keys and conventions) and are added only where it has none, so that a
release bringing its own takes precedence.
"""

from __future__ import annotations

from mailparser_reply.constants import MAIL_LANGUAGES, QUOTED_MATCH_INCLUDE


def _header_block(fields: str) -> str:
    """Outlook's block of at least two `Field: value` lines (the library's own form),
    allowing the direction marks right-to-left clients put before a field."""
    return (
        r"((?:(?:^|\n|\n" + QUOTED_MATCH_INCLUDE + r")[*\u200e\u200f ]*(?:" + fields + r")"
        r"\s?:[ *]*(?:\s{,2}).*){2,}(?:\n.*){,1})"
    )


def _from_block(first: str, fields: str, colon: str = ":") -> str:
    """Outlook's block opening with its "From" field (`first`), then one or more of the
    others: stricter than `_header_block`, as its fields ("Fecha", "Date") open lines of
    ordinary mail too."""
    line = r"[*\u200e\u200f ]*(?:{})\s?" + colon + r"[ *]*.*"
    opening = r"(?:(?:^|\n|\n" + QUOTED_MATCH_INCLUDE + r")" + line.format(first) + r")"
    return r"(" + opening + r"(?:\n" + QUOTED_MATCH_INCLUDE + line.format(fields) + r"){1,})"


def _wrote(*forms: str) -> str:
    """An "X wrote:" line, in any of its forms."""
    return r"^(" + QUOTED_MATCH_INCLUDE + r"[\u200e\u200f]*(?:" + "|".join(forms) + r"))$"


# Every client's "X wrote:" line gives the time of the quoted mail; an ordinary
# sentence ending in ":" ("the chairman wrote:", "في مكتب ... :") does not.
_TIME = r"(?=.*\d{1,2}:\d{2})"

LANGUAGES: dict[str, dict[str, object]] = {
    "ru": {
        "wrote_header": _wrote(
            # Thunderbird "23.11.2026 09:00, Иван пишет:"; Apple Mail "... написал(а):"
            _TIME + r".{,200}?\s(?:пишет|написала?|написал\(а\)):",
            # Gmail "пн, 23 нояб. 2026 г. в 09:00, Иван <ivan@example.ru>:"
            r"(?:пн|вт|ср|чт|пт|сб|вс),\s.{,100}?\sг\.,?\sв\s\d{1,2}:\d{2},?\s.{,200}?:",
        ),
        "from_header": _header_block("От|Отправлено|Кому|Тема|Дата|Копия"),
        "disclaimers": ["Конфиденциально:", "Внимание:"],
        "signatures": ["С уважением", "С наилучшими пожеланиями", "Всего доброго"],
        # Only before a device or an app ("Отправлено с iPhone", "... из мобильной Почты"):
        # "Отправлено с опозданием, извините." is the sender's, and the lines below it too.
        "sent_from": r"Отправлено (?:с|из)(?= (?:моего |мобильно\w* )?(?:[a-z]|телефон|смартфон"
        r"|планшет|почты|яндекс))",
    },
    "ar": {
        "wrote_header": _wrote(
            # Gmail "في الاثنين، 23 نوفمبر 2026 في 9:00 ص كتب ... :" and its newer
            # "... تمت كتابة ما يلي بواسطة ...:"; Apple Mail "... كتب ...:". The word
            # itself, not its letters inside another ("مكتب", an office).
            _TIME + r".{,200}?(?:\sكتب(?=[\s:])|تمت كتابة ما يلي بواسطة).{,200}?:",
        ),
        "from_header": _header_block("من|تاريخ الإرسال|تم الإرسال|إلى|الموضوع|نسخة|التاريخ"),
        "disclaimers": ["تنبيه:", "سري:"],
        "signatures": ["مع التحية", "مع أطيب التحيات", "مع خالص التحيات", "وتفضلوا بقبول"],
        # Only before a device or an app ("أرسلت من iPhone", "تم الإرسال من جهاز ..."), as in
        # Russian above: "أرسلت من مكتبي أمس المسودة." (sent from my office) is a sentence.
        "sent_from": r"(?:أرسلت|تم الإرسال) من(?= (?:[a-z]|جهاز|هاتف|الهاتف|آيفون|الآيفون))",
    },
}


# Not a language: what Outlook and Foxmail write above a quoted message, in the
# members' languages, that the library's entries miss. Spanish Outlook's "Enviado el:"
# and French Outlook for Mac's "Date :" (the block was found only from the next field,
# its "De:" and date lines kept as the sender's own), and the line above the block of
# older Outlook and of Foxmail ("-----Mensaje original-----", "-----Message d'origine-----",
# "------------------ 原始邮件 ------------------"), kept as the sender's last line; so
# were the lines Gmail ("---------- Forwarded message ---------") and Apple Mail ("Begin
# forwarded message:", "Début du message réexpédié :") put above a forwarded message.
LANGUAGES["outlook"] = {
    "wrote_header": [
        r"^(" + QUOTED_MATCH_INCLUDE + r"-{5,}\s*(?:mensaje original|message d'origine|原始邮件"
        r"|原始郵件|исходное сообщение|الرسالة الأصلية|ursprüngliche nachricht|forwarded message"
        r"|message transféré|mensaje reenviado|пересылаемое сообщение|已转发邮件"
        r"|الرسالة المعاد توجيهها)\s*-{5,})$",
        r"^(" + QUOTED_MATCH_INCLUDE + r"(?:begin forwarded message|début du message réexpédié"
        r"|inicio del mensaje reenviado|начало переадресованного сообщения|开始转发的邮件"
        r"|بداية الرسالة المعاد توجيهها)\s*[:：])$",
    ],
    "from_header": [
        _from_block("De", "Enviado el|Enviado|Fecha|Para|Asunto|CC|CCO|Envoyé|Date|À|Objet|Cc"),
        # Chinese blocks the library's `zh` misses: a full-width colon (Alibaba Mail, Sina),
        # the date as "日期" (Outlook for Mac, Apple Mail), a subject spaced "主　题", and
        # the traditional-script regional variant of Outlook ("寄件者:", "收件者:", "主旨:").
        _from_block(
            "发件人|寄件者",
            r"发送时间|寄件日期|日期|收件人|收件者|主\s?题|主旨|抄送|副本",
            colon="[:：]",
        ),
    ],
}


# Not a language either: the closings and "sent from" lines of the members' languages that
# the library's entries miss ("Bien cordialement" where it has "Cordialement", "Saludos
# cordiales" where it has "Saludos,", Chinese "此致 / 敬礼"), kept as the sender's own lines:
# a meeting's minutes logged "Bien cordialement,", the name under it and "发自我的iPhone"
# as lines said, and under Russian Outlook's mobile line ("Получить Outlook для Android")
# the whole quoted thread. A signature runs to the end of the text, so a closing counts
# only as a whole line (with its comma), never as the opening words of a sentence.
_WHOLE_LINE = r"(?=[ \t]*[,，、.!！]?[ \t]*$)"
LANGUAGES["closings"] = {
    "signatures": [
        r"(?:best wishes|warm regards|with (?:best|kind) regards|bien cordialement"
        r"|tr[èe]s cordialement|meilleures salutations|sinc[èe]res salutations|bien [àa] vous"
        r"|(?:un |reciba un )?cordial saludo|saludos cordiales|cordiales saludos|此致|顺颂商祺"
        r"|顺祝商祺|祝好)" + _WHOLE_LINE
    ],
    # A sent-from line names the device ("Envoyé de mon iPhone", "发自我的华为手机"): a
    # sentence opening with the same words ("Envoyé de mon bureau hier soir...", "发自我的
    # 内心...") is the sender's, and the lines below it too.
    "sent_from": r"Envoy[ée] de mon(?= (?:iphone|ipad|appareil|smartphone|t[ée]l[ée]phone"
    r"|mobile|android|samsung|galaxy|huawei|xiaomi|honor))|发自我的(?=\s?[a-z]|\w{0,6}(?:手机|平板))"
    r"|Obtenir Outlook pour|Obtener Outlook para|Получить Outlook для",
}


def register() -> None:
    for code, patterns in LANGUAGES.items():
        MAIL_LANGUAGES.setdefault(code, patterns)  # type: ignore[arg-type]
