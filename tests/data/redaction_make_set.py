"""Regenerate tests/data/redaction_labelled.yaml: seeded synthetic secrets in en/ru/zh sentences plus
hand-written look-alike negatives. Run once; the YAML is the committed, reviewed artefact.

    .venv/bin/python tests/data/redaction_make_set.py
"""

from __future__ import annotations

import base64
import json
import random
import string
from pathlib import Path

import yaml

RNG = random.Random(20261122)
UP = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "/+"
URLSAFE = ALNUM + "-_"


def pick(chars: str, n: int) -> str:
    return "".join(RNG.choice(chars) for _ in range(n))


def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(RNG.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for d in string.digits:
        digits = body + d
        total = 0
        for i, ch in enumerate(reversed(digits)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return digits
    raise AssertionError


def group(num: str, sizes: list[int], sep: str) -> str:
    out, pos = [], 0
    for s in sizes:
        out.append(num[pos : pos + s])
        pos += s
    return sep.join(out)


FRAMES = {
    "en": [
        "Customer wrote: {s}, please check.",
        "Log line shows {s} before the crash",
        "Contact them via {s}",
        "Found in the config: {s}",
        "The ticket says {s} (pasted by the user)",
    ],
    "ru": [
        "Клиент прислал: {s}, посмотрите.",
        "В логе видно {s} перед падением",
        "Связаться можно так: {s}",
        "В конфиге нашли: {s}",
        "В тикете указано {s} (вставил пользователь)",
    ],
    "zh": [
        "客户提供了{s}，请核查。",
        "日志里出现了 {s}，随后服务崩溃",
        "联系方式：{s}",
        "配置文件中发现：{s}",
        "工单里写着{s}（用户粘贴的）",
    ],
}


def framed(secret_text: str) -> str:
    lang = RNG.choice(list(FRAMES))
    return RNG.choice(FRAMES[lang]).format(s=secret_text)


def positives() -> list[dict]:
    items: list[dict] = []

    def add(kind: str, value: str, text: str | None = None, note: str = "") -> None:
        items.append({"text": text or framed(value), "secrets": [{"kind": kind, "value": value}], "note": note})

    first = ["anna", "li.wei", "s.petrov", "zhang_min", "d.kim", "ops", "oncall+pager", "ivan.ivanov", "wang.fang"]
    doms = ["example.com", "acme-retail.example", "mail.ru", "qq.com", "corp.example.cn", "yandex.ru", "163.com"]
    for _ in range(15):
        add("email", f"{RNG.choice(first)}{RNG.choice(['', str(RNG.randint(1, 99))])}@{RNG.choice(doms)}")
    add("email", "zhang.wei@example.cn", "请联系zhang.wei@example.cn获取日志", "glued to Chinese text")
    add("email", "Sergey.Petrov@company.example.ru", "Пишите на Sergey.Petrov@company.example.ru.", "trailing period")

    phones = [
        "+1 202 555 0143",
        "+1-202-555-0188",
        "+44 20 7946 0958",
        "+49 30 901820",
        "+49 151 23456789",
        "+86 138 0013 8000",
        "+86-10-8888-6666",
        "+7 (495) 123-45-67",
        "+7 916 123 45 67",
        "+79161234567",
        "8 (495) 987-65-43",
        "8 916 555-12-34",
        "89035551234",
        "8-926-111-22-33",
        "13812345678",
        "139 1234 5678",
        "186-0000-1234",
        "010-12345678",
        "0755-86013388",
        "021-63456789",
        "(555) 123-4567",
        "+33 1 42 68 53 00",
        "+81 3-1234-5678",
        "+65 6123 4567",
        "+852 2123 4567",
    ]
    for p in phones:
        add("phone", p)
    add("phone", "13912345678", "手机13912345678，随时可联系", "CN mobile glued to Chinese text")

    for prefix in ["AKIA"] * 7 + ["ASIA"] * 3:
        add("aws_access_key_id", prefix + pick(UP, 16))
    for _ in range(8):
        secret = pick(B64, 40)
        key = RNG.choice(["aws_secret_access_key = ", "AWS_SECRET_ACCESS_KEY=", "secret key: ", '"SecretAccessKey": "'])
        add("aws_secret_key", secret, framed(key + secret + ('"' if key.endswith('"') else "")))
    for _ in range(8):
        add("alibaba_access_key_id", "LTAI" + pick(ALNUM, RNG.choice([16, 18, 20])))
    for _ in range(4):
        secret = pick(ALNUM, 30)
        add("alibaba_access_key_secret", secret, framed(f"AccessKeySecret={secret}"))
    for _ in range(8):
        add("gcp_api_key", "AIza" + pick(URLSAFE, 35))

    for n in range(5):
        body = "\n".join(pick(B64, 64) for _ in range(RNG.randint(2, 5)))
        label = RNG.choice(["", "RSA ", "EC "])
        pem = f"-----BEGIN {label}PRIVATE KEY-----\n{body}\n-----END {label}PRIVATE KEY-----"
        if n == 3:
            text = json.dumps({"type": "service_account", "private_key": pem + "\n"})
            value = pem.replace("\n", "\\n")
            add("private_key", value, text, "service-account JSON with escaped newlines")
        else:
            add("private_key", pem, f"Key pasted in the ticket:\n{pem}\nplease rotate")

    def b64url(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    for _ in range(8):
        token = ".".join(
            [
                b64url({"alg": "HS256", "typ": "JWT"}),
                b64url({"sub": str(RNG.randint(10**6, 10**9)), "exp": 1790000000}),
                pick(URLSAFE, 43),
            ]
        )
        add("jwt", token)
    for _ in range(8):
        token = pick(ALNUM + "-._~", RNG.randint(24, 48))
        add("bearer_token", token, framed(f"Authorization: Bearer {token}"))

    for scheme, user in [
        ("postgres", "app"),
        ("mysql", "root"),
        ("mongodb+srv", "admin"),
        ("redis", "default"),
        ("amqp", "guest"),
        ("https", "deploy"),
        ("postgresql", "checkout"),
        ("ftp", "backup"),
    ]:
        pw = pick(ALNUM + "!$%^*", RNG.randint(8, 16))
        add("password", pw, framed(f"{scheme}://{user}:{pw}@db-{RNG.randint(1, 9)}.internal.example:5432/main"))
    for key in [
        "Password=",
        "pwd=",
        "DB_PASSWORD=",
        '"password": "',
        "password: ",
        "PGPASSWORD=",
        "Пароль: ",
        "пароль=",
        "密码：",
        "MYSQL_ROOT_PASSWORD=",
    ]:
        pw = pick(ALNUM + "!@#$", RNG.randint(8, 14)).lstrip("@")
        add("password", pw, framed(key + pw + ('"' if key.endswith('"') else "")))

    cards = [
        ("4", 16, [4, 4, 4, 4]),
        ("4", 16, [16]),
        ("51", 16, [4, 4, 4, 4]),
        ("55", 16, [4, 4, 4, 4]),
        ("2221", 16, [16]),
        ("34", 15, [4, 6, 5]),
        ("37", 15, [15]),
        ("62", 16, [4, 4, 4, 4]),
        ("62", 19, [19]),
        ("2200", 16, [4, 4, 4, 4]),
        ("3530", 16, [4, 4, 4, 4]),
        ("6011", 16, [16]),
        ("4", 13, [13]),
        ("36", 14, [14]),
        ("65", 16, [4, 4, 4, 4]),
    ]
    for prefix, length, sizes in cards:
        number = luhn_complete(prefix, length)
        add("credit_card", group(number, sizes, RNG.choice([" ", "-"]) if len(sizes) > 1 else ""))
    return items


def cn_id(area: str, birth: str, seq: str) -> str:
    """A Chinese resident ID with its ISO 7064 MOD 11-2 check character (GB 11643)."""
    body = area + birth + seq
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def cn_id_wrong(area: str, birth: str, seq: str) -> str:
    """The same 18 characters with a check digit that does not match (what an order number looks like)."""
    good = cn_id(area, birth, seq)
    return good[:17] + next(d for d in "0123456789" if d != good[17])


def token_positives() -> list[dict]:
    """API keys, tokens, resident IDs and sentence-final passwords (added with issue 'redaction gaps').

    A separate random stream, so the items above stay byte-identical when this list grows.
    """
    rng = random.Random(20261123)
    items: list[dict] = []

    def rpick(chars: str, n: int) -> str:
        return "".join(rng.choice(chars) for _ in range(n))

    def add(kind: str, value: str, text: str, note: str = "") -> None:
        items.append({"text": text, "secrets": [{"kind": kind, "value": value}], "note": note})

    for text in [
        "ANTHROPIC_API_KEY={s}",
        "客户在工单里贴了密钥 {s}，请立即轮换",
        "ключ {s} попал в лог",
        "x-api-key: {s}",
    ]:
        key = "sk-ant-api03-" + rpick(URLSAFE, 93) + "AA"
        add("anthropic_api_key", key, text.format(s=key))
    key = "sk-ant-admin01-" + rpick(URLSAFE, 93) + "AA"
    add("anthropic_api_key", key, f"admin key {key} leaked")
    for prefix, n, text in [
        ("sk-", 48, "OPENAI_API_KEY={s}"),
        ("sk-proj-", 156, "openai.api_key = '{s}'"),
        ("sk-svcacct-", 120, "service account key {s} in the CI log"),
        ("sk-", 32, "DashScope 密钥 {s} 已泄露"),
        ("sk-", 48, "В .env лежит {s}."),
    ]:
        chars = "0123456789abcdef" if n == 32 else (ALNUM if prefix == "sk-" else URLSAFE)
        key = prefix + rpick(chars, n)
        add("openai_api_key", key, text.format(s=key))
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "ghp_"]:
        token = prefix + rpick(ALNUM, 36)
        add("github_token", token, framed(f"GITHUB_TOKEN={token}") if prefix == "ghs_" else framed(token))
    for _ in range(2):
        token = "github_pat_" + rpick(ALNUM, 22) + "_" + rpick(ALNUM, 59)
        add("github_token", token, framed(token))
    for prefix in ["xoxb", "xoxp", "xoxa", "xoxb"]:
        token = f"{prefix}-{rng.randint(10**10, 10**12)}-{rng.randint(10**10, 10**13)}-{rpick(ALNUM, 24)}"
        add("slack_token", token, framed(f"SLACK_BOT_TOKEN={token}" if prefix == "xoxb" else token))
    for text in [
        'api_key="{s}"',
        "apikey: {s}",
        "token={s}",
        "X-Api-Key: {s}",
        "DATADOG_API_KEY={s}",
        "access_token => '{s}'",
        "client_secret: {s}",
        "curl 'https://api.example.com/v1/orders?api_key={s}'",
        "配置里 token={s} 明文存放",
        "в конфиге auth_token: {s}",
    ]:
        value = rpick(ALNUM, rng.randint(16, 40))
        while not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            value = rpick(ALNUM, rng.randint(16, 40))
        add("api_key", value, text.format(s=value))
    for area, birth, seq, text in [
        ("110105", "19491231", "002", "身份证号{s}，请核实"),
        ("440305", "19880214", "531", "客户身份证：{s}"),
        ("310104", "20010709", "12", "ID card {s} pasted by the agent"),
        ("510107", "19760330", "423", "паспорт КНР (身份证) {s}"),
        ("330106", "19950818", "276", "实名认证失败，证件号{s}"),
    ]:
        if len(seq) == 2:  # pick a sequence whose check character is X, to cover it
            seq = next(seq + d for d in "0123456789" if cn_id(area, birth, seq + d).endswith("X"))
            value = cn_id(area, birth, seq)
            add("cn_resident_id", value, text.format(s=value), "check character X")
        else:
            value = cn_id(area, birth, seq)
            add("cn_resident_id", value, text.format(s=value))
    for pw, text in [
        ("hunter2", "Password: hunter2."),
        ("Tr0ub4dor#3", "The root password is Tr0ub4dor#3!"),
        ("Zx9#kq!2", "пароль: Zx9#kq!2."),
        ("Qw3rty2026", "密码：Qw3rty2026。"),
    ]:
        add("password", pw, text, "sentence-final punctuation stays outside the secret")
    return items


TOKEN_NEGATIVES = [
    "we ran sk-learn 1.5.2 for the anomaly model",
    "branch sk-payment-service-deployment-rollout-2026-11-22 merged",
    "task-force meeting moved; sk-ant prefix is documented",
    "GitHub tokens start with ghp_ or github_pat_",
    "ghp_ tokens were rotated on 2026-11-20",
    "Slack bot tokens begin with xoxb-, user tokens with xoxp-",
    "xoxo-hugs-from-the-support-team",
    "apikey: YOUR_API_KEY_HERE",
    "api_key=${OPENAI_API_KEY}",
    "token: <your personal access token>",
    "access_token=*****",
    "token_count: 4096, max_tokens: 8192",
    "GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
    "token=expired, please refresh",
    "api_key: ~/.config/acme/key.json",
    "订单号 " + cn_id_wrong("110105", "19491231", "002") + " 支付失败",
    "order " + cn_id_wrong("440305", "19880214", "531") + " refunded",
    "tracking 440305198802145311X7 delivered",
    "Kafka offset 110105194912310021000 committed",
    "商户订单号 202611221530123456 已退款",
    "batch 20261122000000000 imported",
    "Password reset requested.",
    "the password is required.",
]


NEGATIVES = [
    # UUIDs and request IDs
    "Request ID 123e4567-e89b-12d3-a456-426614174000 failed",
    "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7",
    "Correlation-Id: 9b2c1d7e-0f3a-4c55-8e21-7a6b5c4d3e2f",
    "ошибка в запросе 550e8400-e29b-41d4-a716-446655440000",
    "请求 ID：f47ac10b-58cc-4372-a567-0e02b2c3d479",
    "x-acs-request-id: 6A2F1B3C-4D5E-4F60-8172-93A4B5C6D7E8",
    "Operation ID 1f0e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b is still running",
    "job 7d9f8e6a-1234-4bcd-9876-abcdef012345 retried 3 times",
    # git SHAs and digests
    "Fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
    "secret rotation landed in commit 3b18e512dba79e4c8300dd08aeb37f8e728b8dad",
    "AWS SDK bumped in a94a8fe5ccb19ba61c4c0873d391e987982fbbd3",
    "revert e83c5163316f89bfbde7d9ab23ca2e25604af290 (short: e83c516)",
    "image nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
    "回滚到提交 1d5b3e7a9c2f4e6b8a0d1c3e5f7a9b2c4d6e8f0a",
    "откат на коммит c0ffee254729296a45a3885639ac7e7c6f1b0a2d",
    "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    # order, ticket and account numbers
    "Order ORD-2026-000123 was charged twice",
    "订单号 202611221530123456 支付失败",
    "Заказ № 4521-8890-1123 не оплачен",
    "Case 172993845100 opened with AWS Support",
    "ticket SUP-88231 and INC-2041",
    "invoice INV/2026/11/00042 total 12,450.00 EUR",
    "tracking number 1Z999AA10123456784",
    "order 9876543210123456 shipped",
    "工单号 5008123456789 已提交",
    "Account 123456789012 in eu-central-1",
    "arn:aws:iam::123456789012:role/checkout-prod",
    "acs:ram::1234567890123456:role/aliyunecsrole",
    "IMEI 490154203237518 reported by the device",
    "batch 1000000000000000 rows processed",
    # version strings
    "Upgraded payment-adapter from 4.1.9 to 4.2.0",
    "Windows build 10.0.19045.3693",
    "kubectl v1.29.3, containerd 1.7.13",
    "версия 2.3.0-rc.1 сломала экспорт",
    "升级到 PostgreSQL 15.4 之后出现",
    "python 3.11.9 and pydantic 2.10.3",
    "chrome 131.0.6778.86",
    "firmware 8.1.2024.0915",
    # timestamps and durations
    "Started at 2026-11-22T09:40:00+08:00",
    "2026-11-22 14:30:00 +0800 first 502 seen",
    "epoch 1732270000 and 1732270000123 ms",
    "backup 20261122143000 finished",
    "с 09:40 до 11:15 по Москве (UTC+03:00)",
    "时间：2026年11月22日 14:30（UTC+08:00）",
    "latency p99 1532 ms, p50 87 ms",
    "duration 00:45:12, retry at 13:00:05",
    "timezone offset +08:00 and -05:00",
    "window 2026-11-22/2026-11-23",
    # IP addresses and network
    "Source IP 192.168.100.200 hit the WAF",
    "10.0.0.1:8080 refused the connection",
    "IPv6 2001:db8:85a3::8a2e:370:7334 unreachable",
    "CIDR 172.16.0.0/12 allowed",
    "节点 47.96.123.45 无响应",
    "DNS 8.8.8.8 and 114.114.114.114",
    "port 5432, HTTP 502, exit code 137",
    "MAC 00:1A:2B:3C:4D:5E",
    # resource IDs
    "instance i-0abcd1234ef567890 stopped",
    "ECS i-bp1g6zv0ce8oghu7k6xu is unreachable",
    "security group sg-0123456789abcdef0",
    "RDS db-prod-orders-1 (db.r6g.2xlarge)",
    "VPC vpc-bp15zckdt37pq72zvw3r in cn-hangzhou",
    "SLS project pay-prod logstore adapter",
    "bucket s3://acme-logs-eu/2026/11/22/",
    "subscription 8f1c2d3e-aaaa-bbbb-cccc-1234567890ab",
    # phone look-alikes
    "error code 0x80070005 on the agent",
    "15000000 requests per day",
    "revenue 15000000000 CNY annually",
    "counter +100500 since reset",
    "price ¥13800138000 is a typo",
    "ISBN 978-3-16-148410-0",
    "serial SN-2026-1122-0042",
    "range 1000-2000-3000",
    # e-mail look-alikes
    "git clone git@github.com:acme/checkout.git",
    "ping @oncall-team in the channel",
    "see https://example.com/@status for updates",
    "decorator @retry(times=3) wraps the call",
    "npm package @acme/checkout@4.2.0",
    # key and token look-alikes
    "AWS access key IDs start with the AKIA prefix",
    "Alibaba AccessKey IDs begin with LTAI",
    "Bearer auth is required for this endpoint",
    "password policy requires 12 characters",
    "password=*** was masked by the client",
    "token expired at 12:00, please re-login",
    "the JWT header eyJhbGciOi is truncated",
    "base64 chunk QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo= in the payload",
    "AWS region us-east-1 and secret rotation policy",
    "secret name prod/checkout/db managed in Secrets Manager",
    "GCP project acme-prod-123456",
    "AccessKey rotation due in 30 days",
    "пароль сменили вчера",
    "密码已重置，请重新登录",
    "-----BEGIN CERTIFICATE----- block attached (public cert)",
    "ssh-rsa public key fingerprint SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8",
    # card look-alikes
    "card ending 1111",
    "4111 1111 1111 1112 fails validation",
    "order 4539 1488 0343 6468 1",
    "numbers 1234 5678 9012 3456",
    "amount 5500.00 EUR, ref 5500 0000 0000 0005",
    "quantity 6011 units shipped",
    "phone extension 4242",
    "reference 3530 1113 3330 0001 (test data, not Luhn)",
    "range 2221-2720 is the issuer block",
    "UnionPay BIN 622202 documented",
]


# Written after the patterns were tuned on the main set and never used to tune them: an honest check.
HOLDOUT_POSITIVES = [
    ("phone", "+7-903-555-12-34", "my mobile is +7-903-555-12-34"),
    ("phone", "8 (812) 555-12-34", "тел.: 8 (812) 555-12-34, спросить Ольгу"),
    ("phone", "+86 186 1234 5678", "微信/手机：+86 186 1234 5678"),
    ("phone", "0571-88157858", "杭州办公室电话0571-88157858"),
    ("email", "Ivan_Petrov-2@sub.domain.example.org", "e-mail: Ivan_Petrov-2@sub.domain.example.org"),
    ("aws_access_key_id", "ASIAJEXAMPLEXEG2JICE", "aws_access_key_id=ASIAJEXAMPLEXEG2JICE"),
    (
        "gcp_api_key",
        "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
        "x-goog-api-key: AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
    ),
    ("password", "S3cr3tPass", "ran mysql -u root -pS3cr3tPass on the replica"),
    ("password", "Qw!7zLp#2", "Server=db1;Database=pay;User Id=sa;Password=Qw!7zLp#2;"),
    ("credit_card", "5425 2334 3010 9903", "клиент продиктовал номер карты 5425 2334 3010 9903"),
    ("credit_card", "6250941006528599", "银行卡号6250941006528599扣款失败"),
    ("bearer_token", "ya29.a0AfH6SMBx3kP9rT2uVwXyZ", "curl -H 'Authorization: Bearer ya29.a0AfH6SMBx3kP9rT2uVwXyZ'"),
    # Written with the key/ID patterns but never used to tune them (first run reported in the YAML header).
    (
        "github_token",
        "gho_zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0y3Rn",
        "curl -H 'Authorization: token gho_zymMlopiWfqUyHRSIf8NFmAUNLnY5Yx0y3Rn' api.github.com",
    ),
    (
        "slack_token",
        "xoxp-517460163663-206110645852-636420839224-a22fac180d6b2e6e1b465e551305fd2d",
        "SLACK_USER_TOKEN='xoxp-517460163663-206110645852-636420839224-a22fac180d6b2e6e1b465e551305fd2d'",
    ),
    (
        "anthropic_api_key",
        "sk-ant-api03-lsNaWQrZzhB4GZqT8hqt0pmpsLww0sAO_DGpUxjKbgRBWZRZX1VlxeVZ4DNCNnOBFXL4k41GiLP9qG3L0uKW4yWRzSaTLAA",
        'client = Anthropic(api_key="sk-ant-api03-lsNaWQrZzhB4GZqT8hqt0pmpsLww0sAO_DGpUxjKbgRBWZRZX1VlxeVZ4DNCNnOBFX'
        'L4k41GiLP9qG3L0uKW4yWRzSaTLAA")',
    ),
    (
        "openai_api_key",
        "sk-proj-yvH1D0SZaozaNv4AH17KzcnNjeh1MVLymYZwH6Qqq5X1wUGAJ7Wx98vjE6boQ_jQaJbO0HvrgYegRDLu4h1Dyo-vIJUjzwTkoqrtleWvT"
        "DuRgR3yNwos_bDW",
        "Authorization: Bearer sk-proj-yvH1D0SZaozaNv4AH17KzcnNjeh1MVLymYZwH6Qqq5X1wUGAJ7Wx98vjE6boQ_jQaJbO0HvrgYegRDLu"
        "4h1Dyo-vIJUjzwTkoqrtleWvTDuRgR3yNwos_bDW",
    ),
    ("api_key", "6RYgYYpKCUYM34f40k441kXCxquLcLzb", "GET /rates?apikey=6RYgYYpKCUYM34f40k441kXCxquLcLzb&format=json"),
    ("cn_resident_id", "320102198305064179", "证件号码：320102198305064179。"),
    ("password", "S3cure!pass", "Новый пароль: S3cure!pass?"),
]
HOLDOUT_NEGATIVES = [
    "build 20261122.3 deployed to 47 hosts",
    "Kafka offset 18446744073709551615 reached",
    "SKU 4006381333931 (EAN-13 barcode)",
    "pid 13579 and 24680 exited",
    "memory 17179869184 bytes allocated",
    "ошибка 0x000000F4 на сервере",
    "距离上次故障已经 15 天，共 13 次告警",
    "sessions: 139, errors: 1234567",
    "commit 5f3c2a1 by li.wei",
    "Oracle SR 3-12345678901 opened",
    "Azure support request 2411220010001234",
    "GCP case 51234567 escalated",
    "traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    'S3 ETag "9b2cf535f27731c974343645a3985328"',
    "the password field was empty",
    "pwd: /home/deploy/app",
    "token_count: 4096",
    "Bearer token missing in request",
    "ISO 27001 and PCI DSS 4.0",
    "ИНН 7707083893, ОГРН 1027700132195",
    "客服热线 95187",
    "disk 1099511627776 bytes free",
    "P99 latency rose from 180 ms to 13000 ms",
    "用户ID 2088102123456789 登录失败",
    "example: GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "交易流水号 320102198305064170 已对账",
    "the api_key parameter is optional",
    "session_token: null",
]


def _write(name: str, items: list[dict], note: str) -> None:
    out = Path(__file__).with_name(name)
    header = (
        "# Labelled strings for the redactor: `secrets` lists every value that must be masked (kind + exact\n"
        "# value); an empty list marks a look-alike negative. Secrets are synthetic.\n" + note
    )
    out.write_text(header + yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    pos = sum(1 for i in items if i["secrets"])
    print(f"wrote {len(items)} strings ({pos} positive, {len(items) - pos} negative) to {out}")


def main() -> None:
    items = positives() + [{"text": t, "secrets": [], "note": "look-alike negative"} for t in NEGATIVES]
    items += token_positives() + [{"text": t, "secrets": [], "note": "look-alike negative"} for t in TOKEN_NEGATIVES]
    _write(
        "redaction_labelled.yaml",
        items,
        "# Generated by redaction_make_set.py (seed 20261122); the patterns were tuned on it.\n",
    )
    RNG.seed(7)
    fresh = RNG.sample(positives(), 30)
    hand = [{"text": t, "secrets": [{"kind": k, "value": v}], "note": "hand-written"} for k, v, t in HOLDOUT_POSITIVES]
    neg = [{"text": t, "secrets": [], "note": "look-alike negative"} for t in HOLDOUT_NEGATIVES]
    _write(
        "redaction_holdout.yaml",
        fresh + hand + neg,
        "# Held out: written after tuning on the main set (fresh seed 7 + hand-written strings). Its first run\n"
        "# scored recall 97.62 %, precision 95.35 % (missed mysql -pSECRET; flagged a byte count as a CN\n"
        "# mobile and `pwd: /path` as a password); those three were then fixed, so it is no longer blind.\n"
        "# The key/token/resident-ID items (added later) first scored recall 100 %, precision 98.00 %: the\n"
        "# documentation filler ghp_xxxx... was masked; the `varied` check was then added for it.\n",
    )


if __name__ == "__main__":
    main()
