#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>

#include "../test_util.hpp"
#include "notice/anonymize.hpp"
#include "notice/hmac_sha256.hpp"
#include "notice_fixture.hpp"

using namespace kk::notice;

namespace {
std::string hex(const Digest256& d) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (auto b : d) {
    s.push_back(k[b >> 4]);
    s.push_back(k[b & 15]);
  }
  return s;
}

std::string rewrite(const Anonymizer& a, const std::string& json) {
  simdjson::dom::parser p;
  return a.record(p.parse(json));
}
}  // namespace

TEST_CASE("SHA-256 and HMAC-SHA256 match the published test vectors") {
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(sha256(std::string(1000000, 'a'))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // RFC 4231 test cases 1 and 6 (key longer than the block).
  CHECK(hex(hmac_sha256(std::string(20, '\x0b'), "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'),
                        "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("pseudonyms are stable per key and differ across keys and categories") {
  Anonymizer a("k1"), b("k1"), c("k2");
  CHECK(a.pseudonym(Category::kHost, "PC01") == b.pseudonym(Category::kHost, "PC01"));
  CHECK(a.pseudonym(Category::kHost, "PC01") ==
        a.pseudonym(Category::kHost, "pc01"));  // Windows names fold case
  CHECK(a.pseudonym(Category::kHost, "PC01") != c.pseudonym(Category::kHost, "PC01"));
  CHECK(a.pseudonym(Category::kHost, "PC01") != a.pseudonym(Category::kUser, "PC01"));
  CHECK(a.pseudonym(Category::kHost, "PC01").rfind("host-", 0) == 0);
  CHECK(a.pseudonym(Category::kIp, "192.168.1.2").rfind("10.", 0) == 0);
}

TEST_CASE("free text: identifiers and internal addresses go, malware facts stay") {
  Anonymizer a("secret");
  a.learn(Category::kHost, "PC-SALES01");
  a.learn(Category::kUser, "tanaka");
  a.learn(Category::kDomain, "CORP");
  a.learn(Category::kCustomer, "株式会社サンプル商事");
  a.learn(Category::kUser, "SYSTEM");  // built-in principals are kept
  std::string in =
      "CORP\\tanaka logged on to PC-SALES01 from 192.168.10.23 and 203.0.113.5; file "
      "C:\\Users\\tanaka\\Downloads\\a.exe sha256 "
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 "
      "mail hanako.sato@sample-shoji.example.jp SID S-1-5-21-1111111111-2222222222-3333333333-1001 "
      "by SYSTEM for 株式会社サンプル商事 at 10.0.19041.1 fe80::1c2b:3c4d:5e6f:7a8b%12 PC-SALES01$";
  std::string out = a.text(in);
  for (std::string gone : {"tanaka", "PC-SALES01", "CORP\\", "192.168.10.23", "hanako",
                           "sample-shoji", "1111111111", "株式会社サンプル商事", "fe80::1c2b"})
    CHECK_MESSAGE(out.find(gone) == std::string::npos, gone << " survived in: " << out);
  for (std::string kept :
       {"203.0.113.5", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "-1001",
        "SYSTEM", "10.0.19041.1", "C:\\Users\\", "\\Downloads\\a.exe"})
    CHECK_MESSAGE(out.find(kept) != std::string::npos, kept << " lost in: " << out);
  CHECK(out.find(a.pseudonym(Category::kUser, "tanaka")) != std::string::npos);
  CHECK(out.find(a.pseudonym(Category::kHost, "PC-SALES01") + "$") != std::string::npos);
  CHECK(out.find("@example.invalid") != std::string::npos);
  // The user in a path gets the same pseudonym as the user name itself.
  CHECK(out.find("\\Users\\" + a.pseudonym(Category::kUser, "tanaka") + "\\") != std::string::npos);
  CHECK(a.text(in) == out);  // deterministic
  // A word merely containing a name is not touched.
  CHECK(a.text("tanakaya CORPORATE") == "tanakaya CORPORATE");
}

TEST_CASE("records teach their identifiers; hashes, rules and ATT&CK ids are never rewritten") {
  Anonymizer a("secret");
  std::string rec =
      R"({"artifact":"evtx","source":"Evtx/Security.evtx","host":"WS-ADMIN7","sha256":"WS-ADMIN7",)"
      R"("data":{"TargetUserName":"yamada","TargetDomainName":"ACME","IpAddress":"10.1.2.3",)"
      R"("WorkstationName":"KIOSK-2"},"rule":{"id":"KK-ACME-1","name":"yamada rule"},)"
      R"("attack":["T1021.001"],"message":"yamada on KIOSK-2","record_id":42,"ok":true,"x":null})";
  simdjson::dom::parser p;
  a.learn_record(p.parse(rec));
  std::string out = rewrite(a, rec);
  CHECK(out.find("\"record_id\":42") != std::string::npos);
  CHECK(out.find("\"ok\":true") != std::string::npos);
  CHECK(out.find("\"x\":null") != std::string::npos);
  CHECK(out.find("\"sha256\":\"WS-ADMIN7\"") != std::string::npos);  // protected field kept as is
  CHECK(out.find("\"rule\":{\"id\":\"KK-ACME-1\",\"name\":\"yamada rule\"}") != std::string::npos);
  CHECK(out.find("\"host\":\"" + a.pseudonym(Category::kHost, "WS-ADMIN7") + "\"") !=
        std::string::npos);
  CHECK(out.find("yamada on") == std::string::npos);
  CHECK(out.find("KIOSK-2") == std::string::npos);
  CHECK(out.find("\"TargetDomainName\":\"" + a.pseudonym(Category::kDomain, "ACME") + "\"") !=
        std::string::npos);
  CHECK(out.find("10.1.2.3") == std::string::npos);
  // The output is valid JSON with the same keys.
  simdjson::dom::element e;
  REQUIRE(p.parse(out).get(e) == simdjson::SUCCESS);
  CHECK(std::string_view(e["artifact"]) == "evtx");
}

TEST_CASE("the anonymized notice holds no original identifier but keeps hashes and public IOCs") {
  kk::Diagnostics diag("test");
  auto c = kk_test::fixture_case();
  NoticeInputs in(c.list("detection.suspect_files"));
  Anonymizer anon("fixture-key");
  anon.learn_case(c);
  in.set_learner(&anon);
  kk_test::load_fixture(in, diag);
  anonymize_inputs(anon, in, c);
  RenderOptions opt;
  opt.anonymized = true;
  for (Format fmt : {Format::kHtml, Format::kMarkdown}) {
    opt.format = fmt;
    opt.part = Part::kNotice;
    std::string out = render_notice(c, in, opt);
    opt.part = Part::kAppendix;
    out += render_notice(c, in, opt);
    for (std::string gone :
         {"PC-SALES01", "tanaka", "TANAKA", "192.168.10.23", "株式会社サンプル商事", "佐藤 花子",
          "鈴木 一郎", "hanako.sato", "03-1234-5678", "sample-shoji", "CORP\\"})
      CHECK_MESSAGE(out.find(gone) == std::string::npos, gone << " survived");
    for (std::string kept :
         {"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "203.0.113[.]5",
          "malicious.example[.]net", "Trojan:Win32/Wacatac.B!ml", "KK-LOGON-001", "T1543.003",
          "WinUpdSvc", "invoice_0501.exe"})
      CHECK_MESSAGE(out.find(kept) != std::string::npos, kept << " lost");
    CHECK(out.find(anon.pseudonym(Category::kHost, "PC-SALES01")) != std::string::npos);
  }
}

// anonymize --jobs (issue #20): the rewrite runs on batches of lines in parallel; the output is
// the same bytes, in the same order, whatever the number of threads.
TEST_CASE("anonymize --jobs: the same output on one thread and on four") {
  const std::string tool = std::string(KK_BIN_DIR) + "/anonymize";
  if (!std::filesystem::exists(tool)) {
    MESSAGE("anonymize not built; skipped");
    return;
  }
  const std::string in = kk_test::temp_file(), a = kk_test::temp_file(), b = kk_test::temp_file();
  {
    std::ofstream f(in);
    for (int i = 0; i < 5000; ++i)  // several batches of 1,024 lines
      f << R"({"artifact":"evtx","source":"Evtx/Security.evtx","record_id":)" << i
        << R"(,"computer":"PC-)" << (i % 7) << R"(","data":{"TargetUserName":"user)" << (i % 13)
        << R"(","IpAddress":"192.168.1.)" << (i % 250) << R"("}})"
        << "\n";
    f << "not json\n";
  }
  for (const auto& [jobs, out] : {std::pair{"1", a}, std::pair{"4", b}}) {
    std::string cmd = "'" + tool + "' --quiet --key k --jobs " + jobs + " '" + in + "' -o '" + out +
                      "' 2>/dev/null";
    CHECK(std::system(cmd.c_str()) == 0);
  }
  std::string one = kk_test::read_file(a), four = kk_test::read_file(b);
  CHECK(one == four);
  CHECK(std::count(one.begin(), one.end(), '\n') == 5000);  // the non-JSON line dropped
  CHECK(one.find("user7") == std::string::npos);
  CHECK(one.find("\"record_id\":4999") != std::string::npos);
  for (const auto& f : {in, a, b}) std::remove(f.c_str());
}
