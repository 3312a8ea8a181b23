#include <algorithm>
#include <atomic>
#include <filesystem>
#include <unordered_map>
#include <unordered_set>

#include "core/cpu_time.hpp"
#include "core/jsonl_reader.hpp"
#include "core/ordered_relay.hpp"
#include "core/small_file.hpp"
#include "detect/detect.hpp"
#include "detect/event.hpp"
#include "detect/finding.hpp"
#include "detect/finding_table.hpp"
#include "detect/line_batch.hpp"
#include "detect/prefilter.hpp"
#include "detect/rule_loader.hpp"
#include "detect/seen_records.hpp"
#include "detect/suspect.hpp"

namespace kk::detect {

namespace {

// Rules of one route (channel or artifact), pre-indexed by event id.
struct RouteIndex {
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> by_event_id;
  std::vector<std::uint32_t> any_event;
};

// The rules one kind of record (route and event id) meets, in evaluation order, with a
// prefilter over only their literals: a record scans the fields its own rules read, not
// those of every rule loaded (a Security 5145 share access is not scanned for the
// command-line literals of 1,100 process_creation rules).
struct Bucket {
  std::vector<std::uint32_t> rules;  // rule numbers; the prefilter numbers them by position
  Prefilter prefilter;
};

struct RouteBuckets {
  Bucket any;  // records whose event id no rule of the route names: the route-wide rules
  std::unordered_map<std::int64_t, Bucket> by_event_id;  // route-wide rules, then the id's
};

bool is_rule_file(const std::filesystem::path& p) {
  auto ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

// A rule file read and parsed as YAML: what can be done for many files at once.
struct RuleFile {
  bool opened = false;
  RuleYaml yaml;
};
RuleFile read_rule_file(const std::filesystem::path& path) {
  RuleFile r;
  const std::size_t max = YamlLimits{}.max_bytes;
  auto text = read_small_file(path.string(), max);
  if (!text && !text.error().offset) return r;
  r.opened = true;
  if (text)
    r.yaml = read_rule_yaml(*text);
  else  // as the YAML reader says it
    r.yaml.error = "rule file larger than " + std::to_string(max >> 20) + " MiB";
  return r;
}
}  // namespace

struct Detector::Impl {
  struct Matcher;
  Impl(Options o, Diagnostics& d);

  Options options;
  std::atomic<double> helper_cpu{0};  // load_path's helper threads (not the caller's)
  Diagnostics& diag;
  SuspectMatcher suspect;
  FindingSink sink;
  FieldIds field_ids;
  std::vector<LoadedRule> rules;
  std::unordered_map<std::string, RouteIndex> index;
  std::vector<RuleStatus> statuses;
  std::unordered_set<std::string> seen_ids;  // rule ids already loaded
  SeenRecords seen_records;                  // EVTX records already matched
  Stats stats;
  simdjson::dom::parser parser;
  // matchers[0] matches add()'s records; add_batches() uses one per thread.
  std::vector<std::unique_ptr<Matcher>> matchers;
  // Built from INDEX when the first record comes after rules were loaded; shared by the
  // matching threads (the prefilters build their automata once, at first use).
  std::unordered_map<std::string, RouteBuckets> buckets;
  bool buckets_stale = true;

  RuleStatus load(std::string_view text, const std::string& path, const std::string& source) {
    return load(read_rule_yaml(text), path, source);
  }
  RuleStatus load(const RuleYaml& yaml, const std::string& path, const std::string& source) {
    RuleLoadResult r = load_rule(yaml, path, source, field_ids);
    RuleStatus st{r.path, r.id, r.title, "loaded", r.reason, r.warnings};
    if (r.status == RuleLoadResult::Status::kLoaded && seen_ids.count(r.id)) {
      r.status = RuleLoadResult::Status::kSkipped;
      st.reason = "duplicate rule id (already loaded from another file)";
    }
    switch (r.status) {
      case RuleLoadResult::Status::kSkipped:
        st.status = "skipped";
        ++stats.rules_skipped;
        break;
      case RuleLoadResult::Status::kForeign:
        st.status = "foreign";
        ++stats.rules_foreign;
        break;
      case RuleLoadResult::Status::kLoaded:
        ++stats.rules_loaded;
        seen_ids.insert(r.id);
        for (auto& lr : r.compiled) {
          auto n = static_cast<std::uint32_t>(rules.size());
          RouteIndex& ri = index[lr.route];
          if (lr.event_ids.empty()) {
            ri.any_event.push_back(n);
          } else {
            for (auto id : lr.event_ids) ri.by_event_id[id].push_back(n);
          }
          rules.push_back(std::move(lr));
        }
        buckets_stale = true;
        break;
    }
    statuses.push_back(st);
    return st;
  }

