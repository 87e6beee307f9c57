#!/bin/sh
# SPDX-License-Identifier: MIT
# Refresh the templates: po/evgw-web.pot from the page's scripts (texts in
# _("...")), po/evgw-cli.pot from the CLI's C sources (_(), N_(), P_(), NC_(),
# ngettext, cli_fmt_count); then write the one Russian catalog both use,
# po/ru.po, from po/ru_texts.py and po/ru_cli_texts.py. ctest's
# web.catalog and cli.catalog check all three are current.
set -eu
cd "$(dirname "$0")/.."
xgettext -L JavaScript --keyword=_ --from-code=UTF-8 --no-location --omit-header \
	-o po/evgw-web.pot gateway/web/www/common.js gateway/web/www/app.js gateway/web/www/report.js
xgettext -L C --keyword=_ --keyword=N_ --keyword=P_:1c,2 --keyword=NC_:1c,2 --keyword=cli_fmt_count:2,3 --from-code=UTF-8 \
	--no-location --omit-header -o po/evgw-cli.pot gateway/cli/*.c gateway/vehicle/battery.c \
	gateway/charging/gbt27930_text.c gateway/api/cmd_charging.c gateway/api/cmd_battery.c gateway/daemon/battery_read.c
python3 po/ru_texts.py
