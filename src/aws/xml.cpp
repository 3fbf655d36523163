// libxml2 behind the small XmlElement tree the protocol codecs use.
#include "aws/detail_xml.hpp"

#include "sfn/aws/errors.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <mutex>

namespace sfn::aws::detail {
namespace {

void init_libxml() {
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

std::string to_string(const xmlChar* s) { return s ? std::string(reinterpret_cast<const char*>(s)) : std::string(); }

void convert(const xmlNode* node, XmlElement& out) {
    out.name = to_string(node->name);
    for (const xmlAttr* a = node->properties; a; a = a->next) {
        std::string name = to_string(a->name);
        if (a->ns && a->ns->prefix) name = to_string(a->ns->prefix) + ":" + name;
        xmlChar* value = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
        out.attributes.emplace_back(std::move(name), to_string(value));
        xmlFree(value);
    }
    for (const xmlNode* c = node->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            convert(c, out.children.emplace_back());
        } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            out.text += to_string(c->content);
        }
    }
    // Indentation between child elements is not text.
    if (!out.children.empty() && out.text.find_first_not_of(" \t\r\n") == std::string::npos) out.text.clear();
}

void build(const XmlElement& element, xmlNode* node) {
    for (const auto& [name, value] : element.attributes) {
        xmlSetProp(node, reinterpret_cast<const xmlChar*>(name.c_str()), reinterpret_cast<const xmlChar*>(value.c_str()));
    }
    if (!element.text.empty()) {
        xmlNodeAddContentLen(node, reinterpret_cast<const xmlChar*>(element.text.data()),
                             static_cast<int>(element.text.size()));
    }
    for (const auto& child : element.children) {
        xmlNode* c = xmlNewChild(node, nullptr, reinterpret_cast<const xmlChar*>(child.name.c_str()), nullptr);
        build(child, c);
    }
}

struct DocDeleter {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};

}  // namespace

const XmlElement* XmlElement::child(std::string_view child_name) const {
    for (const auto& c : children) {
        if (c.name == child_name) return &c;
    }
    return nullptr;
}

const XmlElement* XmlElement::find(std::string_view element_name) const {
    if (name == element_name) return this;
    for (const auto& c : children) {
        if (const auto* hit = c.find(element_name)) return hit;
    }
    return nullptr;
}

const std::string* XmlElement::attribute(std::string_view attribute_name) const {
    for (const auto& [n, v] : attributes) {
        if (n == attribute_name) return &v;
        auto colon = n.find(':');
        if (colon != std::string::npos && std::string_view(n).substr(colon + 1) == attribute_name) return &v;
    }
    return nullptr;
}

XmlElement parse_xml(std::string_view text, const std::string& what) {
    init_libxml();
    std::unique_ptr<xmlDoc, DocDeleter> doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "response.xml",
                                                          nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                                       XML_PARSE_NOWARNING));
    const xmlNode* root = doc ? xmlDocGetRootElement(doc.get()) : nullptr;
    if (!root) {
        const xmlError* error = xmlGetLastError();
        std::string reason = error && error->message ? error->message : "not well-formed";
        while (!reason.empty() && reason.back() == '\n') reason.pop_back();
        throw ProtocolError(what + ": the response is not XML (" + reason + "): " + std::string(text.substr(0, 200)));
    }
    XmlElement out;
    convert(root, out);
    return out;
}

std::string write_xml(const XmlElement& root, const std::string& namespace_uri) {
    init_libxml();
    std::unique_ptr<xmlDoc, DocDeleter> doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
    xmlNode* node = xmlNewDocNode(doc.get(), nullptr, reinterpret_cast<const xmlChar*>(root.name.c_str()), nullptr);
    xmlDocSetRootElement(doc.get(), node);
    if (!namespace_uri.empty()) xmlNewNs(node, reinterpret_cast<const xmlChar*>(namespace_uri.c_str()), nullptr);
    build(root, node);
    xmlChar* buffer = nullptr;
    int size = 0;
    xmlDocDumpMemoryEnc(doc.get(), &buffer, &size, "UTF-8");
    std::string out(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
    xmlFree(buffer);
    return out;
}

}  // namespace sfn::aws::detail
