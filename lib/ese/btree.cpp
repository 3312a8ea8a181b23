// ESE B+-tree walk; see btree.hpp.
#include "ese/btree.hpp"

#include <vector>

namespace kk::ese {

namespace {

// ESE trees are a handful of levels deep; anything deeper is a loop through damage.
constexpr int kMaxDepth = 24;

class Walker {
 public:
  Walker(Bytes file, const FileHeader& h, std::uint32_t objid, const LeafVisitor& visit,
         const IssueSink& issue)
      : file_(file),
        h_(h),
        objid_(objid),
        visit_(visit),
        issue_(issue),
        seen_(file.size() / h.page_size + 1, false) {}

  void page(std::uint32_t number, int depth, std::uint64_t parent_offset) {
    if (depth > kMaxDepth) {
      bad(parent_offset, "tree deeper than " + std::to_string(kMaxDepth) + " levels, not followed");
      return;
    }
    Page p(file_, h_, number);
    if (!p.valid()) {
      bad(parent_offset, "child page " + std::to_string(number) + " is outside the file");
      return;
    }
    if (seen_[number]) {
      bad(p.file_offset(),
          "page " + std::to_string(number) + " is reached twice (a loop), skipped");
      return;
    }
    seen_[number] = true;
    if (p.objid() != objid_) {
      // A page reused by another object after the parent was written (dirty
      // databases), or an all-zero page never flushed.
      bad(p.file_offset(), "page " + std::to_string(number) + " belongs to object " +
                               std::to_string(p.objid()) + ", expected " + std::to_string(objid_) +
                               ", skipped");
      return;
    }
    if (p.leaf()) ++stats_.pages;
    std::string why, first_why;
    std::uint32_t bad = 0;
    for (std::uint32_t i = 1; i < p.tag_count(); ++i) {
      auto n = p.node(i, &why);
      if (!n) {
        if (bad++ == 0) first_why = why;
        continue;
      }
      if (p.leaf()) {
        if (n->flags & kTagDeleted) {
          ++stats_.deleted;
          continue;
        }
        if (visit_(p, *n)) {
          ++stats_.records;
        } else {
          ++stats_.damaged_records;
          if (bad++ == 0)
            first_why = "node " + std::to_string(i) + " is not a record of this table";
        }
        continue;
      }
      auto child = ByteReader(n->data).u32(0);
      if (!child) {
        if (bad++ == 0) first_why = "node " + std::to_string(i) + " has no child page number";
        continue;
      }
      page(*child, depth + 1, n->offset);
    }
    if (bad > 0) {
      issue_(p.file_offset(), "page " + std::to_string(number) + ": " + std::to_string(bad) +
                                  " of " + std::to_string(p.tag_count() - 1) +
                                  " values unreadable, skipped (first: " + first_why + ")");
    }
  }

  WalkStats stats() const { return stats_; }

 private:
  void bad(std::uint64_t offset, std::string message) {
    ++stats_.damaged_pages;
    issue_(offset, std::move(message));
  }
  Bytes file_;
  const FileHeader& h_;
  std::uint32_t objid_;
  const LeafVisitor& visit_;
  const IssueSink& issue_;
  std::vector<bool> seen_;
  WalkStats stats_;
};

}  // namespace

WalkStats walk_tree(Bytes file, const FileHeader& header, std::uint32_t root, std::uint32_t objid,
                    const LeafVisitor& visit, const IssueSink& issue) {
  Walker w(file, header, objid, visit, issue);
  w.page(root, 0, 0);
  return w.stats();
}

}  // namespace kk::ese
