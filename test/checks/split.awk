# split.awk - the fixed split of a corpus into the part rules are tuned on
# and the part only measured: h = h * 31 + byte (mod 1000003) over the file
# name; even: tune, odd: measure.  Loaded before the checks' own awk files
# (awk -f test/checks/split.awk -f ...).
function part_of(name,    h, i) {
    if (!split_ready) {
        for (i = 32; i < 127; i++) split_ord[sprintf("%c", i)] = i
        split_ready = 1
    }
    h = 0
    for (i = 1; i <= length(name); i++) h = (h * 31 + split_ord[substr(name, i, 1)]) % 1000003
    return (h % 2 == 0) ? "tune" : "measure"
}
