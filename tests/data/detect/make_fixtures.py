#!/usr/bin/env python3
"""Picks, for every built-in rule, a real corpus record it fires on and a real record of the
same channel and event id (or at least the same channel) it does not fire on.

usage: make_fixtures.py RECORDS.jsonl... --findings FINDINGS.jsonl... -o DIR
FINDINGS must come from `detect --evidence-cap 100000` over the same RECORDS, so that every
match is listed. Writes DIR/builtin_records.jsonl and DIR/builtin_cases.tsv. The cases are
then reviewed by hand (the corpus file names say which technique each sample shows).
"""
import json, sys, argparse, collections

ap = argparse.ArgumentParser()
ap.add_argument('records', nargs='+')
ap.add_argument('--findings', nargs='+', required=True)
ap.add_argument('-o', required=True)
a = ap.parse_args()

recs = {}
by_route = collections.defaultdict(list)
for path in a.records:
    for line in open(path, encoding='utf-8'):
        r = json.loads(line)
        k = (r['source'], r['record_id'])
        recs[k] = r
        by_route[(r.get('channel') or '').lower(), r.get('event_id')].append(k)
        by_route[(r.get('channel') or '').lower(), None].append(k)

matched = collections.defaultdict(set)
first = {}
for path in a.findings:
    for line in open(path, encoding='utf-8'):
        f = json.loads(line)
        rid = f['rule']['id']
        if not rid.startswith('KK-'):
            continue
        for ev in f['evidence']:
            k = (ev['source'], ev['record_id'])
            matched[rid].add(k)
            first.setdefault(rid, k)

# Stateful rules fire on a burst: the whole burst goes into the fixture.
STATEFUL = {'KK-LOGON-BRUTEFORCE', 'KK-LOGON-003', 'KK-LOGON-009'}
keep = set()
for rid in STATEFUL:
    keep |= matched.get(rid, set())
rows = []
for rid in sorted(first):
    pos = first[rid]
    r = recs[pos]
    ch = (r.get('channel') or '').lower()
    neg = None
    for route in ((ch, r.get('event_id')), (ch, None)):
        for k in by_route[route]:
            if k not in matched[rid]:
                neg = k
                break
        if neg:
            break
    keep.add(pos)
    rows.append((rid, 'fires', pos))
    if neg:
        keep.add(neg)
        rows.append((rid, 'silent', neg))

def trim(r):
    # keep fixtures small: long values (script blocks, task XML) are cut, never dropped
    for k, v in list(r.get('data', {}).items()):
        if isinstance(v, str) and len(v) > 2000:
            r['data'][k] = v[:2000]
    return r

with open(a.o + '/builtin_records.jsonl', 'w', encoding='utf-8') as out:
    for k in sorted(keep, key=lambda k: (k[0], k[1])):
        out.write(json.dumps(trim(recs[k]), ensure_ascii=False, separators=(',', ':')) + '\n')
with open(a.o + '/builtin_cases.tsv', 'w', encoding='utf-8') as out:
    out.write('# rule\texpect\tsource\trecord_id\n')
    for rid, what, (src, rec) in rows:
        out.write(f'{rid}\t{what}\t{src}\t{rec}\n')
