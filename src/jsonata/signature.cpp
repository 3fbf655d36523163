// Signature parsing and argument validation. A signature is a sequence of parameters, each a set of
// accepted type symbols with an optional modifier; matching is a small backtracking search over the
// supplied argument symbols, the way the reference turns the signature into a regular expression.
#include "jsonata/detail_signature.hpp"

#include "jsonata/detail_error.hpp"
#include "jsonata/detail_value.hpp"

namespace sfn::jsonata::detail {

char type_symbol(const Value& v) {
    switch (v.type()) {
    case Type::Undefined: return 'm';
    case Type::Null: return 'l';
    case Type::Bool: return 'b';
    case Type::Number: return 'n';
    case Type::String: return 's';
    case Type::Array: return 'a';
    case Type::Object: return 'o';
    case Type::Function: return 'f';
    }
    return 'm';
}

namespace {

std::size_t closing(std::string_view s, std::size_t pos, char open, char close) {
    int depth = 1;
    for (std::size_t i = pos + 1; i < s.size(); ++i) {
        if (s[i] == open) ++depth;
        else if (s[i] == close && --depth == 0) return i;
    }
    return s.size();
}

// Match params[pi..] against sig[si..]; records each param's span in `spans`.
bool match_from(const std::vector<Signature::Param>& params, std::size_t pi, std::string_view sig, std::size_t si,
                std::vector<std::pair<std::size_t, std::size_t>>& spans) {
    if (pi == params.size()) return si == sig.size();
    const auto& p = params[pi];
    auto accepts = [&](std::size_t k) { return k < sig.size() && p.accepts.find(sig[k]) != std::string::npos; };
    std::size_t max = 0;
    while (accepts(si + max) && (p.modifier == '+' || max < 1)) ++max;
    std::size_t min = p.modifier == '+' ? 1 : (p.modifier == '?' ? 0 : 1);
    for (std::size_t len = max + 1; len-- > min;) {
        spans[pi] = {si, len};
        if (match_from(params, pi + 1, sig, si + len, spans)) return true;
        if (len == 0) break;
    }
    return false;
}

// Longest prefix of `sig` matched by params[0..count) (greedy), or npos.
std::size_t prefix_match(const std::vector<Signature::Param>& params, std::size_t count, std::string_view sig) {
    std::vector<Signature::Param> sub(params.begin(), params.begin() + static_cast<long>(count));
    for (std::size_t len = sig.size() + 1; len-- > 0;) {
        std::vector<std::pair<std::size_t, std::size_t>> spans(sub.size());
        if (match_from(sub, 0, sig.substr(0, len), 0, spans)) return len;
    }
    return std::string::npos;
}

}  // namespace

std::shared_ptr<const Signature> parse_signature(std::string_view text, std::size_t position) {
    auto sig = std::make_shared<Signature>();
    sig->text = std::string(text);
    std::size_t i = 1;  // skip '<'
    while (i < text.size()) {
        char c = text[i];
        if (c == ':') break;
        if (c == '>') break;
        Signature::Param p;
        switch (c) {
        case 'b': case 'n': case 's': case 'l': case 'o':
            p.type = c;
            p.accepts = std::string(1, c) + "m";
            sig->params.push_back(p);
            break;
        case 'a':
            p.type = 'a';
            p.accepts = "asnblfom";
            sig->params.push_back(p);
            break;
        case 'f':
            p.type = 'f';
            p.accepts = "f";
            sig->params.push_back(p);
            break;
        case 'j':
            p.type = 'j';
            p.accepts = "asnblom";
            sig->params.push_back(p);
            break;
        case 'x':
            p.type = 'x';
            p.accepts = "asnblfom";
            sig->params.push_back(p);
            break;
        case '-':
        case '?':
        case '+':
            if (sig->params.empty()) fail("S0401", position + i, std::string(1, c));
            if (c == '-') {
                sig->params.back().use_context = true;
                sig->params.back().modifier = '?';
            } else {
                sig->params.back().modifier = c;
            }
            break;
        case '(': {
            std::size_t end = closing(text, i, '(', ')');
            std::string choice(text.substr(i + 1, end - i - 1));
            if (choice.find('<') != std::string::npos) fail("S0402", position + i, choice);
            p.type = '(';
            p.accepts = choice + "m";
            sig->params.push_back(p);
            i = end;
            break;
        }
        case '<': {
            if (sig->params.empty() || (sig->params.back().type != 'a' && sig->params.back().type != 'f'))
                fail("S0401", position + i, std::string(1, c));
            std::size_t end = closing(text, i, '<', '>');
            sig->params.back().subtype = std::string(text.substr(i + 1, end - i - 1));
            i = end;
            break;
        }
        default: fail("S0401", position + i, std::string(1, c));
        }
        ++i;
    }
    return sig;
}

void Signature::validate(std::vector<Value>& args, const Value& context, std::size_t position,
                         std::string_view fname) const {
    std::string supplied;
    supplied.reserve(args.size());
    for (const auto& a : args) supplied += type_symbol(a);
    std::vector<std::pair<std::size_t, std::size_t>> spans(params.size());
    if (!match_from(params, 0, supplied, 0, spans)) {
        std::size_t good = 0;
        for (std::size_t k = 1; k <= params.size(); ++k) {
            std::size_t m = prefix_match(params, k, supplied);
            if (m == std::string::npos) break;
            good = m;
        }
        fail("T0410", position, fname, std::to_string(good + 1));
    }
    std::vector<Value> out;
    out.reserve(params.size());
    std::size_t arg_index = 0;
    for (std::size_t pi = 0; pi < params.size(); ++pi) {
        const auto& p = params[pi];
        auto [start, len] = spans[pi];
        if (len == 0) {
            if (p.use_context) {
                if (context.is_array() && context.as_array().outer_wrapper && !context.as_array().items.empty()) {
                    const Value& inner = context.as_array().items[0];
                    if (p.accepts.find(type_symbol(inner)) == std::string::npos)
                        fail("T0411", position, fname, std::to_string(arg_index + 1));
                    out.push_back(inner);
                    continue;
                }
                if (p.accepts.find(type_symbol(context)) == std::string::npos)
                    fail("T0411", position, fname, std::to_string(arg_index + 1));
                out.push_back(context);
            } else {
                out.push_back(arg_index < args.size() ? args[arg_index] : Value());
                ++arg_index;
            }
            continue;
        }
        for (std::size_t k = 0; k < len; ++k) {
            char single = supplied[start + k];
            Value arg = arg_index < args.size() ? args[arg_index] : Value();
            if (p.type == 'a') {
                if (single == 'm') {
                    arg = Value();
                } else {
                    bool ok = true;
                    if (!p.subtype.empty()) {
                        if (single != 'a' && std::string(1, single) != p.subtype) {
                            ok = false;
                        } else if (single == 'a') {
                            const auto& items = arg.as_array().items;
                            if (!items.empty()) {
                                char first = type_symbol(items.front());
                                if (first != p.subtype[0]) ok = false;
                                for (const auto& it : items)
                                    if (type_symbol(it) != first) ok = false;
                            }
                        }
                    }
                    if (!ok) fail("T0412", position, fname, std::to_string(arg_index + 1));
                    if (single != 'a') {
                        auto wrapped = make_array();
                        wrapped->items.push_back(arg);
                        arg = Value::array(wrapped);
                    }
                }
            }
            out.push_back(arg);
            ++arg_index;
        }
    }
    args = std::move(out);
}

}  // namespace sfn::jsonata::detail
