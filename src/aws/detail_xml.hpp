#pragma once
// XML for the query, ec2 and rest-xml protocols, parsed and written by libxml2 into a small owned tree.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfn::aws::detail {

struct XmlElement {
    std::string name;  ///< local name (namespace prefix removed)
    std::string text;  ///< the element's own text and CDATA, concatenated
    std::vector<std::pair<std::string, std::string>> attributes;  ///< qualified names ("xsi:type")
    std::vector<XmlElement> children;

    /// The first child named `name`, or nullptr.
    [[nodiscard]] const XmlElement* child(std::string_view child_name) const;
    /// The first element named `name` in this subtree (this one included, depth first), or nullptr.
    [[nodiscard]] const XmlElement* find(std::string_view element_name) const;
    /// An attribute's value by qualified or local name, or nullptr.
    [[nodiscard]] const std::string* attribute(std::string_view attribute_name) const;
};

/// Parses a document (no network access, no entity expansion). Throws ProtocolError naming `what` when
/// it is not well-formed XML.
XmlElement parse_xml(std::string_view text, const std::string& what);
/// Serialises `root` as a document (`<?xml version="1.0" encoding="UTF-8"?>`), text escaped; `xmlns` on the
/// root when `namespace_uri` is not empty.
std::string write_xml(const XmlElement& root, const std::string& namespace_uri);

}  // namespace sfn::aws::detail
