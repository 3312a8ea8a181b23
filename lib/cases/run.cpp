// cases run CASEDIR: triage every PC not yet done, several at once, into CASEDIR/<HOST>/;
// then the case-level notice across PCs.
//
// Each PC is claimed in the registry first (a conditional UPDATE: of two `cases run` on one
// case, exactly one gets it), so two runs share the work instead of doing it twice. A PC's
// triage runs as its own `triage` process: a bundle that crashes or exhausts memory ends
// that PC's run only, and the registry records it as failed. A claim whose process is gone
// (a run killed mid-way on this machine) is taken over; a PC whose triage finished is skipped.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include "cases/case_folder.hpp"
#include "cases/commands.hpp"
#include "cases/documents.hpp"
#include "cases/tree.hpp"
#include "core/case_dir.hpp"
#include "core/hash.hpp"
#include "core/parallel.hpp"

extern char** environ;

namespace kk::cases {
namespace {

std::string machine_name() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

// "<machine>:<pid>": who holds a claim.
std::string claimant() {
  return machine_name() + ":" + std::to_string(::getpid());
}

// A claim made on this machine by a process that no longer exists.
bool claim_is_dead(const std::string& claim) {
  auto colon = claim.rfind(':');
  if (colon == std::string::npos || claim.substr(0, colon) != machine_name()) return false;
  char* end = nullptr;
  long pid = std::strtol(claim.c_str() + colon + 1, &end, 10);
  if (pid <= 0 || *end != '\0') return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

std::string triage_program(const RunOptions& o) {
  if (!o.triage.empty()) return o.triage;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "triage";
    if (std::filesystem::exists(beside, ec)) return beside.string();
  }
  return "triage";
}

// Runs ARGV; its exit status, or -1 when it could not be started (ERROR says why).
// QUIET: its standard error goes to /dev/null (triage keeps its diagnostics.jsonl anyway).
int spawn_and_wait(const std::vector<std::string>& argv, bool quiet, std::string* error) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  if (quiet) ::posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    *error = argv[0] + ": cannot start: " + std::strerror(rc);
    return -1;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      *error = std::string("waitpid: ") + std::strerror(errno);
      return -1;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  *error = argv[0] + ": killed by signal " + std::to_string(WTERMSIG(status));
  return 128 + WTERMSIG(status);
}

// The "status" of a triage run.json ("completed", "completed_with_damage", "failed"), or "".
std::string run_status(const CaseDir& host_dir) {
  int fd = open_in_tree(host_dir.fd(), "run.json");
  if (fd < 0) return "";
  std::string text(1 << 16, '\0');
  ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  auto p = text.find("\"status\":\"");
  if (p == std::string::npos) return "";
  p += 10;
  return text.substr(p, text.find('"', p) - p);
}

std::string file_sha256(int dir_fd, const std::string& rel) {
  int fd = open_in_tree(dir_fd, rel);
  if (fd < 0) return "";
  auto d = hash_descriptor(fd, HashSet::sha256_only());
  ::close(fd);
  return d ? d->sha256 : "";
}

}  // namespace

