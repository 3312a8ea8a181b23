// ESE (Extensible Storage Engine, "JET Blue") database reader: SRUM's SRUDB.dat,
// IE/Edge-legacy WebCacheV01.dat and the other .edb/.dat files Windows keeps in ESE.
// Format: libyal libesedb "Extensible Storage Engine (ESE) Database File (EDB) format"
// and Microsoft's published ESE structure names (PGHDR, TAG, RECHDR, TAGFLD).
//
// Read-only over a memory-mapped file and hostile-input safe: every read is
// bounds-checked, a damaged page is skipped and named in issues(), never aborted on.
// A database in dirty-shutdown state (copied from a live system, its logs not
// replayed) is read as it is on disk and its state reported, never refused.
// This is the public face of lib/ese: parse-srum and lib/browser use only this.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace kk::ese {

// JET_COLTYP.
enum class ColumnType : std::uint32_t {
  kNil = 0,
  kBit = 1,
  kUnsignedByte = 2,
  kShort = 3,
  kLong = 4,
  kCurrency = 5,
  kIeeeSingle = 6,
  kIeeeDouble = 7,
  kDateTime = 8,
  kBinary = 9,
  kText = 10,
  kLongBinary = 11,
  kLongText = 12,
  kSlv = 13,
  kUnsignedLong = 14,
  kLongLong = 15,
  kGuid = 16,
  kUnsignedShort = 17,
};
std::string_view column_type_name(ColumnType t);

struct Column {
  std::uint32_t id = 0;  // 1-127 fixed, 128-255 variable, 256+ tagged
  std::string name;
  ColumnType type = ColumnType::kNil;
  std::uint32_t space_usage = 0;   // fixed size in bytes (catalog SpaceUsage)
  std::uint32_t codepage = 0;      // text columns: 1200 = UTF-16LE, else single-byte
  std::uint32_t flags = 0;         // JET_bitColumn*
  std::uint32_t fixed_offset = 0;  // fixed columns: offset of the value after the record header
  bool fixed() const { return id < 128; }
  bool variable() const { return id >= 128 && id < 256; }
  bool tagged() const { return id >= 256; }
};

struct Table {
  std::string name;
  std::uint32_t objid = 0;            // father-data-page object id (pages carry it)
  std::uint32_t root_page = 0;        // FDP page number
  std::uint32_t long_value_root = 0;  // root of the table's long-value tree, 0 if none
  std::uint32_t long_value_objid = 0;
  std::string template_table;   // derived tables: their template (columns not inherited here)
  std::vector<Column> columns;  // in column id order
  const Column* column(std::string_view name) const;
};

// JET_DBSTATE.
enum class DbState : std::uint32_t {
  kJustCreated = 1,
  kDirtyShutdown = 2,
  kCleanShutdown = 3,
  kBeingConverted = 4,
  kForceDetach = 5,
};

// The database file header (first page; a shadow copy is in the second).
struct FileHeader {
  std::uint32_t format_version = 0;   // 0x620
  std::uint32_t format_revision = 0;  // ulDaeUpdateMajor: 0x11 Windows 7, 0x14+ later
  std::uint32_t page_size = 0;
  std::uint32_t state = 0;      // DbState, as stored (unknown values kept)
  std::uint32_t file_type = 0;  // 0 database, 1 streaming file
  std::uint64_t database_time = 0;
  std::uint32_t os_major = 0, os_minor = 0, os_build = 0;
  bool from_shadow = false;  // the first page was unusable; the copy in page 2 was read
  bool dirty() const { return state == static_cast<std::uint32_t>(DbState::kDirtyShutdown); }
  std::string_view state_name() const;  // "dirty_shutdown", "clean_shutdown", …
  // Large (16/32 KiB) pages of revision 0x11+: 80-byte page header, 15-bit tag
  // offsets, tag flags in the value's first word, TAGFLD flag byte always present.
  bool large_pages() const { return page_size > 8192; }
};

// Damage found while reading: the byte offset in the file and what was expected.
struct Issue {
  std::uint64_t offset = 0;
  std::string message;
};

class Database;

