# conformance.awk - compares parse_dsn rows with the corpus's expected.tsv.
# Input 1: expected.tsv (file, rcpt, status, reply, reason, hardbounce).
# Input 2: actual rows, tab-separated (file, rcpt, code, enhanced, class,
# reason); a file with no rows at all may be absent.
# Prints per-measure agreement, the same per part (tune, measure: see
# split.awk, loaded first), and the list of disagreements.
# With -v labels=test/labels/sisimai.tsv it also prints the status
# agreement "adjudicated": where our labels (each disagreement explained
# there) contradict the class digit of expected.tsv's status by the SPEC's
# rules, the digit the labels imply is compared instead: a delay warning's
# status is a 4.x.x (RFC 3464 section 2.3.3: Action delayed is transient),
# a hard failure's a 5.x.x; a mail the labels call no bounce at all has no
# status to compare and is left out.
BEGIN {
    FS = "\t"
    if (labels != "")
        while ((getline l < labels) > 0) {
            if (l ~ /^#/) continue
            split(l, lf, "\t")
            label_kind[lf[1]] = lf[2]; label_class[lf[1]] = lf[3]
            # "addr:delayed", "addr:soft": a recipient unlike the mail as a whole
            nt = split(lf[4], tok, " ")
            for (j = 1; j <= nt; j++)
                if (tok[j] ~ /:delayed/) tok_digit[lf[1], j] = "4"
                else if (tok[j] ~ /:soft/) tok_digit[lf[1], j] = "?"
        }
}
# the class digit our labels imply for a mail's rows ("" when they leave it open)
function label_digit(file, i) {
    if ((file, i) in tok_digit) return (tok_digit[file, i] == "?") ? "" : tok_digit[file, i]
    if (label_kind[file] == "delayed") return "4"
    if (label_kind[file] == "failed" && label_class[file] == "hard") return "5"
    return ""
}
# class the SPEC's rule gives to an expected row ("" when it cannot tell)
function spec_class(status, reply, reason,    d) {
    if (reason == "feedback" || reason == "vacation" || reason == "delivered")
        return "none"
    d = (status != "") ? substr(status, 1, 1) : substr(reply, 1, 1)
    if (d == "2") return "none"
    if (d == "4") return "soft"
    if (d == "5") {
        if (reason ~ /^(mailboxfull|systemfull|toomanyconn|speeding|greylisting)$/)
            return "soft"
        return "hard"
    }
    return ""
}
FNR == 1 && NR == 1 { next }            # header of expected.tsv
NR == FNR {
    key = $1 SUBSEP $2
    exp_status[key] = $3; exp_reply[key] = $4; exp_reason[key] = $5
    order[++n] = key
    next
}
{
    key = $1 SUBSEP $2
    got[key] = 1; got_code[key] = $3; got_enh[key] = $4
    got_class[key] = $5; got_reason[key] = $6
}
END {
    for (i = 1; i <= n; i++) {
        key = order[i]; split(key, kf, SUBSEP)
        es = exp_status[key]; er = exp_reason[key]
        ec = spec_class(es, exp_reply[key], er)
        if (!(key in got)) {
            miss++; p_rows[part_of(kf[1])]++
            if (labels != "" && label_kind[kf[1]] != "none") a_rows[part_of(kf[1])]++
            printf "disagree SRC %s %s #%s: no row (expected %s %s)\n", part_of(kf[1]), kf[1], kf[2], es, er
            continue
        }
        gs = got_enh[key]
        gd = (gs != "") ? substr(gs, 1, 1) : substr(got_code[key], 1, 1)
        if (es == "")
            s_ok = (gs == "")
        else if (es ~ /^[245]\.0\.9[0-9][0-9]$/)
            s_ok = (gd == substr(es, 1, 1))
        else
            s_ok = (gs == es)
        r_ok = (got_reason[key] == er)
        s_agree += s_ok; r_agree += r_ok
        p = part_of(kf[1]); p_rows[p]++; p_s[p] += s_ok; p_r[p] += r_ok
        if (labels != "" && label_kind[kf[1]] != "none") {
            ld = label_digit(kf[1], kf[2])
            a_ok = (ld != "" && ld != substr(es, 1, 1)) ? (gd == ld) : s_ok
            a_rows[p]++; a_s[p] += a_ok
            if (!a_ok) printf "disagree-adjudicated %s %s #%s: status %s, labels imply %s, expected %s\n", p, kf[1], kf[2], gs, ld, es
        }
        if (ec != "") { c_total++; c_ok = (got_class[key] == ec); c_agree += c_ok }
        else c_ok = 1
        if (!s_ok || !r_ok || !c_ok)
            printf "disagree %s%s%s %s %s #%s: status %s/%s reason %s/%s class %s/%s (got/expected)\n",
                (s_ok ? "-" : "S"), (r_ok ? "-" : "R"), (c_ok ? "-" : "C"), part_of(kf[1]), kf[1], kf[2], (gs != "" ? gs : (got_code[key] != "" ? got_code[key] : "-")),
                (es != "" ? es : "-"), got_reason[key], er, got_class[key], (ec != "" ? ec : "?")
    }
    printf "rows %d expected, %d missing\n", n, miss
    printf "status %d/%d %.1f%%\n", s_agree, n, 100.0 * s_agree / n
    printf "reason %d/%d %.1f%%\n", r_agree, n, 100.0 * r_agree / n
    printf "class %d/%d %.1f%%\n", c_agree, c_total, (c_total ? 100.0 * c_agree / c_total : 0)
    for (pi = 1; pi <= 2; pi++) {
        p = (pi == 1) ? "tune" : "measure"
        printf "%s status %d/%d %.1f%%\n", p, p_s[p], p_rows[p], p_rows[p] ? 100.0 * p_s[p] / p_rows[p] : 0
        printf "%s reason %d/%d %.1f%%\n", p, p_r[p], p_rows[p], p_rows[p] ? 100.0 * p_r[p] / p_rows[p] : 0
        if (labels != "")
            printf "%s adjudicated status %d/%d %.1f%%\n", p, a_s[p], a_rows[p], a_rows[p] ? 100.0 * a_s[p] / a_rows[p] : 0
    }
}
