#!/usr/bin/env python3
"""Writes a C header holding each .graphql file as a string constant
graphql_<basename>, so okdf sends exactly the documents the schema test reads."""
import os
import sys

out, inputs = sys.argv[1], sys.argv[2:]
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* Generated from data/graphql by tools/embed_graphql.py. */\n')
    for path in inputs:
        name = os.path.splitext(os.path.basename(path))[0]
        lines = [l.strip() for l in open(path, encoding='utf-8')]
        # Comments and indentation only cost bytes on the wire.
        lines = [l for l in lines if l and not l.startswith('#')]
        f.write('static const char graphql_%s[] =\n' % name)
        for l in lines:
            f.write('\t"%s\\n"\n' % l.replace('\\', '\\\\').replace('"', '\\"'))
        f.write('\t;\n')
