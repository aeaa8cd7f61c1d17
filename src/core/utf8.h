#pragma once

#include <cstddef>
#include <string_view>

namespace futureim::core {

// The offset of the first byte that does not start a well-formed UTF-8
// sequence (strict: no overlong forms, no surrogates, nothing past
// U+10FFFF), or std::string_view::npos when all of `text` is valid.
size_t FirstInvalidUtf8(std::string_view text);

}  // namespace futureim::core
