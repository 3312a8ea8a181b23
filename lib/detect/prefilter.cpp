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
  auto req = necessary_literals(compiled);
  if (!req) {
    if (!free_.empty() && free_.back() > rule) free_sorted_ = false;
    free_.push_back(rule);
    return;
  }
  if (seen_.size() <= rule) seen_.resize(rule + 1, 0);
  for (const auto& [field, text] : *req) {
    auto id = static_cast<std::uint32_t>(literal_rules_.size());
    literal_rules_.push_back({rule});
    literal_text_.push_back(text);
    literal_field_.push_back(field);
    Automaton& a = by_field_[field];
    a.pending.push_back(text);
    a.pending_ids.push_back(id);
    a.built = false;
  }
}

// Rebuilds the automaton from every literal of its field (rules may be added at any time).
void Prefilter::build(std::uint32_t field, Automaton& a) {
  std::vector<std::pair<std::string, std::uint32_t>> lits;
  for (std::uint32_t id = 0; id < literal_text_.size(); ++id)
    if (literal_field_[id] == field) lits.emplace_back(literal_text_[id], id);
  a.next.clear();
  a.fail.assign(1, 0);
  a.out.assign(1, {});
  for (const auto& [text, id] : lits) {
    std::uint32_t node = 0;
    for (unsigned char c : text) {
      std::uint64_t key = (std::uint64_t{node} << 8) | c;
      auto it = a.next.find(key);
      if (it == a.next.end()) {
        auto fresh = static_cast<std::uint32_t>(a.fail.size());
        a.fail.push_back(0);
        a.out.emplace_back();
        it = a.next.emplace(key, fresh).first;
      }
      node = it->second;
    }
    a.out[node].push_back(id);
  }
  // Breadth-first failure links; outputs inherit their failure node's outputs.
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> kids(a.fail.size());
  for (const auto& [key, child] : a.next)
    kids[key >> 8].emplace_back(static_cast<unsigned char>(key & 0xFF), child);
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
      const auto& inherited = a.out[a.fail[child]];
      a.out[child].insert(a.out[child].end(), inherited.begin(), inherited.end());
      queue.push_back(child);
    }
  }
  build_table(a);
  a.pending.clear();
  a.pending_ids.clear();
  a.built = true;
}

void Prefilter::build_table(Automaton& a) {
  a.delta.clear();
  a.byte_class.fill(0);
  a.classes = 1;
  for (const auto& [key, child] : a.next) {
    auto c = static_cast<unsigned char>(key & 0xFF);
    if (a.byte_class[c] == 0) {
      if (a.classes == 256) return;  // every byte value in use: keep the map
      a.byte_class[c] = static_cast<std::uint8_t>(a.classes++);
    }
  }
  const std::size_t nodes = a.fail.size();
  if (nodes * a.classes > kMaxTableEntries || nodes >= kHasOutput) return;
  std::vector<unsigned char> class_byte(a.classes, 0);  // a byte of each class but 0
  for (unsigned c = 0; c < 256; ++c)
    if (a.byte_class[c] != 0) class_byte[a.byte_class[c]] = static_cast<unsigned char>(c);
  std::vector<std::vector<std::pair<unsigned char, std::uint32_t>>> kids(nodes);
  for (const auto& [key, child] : a.next)
    kids[key >> 8].emplace_back(static_cast<unsigned char>(key & 0xFF), child);
  a.delta.assign(nodes * a.classes, 0);
  // Breadth first, so a node's failure node (shallower) already has its row.
  std::deque<std::uint32_t> queue{0};
  while (!queue.empty()) {
    std::uint32_t node = queue.front();
    queue.pop_front();
    std::uint32_t* row = &a.delta[std::size_t{node} * a.classes];
    if (node != 0) {
      const std::uint32_t* fail_row = &a.delta[std::size_t{a.fail[node]} * a.classes];
      std::copy(fail_row, fail_row + a.classes, row);
    }
    for (const auto& [c, child] : kids[node]) {
      row[a.byte_class[c]] = child | (a.out[child].empty() ? 0 : kHasOutput);
      queue.push_back(child);
    }
  }
}

void Prefilter::scan(const Event& e) {
  if (++stamp_ == 0) {  // wrapped: forget every old stamp
    std::fill(seen_.begin(), seen_.end(), 0);
    stamp_ = 1;
  }
  hits_.clear();
  auto hit = [this](std::uint32_t r) {
    if (seen_[r] != stamp_) {
      seen_[r] = stamp_;
      hits_.push_back(r);
    }
  };
  for (auto& entry : by_field_) {
    const std::uint32_t field = entry.first;
    Automaton& a = entry.second;  // a named reference: lambdas may not capture bindings (clang 14)
    if (!a.built) build(field, a);
    if (!a.delta.empty()) {
      e.any_value(field, [&](const Field& f) {
        std::uint32_t node = 0;
        for (char ch : f.lower) {
          node =
              a.delta[std::size_t{node} * a.classes + a.byte_class[static_cast<unsigned char>(ch)]];
          if (node & kHasOutput) {  // rare: most bytes end no literal
            node &= ~kHasOutput;
            for (std::uint32_t lit : a.out[node])
              for (std::uint32_t r : literal_rules_[lit]) hit(r);
          }
        }
        return false;
      });
      continue;
    }
    e.any_value(field, [&](const Field& f) {
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
        for (std::uint32_t lit : a.out[node])
          for (std::uint32_t r : literal_rules_[lit]) hit(r);
      }
      return false;  // every value of the field
    });
  }
}

const std::vector<std::uint32_t>& Prefilter::candidates(const Event& e) {
  if (!free_sorted_) {
    std::sort(free_.begin(), free_.end());
    free_sorted_ = true;
  }
  scan(e);
  std::sort(hits_.begin(), hits_.end());
  out_.resize(free_.size() + hits_.size());
  std::merge(free_.begin(), free_.end(), hits_.begin(), hits_.end(), out_.begin());
  return out_;
}

}  // namespace kk::detect
