// Names the calling thread ("kk-map", "kk-hash"...), so that top -H, perf and /proc show
// which part of a run is busy or waiting (threads otherwise all carry the program's
// name). Linux keeps 15 bytes of it; elsewhere it does nothing.
#pragma once

#include <pthread.h>

namespace kk {

inline void name_this_thread(const char* name) {
#if defined(__linux__)
  pthread_setname_np(pthread_self(), name);
#else
  (void)name;
#endif
}

}  // namespace kk
