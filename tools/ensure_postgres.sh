#!/usr/bin/env bash
# Make sure PostgreSQL's server programs are installed, for the tests of the PostgreSQL state
# backend (tests/helpers/pgserver.py starts a throwaway server from them in a temp folder).
# Installs Debian's package when they are missing; needs root (or sudo) only then. The
# package's own cluster is neither used nor needed: the tests run initdb themselves.
set -euo pipefail
if compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null; then
    exit 0
fi
echo "PostgreSQL is missing: installing Debian's postgresql package" >&2
as_root=()
if [ "$(id -u)" != 0 ]; then as_root=(sudo -n); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
# policy-rc.d 101: the package must not start its own cluster (no init system here; and
# the tests never use it).
"${as_root[@]}" sh -c 'p=/usr/sbin/policy-rc.d; if [ ! -e $p ]; then printf "#!/bin/sh\nexit 101\n" >$p; chmod +x $p; trap "rm -f $p" EXIT; fi; apt-get install -y -q --no-install-recommends postgresql >/dev/null'
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null
