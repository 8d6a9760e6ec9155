# reasons.awk - compares the status and reason of each recipient row with
# our expected rows of the crafted mails (test/crafted/expected-*.tsv: file,
# recipient, status, reason), per part of the fixed split (split.awk, loaded
# first).
# Input 1: the expected rows (a "file" header line and # comments skipped).
# Input 2: rows in the labels check's layout (file, index, address the
#   sender used, action, class, reason, evidence, enhanced status or "-",
#   basic code or "-").
# Prints "part status a/n pct", "part reason b/n pct", then one
# "disagree ..." line per expected row that is not exactly right.
BEGIN { FS = "\t" }
NR == FNR {
    if ($0 ~ /^#/ || $1 == "file" || $1 == "") next
    n++; ef[n] = $1; er[n] = tolower($2); es[n] = $3; ereason[n] = $4
    next
}
{
    key = $1 SUBSEP tolower($3); got[key] = 1; greason[key] = $6
    # a basic code alone (a bare 550) is RFC 3463's X.0.0 of its class
    gs[key] = ($8 != "-" && $8 != "") ? $8 : ($9 ~ /^[245][0-9][0-9]$/) ? substr($9, 1, 1) ".0.0" : "-"
}
END {
    for (i = 1; i <= n; i++) {
        p = part_of(ef[i]); rows[p]++
        key = ef[i] SUBSEP er[i]
        if (!(key in got)) {
            printf "disagree %s %s %s: no row (expected %s %s)\n", p, ef[i], er[i], es[i], ereason[i]
            continue
        }
        s_ok = (gs[key] == es[i]); r_ok = (greason[key] == ereason[i])
        s_agree[p] += s_ok; r_agree[p] += r_ok
        if (!s_ok || !r_ok)
            printf "disagree %s %s %s: status %s/%s reason %s/%s (got/expected)\n", p, ef[i], er[i],
                gs[key], es[i], greason[key], ereason[i]
    }
    for (pi = 1; pi <= 2; pi++) {
        p = (pi == 1) ? "tune" : "measure"
        printf "%s status %d/%d %.1f%%\n", p, s_agree[p], rows[p], rows[p] ? 100.0 * s_agree[p] / rows[p] : 0
        printf "%s reason %d/%d %.1f%%\n", p, r_agree[p], rows[p], rows[p] ? 100.0 * r_agree[p] / rows[p] : 0
    }
}
