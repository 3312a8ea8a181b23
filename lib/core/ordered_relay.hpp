// Ordered parallel map without a consumer thread: JOBS threads (the caller is one of
// them) take items in order and produce them; whichever thread finds the next result
// in line ready consumes it, then goes back to producing. Consumption is in item
// order, one call at a time, but on any of the threads.
//
// Why not ordered_parallel (parallel.hpp): there the calling thread only consumes, so
// every item costs a wake-up of that thread and two context switches. With items of
// tens of microseconds (an EVTX chunk, a one-chunk log) the switches cost ~25 % more
// CPU with two jobs than with one; here a thread sleeps only when the window of
// results in flight is full, waiting for a slow item ahead of it.
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

// produce(thread, i) -> R runs on thread number THREAD (0..jobs-1, 0 is the caller);
// consume(i, R&&) runs for i = 0, 1, … in order, never two at once. At most WINDOW
// (default 8 per job) results are in flight. An exception from either stops the work
// and is rethrown on the calling thread.
template <typename Produce, typename Consume>
void ordered_relay(std::size_t n, unsigned jobs, Produce produce, Consume consume,
                   std::size_t window = 0) {
  using R = decltype(produce(0u, std::size_t{0}));
  jobs = static_cast<unsigned>(std::clamp<std::size_t>(n, 1, std::max(1u, jobs)));
  if (jobs == 1) {
    for (std::size_t i = 0; i < n; ++i) consume(i, produce(0u, i));
    return;
  }
  if (window == 0) window = static_cast<std::size_t>(jobs) * 8;
  std::vector<std::optional<R>> slots(window);
  std::mutex mu;
  std::condition_variable cv;
  std::size_t next = 0, consumed = 0;
  unsigned sleeping = 0;
  bool consuming = false, stop = false;
  std::exception_ptr failure;

  auto fail = [&](std::unique_lock<std::mutex>& lock) {
    if (!lock.owns_lock()) lock.lock();
    if (!failure) failure = std::current_exception();
    stop = true;
    cv.notify_all();
  };
  auto run = [&](unsigned t) {
    std::unique_lock lock(mu);
    while (!stop && consumed < n) {
      if (!consuming && slots[consumed % window].has_value()) {
        consuming = true;
        while (!stop && consumed < n && slots[consumed % window].has_value()) {
          std::size_t i = consumed;
          R r = std::move(*slots[i % window]);
          slots[i % window].reset();
          lock.unlock();
          try {
            consume(i, std::move(r));
          } catch (...) {
            fail(lock);
            consuming = false;
            return;
          }
          lock.lock();
          ++consumed;
          // The threads asleep wait for room in the window (or for the end). Woken at every
          // item, a consumer held back downstream (triage's record stream) would wake them
          // to produce one result each and sleep again: 7 k wake-ups and switches on the
          // bench bundle's EVTX. They are woken once half the window is free, and at the end.
          if (sleeping && (consumed == n || next - consumed <= window / 2)) cv.notify_all();
        }
        consuming = false;
        continue;
      }
      if (next < n && next < consumed + window) {
        std::size_t i = next++;
        lock.unlock();
        std::optional<R> r;
        try {
          r.emplace(produce(t, i));
        } catch (...) {
          fail(lock);
          return;
        }
        lock.lock();
        slots[i % window] = std::move(r);
        continue;
      }
      // Nothing to take: the window is full (or all items are taken) and the next
      // result in line is still being produced, or being consumed by another thread.
      ++sleeping;
      cv.wait(lock);
      --sleeping;
    }
  };
  std::vector<std::thread> threads;
  try {
    for (unsigned t = 1; t < jobs; ++t) threads.emplace_back(run, t);
  } catch (...) {
    std::unique_lock lock(mu);
    fail(lock);
  }
  run(0);
  for (auto& th : threads) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace kk
