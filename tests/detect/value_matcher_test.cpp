// Sigma modifiers one by one (SigmaHQ sigma-specification, "Modifiers"), each with a value
// that must match and one that must not.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace kk_detect_test;

namespace {

// Runs a one-selection rule "sel: {KEY: VALUE}" over one Sysmon 1 record with DATA.
bool fires(const std::string& selection_body, const std::string& data) {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  auto st = load_one(d, proc_rule("  sel:\n" + selection_body + "  condition: sel\n"));
  REQUIRE_MESSAGE(st.status == "loaded", st.reason);
  REQUIRE(d.add_json(sysmon1(data)));
  return Findings(d.finish()).count_of("test-rule") == 1;
}

}  // namespace

TEST_CASE("plain values are case-insensitive equality with * and ? wildcards") {
  CHECK(fires("    Image: 'C:\\Windows\\System32\\cmd.exe'\n",
              R"("Image":"c:\\windows\\system32\\CMD.EXE")"));
  CHECK_FALSE(fires("    Image: 'cmd.exe'\n", R"("Image":"C:\\Windows\\System32\\cmd.exe")"));
  CHECK(fires("    Image: '*\\cm?.exe'\n", R"("Image":"C:\\Windows\\System32\\cmd.exe")"));
  CHECK_FALSE(fires("    Image: '*\\cm?.exe'\n", R"("Image":"C:\\Windows\\System32\\cmdd.exe")"));
  // \* is a literal star (Sigma escaping), not a wildcard.
  CHECK(fires("    CommandLine: 'a\\*b'\n", R"("CommandLine":"a*b")"));
  CHECK_FALSE(fires("    CommandLine: 'a\\*b'\n", R"("CommandLine":"axxb")"));
}

