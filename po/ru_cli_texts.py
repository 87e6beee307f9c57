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
}
RU_CLI_PLURAL = {
    "ECU answered": ("блок ответил", "блока ответили", "блоков ответили"),
    "DTC": ("код неисправности", "кода неисправности", "кодов неисправностей"),
    "(%lld time)": ("(%lld раз)", "(%lld раза)", "(%lld раз)"),
    "frame": ("кадр", "кадра", "кадров"),
    "byte": ("байт", "байта", "байт"),
    " in %lld file": (" в %lld файле", " в %lld файлах", " в %lld файлах"),
}
