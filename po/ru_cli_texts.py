# SPDX-License-Identifier: MIT
"""The Russian texts of the CLI (evgw), for po/ru_texts.py: RU_CLI by
msgid ("ctx\\x04msgid" for a text with a context), RU_CLI_PLURAL by
msgid with its three Russian forms (1, 2-4, 5 and more)."""
RU_CLI = {
    "start it with 'sudo systemctl start evgwd', or 'evgwd --demo' for the simulated vehicles":
        "запустите её: 'sudo systemctl start evgwd', или 'evgwd --demo' для имитации автомобилей",
    "a directory": "каталог",
    "a regular file": "обычный файл",
    "not a socket": "не сокет",
    "evgw: no permission to use the daemon's socket %s: join its group %s (sudo adduser $USER %s, then log in again)\n":
        "evgw: нет прав на сокет службы %s: вступите в её группу %s (sudo adduser $USER %s, затем войдите в систему заново)\n",
    "evgw: %s is %s, not the daemon's socket (see --socket)\n":
        "evgw: %s — %s, а не сокет службы (см. --socket)\n",
    "evgw: no daemon listens on %s (a socket left behind): %s\n":
        "evgw: на %s служба не отвечает (остался старый сокет): %s\n",
    "evgw: the socket path is too long (at most %zu bytes): %s\n":
        "evgw: слишком длинный путь к сокету (не больше %zu байт): %s\n",
    "evgw: no daemon at %s: %s\n": "evgw: служба не найдена на %s: %s\n",
    "evgw: cannot reach the daemon at %s: %s\n": "evgw: не удаётся связаться со службой на %s: %s\n",
    "evgw: no daemon at %s or %s: %s\n": "evgw: служба не найдена ни на %s, ни на %s: %s\n",
    "evgw: no socket to try (see --socket)\n": "evgw: нет сокета для подключения (см. --socket)\n",
    "evgw: out of memory\n": "evgw: не хватает памяти\n",
    "evgw: the daemon went away\n": "evgw: служба пропала\n",
    "evgw: the daemon closed the connection\n": "evgw: служба закрыла соединение\n",
    "fault\x04active": "активна",
    "fault\x04stored": "сохранена",
    "fault\x04pending": "ожидает",
    "fault\x04cleared": "стёрта",
    "fault\x04permanent": "постоянная",
    "fault\x04info": "инфо",
    "fault\x04warning": "внимание",
    "fault\x04error": "ошибка",
    "fault\x04critical": "критично",
    "no answer (timeout)": "нет ответа (время ожидания истекло)",
    "failed": "сбой",
    "no ECU answered": "ни один блок не ответил",
    "%lld of %lld ECUs answered\n": "ответили блоки: %lld из %lld\n",
    "cleared (acknowledged)": "стёрты (подтверждено)",
    "not cleared (refused)": "не стёрты (отказ)",
    "not cleared (access denied)": "не стёрты (доступ запрещён)",
    "not cleared (the ECU cannot respond now)": "не стёрты (блок сейчас не может ответить)",
    "ecu\x04cleared": "стёрты",
    "not cleared": "не стёрты",
    "column\x04STATUS": "СОСТОЯНИЕ",
    "column\x04SEVERITY": "ВАЖНОСТЬ",
    "column\x04LAMP": "ЛАМПА",
    "column\x04BUS": "ШИНА",
    "column\x04ECU": "БЛОК",
    "column\x04CODE": "КОД",
    "column\x04FIRST SEEN": "ВПЕРВЫЕ",
    "column\x04LAST SEEN": "ПОСЛЕДНИЙ РАЗ",
    "column\x04COUNT": "РАЗ",
    "column\x04DESCRIPTION": "ОПИСАНИЕ",
    "no faults in the store on bus %s\n": "в памяти нет неисправностей на шине %s\n",
    "no active faults on bus %s\n": "нет активных неисправностей на шине %s\n",
    "no faults in the store\n": "в памяти нет неисправностей\n",
    "no active faults\n": "нет активных неисправностей\n",
    "\n%s%s%s, %s on %s, freeze frame:\n": "\n%s%s%s, %s на %s, стоп-кадр:\n",
    "\n%sUnconfirmed observations%s (from definitions not yet confirmed on a vehicle: not faults; see docs/confirming.md)\n":
        "\n%sНеподтверждённые наблюдения%s (по описаниям, ещё не проверенным на автомобиле: это не "
        "неисправности; см. docs/confirming.md)\n",
    "unconfirmed: %s": "не подтверждено: %s",
    "evgw: '%s' needs a subcommand (see evgw %s --help)\n": "evgw: после '%s' нужна подкоманда (см. evgw %s --help)\n",
    "evgw: unknown command '%s'; did you mean '%s'? (see evgw --help)\n":
        "evgw: неизвестная команда '%s'; может быть, '%s'? (см. evgw --help)\n",
    "evgw: unknown command '%s' (see evgw --help)\n": "evgw: неизвестная команда '%s' (см. evgw --help)\n",
    "evgw %s: unknown option '%s'; did you mean '%s'? (see evgw %s --help)\n":
        "evgw %s: неизвестный параметр '%s'; может быть, '%s'? (см. evgw %s --help)\n",
    "evgw %s: unknown option '%s' (see evgw %s --help)\n": "evgw %s: неизвестный параметр '%s' (см. evgw %s --help)\n",
    "evgw %s: %s (see evgw %s --help)\n": "evgw %s: %s (см. evgw %s --help)\n",
    "evgw %s: missing %s (usage: %s)\n": "evgw %s: не указано: %s (использование: %s)\n",
    "evgw %s: unexpected argument '%s' (usage: %s)\n": "evgw %s: лишний аргумент '%s' (использование: %s)\n",
    "evgw: %s (see evgw --help)\n": "evgw: %s (см. evgw --help)\n",
    "bus\x04active": "активна",
    "bus\x04warning": "внимание",
    "bus\x04passive": "пассивна",
    "bus\x04bus-off": "отключена",
    "bus\x04restarting": "перезапуск",
    "bus\x04down": "не работает",
    "bus\x04gone": "пропала",
    "bus\x04stopped": "остановлена",
    "%s%s %s%s (pid %s), up %s%s\n": "%s%s %s%s (pid %s), работает %s%s\n",
    ", demo vehicles": ", имитация автомобилей",
    "configuration": "конфигурация",
    "none (the demo's buses)": "нет (шины имитации)",
    "none": "нет",
    "socket": "сокет",
    "buses": "шины",
    "%s connected": "подключено: %s",
    ", %lld cut off (too slow to read, or over a limit)":
        ", отключено: %lld (слишком медленно читали или превысили предел)",
    "clients": "клиенты",
    "%s received": "получено: %s",
    "frames": "кадры",
    "%s answered": "обработано: %s",
    "requests": "запросы",
    "%lld, %lld failed (the running configuration was kept)":
        "%lld, неудачных: %lld (оставлена работающая конфигурация)",
    "reloads": "перезагрузки",
    "%s, %lld fault changes waiting%s%.150s": "%s, ждут записи изменений: %lld%s%.150s",
    "fault store": "база ошибок",
    "%s, %s, %lld messages sent%s%.150s": "%s, %s, отправлено сообщений: %lld%s%.150s",
    "column\x04DRIVER": "ДРАЙВЕР",
    "column\x04STATE": "СОСТОЯНИЕ",
    "column\x04MODE": "РЕЖИМ",
    "column\x04BITRATE": "СКОРОСТЬ",
    "column\x04PROFILE": "ПРОФИЛЬ",
    "column\x04FRAMES": "КАДРЫ",
    "column\x04FPS": "КАДР/С",
    "column\x04DECODED": "РАСПОЗНАНО",
    "column\x04UNKNOWN": "НЕИЗВЕСТНО",
    "column\x04ERRORS": "ОШИБКИ",
    "column\x04DEVICE": "УСТРОЙСТВО",
    "the daemon has no buses\n": "у службы нет шин\n",
    "recording bus %s to %s (evgw record stop %s ends it)\n":
        "запись шины %s в %s (остановить: evgw record stop %s)\n",
    "evgw record: this daemon does not say what it records (evgw record start [BUS] FILE, evgw record stop [BUS])\n":
        "evgw record: эта служба не сообщает, что записывает (evgw record start [BUS] FILE, evgw record stop [BUS])\n",
    "%s: %srecording%s to %s\n": "%s: %sидёт запись%s в %s\n",
    "%s: not recording\n": "%s: запись не идёт\n",
    "bus %s: recording stopped, %s, %s written%s%s%s\n": "шина %s: запись остановлена, записано: %s, %s%s%s%s\n",
    "; it was cut short: ": "; запись прервалась: ",
    "unit\x04d": "д",
    "unit\x04h": "ч",
    "unit\x04min": "мин",
    "unit\x04s": "с",
    "not given": "не указана",
    "column\x04QUANTITY": "ВЕЛИЧИНА",
    "column\x04VALUE": "ЗНАЧЕНИЕ",
    "column\x04UNIT": "ЕД.",
    "column\x04FROM": "ИСТОЧНИК",
    "column\x04CONFIDENCE": "НАДЁЖНОСТЬ",
    "Battery on bus %s (profile %s)": "Батарея на шине %s (профиль %s)",
    "Battery on bus %s": "Батарея на шине %s",
    "%lld DIDs read by UDS 0x22, %lld answered\n": "запрошено DID по UDS 0x22: %lld, получен ответ: %lld\n",
    "from broadcast frames (no request sent)\n": "из широковещательных кадров (без запросов)\n",
    "capacity now / when new": "ёмкость сейчас / новой",
    "Cell spread": "Разброс по ячейкам",
    "\nState of health: %s.\n": "\nСостояние (SOH): %s.\n",
    "\n%sUNCONFIRMED%s: values marked assumed come from definitions no public source confirms; read them as observations, not findings (dbc/README.md says how a shop confirms one).\n":
        "\n%sНЕ ПОДТВЕРЖДЕНО%s: значения с пометкой assumed взяты из описаний, которые не подтверждает ни один "
        "открытый источник; считайте их наблюдениями, а не выводами (как мастерской подтвердить описание, "
        "сказано в dbc/README.md).\n",
    "note: %s\n": "примечание: %s\n",
    "evgw: bus %s gave no battery value (no BMS DID in its profile answered, and no BMS signal of its DBC files has been received)\n":
        "evgw: шина %s не дала ни одного значения батареи (ни один DID BMS из её профиля не ответил, и ни один "
        "сигнал BMS из её файлов DBC не получен)\n",
    "battery\x04State of charge": "Уровень заряда",
    "battery\x04Pack voltage": "Напряжение батареи",
    "battery\x04Pack current": "Ток батареи",
    "battery\x04Lowest cell voltage": "Мин. напряжение ячейки",
    "battery\x04Highest cell voltage": "Макс. напряжение ячейки",
    "battery\x04Lowest cell: number": "Мин. ячейка: номер",
    "battery\x04Highest cell: number": "Макс. ячейка: номер",
    "battery\x04Lowest cell: module (box)": "Мин. ячейка: модуль",
    "battery\x04Highest cell: module (box)": "Макс. ячейка: модуль",
    "battery\x04Coldest temperature": "Мин. температура",
    "battery\x04Warmest temperature": "Макс. температура",
    "battery\x04Average temperature": "Средняя температура",
    "battery\x04Coldest: sensor number": "Мин. температура: датчик",
    "battery\x04Warmest: sensor number": "Макс. температура: датчик",
    "battery\x04Coldest: module (box)": "Мин. температура: модуль",
    "battery\x04Warmest: module (box)": "Макс. температура: модуль",
    "battery\x04Charged in its life": "Заряжено за всё время",
    "battery\x04Discharged in its life": "Отдано за всё время",
    "battery\x04Energy charged in its life": "Энергии заряжено за всё время",
    "battery\x04Energy discharged in its life": "Энергии отдано за всё время",
    "battery\x04Charges": "Зарядок",
    "battery\x04Capacity now": "Ёмкость сейчас",
    "battery\x04Capacity when new": "Ёмкость новой",
    "session %s, %s: %s%s%s": "зарядка %s, %s: %s%s%s",
    "in progress": "идёт",
    "lost (went silent)": "потеряна (связь пропала)",
    ", heard from the middle on": ", слышен с середины",
    "charger ": "зарядная станция ",
    ", BMS max ": ", BMS макс. ",
    "stage\x04handshake": "согласование",
    "BMS ": "BMS ",
    ", VIN ": ", VIN ",
    ", charger no. ": ", станция № ",
    "stage\x04recognition": "опознание",
    ", cells ": ", ячейки ",
    "battery max ": "батарея макс. ",
    "; charger up to ": "; станция до ",
    "stage\x04parameters": "параметры",
    "demand ": "запрос ",
    ", output ": ", выход ",
    ", BMS measures ": ", BMS измеряет ",
    ", up to ": ", до ",
    " to ": " до ",
    "stage\x04charging": "зарядка",
    "stage\x04end": "завершение",
    "SOC ": "SOC ",
    " in ": " за ",
    "stage\x04statistics": "итоги",
    "no GB/T 27930 charging heard on bus %s\n": "на шине %s зарядки по GB/T 27930 не было\n",
    "bus %s, GB/T 27930 charging (currents: positive = into the battery)\n":
        "шина %s, зарядка по GB/T 27930 (токи: плюс — в батарею)\n",
    "the daemon: version, uptime, buses, clients": "служба: версия, время работы, шины, клиенты",
    "each bus: driver, state, vehicle profile, frame counters": "каждая шина: драйвер, состояние, профиль автомобиля, счётчики кадров",
    "per CAN id on a bus: count, period, missing": "по каждому CAN id шины: сколько, период, пропавшие",
    "the latest value of every signal": "последнее значение каждого сигнала",
    "the DBC files each bus uses": "файлы DBC каждой шины",
    "the ECUs heard (J1939 address claims)": "услышанные блоки (заявки адресов J1939)",
    "GB/T 27930 DC charging sessions: timeline, values, why they stopped":
        "зарядки постоянным током GB/T 27930: ход, значения, причина остановки",
    "active faults (--history: every fault in the store)": "активные неисправности (--history: все из памяти)",
    "read an ECU's DTCs": "прочитать коды неисправностей блока",
    "clear an ECU's DTCs (admins only)": "стереть коды неисправностей блока (только администраторы)",
    "read the vehicle identification number": "прочитать VIN автомобиля",
    "read a data identifier (UDS 0x22)": "прочитать идентификатор данных (UDS 0x22)",
    "OBD-II live data (mode 01)": "текущие данные OBD-II (режим 01)",
    "battery health: SOC, cells, temperatures, SOH": "состояние батареи: SOC, ячейки, температуры, SOH",
    "follow signal values as they change": "следить за значениями сигналов",
    "follow raw frames, in candump's format": "следить за кадрами, в формате candump",
    "follow bus states": "следить за состоянием шин",
    "follow faults as they are raised and cleared": "следить за появлением и стиранием неисправностей",
    "a live view of a bus: one line per id, changed bits, decoded values":
        "шина вживую: строка на каждый id, изменившиеся биты, расшифрованные значения",
    "what each bus is being recorded to": "куда записывается каждая шина",
    "record a bus's frames to a candump log": "записать кадры шины в журнал candump",
    "stop recording": "остановить запись",
    "check DBC files": "проверить файлы DBC",
    "convert between candump logs and pcapng": "преобразовать журналы candump в pcapng и обратно",
    "decode a candump log with DBC files": "расшифровать журнал candump по файлам DBC",
    "a shared PID list (WiCAN, ABRP, Torque) as a vehicle profile":
        "общий список PID (WiCAN, ABRP, Torque) как профиль автомобиля",
    "draft a DBC for the unknown ids of a candump log": "набросать DBC для неизвестных id журнала candump",
    "this text, or a command's": "эта справка или справка по команде",
    "usage: evgw [OPTIONS] COMMAND [ARGS]\n\nDaemon commands (ask evgwd over its socket):\n":
        "использование: evgw [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]\n\nКоманды службы (запрос к evgwd через её сокет):\n",
    "\nOffline commands (no daemon needed):\n": "\nКоманды без службы (evgwd не нужна):\n",
    "\nOptions, anywhere on the line:\n"
    "  --socket PATH    the daemon's socket (default: $EVGW_SOCKET, else your own\n"
    "                   daemon's, else the system's, /run/evgw/evgw.sock)\n"
    "  --json           JSON for scripts: one line per reply or event\n"
    "  --color[=WHEN]   colour: auto (on a terminal, unless NO_COLOR is set),\n"
    "                   always, never\n"
    "  --no-color       the same as --color=never\n"
    "  -h, --help       this text; evgw COMMAND --help: a command's\n"
    "  --version        the version\n"
    "\nEnvironment: EVGW_SOCKET (the socket, when --socket is not given), NO_COLOR.\n"
    "\nExit status: 0 done; 1 the request failed, nothing matched or an ECU failed;\n"
    "2 a usage error; 3 the daemon cannot be reached.\n":
        "\nПараметры, в любом месте строки:\n"
        "  --socket PATH    сокет службы (по умолчанию: $EVGW_SOCKET, иначе сокет вашей\n"
        "                   службы, иначе системной, /run/evgw/evgw.sock)\n"
        "  --json           JSON для скриптов: строка на каждый ответ или событие\n"
        "  --color[=WHEN]   цвет: auto (на терминале, если не задана NO_COLOR),\n"
        "                   always, never\n"
        "  --no-color       то же, что --color=never\n"
        "  -h, --help       эта справка; evgw КОМАНДА --help: справка по команде\n"
        "  --version        версия\n"
        "\nОкружение: EVGW_SOCKET (сокет, когда не указан --socket), NO_COLOR.\n"
        "\nКод возврата: 0 готово; 1 запрос не удался, ничего не найдено или блок дал сбой;\n"
        "2 ошибка в командной строке; 3 служба недоступна.\n",
    "usage: %s\n\n": "использование: %s\n\n",
    "\nOptions:\n": "\nПараметры:\n",
    "\nGlobal options: --socket PATH, --json, --color[=WHEN], --no-color (evgw --help).\n":
        "\nОбщие параметры: --socket PATH, --json, --color[=WHEN], --no-color (evgw --help).\n",
    "\nGlobal options: --json (evgw --help).\n": "\nОбщие параметры: --json (evgw --help).\n",
    "\nevgw %s WHAT --help: more about one.\n": "\nevgw %s ЧТО --help: подробнее об одной из них.\n",
    "evgw help: no command '%s'; did you mean '%s'? (see evgw --help)\n":
        "evgw help: нет команды '%s'; может быть, '%s'? (см. evgw --help)\n",
    "evgw help: no command '%s' (see evgw --help)\n": "evgw help: нет команды '%s' (см. evgw --help)\n",
    "column\x04TIME": "ВРЕМЯ",
    "column\x04EVENT": "СОБЫТИЕ",
    "event\x04raised": "возникла",
    "event\x04cleared": "снята",
    " (was %s)": " (было: %s)",
    "column\x04ID": "ID",
    "column\x04PERIOD MS": "ПЕРИОД МС",
    "column\x04CYCLE MS": "ЦИКЛ МС",
    "column\x04MESSAGE": "СООБЩЕНИЕ",
    "no frames seen on bus %s yet\n": "на шине %s кадров пока не было\n",
    "message\x04MISSING": "ПРОПАЛО",
    "message\x04ok": "норма",
    "column\x04SIGNAL": "СИГНАЛ",
    "column\x04LABEL": "ПОЯСНЕНИЕ",
    "no signals decoded yet\n": "расшифрованных сигналов пока нет\n",
    "evgw: no signals match '%s' on bus %s\n": "evgw: на шине %2$s нет сигналов, подходящих под '%1$s'\n",
    "evgw: no signals match '%s'\n": "evgw: нет сигналов, подходящих под '%s'\n",
    "column\x04MESSAGES": "СООБЩЕНИЙ",
    "column\x04SIGNALS": "СИГНАЛОВ",
    "column\x04WARNINGS": "ПРЕДУПРЕЖДЕНИЙ",
    "column\x04FILE": "ФАЙЛ",
    "no bus decodes with a DBC file\n": "ни одна шина не расшифровывается по файлу DBC\n",
    "industry\x04global": "общая",
    "industry\x04on-highway": "дорожная техника",
    "industry\x04agricultural": "сельхозтехника",
    "industry\x04construction": "строительная техника",
    "industry\x04marine": "судовая",
    "industry\x04industrial": "промышленная",
    "column\x04ADDRESS": "АДРЕС",
    "column\x04INDUSTRY": "ОТРАСЛЬ",
    "column\x04FUNCTION": "ФУНКЦИЯ",
    "column\x04FN INST": "ЭКЗ. ФУНКЦ.",
    "column\x04ECU INST": "ЭКЗ. БЛОКА",
    "column\x04MANUFACTURER": "ПРОИЗВОДИТЕЛЬ",
    "column\x04IDENTITY": "ИДЕНТ. НОМЕР",
    "column\x04NAME": "NAME J1939",
    "no ECUs heard yet on bus %s (J1939 address claims)\n":
        "на шине %s блоков пока не слышно (заявок адресов J1939 не было)\n",
    "no ECUs heard yet (J1939 address claims)\n": "блоков пока не слышно (заявок адресов J1939 не было)\n",
    "%s-- %s %s: %zu ids, %zu unknown%s%s%s%s%s%s%s\n": "%s-- %s %s: id: %zu, неизвестных: %zu%s%s%s%s%s%s%s\n",
    ", frozen": ", заморожено",
    ", unknown only": ", только неизвестные",
    ", changed only": ", только изменившиеся",
    ", marked": ", с отметкой",
    ", ids ": ", id ",
    "ids starting with (hex, Enter; Enter alone: all; Esc): %s\n":
        "id, начинающиеся с (hex, Enter; просто Enter: все; Esc): %s\n",
    "%skeys: q quit, space freeze, u unknown only, c changed only, m mark/unmark, / ids%s\n":
        "%sклавиши: q выход, пробел заморозить, u только неизвестные, c только изменившиеся, "
        "m отметить/снять, / id%s\n",
    "column\x04FRAMES/S": "КАДР/С",
    "column\x04LEN": "ДЛ.",
    "column\x04DATA": "ДАННЫЕ",
    "column\x04CHANGED": "ИЗМЕНЕНИЯ",
    "column\x04VALUES": "ЗНАЧЕНИЯ",
    "the bus to ask (may be left out when the daemon has one bus)":
        "шина, которую опрашивать (можно не указывать, если у службы одна шина)",
    "at most HZ updates per second (0.01 to 1000; default 2)":
        "не больше HZ обновлений в секунду (от 0.01 до 1000; по умолчанию 2)",
    "every fault in the store, across restarts (default: the active ones)":
        "все неисправности из памяти, в том числе до перезапусков (по умолчанию: только активные)",
    "warnings count as errors; stop at the first error":
        "предупреждения считаются ошибками; остановка на первой ошибке",
    "print errors only (no warnings or notes), and the summary":
        "выводить только ошибки (без предупреждений и примечаний) и итог",
    "the command names, one per line (for completion scripts)":
        "имена команд, по одному в строке (для скриптов автодополнения)",
    "each fault's freeze frame: the signals when it first appeared":
        "стоп-кадр каждой неисправности: сигналы в момент её появления",
    "go on in a new file each time one reaches SIZE bytes (k, M, G: 1024s; at least 4k)":
        "продолжать в новом файле каждый раз, когда файл дорастает до SIZE байт (k, M, G: по 1024; не меньше "
        "4k)",
    "fault texts in en (English) or ru (Russian); default: the locale's (LC_ALL, LC_MESSAGES, LANG)":
        "тексты неисправностей на en (английском) или ru (русском); по умолчанию — по локали (LC_ALL, "
        "LC_MESSAGES, LANG)",
    "ECU is a request id in hex (7E7), obd (every OBD-II ECU, by a functional request), j1939 or j1939:SA "
    "(J1939, every ECU or one source address), and with a vehicle profile an ECU's name (bms) or all "
    "(every ECU the profile names: UDS, KWP, OBD-II, J1939).":
        "ECU — идентификатор запроса в hex (7E7), obd (все блоки OBD-II, функциональным запросом), j1939 или "
        "j1939:SA (J1939: все блоки или один адрес источника), а при профиле автомобиля — имя блока (bms) или "
        "all (все блоки, названные в профиле: UDS, KWP, OBD-II, J1939).",
    "Without --bus, the daemon's only bus.":
        "Без --bus — единственная шина службы.",
    "What the daemon is: its version and process, how long it has run, its configuration file and socket, "
    "how many buses and clients it has, the frames it has received and the requests it has answered, and "
    "its reloads.":
        "Что за служба работает: её версия и процесс, сколько она уже работает, её файл конфигурации и сокет, "
        "сколько у неё шин и клиентов, сколько кадров она получила и на сколько запросов ответила, и "
        "перезагрузки конфигурации.",
    "One line per bus: its name, driver and device, bit rate, mode (listen-only or diagnostic), state "
    "(active, warning, passive, bus-off, restarting, down, gone, stopped), vehicle profile, frames "
    "received, frames per second, how many were decoded or unknown, and error frames.":
        "Строка на каждую шину: имя, драйвер и устройство, скорость, режим (listen-only — только "
        "прослушивание, diagnostic — диагностика), состояние (активна, внимание, пассивна, отключена, "
        "перезапуск, не работает, пропала, остановлена), профиль автомобиля, принятые кадры, кадров в "
        "секунду, сколько из них расшифровано и сколько неизвестно, кадры ошибок.",
    "One line per CAN id seen on BUS: the message's name from the DBC files (or the J1939 group evgw "
    "knows it as, such as DM1), how many frames, the measured period and the DBC's cycle time, and "
    "MISSING when a cyclic message has not been seen for 3 cycles.":
        "Строка на каждый CAN id, замеченный на шине BUS: имя сообщения из файлов DBC (или группа J1939, под "
        "которой его знает evgw, например DM1), сколько кадров, измеренный период и период по DBC, и ПРОПАЛО, "
        "когда циклическое сообщение не приходило 3 периода подряд.",
    "The latest value of every decoded signal, with its unit and value-table label. GLOB (a shell "
    "pattern, case-sensitive; quote it) matches SIGNAL or MESSAGE.SIGNAL. Exit status 1 when nothing "
    "matches.":
        "Последнее значение каждого расшифрованного сигнала, с единицей измерения и пояснением из таблицы "
        "значений. GLOB (шаблон оболочки, с учётом регистра; возьмите его в кавычки) сравнивается с SIGNAL "
        "или MESSAGE.SIGNAL. Код возврата 1, если ничего не подошло.",
    "The DBC files each bus decodes with: messages, signals, warnings and errors found when they were "
    "loaded. To check a DBC file without a daemon: evgw dbc check.":
        "Файлы DBC, по которым расшифровывает каждая шина: сообщения, сигналы, предупреждения и ошибки, "
        "найденные при загрузке. Проверить файл DBC без службы: evgw dbc check.",
    "The ECUs that claimed an address on the J1939 buses: address, the vehicle profile's name for it, and "
    "the fields of its J1939 NAME (industry group, function, instance, manufacturer code, identity "
    "number).":
        "Блоки, заявившие адрес на шинах J1939: адрес, имя блока в профиле автомобиля и поля его NAME J1939 "
        "(отрасль, функция, экземпляр, код производителя, идентификационный номер).",
    "The GB/T 27930 charging sessions heard on a J1939 bus (charger 0x56, BMS 0xF4; listen-only): the one "
    "in progress and the last finished ones, each as a timeline (handshake, recognition, parameters, "
    "charging, end) with the versions, the battery, the limits, demand against output, SOC and "
    "temperatures, and the stop reasons in words. Currents are charging currents, positive into the "
    "battery (the standard sends them with a -400 A offset, negative while charging). A session that "
    "stops on a fault, error or timeout is also a fault (evgw faults).":
        "Сеансы зарядки GB/T 27930, услышанные на шине J1939 (зарядная станция 0x56, BMS 0xF4; только "
        "прослушивание): текущий и последние завершённые, каждый — как ход по этапам (согласование, "
        "опознание, параметры, зарядка, завершение) с версиями, батареей, пределами, запросом BMS против "
        "выхода станции, SOC и температурами, и причины остановки словами. Токи — токи заряда, плюс — в "
        "батарею (стандарт передаёт их со смещением -400 A, при зарядке они отрицательны). Сеанс, "
        "остановленный из-за неисправности, ошибки или тайм-аута, — ещё и неисправность (evgw faults).",
    "The active faults, or with --history every fault in the fault store (newest first, across restarts): "
    "status, severity, warning lamps, bus, ECU, code, first and last seen, how often, and what it means; "
    "with --freeze-frame, below the table, the signals of each fault's freeze frame (as they were when it "
    "first appeared). Unconfirmed observations (of definitions not yet confirmed on a vehicle) are listed "
    "apart. DTC texts in the locale's language (Russian when LC_ALL, LC_MESSAGES or LANG starts with ru) "
    "or --lang's.":
        "Активные неисправности, а с --history — все неисправности из памяти (сначала новые, в том числе до "
        "перезапусков): состояние, важность, сигнальные лампы, шина, блок, код, когда замечена впервые и в "
        "последний раз, сколько раз и что означает; с --freeze-frame под таблицей — сигналы стоп-кадра каждой "
        "неисправности (какими они были при её появлении). Неподтверждённые наблюдения (по описаниям, ещё не "
        "проверенным на автомобиле) показаны отдельно. Тексты DTC — на языке локали (русский, если LC_ALL, "
        "LC_MESSAGES или LANG начинается с ru) или --lang.",
    "Ask ECUs for their diagnostic trouble codes (the bus must be in diagnostic mode): UDS 0x19 with the "
    "KWP2000 0x18 fallback, OBD-II modes 03/07/0A, J1939 DM2. DTC texts as for faults (--lang). Exit "
    "status 1 when an ECU did not answer or refused.":
        "Запросить у блоков коды неисправностей (шина должна быть в режиме диагностики): UDS 0x19 с запасным "
        "KWP2000 0x18, OBD-II режимы 03/07/0A, J1939 DM2. Тексты DTC — как у faults (--lang). Код возврата 1, "
        "если какой-то блок не ответил или отказал.",
    "Clear ECUs' diagnostic trouble codes: UDS 0x14, OBD-II mode 04, J1939 DM11. For admins only (root "
    "and the daemon's admin_group). Exit status 1 when an ECU did not clear.":
        "Стереть коды неисправностей блоков: UDS 0x14, OBD-II режим 04, J1939 DM11. Только для "
        "администраторов (root и группа admin_group службы). Код возврата 1, если какой-то блок не стёр коды.",
    "Read the VIN: UDS DID F190, OBD-II mode 09 with obd, J1939 PGN 65260 with j1939 (ECU may be left out "
    "on a J1939 bus).":
        "Прочитать VIN: UDS DID F190, OBD-II режим 09 с obd, J1939 PGN 65260 с j1939 (на шине J1939 ECU можно "
        "не указывать).",
    "Read a data identifier: DID in hex (F190) or, with a vehicle profile, its name (soc); the profile "
    "decodes the values it knows.":
        "Прочитать идентификатор данных: DID в hex (F190) или, при профиле автомобиля, его имя (soc); "
        "известные профилю значения расшифровываются.",
    "OBD-II live data from every OBD-II ECU: the PIDs each supports, and the value of each (those named, "
    "as hex numbers separated by commas, e.g. 0D,42; else every supported PID evgw decodes).":
        "Текущие данные OBD-II от всех блоков OBD-II: какие PID поддерживает каждый и значение каждого "
        "(указанных — шестнадцатеричными числами через запятую, например 0D,42; иначе всех поддерживаемых "
        "PID, которые расшифровывает evgw).",
    "What the battery management system makes public, in one reading: state of charge, pack voltage and "
    "current, lowest and highest cell voltage with their cell numbers and the spread between them, "
    "temperatures with their sensors, lifetime charged and discharged Ah and kWh, charge count, capacity "
    "now and when new, and the state of health (capacity now over capacity when new, with how it was "
    "computed). Each value says where it came from (a DID of the vehicle profile, read by UDS 0x22 on a "
    "bus in diagnostic mode, or a broadcast DBC signal) and how sure that definition is; a reading that "
    "uses an assumed one is UNCONFIRMED. Read-only. Exit status 1 when no value was given.":
        "Что система управления батареей сообщает открыто, за одно чтение: уровень заряда, напряжение и ток "
        "батареи, наименьшее и наибольшее напряжение ячеек с номерами ячеек и разброс между ними, температуры "
        "с датчиками, заряжено и отдано за всё время в Ah и kWh, число зарядок, ёмкость сейчас и новой "
        "батареи и состояние (SOH: ёмкость сейчас к ёмкости новой, с тем, как оно посчитано). У каждого "
        "значения указано, откуда оно взято (DID профиля автомобиля, прочитанный по UDS 0x22 на шине в режиме "
        "диагностики, или широковещательный сигнал DBC) и насколько надёжно это описание; показание, "
        "опирающееся на предположительное (assumed) описание, помечено НЕ ПОДТВЕРЖДЕНО. Только чтение. Код "
        "возврата 1, если не получено ни одного значения.",
    "Follow signal values: a line per value, with the local time of its frame, at most HZ updates per "
    "second (default 2). GLOB as for signals. Ctrl-C ends it.":
        "Следить за значениями сигналов: строка на каждое значение с местным временем его кадра, не больше HZ "
        "обновлений в секунду (по умолчанию 2). GLOB — как у signals. Остановка — Ctrl-C.",
    "Follow raw frames as candump -L prints them, all of them or those with the CAN ids named (hex, "
    "separated by commas: 121,18FECAEF). Ctrl-C ends it.":
        "Следить за кадрами в том виде, как их печатает candump -L: за всеми или за кадрами с указанными CAN "
        "id (hex через запятую: 121,18FECAEF). Остановка — Ctrl-C.",
    "The state of every bus (or of BUS), then each change as it happens (active, warning, passive, "
    "bus-off, restarting, down, gone, stopped), with the local time. Ctrl-C ends it.":
        "Состояние каждой шины (или шины BUS), затем каждое его изменение, когда оно происходит (активна, "
        "внимание, пассивна, отключена, перезапуск, не работает, пропала, остановлена), с местным временем. "
        "Остановка — Ctrl-C.",
    "Follow faults: a line each time one is raised, changes status or is cleared, with its severity, "
    "lamps, bus, ECU, code and meaning (in the language, as for faults). Ctrl-C ends it.":
        "Следить за неисправностями: строка каждый раз, когда неисправность возникает, меняет состояние или "
        "снимается, с важностью, лампами, шиной, блоком, кодом и смыслом (на языке, выбранном как у faults). "
        "Остановка — Ctrl-C.",
    "Like can-utils' cansniffer, knowing the daemon's DBC files: one line per CAN id with its frames per "
    "second, length, bytes (on a terminal the bytes whose bits changed in the last 2 s highlighted), DBC "
    "message and latest decoded values; ids no DBC describes first. --id keeps to the ids named (hex; "
    "repeated, or separated by commas). On a terminal the screen is redrawn 4 times a second and keys "
    "work: q quit, space freeze, u unknown ids only, c changed ids only, m mark (then the bytes that "
    "differ from the marked ones are highlighted; m again unmarks), / then hex digits and Enter (only the "
    "ids starting with them; Enter alone: all). On a pipe: a block of lines every --interval seconds "
    "(default 1) with the bits changed in it as hex, --count blocks (default: until Ctrl-C).":
        "Как cansniffer из can-utils, но со знанием файлов DBC службы: строка на каждый CAN id с числом "
        "кадров в секунду, длиной, байтами (на терминале выделены байты, биты которых менялись за последние 2 "
        "с), сообщением DBC и последними расшифрованными значениями; id, которых нет ни в одном DBC, идут "
        "первыми. --id оставляет только указанные id (hex; несколько раз или через запятую). На терминале "
        "экран обновляется 4 раза в секунду и работают клавиши: q выход, пробел заморозить, u только "
        "неизвестные id, c только изменившиеся id, m отметить (тогда выделяются байты, отличающиеся от "
        "отмеченных; повторное m снимает отметку), / затем шестнадцатеричные цифры и Enter (только id, "
        "начинающиеся с них; просто Enter: все). В канал (pipe): каждые --interval секунд (по умолчанию 1) "
        "блок строк с изменившимися за это время битами в hex, всего --count блоков (по умолчанию — до "
        "Ctrl-C).",
    "Which buses are being recorded, and to which file. evgw record start and evgw record stop start and "
    "stop a recording.":
        "Какие шины записываются и в какой файл. Начать и остановить запись: evgw record start и evgw record "
        "stop.",
    "Record BUS's frames (the daemon's only bus when BUS is left out) to a candump log that canplayer, "
    "python-can and evgw decode read back. A plain name goes under the daemon's <state_dir>/recordings/; "
    "a path (./session.log, /tmp/x.log) is made absolute and needs an admin. Nothing is overwritten. A "
    "name ending in .zst is written zstd compressed; --rotate 100M goes on in FILE-2, FILE-3... each time "
    "a file reaches 100 MiB.":
        "Записать кадры шины BUS (если BUS не указана — единственной шины службы) в журнал candump, который "
        "читают canplayer, python-can и evgw decode. Простое имя файла кладётся в каталог службы "
        "<state_dir>/recordings/; путь (./session.log, /tmp/x.log) делается абсолютным и требует прав "
        "администратора. Ничего не перезаписывается. Файл с именем на .zst пишется со сжатием zstd; --rotate "
        "100M продолжает запись в FILE-2, FILE-3... каждый раз, когда файл дорастает до 100 МиБ.",
    "Stop recording BUS (the daemon's only bus when BUS is left out) and say how many frames and bytes "
    "were written, in how many files.":
        "Остановить запись шины BUS (если BUS не указана — единственной шины службы) и сообщить, сколько "
        "кадров и байт записано и в скольких файлах.",
    "Load each DBC file and print a summary (nodes, messages, signals, value tables, attributes, "
    "comments) and its findings as file:line:col: severity: message, in line order. Exit status 0 when "
    "there are no errors (warnings allowed), 1 with errors, 2 when a file cannot be loaded. --json: one "
    "object per file.":
        "Загрузить каждый файл DBC и напечатать сводку (узлы, сообщения, сигналы, таблицы значений, атрибуты, "
        "комментарии) и замечания в виде file:line:col: severity: message, по порядку строк. Код возврата 0, "
        "если ошибок нет (предупреждения допустимы), 1 при ошибках, 2, если файл не загружается. --json: по "
        "объекту на файл.",
    "Convert a candump log to pcapng (LINKTYPE_CAN_SOCKETCAN, which Wireshark and tshark read) or back, "
    "streaming: the input's format is recognised by content (plain, or gzip, xz or zstd compressed), the "
    "output's by --to or OUT's name (.pcapng; else candump). Each interface becomes one pcapng interface, "
    "timestamps stay microseconds, a sent frame's \" T\" is the packet's outbound flag, and comment lines "
    "travel as pcapng comments, so a log as evgw or candump -l writes it converts back byte for byte. OUT "
    "is never overwritten. A bad log line is reported as file:line:col and skipped (exit status 1); a "
    "damaged pcapng file stops at the byte offset of the bad block (exit status 2).":
        "Преобразовать журнал candump в pcapng (LINKTYPE_CAN_SOCKETCAN, его читают Wireshark и tshark) или "
        "обратно, потоком: формат входа определяется по содержимому (без сжатия или со сжатием gzip, xz, "
        "zstd), формат выхода — по --to или по имени OUT (.pcapng; иначе candump). Каждый интерфейс "
        "становится отдельным интерфейсом pcapng, метки времени остаются в микросекундах, пометка \" T\" "
        "отправленного кадра становится флагом исходящего пакета, а строки комментариев переносятся как "
        "комментарии pcapng, так что журнал, записанный evgw или candump -l, преобразуется обратно байт в "
        "байт. OUT никогда не перезаписывается. О неверной строке журнала сообщается как file:line:col, и она "
        "пропускается (код возврата 1); повреждённый файл pcapng читается до смещения плохого блока (код "
        "возврата 2).",
    "Decode a candump log (a file, or standard input with - or nothing; plain, or gzip, xz or zstd "
    "compressed, recognised by content) with DBC files and print every frame they describe; with several "
    "--dbc files the first that describes a frame wins. By default, text: a line per frame (line number, "
    "local time, bus, id, message) with its signals indented below. --table: a header, then one row per "
    "signal (line, local time, bus, id, message, signal, value, unit, label). --json: one object per "
    "frame (a stable interface). Values print at the precision their DBC scale implies (factor 0.1: "
    "84.8). --strict: a DBC file with an error is not used; --quiet: no DBC warnings and no summary. A "
    "malformed line is reported as file:line:col and skipped (exit status 1); a damaged compressed log "
    "ends the run with exit status 2.":
        "Расшифровать журнал candump (файл или стандартный ввод: - или ничего; без сжатия или со сжатием "
        "gzip, xz, zstd, определяется по содержимому) по файлам DBC и напечатать каждый описанный в них кадр; "
        "если файлов --dbc несколько, берётся первый, описывающий кадр. По умолчанию — текст: строка на кадр "
        "(номер строки, местное время, шина, id, сообщение) и его сигналы с отступом ниже. --table: "
        "заголовок, затем строка на каждый сигнал (строка, местное время, шина, id, сообщение, сигнал, "
        "значение, единица, пояснение). --json: объект на кадр (стабильный интерфейс). Значения печатаются с "
        "точностью, которую задаёт масштаб в DBC (множитель 0.1: 84.8). --strict: файл DBC с ошибкой не "
        "используется; --quiet: без предупреждений DBC и без сводки. О неверной строке сообщается как "
        "file:line:col, и она пропускается (код возврата 1); повреждённый сжатый журнал завершает работу с "
        "кодом возврата 2.",
    "Read a PID list people share -- a WiCAN vehicle-profile JSON (parameters with expressions such as "
    "(B5*256+B4)/100), an ABRP-style JSON (equation, command, ecu) or a Torque-style CSV (Name, "
    "ShortName, ModeAndPID, Equation, Units, Header) -- and write a vehicle profile (standard output "
    "without --out): an [ecu] per request id and a [did] per UDS 0x22 entry with its equation as expr, "
    "each marked confidence = assumed and source = FILE. The format is guessed from the content without "
    "--format. Anything else than a 0x22 read, or an equation evgw does not take, is an error at "
    "FILE:line:col (exit status 1). The profile is read back before it is written.":
        "Прочитать список PID, которым делятся пользователи, — JSON профиля автомобиля WiCAN (параметры с "
        "выражениями вида (B5*256+B4)/100), JSON в стиле ABRP (equation, command, ecu) или CSV в стиле Torque "
        "(Name, ShortName, ModeAndPID, Equation, Units, Header), — и записать профиль автомобиля (без --out — "
        "на стандартный вывод): [ecu] на каждый идентификатор запроса и [did] на каждую запись UDS 0x22 с её "
        "формулой в expr, каждая с пометкой confidence = assumed и source = FILE. Без --format формат "
        "определяется по содержимому. Всё, кроме чтения 0x22, и формула, которую evgw не принимает, — ошибка "
        "в FILE:line:col (код возврата 1). Перед записью профиль читается обратно для проверки.",
    "Read a candump log (a file, or - for standard input; plain, gzip, xz or zstd) and write a draft DBC "
    "file for the ids that no --dbc file describes: per id its period and length, the constant bits (in "
    "its comment), a checksum byte (sum, XOR or CRC-8, EvgwChecksum), a counter (EvgwCounter), and the "
    "value fields with their start bit, length, byte order and sign, found from how their bits change "
    "together. Every draft signal is raw (factor 1) and marked assumed. --bus: only frames of that "
    "interface. --correlate BUS.MESSAGE.SIGNAL (a signal of a --dbc file in the same log; BUS may be *): "
    "rank the draft fields by how well they follow it, with the least-squares scale and offset; "
    "--correlate obd:PID (hex, e.g. obd:0D vehicle speed): the same with the OBD-II mode 01 answers in "
    "the log. The method and its limits: docs/discovery.md.":
        "Прочитать журнал candump (файл или - для стандартного ввода; без сжатия, gzip, xz или zstd) и "
        "записать черновой файл DBC для id, которых не описывает ни один файл --dbc: для каждого id — период "
        "и длину, постоянные биты (в комментарии), байт контрольной суммы (сумма, XOR или CRC-8, "
        "EvgwChecksum), счётчик (EvgwCounter) и поля значений с начальным битом, длиной, порядком байтов и "
        "знаком, найденные по тому, как их биты меняются вместе. Каждый черновой сигнал — сырой (множитель 1) "
        "и помечен assumed. --bus: только кадры этого интерфейса. --correlate BUS.MESSAGE.SIGNAL (сигнал "
        "файла --dbc в том же журнале; BUS может быть *): упорядочить черновые поля по тому, насколько хорошо "
        "они следуют за ним, с масштабом и смещением по методу наименьших квадратов; --correlate obd:PID "
        "(шестнадцатеричный, например obd:0D — скорость автомобиля): то же по ответам OBD-II режима 01 в "
        "журнале. Метод и его ограничения: docs/discovery.md.",
    "Without COMMAND the list of commands; with it, what the command does and takes (as evgw COMMAND "
    "--help).":
        "Без COMMAND — список команд; с ней — что команда делает и что принимает (как evgw COMMAND --help).",
    # The daemon's sentences (templates, util/text_template.h), translated by the clients.
    "SOC target reached":
        "достигнут заданный SOC",
    "total voltage set point reached":
        "достигнуто заданное общее напряжение",
    "cell voltage set point reached":
        "достигнуто заданное напряжение ячейки",
    "the charger stopped":
        "зарядная станция остановила заряд",
    "insulation fault":
        "неисправность изоляции",
    "output connector over-temperature":
        "перегрев выходного разъёма",
    "BMS component or output connector over-temperature":
        "перегрев компонентов BMS или выходного разъёма",
    "charging connector fault":
        "неисправность зарядного разъёма",
    "battery pack over-temperature":
        "перегрев батареи",
    "high-voltage relay fault":
        "неисправность высоковольтного реле",
    "detection point 2 voltage fault":
        "неисправность напряжения в точке контроля 2",
    "other fault":
        "другая неисправность",
    "over-current":
        "превышение тока",
    "abnormal voltage":
        "аномальное напряжение",
    "conditions set at the charger reached":
        "достигнуты условия, заданные на зарядной станции",
    "stopped by hand":
        "остановлено вручную",
    "stopped on a fault":
        "остановлено из-за неисправности",
    "the BMS stopped":
        "BMS остановила заряд",
    "charger over-temperature":
        "перегрев зарядной станции",
    "charger internal over-temperature":
        "внутренний перегрев зарядной станции",
    "energy cannot be delivered":
        "невозможно передать энергию",
    "emergency stop":
        "аварийная остановка",
    "current mismatch":
        "несоответствие тока",
    "timeout waiting for CRM 00 (charger recognition)":
        "тайм-аут ожидания CRM 00 (опознавание зарядной станцией)",
    "timeout waiting for CRM AA (charger recognised the BMS)":
        "тайм-аут ожидания CRM AA (станция опознала BMS)",
    "timeout waiting for CTS/CML (charger time and maximum output)":
        "тайм-аут ожидания CTS/CML (время и максимальная мощность станции)",
    "timeout waiting for CRO (charger ready)":
        "тайм-аут ожидания CRO (готовность станции)",
    "timeout waiting for CCS (charger charging state)":
        "тайм-аут ожидания CCS (состояние заряда станции)",
    "timeout waiting for CST (charger stop)":
        "тайм-аут ожидания CST (остановка станцией)",
    "timeout waiting for CSD (charger statistics)":
        "тайм-аут ожидания CSD (статистика станции)",
    "timeout waiting for BRM (BMS recognition)":
        "тайм-аут ожидания BRM (опознавание BMS)",
    "timeout waiting for BCP (battery charging parameters)":
        "тайм-аут ожидания BCP (параметры заряда батареи)",
    "timeout waiting for BRO (BMS ready)":
        "тайм-аут ожидания BRO (готовность BMS)",
    "timeout waiting for BCS (battery charging state)":
        "тайм-аут ожидания BCS (состояние заряда батареи)",
    "timeout waiting for BCL (battery charging demand)":
        "тайм-аут ожидания BCL (запрос заряда батареи)",
    "timeout waiting for BST (BMS stop)":
        "тайм-аут ожидания BST (остановка BMS)",
    "timeout waiting for BSD (BMS statistics)":
        "тайм-аут ожидания BSD (статистика BMS)",
    "confidence not given":
        "надёжность не указана",
    "bytes {0}-{1}":
        "байты {0}-{1}",
    "byte {0}":
        "байт {0}",
    "DID 0x{0} {1} of ECU {2} (0x{3}), profile DID '{4}' ({5})":
        "DID 0x{0} блока {2} (0x{3}), {1}, DID профиля '{4}' ({5})",
    "signal {0} ({1})":
        "сигнал {0} ({1})",
    "not computed: the BMS gave neither its present nor its original capacity (the state of health is the "
    "present capacity over the original one; evgw does not estimate it from anything else)":
        "не вычислено: BMS не сообщила ни текущую, ни исходную ёмкость (состояние батареи — это отношение "
        "текущей ёмкости к исходной; evgw не оценивает его ни по чему другому)",
    "not computed: the BMS gave no present capacity (the state of health is the present capacity over the "
    "original one; evgw does not estimate it from anything else)":
        "не вычислено: BMS не сообщила текущую ёмкость (состояние батареи — это отношение текущей ёмкости к "
        "исходной; evgw не оценивает его ни по чему другому)",
    "not computed: the BMS gave no original capacity (the state of health is the present capacity over "
    "the original one; evgw does not estimate it from anything else)":
        "не вычислено: BMS не сообщила исходную ёмкость (состояние батареи — это отношение текущей ёмкости к "
        "исходной; evgw не оценивает его ни по чему другому)",
    "not computed: the original capacity read is 0 (the state of health is the present capacity over the "
    "original one; evgw does not estimate it from anything else)":
        "не вычислено: прочитанная исходная ёмкость равна 0 (состояние батареи — это отношение текущей "
        "ёмкости к исходной; evgw не оценивает его ни по чему другому)",
    "none named":
        "не названы",
    "present capacity / original capacity x 100 = {0} Ah / {1} Ah; present capacity from {2}, original "
    "capacity from {3}; sources: {4} (dbc/sources.tsv). The sources give both capacities; their ratio as "
    "a health figure is evgw's reading, not a formula they state":
        "текущая ёмкость / исходная ёмкость x 100 = {0} Ah / {1} Ah; текущая ёмкость взята из: {2}; исходная "
        "ёмкость взята из: {3}; источники: {4} (dbc/sources.tsv). Источники дают обе ёмкости; их отношение "
        "как показатель состояния батареи — вывод evgw, а не формула из источников",
    "no GB/T 27930 message for 10 s before any stop message (unplugged, or the capture ended)":
        "10 с не было ни одного сообщения GB/T 27930, а сообщения об остановке так и не пришло (разъём "
        "отключили или запись закончилась)",
    "BMS: {0}":
        "BMS: {0}",
    "charger: {0}":
        "зарядная станция: {0}",
    "the BMS's DIDs were not read: {0}":
        "DID BMS не прочитаны: {0}",
    "bus '{0}' is listen-only: the BMS's DIDs were not read (mode = diagnostic reads them)":
        "шина '{0}' только прослушивается: DID BMS не прочитаны (их читает режим mode = diagnostic)",
    "DID 0x{0} of ECU {1} not read: {2}":
        "DID 0x{0} блока {1} не прочитан: {2}",
    "bus {0} went away while the BMS was being read":
        "шина {0} пропала во время чтения BMS",
    "{0}; its other DIDs were not asked":
        "{0}; остальные DID этого блока не запрашивались",
    "DID 0x{0}: {1}":
        "DID 0x{0}: {1}",
    "the remaining DIDs were not asked: {0}":
        "остальные DID не запрашивались: {0}",
    # The offline commands (convert, decode, dbc check, profile import).
    "%s: write error: %s\n":
        "%s: ошибка записи: %s\n",
    "%s:%llu:%zu: error: %s\n":
        "%s:%llu:%zu: ошибка: %s\n",
    "%s: cannot encode a block: %s\n":
        "%s: не удаётся закодировать блок: %s\n",
    "evgw convert: out of memory\n":
        "evgw convert: не хватает памяти\n",
    "%s: %s (at byte %llu of the file)\n":
        "%s: %s (байт %llu файла)\n",
    "corrupt or truncated compressed data":
        "сжатые данные повреждены или обрезаны",
    "%s: byte %llu: a frame candump's text cannot hold\n":
        "%s: байт %llu: кадр, который нельзя записать текстом candump\n",
    "%s: %llu blocks or packets that are not CAN frames skipped\n":
        "%s: пропущено блоков или пакетов, которые не являются кадрами CAN: %llu\n",
    "usage: %s\n":
        "использование: %s\n",
    "evgw convert: --to must be candump or pcapng, not '%s'\n":
        "evgw convert: --to должен быть candump или pcapng, а не '%s'\n",
    "evgw convert: option needs a value: '%s'\n":
        "evgw convert: параметру нужно значение: '%s'\n",
    "evgw convert: unknown option '%s'\n":
        "evgw convert: неизвестный параметр '%s'\n",
    "evgw convert: %s is already pcapng; nothing to convert\n":
        "evgw convert: %s уже в формате pcapng; преобразовывать нечего\n",
    "evgw convert: %s is already a candump log; nothing to convert\n":
        "evgw convert: %s уже журнал candump; преобразовывать нечего\n",
    "%s: %llu comment lines not carried (more than %d, or %u KiB, before one frame)\n":
        "%s: не перенесено строк комментариев: %llu (больше %d или больше %u КиБ перед одним кадром)\n",
    "%s -> %s: %llu frames%s\n":
        "%s -> %s: кадров: %llu%s\n",
    " (with errors above)":
        " (с ошибками, указанными выше)",
    "%s: %u nodes, %u messages, %u signals, %u value tables, %u attribute definitions, %u attribute values, %u comments\n":
        "%s: узлов: %u, сообщений: %u, сигналов: %u, таблиц значений: %u, описаний атрибутов: %u, значений атрибутов: %u, комментариев: %u\n",
    "%s: out of memory: some findings are not shown\n":
        "%s: не хватает памяти: часть замечаний не показана\n",
    "%s: cannot load: %s\n":
        "%s: не удаётся загрузить: %s\n",
    "see the errors above":
        "см. ошибки выше",
    "evgw decode: %llu frames, %llu decoded, %llu unknown id, %llu remote, %llu error frames, %llu bad lines\n":
        "evgw decode: кадров: %llu, расшифровано: %llu, с неизвестным id: %llu, кадров запроса (remote): %llu, кадров ошибок: %llu, плохих строк: %llu\n",
    "evgw decode: unknown ids:":
        "evgw decode: неизвестные id:",
    "corrupt or truncated %s data":
        "данные %s повреждены или обрезаны",
    "%s data needs a window over %u MiB":
        "данным %s нужно окно больше %u МиБ",
    "read error: %s":
        "ошибка чтения: %s",
    "line longer than 65536 bytes":
        "строка длиннее 65536 байт",
    "%s:%llu: %s (at byte %llu of the file)\n":
        "%s:%llu: %s (байт %llu файла)\n",
    "evgw decode: out of memory\n":
        "evgw decode: не хватает памяти\n",
    "evgw decode: write error: %s\n":
        "evgw decode: ошибка записи: %s\n",
    "evgw decode: at most %d DBC files\n":
        "evgw decode: не больше %d файлов DBC\n",
    "evgw decode: option '%s' needs a value\n":
        "evgw decode: параметру '%s' нужно значение\n",
    "evgw decode: unknown option '%s'\n":
        "evgw decode: неизвестный параметр '%s'\n",
    "evgw decode: one log at a time ('%s' is one too many)\n":
        "evgw decode: по одному журналу за раз ('%s' лишний)\n",
    "evgw decode: --dbc FILE is required\n":
        "evgw decode: нужен --dbc FILE\n",
    "severity\x04note":
        "примечание",
    "severity\x04warning":
        "предупреждение",
    "severity\x04error":
        "ошибка",
    "evgw: %s\nusage: %s\n":
        "evgw: %s\nиспользование: %s\n",
    "%s needs a value":
        "%s: нужно значение",
    "--format '%.40s': wican, abrp or torque":
        "--format '%.40s': wican, abrp или torque",
    "profile import has no --json (it writes a profile)":
        "у profile import нет --json (она записывает профиль)",
    "unknown option '%.40s'":
        "неизвестный параметр '%.40s'",
    "one FILE only":
        "FILE можно указать только один",
    "missing FILE (a WiCAN or ABRP JSON file, or a Torque CSV)":
        "не указан FILE (файл JSON WiCAN или ABRP либо CSV Torque)",
    "evgw: the profile written does not load (please report): %s\n":
        "evgw: записанный профиль не загружается (сообщите разработчикам): %s\n",
    "evgw: %u DIDs from %s (%s)%s%s\n":
        "evgw: из %2$s (%3$s) взято DID: %1$u%4$s%5$s\n",
    # J1939 warning lamps as the daemon names them (evgw and the page).
    "red stop": "красная STOP",
    "amber warning": "жёлтая",
    "MIL": "MIL",
    "protect": "защита",
    " (fast flash)": " (мигает часто)",
    " (slow flash)": " (мигает редко)",
    # evgw discover.
    "evgw discover: one log at a time ('%s' is one too many)\n":
        "evgw discover: по одному журналу за раз ('%s' лишний)\n",
    "evgw discover: at most %d DBC files\n":
        "evgw discover: не больше %d файлов DBC\n",
    "evgw discover: option '%s' needs a value\n":
        "evgw discover: параметру '%s' нужно значение\n",
    "evgw discover: unknown option '%s'\n":
        "evgw discover: неизвестный параметр '%s'\n",
    "evgw discover: LOG is required (- for standard input)\n":
        "evgw discover: нужен LOG (- для стандартного ввода)\n",
    "evgw discover: --out DRAFT.dbc is required\n":
        "evgw discover: нужен --out DRAFT.dbc\n",
    "evgw discover: --correlate '%s': evgw knows no formula for that PID (`evgw read-pids` lists what it decodes)\n":
        "evgw discover: --correlate '%s': формулы для этого PID evgw не знает (что она расшифровывает, показывает `evgw read-pids`)\n",
    "evgw discover: --correlate '%s': expected obd:PID, the PID in hex (obd:0D)\n":
        "evgw discover: --correlate '%s': ожидается obd:PID, PID в hex (obd:0D)\n",
    "evgw discover: --correlate '%s': expected BUS.MESSAGE.SIGNAL (BUS may be *)\n":
        "evgw discover: --correlate '%s': ожидается BUS.MESSAGE.SIGNAL (BUS может быть *)\n",
    "evgw discover: --correlate: message %s has no signal %s\n":
        "evgw discover: --correlate: в сообщении %s нет сигнала %s\n",
    "evgw discover: --correlate: no loaded DBC file (--dbc) has a message %s\n":
        "evgw discover: --correlate: ни в одном загруженном файле DBC (--dbc) нет сообщения %s\n",
    "evgw discover: out of memory\n":
        "evgw discover: не хватает памяти\n",
    "Draft fields following OBD-II PID %02X, %s in %s (%llu answers), best first:\n":
        "Черновые поля, следующие за PID OBD-II %02X, %s в %s (ответов: %llu), лучшие первыми:\n",
    "Draft fields following %.*s.%.*s (%llu frames), best first:\n":
        "Черновые поля, следующие за %.*s.%.*s (кадров: %llu), лучшие первыми:\n",
    "column\x04RANK":
        "МЕСТО",
    "column\x04FIELD":
        "ПОЛЕ",
    "column\x04SCALE":
        "МАСШТАБ",
    "column\x04OFFSET":
        "СМЕЩЕНИЕ",
    "column\x04SAMPLES":
        "ТОЧЕК",
    "(none: the reference and the unknown ids were not seen together)\n":
        "(нет: опорный сигнал и неизвестные id вместе не встречались)\n",
    "evgw discover: %llu frames of %zu unknown ids (%llu frames described by the DBC files); wrote %zu messages to %s: %u checksums, %u counters, %u value fields\n":
        "evgw discover: неизвестных id: %2$zu, их кадров: %1$llu (кадров, описанных файлами DBC: %3$llu); записано сообщений в %5$s: %4$zu; контрольных сумм: %6$u, счётчиков: %7$u, полей значений: %8$u\n",
    "evgw discover: %llu frames of ids beyond the first %d left out\n":
        "evgw discover: не учтено кадров id сверх первых %2$d: %1$llu\n",
    "refused: %.*s (NRC 0x%02X)": "отказ: %.*s (NRC 0x%02X)",
    "state\x04ok": "в порядке",
    "state\x04locked": "заблокирована",
    "state\x04full": "нет места",
    "state\x04io_error": "ошибка ввода-вывода",
    "state\x04read_only": "только чтение",
    "state\x04corrupt": "повреждена",
    "state\x04deleted": "удалена",
    "state\x04memory": "только в памяти",
    "state\x04connecting": "подключение",
    "state\x04connected": "подключён",
    "state\x04refused": "отказ брокера",
    "state\x04unreachable": "недоступен",
    "state\x04lost": "связь потеряна",
    # Usage problems (cli_args.c: {0} is the option or value as typed) and the bus checks.
    "{0} needs a value": "{0}: нужно значение",
    "unknown option '{0}'": "неизвестный параметр '{0}'",
    "--color '{0}' must be auto, always or never": "--color '{0}': допустимо auto, always или never",
    "--rate '{0}' is not a number from 0.01 to 1000": "--rate '{0}' — не число от 0.01 до 1000",
    "--rotate '{0}' is not a size of at least 4096 bytes (such as 100M)":
        "--rotate '{0}' — не размер от 4096 байт (например, 100M)",
    "--lang '{0}' must be en (English) or ru (Russian)": "--lang '{0}': допустимо en (английский) или ru (русский)",
    "evgw %s: '%s' is not %s (hex, %lX..%lX)\n": "evgw %s: '%s' — не %s (hex, %lX..%lX)\n",
    "evgw %s: '%s' names no %s\n": "evgw %s: в '%s' не указан ни один %s\n",
    "an OBD-II PID": "PID OBD-II",
    "a CAN id": "CAN id",
    "evgw read-did: DID '%s' is not 0..FFFF\n": "evgw read-did: DID '%s' вне диапазона 0..FFFF\n",
    "evgw record start: cannot use the directory '%s': %s\n": "evgw record start: нельзя использовать каталог '%s': %s\n",
    "evgw record start: '%s' names a directory, not a file\n": "evgw record start: '%s' — это каталог, а не файл\n",
    "evgw %s: the daemon has no buses\n": "evgw %s: у службы нет шин\n",
    "evgw %s: --bus is needed: the daemon has buses %s\n": "evgw %s: нужен --bus: у службы шины %s\n",
    "evgw %s: a BUS is needed: the daemon has buses %s\n": "evgw %s: нужно указать BUS: у службы шины %s\n",
    "evgw: no bus named '%s'; did you mean '%s'? (the daemon has buses %s)\n":
        "evgw: нет шины '%s'; может быть, '%s'? (у службы шины %s)\n",
    "evgw: no bus named '%s' (the daemon has buses %s)\n": "evgw: нет шины '%s' (у службы шины %s)\n",
    "evgw: no bus named '%s' (the daemon has no buses)\n": "evgw: нет шины '%s' (у службы нет шин)\n",
    "the daemon refused": "служба отказала",
    "the daemon refused the request": "служба отклонила запрос",
    # evgw sniff's usage.
    "evgw sniff: %s\nusage: %s\n": "evgw sniff: %s\nиспользование: %s\n",
    "--id takes CAN ids in hex (121, 18FECAEF), separated by commas":
        "--id принимает CAN id в hex (121, 18FECAEF) через запятую",
    "at most 64 ids": "не больше 64 id",
    "sniff has no --json: evgw watch frames gives the frames as text":
        "у sniff нет --json: кадры текстом выдаёт evgw watch frames",
    "unexpected argument '%.40s'": "лишний аргумент '%.40s'",
    "--interval takes seconds, 0.1 to 3600": "--interval принимает секунды, от 0.1 до 3600",
    "--count takes a number of blocks, 1 or more": "--count принимает число блоков, от 1",
    "evgw: refusing the socket %s: %s; someone may be posing as the daemon\n":
        "evgw: сокет %s отвергнут: %s; возможно, кто-то выдаёт себя за службу\n",
    "evgw: cannot tell who listens on %s: %s\n": "evgw: не удаётся узнать, кто слушает %s: %s\n",
}
RU_CLI_PLURAL = {
    "ECU answered": ("блок ответил", "блока ответили", "блоков ответили"),
    "DTC": ("код неисправности", "кода неисправности", "кодов неисправностей"),
    "(%lld time)": ("(%lld раз)", "(%lld раза)", "(%lld раз)"),
    "frame": ("кадр", "кадра", "кадров"),
    "byte": ("байт", "байта", "байт"),
    " in %lld file": (" в %lld файле", " в %lld файлах", " в %lld файлах"),
    "%s: %u comment line after the last frame not carried (pcapng keeps comments on blocks)\n": (
        "%s: %u строка комментария после последнего кадра не перенесена (pcapng хранит комментарии при блоках)\n",
        "%s: %u строки комментариев после последнего кадра не перенесены (pcapng хранит комментарии при блоках)\n",
        "%s: %u строк комментариев после последнего кадра не перенесено (pcapng хранит комментарии при блоках)\n"),
    "%u error": (
        "%u ошибка",
        "%u ошибки",
        "%u ошибок"),
    "%u warning": (
        "%u предупреждение",
        "%u предупреждения",
        "%u предупреждений"),
}
