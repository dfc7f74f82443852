#!/usr/bin/env python3
"""Independent implementation of the Engram tokenizer (SPEC.md 7.11, version 1).

Writes tokens.json: for each input text (given as a string and as UTF-8 hex) and each setting
of diacritic folding, the terms. The Swift tests must produce the same terms.

Written from the SPEC text only, with Python's unicodedata (its Unicode version may be older
than Swift's: the inputs use only scalars assigned in both). The Ideographic property is not in
unicodedata, so its ranges are listed here from PropList.txt.
"""
import json
import os
import unicodedata

IDEOGRAPHIC = [
    (0x3006, 0x3007), (0x3021, 0x3029), (0x3038, 0x303A), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0x16FE4, 0x16FE4), (0x17000, 0x187F7), (0x18800, 0x18CD5),
    (0x18D00, 0x18D08), (0x1B170, 0x1B2FB), (0x20000, 0x2A6DF), (0x2A700, 0x2B739), (0x2B740, 0x2B81D),
    (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D), (0x30000, 0x3134A),
]
APOSTROPHES = {"\u0027", "\u2019"}
MAX_TERM_BYTES = 128


def is_ideograph(c):
    v = ord(c)
    return any(lo <= v <= hi for lo, hi in IDEOGRAPHIC)


def is_run(c):
    return unicodedata.category(c)[0] in "LMN" and not is_ideograph(c)


def finish(word, fold):
    # Full lowercase mapping per scalar (str.lower on one character: no final-sigma context).
    term = unicodedata.normalize("NFKC", "".join(c.lower() for c in word))
    if fold:
        term = "".join(c for c in unicodedata.normalize("NFD", term) if unicodedata.category(c) != "Mn")
        term = unicodedata.normalize("NFKC", term)
    if not term:
        return None
    out = b""
    for c in term:
        b = c.encode("utf-8")
        if len(out) + len(b) > MAX_TERM_BYTES:
            break
        out += b
    return out.decode("utf-8")


def tokens(text, fold=False):
    s = unicodedata.normalize("NFKC", text)
    out, word = [], ""
    i = 0
    while i < len(s):
        c = s[i]
        if is_run(c) and (word or unicodedata.category(c)[0] != "M"):
            word += c  # a mark continues a word but never starts one
        elif c in APOSTROPHES and word and i + 1 < len(s) and is_run(s[i + 1]):
            pass  # dropped; the run goes on
        else:
            if word:
                out.append(word)
                word = ""
            if is_ideograph(c):
                out.append(c)
        i += 1
    if word:
        out.append(word)
    return [t for t in (finish(w, fold) for w in out) if t is not None]


INPUTS = [
    "",
    "Hello, World!",
    "The quick brown fox jumps over the lazy dog.",
    "don't stop 'quoted' rock'n'roll it''s end'",
    "O\u2019Brien\u2019s caf\u00e9",
    "caf\u00e9 CAF\u00c9",
    "cafe\u0301 CAFE\u0301",
    "na\u00efve r\u00e9sum\u00e9 \u00c5ngstr\u00f6m",
    "nai\u0308ve re\u0301sume\u0301 A\u030angstro\u0308m",
    "NUL\u0000inside\u0000text",
    "a\u0000b",
    "\u6771\u4eac\u306b\u884c\u304f \u6f22\u5b57abc\u4e2d\u6587",
    "\u3072\u3089\u304c\u306a \u30ab\u30bf\u30ab\u30ca \ud55c\uad6d\uc5b4",
    "emoji \U0001F600 between\U0001F44Dwords \u2764\ufe0f \U0001F468\u200d\U0001F469\u200d\U0001F467",
    "digits 3.14 1,000,000 v2 2024-06-01 \u0661\u0662\u0663 \u2155 \u00bd",
    "\ufb01nance \uff21\uff22\uff23 \u2460 \u2167 x\u00b2",
    "STRASSE Stra\u00dfe \u0130stanbul \u03a3\u039f\u03a6\u039f\u03a3 \u041c\u043e\u0441\u043a\u0432\u0430",
    "snake_case kebab-case dot.case CamelCase",
    "tab\there\nnewline\u00a0nbsp\u2003emspace",
    "\u0915\u094d\u0937\u093f \u0939\u093f\u0928\u094d\u0926\u0940",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea",
    "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22",
    "x" * 130 + " " + "\u00e9" * 70,
    "   ... --- !!! ",
    "\u0301leading mark",
    "'''",
    "it's",
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    cases = []
    for text in INPUTS:
        for fold in (False, True):
            cases.append({"text": text, "utf8": text.encode("utf-8").hex(), "fold_diacritics": fold,
                          "tokens": tokens(text, fold)})
    with open(os.path.join(here, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump({"unicode": unicodedata.unidata_version, "tokenizer": 1, "cases": cases}, f,
                  ensure_ascii=True, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
