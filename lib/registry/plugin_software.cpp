// SOFTWARE hive: OS facts, machine-wide autostart points, TaskCache scheduled tasks,
// ProfileList (SID -> user) and Defender exclusions.
#include "core/windows_types.hpp"
#include "registry/plugin.hpp"
#include "registry/task_actions.hpp"
#include "registry/value_data.hpp"

namespace kk::registry {

namespace {

void os_facts(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string p = "Microsoft\\Windows NT\\CurrentVersion";
  auto k = h.find(p);
  if (!k) return;
  auto fact = [&](std::string_view name, const std::string& value) {
    Record r(ctx, "system_info", *k, p);
    r.w().field("name", name).field("value", value);
    r.finish();
  };
  for (const char* n :
       {"ProductName", "EditionID", "DisplayVersion", "ReleaseId", "CurrentBuild", "CurrentVersion",
        "CSDVersion", "RegisteredOwner", "RegisteredOrganization", "SystemRoot", "BuildLabEx"})
    if (auto v = h.string_value(*k, n); v && !v->empty()) fact(n, *v);
  if (auto ubr = h.integer_value(*k, "UBR")) fact("UBR", std::to_string(*ubr));
  // InstallDate: seconds since 1970 (DWORD); InstallTime: FILETIME (QWORD), Windows 10+.
  if (auto d = h.integer_value(*k, "InstallDate"); d && *d)
    fact("InstallDate", format_iso(from_unix_seconds(static_cast<std::int64_t>(*d))));
  if (auto t = h.integer_value(*k, "InstallTime"))
    if (auto u = from_filetime(*t)) fact("InstallTime", format_iso(*u));
}

void autorun_values(PluginContext& ctx, const std::string& path, std::string_view location) {
  const Hive& h = ctx.hive;
  auto k = h.find(path);
  if (!k) return;
  std::vector<std::uint8_t> scratch;
  for (auto& v : h.values(*k)) {
    Bytes d = h.value_data(v, scratch);
    auto s = value_as_string(d, v.type);
    if (!s) continue;
    Record r(ctx, "autorun", *k, path);
    r.w().field("location", location).field("name", v.name).field("command", *s);
    r.finish();
  }
}

void autorun_value(PluginContext& ctx, const std::string& path, std::string_view value,
                   std::string_view location) {
  const Hive& h = ctx.hive;
  auto k = h.find(path);
  if (!k) return;
  auto s = h.string_value(*k, value);
  if (!s || s->empty()) return;
  Record r(ctx, "autorun", *k, path);
  r.w().field("location", location).field("name", value).field("command", *s);
  r.finish();
}

void machine_autoruns(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  for (std::string prefix : {"", "Wow6432Node\\"}) {
    std::string cv = prefix + "Microsoft\\Windows\\CurrentVersion\\";
    for (const char* run :
         {"Run", "RunOnce", "RunServices", "RunServicesOnce", "Policies\\Explorer\\Run"})
      autorun_values(ctx, cv + run, run);
    std::string nt = prefix + "Microsoft\\Windows NT\\CurrentVersion\\";
    autorun_value(ctx, nt + "Winlogon", "Shell", "Winlogon\\Shell");
    autorun_value(ctx, nt + "Winlogon", "Userinit", "Winlogon\\Userinit");
    autorun_value(ctx, nt + "Winlogon", "Taskman", "Winlogon\\Taskman");
    autorun_value(ctx, nt + "Windows", "AppInit_DLLs", "AppInit_DLLs");
    // Image File Execution Options: a Debugger value runs instead of the named program.
    std::string ifeo = nt + "Image File Execution Options";
    if (auto k = h.find(ifeo))
      for (auto& exe : h.subkeys(*k)) {
        ++ctx.keys;
        if (auto dbg = h.string_value(exe, "Debugger"); dbg && !dbg->empty()) {
          Record r(ctx, "autorun", exe, ifeo + "\\" + exe.name);
          r.w().field("location", "IFEO\\Debugger").field("name", exe.name).field("command", *dbg);
          r.finish();
        }
      }
    std::string as = prefix + "Microsoft\\Active Setup\\Installed Components";
    if (auto k = h.find(as))
      for (auto& comp : h.subkeys(*k)) {
        ++ctx.keys;
        if (auto stub = h.string_value(comp, "StubPath"); stub && !stub->empty()) {
          Record r(ctx, "autorun", comp, as + "\\" + comp.name);
          r.w().field("location", "Active Setup").field("name", comp.name).field("command", *stub);
          r.finish();
        }
      }
  }
}

// TaskCache\Tasks\{GUID}: Path, Actions (binary), DynamicInfo (created, last run, last
// successful run as FILETIMEs at 4, 12 and 28 when the blob is long enough).
void scheduled_tasks(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string base = "Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tasks";
  auto tasks = h.find(base);
  if (!tasks) return;
  std::vector<std::uint8_t> scratch;
  for (auto& t : h.subkeys(*tasks)) {
    ++ctx.keys;
    Record r(ctx, "scheduled_task", t, base + "\\" + t.name);
    r.w().field("id", t.name);
    r.optional_string("task_path", h.string_value(t, "Path"));
    r.optional_string("author", h.string_value(t, "Author"));
    r.optional_string("description", h.string_value(t, "Description"));
    std::optional<UtcMicros> created, last_run, last_success;
    if (auto dyn = h.value(t, "DynamicInfo")) {
      Bytes d = h.value_data(*dyn, scratch);
      created = filetime_at(d, 4);
      last_run = filetime_at(d, 12);
      if (d.size() >= 36) last_success = filetime_at(d, 28);
    }
    r.time_field("created", created);
    r.time_field("last_run", last_run);
    r.time_field("last_successful_run", last_success);
    r.w().key("actions").begin_array();
    std::optional<std::string> context;
    if (auto act = h.value(t, "Actions")) {
      TaskActions ta = decode_task_actions(h.value_data(*act, scratch));
      if (!ta.context.empty()) context = ta.context;
      for (auto& a : ta.actions) {
        r.w().begin_object().field("type", a.type);
        if (a.type == "exec")
          r.w()
              .field("command", a.command)
              .field("arguments", a.arguments)
              .field("working_directory", a.working_directory);
        else if (a.type == "com_handler")
          r.w().field("clsid", a.clsid).field("data", a.data);
        r.w().end_object();
      }
      for (auto& p : ta.problems)
        h.warn(act->data_offset, "TaskCache actions of " + t.name + ": " + p);
    }
    r.w().end_array();
    r.optional_string("run_as", context);
    r.finish();
  }
}

void profiles(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  std::string base = "Microsoft\\Windows NT\\CurrentVersion\\ProfileList";
  auto list = h.find(base);
  if (!list) return;
  for (auto& sid : h.subkeys(*list)) {
    ++ctx.keys;
    auto path = h.string_value(sid, "ProfileImagePath");
    Record r(ctx, "user_profile", sid, base + "\\" + sid.name);
    r.w().field("sid", sid.name);
    r.optional_string("profile_path", path);
    std::optional<std::string> user;
    if (path) {
      auto p = path->find_last_of('\\');
      user = p == std::string::npos ? *path : path->substr(p + 1);
    }
    r.optional_string("user", user);
    // Windows 10+: load/unload times split into High/Low DWORDs of a FILETIME.
    auto split_time = [&](const char* hi, const char* lo) -> std::optional<UtcMicros> {
      auto a = h.integer_value(sid, hi), b = h.integer_value(sid, lo);
      if (!a || !b) return std::nullopt;
      return from_filetime((*a << 32) | (*b & 0xFFFFFFFFu));
    };
    r.time_field("last_load", split_time("LocalProfileLoadTimeHigh", "LocalProfileLoadTimeLow"));
    r.time_field("last_unload",
                 split_time("LocalProfileUnloadTimeHigh", "LocalProfileUnloadTimeLow"));
    r.finish();
  }
}

void defender_exclusions(PluginContext& ctx) {
  const Hive& h = ctx.hive;
  for (std::string base : {"Microsoft\\Windows Defender\\Exclusions",
                           "Policies\\Microsoft\\Windows Defender\\Exclusions"}) {
    bool policy = base.starts_with("Policies");
    for (const char* kind : {"Paths", "Extensions", "Processes", "IpAddresses", "TemporaryPaths"}) {
      std::string p = base + "\\" + kind;
      auto k = h.find(p);
      if (!k) continue;
      for (auto& v : h.values(*k)) {
        if (v.name.empty()) continue;
        Record r(ctx, "defender_exclusion", *k, p);
        r.w().field("exclusion_type", kind).field("value", v.name).field("policy", policy);
        r.finish();
      }
    }
  }
}

}  // namespace

void run_software_plugins(PluginContext& ctx) {
  os_facts(ctx);
  machine_autoruns(ctx);
  scheduled_tasks(ctx);
  profiles(ctx);
  defender_exclusions(ctx);
  run_network_profiles(ctx);
  run_emdmgmt(ctx);
}

}  // namespace kk::registry
