#include "detect/rule.hpp"

#include <cctype>

namespace kk::detect {

void FieldCondition::prepare() {
  if (all)
    any_of = PatternSet();  // every value must match: value by value
  else
    any_of.assign(values);
}

bool FieldCondition::matches(const Event& e) const {
  if (values.empty()) return false;
  if (!any_of.empty()) {
    if (!field.empty())
      return e.any_value(field_id, [&](const Field& f) { return any_of.matches(f); });
    for (const Field& f : e.fields)
      if (any_of.matches(f)) return true;
    return false;
  }
  auto one = [&](const ValueMatcher& m) -> bool {
    switch (m.kind) {
      case ValueMatcher::Kind::kNull: {
        // Sigma null: the field is absent (or holds nothing).
        bool present = e.any_value(field_id, [](const Field& f) { return !f.value.empty(); });
        return !present;
      }
      case ValueMatcher::Kind::kExists:
        return e.has(field_id) == m.want;
      default:
        if (field.empty()) {
          for (const Field& f : e.fields)
            if (m.matches(f, e)) return true;
          return false;
        }
        return e.any_value(field_id, [&](const Field& f) { return m.matches(f, e); });
    }
  };
  if (all) {
    for (const auto& m : values)
      if (!one(m)) return false;
    return true;
  }
  for (const auto& m : values)
    if (one(m)) return true;
  return false;
}

bool Selection::matches(const Event& e) const {
  for (const auto& group : alternatives) {
    bool ok = true;
    for (const auto& c : group)
      if (!c.matches(e)) {
        ok = false;
        break;
      }
    if (ok) return true;
  }
  return false;
}

namespace {

bool eval(const CondNode& n, const std::vector<Selection>& sels, const Event& e,
          std::int8_t* memo) {
  switch (n.op) {
    case CondNode::Op::kSelection: {
      std::int8_t& m = memo[n.selection];
      if (m < 0) m = sels[static_cast<std::size_t>(n.selection)].matches(e) ? 1 : 0;
      return m == 1;
    }
    case CondNode::Op::kAnd:
      for (const auto& k : n.kids)
        if (!eval(k, sels, e, memo)) return false;
      return true;
    case CondNode::Op::kOr:
      for (const auto& k : n.kids)
        if (eval(k, sels, e, memo)) return true;
      return false;
    case CondNode::Op::kNot:
      return !eval(n.kids[0], sels, e, memo);
    case CondNode::Op::kAtLeast: {
      int hits = 0;
      for (const auto& k : n.kids)
        if (eval(k, sels, e, memo) && ++hits >= n.at_least) return true;
      return false;
    }
  }
  return false;
}

// Condition grammar (Sigma specification, "Condition"):
//   expr := and ("or" and)* ; and := unary ("and" unary)* ;
//   unary := "not" unary | "(" expr ")" | quant "of" target | identifier
//   quant := "1" | "all" | N ; target := "them" | identifier with * wildcards
class ConditionParser {
 public:
  ConditionParser(std::string_view text, const std::vector<std::string>& names) : names_(names) {
    std::size_t i = 0;
    while (i < text.size()) {
      char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '(' || c == ')' || c == '|') {
        toks_.emplace_back(1, c);
        ++i;
      } else {
        std::size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) &&
               text[j] != '(' && text[j] != ')' && text[j] != '|')
          ++j;
        toks_.emplace_back(text.substr(i, j - i));
        i = j;
      }
    }
  }

  Result<CondNode> parse() {
    auto n = expr(0);
    if (!error_.empty()) return Result<CondNode>::fail(error_);
    if (pos_ != toks_.size()) {
      if (toks_[pos_] == "|")
        return Result<CondNode>::fail("aggregation in condition (\"|\") is not supported");
      return Result<CondNode>::fail("unexpected \"" + toks_[pos_] + "\" in condition");
    }
    return n;
  }

 private:
  static std::string lower(std::string_view s) { return ascii_lower(s); }
  bool at(std::string_view kw) const { return pos_ < toks_.size() && lower(toks_[pos_]) == kw; }

  CondNode expr(int depth) {
    if (depth > 64) {
      error_ = "condition nested too deeply";
      return {};
    }
    CondNode first = and_expr(depth);
    if (!at("or")) return first;
    CondNode n;
    n.op = CondNode::Op::kOr;
    n.kids.push_back(std::move(first));
    while (error_.empty() && at("or")) {
      ++pos_;
      n.kids.push_back(and_expr(depth));
    }
    return n;
  }
  CondNode and_expr(int depth) {
    CondNode first = unary(depth);
    if (!at("and")) return first;
    CondNode n;
    n.op = CondNode::Op::kAnd;
    n.kids.push_back(std::move(first));
    while (error_.empty() && at("and")) {
      ++pos_;
      n.kids.push_back(unary(depth));
    }
    return n;
  }
  CondNode unary(int depth) {
    if (pos_ >= toks_.size()) {
      if (error_.empty()) error_ = "condition ends early";
      return {};
    }
    if (at("not")) {
      ++pos_;
      CondNode n;
      n.op = CondNode::Op::kNot;
      n.kids.push_back(unary(depth + 1));
      return n;
    }
    if (toks_[pos_] == "(") {
      ++pos_;
      CondNode n = expr(depth + 1);
      if (pos_ >= toks_.size() || toks_[pos_] != ")") {
        if (error_.empty()) error_ = "missing \")\" in condition";
        return {};
      }
      ++pos_;
      return n;
    }
    if (pos_ + 1 < toks_.size() && lower(toks_[pos_ + 1]) == "of") return quantified();
    const std::string& name = toks_[pos_++];
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) {
        CondNode n;
        n.selection = static_cast<int>(i);
        return n;
      }
    if (error_.empty()) error_ = "condition names unknown selection \"" + name + "\"";
    return {};
  }
  CondNode quantified() {
    std::string q = lower(toks_[pos_]);
    pos_ += 2;
    if (pos_ >= toks_.size()) {
      error_ = "\"of\" without a target";
      return {};
    }
    std::string target = toks_[pos_++];
    CondNode n;
    if (q == "all") {
      n.op = CondNode::Op::kAnd;
    } else {
      int k = 0;
      for (char c : q) {
        if (c < '0' || c > '9' || k > 1000) {
          error_ = "bad quantifier \"" + q + "\"";
          return {};
        }
        k = k * 10 + (c - '0');
      }
      n.op = CondNode::Op::kAtLeast;
      n.at_least = k;
    }
    // "them" means every search identifier except those starting with "_" (Sigma spec).
    for (std::size_t i = 0; i < names_.size(); ++i) {
      bool hit =
          lower(target) == "them" ? !names_[i].starts_with("_") : wildcard(target, names_[i]);
      if (hit) {
        CondNode s;
        s.selection = static_cast<int>(i);
        n.kids.push_back(s);
      }
    }
    if (n.kids.empty()) error_ = "\"" + q + " of " + target + "\" names no selection";
    return n;
  }
  static bool wildcard(std::string_view p, std::string_view s) {
    std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
    while (si < s.size()) {
      if (pi < p.size() && p[pi] == '*') {
        star = pi++;
        mark = si;
      } else if (pi < p.size() && p[pi] == s[si]) {
        ++pi, ++si;
      } else if (star != std::string_view::npos) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.size() && p[pi] == '*') ++pi;
    return pi == p.size();
  }

  const std::vector<std::string>& names_;
  std::vector<std::string> toks_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace

bool CompiledRule::matches(const Event& e) const {
  std::int8_t stack_memo[64];
  std::vector<std::int8_t> heap_memo;
  std::int8_t* memo = stack_memo;
  if (selections.size() > sizeof stack_memo) {
    heap_memo.assign(selections.size(), -1);
    memo = heap_memo.data();
  } else {
    std::fill(stack_memo, stack_memo + selections.size(), std::int8_t{-1});
  }
  return eval(condition, selections, e, memo);
}

Result<CondNode> parse_condition(std::string_view text, const std::vector<std::string>& names) {
  return ConditionParser(text, names).parse();
}

}  // namespace kk::detect
