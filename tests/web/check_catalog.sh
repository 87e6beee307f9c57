#!/bin/sh
# SPDX-License-Identifier: MIT
# The page's texts and their Russian catalog are current: po/evgw-web.pot
# holds every _("...") of the scripts, and po/ru.po a translation of each
# (po/update.sh writes both).
# usage: check_catalog.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext -L JavaScript --keyword=_ --from-code=UTF-8 --no-location --omit-header -o "$tmp/evgw-web.pot" \
	"$src/gateway/web/www/common.js" "$src/gateway/web/www/app.js" "$src/gateway/web/www/report.js"
if ! cmp -s "$tmp/evgw-web.pot" "$src/po/evgw-web.pot"; then
	diff -u "$src/po/evgw-web.pot" "$tmp/evgw-web.pot" | head -40
	echo "web.catalog: po/evgw-web.pot is stale: run po/update.sh" >&2
	exit 1
fi
msgfmt --check --statistics -o /dev/null "$src/po/ru.po" 2>"$tmp/stats"
cat "$tmp/stats"
if grep -Eq 'untranslated|fuzzy' "$tmp/stats"; then
	echo "web.catalog: po/ru.po lacks translations" >&2
	exit 1
fi
# Every text of the template is in ru.po.
n_pot=$(grep -c '^msgid ' "$src/po/evgw-web.pot")
n_ru=$(grep -c '^msgid ' "$src/po/ru.po")
if [ "$n_ru" -ne $((n_pot + 1)) ]; then
	echo "web.catalog: ru.po has $((n_ru - 1)) texts, the template $n_pot: run po/update.sh" >&2
	exit 1
fi
echo "web.catalog: $n_pot texts, all in Russian"
