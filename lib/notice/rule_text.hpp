// What each built-in detection rule means, in the customer's language (です/ます): the
// rules' own descriptions are written for analysts, in plain form and with event ids.
#pragma once

#include <string_view>

#include "notice/catalog.hpp"

namespace kk::notice {

// The customer text for RULE_ID ("KK-PROC-002", also "KK-PROC-002#3"); empty when there is
// none for LANG (the rule's own description is shown then).
std::string_view customer_rule_description(std::string_view rule_id, Lang lang);

}  // namespace kk::notice
