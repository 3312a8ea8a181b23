// Ordered parallel map: work items run on JOBS threads, results are consumed
// on the calling thread in item order. At most WINDOW results are in flight,
// so memory stays bounded whatever the number of items (EVTX chunks, files).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace kk {

// Number of threads for "--jobs 0" (all cores).
unsigned default_jobs();
inline unsigned resolve_jobs(unsigned requested) { return requested == 0 ? default_jobs() : requested; }

template <typename Produce, typename Consume>
void ordered_parallel(std::size_t n, unsigned jobs, Produce produce, Consume consume,
                      std::size_t window = 0) {
  using R = decltype(produce(std::size_t{0}));
  jobs = std::max(1u, jobs);
  if (jobs == 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) consume(i, produce(i));
    return;
  }
  if (window == 0) window = static_cast<std::size_t>(jobs) * 4;
  std::vector<std::optional<R>> slots(window);
  std::mutex mu;
  std::condition_variable cv_work, cv_done;
  std::size_t next = 0, consumed = 0;
  bool stop = false;
  std::exception_ptr failure;

  auto worker = [&] {
    for (;;) {
      std::size_t i;
      {
        std::unique_lock lock(mu);
        cv_work.wait(lock, [&] { return stop || next >= n || next < consumed + window; });
        if (stop || next >= n) return;
        i = next++;
      }
      std::optional<R> r;
      try {
        r.emplace(produce(i));
      } catch (...) {
        std::lock_guard lock(mu);
        if (!failure) failure = std::current_exception();
        stop = true;
        cv_done.notify_all();
        cv_work.notify_all();
        return;
      }
      std::lock_guard lock(mu);
      slots[i % window] = std::move(r);
      cv_done.notify_all();
    }
  };
  std::vector<std::thread> threads;
  unsigned nthreads = static_cast<unsigned>(std::min<std::size_t>(jobs, n));
  for (unsigned t = 0; t < nthreads; ++t) threads.emplace_back(worker);
  try {
    while (consumed < n) {
      std::optional<R> r;
      {
        std::unique_lock lock(mu);
        cv_done.wait(lock, [&] { return stop || slots[consumed % window].has_value(); });
        if (stop) break;
        r = std::move(slots[consumed % window]);
        slots[consumed % window].reset();
      }
      consume(consumed, std::move(*r));
      {
        std::lock_guard lock(mu);
        ++consumed;
      }
      cv_work.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mu);
    if (!failure) failure = std::current_exception();
    stop = true;
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv_work.notify_all();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kk
