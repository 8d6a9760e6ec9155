#!/usr/bin/env python3
"""tools/script_tables.py - write src/core/scripts_tables.h, the charset
tables of src/core/scripts.c, from the charsets' definitions as Python's
codecs give them.

The single-byte readings get their whole upper half (0x80-0xFF) mapped to
code points.  The double-byte readings (GBK, Big5, EUC-KR) only get the
characters that the phrase table's PHRASE_UNI phrases use: every Chinese
character and Hangul syllable of those phrases, with its code in each
charset that has it.  Run it again after adding such a phrase:

    python3 tools/script_tables.py > src/core/scripts_tables.h
"""
import re
import sys

SINGLE = [
    ("cp1251", "cp1251"),
    ("koi8u", "koi8_u"),
    ("iso8859_5", "iso8859_5"),
    ("greek", "cp1253"),
    ("hebrew", "cp1255"),
    ("cp1256", "cp1256"),
    ("iso8859_6", "iso8859_6"),
    ("thai", "cp874"),
]
# where one table reads two charsets, the letters the other one puts
# elsewhere are added to bytes the first leaves undefined or uses for
# symbols no notice needs
EXTRA = {"greek": "iso8859_7", "hebrew": "iso8859_8", "thai": "tis_620"}
WIDE = [("gbk", "gbk"), ("big5", "big5"), ("euckr", "euc_kr")]


def phrases(path):
    text = open(path, encoding="utf-8").read()
    for m in re.finditer(r'\{"([^"]*)",[^}]*\bU\b[^}]*\}', text):
        yield m.group(1)


def main():
    out = sys.stdout
    out.write("/*\n * scripts_tables.h - charset tables of scripts.c, written by\n"
              " * tools/script_tables.py from the charsets' definitions; do not edit.\n */\n\n")
    for name, codec in SINGLE:
        table = []
        for b in range(0x80, 0x100):
            try:
                ch = bytes([b]).decode(codec)
            except UnicodeDecodeError:
                ch = None
            if (ch is None or not ch.isalpha()) and name in EXTRA:
                try:
                    alt = bytes([b]).decode(EXTRA[name])
                    if alt.isalpha():
                        ch = alt
                except UnicodeDecodeError:
                    pass
            cp = ord(ch) if ch is not None and len(ch) == 1 and ord(ch) <= 0xFFFF else 0
            table.append(cp)
        out.write("static const uint16_t table_%s[128] = {\n" % name)
        for i in range(0, 128, 8):
            out.write("\t" + ", ".join("0x%04X" % c for c in table[i:i + 8]) + ",\n")
        out.write("};\n\n")
    chars = sorted({c for p in phrases("src/core/phrases.c") for c in p
                    if 0x3400 <= ord(c) <= 0x9FFF or 0xAC00 <= ord(c) <= 0xD7A3})
    for name, codec in WIDE:
        pairs = []
        for c in chars:
            try:
                b = c.encode(codec)
            except UnicodeEncodeError:
                continue
            if len(b) == 2:
                pairs.append((b[0] << 8 | b[1], ord(c)))
        pairs.sort()
        out.write("/* %s code -> code point, sorted by code */\n" % codec.upper().replace("_", "-"))
        out.write("static const uint16_t wide_%s[][2] = {\n" % name)
        for i in range(0, len(pairs), 4):
            out.write("\t" + " ".join("{0x%04X, 0x%04X}," % p for p in pairs[i:i + 4]) + "\n")
        out.write("};\n\n")


if __name__ == "__main__":
    main()