  void load_path(const std::string& path, Diagnostics& report_to) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(path, ec)) {
      std::filesystem::recursive_directory_iterator it(
          path, std::filesystem::directory_options::skip_permission_denied, ec),
          end;
      for (; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && is_rule_file(it->path())) files.push_back(it->path());
      if (ec)
        report_to.warning(path, std::nullopt, "rule directory not fully read: " + ec.message());
      std::sort(files.begin(), files.end());  // deterministic load order and finding ids
    } else if (std::filesystem::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      report_to.unreadable(path, "rule path is neither a file nor a directory");
      return;
    }
    // Read and parsed on load_jobs threads, compiled here in order (shared ids and indexes).
    ordered_relay(
        files.size(), std::max(1u, options.load_jobs),
        [&](unsigned thread, std::size_t i) {
          if (thread == 0) return read_rule_file(files[i]);  // the caller times its own
          const double cpu = thread_cpu_seconds();
          RuleFile r = read_rule_file(files[i]);
          helper_cpu.fetch_add(thread_cpu_seconds() - cpu, std::memory_order_relaxed);
          return r;
        },
        [&](std::size_t i, RuleFile&& r) {
          if (!r.opened)
            report_to.unreadable(files[i].string(), "cannot open rule file");
          else
            load(r.yaml, files[i].string(), "sigma");
        });
  }

  void fill(Bucket& b, const std::vector<std::uint32_t>& any,
            const std::vector<std::uint32_t>* own) {
    b.rules = any;
    if (own) b.rules.insert(b.rules.end(), own->begin(), own->end());
    for (std::uint32_t pos = 0; pos < b.rules.size(); ++pos)
      b.prefilter.add(pos, rules[b.rules[pos]].rule);
  }

  // The rules EVENT's route and event id select (after load_head); nullptr when none.
  const Bucket* bucket_for(const Event& event) const {
    auto it = buckets.find(event.route);
    if (it == buckets.end()) return nullptr;
    const RouteBuckets& rb = it->second;
    const Bucket* b = &rb.any;
    if (event.event_id) {
      auto e = rb.by_event_id.find(*event.event_id);
      if (e != rb.by_event_id.end()) b = &e->second;
    }
    return b->rules.empty() ? nullptr : b;
  }

  // Before records are matched (never while they are).
  void build_buckets() {
    if (!buckets_stale) return;
    buckets.clear();
    for (const auto& [route, ri] : index) {
      RouteBuckets& rb = buckets[route];
      fill(rb.any, ri.any_event, nullptr);
      for (const auto& [id, own] : ri.by_event_id) fill(rb.by_event_id[id], ri.any_event, &own);
    }
    buckets_stale = false;
  }

  // Everything matching builds at its first record, built now (Detector::prepare_matching).
  void prepare_matching() {
    build_buckets();
    for (const auto& [route, rb] : buckets) {
      rb.any.prefilter.prepare();
      for (const auto& [id, b] : rb.by_event_id) b.prefilter.prepare();
    }
  }

  // One record's matches taken on a matching thread (add_batches), for commit().
  struct RecordMatches {
    bool has_key = false;  // an EVTX record: KEY is its de-duplication key
    RecordKey key;
    bool unselected = false;
    simdjson::error_code error = simdjson::SUCCESS;  // not JSON: no record
    std::uint64_t evaluations = 0;
    std::vector<Match> matches;
  };

  // Adds, in input order, what a matching thread took from one record.
  void commit(RecordMatches& r) {
    ++stats.records;
    if (r.has_key && !seen_records.insert(r.key)) {
      ++stats.duplicates;
      return;
    }
    stats.unselected += r.unselected;
    stats.evaluations += r.evaluations;
    for (Match& m : r.matches) sink.add(std::move(m));
  }

