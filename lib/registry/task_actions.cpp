#include "registry/task_actions.hpp"

#include "core/utf.hpp"
#include "core/windows_types.hpp"

namespace kk::registry {

namespace {

bool is_action_magic(std::uint16_t m) {
  return m == 0x6666 || m == 0x7777 || m == 0x8888 || m == 0x9999;
}

// Length-prefixed (u32 byte count) UTF-16LE string.
std::string counted_string(ByteCursor& c) {
  std::uint32_t n = c.u32();
  if (n > c.remaining()) {
    c.skip(c.remaining() + 1);  // forces the sticky error
    return {};
  }
  return utf16le_to_utf8(c.take(n), true);
}

}  // namespace

TaskActions decode_task_actions(Bytes blob) {
  TaskActions out;
  ByteReader r(blob);
  ByteCursor c(r);
  out.version = c.u16();
  if (!c.ok()) return out;
  // The context string is absent in the oldest layout: then an action magic follows at once.
  if (c.remaining() >= 2 && !is_action_magic(*r.u16(c.pos()))) out.context = counted_string(c);
  while (c.ok() && c.remaining() >= 2) {
    std::size_t at = c.pos();
    std::uint16_t magic = c.u16();
    TaskAction a;
    a.data = std::string();
    std::string id = counted_string(c);  // action id, usually empty
    (void)id;
    switch (magic) {
      case 0x6666:
        a.type = "exec";
        a.command = counted_string(c);
        a.arguments = counted_string(c);
        a.working_directory = counted_string(c);
        if (out.version >= 3) c.u16();  // flags
        break;
      case 0x7777: {
        a.type = "com_handler";
        Bytes g = c.take(16);
        a.clsid = format_guid(g);
        a.data = counted_string(c);
        break;
      }
      case 0x8888:
        a.type = "send_email";
        for (int i = 0; i < 6; ++i) a.data += (i ? "|" : "") + counted_string(c);
        break;
      case 0x9999:
        a.type = "show_message";
        a.data = counted_string(c);
        a.data += "|" + counted_string(c);
        break;
      default:
        out.problems.push_back("unknown action magic " + format_hex(magic, 4) + " at offset " +
                               std::to_string(at));
        return out;
    }
    if (!c.ok()) {
      out.problems.push_back("action at offset " + std::to_string(at) + " truncated");
      break;
    }
    out.actions.push_back(std::move(a));
  }
  return out;
}

}  // namespace kk::registry
