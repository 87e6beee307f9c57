#!/bin/sh
# SPDX-License-Identifier: MIT
# The CLI's texts and their Russian catalog are current: po/evgw-cli.pot
# holds every text marked in gateway/cli (_, N_, P_, NC_, ngettext,
# cli_fmt_count), po/ru.po (shared with evgw-web) a translation of each,
# with the same printf conversions (msgfmt --check), and ru.po is what
# po/ru_texts.py writes (po/update.sh writes all of them).
# usage: check_catalog.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext -L C --keyword=_ --keyword=N_ --keyword=P_:1c,2 --keyword=NC_:1c,2 --keyword=cli_fmt_count:2,3 \
	--from-code=UTF-8 --no-location --omit-header -o "$tmp/evgw-cli.pot" "$src"/gateway/cli/*.c "$src/gateway/vehicle/battery.c" \
	"$src/gateway/charging/gbt27930_text.c" "$src/gateway/api/cmd_charging.c" "$src/gateway/api/cmd_battery.c" \
	"$src/gateway/daemon/battery_read.c"
if ! cmp -s "$tmp/evgw-cli.pot" "$src/po/evgw-cli.pot"; then
	diff -u "$src/po/evgw-cli.pot" "$tmp/evgw-cli.pot" | head -40
	echo "cli.catalog: po/evgw-cli.pot is stale: run po/update.sh" >&2
	exit 1
fi
msgfmt --check --statistics -o /dev/null "$src/po/ru.po" 2>"$tmp/stats"
cat "$tmp/stats"
if grep -Eq 'untranslated|fuzzy' "$tmp/stats"; then
	echo "cli.catalog: po/ru.po lacks translations" >&2
	exit 1
fi
if ! msgcmp "$src/po/ru.po" "$src/po/evgw-cli.pot" >"$tmp/cmp" 2>&1; then
	grep 'not defined' "$tmp/cmp" | head -20
	echo "cli.catalog: texts of the CLI are not in po/ru.po: run po/update.sh" >&2
	exit 1
fi
# ru.po as the Russian texts make it (nobody edited it by hand).
mkdir "$tmp/po"
cp "$src/po/ru_texts.py" "$src/po/ru_cli_texts.py" "$src/po/evgw-web.pot" "$src/po/evgw-cli.pot" "$tmp/po/"
python3 -B "$tmp/po/ru_texts.py"
if ! cmp -s "$tmp/po/ru.po" "$src/po/ru.po"; then
	diff -u "$src/po/ru.po" "$tmp/po/ru.po" | head -40
	echo "cli.catalog: po/ru.po differs from what po/ru_texts.py writes: run po/update.sh" >&2
	exit 1
fi
echo "cli.catalog: $(grep -c '^msgid ' "$src/po/evgw-cli.pot") texts, all in Russian"
