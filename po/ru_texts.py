# SPDX-License-Identifier: MIT
"""The Russian texts of evgw-web, and the tool that writes po/ru.po from
po/evgw-web.pot with them (run: python3 po/ru_texts.py; every text of the
template must have its translation here)."""
RU = {
    "evgw-web cannot be reached": "evgw-web недоступен",
    "info": "информация",
    "warning": "предупреждение",
    "error": "ошибка",
    "critical": "критическая",
    "active": "активна",
    "stored": "сохранена",
    "pending": "ожидает подтверждения",
    "cleared": "стёрта",
    "Vehicle": "Автомобиль",
    "Faults": "Неисправности",
    "Live data": "Текущие данные",
    "Battery": "Батарея",
    "Charging": "Зарядка",
    "Recordings": "Записи",
    "evgwd connected": "evgwd подключён",
    "evgwd not running": "evgwd не работает",
    "The connection to evgw-web was lost; reconnecting...": "Связь с evgw-web потеряна; переподключение…",
    "The daemon (evgwd) is not running or restarting; this page reconnects by itself.":
        "Служба evgwd не работает или перезапускается; страница подключится сама.",
    "no answer": "нет ответа",
    "error passive": "пассивная ошибка",
    "bus off": "шина отключена",
    "restarting": "перезапуск",
    "down": "не работает",
    "adapter missing": "адаптер не подключён",
    "stopped": "остановлена",
    "Bus": "Шина",
    "State": "Состояние",
    "Load": "Загрузка",
    "Frames/s": "Кадров/с",
    "Bit rate": "Скорость",
    "Profile": "Профиль",
    "Driver": "Драйвер",
    "Mode": "Режим",
    "Errors": "Ошибки",
    "Recording": "Запись",
    "diagnostic": "диагностика",
    "listen-only": "только прослушивание",
    "Buses": "Шины",
    "Time": "Время",
    "Daemon": "Служба",
    "demo": "демо",
    "Running for": "Работает",
    "min": "мин",
    "Fault store": "Хранилище неисправностей",
    "Read VIN": "Прочитать VIN",
    "asking...": "запрос…",
    "VIN": "VIN",
    "Freeze frame": "Стоп-кадр",
    "Severity": "Важность",
    "Status": "Статус",
    "Lamps": "Лампы",
    "ECU": "Блок",
    "Code": "Код",
    "Description": "Описание",
    "First seen": "Впервые",
    "Last seen": "Последний раз",
    "Count": "Раз",
    "No active faults.": "Активных неисправностей нет.",
    "No unconfirmed observations.": "Неподтверждённых наблюдений нет.",
    "No faults in the store.": "В хранилище нет неисправностей.",
    "Protocol": "Протокол",
    "Answer": "Ответ",
    "not cleared": "не стёрты",
    "{0} DTCs": "кодов: {0}",
    "Read DTCs": "Прочитать коды",
    "Clear DTCs": "Стереть коды",
    "asking the ECUs...": "опрос блоков…",
    "Log in to clear DTCs.": "Чтобы стереть коды, войдите.",
    "Ask the ECUs": "Опрос блоков",
    "ECU: all (every ECU of the vehicle profile), obd, j1939, or an address such as 7E7.":
        "Блок: all (все блоки профиля автомобиля), obd, j1939 или адрес, например 7E7.",
    "Active faults": "Активные неисправности",
    "Unconfirmed observations": "Неподтверждённые наблюдения",
    "History": "История",
    "seconds": "секунды",
    "Search signals": "Поиск сигналов",
    "Chart": "График",
    "Tick up to {0} signals to chart their last {1} minutes.":
        "Отметьте до {0} сигналов, чтобы увидеть график за последние {1} минут.",
    "Charts need Chart.js (Debian package libjs-chart.js).":
        "Для графиков нужен Chart.js (пакет Debian libjs-chart.js).",
    "Message": "Сообщение",
    "Signal": "Сигнал",
    "Value": "Значение",
    "State of charge": "Уровень заряда",
    "State of health": "Состояние (SOH)",
    "Pack voltage": "Напряжение батареи",
    "Pack current": "Ток батареи",
    "Cell voltage": "Напряжение ячейки",
    "Temperature": "Температура",
    "From the battery signals the DBC definitions decode (evgwd has no battery command yet).":
        "По сигналам батареи из описаний DBC (у evgwd пока нет команды battery).",
    "Battery on {0}": "Батарея на шине {0}",
    "method: {0}": "метод: {0}",
    "reported by the BMS": "по данным BMS",
    "Cell voltages: {0} cells, highest {1}, lowest {2}, spread {3}":
        "Напряжения ячеек: {0} ячеек, наибольшее {1}, наименьшее {2}, разброс {3}",
    "Temperatures: {0} sensors, highest {1}, lowest {2}":
        "Температуры: {0} датчиков, наибольшая {1}, наименьшая {2}",
    "No battery signals on any bus.": "Сигналов батареи нет ни на одной шине.",
    "Figure": "Показатель",
    "This evgwd has no charging command yet, so there is no GB/T session timeline or stop reason. "
    "The charging signals below come from the DBC definitions.":
        "У этого evgwd пока нет команды charging, поэтому хронологии сеанса GB/T и причины остановки нет. "
        "Сигналы зарядки ниже взяты из описаний DBC.",
    "Charging signals": "Сигналы зарядки",
    "No charging signals.": "Сигналов зарядки нет.",
    "File": "Файл",
    "Size": "Размер",
    "Changed": "Изменён",
    "Download": "Скачать",
    "No recordings.": "Записей нет.",
    "Start": "Начать",
    "Stop": "Остановить",
    "Recording {0} to {1}": "Запись шины {0} в {1}",
    "Log in to record.": "Чтобы записывать, войдите.",
    "Stopped: {0} frames, {1} bytes": "Остановлено: кадров {0}, байт {1}",
    "Record a bus": "Запись шины",
    "Log out": "Выйти",
    "Log in": "Войти",
    "Password": "Пароль",
    "Cancel": "Отмена",
    "No password is set: run \"evgw-web --set-password\" on the bench unit.":
        "Пароль не задан: выполните «evgw-web --set-password» на стенде.",
    "Wrong password.": "Неверный пароль.",
    "Report": "Отчёт",
    "Vehicle diagnostic report": "Отчёт о диагностике автомобиля",
    "Print or save as PDF": "Печать или сохранение в PDF",
    "Back to the workshop screen": "Назад к экрану мастерской",
    "Made {0} by evgw {1}": "Составлен {0}, evgw {1}",
    "Odometer": "Пробег",
    "not known": "неизвестен",
    "Method": "Метод",
    "No battery figures.": "Показателей батареи нет.",
    "Definitions and their confidence": "Описания и их надёжность",
    "Values are decoded with these definition files; their findings say how far they can be trusted.":
        "Значения расшифрованы по этим файлам описаний; их замечания показывают, насколько им можно доверять.",
    "Messages": "Сообщений",
    "Signals": "Сигналов",
    "Warnings": "Предупреждений",
    "Session": "Сеанс",
    "all": "все",
    "Faults found (before clearing)": "Найденные неисправности (до стирания)",
    "No faults.": "Неисправностей нет.",
    "Faults present after clearing": "Неисправности, оставшиеся после стирания",
    "None: every fault found was cleared.": "Нет: все найденные неисправности стёрты.",
    "Highest cell voltage": "Наибольшее напряжение ячейки",
    "Lowest cell voltage": "Наименьшее напряжение ячейки",
    "Cell voltage spread": "Разброс напряжений ячеек",
    "Highest temperature": "Наибольшая температура",
    "Average temperature": "Средняя температура",
    "Lowest temperature": "Наименьшая температура",
    "Capacity now": "Ёмкость сейчас",
    "Capacity when new": "Ёмкость новой батареи",
    "Charge cycles": "Циклов заряда",
    "Energy charged": "Энергия заряда",
    "Energy discharged": "Энергия разряда",
    "DID 0x{0} of {1}": "DID 0x{0} блока {1}",
    "signal {0}": "сигнал {0}",
    "module {0}": "модуль {0}",
    "cell {0}": "ячейка {0}",
    "sensor {0}": "датчик {0}",
    "Some figures rest on definitions below public confidence: observations, not findings.":
        "Часть показателей опирается на описания ниже уровня «public»: это наблюдения, а не выводы.",
    "Signal now": "Сигнал сейчас",
    "Source": "Источник",
    "lowest cell": "наименьшая ячейка",
    "highest cell": "наибольшая ячейка",
    "lowest": "наименьшая",
    "average": "средняя",
    "highest": "наибольшая",
    "Read again": "Прочитать снова",
    "Read from the battery management system (DIDs where the profile has them, else its signals).":
        "Прочитано из системы управления батареей (DID, где они есть в профиле, иначе её сигналы).",
    "unconfirmed": "не подтверждено",
    "Confidence": "Надёжность",
    "handshake": "согласование",
    "recognition": "опознание",
    "parameters": "параметры",
    "charging": "зарядка",
    "end": "завершение",
    "running": "идёт",
    "ended normally": "завершена штатно",
    "stopped abnormally": "прервана с ошибкой",
    "lost (the messages stopped)": "потеряна (сообщения прекратились)",
    "Charger": "Зарядная станция",
    "BMS": "BMS",
    "Battery parameters": "Параметры батареи",
    "During charging": "Во время зарядки",
    "At the end": "В конце",
    "Session {0}: {1}": "Сеанс {0}: {1}",
    "now": "сейчас",
    "joined mid-charge: what came before is unknown": "подключение посреди зарядки: что было раньше, неизвестно",
    "Stop reason": "Причина остановки",
    "none given": "не указана",
    "Charging on {0}": "Зарядка на шине {0}",
    "GB/T 27930 messages heard: {0} (refused: {1}).": "Сообщений GB/T 27930 получено: {0} (отброшено: {1}).",
    "No charging session heard on this bus yet.": "На этой шине сеансов зарядки пока не было.",
    "No bus speaks J1939, which GB/T 27930 charging runs on.": "Ни одна шина не работает по J1939, на котором идёт зарядка GB/T 27930.",
    "Unconfirmed observations (not faults)": "Неподтверждённые наблюдения (не неисправности)",
    "Address": "Адрес",
    "Protocol version": "Версия протокола",
    "Charger number": "Номер станции",
    "Recognised the BMS": "BMS опознана",
    "Ready": "Готовность",
    "Highest output voltage": "Макс. выходное напряжение",
    "Lowest output voltage": "Мин. выходное напряжение",
    "Highest output current": "Макс. выходной ток",
    "Lowest output current": "Мин. выходной ток",
    "Battery type": "Тип батареи",
    "Rated capacity": "Номинальная ёмкость",
    "Rated voltage": "Номинальное напряжение",
    "Maker": "Производитель",
    "Charges": "Число зарядок",
    "Highest charging voltage": "Макс. напряжение заряда",
    "Highest cell voltage allowed": "Макс. допустимое напряжение ячейки",
    "Highest charging current": "Макс. ток заряда",
    "Rated energy": "Номинальная энергия",
    "Highest temperature allowed": "Макс. допустимая температура",
    "SOC": "SOC",
    "Voltage asked": "Запрошенное напряжение",
    "Current asked": "Запрошенный ток",
    "Output voltage": "Выходное напряжение",
    "Output current": "Выходной ток",
    "Peak output current": "Пиковый выходной ток",
    "Charging for": "Время зарядки",
    "Charging permitted": "Зарядка разрешена",
    "Voltage the BMS measures": "Напряжение по данным BMS",
    "Current the BMS measures": "Ток по данным BMS",
    "Time to full": "До полного заряда",
    "Its cell group": "Группа этой ячейки",
    "SOC at the start": "SOC в начале",
    "Cells": "Ячеек",
    "Lowest cell: number": "Мин. ячейка: номер",
    "Highest cell: number": "Макс. ячейка: номер",
    "Temperature probes": "Датчиков температуры",
    "Lowest probe temperature": "Мин. температура по датчикам",
    "Coldest probe: number": "Самый холодный датчик: номер",
    "Highest probe temperature": "Макс. температура по датчикам",
    "Warmest probe: number": "Самый тёплый датчик: номер",
    "Charged for": "Длительность зарядки",
    "yes": "да",
    "no": "нет",
    "constant voltage": "постоянное напряжение",
    "constant current": "постоянный ток",
    "lead-acid": "свинцово-кислотная",
    "other": "другой",
}


