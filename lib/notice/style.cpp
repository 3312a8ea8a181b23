// The notice's stylesheet: A4 print layout, Japanese fonts by family fallback (no web
// fonts: the file must open offline), page breaks before major sections.
#include <string_view>

namespace kk::notice {

std::string_view notice_css() {
  return R"CSS(@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
:root { --ink: #1d2530; --muted: #5b6572; --line: #c9d0d8; --band: #eef2f6; --accent: #1f4e79; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Kaku Gothic ProN", "Hiragino Sans",
  "Yu Gothic UI", "Yu Gothic", "Meiryo", "MS PGothic", "IPAexGothic", "IPAGothic", sans-serif;
  color: var(--ink); font-size: 10pt; line-height: 1.6; margin: 0 auto; max-width: 190mm; padding: 8mm 6mm; }
h1 { font-size: 20pt; letter-spacing: 0.2em; text-align: center; margin: 6mm 0 1mm; }
h2 { font-size: 13.5pt; color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 1mm;
  margin: 9mm 0 3mm; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; padding-left: 2mm; border-left: 4px solid var(--accent);
  break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0 2.5mm; }
.subtitle { text-align: center; color: var(--muted); margin-top: 0; }
.classification { text-align: right; font-weight: bold; color: #a0262b; letter-spacing: 0.1em; }
.doc-foot { margin-top: 10mm; border-top: 1px solid var(--line); color: var(--muted); font-size: 9pt; padding-top: 2mm; }
section.new-page { break-before: page; page-break-before: always; }
/* Fixed layout: the columns get the widths given below (the rest share what is left), so a
   long path or command line wraps inside its cell instead of squeezing a label column to
   one character a line. */
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9.5pt;
  table-layout: fixed; }
th, td { border: 1px solid var(--line); padding: 1.2mm 2mm; vertical-align: top; text-align: left;
  overflow-wrap: anywhere; word-break: normal; }
thead th { background: var(--band); }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
table.kv th { width: 32%; background: var(--band); font-weight: normal; }
table.compact { font-size: 8.5pt; }
table.verdicts tr > :nth-child(1) { width: 24%; }
table.verdicts tr > :nth-child(2) { width: 6.5em; white-space: nowrap; }
table.iocs tr > :nth-child(1) { width: 9em; white-space: nowrap; }
body.brief { font-size: 9pt; line-height: 1.45; padding-top: 0; padding-bottom: 0; }
body.brief th, body.brief td { padding: 0.8mm 2mm; }
body.brief h3 { margin: 3mm 0 1mm; }
body.brief p { margin: 1mm 0 1.5mm; }
body.brief h1 { margin: 0 0 1mm; font-size: 17pt; }
body.brief .doc-foot { margin-top: 3mm; }
body.brief h2 { margin-top: 3mm; }
body.brief table { margin: 1mm 0 2mm; }
body.brief .verdict-compromised, body.brief .verdict-suspicious, body.brief .verdict-none { padding: 2mm 3mm; font-size: 10pt; }
.muted { color: var(--muted); font-size: 0.9em; }
table.timeline tr > :nth-child(1) { width: 22%; }
table.timeline tr > :nth-child(2) { width: 13%; }
table.timeline tr > :nth-child(4) { width: 27%; }
table.evidence tr > :nth-child(1) { width: 9em; }
table.evidence tr > :nth-child(2) { width: 22%; }
table.evidence tr > :nth-child(3) { width: 6.5em; }
table.evidence tr > :nth-child(4) { width: 6em; }
table.hashes tr > :last-child { width: 30%; }
table.pcs tr > :nth-child(1) { width: 17%; }
table.pcs tr > :nth-child(2) { width: 13%; }
table.pcs tr > :nth-child(4) { width: 15%; }
table.pcs tr > :nth-child(5) { width: 17%; }
table.shared tr > :nth-child(1) { width: 6.5em; }
table.logons tr > :nth-child(1) { width: 17%; }
table.logons tr > :nth-child(4) { width: 12%; }
table.logons tr > :nth-child(5) { width: 34%; }
table.inventory tr > :nth-child(1) { width: 5.5em; }
table.inventory tr > :nth-child(2) { width: 30%; }
table.inventory tr > :nth-child(3) { width: 14%; }
table.inventory tr > :nth-child(4) { width: 12%; text-align: right; }
table.inventory tr > :nth-child(6) { width: 6em; }
code { font-family: "Noto Sans Mono CJK JP", "Consolas", "Menlo", monospace; font-size: 0.92em;
  overflow-wrap: anywhere; }
.lead { font-size: 11pt; }
.note { color: var(--muted); font-size: 9.5pt; }
.verdict-compromised, .verdict-suspicious, .verdict-none { padding: 3mm 4mm; border-radius: 2mm; font-size: 11.5pt; }
.verdict-compromised { background: #fdecea; border: 1px solid #d9534f; }
.verdict-suspicious { background: #fff6e0; border: 1px solid #e0a100; }
.verdict-none { background: #e9f6ec; border: 1px solid #3c9a5f; }
.badge { display: inline-block; padding: 0 1.6mm; border-radius: 1mm; font-size: 8.5pt; color: #fff;
  white-space: nowrap; background: #6c757d; }
.badge-critical { background: #8b0000; } .badge-high { background: #d9534f; }
.badge-medium { background: #e08e0b; } .badge-low { background: #3a7cc1; } .badge-info { background: #6c757d; }
.badge-ok { background: #3c9a5f; } .badge-ng { background: #d9534f; } .badge-na { background: #8a939c; }
.badge-yes { background: #d9534f; } .badge-no { background: #3c9a5f; }
figure.chart { margin: 2mm 0 4mm; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 9pt; }
a { color: var(--accent); text-decoration: none; }
ul, ol { margin: 1mm 0 3mm; padding-left: 6mm; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; } }
)CSS";
}

}  // namespace kk::notice
