// The generic log syntaxes: each splits a payload into vendor fields (views into the line,
// or into the arena when a value had to be unescaped). No product knowledge here. Private.
#pragma once

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "netlog/line.hpp"
#include "netlog/time_text.hpp"

namespace kk::netlog {

// The syslog envelope in front of a payload: "<PRI>", RFC 5424 "1 TS HOST APP PROCID MSGID
// SD", RFC 3164 "Mmm dd hh:mm:ss HOST TAG[PID]:", or a relay's "RFC3339-TIME HOST". On
// success fills ENV (time left unresolved in CIVIL) and returns the rest of the line.
struct EnvelopeTime {
  bool has = false;
  CivilTime civil;
};
std::string_view parse_envelope(std::string_view line, Envelope& env, EnvelopeTime& civil);

// key=value pairs separated by spaces (or commas: FortiGate's CSV form), values bare or
// "quoted" with \" escapes. Returns the number of pairs; text before the first key that is
// not itself a pair is left out (the caller keeps it as the message).
std::size_t parse_kv(std::string_view s, FieldList& out, Arena& arena);

// "Key: value, Key: value" (Firepower, Symantec SEP exports). Returns the number of pairs.
std::size_t parse_colon_kv(std::string_view s, FieldList& out);

// CEF:Version|Vendor|Product|Version|SignatureID|Name|Severity|Extension (the "CEF:" may be
// lost by a relay), and LEEF:1.0|Vendor|Product|Version|EventID|ext (TAB) or LEEF:2.0 with
// its own delimiter. False when S is neither.
bool parse_cef(std::string_view s, ParsedLine& p, Arena& arena);
bool parse_leef(std::string_view s, ParsedLine& p, Arena& arena);

// One delimited record (CSV with "quoted" fields and "" escapes, or any delimiter string
// such as "\t" or "<;>"). Appends the cells to OUT.
void split_delimited(std::string_view s, std::string_view delim, std::vector<std::string_view>& out,
                     Arena& arena);

// A JSON object flattened to dotted keys ("alert.signature"); arrays are kept as JSON text.
bool parse_json_fields(std::string_view s, FieldList& out, Arena& arena,
                       simdjson::dom::parser& parser);

// Squid native access.log and the Common Log Format (Apache, proxies).
bool parse_squid(std::string_view s, FieldList& out);
bool parse_clf(std::string_view s, FieldList& out);

// Cisco "%ASA-6-302013: text" (also %FTD-, %PIX-, %NGIPS-): fields asa.facility/severity/id
// and message. False when S does not start with such a tag.
bool parse_cisco_tag(std::string_view s, FieldList& out);

// Addresses, ports, protocol and action a free-text message states ("from 1.2.3.4/901 to
// 2.2.2.2/111", "TCP 192.168.1.73:54791 > 203.0.113.13:443", "denied"), as generic fields
// text.src_ip, text.src_port, text.dst_ip, text.dst_port, text.protocol, text.action.
void extract_text_fields(std::string_view msg, FieldList& out);

// True when S is an IPv4 or IPv6 address (no port).
bool is_ip(std::string_view s);

}  // namespace kk::netlog

namespace kk::netlog {
// XML events (McAfee/Trellix ePO "<EPOEvent>…"): every leaf element <Name>text</Name> as a
// field Name (the first of a name wins). False when S holds no element.
bool parse_xml_leaves(std::string_view s, FieldList& out);
}  // namespace kk::netlog
