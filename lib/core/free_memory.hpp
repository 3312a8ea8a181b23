// Emptying a container and giving its memory back.
//
// `v = {}` on a std::vector, std::string or std::unordered_set looks like it does this, but
// it assigns an empty initializer list: the elements go, the allocation stays. A sorter
// that releases its budget before the merge, or a reader that drops a finished file's
// tables, must really free them.
#pragma once

namespace kk {

template <typename Container>
void free_memory(Container& c) {
  Container().swap(c);
}

}  // namespace kk