def entries(pot):
    """(msgctxt or None, msgid, msgid_plural or None) of a .pot, in order,
    strings joined and unquoted."""
    out, cur, field = [], {}, None

    def done():
        if "msgid" in cur:
            out.append((cur.get("msgctxt"), cur["msgid"], cur.get("msgid_plural")))
        cur.clear()

    for line in open(pot, encoding="utf-8"):
        line = line.rstrip("\n")
        key = line.split(" ", 1)[0]
        if key in ("msgctxt", "msgid", "msgid_plural"):
            if key in ("msgctxt", "msgid") and "msgid" in cur:
                done()
            field = key
            cur[key] = unquote(line[len(key) + 1:])
        elif line.startswith('"') and field:
            cur[field] += unquote(line)
        else:
            field = None
    done()
    return out


def unquote(s):
    import ast
    return "".join(ast.literal_eval(p) for p in __import__("re").findall(r'"(?:[^"\\]|\\.)*"', s))


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from ru_cli_texts import RU_CLI, RU_CLI_PLURAL
    here = os.path.dirname(os.path.abspath(__file__))
    texts = dict(RU)
    for k, v in RU_CLI.items():
        if texts.get(k, v) != v:
            sys.exit("po/ru_texts.py: two Russian texts for " + repr(k))
        texts[k] = v
    seen, ids = set(), []
    for pot in ("evgw-web.pot", "evgw-cli.pot"):
        for e in entries(os.path.join(here, pot)):
            if e[1] and e not in seen:
                seen.add(e)
                ids.append(e)
    missing = [i for c, i, pl in ids
               if (pl and i not in RU_CLI_PLURAL) or (not pl and (c + "\x04" + i if c else i) not in texts)]
    if missing:
        sys.exit("po/ru_texts.py: no Russian for: " + "; ".join(missing))
    # A template of the daemon's (util/text_template.h) keeps its places.
    import re
    places = [i for c, i, pl in ids if not pl and sorted(re.findall(r"\{\d\}", i)) !=
              sorted(re.findall(r"\{\d\}", texts[c + "\x04" + i if c else i]))]
    if places:
        sys.exit("po/ru_texts.py: the Russian lacks or adds {N} places: " + "; ".join(places))
    with open(os.path.join(here, "ru.po"), "w", encoding="utf-8") as f:
        f.write('# Russian texts of evgw (the CLI) and evgw-web (the workshop screen and its report).\n'
                '# SPDX-License-Identifier: MIT\n'
                '# Written by po/ru_texts.py from po/evgw-web.pot and po/evgw-cli.pot.\n'
                'msgid ""\nmsgstr ""\n"Project-Id-Version: evgw 0.1.0\\n"\n'
                '"PO-Revision-Date: 2026-12-07 22:00+0000\\n"\n"Last-Translator: evgw developers\\n"\n'
                '"Language-Team: Russian\\n"\n"Language: ru\\n"\n"MIME-Version: 1.0\\n"\n'
                '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
                '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : '
                'n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n')
        for c, i, pl in ids:
            f.write("\n")
            if c:
                f.write("msgctxt %s\n" % quote(c))
            if pl:
                f.write("msgid %s\nmsgid_plural %s\n" % (quote(i), quote(pl)))
                for n, form in enumerate(RU_CLI_PLURAL[i]):
                    f.write("msgstr[%d] %s\n" % (n, quote(form)))
            else:
                f.write("msgid %s\nmsgstr %s\n" % (quote(i), quote(texts[c + "\x04" + i if c else i])))
