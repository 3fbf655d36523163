#!/bin/sh
# A task handler for the console test: fails on its first call for an input, succeeds on the next
# (a retried state). The marker file lives in $CONSOLE_TEST_DIR.
input=$(cat)
marker="$CONSOLE_TEST_DIR/charged-$(printf '%s' "$input" | cksum | cut -d' ' -f1)"
if [ -e "$marker" ]; then printf '{"charged": true}'; exit 0; fi
: > "$marker"
echo "card declined" >&2
exit 1