  void add(simdjson::dom::element rec);
};

// What one thread needs to match records: the record being matched and the prefilters'
// scan state; the rules, their buckets and the field ids are shared, read only.
struct Detector::Impl::Matcher {
  explicit Matcher(const Impl& i) : impl(i) { event.use_field_ids(&impl.field_ids); }

  const Impl& impl;
  Event event;
  Prefilter::Scratch scratch;
  std::vector<std::string> matched_fields;
  simdjson::dom::parser parser;  // add_batches' lines
  std::uint64_t duplicates = 0, evaluations = 0, unselected = 0;

  // Matches REC. IS_DUPLICATE(RecordKey) is asked for EVTX records (a record already matched is
  // not matched again); ON_MATCH(rule, fields, event, mentions_suspect) gets every match.
  template <typename IsDuplicate, typename OnMatch>
  void match(simdjson::dom::element rec, IsDuplicate&& is_duplicate, OnMatch&& on_match) {
    if (!event.load_head(rec)) return;
    // The same EVTX record can come twice (parser records and timeline events); count once.
    // Keyed by (a 64-bit hash of the source, record id, time): records of two sources
    // collide only when their hashes do, with odds of about s²/2⁶⁵ for s sources.
    auto duplicate = [&] {
      const RecordKey key{std::hash<std::string_view>{}(event.source), *event.record_id,
                          event.time.value_or(0)};
      if (!is_duplicate(key)) return false;
      ++duplicates;
      return true;
    };
    const bool keyed = event.artifact == "evtx" && event.record_id && !event.source.empty();
    // Most records hold their time in the header; the rest can find it in a field.
    const bool key_in_head = keyed && event.time;
    if (key_in_head && duplicate()) return;
    const Bucket* b = impl.bucket_for(event);
    // Reading a record's fields is most of its cost: one no rule and no suspect can match
    // is left there (channels and event ids without rules are most of a PC's logs).
    if (!b && impl.suspect.empty() && !(keyed && !key_in_head)) {
      ++unselected;
      return;
    }
    event.load_fields();
    if (keyed && !key_in_head && duplicate()) return;
    if (!b) ++unselected;
    bool mentions = false;
    if (!impl.suspect.empty()) {
      if (auto trace = impl.suspect.classify(event, &matched_fields)) {
        mentions = true;
        on_match(trace, matched_fields, event, true);
      }
    }
    if (!b) return;
    for (std::uint32_t pos : b->prefilter.candidates(event, scratch)) {
      const LoadedRule& lr = impl.rules[b->rules[pos]];
      ++evaluations;
      if (lr.rule.matches(event))
        on_match(lr.rule.info, lr.rule.referenced_fields, event, mentions);
    }
  }

  // Matches every line of BATCH (each parsed before: not JSON is not expected here) and
  // takes what the findings need of each record while it is at hand.
  std::vector<RecordMatches> match_batch(LineBatch& batch) {
    std::vector<RecordMatches> out;
    out.reserve(batch.lines());
    batch.for_each([&](std::string_view line) {
      RecordMatches& r = out.emplace_back();
      simdjson::dom::element doc;
      r.error = parser.parse(line.data(), line.size(), false).get(doc);
      if (r.error != simdjson::SUCCESS) return;
      match(
          doc,
          [&](const RecordKey& key) {
            r.has_key = true;
            r.key = key;
            return false;  // told in commit(), in input order
          },
          [&](const std::shared_ptr<const RuleInfo>& rule, const std::vector<std::string>& fields,
              const Event& e,
              bool mentions) { r.matches.push_back(take_match(rule, fields, e, mentions)); });
      r.evaluations = evaluations;
      r.unselected = unselected != 0;
      evaluations = unselected = 0;
    });
    return out;
  }
};

Detector::Impl::Impl(Options o, Diagnostics& d)
    : options(std::move(o)), diag(d), suspect(options.suspects), sink(options.evidence_cap) {
  matchers.push_back(std::make_unique<Matcher>(*this));
}

