#!/usr/bin/env python3
"""The layering the code is built on, checked on the source (issue 12):
SQL and SQLite only in src/store; curses only in src/ui (and the CLI's
version line), libcurl never in ui, core or store; the UI never includes the
CLI and the CLI starts the UI only from cli/tui.c; every public header has
the .c of its path; a function a public header declares is used outside its
own file (else it would be static)."""
import glob
import os
import re
import sys

root = os.environ.get('OKDF_SRC') or sys.argv[1]
os.chdir(root)
problems = []


def files(*dirs, ext=('.c', '.h')):
    out = []
    for d in dirs:
        out += [f for f in glob.glob(d + '/**/*', recursive=True) if f.endswith(ext)]
    return sorted(out)


def grep(paths, pattern, why):
    rx = re.compile(pattern)
    for f in paths:
        for n, line in enumerate(open(f, encoding='utf-8'), 1):
            if rx.search(line):
                problems.append(f'{f}:{n}: {why}: {line.strip()}')


outside_store = files('src/core', 'src/sync', 'src/ui', 'src/cli', 'src/net', 'include/okdf')
grep(outside_store, r'\bsqlite3_\w+|<sqlite3\.h>|\bsqlite3 \*', 'SQLite outside src/store')
grep(outside_store, r'"(SELECT |INSERT INTO |UPDATE \w+ SET |DELETE FROM |CREATE (TABLE|INDEX|TRIGGER) )',
     'SQL text outside src/store')
grep(files('src/core', 'src/store', 'src/sync', 'src/net'), r'curses\.h', 'curses outside the UI')
grep(files('src/ui', 'src/core', 'src/store'), r'curl/curl\.h', 'libcurl in ui, core or store')
grep(files('src/ui'), r'#include "okdf/cli/', 'the UI includes the CLI')
grep([f for f in files('src/cli') if f != 'src/cli/tui.c'], r'#include "okdf/ui/',
     'the CLI includes the UI outside cli/tui.c')

sources = {f: open(f, encoding='utf-8').read()
           for f in files('src', 'tests', 'bench', 'fuzz', ext=('.c',)) if '/sim/' not in f}
for h in files('include/okdf', ext=('.h',)):
    c = 'src/' + h[len('include/okdf/'):-2] + '.c'
    if not os.path.exists(c):
        problems.append(f'{h}: no {c} (headers mirror src/)')
        continue
    for m in re.finditer(r'^[a-z][\w \*]*?\b(\w+)\(', open(h, encoding='utf-8').read(), re.M):
        name = m.group(1)
        word = re.compile(r'\b' + name + r'\b')
        if not any(word.search(t) for f, t in sources.items() if f != c):
            problems.append(f'{h}: {name} is used only in {c}: make it static')

for p in problems:
    print(p)
print(f'layout: {len(problems)} problem(s)' if problems else 'layout: ok')
sys.exit(1 if problems else 0)