// One column's value in one record. Long values (stored in the table's long-value
// tree) are resolved and compressed values (7-bit, XPRESS) decompressed.
class Value {
 public:
  Value() = default;
  bool present() const { return present_; }
  Bytes bytes() const { return owned_ ? Bytes(*owned_) : data_; }
  std::size_t size() const { return bytes().size(); }
  // Integer columns (bit, byte, short, long, currency, long long, unsigned …) and
  // binary/text columns of 1-8 bytes, little-endian. nullopt when absent or not integral.
  std::optional<std::int64_t> integer() const;
  std::optional<std::uint64_t> unsigned_integer() const;
  std::optional<double> real() const;  // IEEE single/double
  // Text columns decoded to UTF-8 (codepage 1200 as UTF-16LE, others as Windows-1252),
  // trailing NULs removed; binary columns likewise as UTF-16LE.
  std::string text() const;
  // An 8-byte FILETIME (DateTime columns in SRUM/WebCache hold FILETIME, not OLE dates).
  std::optional<UtcMicros> filetime() const;
  // A DateTime column read as an OLE automation date (days since 1899-12-30).
  std::optional<UtcMicros> ole_date() const;
  const Column* column() const { return column_; }

 private:
  friend class Record;
  const Column* column_ = nullptr;
  bool present_ = false;
  Bytes data_;
  std::shared_ptr<std::vector<std::uint8_t>> owned_;  // decompressed / long value
};

// One record (leaf value) of a table, valid during the for_each_record callback.
class Record {
 public:
  Value get(const Column& c) const;
  Value get(std::string_view column_name) const;    // absent value if no such column
  std::uint64_t offset() const { return offset_; }  // file offset of the record data
  std::uint32_t page() const { return page_; }

 private:
  friend class Database;
  Record(const Database& db, const Table& t, Bytes data, std::uint32_t page, std::uint64_t off)
      : db_(&db), table_(&t), data_(data), page_(page), offset_(off) {}
  Bytes raw(const Column& c, std::uint8_t* tag_flags) const;
  const Database* db_;
  const Table* table_;
  Bytes data_;
  std::uint32_t page_;
  std::uint64_t offset_;
};

struct WalkStats {
  std::uint64_t records = 0;
  std::uint64_t deleted = 0;          // leaf values flagged deleted (not returned)
  std::uint64_t pages = 0;            // leaf pages read
  std::uint64_t damaged_pages = 0;    // pages skipped as unreadable or not of this table
  std::uint64_t damaged_records = 0;  // values whose record header contradicts the catalog
};

class Database {
 public:
  // Reads the header and the catalog. Fails only when FILE is not an ESE database
  // at all (no signature in either header copy, unusable page size); damage after
  // that is reported in issues() and the rest still read.
  static Result<Database> open(Bytes file);

  const FileHeader& header() const { return header_; }
  std::uint64_t page_count() const;
  const std::vector<Table>& tables() const { return tables_; }
  const Table* table(std::string_view name) const;

  // Calls FN for every record of TABLE in key order (the B+-tree walked from its
  // root; unreachable or damaged pages are skipped and reported).
  WalkStats for_each_record(const Table& table, const std::function<void(const Record&)>& fn) const;

  const std::vector<Issue>& issues() const { return *issues_; }
  std::uint64_t issues_dropped() const { return *dropped_; }

 private:
  friend class Record;
  friend class LongValues;
  Database() = default;
  void issue(std::uint64_t offset, std::string message) const;
  Bytes file_;
  FileHeader header_;
  std::vector<Table> tables_;
  std::shared_ptr<std::vector<Issue>> issues_ = std::make_shared<std::vector<Issue>>();
  std::shared_ptr<std::uint64_t> dropped_ = std::make_shared<std::uint64_t>(0);
  // Long values per table objid, loaded on first use.
  std::shared_ptr<std::map<std::uint32_t, std::shared_ptr<class LongValueStore>>> long_values_ =
      std::make_shared<std::map<std::uint32_t, std::shared_ptr<class LongValueStore>>>();
  const LongValueStore& long_values(const Table& t) const;
};

}  // namespace kk::ese
