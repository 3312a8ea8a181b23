// Facts about inputs the corpus lacks: gzip (whole, rotated members, truncated), CP932,
// UTF-16, year-less syslog, LEEF, Yamaha RTX, bad input; and Windows Defender's files.
#include <doctest/doctest.h>
#include <simdjson.h>
#include <zlib.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/time.hpp"
#include "netlog/netlog.hpp"

namespace fs = std::filesystem;

namespace {

struct Run {
  std::vector<std::string> records;
  kk::netlog::FileSummary summary;
  std::string field(std::size_t i, const char* pointer) const {
    simdjson::dom::parser p;
    simdjson::dom::element e;
    if (p.parse(records.at(i)).get(e) != simdjson::SUCCESS) return "(bad json)";
    simdjson::dom::element v;
    if (e.at_pointer(pointer).get(v) != simdjson::SUCCESS) return "(none)";
    if (v.is_string()) return std::string(v.get_string().value());
    if (v.is_null()) return "null";
    return simdjson::minify(v);
  }
  bool has_issue(std::string_view text) const {
    for (const auto& i : summary.issues)
      if (i.message.find(text) != std::string::npos) return true;
    return false;
  }
};

Run run(std::string_view bytes, kk::netlog::Options opts = {}, std::string source = "test.log") {
  Run r;
  std::string out;
  r.summary = kk::netlog::parse_bytes(bytes, source, opts, [&](kk::OutBuffer& s) { out += s.view(); });
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) r.records.push_back(line);
  return r;
}

std::string gzip(std::string_view text) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(text.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string corpus() {
  if (const char* env = std::getenv("KK_CORPUS_DIR")) return env;
  fs::path p = KK_CORPUS;
  if (!fs::exists(p)) p = fs::path(KK_SOURCE_DIR) / ".." / ".." / "shared" / "corpus";
  return p.string();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr std::string_view kFortigate =
    "date=2024-05-01 time=12:00:00 devname=\"FG\" devid=\"FGT60F\" logid=\"0000000013\" "
    "type=\"traffic\" "
    "subtype=\"forward\" srcip=192.168.1.10 srcport=50000 dstip=203.0.113.5 dstport=443 proto=6 "
    "action=\"deny\" policyid=7 sentbyte=10 rcvdbyte=20\n";

}  // namespace

TEST_CASE("FortiGate key=value in JST: time to UTC, fields normalized") {
  Run r = run(kFortigate);
  REQUIRE(r.records.size() == 1);
  CHECK(r.field(0, "/product") == "fortigate");
  CHECK(r.field(0, "/time") == "2024-05-01T03:00:00.000000Z");  // --tz Asia/Tokyo default
  CHECK(r.field(0, "/action") == "deny");
  CHECK(r.field(0, "/protocol") == "tcp");
  CHECK(r.field(0, "/dst_port") == "443");
  CHECK(r.field(0, "/rule") == "7");
  CHECK(r.field(0, "/fields/devid") == "FGT60F");
}

TEST_CASE("JSON scalars and CEF escapes keep their text (the fast paths of session 6)") {
  // Integers (signed, above INT64_MAX), booleans and null as simdjson::minify writes them;
  // a double as before; an array minified.
  const Run j =
      run("{\"a\":-42,\"b\":18446744073709551615,\"c\":true,\"d\":false,\"e\":null,"
          "\"f\":1.5,\"g\":[1, 2],\"h\":{\"i\":0}}\n");
  REQUIRE(j.records.size() == 1);
  CHECK(j.field(0, "/fields/a") == "-42");
  CHECK(j.field(0, "/fields/b") == "18446744073709551615");
  CHECK(j.field(0, "/fields/c") == "true");
  CHECK(j.field(0, "/fields/d") == "false");
  CHECK(j.field(0, "/fields/e") == "null");
  CHECK(j.field(0, "/fields/f") == "1.5");
  CHECK(j.field(0, "/fields/g") == "[1,2]");
  CHECK(j.field(0, "/fields/h.i") == "0");
  // CEF: a value is unescaped when it holds a backslash, also one right before the next key
  // or at the end; the others are kept as they are.
  const Run c =
      run("CEF:0|Vendor|Product|1.0|100|name|5|src=10.0.0.1 msg=a\\=b c\\\\ cs1=plain "
          "request=x\\\\\n");
  REQUIRE(c.records.size() == 1);
  CHECK(c.field(0, "/fields/src") == "10.0.0.1");
  CHECK(c.field(0, "/fields/msg") == "a=b c\\");
  CHECK(c.field(0, "/fields/cs1") == "plain");
  CHECK(c.field(0, "/fields/request") == "x\\");
  CHECK(c.field(0, "/raw") ==
        "CEF:0|Vendor|Product|1.0|100|name|5|src=10.0.0.1 msg=a\\=b c\\\\ cs1=plain "
        "request=x\\\\");
}

TEST_CASE("gzip: whole, two rotated members, truncated") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += kFortigate;
  Run whole = run(gzip(text));
  CHECK(whole.records.size() == 2000);
  CHECK(whole.summary.recognised == 2000);
  Run members = run(gzip(text) + gzip(text));
  CHECK(members.records.size() == 4000);
  CHECK(members.field(3999, "/line") == "4000");
  const std::string gz = gzip(text);
  Run cut = run(std::string_view(gz).substr(0, gz.size() / 2));
  CHECK(cut.records.size() > 10);
  CHECK(cut.records.size() < 2000);
  CHECK(cut.has_issue("truncated"));
}