void Detector::Impl::add(simdjson::dom::element rec) {
  ++stats.records;
  build_buckets();
  Matcher& m = *matchers[0];
  m.match(
      rec, [&](const RecordKey& key) { return !seen_records.insert(key); },
      [&](const std::shared_ptr<const RuleInfo>& rule, const std::vector<std::string>& fields,
          const Event& e, bool mentions) { sink.add(rule, fields, e, mentions); });
  stats.duplicates += m.duplicates;
  stats.evaluations += m.evaluations;
  stats.unselected += m.unselected;
  m.duplicates = m.evaluations = m.unselected = 0;
}

Detector::Detector(Options options, Diagnostics& diag)
    : impl_(std::make_unique<Impl>(std::move(options), diag)) {}
Detector::~Detector() = default;

std::size_t Detector::load_rules() {
  return load_rules(impl_->diag);
}

std::size_t Detector::load_rules(Diagnostics& report_to) {
  if (impl_->options.builtin)
    for (const auto& [path, text] : builtin_rule_files()) {
      RuleStatus st = impl_->load(text, std::string(path), "builtin");
      // A built-in rule that does not load is a bug in the pack, not in the evidence.
      if (st.status != "loaded")
        report_to.warning(st.path, std::nullopt, "built-in rule not loaded: " + st.reason);
    }
  for (const auto& p : impl_->options.rule_paths) impl_->load_path(p, report_to);
  return impl_->stats.rules_loaded;
}

RuleStatus Detector::load_rule_text(std::string_view yaml, const std::string& path,
                                    const std::string& source) {
  return impl_->load(yaml, path, source);
}

const std::vector<RuleStatus>& Detector::rule_statuses() const {
  return impl_->statuses;
}

double Detector::loading_helper_cpu_seconds() const {
  return impl_->helper_cpu.load(std::memory_order_relaxed);
}

void Detector::prepare_matching() {
  impl_->prepare_matching();
}

void Detector::add(simdjson::dom::element record) {
  impl_->add(record);
}

void Detector::add_batches(std::span<LineBatch> batches, unsigned jobs,
                           const InvalidLine& invalid) {
  Impl& impl = *impl_;
  impl.build_buckets();
  jobs = static_cast<unsigned>(std::clamp<std::size_t>(batches.size(), 1, std::max(1u, jobs)));
  while (impl.matchers.size() < jobs) {
    impl.matchers.push_back(std::make_unique<Impl::Matcher>(impl));
  }
  ordered_relay(
      batches.size(), jobs,
      [&](unsigned thread, std::size_t i) {
        return impl.matchers[thread]->match_batch(batches[i]);
      },
      [&](std::size_t batch, std::vector<Impl::RecordMatches>&& records) {
        for (std::size_t line = 0; line < records.size(); ++line) {
          Impl::RecordMatches& r = records[line];
          if (r.error == simdjson::SUCCESS)
            impl.commit(r);
          else if (invalid)
            invalid(batch, line, invalid_json_message(r.error));
        }
      });
}

bool Detector::add_json(std::string_view line) {
  simdjson::dom::element doc;
  if (impl_->parser.parse(line.data(), line.size()).get(doc) != simdjson::SUCCESS) return false;
  impl_->add(doc);
  return true;
}

std::string Detector::finish() {
  std::string out;
  finish([&](std::string_view line, int) { out.append(line); });
  return out;
}

void Detector::finish(const std::function<void(std::string_view line, int severity)>& sink) {
  impl_->stats.matches = impl_->sink.matches();
  std::vector<FindingGroup> groups = impl_->sink.finish();
  impl_->stats.findings = groups.size();
  std::string line;
  std::unordered_map<std::string, std::uint64_t> numbers;
  for (auto& g : groups) {
    line.clear();
    write_finding(line, g, ++numbers[g.rule->id]);
    sink(line, severity_level(g.rule->severity));
    g = FindingGroup{};  // its evidence is written: the memory goes to the next lines
  }
}

void Detector::restart() {
  Stats kept;
  kept.rules_loaded = impl_->stats.rules_loaded;
  kept.rules_skipped = impl_->stats.rules_skipped;
  kept.rules_foreign = impl_->stats.rules_foreign;
  impl_->stats = kept;
  impl_->sink = FindingSink(impl_->options.evidence_cap);
  impl_->seen_records = SeenRecords();
}

const Stats& Detector::stats() const {
  return impl_->stats;
}

}  // namespace kk::detect
