// TaskCache "Actions" value of a scheduled task (SOFTWARE\...\Schedule\TaskCache\Tasks\{id}):
// a version word, on newer systems the principal ("context") the task runs as, then the
// actions, each introduced by a magic word (0x6666 exec, 0x7777 COM handler, 0x8888 e-mail,
// 0x9999 message box).
#pragma once

#include <string>
#include <vector>

#include "core/byte_reader.hpp"

namespace kk::registry {

struct TaskAction {
  std::string type;  // "exec", "com_handler", "send_email", "show_message", "unknown"
  std::string command, arguments, working_directory;
  std::string clsid, data;
};

struct TaskActions {
  std::uint16_t version = 0;
  std::string context;
  std::vector<TaskAction> actions;
  std::vector<std::string> problems;
};

TaskActions decode_task_actions(Bytes blob);

}  // namespace kk::registry
