#!/usr/bin/env bash
# Rows per second: parse-browser (visits with referrer chains, downloads, searches as JSONL)
# against the sqlite3 CLI running the equivalent joins (urls ⋈ visits ⋈ from_visit,
# downloads, keyword_search_terms; moz_places ⋈ moz_historyvisits, moz_annos) on the same
# databases, in one run. The set is every corpus browser database plus one large Chrome
# History built here with the sqlite3 CLI (200,000 visits), so the ratio is not all start-up.
#
# Usage: bench/bench-browser.sh [PARSE_BROWSER] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tool=${1:-}
if [[ -z "$tool" ]]; then
  for c in "$here/build/release/bin/parse-browser" "$here/build/bin/parse-browser"; do
    [[ -x "$c" ]] && tool=$c && break
  done
fi
rounds=${2:-3}
shared=$here/../shared
[[ -d $shared ]] || shared=$here/../../shared  # a worktree under wt/
corpus="${KK_CORPUS:-$shared/corpus}/browser"
[[ -x "$tool" ]] || { echo "parse-browser not found (build it or pass its path)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 not installed (apt install sqlite3)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
big="$work/bench_Default_History"
sqlite3 "$big" <<'SQL'
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, visit_count INTEGER,
  typed_count INTEGER, last_visit_time INTEGER, hidden INTEGER);
CREATE TABLE visits(id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER, from_visit INTEGER,
  transition INTEGER, segment_id INTEGER, visit_duration INTEGER);
CREATE TABLE keyword_search_terms(keyword_id INTEGER, url_id INTEGER, term LONGVARCHAR,
  normalized_term LONGVARCHAR);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO urls SELECT i, 'https://site' || (i % 977) || '.example/page/' || i || '?q=' || hex(randomblob(8)),
  'Page ' || i, 10, i % 3, 13300000000000000 + i * 1000000, 0 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO visits SELECT i, 1 + (i % 20000), 13300000000000000 + i * 1000000,
  CASE WHEN i % 4 = 0 THEN 0 ELSE i - 1 END, CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END, 0, 0 FROM n;
INSERT INTO keyword_search_terms SELECT 2, id, 'term ' || id, 'term ' || id FROM urls WHERE id % 50 = 0;
SQL
files=("$big")
while IFS= read -r f; do files+=("$f"); done < <(find "$corpus" -type f ! -name '*.gz' ! -name '*-shm' | sort)
queries() {  # the rows parse-browser writes, as sqlite3 joins
  local f=$1 t
  t=$(sqlite3 -readonly "file:$f?immutable=1" "select group_concat(name) from sqlite_master where type='table'" 2>/dev/null || true)
  if [[ $t == *moz_historyvisits* ]]; then
    sqlite3 -readonly "file:$f?immutable=1" \
      "select v.id, v.visit_date, p.url, p.title, v.visit_type, r.url from moz_historyvisits v left join moz_places p on p.id = v.place_id left join moz_historyvisits fv on fv.id = v.from_visit left join moz_places r on r.id = fv.place_id;" \
      "select a.place_id, n.name, a.content, a.dateAdded from moz_annos a join moz_anno_attributes n on n.id = a.anno_attribute_id where n.name like 'downloads/%';"
  elif [[ $t == *visits* ]]; then
    sqlite3 -readonly "file:$f?immutable=1" \
      "select v.id, v.visit_time, u.url, u.title, v.transition, r.url from visits v left join urls u on u.id = v.url left join visits fv on fv.id = v.from_visit left join urls r on r.id = fv.url;" \
      "select * from downloads;" "select k.term, u.url, u.last_visit_time from keyword_search_terms k left join urls u on u.id = k.url_id;" 2>/dev/null || true
  elif [[ $t == *moz_downloads* ]]; then
    sqlite3 -readonly "file:$f?immutable=1" "select * from moz_downloads;"
  fi
}
rows=$("$tool" --quiet --jobs 1 "${files[@]}" 2>/dev/null | wc -l)
ref_rows=0
for f in "${files[@]}"; do ref_rows=$((ref_rows + $(queries "$f" | wc -l))); done
export -f queries
export tool rounds
files_list=$(printf '%q ' "${files[@]}")
# Wall and CPU (user+sys) seconds of each side: the machine may be shared, CPU time is the
# fairer ratio then.
read -r ow ou os < <({ /usr/bin/time -f "%e %U %S" bash -c \
  "for ((r = 0; r < rounds; r++)); do \"\$tool\" --quiet --jobs 1 $files_list >/dev/null 2>&1; done"; } 2>&1 | tail -1)
read -r pw pu ps < <({ /usr/bin/time -f "%e %U %S" bash -c \
  "for ((r = 0; r < rounds; r++)); do for f in $files_list; do queries \"\$f\" >/dev/null; done; done"; } 2>&1 | tail -1)
awk -v ow="$ow" -v oc="$(echo "$ou + $os" | bc)" -v pw="$pw" -v pc="$(echo "$pu + $ps" | bc)" \
    -v n="$rounds" -v rows="$rows" -v ref="$ref_rows" -v files="${#files[@]}" 'BEGIN {
  printf "files: %d (corpus + a generated 200,000-visit History), rounds: %d\n", files, n;
  printf "parse-browser: %d records  wall %.3f s/round  cpu %.3f s/round  %.0f records/cpu-s\n", rows, ow / n, oc / n, rows * n / oc;
  printf "sqlite3 CLI:   %d rows     wall %.3f s/round  cpu %.3f s/round  %.0f rows/cpu-s\n", ref, pw / n, pc / n, ref * n / pc;
  printf "ratio parse-browser / sqlite3: wall %.2f, cpu %.2f\n", ow / pw, oc / pc }'
