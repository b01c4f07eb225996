"""Unit tests for detect_language: one or more per rule of issue 3."""

from __future__ import annotations

import subprocess
import sys

import pytest

from escalation_kit.errors import InputError
from escalation_kit.language.detect import LanguageResult, detect_language

JAVA_TRACE = """Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()"
\tat com.example.orders.OrderService.submit(OrderService.java:118)
\tat com.example.orders.OrderController.post(OrderController.java:42)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)"""

ENGLISH_LOG = "\n".join([
    "2024-05-02 11:03:55,120 ERROR [pool-3-t1] c.e.pay.Gateway - upstream request failed: deadline exceeded",
    "2024-05-02 11:03:55,431 ERROR [pool-3-t2] c.e.pay.Gateway - upstream request failed: deadline exceeded",
    "2024-05-02 11:03:56,002 WARN  [main] c.e.db.Pool - connection pool exhausted, max_open=100",
])


def lang(text: str) -> str:
    return detect_language(text).language


# ---- plain prose --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Коллеги, с утра не проходят платежи, мы уже откатили релиз, но ошибка осталась.", "ru"),
    ("Checkout has been failing for a third of our users since the morning deploy.", "en"),
    ("各位好，今天上午开始订单服务出现大量超时，请帮忙升级处理。", "zh"),
])
def test_plain_prose_is_its_language_and_answered_in_it(text: str, expected: str) -> None:
    result = detect_language(text)
    assert result.language == expected
    assert result.answer_language == expected
    assert result.mixed is False
    assert result.confidence >= 0.8


def test_traditional_and_simplified_chinese_are_both_zh() -> None:
    assert lang("正式環境的資料庫連線逾時，客戶無法下單，請協助處理。") == "zh"
    assert lang("正式环境的数据库连接超时，客户无法下单，请协助处理。") == "zh"


# ---- code-switching: ru / zh prose wins over embedded English terms -----------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("у нас упал prod, RDS не отвечает, latency 5s", "ru"),
    ("После деплоя поды уходят в CrashLoopBackOff, kubectl describe показывает OOMKilled", "ru"),
    ("ECS 实例 CPU 100%，SLB 502", "zh"),
    ("K8s 集群里 ingress-nginx 一直 502，pod 状态都是 Running", "zh"),
])
def test_russian_or_chinese_prose_wins_over_english_tech_terms(text: str, expected: str) -> None:
    result = detect_language(text)
    assert result.language == expected
    assert result.mixed is True
    assert result.evidence.script_shares.get("latin", 0) > 0


def test_english_prose_quoting_a_russian_error_stays_english() -> None:
    text = 'We get the error "Не удалось подключиться к серверу" every time we deploy. Any idea?'
    assert lang(text) == "en"


def test_english_prose_quoting_a_chinese_error_after_a_colon_stays_english() -> None:
    assert lang("Getting this error when we call the API: 连接数据库失败，请检查配置") == "en"
    assert lang("The console shows 「实例已停止，请联系管理员」 when we start the instance.") == "en"


def test_russian_prose_quoting_an_english_error_stays_russian() -> None:
    assert lang("Получаем ошибку: connection refused by upstream server") == "ru"
    assert lang('При запуске пишет "permission denied while trying to connect to the socket"') == "ru"


# ---- logs, stack traces, code and structured data are not prose ----------------------------

def test_russian_prose_inside_an_english_stack_trace_is_russian() -> None:
    assert lang(JAVA_TRACE + "\nЗаказы не создаются с 10 утра, что делать?") == "ru"


def test_chinese_prose_before_english_log_lines_is_chinese() -> None:
    assert lang("支付一直失败，日志如下：\n" + ENGLISH_LOG) == "zh"


def test_fenced_code_block_does_not_count_as_prose() -> None:
    text = ("Не стартует контейнер:\n```\n$ docker run app\n"
            "Error response from daemon: driver failed programming external connectivity on endpoint\n```")
    assert lang(text) == "ru"


def test_log_only_text_falls_back_to_its_messages_with_lower_confidence() -> None:
    result = detect_language(ENGLISH_LOG)
    assert result.language == "en"
    assert "log" in result.evidence.note
    prose = detect_language("The upstream request failed and the connection pool is exhausted.")
    assert result.confidence < prose.confidence


def test_chinese_log_message_without_prose_is_chinese() -> None:
    assert lang("2024-05-01 10:00:00 ERROR [agent] 上报监控数据失败: 连接被拒绝") == "zh"


def test_urls_paths_and_identifiers_are_not_counted_as_letters() -> None:
    text = "Сервер не отвечает https://console.example.com/i/i-0abc123 /var/log/nginx/error.log user_id"
    result = detect_language(text)
    assert result.language == "ru"
    assert result.evidence.script_shares == {"cyrillic": 1.0}
    assert result.evidence.prose_letters == len("Сервернеотвечает")


