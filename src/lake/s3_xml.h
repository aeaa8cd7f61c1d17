#pragma once

// The little XML S3 answers with (ListObjectsV2, InitiateMultipartUpload,
// CompleteMultipartUpload, Error): flat elements whose text is what we need.
// Not a general XML parser: no CDATA, no namespaces prefixes, no DTD. Text is
// entity-decoded (&amp; &lt; &gt; &quot; &apos; and numeric &#N; / &#xH;),
// which matters because S3 keys may hold any of those characters.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace futureim::lake {

// The raw content of every <tag ...>...</tag> (or "" for <tag/>) in `xml`,
// in document order; elements of the same name must not nest.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);
// The decoded text of the first <tag>, or nullopt when there is none.
std::optional<std::string> XmlText(std::string_view xml, std::string_view tag);
// Entity-decodes text; a malformed entity is kept as written.
std::string XmlDecode(std::string_view text);
// Escapes & < > " ' for element text.
std::string XmlEscape(std::string_view text);

}  // namespace futureim::lake
