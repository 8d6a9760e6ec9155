# test/checks/corpus.sh - sourced by the corpus checks (not run on its own):
# a scratch database and a loader that brings mails to the server as raw
# bytes (name <TAB> base64: no client-side charset conversion, no quoting).
psql() { PGOPTIONS='--client-min-messages=warning' command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

corpus_db() {   # corpus_db NAME: a fresh database with the extension
    psql -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" &&
        psql -d "$1" -c "CREATE EXTENSION bounce"
}

corpus_load() {   # corpus_load DB TABLE FILE DIR [PREFIX]: every mail of DIR, named PREFIXname
    local f
    for f in "$4"/*; do
        [ -f "$f" ] || continue
        printf '%s%s\t%s\n' "${5:-}" "$(basename "$f")" "$(base64 -w0 "$f")"
    done >"$3"
    psql -d "$1" -c "CREATE TABLE IF NOT EXISTS $2 (name text PRIMARY KEY, b64 text)" \
         -c "\\copy $2 FROM '$3'"
}