Outcome run_case(const Context& ctx, const std::string& case_dir, const RunOptions& options) {
  auto where = locate_case(case_dir);
  if (!where) return Outcome::failed(where.error().message, 2);
  auto registry = open_registry(ctx, where->root);
  auto c = registry->find_case(where->case_id);
  if (!c) return Outcome::failed(where->case_id + ": no such case in " + registry->describe());
  if (c->state == CaseState::kIntake)
    return Outcome::failed(where->case_id + ": nothing received yet (cases add CASEDIR BUNDLE…)");
  if (c->state == CaseState::kCompleted || c->state == CaseState::kPurged)
    return Outcome::failed(where->case_id + ": the case is " + std::string(state_name(c->state)));
  CaseDir::Policy policy;
  policy.allow_content = true;
  auto dir = CaseDir::open(where->path, policy);
  if (!dir) return Outcome::failed(dir.error().message);

  const std::string me = claimant();
  std::mutex db_mu;  // one connection: one transaction at a time
  std::vector<std::string> claimed;
  std::vector<InputRow> inputs;
  {
    Transaction tx(registry->db());
    inputs = registry->inputs(where->case_id);
    for (const HostRow& h : registry->hosts(where->case_id)) {
      bool got = false;
      if (h.state == "received" || h.state == "failed") {
        got = registry->claim_host(where->case_id, h.host, me, ctx.now);
      } else if (h.state == "running" && claim_is_dead(h.claimed_by)) {
        got = registry->claim_host(where->case_id, h.host, me, ctx.now, h.claimed_by);
      }
      if (got) {
        claimed.push_back(h.host);
        registry->audit(where->case_id, ctx.now, "triage-start",
                        json_object({{"host", h.host}, {"by", me}}));
      }
    }
    if (!claimed.empty()) {
      c = registry->find_case(where->case_id);
      c->state = CaseState::kAnalysing;
      registry->update_case(*c);
    }
    tx.commit();
  }

  std::vector<std::string> netlogs;
  for (const InputRow& in : inputs)
    if (in.kind == "netlog") netlogs.push_back(where->path + "/" + in.stored_as);
  unsigned parallel =
      std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(claimed.size())));
  unsigned threads = options.triage_jobs ? options.triage_jobs
                                         : std::max(1u, resolve_jobs(0) / std::max(1u, parallel));
  const std::string program = triage_program(options);

  std::vector<std::string> lines(claimed.size());
  std::atomic<std::size_t> failures{0};
  auto triage_one = [&](std::size_t i) {
    const std::string& host = claimed[i];
    std::string bundle;
    for (const InputRow& in : inputs)
      if (in.kind == "bundle" && in.host == host) bundle = where->path + "/" + in.stored_as;
    // An unfinished earlier attempt is kept aside, never deleted.
    if (dir->exists(host)) {
      for (int n = 1;; ++n) {
        std::string aside = host + ".previous-" + std::to_string(n);
        if (!dir->exists(aside)) {
          dir->rename(host, aside);
          break;
        }
      }
    }
    std::vector<std::string> argv{program,
                                  bundle,
                                  "-o",
                                  where->path + "/" + host,
                                  "--case",
                                  where->path + "/CASE.json",
                                  "--quiet",
                                  "--jobs",
                                  std::to_string(threads),
                                  "--tz",
                                  ctx.tz,
                                  "--lang",
                                  ctx.lang};
    if (!options.password_file.empty()) {
      argv.push_back("--password-file");
      argv.push_back(options.password_file);
    }
    if (!options.sigma) argv.push_back("--no-sigma");
    for (const auto& n : netlogs) {
      argv.push_back("--netlog");
      argv.push_back(n);
    }
    std::string error;
    int rc = bundle.empty() ? -1 : spawn_and_wait(argv, ctx.quiet, &error);
    if (bundle.empty()) error = "no bundle recorded for this PC";
    std::string status;
    auto host_dir = dir->open_dir(host);
    if (host_dir) status = run_status(*host_dir);
    bool ok = (rc == 0 || rc == 1) && status.starts_with("completed");
    if (!ok) ++failures;
    std::lock_guard lock(db_mu);
    Transaction tx(registry->db());
    registry->finish_host(where->case_id, host, ok ? "triaged" : "failed",
                          status.empty() ? "failed" : status, ctx.now);
    if (ok) {  // a new version of the PC's notice (the HTML the customer reads)
      std::string rel = host + "/notice.html";
      std::string sha = file_sha256(dir->fd(), rel);
      if (!sha.empty())
        registry->insert_delivery(
            where->case_id,
            {"notice", host, registry->next_delivery_version(where->case_id, "notice", host), rel,
             sha, ctx.now});
    }
    registry->audit(where->case_id, ctx.now, ok ? "triage-done" : "triage-failed",
                    json_object({{"host", host},
                                 {"status", status.empty() ? "failed" : status},
                                 {"exit", std::to_string(rc)},
                                 {"error", error}}));
    tx.commit();
    lines[i] = "cases: " + host + ": " + (ok ? "triaged (" + status + ")" : "FAILED") +
               (error.empty() ? "" : " — " + error) + "\n";
  };
  // Threads only wait for child processes: the work is in the triage processes.
  std::vector<std::thread> pool;
  std::atomic<std::size_t> next{0};
  for (unsigned t = 0; t < parallel; ++t)
    pool.emplace_back([&] {
      for (std::size_t i; (i = next++) < claimed.size();) triage_one(i);
    });
  for (auto& t : pool) t.join();

  Outcome o;
  for (const auto& l : lines) o.out += l;
  if (claimed.empty()) o.out += "cases: no PC left to triage\n";

  // The case notice, once every PC is triaged: the case row is locked, so of two runs
  // finishing together one writes it and the other finds the case delivered.
  Transaction tx(registry->db());
  registry->lock_case(where->case_id);
  auto hosts = registry->hosts(where->case_id);
  c = registry->find_case(where->case_id);
  bool all_done = !hosts.empty();
  std::string pending;
  for (const HostRow& h : hosts) {
    if (h.state != "triaged") {
      all_done = false;
      pending += (pending.empty() ? "" : ", ") + h.host + " (" + h.state + ")";
    }
  }
  if (!all_done) {
    tx.commit();
    o.out += "cases: case notice not written yet: " +
             (pending.empty() ? std::string("no PC received") : "waiting for " + pending) + "\n";
    o.status = failures ? 1 : 0;
    return o;
  }
  if (c->state == CaseState::kDelivered) {  // another run delivered it meanwhile
    o.out += "cases: every PC triaged and the case notice delivered already\n";
    return o;
  }
  auto written = write_case_notice(*dir, *c, hosts, ctx);
  if (!written) return Outcome::failed(written.error().message);
  record_documents(*registry, *dir, where->case_id, "case_notice", *written, ctx.now);
  c->state = CaseState::kDelivered;
  c->delivered_at = ctx.now;
  registry->update_case(*c);
  registry->audit(
      where->case_id, ctx.now, "delivered",
      json_object({{"hosts", std::to_string(hosts.size())}, {"case_notice", "case-notice.html"}}));
  tx.commit();
  o.out += "cases: " + std::to_string(hosts.size()) + " PC(s) triaged; case " + c->case_id +
           " delivered" + (written->empty() ? "" : " (" + where->path + "/case-notice.html)") +
           "\n";
  o.status = failures ? 1 : 0;
  return o;
}

}  // namespace kk::cases
