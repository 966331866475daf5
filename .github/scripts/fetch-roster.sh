#!/usr/bin/env bash
# Clones every repository of a roster for grading, without leaving a
# credential anywhere a check could read it.
#
#   fetch-roster.sh ROSTER DEST      (TOKEN in the environment, may be empty)
#
# ROSTER has one `<id> <git URL>` per line (`#` starts a comment). Each
# repository is cloned into DEST/<id> without a checkout; one that cannot
# be cloned becomes an empty folder (graded as `invalid`, with a warning).
#
# The token reaches git through GIT_CONFIG_COUNT/KEY/VALUE: configuration
# for that one git process, in its environment only. It is never on a
# command line (which /proc shows to every process), never in a config
# file (~/.gitconfig, a clone's .git/config), and a URL that carries a
# user name or password is stored in the clone without it.
set -euo pipefail

roster=$1
dest=$2
mkdir -p "$dest"

clone() {
  local url=$1 into=$2
  if [ -n "${TOKEN:-}" ]; then
    local basic
    basic=$(printf 'x-access-token:%s' "$TOKEN" | base64 -w0)
    GIT_CONFIG_COUNT=1 \
      GIT_CONFIG_KEY_0="http.https://github.com/.extraheader" \
      GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $basic" \
      git clone --quiet --no-checkout -- "$url" "$into"
  else
    git clone --quiet --no-checkout -- "$url" "$into"
  fi
}

while read -r id url; do
  case "$id" in '' | '#'*) continue ;; esac
  case "$id" in
    *[!A-Za-z0-9._-]* | .*)
      echo "::warning::roster: '$id' is not an id (letters, digits, . _ -)"
      continue
      ;;
  esac
  if clone "$url" "$dest/$id"; then
    # The remote as recorded, without any user name or password in it.
    git -C "$dest/$id" remote set-url origin "$(printf '%s' "$url" | sed -E 's#^([a-z+]+://)[^/@]*@#\1#')"
  else
    echo "::warning::$id: cannot clone $url"
    rm -rf "${dest:?}/$id"
    mkdir -p "$dest/$id"
  fi
done < "$roster"
