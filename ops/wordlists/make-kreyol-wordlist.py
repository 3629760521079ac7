#!/usr/bin/env python3
"""Builds crypto/src/main/resources/org/testigo/crypto/receipt/kreyol-ht.txt, the Haitian
Creole receipt word list, from Debian packages, deterministically (same packages, same bytes).

  apt-get install tesseract-ocr tesseract-ocr-hat libtesseract-dev wamerican wfrench
  ops/wordlists/make-kreyol-wordlist.py            # writes the list
  ops/wordlists/make-kreyol-wordlist.py --check    # rebuilds and compares with the committed list

Steps (the README next to the list records the package versions and the output's SHA-256):
 1. Extract the LSTM word dictionary from tesseract-ocr-hat's hat.traineddata
    (combine_tessdata -u, then dawg2wordlist with its unicharset).
 2. key(w) = NFKD, combining marks removed, lower case (as Receipt.parse's norm()).
 3. Keep words whose key is [a-z]{3,8} and follows Kreyol spelling: no q or x, c only in "ch",
    u only in "ou" (drops French spellings, names and OCR noise), and that do not end in two
    consonants other than nn, nm, ch (y counts as a vowel): such entries are mostly fragments.
 4. Drop every word whose key is also a key of a word in wamerican's american-english or
    wfrench's french, or of a word of the four BIP-39 lists; drop blocklisted stems.
 5. Group by the first four letters of the key; each group's candidate is its shortest word
    (then lowest by code point). A group's size (how many dictionary words share the prefix)
    stands in for how common the root is: keep the 2048 largest groups (ties: prefix order).
 6. Write the 2048 words sorted by key, NFC, lower case, one per line, LF.
"""
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
LISTS = os.path.join(ROOT, 'crypto/src/main/resources/org/testigo/crypto/receipt')
OUT = os.path.join(LISTS, 'kreyol-ht.txt')
TRAINEDDATA = '/usr/share/tesseract-ocr/5/tessdata/hat.traineddata'
DICTS = ['/usr/share/dict/american-english', '/usr/share/dict/french']
BIP39 = ['bip39-english.txt', 'bip39-spanish.txt', 'bip39-french.txt', 'bip39-portuguese.txt']
BLOCKLIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'kreyol-blocklist.txt')
SIZE = 2048
SHAPE = re.compile(r'^[a-z]{3,8}$')


def key(word):
    d = unicodedata.normalize('NFKD', word)
    return ''.join(c for c in d if not unicodedata.category(c).startswith('M')).lower()


# Final consonant pairs that end Kreyol words (fanm, konn, lach); other pairs at the end of a
# dictionary entry are mostly fragments of longer words cut by the OCR training text (batj, kons).
FINAL_PAIRS = {'nn', 'nm', 'ch'}
VOWELS = set('aeiouy')


def whole_word(k):
    return not (k[-1] not in VOWELS and k[-2] not in VOWELS and k[-2:] not in FINAL_PAIRS)


def kreyol_spelling(k):
    if 'q' in k or 'x' in k:
        return False
    if re.search(r'c(?!h)', k):
        return False
    if re.search(r'(?<!o)u', k):
        return False
    return True


def tesseract_words():
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, 'hat.')
        subprocess.run(['combine_tessdata', '-u', TRAINEDDATA, prefix], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = os.path.join(tmp, 'hat.words')
        subprocess.run(['dawg2wordlist', prefix + 'lstm-unicharset', prefix + 'lstm-word-dawg', out],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out, encoding='utf-8') as f:
            return [unicodedata.normalize('NFC', w.strip()).lower() for w in f if w.strip()]


def excluded_keys():
    keys = set()
    for path in DICTS + [os.path.join(LISTS, b) for b in BIP39]:
        with open(path, encoding='utf-8') as f:
            for line in f:
                w = line.strip()
                if w:
                    keys.add(key(w))
    return keys


def blocklist():
    with open(BLOCKLIST, encoding='utf-8') as f:
        return [l.strip() for l in f if l.strip() and not l.startswith('#')]


def build():
    excluded = excluded_keys()
    blocked = blocklist()
    groups = {}
    for w in sorted(set(tesseract_words())):
        k = key(w)
        if not SHAPE.match(k) or not kreyol_spelling(k) or not whole_word(k) or k in excluded:
            continue
        if any(k.startswith(b) for b in blocked):
            continue
        groups.setdefault(k[:4], []).append(w)
    if len(groups) < SIZE:
        sys.exit('only %d prefixes' % len(groups))
    chosen = sorted(groups, key=lambda p: (-len(groups[p]), p))[:SIZE]
    words = sorted((min(groups[p], key=lambda w: (len(key(w)), w)) for p in chosen), key=lambda w: (key(w), w))
    return ''.join(w + '\n' for w in words), len(groups)


def main():
    text, prefixes = build()
    if '--check' in sys.argv:
        with open(OUT, encoding='utf-8') as f:
            if f.read() != text:
                sys.exit('kreyol-ht.txt differs from what the packages give')
        print('kreyol-ht.txt matches (%d prefixes available)' % prefixes)
        return
    with open(OUT, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)
    print('wrote %s: %d words from %d prefixes' % (OUT, SIZE, prefixes))


if __name__ == '__main__':
    main()
