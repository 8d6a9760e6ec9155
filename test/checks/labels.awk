# labels.awk - compares the reader's rows with our adjudicated labels
# (test/labels/*.tsv): the kind of each mail, its recipients, and no failed
# row for an address that did not bounce.  Each mail falls in the "tune"
# or the "measure" part by a fixed hash of its file name (split.awk), and
# both parts are reported.
# Input 1: a labels file (file, kind, class, recipients, note; # comments).
# Input 2: rows, tab-separated: file, index, address the sender used ("-"
#   when none; "!raw" when the report names no valid address, which can
#   only match a label that is no valid address either), action ("-" when
#   none), class, reason, evidence.
# Prints "part measure value" lines, then one "disagree ..." line per mail
# that is not exactly right.
# part_of() comes from split.awk: awk -f test/checks/split.awk -f test/checks/labels.awk
BEGIN { FS = "\t" }
function action_of_kind(k) {
    if (k == "failed" || k == "delayed" || k == "delivered") return k
    return "-"
}
NR == FNR {
    if ($0 ~ /^#/ || $1 == "file" || $1 == "") next
    f = $1; files[++nf] = f; kind[f] = $2; cls[f] = $3
    n = split($4, parts, " ")
    nexp[f] = 0
    for (i = 1; i <= n; i++) {
        if (parts[i] == "-") continue
        m = split(parts[i], t, ":")
        a = t[1]; act = action_of_kind($2); c = $3
        given = 0
        for (j = 2; j <= m; j++) {
            if (t[j] ~ /^(failed|delayed|delivered|relayed|expanded)$/) act = t[j]
            else if (t[j] ~ /^(hard|soft|none)$/) { c = t[j]; given = 1 }
        }
        # a delayed recipient is soft, a delivered one none, unless the label says
        if (!given && act == "delayed") c = "soft"
        if (!given && act ~ /^(delivered|relayed|expanded)$/) c = "none"
        nexp[f]++; exp_addr[f, nexp[f]] = a
        exp_act[f, a] = act; exp_cls[f, a] = c; is_exp[f, a] = 1
    }
    next
}
{
    f = $1
    nrow[f]++; k = nrow[f]
    row_addr[f, k] = $3; row_act[f, k] = $4; row_cls[f, k] = $5; row_reason[f, k] = $6
}
END {
    for (i = 1; i <= nf; i++) {
        f = files[i]; p = part_of(f)
        mails[p]++
        # the kind the rows say
        got = "none"; any_failed = 0; any_delayed = 0; any_delivered = 0; any_fb = 0; any_vac = 0
        for (k = 1; k <= nrow[f]; k++) {
            if (row_act[f, k] == "failed") any_failed = 1
            else if (row_act[f, k] == "delayed") any_delayed = 1
            else if (row_act[f, k] ~ /^(delivered|relayed|expanded)$/) any_delivered = 1
            if (row_reason[f, k] == "feedback") any_fb = 1
            if (row_reason[f, k] == "vacation") any_vac = 1
        }
        if (any_failed) got = "failed"
        else if (any_delayed) got = "delayed"
        else if (any_delivered) got = "delivered"
        else if (any_fb) got = "complaint"
        else if (any_vac) got = "autoreply"
        kind_ok = (got == kind[f]); kinds_ok[p] += kind_ok
        # recipients: the set of addresses, exactly
        delete seen
        nseen = 0; extra = ""; wrong_failed = 0; delay_failed = 0
        for (k = 1; k <= nrow[f]; k++) {
            a = row_addr[f, k]
            if (a == "-") continue
            if (substr(a, 1, 1) == "!") {
                # no valid address: it names a label's invalid one, or nobody
                a = substr(a, 2)
                if ((f, a) in is_exp && !((f, a) in seen)) { seen[f, a] = k; nseen++ }
                continue
            }
            if (!((f, a) in seen)) { seen[f, a] = k; nseen++ }
            if (!((f, a) in is_exp)) extra = extra " +" a
            if (row_act[f, k] == "failed" && !(((f, a) in is_exp) && exp_act[f, a] == "failed")) {
                wrong_failed++
                if (((f, a) in is_exp) && exp_act[f, a] == "delayed") delay_failed++
            }
        }
        missing = ""
        for (j = 1; j <= nexp[f]; j++) {
            a = exp_addr[f, j]
            if (!((f, a) in seen)) missing = missing " -" a
            else if (exp_act[f, a] == "failed" || exp_act[f, a] == "delayed") {
                cls_total[p]++
                if (row_cls[f, seen[f, a]] == exp_cls[f, a]) cls_ok[p]++
                else printf "disagree-class %s %s %s: class %s/%s (reason %s)\n", p, f, a,
                    row_cls[f, seen[f, a]], exp_cls[f, a], row_reason[f, seen[f, a]]
            }
        }
        rcpt_ok = (extra == "" && missing == ""); rcpts_ok[p] += rcpt_ok
        false_failed[p] += wrong_failed; delay_as_failed[p] += delay_failed
        if ((kind[f] == "failed" || kind[f] == "delayed") && nrow[f] == 0) { no_row[p]++; no_row_list = no_row_list " " f }
        if (kind[f] == "failed" || kind[f] == "delayed") bounces[p]++
        if (!kind_ok || !rcpt_ok || wrong_failed)
            printf "disagree %s %s: kind %s/%s recipients%s%s%s\n", p, f, got, kind[f],
                (extra missing == "" ? " ok" : extra missing),
                (wrong_failed ? " FAILED-ROW-FOR-NON-BOUNCE x" wrong_failed : ""),
                (nrow[f] == 0 && got != kind[f] ? " (no row)" : "")
    }
    for (pi = 1; pi <= 2; pi++) {
        p = (pi == 1) ? "tune" : "measure"
        printf "%s mails %d\n", p, mails[p]
        printf "%s kind %d/%d %.1f%%\n", p, kinds_ok[p], mails[p], mails[p] ? 100 * kinds_ok[p] / mails[p] : 0
        printf "%s recipients %d/%d %.1f%%\n", p, rcpts_ok[p], mails[p], mails[p] ? 100 * rcpts_ok[p] / mails[p] : 0
        printf "%s class %d/%d %.1f%%\n", p, cls_ok[p], cls_total[p], cls_total[p] ? 100 * cls_ok[p] / cls_total[p] : 0
        printf "%s false-failed %d\n", p, false_failed[p] + 0
        printf "%s delay-as-failed %d\n", p, delay_as_failed[p] + 0
        printf "%s bounces-without-row %d/%d\n", p, no_row[p] + 0, bounces[p] + 0
    }
}