TEST_CASE("CP932 text from a Japanese device is decoded, and said so once") {
  // "ユーザー" in CP932 as a Sophos-style user name, twice.
  const std::string line =
      std::string(
          "device=\"SFW\" log_id=1 log_type=\"Event\" log_component=\"Auth\" user_name=\"") +
      "\x83\x86\x81\x5b\x83\x55\x81\x5b" + "\" src_ip=10.0.0.1\n";
  Run r = run(line + line);
  REQUIRE(r.records.size() == 2);
  CHECK(r.field(0, "/user") == "ユーザー");
  std::size_t cp932 = 0;
  for (const auto& i : r.summary.issues) cp932 += i.message.find("CP932") != std::string::npos;
  CHECK(cp932 == 1);
}

TEST_CASE("UTF-8 BOM and UTF-16LE text") {
  Run bom = run(std::string("\xEF\xBB\xBF") + std::string(kFortigate));
  CHECK(bom.field(0, "/fields/date") == "2024-05-01");
  std::string u16 = "\xFF\xFE";
  for (char c : kFortigate) {
    u16.push_back(c);
    u16.push_back('\0');
  }
  Run r = run(u16);
  REQUIRE(r.records.size() == 1);
  CHECK(r.field(0, "/product") == "fortigate");
}

TEST_CASE("year-less RFC 3164: --year, a date in the file, rollover, or null") {
  const std::string lines =
      "Dec 31 23:59:00 fw1 kernel: DROP IN=eth0 SRC=198.51.100.7 DST=192.0.2.1\n"
      "Jan  1 00:01:00 fw1 kernel: DROP IN=eth0 SRC=198.51.100.7 DST=192.0.2.1\n";
  Run none = run(lines);
  CHECK(none.field(0, "/time") == "null");
  CHECK(none.has_issue("without a year"));
  kk::netlog::Options opts;
  opts.year = 2023;
  opts.tz = "UTC";
  Run given = run(lines, opts);
  CHECK(given.field(0, "/time") == "2023-12-31T23:59:00.000000Z");
  CHECK(given.field(1, "/time") == "2024-01-01T00:01:00.000000Z");  // December → January
  kk::netlog::Options utc;
  utc.tz = "UTC";
  Run inferred =
      run("Mar  1 10:00:00 rtx [INSPECT] LAN2[out][101098] TCP 192.168.1.73:54791 > "
          "203.0.113.13:443 (2026/03/01 19:00:00)\n",
          utc);
  CHECK(inferred.field(0, "/time") == "2026-03-01T10:00:00.000000Z");
  CHECK(inferred.field(0, "/product") == "yamaha_rtx");
  CHECK(inferred.field(0, "/src_ip") == "192.168.1.73");
  CHECK(inferred.field(0, "/dst_port") == "443");
  CHECK(inferred.field(0, "/protocol") == "tcp");
}

