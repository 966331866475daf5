"""Judges the cases tests/references.rs generates with the reference libraries.

Reads one JSON object on stdin (lists of SSN-shaped strings, ITIN-shaped
strings, digit strings, IBANs and texts) and writes the verdicts of
python-stdnum and phonenumbers on stdout, with their versions, so the Rust
test can compare them with the crate's own validators and detector.
"""

import json
import sys

import phonenumbers
import stdnum
import stdnum.iban
import stdnum.luhn
import stdnum.us.itin
import stdnum.us.ssn


def valid(module, value):
    try:
        return bool(module.is_valid(value))
    except Exception:  # a reference that cannot read the value rejects it
        return False


def phone_spans(text):
    # Positions are in characters; the test sends ASCII text only, where
    # characters and bytes are the same.
    return [[m.start, m.end] for m in phonenumbers.PhoneNumberMatcher(text, "US")]


def main():
    cases = json.load(sys.stdin)
    out = {
        "stdnum": stdnum.__version__,
        "phonenumbers": phonenumbers.__version__,
        "ssn": [valid(stdnum.us.ssn, s) for s in cases["ssn"]],
        "itin": [valid(stdnum.us.itin, s) for s in cases["itin"]],
        "luhn": [valid(stdnum.luhn, s) for s in cases["luhn"]],
        "iban": [valid(stdnum.iban, s) for s in cases["iban"]],
        "phones": [phone_spans(t) for t in cases["phones"]],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
