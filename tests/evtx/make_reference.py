#!/usr/bin/env python3
"""Builds tests/data/evtx/corpus_reference.tsv from libevtx's evtxexport XML.

For every corpus file where evtxexport and python-evtx agree on the record count
(see ../shared/corpus/evtx_reference_counts.tsv), evtxexport -f xml is run once
and each record is reduced to a normalized line
    record_id|event_id|time|channel|computer|Name=value;Name=value...
(EventData only). The TSV keeps, per file, the record count and an FNV-1a 64
digest of those lines; corpus_conformance_test.cpp reduces parse-evtx output the
same way. With --compare BIN the script also prints the first differing line per
file against BIN's output (for debugging, not needed by the test).

Normalization (the two tools render some types differently, neither is wrong):
  hex "0x…"         -> lower case, no leading zeros    (evtxexport pads HexInt64)
  ISO times         -> truncated to microseconds       (evtxexport prints 9 digits)
  GUID "{…}"        -> upper case
  empty / null Data -> ""
  CR LF, CR         -> LF                              (as XML parsers read them)
  Data order        -> sorted                          (unnamed Data are one JSON array)
  whitespace-only   -> ""                              (evtxexport drops it)
  key "Name#2"      -> "Name"                          (parse-evtx numbers repeated names)
"""
import html, json, re, subprocess, sys, xml.etree.ElementTree as ET
from pathlib import Path

NS = '{http://schemas.microsoft.com/win/2004/08/events/event}'
HEX = re.compile(r'^0x[0-9a-fA-F]+$')
ISO = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$')
DATA = re.compile(r'\s*<(\w+)( Name="([^"]*)")?\s*(/>|>(.*?)</\1>)', re.S)
GUID = re.compile(r'^\{[0-9a-fA-F-]{36}\}$')


def norm(v):
    if v is None:
        return ''
    v = re.sub('[\ue000-\ue01f]', lambda m: chr(ord(m.group()) - 0xE000), v)
    v = v.replace('\r\n', '\n').replace('\r', '\n')  # as any XML parser reads line ends
    if not v.strip():
        return ''  # evtxexport writes whitespace-only content as empty
    if HEX.match(v):
        return '0x' + (v[2:].lower().lstrip('0') or '0')
    m = ISO.match(v)
    if m:
        frac = (m.group(2) or '.')[1:]
        return m.group(1) + '.' + (frac + '000000')[:6] + 'Z'
    if GUID.match(v):
        return v.upper()
    return v


def fnv(lines):
    h = 0xcbf29ce484222325
    for b in '\n'.join(lines).encode('utf-8'):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return '%016x' % h


def evtxexport_lines(path):
    out = subprocess.run(['evtxexport', '-f', 'xml', str(path)], capture_output=True).stdout
    text = out.decode('utf-8', 'replace')
    lines = []
    for block in text.split('<Event xmlns')[1:]:
        block = '<Event xmlns' + block
        end = block.rfind('</Event>')
        block = block[:end + len('</Event>')]
        raw = block
        # evtxexport writes control characters as they are, which XML forbids.
        # They are parked in the private use area and restored by norm().
        block = re.sub(r'[\x00-\x08\x0b\x0c\x0e-\x1f]', lambda m: chr(0xE000 + ord(m.group())), block)
        try:
            ev = ET.fromstring(block)
        except ET.ParseError:  # undeclared namespace prefixes (UserData): drop them
            block = re.sub(r'\s[\w-]+:[\w-]+="[^"]*"', '', block)
            block = re.sub(r'<(/?)[\w-]+:', r'<\1', block)
            ev = ET.fromstring(block)
        sysn = ev.find(NS + 'System')
        def t(tag):
            e = sysn.find(NS + tag)
            return '' if e is None or e.text is None else e.text
        tc = sysn.find(NS + 'TimeCreated')
        time = norm(tc.get('SystemTime') if tc is not None else '')
        data = []
        # EventData is read from the raw text: evtxexport does not always escape XML
        # text inside values, so an XML parser would see child elements there.
        m = re.search(r'<EventData[^>]*>(.*?)</EventData>', raw, re.S)
        for d in DATA.finditer(m.group(1) if m else ''):
            tag, name, body = d.group(1), d.group(3), d.group(5)
            if tag != 'Data' and name is None:
                name = tag
            data.append('%s=%s' % (name or '', norm(html.unescape(body) if body is not None else '')))
        lines.append('|'.join([t('EventRecordID'), t('EventID'), time, t('Channel'), t('Computer'),
                               ';'.join(sorted(data))]))
    return lines


def json_text(v):
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, separators=(',', ':'), ensure_ascii=False)


def ours_value(v):
    return norm(json_text(v))


def ours_lines(binary, path):
    out = subprocess.run([binary, '--quiet', str(path)], capture_output=True).stdout.decode()
    lines = []
    for l in out.splitlines():
        r = json.loads(l)
        data = []
        for k, v in r['data'].items():
            if isinstance(v, dict):
                continue  # UserData: not compared
            if k == 'Data' and isinstance(v, list):
                data += ['=' + ours_value(x) for x in v]
            else:
                data.append('%s=%s' % (re.sub(r'#\d+$', '', k), ours_value(v)))
        lines.append('|'.join([str(r['record_id']), json_text(r['event_id']), norm(r['time']),
                               json_text(r['channel']), json_text(r['computer']), ';'.join(sorted(data))]))
    return lines


def main():
    root = Path(__file__).resolve().parents[2]
    corpus = root.parent / 'shared' / 'corpus'
    compare = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == '--compare' else None
    rows = []
    for line in (corpus / 'evtx_reference_counts.tsv').read_text().splitlines()[1:]:
        rel, size, a, b, notes = (line.split('\t') + [''])[:5]
        if a != b or not a.isdigit():
            continue
        ref = evtxexport_lines(corpus / rel)
        if len(ref) != int(a):
            print('skip (evtxexport XML count differs):', rel, file=sys.stderr)
            continue
        rows.append('%s\t%d\t%s' % (rel, len(ref), fnv(ref)))
        if compare:
            ours = ours_lines(compare, corpus / rel)
            if ours != ref:
                for x, y in zip(ref, ours):
                    if x != y:
                        xs, ys = x.split(';'), y.split(';')
                        d = [(a, b) for a, b in zip(xs, ys) if a != b][:1] or [(x[:300], y[:300])]
                        print('DIFF', rel, '\n  ref :', repr(d[0][0][:300]), '\n  ours:', repr(d[0][1][:300]))
                        break
                else:
                    print('DIFF count', rel, len(ref), len(ours))
    if not compare:
        # Golden files for tests/data/evtx: every record's normalized line, kept in full.
        for name in ['Security_short_selected.evtx', 'Application_no_crc32.evtx',
                     'sysmon_13_keylogger_directx.evtx']:
            src = root / 'tests' / 'data' / 'evtx' / name
            lines = [l.replace('\\', '\\\\').replace('\n', '\\n') for l in evtxexport_lines(src)]
            (src.parent / (name + '.expected')).write_text('\n'.join(lines) + '\n')
        out = root / 'tests' / 'data' / 'evtx' / 'corpus_reference.tsv'
        out.write_text('# file\trecords\tfnv1a64 of normalized records (tests/evtx/make_reference.py)\n' +
                       '\n'.join(rows) + '\n')
        print('wrote', out, len(rows), 'files')


if __name__ == '__main__':
    main()