TEST_CASE("Yamaha RTX filter reject and RFC 5424") {
  Run r =
      run("<134>Jan 10 10:00:00 192.168.100.1 LAN2 Rejected at IN(200030) filter: TCP "
          "198.51.100.7:51515 > 192.0.2.1:23\n"
          "<165>1 2024-05-01T12:00:00.000+09:00 host app 1234 ID47 [x@1 a=\"b\"] src=10.0.0.1 "
          "dst=10.0.0.2 act=block\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.field(0, "/product") == "yamaha_rtx");
  CHECK(r.field(0, "/action") == "deny");
  CHECK(r.field(0, "/dst_port") == "23");
  CHECK(r.field(1, "/time") == "2024-05-01T03:00:00.000000Z");
  CHECK(r.field(1, "/fields/syslog.msgid") == "ID47");
  CHECK(r.field(1, "/action") == "block");
}

TEST_CASE("LEEF 1.0 (TAB) and 2.0 (custom delimiter), no table needed") {
  Run r =
      run("LEEF:1.0|Acme|Gate|1.0|deny|src=10.0.0.5\tdst=203.0.113.9\tdstPort=8080\tusrName="
          "bob\tdevTime=2024-05-01 10:00:00\n"
          "LEEF:2.0|Acme|Gate|1.0|allow|^|src=10.0.0.6^dst=203.0.113.10^proto=UDP\n");
  REQUIRE(r.records.size() == 2);
  CHECK(r.field(0, "/format") == "leef");
  CHECK(r.field(0, "/product") == "generic");
  CHECK(r.field(0, "/dst_port") == "8080");
  CHECK(r.field(0, "/user") == "bob");
  CHECK(r.field(1, "/src_ip") == "10.0.0.6");
  CHECK(r.field(1, "/protocol") == "udp");
}

TEST_CASE("CSV with a header line of an unknown product") {
  Run r =
      run("timestamp,src_ip,dst_ip,dst_port,action\n2024-05-01T00:00:00Z,10.1.1.1,8.8.8.8,53,"
          "blocked\n");
  REQUIRE(r.records.size() == 1);
  CHECK(r.field(0, "/line") == "2");
  CHECK(r.field(0, "/dst_ip") == "8.8.8.8");
  CHECK(r.field(0, "/action") == "block");
  CHECK(r.field(0, "/time") == "2024-05-01T00:00:00.000000Z");
}

TEST_CASE("bad input: garbage, 1 MiB lines, times going backwards") {
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage.push_back(static_cast<char>((i * 7919) & 0xff));
  Run g = run(garbage);
  CHECK(g.summary.recognised == 0);
  CHECK(kk::netlog::nothing_recognised_message(g.summary).find("cef") != std::string::npos);
  std::string big = "src=10.0.0.1 dst=10.0.0.2 act=allow msg=" + std::string(1 << 20, 'x') + "\n";
  Run b = run(big + std::string(kFortigate));
  CHECK(b.records.size() == 2);
  CHECK(b.summary.recognised == 2);
  Run back =
      run("2024-05-01T12:00:00Z h a: src=1.1.1.1 dst=2.2.2.2 act=allow\n"
          "2024-05-01T10:00:00Z h a: src=1.1.1.1 dst=2.2.2.2 act=allow\n");
  CHECK(back.has_issue("backwards"));
}

TEST_CASE("Windows Defender MPLog (UTF-16) and DetectionHistory") {
  const fs::path dir =
      fs::path(corpus()) / "defender" / "dfir-artifact-museum" / "Win10" / "APTSimulatorVM";
  if (!fs::exists(dir)) {
    MESSAGE("corpus not found: skipped");
    return;
  }
  const fs::path mplog = dir / "Support" / "MPLog-20220310-113238.log";
  Run r = run(slurp(mplog), {}, mplog.string());
  CHECK(r.summary.product == "windows_defender");
  std::size_t detections = 0;
  bool vigorf = false;
  for (std::size_t i = 0; i < r.records.size(); ++i) {
    if (r.field(i, "/fields/defender.kind") != "detection" || r.field(i, "/file_name") == "(none)")
      continue;
    ++detections;
    if (r.field(i, "/threat") == "Trojan:BAT/Vigorf.A" &&
        r.field(i, "/time") == "2022-03-10T19:49:22.667000Z")
      vigorf = true;
  }
  CHECK(detections == 21);  // the DETECTIONEVENT and DETECTION_ADD lines that name a file:
  CHECK(vigorf);
  const fs::path history = dir / "Scans" / "History" / "Service" / "DetectionHistory" / "00" /
                           "513F108E-C674-4D19-AE23-79C9AD68A0E6";
  Run h = run(slurp(history), {}, history.string());
  REQUIRE(h.records.size() == 1);
  CHECK(h.field(0, "/product") == "windows_defender");
  CHECK(h.field(0, "/threat") == "Behavior:Win32/AccessibilityEscalation.F");
  CHECK(h.field(0, "/time") != "null");
}

TEST_CASE("year-less syslog: the year from rotated neighbours, the file name, or the mtime") {
  const fs::path dir = fs::temp_directory_path() / ("kk-netlog-year-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  auto write = [](const fs::path& p, std::string_view text) {
    std::ofstream(p, std::ios::binary) << text;
  };
  const std::string dec = "Dec 31 23:59:00 fw1 kernel: DROP SRC=198.51.100.7 DST=192.0.2.1\n";
  kk::netlog::Options utc;
  utc.tz = "UTC";
  auto parse = [&](const fs::path& p) {
    Run r;
    std::string out;
    r.summary = kk::netlog::parse_file(p.string(), p.filename().string(), utc,
                                       [&](kk::OutBuffer& s) { out += s.view(); });
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) r.records.push_back(line);
    return r;
  };
  // syslog (year-less, December) beside syslog.1.gz whose relay wrote full dates in January:
  // December lines next to a January date are the year before.
  write(dir / "a" / "syslog", dec);
  write(dir / "a" / "syslog.1.gz",
        gzip("2025-01-02T00:00:01+00:00 fw1 kernel: DROP SRC=1.2.3.4\n"));
  write(dir / "a" / "other.log", "2019-05-05 unrelated\n");
  Run r = parse(dir / "a" / "syslog");
  REQUIRE(r.records.size() == 1);
  CHECK(r.field(0, "/time") == "2024-12-31T23:59:00.000000Z");
  CHECK(r.has_issue("from neighbouring file syslog.1.gz (2025-01)"));
  // The rotation date in the file's own name.
  write(dir / "b" / "messages-20250105", dec);
  r = parse(dir / "b" / "messages-20250105");
  CHECK(r.field(0, "/time") == "2024-12-31T23:59:00.000000Z");
  CHECK(r.has_issue("from the date in its name (2025-01)"));
  // Nothing beside it: the modification time, as a warning that says so.
  write(dir / "b" / "fw.log", dec);
  fs::last_write_time(dir / "b" / "fw.log",
                      fs::file_time_type::clock::now() - std::chrono::hours(24 * 400));
  r = parse(dir / "b" / "fw.log");
  CHECK(r.field(0, "/time") != "null");
  CHECK(r.has_issue("from the file's modification time"));
  bool warned = false;
  for (const auto& i : r.summary.issues)
    warned |= i.message.find("modification time") != std::string::npos &&
              i.severity == kk::Severity::kWarning;
  CHECK(warned);
  fs::remove_all(dir);
}