# ---- no letters: unknown, answered in the default language ------------------------------

@pytest.mark.parametrize("text", [
    "", "   ", "502", "🔥🔥🔥", "+7 (495) 123-45-67",
    "https://console.aliyun.com/ecs/cn-hangzhou/instances/i-bp1g6zv0ce8oghu7k3xy",
    '{"id": 123, "status": "ok", "ts": 1700000000}',
    "550e8400-e29b-41d4-a716-446655440000",
    "3f786850e387550fdab836ed7e6dc881de23001b",
    "arn:aws:rds:us-east-1:123456789012:db:prod_orders_1",
])
def test_text_without_prose_letters_is_unknown(text: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert result.answer_language == "en"
    assert "no prose letters" in result.evidence.note
    assert "answering in en" in result.evidence.note


# ---- other languages are unknown -----------------------------------------------------------

@pytest.mark.parametrize(("text", "code"), [
    ("Сервер працює, можна оновлюватись", "uk"),             # letters і є
    ("Сервер впав, нічого не працює", "uk"),                   # letters
    ("Прод впав, ми вже працюємо над цим", "uk"),
    ("не можа быць вышэй за вашу бягучую ролю", "be"),         # -ць, no ў
    ("выкарыстоўвае забароненую крыніцу электроннай пошты", "be"),
    ("Кешірерсіз, бірақ қазір бір қате пайда болып тұр.", "kk"),
    ("Клъстерът е нездрав, функциите за търсене не са налични", "bg"),
    ("Ваш веб сервер је погрешно конфигурисан.", "sr"),
])
def test_other_cyrillic_languages_are_unknown_and_named(text: str, code: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert f"({code})" in result.evidence.note
    assert result.answer_language == "en"


def test_ukrainian_without_distinctive_letters_is_caught_by_words() -> None:
    assert lang("Сервер впав, що робити") == "unknown"
    assert lang("Сервер упал, что делать") == "ru"


@pytest.mark.parametrize("text", [
    "東京リージョンで障害が発生しています",
    "本番環境のRDSに接続できません。至急確認お願いします。",
    "障害発生のお知らせ",
    "ｻｰﾊﾞｰｴﾗｰ",  # half-width katakana
])
def test_japanese_with_any_kana_is_unknown(text: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert "Japanese" in result.evidence.note


def test_korean_is_unknown() -> None:
    result = detect_language("서버가 다운되었습니다")
    assert result.language == "unknown"
    assert "Korean" in result.evidence.note


@pytest.mark.parametrize(("text", "code"), [
    ("El servidor no responde desde las 10", "es"),
    ("Die Datenbank antwortet seit 10 Uhr nicht mehr", "de"),
    ("Le serveur ne répond plus depuis ce matin", "fr"),
    ("O servidor caiu e os clientes não conseguem acessar", "pt"),
])
def test_other_latin_languages_are_unknown(text: str, code: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert "not English" in result.evidence.note


def test_english_loanword_with_diacritics_stays_english() -> None:
    assert lang("The café checkout page is down for all users since noon") == "en"


def test_other_scripts_are_unknown() -> None:
    assert lang("Ο διακομιστής δεν ανταποκρίνεται από το πρωί.") == "unknown"
    assert lang("الخادم لا يستجيب منذ الصباح") == "unknown"


# ---- evidence, determinism, input handling ------------------------------------------------

def test_evidence_reports_shares_and_deciding_words() -> None:
    result = detect_language("у нас упал prod, RDS не отвечает")
    assert abs(sum(result.evidence.script_shares.values()) - 1.0) < 0.01
    assert "упал" in result.evidence.deciding_words
    assert isinstance(result, LanguageResult)


def test_full_width_and_case_do_not_change_the_answer() -> None:
    assert lang("ＤＢ ＤＯＷＮ since 10am, ＰＬＥＡＳＥ check") == "en"
    assert lang("db down since 10am, please check") == "en"
    assert lang("ПРОД ЛЕЖИТ") == lang("прод лежит") == "ru"


def test_same_input_gives_the_same_result() -> None:
    text = "ECS 实例 CPU 100%，SLB 502"
    assert detect_language(text) == detect_language(text)


@pytest.mark.parametrize("bad", [None, 42, b"bytes"])
def test_non_string_input_is_an_input_error(bad: object) -> None:
    with pytest.raises(InputError) as err:
        detect_language(bad)  # type: ignore[arg-type]
    assert err.value.field == "text"


@pytest.mark.integration
def test_import_loads_no_word_lists() -> None:
    code = ("import escalation_kit.language.detect as m, escalation_kit.language.lexicon as x; "
            "assert x.lexicon.cache_info().currsize == 0; m.detect_language('x'); "
            "assert x.lexicon.cache_info().currsize == 1")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_go_panic_trail_lines_are_machine_output_not_english_prose():
    # Found by the hypothesis property: a Go panic's frame and exit lines outweighed short Russian prose.
    text = ("сервер prod prod сервер panic: runtime error: the the the the the the\n\n"
            "goroutine 1 [running]:\nmain.aaa()\n\t/app/aaa.go:1 +0x1d\nexit status 2")
    assert detect_language(text).language == "ru"
    assert detect_language("exit status is shown below, please check it").language == "en"


@pytest.mark.parametrize(("text", "expected"), [
    # Found by the hypothesis property with more examples: a trace header glued to the end of a
    # short sentence was read as English prose ("most recent call last").
    ('请请 Traceback (most recent call last):\n  File "/srv/a/b.py", line 1, in c\n    c(payload)\nValueError: the',
     "zh"),
    ('сервер prod OOMKilled сервер see: Traceback (most recent call last):\n  File "/srv/a/b.py", line 1, in c',
     "ru"),
    ('сервер сервер Exception in thread "main" java.lang.IllegalStateException: the server is down', "ru"),
    ("сервер latency latency сервер see: panic: runtime error: the\n\ngoroutine 1 [running]:", "ru"),
    ("Don't panic: the server is back and payments work again", "en"),
])
def test_stack_trace_glued_to_a_sentence_is_machine_output(text: str, expected: str) -> None:
    assert lang(text) == expected


def test_level_then_timestamp_is_a_log_line_so_a_short_plea_after_it_decides():
    assert detect_language("ERROR 2026-11-22 10:00:00 connection refused\nпомогите").language == "ru"
    assert detect_language("Error 404 pages are shown to users in the EU").language == "en"


@pytest.mark.parametrize(("text", "expected"), [
    ("Private reverse DNS servers", "en"),
    ('Static lease "{{key}}" successfully updated', "en"),
    ("Return to the status page after the fix", "en"),
    ("regular DNS (over TCP, hostname);", "en"),
    ("обычный DNS (поверх TCP);", "ru"),
    ("常规 DNS（通过 UDP，带端口）；", "zh"),
])
def test_prose_opening_with_a_code_keyword_or_ending_in_a_bracket_is_prose(text: str, expected: str) -> None:
    assert lang(text) == expected


@pytest.mark.parametrize("text", ["import os", "private int retries;", "def main(argv):", "log.info(\"x\");"])
def test_code_lines_are_still_dropped(text: str) -> None:
    assert lang(text) == "unknown"


@pytest.mark.parametrize(("text", "code"), [
    ("Маю ту ж проблему", "uk"),
    ("Токен доступу до сервера", "uk"),
    ("Выберыце тып паведамлення", "be"),
    ("Невалиден адрес на сървъра", "bg"),
])
def test_short_other_cyrillic_text_without_its_own_letters_is_unknown(text: str, code: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert f"({code}" in result.evidence.note


@pytest.mark.parametrize("text", [
    "Проблема решена",
    "Задайте путь к файлу приватного ключа",
    "максимум 15 цифр",
    "База данных недоступна",
    "Откатили релиз, ошибка осталась",
])
def test_short_russian_text_stays_russian(text: str) -> None:
    assert lang(text) == "ru"


def test_a_word_only_another_language_uses_needs_its_trigrams_to_agree() -> None:
    from escalation_kit.language.ngrams import _other_words, other_language

    table = _other_words("cyrillic")
    assert "доступу" in table and "uk" in table["доступу"]
    assert not {"сервер", "ошибка", "база", "проблема"} & table.keys()  # Russian words are never listed
    assert other_language(["токен", "доступу"], "cyrillic") == "uk"


@pytest.mark.parametrize(("text", "code"), [
    ("Proxy instellingen", "nl"),
    ("Backup mislukt", "nl"),
    ("Server DNS cadangan", "id"),
])
def test_one_word_only_another_latin_language_uses_decides_with_its_trigrams(text: str, code: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown"
    assert f"({code}," in result.evidence.note


@pytest.mark.parametrize("text", [
    "Kubernetes cluster down", "Redis timeout again", "Zabbix agent unreachable", "Postgres replica lag",
    "Grafana dashboard broken", "Deploy failed on staging",
])
def test_short_english_with_product_names_stays_english(text: str) -> None:
    assert lang(text) == "en"


@pytest.mark.integration
def test_word_tables_are_read_only_when_a_language_could_lead() -> None:
    code = (
        "from escalation_kit.language import ngrams\n"
        "from escalation_kit.language.detect import detect_language\n"
        "detect_language('Не запускается и пишет ошибку после последнего обновления')\n"
        "print(ngrams._other_words.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"
