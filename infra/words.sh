#!/usr/bin/env bash
# The catalogues of words (gettext, Babel), in services/locale/<language>/LC_MESSAGES/volops.po.
#   bash infra/words.sh extract   # after changing words in code or templates: refresh volops.pot
#                                 # and merge it into the four .po files (new words arrive empty)
#   bash infra/words.sh compile   # .po -> .mo (set-up does this; the .mo files are not committed)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
LOCALE=services/locale
case "${1:-}" in
  extract)
    "$PYBABEL" -q extract -F babel.cfg -k translate:2 -k N_ -k Nn_:1,2 --add-comments=Translators: \
      --no-location --sort-output --project=volops --msgid-bugs-address=volops@example.org \
      --width=100 -o "$LOCALE/volops.pot" .
    "$PYBABEL" -q update -i "$LOCALE/volops.pot" -d "$LOCALE" -D volops --no-fuzzy-matching --ignore-obsolete --width=100
    ;;
  compile)
    "$PYBABEL" -q compile -d "$LOCALE" -D volops
    ;;
  *)
    echo "usage: bash infra/words.sh extract|compile" >&2
    exit 2
    ;;
esac
