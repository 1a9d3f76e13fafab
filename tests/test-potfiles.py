#!/usr/bin/env python3
# Checks po/POTFILES.in against the sources: every src/**/*.c that marks
# strings for translation and every src/**/*.ui with translatable="yes"
# must be listed, and every listed file must exist.
#
# Usage: test-potfiles.py SOURCE_ROOT

import pathlib
import re
import sys

C_MARKS = re.compile(r'(?<![A-Za-z0-9_])(?:N?_|C_|NC_|g_dngettext|ngettext|g_dpgettext2?)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*["\']yes["\']')


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '.').resolve()
    potfiles = root / 'po' / 'POTFILES.in'
    listed = []
    for line in potfiles.read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line and not line.startswith('#') and not line.startswith('['):
            listed.append(line)

    errors = []
    for name in listed:
        if not (root / name).is_file():
            errors.append(f'po/POTFILES.in lists {name}, which does not exist')

    wanted = []
    for path in sorted((root / 'src').rglob('*')):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if path.suffix == '.c':
            if C_MARKS.search(path.read_text(encoding='utf-8', errors='replace')):
                wanted.append(rel)
        elif path.suffix == '.ui':
            if UI_MARK.search(path.read_text(encoding='utf-8', errors='replace')):
                wanted.append(rel)

    listed_set = set(listed)
    for rel in wanted:
        if rel not in listed_set:
            errors.append(f'{rel} has translatable strings but is missing from po/POTFILES.in')

    body = [l for l in listed if not l.startswith('#')]
    if body != sorted(body):
        print('# note: po/POTFILES.in is not sorted', file=sys.stderr)

    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        return 1
    print(f'POTFILES.in: {len(listed)} files listed, {len(wanted)} source files with strings, all listed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