TEST_CASE("beaconing: regular gaps to one destination are found, a busy irregular one is not") {
  // FortiGate-style lines from the PC 10.0.0.5: every 300 s (±4 s) to 203.0.113.50:443,
  // each logged twice (start and close) within the second; and 12 irregular contacts to
  // 198.51.100.9.
  std::string log;
  const int regular_gaps[] = {300, 304, 297, 301, 299, 303, 296, 300, 302};
  int t = 0;
  auto line = [&](int at, const char* dst) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "date=2024-05-01 time=%02d:%02d:%02d srcip=10.0.0.5 srcport=5%04d dstip=%s "
                  "dstport=443 action=accept\n",
                  at / 3600, at / 60 % 60, at % 60, at % 10000, dst);
    log += buf;
  };
  line(t, "203.0.113.50");
  for (int g : regular_gaps) {
    t += g;
    line(t, "203.0.113.50");
    line(t, "203.0.113.50");  // the same contact's second line
  }
  const int irregular[] = {5, 700, 30, 1200, 90, 3, 2500, 60, 400, 15, 1800, 240};
  t = 100;
  for (int g : irregular) {
    t += g;
    line(t, "198.51.100.9");
  }
  kk::netlog::Options opts;
  opts.tz = "UTC";
  opts.own_ips = {"10.0.0.5"};
  kk::netlog::BeaconFinder finder;
  opts.beacons = &finder;
  Run r = run(log, opts);
  CHECK(r.records.size() == 31);
  const auto found = finder.beacons();
  REQUIRE(found.size() == 1);
  CHECK(found[0].dst_ip == "203.0.113.50");
  CHECK(found[0].dst_port == 443);
  CHECK(found[0].connections == 10);
  CHECK(found[0].lines == 19);
  CHECK(found[0].median_interval_s == 300);
  CHECK(found[0].regular_share == 1.0);
  const std::string json = kk::netlog::render_beacons(found);
  CHECK(json.find("\"artifact\":\"netlog_beacon\"") != std::string::npos);
  CHECK(json.find("\"first\":\"2024-05-01T00:00:00.000000Z\"") != std::string::npos);
  CHECK(json.find("\"median_interval_s\":300") != std::string::npos);
}