TEST_CASE("contains / startswith / endswith") {
  CHECK(fires("    CommandLine|contains: 'urlcache'\n",
              R"("CommandLine":"certutil -URLCACHE -f http://x")"));
  CHECK_FALSE(
      fires("    CommandLine|contains: 'urlcache'\n", R"("CommandLine":"certutil -decode a b")"));
  CHECK(fires("    Image|startswith: 'C:\\Users\\'\n", R"("Image":"C:\\Users\\bob\\x.exe")"));
  CHECK_FALSE(fires("    Image|startswith: 'C:\\Users\\'\n", R"("Image":"D:\\C:\\Users\\x.exe")"));
  CHECK(fires("    Image|endswith: '\\rundll32.exe'\n",
              R"("Image":"C:\\Windows\\System32\\rundll32.exe")"));
  CHECK_FALSE(fires("    Image|endswith: '\\rundll32.exe'\n",
                    R"("Image":"C:\\Windows\\System32\\rundll32.exe.bak")"));
  // A trailing backslash before the added wildcard stays a literal backslash.
  CHECK(fires("    Image|contains: '\\Temp\\'\n", R"("Image":"C:\\Temp\\a.exe")"));
}

TEST_CASE("value lists are OR; |all makes them AND") {
  CHECK(fires("    CommandLine|contains: ['aaa', 'bbb']\n", R"("CommandLine":"x bbb")"));
  CHECK(fires("    CommandLine|contains|all: ['aaa', 'bbb']\n", R"("CommandLine":"bbb aaa")"));
  CHECK_FALSE(fires("    CommandLine|contains|all: ['aaa', 'bbb']\n", R"("CommandLine":"x bbb")"));
}

TEST_CASE("|cased makes the comparison case-sensitive") {
  CHECK(fires("    CommandLine|contains|cased: 'IEX'\n", R"x("CommandLine":"IEX(x)")x"));
  CHECK_FALSE(fires("    CommandLine|contains|cased: 'IEX'\n", R"x("CommandLine":"iex(x)")x"));
}

TEST_CASE("|re is a PCRE search, case-sensitive unless |i") {
  CHECK(fires("    CommandLine|re: '-e(nc)?\\s+[A-Za-z0-9+/=]{8,}'\n",
              R"("CommandLine":"powershell -enc SQBFAFgAKAA=")"));
  CHECK_FALSE(fires("    CommandLine|re: '^cmd'\n", R"("CommandLine":"CMD /c x")"));
  CHECK(fires("    CommandLine|re|i: '^cmd'\n", R"("CommandLine":"CMD /c x")"));
}

TEST_CASE("|base64 and |base64offset|contains find encoded text (pySigma encodings)") {
  // base64("http://") = "aHR0cDovLw=="
  CHECK(fires("    CommandLine|base64: 'http://'\n", R"("CommandLine":"aHR0cDovLw==")"));
  // "IEX (" at byte offsets 0, 1, 2: base64 "SUVYICg=", "eElFWCAo", "eHhJRVggKA==" contain
  // the offset-independent parts SUVYIC, lFWCAo, JRVggK.
  CHECK(fires("    CommandLine|base64offset|contains: 'IEX ('\n",
              R"("CommandLine":"powershell -e SUVYICg=")"));
  CHECK(fires("    CommandLine|base64offset|contains: 'IEX ('\n",
              R"("CommandLine":"powershell -e eElFWCAo")"));
  CHECK(fires("    CommandLine|base64offset|contains: 'IEX ('\n",
              R"("CommandLine":"powershell -e eHhJRVggKA==")"));
  CHECK_FALSE(fires("    CommandLine|base64offset|contains: 'IEX ('\n",
                    R"x("CommandLine":"powershell IEX (x)")x"));
}

TEST_CASE("|wide|base64offset encodes UTF-16LE first (PowerShell -EncodedCommand)") {
  // "Invoke" in UTF-16LE base64 at offset 0 starts "SQBuAHYAbwBrAGUA".
  CHECK(fires("    CommandLine|wide|base64offset|contains: 'Invoke'\n",
              R"("CommandLine":"-enc SQBuAHYAbwBrAGUALQBFAHgA")"));
  CHECK_FALSE(fires("    CommandLine|wide|base64offset|contains: 'Invoke'\n",
                    R"("CommandLine":"-enc SW52b2tl")"));
}

TEST_CASE("|windash accepts - / and Unicode dashes for a switch") {
  CHECK(fires("    CommandLine|windash|contains: ' -enc '\n",
              R"("CommandLine":"powershell /enc AAA")"));
  CHECK(fires("    CommandLine|windash|contains: ' -enc '\n",
              "\"CommandLine\":\"powershell \xE2\x80\x93"
              "enc AAA\""));
  CHECK(fires("    CommandLine|windash|contains: ' -enc '\n",
              R"("CommandLine":"powershell -enc AAA")"));
  CHECK_FALSE(fires("    CommandLine|windash|contains: ' -enc '\n",
                    R"("CommandLine":"powershell +enc AAA")"));
}

TEST_CASE("|cidr matches IPv4 and IPv6 networks") {
  CHECK(fires("    DestinationIp|cidr: '10.0.0.0/8'\n", R"("DestinationIp":"10.200.3.4")"));
  CHECK_FALSE(fires("    DestinationIp|cidr: '10.0.0.0/8'\n", R"("DestinationIp":"11.0.0.1")"));
  CHECK(fires("    DestinationIp|cidr: '172.16.0.0/12'\n", R"("DestinationIp":"172.31.255.255")"));
  CHECK_FALSE(
      fires("    DestinationIp|cidr: '172.16.0.0/12'\n", R"("DestinationIp":"172.32.0.1")"));
  CHECK(fires("    DestinationIp|cidr: 'fe80::/10'\n", R"("DestinationIp":"fe80::1c2d:3e4f%12")"));
  CHECK_FALSE(fires("    DestinationIp|cidr: 'fe80::/10'\n", R"("DestinationIp":"2001:db8::1")"));
  CHECK_FALSE(fires("    DestinationIp|cidr: '10.0.0.0/8'\n", R"("DestinationIp":"-")"));
}

TEST_CASE("|exists and null test presence") {
  CHECK(fires("    ParentImage|exists: true\n", R"("ParentImage":"x")"));
  CHECK_FALSE(fires("    ParentImage|exists: true\n", R"("Image":"x")"));
  CHECK(fires("    ParentImage|exists: false\n", R"("Image":"x")"));
  CHECK(fires("    ParentImage: null\n", R"("Image":"x")"));
  CHECK(fires("    ParentImage: null\n", R"("ParentImage":"")"));
  CHECK_FALSE(fires("    ParentImage: null\n", R"("ParentImage":"x")"));
}

TEST_CASE("|lt |lte |gt |gte compare numbers (decimal or 0x hex)") {
  CHECK(fires("    ProcessId|lt: 10\n", R"("ProcessId":4)"));
  CHECK_FALSE(fires("    ProcessId|lt: 10\n", R"("ProcessId":10)"));
  CHECK(fires("    ProcessId|lte: 10\n", R"("ProcessId":"10")"));
  CHECK(fires("    ProcessId|gt: 10\n", R"("ProcessId":"0x20")"));
  CHECK_FALSE(fires("    ProcessId|gte: 10\n", R"("ProcessId":"abc")"));
}

TEST_CASE("|fieldref compares with another field of the same event") {
  CHECK(fires("    Image|fieldref: ParentImage\n",
              R"("Image":"C:\\a.exe","ParentImage":"c:\\A.exe")"));
  CHECK_FALSE(fires("    Image|fieldref: ParentImage\n",
                    R"("Image":"C:\\a.exe","ParentImage":"C:\\b.exe")"));
}

TEST_CASE("|expand is ignored with a warning, unknown modifiers skip the rule") {
  kk::Diagnostics diag("test");
  kk::detect::Options o;
  o.builtin = false;
  kk::detect::Detector d(o, diag);
  auto st =
      load_one(d, proc_rule("  sel:\n    Image|expand: '%Windir%\\x.exe'\n  condition: sel\n"));
  CHECK(st.status == "loaded");
  REQUIRE(st.warnings.size() == 1);
  CHECK(st.warnings[0].find("|expand ignored") != std::string::npos);
  auto bad = load_one(d, proc_rule("  sel:\n    Image|frobnicate: x\n  condition: sel\n", "other"));
  CHECK(bad.status == "skipped");
  CHECK(bad.reason.find("unsupported modifier |frobnicate") != std::string::npos);
}
