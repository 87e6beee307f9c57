#!/bin/sh
# SPDX-License-Identifier: MIT
# The page's texts and their Russian catalog are current: po/evgw-web.pot
# holds every _("...") of the scripts, and po/ru.po a translation of each
# (po/update.sh writes both; ru.po is shared with the CLI: cli.catalog).
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
# Every text of the template is in ru.po (which holds the CLI's too).
if ! msgcmp "$src/po/ru.po" "$src/po/evgw-web.pot" >"$tmp/cmp" 2>&1; then
	grep 'not defined' "$tmp/cmp" | head -20
	echo "web.catalog: texts of the page are not in po/ru.po: run po/update.sh" >&2
	exit 1
fi
n_pot=$(grep -c '^msgid ' "$src/po/evgw-web.pot")
echo "web.catalog: $n_pot texts, all in Russian"