TEST_CASE("volume out: outbound bytes summed per hour, inbound and byte-less lines not") {
  const std::string log =
      "date=2024-05-01 time=03:10:00 srcip=10.0.0.5 dstip=203.0.113.7 dstport=443 sentbyte=1000 "
      "rcvdbyte=5 action=accept\n"
      "date=2024-05-01 time=03:50:00 srcip=10.0.0.5 dstip=203.0.113.7 dstport=443 sentbyte=2000 "
      "rcvdbyte=5 action=accept\n"
      "date=2024-05-01 time=04:00:00 srcip=10.0.0.5 dstip=203.0.113.7 dstport=443 action=accept\n"
      "date=2024-05-01 time=04:10:00 srcip=203.0.113.7 dstip=10.0.0.5 dstport=3389 sentbyte=9 "
      "action=accept\n";
  kk::netlog::Options opts;
  opts.tz = "UTC";
  opts.own_ips = {"10.0.0.5"};
  kk::netlog::VolumeOut volume;
  opts.volume = &volume;
  Run r = run(log, opts);
  CHECK(r.records.size() == 4);
  const auto hours = volume.hours();
  REQUIRE(hours.size() == 1);
  CHECK(kk::format_iso(hours.begin()->first) == "2024-05-01T03:00:00.000000Z");
  CHECK(hours.begin()->second.bytes == 3000);
  CHECK(hours.begin()->second.lines == 2);
  CHECK(hours.begin()->second.line == 1);
}

TEST_CASE("names in the tables are found whatever their case; names of another shape are not") {
  // The name lookup first rules a key out by its shape (first and last byte, case folded,
  // and length): case variants of known names must still pass it, near misses must not
  // match.
  kk::netlog::Options opts;
  opts.tz = "UTC";
  const Run r = run(
      "SRCIP=10.0.0.1 DstIp=10.0.0.2 Dstport=443 action=deny\n"
      "srcipx=10.0.0.3 xdstip=10.0.0.4 dstport=8080 Action=ACCEPT\n",
      opts);
  REQUIRE(r.records.size() == 2);
  CHECK(r.field(0, "/src_ip") == "10.0.0.1");
  CHECK(r.field(0, "/dst_ip") == "10.0.0.2");
  CHECK(r.field(0, "/dst_port") == "443");
  CHECK(r.field(0, "/action") == "deny");
  CHECK(r.field(1, "/src_ip") == "(none)");
  CHECK(r.field(1, "/dst_ip") == "(none)");
  CHECK(r.field(1, "/dst_port") == "8080");
}

TEST_CASE("CEF extension keys of every length, wherever they start, and '=' inside values") {
  // The scan back from each '=' over the key goes 16 bytes at a time: keys of 1 to 40 bytes
  // of every key character, after values of changing length (so keys cross 16-byte
  // boundaries), and values holding '=' after a byte no key has (not a key).
  const std::string chars = "aZ09_.-[]Qx";
  std::string line = "CEF:0|Vendor|Product|1.0|100|name|5|";
  std::vector<std::pair<std::string, std::string>> want;
  for (std::size_t len = 1; len <= 40; ++len) {
    std::string key;
    for (std::size_t k = 0; k < len; ++k) key += chars[(len + k) % chars.size()];
    key[0] = 'k';  // one name per length
    std::string value = "v" + std::to_string(len) + std::string(len % 7, 'w');
    if (len % 3 == 0) value += "/p?a=b&cc=d";
    line += (len > 1 ? " " : "") + key + "=" + value;
    want.emplace_back(key, value);
  }
  const Run r = run(line + "\n");
  REQUIRE(r.records.size() == 1);
  for (const auto& kv : want) {
    const std::string pointer = "/fields/" + kv.first;
    CHECK(r.field(0, pointer.c_str()) == kv.second);
  }
  CHECK(r.field(0, "/fields/a") == "(none)");
  CHECK(r.field(0, "/fields/cc") == "(none)");
}
