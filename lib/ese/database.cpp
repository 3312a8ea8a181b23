// ESE database: the header, the catalog (MSysObjects) and table walks.
#include <algorithm>
#include <map>

#include "ese/btree.hpp"
#include "ese/ese.hpp"
#include "ese/file_header.hpp"
#include "ese/long_values.hpp"

namespace kk::ese {

namespace {

// The catalog's own fixed FDP pages (MSysObjects and its shadow copy).
constexpr std::uint32_t kCatalogRoot = 4;
constexpr std::uint32_t kCatalogShadowRoot = 24;
// Issues kept per database; the rest are only counted (a shredded file would
// otherwise produce one per page).
constexpr std::size_t kMaxIssues = 2000;

// Catalog record types (SYSOBJ).
enum CatalogType : std::int64_t { kTable = 1, kColumn = 2, kIndex = 3, kLongValue = 4 };

Column column(std::uint32_t id, std::string name, ColumnType type, std::uint32_t size = 0) {
  Column c;
  c.id = id;
  c.name = std::move(name);
  c.type = type;
  c.space_usage = size;
  c.codepage = 1252;
  return c;
}

std::uint32_t type_size(ColumnType t) {
  switch (t) {
    case ColumnType::kBit:
    case ColumnType::kUnsignedByte:
      return 1;
    case ColumnType::kShort:
    case ColumnType::kUnsignedShort:
      return 2;
    case ColumnType::kLong:
    case ColumnType::kUnsignedLong:
    case ColumnType::kIeeeSingle:
      return 4;
    case ColumnType::kCurrency:
    case ColumnType::kIeeeDouble:
    case ColumnType::kDateTime:
    case ColumnType::kLongLong:
      return 8;
    case ColumnType::kGuid:
      return 16;
    default:
      return 0;
  }
}

// Fixed columns are stored one after another in id order.
void lay_out(Table& t) {
  std::sort(t.columns.begin(), t.columns.end(),
            [](const Column& a, const Column& b) { return a.id < b.id; });
  std::uint32_t off = 0;
  for (auto& c : t.columns) {
    if (!c.fixed()) continue;
    if (c.space_usage == 0) c.space_usage = type_size(c.type);
    c.fixed_offset = off;
    off += c.space_usage;
  }
}

// MSysObjects' own layout (it is also described in itself, but that copy must be
// read with this one first).
Table catalog_table(std::uint32_t root, std::uint32_t objid) {
  Table t;
  t.name = "MSysObjects";
  t.root_page = root;
  t.objid = objid;
  t.columns = {column(1, "ObjidTable", ColumnType::kLong, 4),
               column(2, "Type", ColumnType::kShort, 2),
               column(3, "Id", ColumnType::kLong, 4),
               column(4, "ColtypOrPgnoFDP", ColumnType::kLong, 4),
               column(5, "SpaceUsage", ColumnType::kLong, 4),
               column(6, "Flags", ColumnType::kLong, 4),
               column(7, "PagesOrLocale", ColumnType::kLong, 4),
               column(8, "RootFlag", ColumnType::kBit, 1),
               column(9, "RecordOffset", ColumnType::kShort, 2),
               column(10, "LCMapFlags", ColumnType::kLong, 4),
               column(11, "KeyMost", ColumnType::kUnsignedShort, 2),
               column(12, "LVChunkMax", ColumnType::kLong, 4),
               column(128, "Name", ColumnType::kText),
               column(130, "TemplateTable", ColumnType::kText)};
  lay_out(t);
  return t;
}

}  // namespace

const Column* Table::column(std::string_view n) const {
  for (const auto& c : columns)
    if (c.name == n) return &c;
  return nullptr;
}

std::uint64_t Database::page_count() const {
  const std::uint64_t pages = file_.size() / header_.page_size;
  return pages > 2 ? pages - 2 : 0;
}

const Table* Database::table(std::string_view name) const {
  for (const auto& t : tables_)
    if (t.name == name) return &t;
  return nullptr;
}

void Database::issue(std::uint64_t offset, std::string message) const {
  if (issues_->size() >= kMaxIssues) {
    ++*dropped_;
    return;
  }
  issues_->push_back({offset, std::move(message)});
}

namespace {

// A record must be self-consistent: its fixed data (and, where the catalog knows
// every fixed column it holds, exactly the catalog's layout), ascending variable
// end offsets and ascending tagged ids inside the value. One that is not is a torn
// or overwritten page (WebCacheV01.dat of the corpus has a page whose tag array is
// noise), not a record.
bool plausible_record(const Table& t, Bytes data, bool large_pages) {
  ByteReader r(data);
  if (data.size() < 4) return false;
  const std::uint8_t last_fixed = data[0];
  const std::uint8_t last_var = data[1];
  const std::size_t fixed_end = *r.u16(2);
  if (last_var < 127 || fixed_end > data.size() || fixed_end < 4 + (last_fixed + 7u) / 8)
    return false;
  std::size_t known_end = 4;
  std::uint32_t known = 0;
  for (const auto& c : t.columns) {
    if (!c.fixed() || c.id > last_fixed) continue;
    ++known;
    known_end = 4 + c.fixed_offset + c.space_usage;
  }
  if (known == last_fixed && fixed_end != known_end + (last_fixed + 7u) / 8) return false;
  // Variable columns: end offsets, non-decreasing, inside the value.
  const std::size_t var_count = last_var - 127u;
  const std::size_t var_data = fixed_end + 2 * var_count;
  if (var_data > data.size()) return false;
  std::size_t prev = 0;
  for (std::size_t i = 0; i < var_count; ++i) {
    const std::size_t end = *r.u16(fixed_end + 2 * i) & 0x7FFF;
    if (end < prev || var_data + end > data.size()) return false;
    prev = end;
  }
  // Tagged columns: ascending ids, offsets inside the value.
  const std::size_t tagged = var_data + prev;
  if (tagged == data.size()) return true;
  auto first = r.u32(tagged);
  if (!first) return false;
  const std::uint32_t mask = large_pages ? 0x7FFF : 0x1FFF;
  const std::size_t array = (*first >> 16) & mask & ~3u;
  if (array == 0 || tagged + array > data.size()) return false;
  std::uint32_t prev_id = 0;
  for (std::size_t i = 0; i < array / 4; ++i) {
    const std::uint16_t id = *r.u16(tagged + 4 * i);
    const std::size_t off = *r.u16(tagged + 4 * i + 2) & mask;
    if (id < 256 || id <= prev_id || tagged + off > data.size()) return false;
    prev_id = id;
  }
  return true;
}

}  // namespace

WalkStats Database::for_each_record(const Table& table,
                                    const std::function<void(const Record&)>& fn) const {
  return walk_tree(
      file_, header_, table.root_page, table.objid,
      [&](const Page& p, const Node& n) {
        if (!plausible_record(table, n.data, header_.large_pages())) return false;
        fn(Record(*this, table, n.data, p.number(), n.offset));
        return true;
      },
      [this](std::uint64_t off, std::string msg) { issue(off, std::move(msg)); });
}

const LongValueStore& Database::long_values(const Table& t) const {
  auto& slot = (*long_values_)[t.objid];
  if (!slot) {
    slot = std::make_shared<LongValueStore>(
        file_, header_, t,
        [this](std::uint64_t off, std::string msg) { issue(off, std::move(msg)); });
  }
  return *slot;
}

Result<Database> Database::open(Bytes file) {
  auto h = read_file_header(file);
  if (!h) return h.error();
  Database db;
  db.file_ = file;
  db.header_ = *h;
  if (h->from_shadow) db.issue(0, "first header page unusable, read the shadow copy in page 2");
  if (file.size() % h->page_size != 0) {
    db.issue(file.size() - file.size() % h->page_size,
             "file ends inside a page (" + std::to_string(file.size() % h->page_size) +
                 " bytes of a " + std::to_string(h->page_size) + "-byte page): truncated");
  }

  // Catalog rows, grouped by the table they describe, in catalog (key) order.
  std::vector<std::uint32_t> order;
  std::map<std::uint32_t, Table> by_objid;
  auto read_catalog = [&](std::uint32_t root) {
    Page p(file, db.header_, root);
    const std::uint32_t objid = p.valid() && p.objid() != 0 ? p.objid() : 2;
    Table cat = catalog_table(root, objid);
    const Column& c_objid = cat.columns[0];
    const Column& c_type = cat.columns[1];
    const Column& c_id = cat.columns[2];
    const Column& c_coltyp = cat.columns[3];
    const Column& c_space = cat.columns[4];
    const Column& c_flags = cat.columns[5];
    const Column& c_locale = cat.columns[6];
    const Column& c_name = cat.columns[12];
    const Column& c_template = cat.columns[13];
    return db.for_each_record(cat, [&](const Record& r) {
      auto owner = r.get(c_objid).integer();
      auto type = r.get(c_type).integer();
      if (!owner || !type) {
        db.issue(r.offset(), "catalog record without ObjidTable/Type, skipped");
        return;
      }
      const auto objid_table = static_cast<std::uint32_t>(*owner);
      const auto fdp = static_cast<std::uint32_t>(r.get(c_coltyp).integer().value_or(0));
      const auto id = static_cast<std::uint32_t>(r.get(c_id).integer().value_or(0));
      if (!by_objid.count(objid_table)) order.push_back(objid_table);
      Table& t = by_objid[objid_table];
      switch (*type) {
        case kTable:
          t.name = r.get(c_name).text();
          t.objid = objid_table;
          t.root_page = fdp;
          t.template_table = r.get(c_template).text();
          break;
        case kColumn: {
          Column c;
          c.id = id;
          c.name = r.get(c_name).text();
          c.type = static_cast<ColumnType>(fdp);
          c.space_usage = static_cast<std::uint32_t>(r.get(c_space).integer().value_or(0));
          c.flags = static_cast<std::uint32_t>(r.get(c_flags).integer().value_or(0));
          c.codepage = static_cast<std::uint32_t>(r.get(c_locale).integer().value_or(0));
          t.columns.push_back(std::move(c));
          break;
        }
        case kLongValue:
          t.long_value_root = fdp;
          t.long_value_objid = id;
          break;
        default:
          break;  // indexes, callbacks: not needed to read records
      }
    });
  };
  auto stats = read_catalog(kCatalogRoot);
  if (stats.records == 0) {
    db.issue(static_cast<std::uint64_t>(kCatalogRoot + 1) * h->page_size,
             "catalog (MSysObjects) unreadable, trying its shadow copy");
    order.clear();
    by_objid.clear();
    read_catalog(kCatalogShadowRoot);
  }
  for (auto objid : order) {
    Table& t = by_objid[objid];
    if (t.root_page == 0) {
      db.issue(0, "catalog describes columns of object " + std::to_string(objid) +
                      " but no table, skipped");
      continue;
    }
    lay_out(t);
    db.tables_.push_back(std::move(t));
  }
  return db;
}

}  // namespace kk::ese
