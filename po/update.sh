#!/bin/sh
# SPDX-License-Identifier: MIT
# Refresh po/evgw-web.pot from the page's scripts (texts in _("...")) and
# write po/ru.po from po/ru_texts.py. ctest's web.catalog checks both are
# current.
set -eu
cd "$(dirname "$0")/.."
xgettext -L JavaScript --keyword=_ --from-code=UTF-8 --no-location --omit-header \
	-o po/evgw-web.pot gateway/web/www/common.js gateway/web/www/app.js gateway/web/www/report.js
python3 po/ru_texts.py
