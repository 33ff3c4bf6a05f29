#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks an HTML file hvbench wrote: a doctype, every element closed in order
# (HTML's void elements aside; SVG's self-closed ones), every id unique, every
# reference to an id (href="#x", url(#x)) resolved. Prints what is wrong; exit 1.
# usage: html-check.py FILE.html
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.ids, self.refs, self.errors, self.doctype = [], {}, [], [], False

    def handle_decl(self, decl):
        self.doctype |= decl.lower() == "doctype html"

    def attrs(self, tag, attrs):
        names = [a for a, _ in attrs]
        if len(names) != len(set(names)):
            self.errors.append("line %d: <%s> repeats an attribute" % (self.getpos()[0], tag))
        for a, v in attrs:
            if a == "id":
                if v in self.ids:
                    self.errors.append("line %d: id %r already used on line %d" % (self.getpos()[0], v, self.ids[v]))
                self.ids.setdefault(v, self.getpos()[0])
            if v and a.endswith("href") and v.startswith("#"):
                self.refs.append((self.getpos()[0], v[1:]))
            for r in re.findall(r"url\(#([^)]+)\)", v or ""):
                self.refs.append((self.getpos()[0], r))

    def handle_starttag(self, tag, attrs):
        self.attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag, attrs):
        self.attrs(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("line %d: </%s> closes %s" % (self.getpos()[0], tag,
                               "<%s> of line %d" % self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()


p = Check()
p.feed(open(sys.argv[1], encoding="utf-8", errors="strict").read())
p.close()
if not p.doctype:
    p.errors.append("no <!DOCTYPE html>")
for tag, line in p.stack:
    p.errors.append("<%s> of line %d is never closed" % (tag, line))
for line, ref in p.refs:
    if ref not in p.ids:
        p.errors.append("line %d: reference to the unknown id %r" % (line, ref))
for e in p.errors[:20]:
    print("%s: %s" % (sys.argv[1], e))
sys.exit(1 if p.errors else 0)
