#include "detect/prefilter.hpp"

#include <algorithm>
#include <deque>

namespace kk::detect {

namespace {

constexpr std::size_t kMinLiteral = 3;  // shorter literals would make most rules candidates
constexpr std::size_t kMaxTableEntries = 8u << 20;  // 32 MiB per field at most
constexpr std::uint32_t kHasOutput = 0x80000000u;   // in a table entry: literals end there

using Req = std::optional<Requirement>;

// The literal every match of pattern P contains (lower-cased), if long enough.
std::optional<std::string> pattern_literal(const Pattern& p) {
  std::string lit;
  if (p.kind != Pattern::Kind::kGlob) {
    lit = p.text;
  } else {  // longest run of literal characters between wildcards
    std::string run;
    for (std::size_t i = 0; i <= p.text.size(); ++i) {
      if (i < p.text.size() && p.literal[i]) {
        run.push_back(p.text[i]);
      } else {
        if (run.size() > lit.size()) lit = run;
        run.clear();
      }
    }
  }
  if (lit.size() < kMinLiteral) return std::nullopt;
  for (char& c : lit) c = ascii_lower(c);
  return lit;
}

Req value_requirement(std::uint32_t field, const ValueMatcher& m) {
  if (m.kind != ValueMatcher::Kind::kPatterns || m.alternatives.empty()) return std::nullopt;
  Requirement r;
  for (const Pattern& p : m.alternatives) {
    auto lit = pattern_literal(p);
    if (!lit) return std::nullopt;
    r.emplace_back(field, *lit);
  }
  return r;
}

std::size_t weakest(const Requirement& r) {
  std::size_t n = SIZE_MAX;
  for (const auto& [f, s] : r) n = std::min(n, s.size());
  return n;
}

// Prefer the requirement whose shortest literal is longest (fewest false candidates).
Req better(Req a, Req b) {
  if (!a) return b;
  if (!b) return a;
  return weakest(*b) > weakest(*a) ? b : a;
}

Req condition_requirement(const FieldCondition& c) {
  if (c.field.empty() || c.field_id == FieldIds::kNone || c.values.empty()) return std::nullopt;
  if (c.all) {  // every value must match: any one value's literals are necessary
    Req best;
    for (const auto& v : c.values) best = better(best, value_requirement(c.field_id, v));
    return best;
  }
  Requirement r;  // any value may match: all of their literals together
  for (const auto& v : c.values) {
    auto one = value_requirement(c.field_id, v);
    if (!one) return std::nullopt;
    r.insert(r.end(), one->begin(), one->end());
  }
  return r;
}

Req node_requirement(const CondNode& n, const std::vector<Selection>& sels) {
  switch (n.op) {
    case CondNode::Op::kSelection: {
      Requirement r;
      for (const auto& group : sels[static_cast<std::size_t>(n.selection)].alternatives) {
        Req best;
        for (const auto& c : group) best = better(best, condition_requirement(c));
        if (!best) return std::nullopt;
        r.insert(r.end(), best->begin(), best->end());
      }
      if (r.empty()) return std::nullopt;
      return r;
    }
    case CondNode::Op::kAnd: {
      Req best;
      for (const auto& k : n.kids) best = better(best, node_requirement(k, sels));
      return best;
    }
    case CondNode::Op::kOr:
    case CondNode::Op::kAtLeast: {
      if (n.op == CondNode::Op::kAtLeast && n.at_least < 1) return std::nullopt;
      Requirement r;
      for (const auto& k : n.kids) {
        auto one = node_requirement(k, sels);
        if (!one) return std::nullopt;
        r.insert(r.end(), one->begin(), one->end());
      }
      if (r.empty()) return std::nullopt;
      return r;
    }
    case CondNode::Op::kNot:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Requirement> necessary_literals(const CompiledRule& rule) {
  return node_requirement(rule.condition, rule.selections);
}

void Prefilter::add(std::uint32_t rule, const CompiledRule& compiled) {
  rules_ = std::max(rules_, rule + 1);
  auto req = necessary_literals(compiled);
  if (!req) {
    free_.insert(std::upper_bound(free_.begin(), free_.end(), rule), rule);
    return;
  }
  for (auto& [field, text] : *req) {
    auto id = static_cast<std::uint32_t>(literal_rule_.size());
    literal_rule_.push_back(rule);
    Automaton& a = by_field_[field];
    a.literals.emplace_back(std::move(text), id);
    a.built.store(false, std::memory_order_relaxed);
  }
}

const Prefilter::Automaton& Prefilter::ready(Automaton& a) const {
  if (!a.built.load(std::memory_order_acquire)) {
    std::lock_guard lock(build_mutex_);
    if (!a.built.load(std::memory_order_relaxed)) {
      build(a);
      a.built.store(true, std::memory_order_release);
    }
  }
  return a;
}

void Prefilter::prepare() const {
  for (auto& [field, a] : by_field_) ready(a);
}

// Builds the automaton from every literal of its field (rules may be added at any time).
void Prefilter::build(Automaton& a) {
  // The trie, from the literals in sorted order: each shares the path of its longest
  // common prefix with the one before, so no lookup is needed to find existing nodes.
  std::vector<std::pair<std::string, std::uint32_t>> lits = a.literals;
  std::sort(lits.begin(), lits.end());
  // Literals of kWidth bytes or more are found by window (literal_windows.hpp): a table
  // over all 6,000 literals of a field is 15-20 MiB, over the short ones a few hundred KiB.
  auto long_ones = std::stable_partition(lits.begin(), lits.end(), [](const auto& l) {
    return l.first.size() < LiteralWindows::kWidth;
  });
  a.windows.build({long_ones, lits.end()});
  lits.erase(long_ones, lits.end());
  a.trie_empty = lits.empty();
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> kids(1);
  std::vector<std::vector<std::uint32_t>> own(1);
  std::vector<std::uint32_t> path{0};
  std::string_view prev;
  for (const auto& [text, id] : lits) {
    std::size_t common = 0;
    while (common < prev.size() && common < text.size() && prev[common] == text[common]) ++common;
    path.resize(common + 1);
    std::uint32_t node = path.back();
    for (std::size_t i = common; i < text.size(); ++i) {
      auto child = static_cast<std::uint32_t>(kids.size());
      kids[node].emplace_back(static_cast<unsigned char>(text[i]), child);
      kids.emplace_back();
      own.emplace_back();
      node = child;
      path.push_back(node);
    }
    own[node].push_back(id);
    prev = text;
  }
  const std::size_t nodes = kids.size();
  a.delta.clear();
  a.own.clear();
  a.out_link.clear();
  a.next.clear();
  a.fail.clear();
  a.byte_class.fill(0);
  a.starts.fill(false);
  for (const auto& [c, child] : kids[0]) a.starts[c] = true;
  a.classes = 1;
  bool table = nodes < kHasOutput;
  for (const auto& ks : kids)
    for (const auto& [c, child] : ks)
      if (a.byte_class[c] == 0) {
        if (a.classes == 256) {  // every byte value in use: no class is left for the rest
          table = false;
          break;
        }
        a.byte_class[c] = static_cast<std::uint8_t>(a.classes++);
      }
  table = table && nodes * a.classes <= kMaxTableEntries;
  if (table) {
    // Breadth first: a node's failure node (shallower) already has its complete row, which
    // the node's row starts from; the node's own children then override their classes.
    const std::uint32_t k = a.classes;
    a.delta.assign(nodes * k, 0);
    a.own.assign(nodes, {});
    a.out_link.assign(nodes, 0);
    std::vector<std::uint32_t> fail(nodes, 0), trie_node(nodes, 0);
    std::vector<bool> any_out(nodes, false);
    std::uint32_t fresh = 1;
    for (std::uint32_t u = 0; u < fresh; ++u) {  // u: breadth-first number
      std::uint32_t* row = &a.delta[std::size_t{u} * k];
      if (u != 0) std::copy_n(&a.delta[std::size_t{fail[u]} * k], k, row);
      for (const auto& [c, child] : kids[trie_node[u]]) {
        std::uint32_t v = fresh++;
        std::uint32_t cls = a.byte_class[c];
        std::uint32_t f = u == 0 ? 0 : (row[cls] & ~kHasOutput);
        trie_node[v] = child;
        fail[v] = f;
        a.own[v] = std::move(own[child]);
        a.out_link[v] = a.own[f].empty() ? a.out_link[f] : f;
        any_out[v] = !a.own[v].empty() || any_out[f];
        row[cls] = v | (any_out[v] ? kHasOutput : 0);
      }
    }
    return;
  }
  // Too large for a table: the trie as a map and failure links, breadth first.
  a.own = std::move(own);
  a.out_link.assign(nodes, 0);
  a.fail.assign(nodes, 0);
  for (std::uint32_t u = 0; u < nodes; ++u)
    for (const auto& [c, child] : kids[u]) a.next.emplace((std::uint64_t{u} << 8) | c, child);
  std::deque<std::uint32_t> queue;
  for (const auto& [c, child] : kids[0]) queue.push_back(child);
  while (!queue.empty()) {
    std::uint32_t node = queue.front();
    queue.pop_front();
    for (const auto& [c, child] : kids[node]) {
      std::uint32_t f = a.fail[node];
      for (;;) {
        auto it = a.next.find((std::uint64_t{f} << 8) | c);
        if (it != a.next.end() && it->second != child) {
          a.fail[child] = it->second;
          break;
        }
        if (f == 0) {
          a.fail[child] = 0;
          break;
        }
        f = a.fail[f];
      }
      std::uint32_t fc = a.fail[child];
      a.out_link[child] = a.own[fc].empty() ? a.out_link[fc] : fc;
      queue.push_back(child);
    }
  }
}

// Every literal that ends at NODE: its own, then those of its failure chain.
template <typename Hit>
void Prefilter::report(const Automaton& a, std::uint32_t node, Hit& hit) {
  for (std::uint32_t n = node; n != 0; n = a.out_link[n])
    for (std::uint32_t lit : a.own[n]) hit(lit);
}

void Prefilter::scan(const Event& e, Scratch& s) const {
  if (s.seen.size() < rules_) s.seen.resize(rules_, 0);
  if (++s.stamp == 0) {  // wrapped: forget every old stamp
    std::fill(s.seen.begin(), s.seen.end(), 0);
    s.stamp = 1;
  }
  s.hits.clear();
  auto hit = [&](std::uint32_t lit) {
    std::uint32_t r = literal_rule_[lit];
    if (s.seen[r] != s.stamp) {
      s.seen[r] = s.stamp;
      s.hits.push_back(r);
    }
  };
  for (auto& entry : by_field_) {
    const Automaton& a = ready(entry.second);
    if (!a.windows.empty())
      e.any_value(entry.first, [&](const Field& f) {
        a.windows.scan(f.lower, hit);
        return false;
      });
    if (a.trie_empty) continue;
    if (!a.delta.empty()) {
      e.any_value(entry.first, [&](const Field& f) {
        const auto* p = reinterpret_cast<const unsigned char*>(f.lower.data());
        const auto* end = p + f.lower.size();
        std::uint32_t node = 0;
        while (p != end) {
          if (node == 0) {  // at the root: skip to a byte that begins a literal (no load chain)
            while (p != end && !a.starts[*p]) ++p;
            if (p == end) break;
          }
          node = a.delta[std::size_t{node} * a.classes + a.byte_class[*p++]];
          if (node & kHasOutput) {  // rare: most bytes end no literal
            node &= ~kHasOutput;
            report(a, node, hit);
          }
        }
        return false;
      });
      continue;
    }
    e.any_value(entry.first, [&](const Field& f) {
      std::uint32_t node = 0;
      for (char ch : f.lower) {
        auto c = static_cast<unsigned char>(ch);
        for (;;) {
          auto it = a.next.find((std::uint64_t{node} << 8) | c);
          if (it != a.next.end()) {
            node = it->second;
            break;
          }
          if (node == 0) break;
          node = a.fail[node];
        }
        report(a, node, hit);
      }
      return false;  // every value of the field
    });
  }
}

const std::vector<std::uint32_t>& Prefilter::candidates(const Event& e, Scratch& s) const {
  scan(e, s);
  std::sort(s.hits.begin(), s.hits.end());
  s.out.resize(free_.size() + s.hits.size());
  std::merge(free_.begin(), free_.end(), s.hits.begin(), s.hits.end(), s.out.begin());
  return s.out;
}

}  // namespace kk::detect
