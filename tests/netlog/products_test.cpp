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

TEST_CASE("every product's log is one of the kinds the intake asks about, but the PC's firewall") {
  using kk::product_is_kind;
  for (const auto& p : kk::netlog::products()) {
    CAPTURE(p.name);
    bool any = false;
    for (auto kind : {"proxy", "firewall", "ids_ips", "utm", "antivirus", "edr"})
      any = any || product_is_kind(p.name, kind);
    CHECK(any == (p.name != "windows_firewall"));
  }
  CHECK(product_is_kind("fortigate", "utm"));
  CHECK_FALSE(product_is_kind("fortigate", "proxy"));
  CHECK_FALSE(product_is_kind("unknown", "utm"));
}
