// Product knowledge, all of it: signatures that recognise a product's lines, and what its
// field names mean. Names come from the vendors' public log references (FortiOS Log
// Reference, SonicOS Log Events Reference, PAN-OS syslog field descriptions, Sophos
// Firewall log fields, Cisco ASA/FTD syslog messages, Suricata EVE format, Zscaler NSS
// feed output format, Trend Micro and Symantec syslog guides, Windows Firewall log
// format). A product absent here is still read through generic_fields().
#include "netlog/products.hpp"

#include "core/ascii_case.hpp"

namespace kk::netlog {

namespace {

using N = Norm;
using S = Syntax;

// ---- generic names (any product, any syntax) ----------------------------------------
constexpr FieldRule kGeneric[] = {
    // times
    {"@timestamp", N::kTime},
    {"timestamp", N::kTime},
    {"datetime", N::kTime},
    {"time", N::kTime},
    {"date_time", N::kTime},
    {"eventtime", N::kTime},
    {"event_time", N::kTime},
    {"rt", N::kTime},
    {"devTime", N::kTime},
    {"start", N::kTime},
    {"receive_time", N::kTime},
    {"generated_time", N::kTime},
    {"end", N::kTime},
    {"date", N::kDate},
    {"tz", N::kZone},
    {"timezone", N::kZone},
    {"dtz", N::kZone},
    {"squid.time", N::kEpoch},
    {"clf.time", N::kTime},
    // CEF dictionary (ArcSight CEF key names) and LEEF
    {"act", N::kAction},
    {"src", N::kSrcIp},
    {"spt", N::kSrcPort},
    {"dst", N::kDstIp},
    {"dpt", N::kDstPort},
    {"sourceTranslatedAddress", N::kNatSrcIp},
    {"sourceTranslatedPort", N::kNatSrcPort},
    {"destinationTranslatedAddress", N::kNatDstIp},
    {"destinationTranslatedPort", N::kNatDstPort},
    {"proto", N::kProtocol},
    {"out", N::kBytesSent},
    {"in", N::kBytesReceived},
    {"request", N::kUrl},
    {"requestMethod", N::kMethod},
    {"requestClientApplication", N::kUserAgent},
    {"dhost", N::kHost},
    {"suser", N::kUser},
    {"duser", N::kUser},
    {"fname", N::kFileName},
    {"filePath", N::kFileName},
    {"fileHash", N::kFileHash},
    {"msg", N::kMessage},
    {"cef.name", N::kMessage},
    {"cef.severity", N::kSeverity},
    {"cat", N::kLogType},
    {"srcPort", N::kSrcPort},
    {"dstPort", N::kDstPort},
    {"srcBytes", N::kBytesSent},
    {"dstBytes", N::kBytesReceived},
    {"usrName", N::kUser},
    {"sev", N::kSeverity},
    {"url", N::kUrl},
    {"identSrc", N::kSrcIp},
    // common key=value / JSON names
    {"srcip", N::kSrcIp},
    {"src_ip", N::kSrcIp},
    {"source_ip", N::kSrcIp},
    {"sourceip", N::kSrcIp},
    {"source.ip", N::kSrcIp},
    {"source_address", N::kSrcIp},
    {"client_ip", N::kSrcIp},
    {"clientip", N::kSrcIp},
    {"src_addr", N::kSrcIp},
    {"dstip", N::kDstIp},
    {"dst_ip", N::kDstIp},
    {"dest_ip", N::kDstIp},
    {"destination_ip", N::kDstIp},
    {"destinationip", N::kDstIp},
    {"destination.ip", N::kDstIp},
    {"server_ip", N::kDstIp},
    {"serverip", N::kDstIp},
    {"dst_addr", N::kDstIp},
    {"srcport", N::kSrcPort},
    {"src_port", N::kSrcPort},
    {"source_port", N::kSrcPort},
    {"sport", N::kSrcPort},
    {"source.port", N::kSrcPort},
    {"dstport", N::kDstPort},
    {"dst_port", N::kDstPort},
    {"dest_port", N::kDstPort},
    {"destination_port", N::kDstPort},
    {"dport", N::kDstPort},
    {"destination.port", N::kDstPort},
    {"protocol", N::kProtocol},
    {"network.transport", N::kProtocol},
    {"action", N::kAction},
    {"event.action", N::kAction},
    {"disposition", N::kAction},
    {"user", N::kUser},
    {"username", N::kUser},
    {"user_name", N::kUser},
    {"user.name", N::kUser},
    {"login", N::kUser},
    {"sent_bytes", N::kBytesSent},
    {"bytes_sent", N::kBytesSent},
    {"sentbyte", N::kBytesSent},
    {"bytes_out", N::kBytesSent},
    {"rcvd_bytes", N::kBytesReceived},
    {"recv_bytes", N::kBytesReceived},
    {"bytes_received", N::kBytesReceived},
    {"rcvdbyte", N::kBytesReceived},
    {"bytes_in", N::kBytesReceived},
    {"duration", N::kDuration},
    {"hostname", N::kHost},
    {"host", N::kHost},
    {"domain", N::kHost},
    {"url.original", N::kUrl},
    {"uri", N::kUrl},
    {"method", N::kMethod},
    {"http_method", N::kMethod},
    {"status_code", N::kStatus},
    {"useragent", N::kUserAgent},
    {"user_agent", N::kUserAgent},
    {"rule", N::kRule},
    {"rule_name", N::kRule},
    {"rulename", N::kRule},
    {"policy", N::kRule},
    {"policyid", N::kRule},
    {"threat", N::kThreat},
    {"threatname", N::kThreat},
    {"threat_name", N::kThreat},
    {"virus", N::kThreat},
    {"virusname", N::kThreat},
    {"signature", N::kThreat},
    {"attack", N::kThreat},
    {"severity", N::kSeverity},
    {"level", N::kSeverity},
    {"priority", N::kSeverity},
    {"filename", N::kFileName},
    {"file_name", N::kFileName},
    {"file_path", N::kFileName},
    {"sha256", N::kFileHash},
    {"sha1", N::kFileHash},
    {"md5", N::kFileHash},
    {"file_hash", N::kFileHash},
    {"type", N::kLogType},
    {"log_type", N::kLogType},
    {"logtype", N::kLogType},
    {"subtype", N::kLogSubtype},
    {"message", N::kMessage},
    {"description", N::kMessage},
    // W3C extended / ELFF (IIS, Blue Coat ProxySG, Windows Firewall)
    {"c-ip", N::kSrcIp},
    {"s-ip", N::kDstIp},
    {"src-ip", N::kSrcIp},
    {"dst-ip", N::kDstIp},
    {"src-port", N::kSrcPort},
    {"dst-port", N::kDstPort},
    {"c-port", N::kSrcPort},
    {"s-port", N::kDstPort},
    {"cs-uri-port", N::kDstPort},
    {"cs-host", N::kHost},
    {"cs-method", N::kMethod},
    {"sc-status", N::kStatus},
    {"cs(User-Agent)", N::kUserAgent},
    {"cs-user-agent", N::kUserAgent},
    {"cs-username", N::kUser},
    {"cs-bytes", N::kBytesSent},
    {"sc-bytes", N::kBytesReceived},
    {"time-taken", N::kDurationMs},
    {"sc-filter-result", N::kAction},
    {"s-action", N::kAction},
    {"cs-uri", N::kUrl},
    {"cs-uri-stem", N::kUrl},
    {"x-virus-id", N::kThreat},
    {"cs-categories", N::kLogSubtype},
    // text extraction (free-text messages)
    {"text.src_ip", N::kSrcIp},
    {"text.src_port", N::kSrcPort},
    {"text.dst_ip", N::kDstIp},
    {"text.dst_port", N::kDstPort},
    {"text.protocol", N::kProtocol},
    {"text.action", N::kAction},
    // syslog envelope
    {"syslog.app", N::kLogType},
};

constexpr ActionWord kGenericActions[] = {
    {"allow", "allow"},
    {"allowed", "allow"},
    {"accept", "allow"},
    {"accepted", "allow"},
    {"permit", "allow"},
    {"permitted", "allow"},
    {"pass", "allow"},
    {"passthrough", "allow"},
    {"forward", "allow"},
    {"open", "allow"},
    {"close", "allow"},
    {"built", "allow"},
    {"success", "allow"},
    {"observed", "allow"},
    {"proxied", "allow"},
    {"tcp_tunnel", "allow"},
    {"tcp_miss", "allow"},
    {"tcp_hit", "allow"},
    {"tcp_accelerated", "allow"},
    {"tcp_tunneled", "allow"},
    {"timeout", "allow"},
    {"deny", "deny"},
    {"denied", "deny"},
    {"reject", "deny"},
    {"rejected", "deny"},
    {"refused", "deny"},
    {"reset-both", "deny"},
    {"reset-client", "deny"},
    {"reset-server", "deny"},
    {"tcp_denied", "deny"},
    {"failure", "deny"},
    {"drop", "drop"},
    {"dropped", "drop"},
    {"discard", "drop"},
    {"drop-icmp", "drop"},
    {"block", "block"},
    {"blocked", "block"},
    {"blocked-url", "block"},
    {"quarantine", "block"},
    {"quarantined", "block"},
    {"deleted", "block"},
    {"delete", "block"},
    {"cleaned", "block"},
    {"clean", "block"},
    {"removed", "block"},
    {"sinkhole", "block"},
    {"alert", "alert"},
    {"alerted", "alert"},
    {"detected", "alert"},
    {"detect", "alert"},
    {"monitor", "alert"},
    {"log", "alert"},
    {"logged", "alert"},
    {"warning", "alert"},
};

// ---- FortiGate (FortiOS Log Reference) ------------------------------------------------
constexpr Signature kFortigateSig[] = {
    {S::kKv, {}, {"logid", "type", "subtype"}, {}, {}},
    {S::kKv, {}, {"devid", "logid"}, {}, {}},
    {S::kCef, "Fortinet", {}, {}, {}},
};
constexpr FieldRule kFortigateFields[] = {
    {"eventtime", N::kEpoch},   {"date", N::kDate},
    {"time", N::kClock},        {"tz", N::kZone},
    {"transip", N::kNatSrcIp},  {"transport", N::kNatSrcPort},
    {"tranip", N::kNatDstIp},   {"tranport", N::kNatDstPort},
    {"policyname", N::kRule},   {"policyid", N::kRule},
    {"attack", N::kThreat},     {"virus", N::kThreat},
    {"filename", N::kFileName}, {"analyticscksum", N::kFileHash},
    {"type", N::kLogType},      {"subtype", N::kLogSubtype},
    {"hostname", N::kHost},     {"unauthuser", N::kUser},
    {"reqtype", N::kNone},      {"level", N::kSeverity},
    {"msg", N::kMessage},       {"remip", N::kSrcIp},
    {"remport", N::kSrcPort},   {"locip", N::kDstIp},
    {"locport", N::kDstPort},   {"xauthuser", N::kUser},
    {"eapuser", N::kUser},      {"logdesc", N::kMessage},
    {"duration", N::kDuration}, {"agent", N::kUserAgent},
};
constexpr std::string_view kFortigatePrefixes[] = {"FTNTFGT", "FortinetFortiGate"};
constexpr ActionWord kFortigateActions[] = {
    {"client-rst", "deny"},   {"server-rst", "deny"}, {"ip-conn", "deny"},
    {"passthrough", "allow"}, {"dropped", "drop"},
};

// ---- SonicWall (SonicOS Log Events Reference) -----------------------------------------
constexpr Signature kSonicwallSig[] = {
    {S::kKv, {}, {"sn", "m"}, {"id", "firewall"}, {}},
    {S::kKv, {}, {"fw", "pri"}, {"id", "firewall"}, {}},
    {S::kCef, "SonicWall", {}, {}, {}},
};
constexpr FieldRule kSonicwallFields[] = {
    {"time", N::kTime},          {"src", N::kSrcEndpoint}, {"dst", N::kDstEndpoint},
    {"natSrc", N::kNatSrcIp},    {"natDst", N::kNatDstIp}, {"sent", N::kBytesSent},
    {"rcvd", N::kBytesReceived}, {"usr", N::kUser},        {"fw_action", N::kAction},
    {"dstname", N::kHost},       {"arg", N::kUrl},         {"op", N::kMethod},
    {"pri", N::kSeverity},       {"id", N::kLogType},      {"m", N::kLogSubtype},
    {"proto", N::kProtocol},     {"rule", N::kRule},       {"msg", N::kMessage},
};

// ---- Sophos Firewall (SFOS / XG), Sophos UTM 9, Sophos Central -----------------------
constexpr Signature kSophosXgSig[] = {
    {S::kKv, {}, {"log_id", "log_type", "log_component"}, {}, {}},
    {S::kKv, {}, {"log_id", "log_type"}, {"device", "SFW"}, {}},
};
constexpr FieldRule kSophosXgFields[] = {
    {"timestamp", N::kTime},
    {"date", N::kDate},
    {"time", N::kClock},
    {"timezone", N::kZone},
    {"src_ip", N::kSrcIp},
    {"sourceip", N::kSrcIp},
    {"dst_ip", N::kDstIp},
    {"destinationip", N::kDstIp},
    {"src_trans_ip", N::kNatSrcIp},
    {"src_trans_port", N::kNatSrcPort},
    {"dst_trans_ip", N::kNatDstIp},
    {"dst_trans_port", N::kNatDstPort},
    {"status", N::kAction},
    {"log_subtype", N::kAction},
    {"sent_bytes", N::kBytesSent},
    {"recv_bytes", N::kBytesReceived},
    {"user_name", N::kUser},
    {"fw_rule_name", N::kRule},
    {"fw_rule_id", N::kRule},
    {"virus", N::kThreat},
    {"signature_msg", N::kThreat},
    {"threatname", N::kThreat},
    {"log_type", N::kLogType},
    {"log_component", N::kLogSubtype},
    {"priority", N::kSeverity},
    {"url", N::kUrl},
    {"domain", N::kHost},
    {"server", N::kHost},
    {"http_status", N::kStatus},
    {"user_agent", N::kUserAgent},
    {"filename", N::kFileName},
    {"localip", N::kDstIp},
};
constexpr ActionWord kSophosActions[] = {
    {"successful", "allow"},
    {"failed", "deny"},
    {"information", "allow"},
};
constexpr Signature kSophosUtmSig[] = {
    {S::kKv, {}, {"sys", "sub", "name"}, {}, {}},
};
constexpr FieldRule kSophosUtmFields[] = {
    {"srcip", N::kSrcIp},       {"dstip", N::kDstIp},    {"srcport", N::kSrcPort},
    {"dstport", N::kDstPort},   {"proto", N::kProtocol}, {"fwrule", N::kRule},
    {"action", N::kAction},     {"sub", N::kLogType},    {"name", N::kMessage},
    {"severity", N::kSeverity}, {"srcmac", N::kNone},    {"url", N::kUrl},
    {"user", N::kUser},         {"virus", N::kThreat},   {"method", N::kMethod},
};
constexpr Signature kSophosCentralSig[] = {
    {S::kJson, {}, {"type", "endpoint_id"}, {"type", "Event::"}, {}},
    {S::kJson, {}, {"type", "customer_id"}, {"type", "Event::"}, {}},
};
constexpr FieldRule kSophosCentralFields[] = {
    {"rt", N::kTime},
    {"end", N::kTime},
    {"when", N::kTime},
    {"source_info.ip", N::kSrcIp},
    {"suser", N::kUser},
    {"name", N::kMessage},
    {"type", N::kLogType},
    {"group", N::kLogSubtype},
    {"severity", N::kSeverity},
    {"threat", N::kThreat},
    {"appSha256", N::kFileHash},
    {"core_remedy_items.items", N::kNone},
};

// ---- Palo Alto Networks PAN-OS ----------------------------------------------------------
constexpr Signature kPaloaltoSig[] = {
    {S::kCsv, {}, {"serial", "receive_time"}, {}, {}},
    {S::kCef, "Palo Alto", {}, {}, {}},
    {S::kJson, {}, {"LogType", "DeviceSN"}, {}, {}},
    {S::kLeef, "Palo Alto", {}, {}, {}},
};
constexpr FieldRule kPaloaltoFields[] = {
    {"generated_time", N::kTime},
    {"receive_time", N::kTime},
    {"TimeGenerated", N::kTime},
    {"TimeReceived", N::kTime},
    {"src", N::kSrcIp},
    {"dst", N::kDstIp},
    {"natsrc", N::kNatSrcIp},
    {"natdst", N::kNatDstIp},
    {"sport", N::kSrcPort},
    {"dport", N::kDstPort},
    {"natsport", N::kNatSrcPort},
    {"natdport", N::kNatDstPort},
    {"proto", N::kProtocol},
    {"action", N::kAction},
    {"bytes_sent", N::kBytesSent},
    {"bytes_received", N::kBytesReceived},
    {"elapsed", N::kDuration},
    {"rule", N::kRule},
    {"srcuser", N::kUser},
    {"url", N::kUrl},
    {"threatid", N::kThreat},
    {"severity", N::kSeverity},
    {"filedigest", N::kFileHash},
    {"user_agent", N::kUserAgent},
    {"type", N::kLogType},
    {"subtype", N::kLogSubtype},
    {"description", N::kMessage},
    {"SourceAddress", N::kSrcIp},
    {"DestinationAddress", N::kDstIp},
    {"NATSource", N::kNatSrcIp},
    {"NATDestination", N::kNatDstIp},
    {"SourcePort", N::kSrcPort},
    {"DestinationPort", N::kDstPort},
    {"NATSourcePort", N::kNatSrcPort},
    {"NATDestinationPort", N::kNatDstPort},
    {"Protocol", N::kProtocol},
    {"Action", N::kAction},
    {"Rule", N::kRule},
    {"SourceUser", N::kUser},
    {"URL", N::kUrl},
    {"BytesSent", N::kBytesSent},
    {"BytesReceived", N::kBytesReceived},
    {"ThreatName", N::kThreat},
    {"VendorSeverity", N::kSeverity},
    {"FileName", N::kFileName},
    {"FileSHA256", N::kFileHash},
    {"UserAgent", N::kUserAgent},
    {"LogType", N::kLogType},
    {"Subtype", N::kLogSubtype},
    {"SessionDuration", N::kDuration},
    {"PanOSThreatName", N::kThreat},
};
constexpr ActionWord kPaloaltoActions[] = {
    {"reset-both", "deny"}, {"block-url", "block"}, {"block-continue", "block"},
    {"continue", "allow"},  {"override", "allow"},  {"alert", "alert"},
};

// ---- Cisco ASA / FTD -----------------------------------------------------------------------
constexpr Signature kCiscoAsaSig[] = {
    {S::kCiscoTag, {}, {"cisco.message_id"}, {}, {}},
};
constexpr FieldRule kCiscoFields[] = {
    {"SrcIP", N::kSrcIp},
    {"DstIP", N::kDstIp},
    {"SrcPort", N::kSrcPort},
    {"DstPort", N::kDstPort},
    {"Protocol", N::kProtocol},
    {"AccessControlRuleAction", N::kAction},
    {"AccessControlRuleName", N::kRule},
    {"User", N::kUser},
    {"URL", N::kUrl},
    {"InitiatorBytes", N::kBytesSent},
    {"ResponderBytes", N::kBytesReceived},
    {"FirstPacketSecond", N::kTime},
    {"ConnectionDuration", N::kDuration},
    {"EventPriority", N::kSeverity},
    {"Message", N::kThreat},
    {"Classification", N::kLogSubtype},
    {"NAT_InitiatorIP", N::kNatSrcIp},
    {"NAT_InitiatorPort", N::kNatSrcPort},
    {"NAT_ResponderIP", N::kNatDstIp},
    {"NAT_ResponderPort", N::kNatDstPort},
    {"ClientApplication", N::kUserAgent},
    {"cisco.severity", N::kSeverity},
    {"cisco.message_id", N::kLogSubtype},
    {"cisco.facility", N::kLogType},
};

// ---- Suricata EVE ---------------------------------------------------------------------------
constexpr Signature kSuricataSig[] = {
    {S::kJson, {}, {"event_type", "timestamp"}, {}, {}},
    {S::kJson, {}, {"suricata.eve.event_type"}, {}, {}},
};
constexpr FieldRule kSuricataFields[] = {
    {"timestamp", N::kTime},
    {"src_ip", N::kSrcIp},
    {"src_port", N::kSrcPort},
    {"dest_ip", N::kDstIp},
    {"dest_port", N::kDstPort},
    {"proto", N::kProtocol},
    {"event_type", N::kLogType},
    {"alert.action", N::kAction},
    {"alert.signature", N::kThreat},
    {"alert.severity", N::kSeverity},
    {"alert.signature_id", N::kRule},
    {"alert.category", N::kLogSubtype},
    {"http.hostname", N::kHost},
    {"http.url", N::kUrl},
    {"http.http_method", N::kMethod},
    {"http.status", N::kStatus},
    {"http.http_user_agent", N::kUserAgent},
    {"flow.bytes_toserver", N::kBytesSent},
    {"flow.bytes_toclient", N::kBytesReceived},
    {"tls.sni", N::kHost},
    {"dns.rrname", N::kHost},
    {"dns.query.0.rrname", N::kHost},
    {"fileinfo.filename", N::kFileName},
    {"fileinfo.sha256", N::kFileHash},
    {"smb.filename", N::kFileName},
};
constexpr ActionWord kSuricataActions[] = {{"allowed", "alert"}, {"blocked", "block"}};

// ---- Zscaler Internet Access (NSS feeds) ---------------------------------------------------
constexpr Signature kZscalerSig[] = {
    {S::kJson, {}, {"sourcetype"}, {"sourcetype", "zscalernss"}, {}},
};
constexpr FieldRule kZscalerFields[] = {
    {"event.datetime", N::kTime},
    {"event.time", N::kTime},
    {"event.ClientIP", N::kSrcIp},
    {"event.clientip", N::kSrcIp},
    {"event.csip", N::kSrcIp},
    {"event.clt_sip", N::kSrcIp},
    {"event.serverip", N::kDstIp},
    {"event.cdip", N::kDstIp},
    {"event.srv_dip", N::kDstIp},
    {"event.csport", N::kSrcPort},
    {"event.cdport", N::kDstPort},
    {"event.srv_dport", N::kDstPort},
    {"event.ssip", N::kNatSrcIp},
    {"event.ssport", N::kNatSrcPort},
    {"event.sdip", N::kNatDstIp},
    {"event.sdport", N::kNatDstPort},
    {"event.proto", N::kProtocol},
    {"event.url", N::kUrl},
    {"event.hostname", N::kHost},
    {"event.dns_req", N::kHost},
    {"event.user", N::kUser},
    {"event.login", N::kUser},
    {"event.action", N::kAction},
    {"event.reqaction", N::kAction},
    {"event.requestmethod", N::kMethod},
    {"event.status", N::kStatus},
    {"event.useragent", N::kUserAgent},
    {"event.threatname", N::kThreat},
    {"event.requestsize", N::kBytesSent},
    {"event.responsesize", N::kBytesReceived},
    {"event.inbytes", N::kBytesSent},
    {"event.outbytes", N::kBytesReceived},
    {"event.rulelabel", N::kRule},
    {"event.reqrulelabel", N::kRule},
    {"event.duration", N::kDuration},
    {"event.filename", N::kFileName},
    {"event.bamd5", N::kFileHash},
    {"sourcetype", N::kLogType},
    {"event.urlcategory", N::kLogSubtype},
};

// ---- Trend Micro (Apex One / Apex Central / Deep Security CEF; pccnt35.log) ---------------
constexpr Signature kTrendSig[] = {
    {S::kCef, "Trend Micro", {}, {}, {}},
    {S::kCsv, {}, {"trend.threat"}, {}, {}},
    {S::kLeef, "Trend Micro", {}, {}, {}},
};
constexpr FieldRule kTrendFields[] = {
    {"TrendMicroDsFileMD5", N::kFileHash},
    {"TrendMicroDsFileSHA1", N::kFileHash},
    {"TrendMicroDsFileSHA256", N::kFileHash},
    {"TrendMicroDsMalwareTarget", N::kNone},
    {"fileHash", N::kFileHash},
    {"filePath", N::kFileName},
    {"fname", N::kFileName},
    {"cs1", N::kNone},
    {"trend.epoch", N::kEpoch},
    {"trend.date", N::kTime},
    {"trend.threat", N::kThreat},
    {"trend.action", N::kAction},
    {"trend.file", N::kFileName},
    {"cef.name", N::kThreat},
    {"cat", N::kLogType},
};
constexpr std::string_view kTrendPrefixes[] = {"TrendMicroDs"};
constexpr ActionWord kTrendActions[] = {
    {"10", "alert"}, {"2", "block"}, {"1", "block"}, {"3", "block"}, {"4", "block"},
};

// ---- Symantec Endpoint Protection (SEPM syslog export) ---------------------------------------
constexpr Signature kSepSig[] = {
    {S::kColonKv, {}, {"Server Name", "Domain Name"}, {}, {}},
    {S::kColonKv, {}, {"Risk name", "File path"}, {}, {}},
    {S::kColonKv, {}, {"Local Host IP", "Remote Host IP"}, {}, {}},
    {S::kColonKv, {}, {"Begin", "End Time"}, {}, {}},
    {S::kCsv, {}, {"sep.time", "sep.event_code"}, {}, {}},
};
constexpr FieldRule kSepFields[] = {
    {"Event time", N::kTime},
    {"Begin", N::kTime},
    {"Event Insert Time", N::kTime},
    {"Local Host IP", N::kSrcIp},
    {"Remote Host IP", N::kDstIp},
    {"Local Port", N::kSrcPort},
    {"Remote Port", N::kDstPort},
    {"IP Address", N::kSrcIp},
    {"Risk name", N::kThreat},
    {"CIDS Signature string", N::kThreat},
    {"File path", N::kFileName},
    {"Actual action", N::kAction},
    {"User Name", N::kUser},
    {"SHA-256", N::kFileHash},
    {"Application hash", N::kFileHash},
    {"Intrusion URL", N::kUrl},
    {"Event Description", N::kMessage},
    {"Rule", N::kRule},
    {"Action Type", N::kAction},
    {"sep.time", N::kPackedHexTime},
    {"sep.virus", N::kThreat},
    {"sep.file_path", N::kFileName},
    {"sep.user", N::kUser},
    {"sep.remote_ip", N::kDstIp},
    {"sep.description", N::kMessage},
    {"sep.action1", N::kAction},
};
constexpr ActionWord kSepActions[] = {
    {"1", "block"},          {"2", "block"},
    {"3", "block"},          {"4", "alert"},
    {"5", "block"},          {"quarantined", "block"},
    {"cleaned", "block"},    {"deleted", "block"},
    {"left alone", "alert"}, {"action invalid", "alert"},
    {"blocked", "block"},    {"process terminated", "block"},
};

// ---- McAfee / Trellix (ePO XML events, VSE AccessProtectionLog) -----------------------------
constexpr Signature kMcafeeSig[] = {
    {S::kXml, {}, {"AgentGUID"}, {}, {}},
    {S::kXml, {}, {"MachineName"}, {}, {}},
    {S::kCsv, {}, {"mcafee.rule"}, {}, {}},
};
constexpr FieldRule kMcafeeFields[] = {
    {"GMTTime", N::kTime},
    {"DetectedUTC", N::kTime},
    {"ThreatName", N::kThreat},
    {"ThreatSeverity", N::kSeverity},
    {"ThreatActionTaken", N::kAction},
    {"TargetFileName", N::kFileName},
    {"TargetUserName", N::kUser},
    {"SourceIPV4", N::kSrcIp},
    {"TargetIPV4", N::kDstIp},
    {"TargetPort", N::kDstPort},
    {"SourceURL", N::kUrl},
    {"TargetHash", N::kFileHash},
    {"ThreatCategory", N::kLogSubtype},
    {"EventID", N::kLogType},
    {"mcafee.time", N::kTime},
    {"mcafee.status", N::kAction},
    {"mcafee.user", N::kUser},
    {"mcafee.process", N::kNone},
    {"mcafee.target", N::kFileName},
    {"mcafee.rule", N::kRule},
};
constexpr ActionWord kMcafeeActions[] = {
    {"blocked by access protection rule", "block"},
    {"would be blocked by access protection rule", "alert"},
    {"ia_block", "block"},
    {"ia_alert", "alert"},
    {"deleted", "block"},
};

// ---- Blue Coat / Symantec ProxySG (ELFF key=value) --------------------------------------------
constexpr Signature kBluecoatSig[] = {
    {S::kKv, {}, {"c-ip", "cs-host", "s-action"}, {}, {}},
    {S::kKv, {}, {"c-ip", "sc-filter-result"}, {}, {}},
};
constexpr FieldRule kBluecoatFields[] = {
    {"duration", N::kDuration},
    {"sc-filter-result", N::kAction},
    {"s-action", N::kAction},
    {"cs-categories", N::kLogSubtype},
};

// ---- Squid ---------------------------------------------------------------------------------
constexpr Signature kSquidSig[] = {
    {S::kSquid, {}, {"squid.result_code"}, {}, {}},
    {S::kClf, {}, {"clf.client"}, {}, {}},
};
constexpr FieldRule kSquidFields[] = {
    {"squid.client", N::kSrcIp},
    {"squid.status", N::kStatus},
    {"squid.bytes", N::kBytesReceived},
    {"squid.method", N::kMethod},
    {"squid.url", N::kUrl},
    {"squid.user", N::kUser},
    {"squid.elapsed", N::kDurationMs},
    {"squid.result_code", N::kAction},
    {"squid.user_agent", N::kUserAgent},
    {"clf.client", N::kSrcIp},
    {"clf.user", N::kUser},
    {"clf.method", N::kMethod},
    {"clf.url", N::kUrl},
    {"clf.status", N::kStatus},
    {"clf.bytes", N::kBytesReceived},
    {"clf.user_agent", N::kUserAgent},
    {"squid.peer", N::kDstIp},
};
constexpr ActionWord kSquidActions[] = {
    {"tcp_denied", "deny"},
    {"none", "allow"},
    {"tcp_refresh_modified", "allow"},
    {"tcp_mem_hit", "allow"},
    {"tcp_refresh_unmodified", "allow"},
    {"tcp_inm_hit", "allow"},
};

// ---- Windows Firewall (pfirewall.log) ---------------------------------------------------------
constexpr Signature kWinFwSig[] = {
    {S::kW3c, {}, {"src-ip", "dst-ip", "tcpflags"}, {}, {}},
};
constexpr FieldRule kWinFwFields[] = {
    {"size", N::kNone},
    {"path", N::kLogSubtype},
    {"action", N::kAction},
};

// ---- Yamaha RTX (router syslog; no public sample: built from the format as documented) ------
constexpr Signature kYamahaSig[] = {
    {S::kText, {}, {}, {}, "[INSPECT]"},
    {S::kText, {}, {}, {}, "[NAT("},
    {S::kText, {}, {}, {}, "[DHCPD]"},
    {S::kText, {}, {}, {}, "Rejected at "},
};
constexpr FieldRule kYamahaFields[] = {
    {"message", N::kMessage},
};
constexpr ActionWord kYamahaActions[] = {{"rejected", "deny"}, {"inspect", "allow"}};

// ---- Windows Defender (MPLog, DetectionHistory) ------------------------------------------------
constexpr Signature kDefenderSig[] = {
    {S::kMplog, {}, {}, {}, {}},
    {S::kDetectionHistory, {}, {}, {}, {}},
};
constexpr FieldRule kDefenderFields[] = {
    {"defender.time", N::kTime},     {"defender.start_time", N::kTime},
    {"defender.threat", N::kThreat}, {"defender.file", N::kFileName},
    {"defender.action", N::kAction}, {"defender.kind", N::kLogType},
    {"defender.user", N::kUser},     {"defender.sha256", N::kFileHash},
    {"defender.process", N::kNone},
};

constexpr Product kProducts[] = {
    {"fortigate", "Fortinet FortiGate (FortiOS key=value, CSV form and CEF)", kFortigateSig,
     kFortigateFields, kFortigatePrefixes, kFortigateActions},
    {"sonicwall", "SonicWall SonicOS (key=value and CEF)", kSonicwallSig, kSonicwallFields, {}, {}},
    {"sophos_xg",
     "Sophos Firewall (SFOS/XG key=value)",
     kSophosXgSig,
     kSophosXgFields,
     {},
     kSophosActions},
    {"sophos_utm", "Sophos UTM 9 (key=value)", kSophosUtmSig, kSophosUtmFields, {}, {}},
    {"sophos_central",
     "Sophos Central SIEM export (JSON)",
     kSophosCentralSig,
     kSophosCentralFields,
     {},
     {}},
    {"paloalto",
     "Palo Alto Networks PAN-OS (syslog CSV, CEF, JSON)",
     kPaloaltoSig,
     kPaloaltoFields,
     {},
     kPaloaltoActions},
    {"cisco_asa",
     "Cisco ASA / Firepower Threat Defense (%ASA-/%FTD- messages)",
     kCiscoAsaSig,
     kCiscoFields,
     {},
     {}},
    {"suricata", "Suricata EVE JSON", kSuricataSig, kSuricataFields, {}, kSuricataActions},
    {"zscaler", "Zscaler Internet Access NSS feeds (JSON)", kZscalerSig, kZscalerFields, {}, {}},
    {"trendmicro", "Trend Micro Apex One/Central, Deep Security (CEF), pccnt35.log", kTrendSig,
     kTrendFields, kTrendPrefixes, kTrendActions},
    {"symantec_sep",
     "Symantec Endpoint Protection Manager syslog export",
     kSepSig,
     kSepFields,
     {},
     kSepActions},
    {"mcafee_trellix",
     "McAfee/Trellix ePO events (XML), VSE AccessProtectionLog",
     kMcafeeSig,
     kMcafeeFields,
     {},
     kMcafeeActions},
    {"bluecoat_proxysg",
     "Blue Coat / Symantec ProxySG (ELFF key=value)",
     kBluecoatSig,
     kBluecoatFields,
     {},
     {}},
    {"squid",
     "Squid access.log (native and common formats)",
     kSquidSig,
     kSquidFields,
     {},
     kSquidActions},
    {"windows_firewall", "Windows Firewall pfirewall.log (W3C)", kWinFwSig, kWinFwFields, {}, {}},
    {"yamaha_rtx", "Yamaha RTX router syslog", kYamahaSig, kYamahaFields, {}, kYamahaActions},
    {"windows_defender",
     "Windows Defender MPLog and DetectionHistory",
     kDefenderSig,
     kDefenderFields,
     {},
     {}},
};

// ---- header-less column lists ---------------------------------------------------------------
// PAN-OS syslog field order (PAN-OS 10.x "Syslog Field Descriptions"); the first columns are
// the same for every log type, so one list per type covers PAN-OS 8 to 11 as far as it goes.
constexpr std::string_view kPanTraffic[] = {"future_use1",
                                            "receive_time",
                                            "serial",
                                            "type",
                                            "subtype",
                                            "future_use2",
                                            "generated_time",
                                            "src",
                                            "dst",
                                            "natsrc",
                                            "natdst",
                                            "rule",
                                            "srcuser",
                                            "dstuser",
                                            "app",
                                            "vsys",
                                            "from",
                                            "to",
                                            "inbound_if",
                                            "outbound_if",
                                            "logset",
                                            "future_use3",
                                            "sessionid",
                                            "repeatcnt",
                                            "sport",
                                            "dport",
                                            "natsport",
                                            "natdport",
                                            "flags",
                                            "proto",
                                            "action",
                                            "bytes",
                                            "bytes_sent",
                                            "bytes_received",
                                            "packets",
                                            "start",
                                            "elapsed",
                                            "category",
                                            "future_use4",
                                            "seqno",
                                            "actionflags",
                                            "srcloc",
                                            "dstloc",
                                            "future_use5",
                                            "pkts_sent",
                                            "pkts_received",
                                            "session_end_reason",
                                            "dg_hier_level_1",
                                            "dg_hier_level_2",
                                            "dg_hier_level_3",
                                            "dg_hier_level_4",
                                            "vsys_name",
                                            "device_name",
                                            "action_source"};
constexpr std::string_view kPanThreat[] = {"future_use1",
                                           "receive_time",
                                           "serial",
                                           "type",
                                           "subtype",
                                           "future_use2",
                                           "generated_time",
                                           "src",
                                           "dst",
                                           "natsrc",
                                           "natdst",
                                           "rule",
                                           "srcuser",
                                           "dstuser",
                                           "app",
                                           "vsys",
                                           "from",
                                           "to",
                                           "inbound_if",
                                           "outbound_if",
                                           "logset",
                                           "future_use3",
                                           "sessionid",
                                           "repeatcnt",
                                           "sport",
                                           "dport",
                                           "natsport",
                                           "natdport",
                                           "flags",
                                           "proto",
                                           "action",
                                           "url",
                                           "threatid",
                                           "category",
                                           "severity",
                                           "direction",
                                           "seqno",
                                           "actionflags",
                                           "srcloc",
                                           "dstloc",
                                           "future_use4",
                                           "contenttype",
                                           "pcap_id",
                                           "filedigest",
                                           "cloud",
                                           "url_idx",
                                           "user_agent",
                                           "filetype",
                                           "xff",
                                           "referer",
                                           "sender",
                                           "subject",
                                           "recipient",
                                           "reportid",
                                           "dg_hier_level_1",
                                           "dg_hier_level_2",
                                           "dg_hier_level_3",
                                           "dg_hier_level_4",
                                           "vsys_name",
                                           "device_name"};
constexpr std::string_view kPanSystem[] = {
    "future_use1",     "receive_time",    "serial",          "type",
    "subtype",         "future_use2",     "generated_time",  "vsys",
    "eventid",         "object",          "future_use3",     "future_use4",
    "module",          "severity",        "description",     "seqno",
    "actionflags",     "dg_hier_level_1", "dg_hier_level_2", "dg_hier_level_3",
    "dg_hier_level_4", "vsys_name",       "device_name"};
constexpr std::string_view kPanConfig[] = {"future_use1",
                                           "receive_time",
                                           "serial",
                                           "type",
                                           "subtype",
                                           "future_use2",
                                           "generated_time",
                                           "host",
                                           "vsys",
                                           "cmd",
                                           "admin",
                                           "client",
                                           "result",
                                           "path",
                                           "before_change_detail",
                                           "after_change_detail",
                                           "seqno",
                                           "actionflags",
                                           "dg_hier_level_1",
                                           "dg_hier_level_2",
                                           "dg_hier_level_3",
                                           "dg_hier_level_4",
                                           "vsys_name",
                                           "device_name"};
constexpr std::string_view kPanUserid[] = {"future_use1",
                                           "receive_time",
                                           "serial",
                                           "type",
                                           "subtype",
                                           "future_use2",
                                           "generated_time",
                                           "vsys",
                                           "src",
                                           "user",
                                           "datasourcename",
                                           "eventid",
                                           "repeatcnt",
                                           "timeout",
                                           "sport",
                                           "dport",
                                           "datasource",
                                           "datasourcetype",
                                           "seqno",
                                           "actionflags",
                                           "dg_hier_level_1",
                                           "dg_hier_level_2",
                                           "dg_hier_level_3",
                                           "dg_hier_level_4",
                                           "vsys_name",
                                           "device_name"};
constexpr std::string_view kPanAuth[] = {
    "future_use1",    "receive_time", "serial", "type",     "subtype",        "future_use2",
    "generated_time", "vsys",         "src",    "user",     "normalize_user", "object",
    "authpolicy",     "repeatcnt",    "authid", "vendor",   "logset",         "serverprofile",
    "desc",           "clienttype",   "event",  "factorno", "seqno",          "actionflags"};
constexpr std::string_view kPanGlobalProtect[] = {
    "future_use1",    "receive_time",   "serial",     "type",          "subtype",
    "future_use2",    "generated_time", "vsys",       "eventid",       "stage",
    "auth_method",    "tunnel_type",    "srcuser",    "srcregion",     "machinename",
    "public_ip",      "public_ipv6",    "private_ip", "private_ipv6",  "hostid",
    "serialnumber",   "client_ver",     "client_os",  "client_os_ver", "repeatcnt",
    "reason",         "error",          "opaque",     "status",        "location",
    "login_duration", "connect_method", "error_code", "portal",        "seqno",
    "actionflags"};
// Trend Micro OfficeScan/Apex One client virus log (pccnt35.log), as plaso documents it.
constexpr std::string_view kTrendPccnt[] = {"trend.date",   "trend.time",      "trend.threat",
                                            "trend.action", "trend.scan_type", "trend.unknown1",
                                            "trend.path",   "trend.file",      "trend.unknown2",
                                            "trend.epoch",  "trend.unknown3",  "trend.unknown4"};
// Symantec Endpoint Protection client log (Logs\AV\*.Log), the first columns of the
// documented layout (SEP "Log file format" KB); the rest are kept by position.
constexpr std::string_view kSepLocal[] = {
    "sep.time",           "sep.event_code",     "sep.category",
    "sep.logger",         "sep.hostname",       "sep.user",
    "sep.virus",          "sep.file_path",      "sep.action1",
    "sep.action2",        "sep.action0",        "sep.virus_type",
    "sep.flags",          "sep.description",    "sep.scan_id",
    "sep.new_ext",        "sep.group_id",       "sep.event_data",
    "sep.vbin_id",        "sep.virus_id",       "sep.quarantine_forward_status",
    "sep.access",         "sep.sdn_status",     "sep.compressed",
    "sep.depth",          "sep.still_infected", "sep.def_info",
    "sep.def_sequence",   "sep.clean_info",     "sep.delete_info",
    "sep.backup_id",      "sep.parent",         "sep.guid",
    "sep.client_group",   "sep.address",        "sep.domain_name",
    "sep.nt_domain",      "sep.mac_address",    "sep.version",
    "sep.remote_machine", "sep.remote_ip"};
// McAfee VirusScan Enterprise AccessProtectionLog.txt (TAB separated, no header).
constexpr std::string_view kMcafeeAccess[] = {"mcafee.date", "mcafee.clock",   "mcafee.status",
                                              "mcafee.user", "mcafee.process", "mcafee.target",
                                              "mcafee.rule", "mcafee.action"};

constexpr ColumnLayout kLayouts[] = {
    {"paloalto", ",", "TRAFFIC", 3, kPanTraffic, "traffic"},
    {"paloalto", ",", "THREAT", 3, kPanThreat, "threat"},
    {"paloalto", ",", "SYSTEM", 3, kPanSystem, "system"},
    {"paloalto", ",", "CONFIG", 3, kPanConfig, "config"},
    {"paloalto", ",", "USERID", 3, kPanUserid, "userid"},
    {"paloalto", ",", "AUTH", 3, kPanAuth, "auth"},
    {"paloalto", ",", "GLOBALPROTECT", 3, kPanGlobalProtect, "globalprotect"},
    {"trendmicro", "<;>", {}, 0, kTrendPccnt, "virus"},
    {"mcafee_trellix", "\t", {}, 0, kMcafeeAccess, "access_protection"},
    {"symantec_sep", ",", {}, 0, kSepLocal, "av_log"},
};

// KEY (not empty) is F's name: the size and first byte compared inline before the bytes
// (product detection and get() compare a name with every field of a line, most of them of
// the same few sizes: a memcmp call each was ~1 % of the tool).
bool is_named(const Field& f, std::string_view key) {
  return f.key.size() == key.size() && f.key[0] == key[0] && f.key == key;
}

bool has_key(const ParsedLine& p, std::string_view key) {
  for (const auto& f : p.fields)
    if (is_named(f, key)) return true;
  return false;
}

bool matches(const Signature& s, const ParsedLine& p) {
  if (s.syntax != Syntax::kNone && s.syntax != p.syntax) return false;
  if (!s.vendor.empty()) {
    if (p.cef_vendor.size() < s.vendor.size()) return false;
    bool found = false;
    for (std::size_t i = 0; i + s.vendor.size() <= p.cef_vendor.size() && !found; ++i)
      found = iequals(p.cef_vendor.substr(i, s.vendor.size()), s.vendor);
    if (!found) return false;
  }
  for (auto k : s.keys)
    if (!k.empty() && !has_key(p, k)) return false;
  if (!s.key_value[0].empty()) {
    const std::string_view v = p.get(s.key_value[0]);
    if (!istarts_with(v, s.key_value[1])) return false;
  }
  if (!s.payload_prefix.empty() && p.payload.find(s.payload_prefix) == std::string_view::npos)
    return false;
  return true;
}

}  // namespace

std::span<const Product> products() {
  return kProducts;
}
std::span<const FieldRule> generic_fields() {
  return kGeneric;
}
std::span<const ActionWord> generic_actions() {
  return kGenericActions;
}
std::span<const ColumnLayout> column_layouts() {
  return kLayouts;
}

const Product* find_product(std::string_view name) {
  for (const auto& p : kProducts)
    if (p.name == name) return &p;
  return nullptr;
}

const Product* detect_product(const ParsedLine& p, const Product* hint) {
  if (hint) {
    for (const auto& s : hint->signatures)
      if (matches(s, p)) return hint;
  }
  for (const auto& prod : kProducts)
    for (const auto& s : prod.signatures)
      if (matches(s, p)) return &prod;
  return nullptr;
}

std::string_view ParsedLine::get(std::string_view key) const {
  if (key.empty()) {
    for (const auto& f : fields)
      if (f.key.empty()) return f.value;
    return {};
  }
  for (const auto& f : fields)
    if (is_named(f, key)) return f.value;
  return {};
}

}  // namespace kk::netlog
