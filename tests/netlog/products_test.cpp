// The product table: every product a log can be recognised as has a name a customer knows,
// for the notice's scope table and its sentences.
#include <doctest/doctest.h>

#include "core/product_labels.hpp"
#include "netlog/products.hpp"

TEST_CASE("every known product has a customer-facing label; an unknown name is kept") {
  using kk::product_label;
  for (const auto& p : kk::netlog::products()) {
    CAPTURE(p.name);
    CHECK(product_label(p.name) != p.name);
    CHECK(!product_label(p.name).empty());
  }
  CHECK(product_label("fortigate") == "FortiGate");
  CHECK(product_label("cef") == "cef");
  CHECK(product_label("") == "");
}
