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
}
RU_CLI_PLURAL = {
    "ECU answered": ("блок ответил", "блока ответили", "блоков ответили"),
    "DTC": ("код неисправности", "кода неисправности", "кодов неисправностей"),
    "(%lld time)": ("(%lld раз)", "(%lld раза)", "(%lld раз)"),
    "frame": ("кадр", "кадра", "кадров"),
    "byte": ("байт", "байта", "байт"),
}
