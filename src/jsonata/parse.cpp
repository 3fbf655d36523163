// Top-down operator-precedence parser producing the raw tree; post-processing lives in optimize.cpp.
#include <unordered_map>

#include "jsonata/detail_ast.hpp"
#include "jsonata/detail_error.hpp"
#include "jsonata/detail_lexer.hpp"
#include "jsonata/detail_signature.hpp"

namespace sfn::jsonata::detail {

NodePtr post_process(const NodePtr& raw);

namespace {

int binding_power(const Token& t) {
    if (t.kind != TokenKind::Operator) return 0;
    static const std::unordered_map<std::string, int> table = {
        {".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80}, {"?", 20}, {"+", 50},
        {"-", 50}, {"*", 60}, {"/", 60}, {"%", 60}, {"=", 40}, {"<", 40}, {">", 40}, {"^", 40},
        {"!=", 40}, {"<=", 40}, {">=", 40}, {"~>", 40}, {"?:", 40}, {"??", 40}, {"and", 30},
        {"or", 25}, {"in", 40}, {"&", 50}, {":=", 10}};
    auto it = table.find(t.text);
    return it == table.end() ? 0 : it->second;
}

bool known_operator(const std::string& op) {
    static const char* known[] = {".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-",
                                  "*", "/", "%", "|", "=", "<", ">", "^", "**", "..", ":=", "!=", "<=",
                                  ">=", "~>", "?:", "??", "and", "or", "in", "&"};
    for (const char* k : known)
        if (op == k) return true;
    return false;
}

BinaryOp binary_op(const std::string& s) {
    static const std::unordered_map<std::string, BinaryOp> table = {
        {"+", BinaryOp::Add}, {"-", BinaryOp::Sub},  {"*", BinaryOp::Mul}, {"/", BinaryOp::Div},
        {"%", BinaryOp::Mod}, {"=", BinaryOp::Eq},   {"!=", BinaryOp::Ne}, {"<", BinaryOp::Lt},
        {"<=", BinaryOp::Le}, {">", BinaryOp::Gt},   {">=", BinaryOp::Ge}, {"&", BinaryOp::Concat},
        {"..", BinaryOp::Range}, {"in", BinaryOp::In}};
    return table.at(s);
}

class Parser {
public:
    explicit Parser(std::string_view text) : lexer_(text) { advance(false); }

    NodePtr parse_all() {
        NodePtr e = expression(0);
        if (tok_.kind != TokenKind::End) fail("S0201", tok_.position, tok_.text);
        return e;
    }

private:
    bool at(std::string_view op) const { return tok_.kind == TokenKind::Operator && tok_.text == op; }

    // Moves to the next token; `infix` tells the lexer an operator is expected next.
    Token advance(bool infix) {
        Token prev = std::move(tok_);
        tok_ = lexer_.next(infix);
        if (tok_.kind == TokenKind::Operator && !known_operator(tok_.text)) fail("S0204", tok_.position, tok_.text);
        return prev;
    }
    Token expect(std::string_view op, bool infix = false) {
        if (!at(op)) {
            if (tok_.kind == TokenKind::End) fail("S0203", tok_.position, std::string(op), std::string(op));
            fail("S0202", tok_.position, tok_.text, std::string(op));
        }
        return advance(infix);
    }

    NodePtr expression(int rbp) {
        // nesting guard: a hostile expression must not exhaust the native stack while parsing
        struct Nest {
            int& d;
            explicit Nest(int& depth) : d(depth) { ++d; }
            ~Nest() { --d; }
        } nest(depth_);
        if (depth_ > kMaxNesting) fail("U1001", tok_.position, tok_.text, "nesting");
        Token t = advance(true);
        NodePtr left = nud(t);
        while (rbp < binding_power(tok_)) {
            Token op = advance(false);
            left = led(op, left);
        }
        return left;
    }

    NodePtr nud(const Token& t) {
        switch (t.kind) {
        case TokenKind::End: fail("S0207", t.position);
        case TokenKind::Name: {
            auto n = make_node(NodeType::Name, t.position);
            n->value = t.text;
            return n;
        }
        case TokenKind::Variable: {
            auto n = make_node(NodeType::Variable, t.position);
            n->value = t.text;
            return n;
        }
        case TokenKind::Literal: {
            auto n = make_node(NodeType::Literal, t.position);
            n->literal = t.literal;
            n->value = t.text;
            return n;
        }
        case TokenKind::Regex: {
            auto n = make_node(NodeType::RegexLit, t.position);
            n->regex = t.regex;
            n->value = t.text;
            return n;
        }
        case TokenKind::Operator: break;
        }
        const std::string& op = t.text;
        if (op == "-") {
            auto n = make_node(NodeType::Negate, t.position);
            n->lhs = expression(70);
            return n;
        }
        if (op == "*") return make_node(NodeType::Wildcard, t.position);
        if (op == "**") return make_node(NodeType::Descendant, t.position);
        if (op == "%") return make_node(NodeType::Parent, t.position);
        if (op == "and" || op == "or" || op == "in") {
            auto n = make_node(NodeType::Operator, t.position);
            n->value = op;
            return n;
        }
        if (op == "(") {
            auto n = make_node(NodeType::Block, t.position);
            while (!at(")")) {
                n->items.push_back(expression(0));
                if (!at(";")) break;
                advance(false);
            }
            expect(")", true);
            return n;
        }
        if (op == "[") {
            auto n = make_node(NodeType::ArrayCtor, t.position);
            if (!at("]")) {
                for (;;) {
                    NodePtr item = expression(0);
                    if (at("..")) {
                        auto range = make_node(NodeType::Binary, tok_.position);
                        range->op = BinaryOp::Range;
                        range->value = "..";
                        advance(false);
                        range->lhs = item;
                        range->rhs = expression(0);
                        item = range;
                    }
                    n->items.push_back(item);
                    if (!at(",")) break;
                    advance(false);
                }
            }
            expect("]", true);
            return n;
        }
        if (op == "{") {
            auto n = make_node(NodeType::ObjectCtor, t.position);
            n->pairs = object_pairs();
            return n;
        }
        if (op == "|") {
            auto n = make_node(NodeType::Transform, t.position);
            n->pattern = expression(0);
            expect("|");
            n->update = expression(0);
            if (at(",")) {
                advance(false);
                n->remove = expression(0);
            }
            expect("|", true);
            return n;
        }
        fail("S0211", t.position, op);
    }

    std::vector<std::pair<NodePtr, NodePtr>> object_pairs() {
        std::vector<std::pair<NodePtr, NodePtr>> pairs;
        if (!at("}")) {
            for (;;) {
                NodePtr k = expression(0);
                expect(":");
                NodePtr v = expression(0);
                pairs.emplace_back(k, v);
                if (!at(",")) break;
                advance(false);
            }
        }
        expect("}", true);
        return pairs;
    }

    NodePtr led(const Token& t, const NodePtr& left) {
        const std::string& op = t.text;
        const int bp = binding_power(t);
        if (op == ".") return binary(NodeType::Dot, t, left, expression(bp));
        if (op == "(") return call(t, left);
        if (op == "[") {
            if (at("]")) {
                // `[]` keeps singleton arrays: flag the innermost step
                Node* step = left.get();
                while (step->type == NodeType::Predicate) step = step->lhs.get();
                step->keep_array = true;
                advance(true);
                return left;
            }
            auto n = binary(NodeType::Predicate, t, left, expression(0));
            expect("]", true);
            return n;
        }
        if (op == "{") {
            auto n = make_node(NodeType::Group, t.position);
            n->lhs = left;
            n->pairs = object_pairs();
            return n;
        }
        if (op == "^") {
            auto n = make_node(NodeType::OrderBy, t.position);
            n->lhs = left;
            expect("(");
            for (;;) {
                SortTerm term;
                if (at("<")) {
                    advance(false);
                } else if (at(">")) {
                    term.descending = true;
                    advance(false);
                }
                term.expr = expression(0);
                n->terms.push_back(term);
                if (!at(",")) break;
                advance(false);
            }
            expect(")", true);
            return n;
        }
        if (op == ":=") {
            if (left->type != NodeType::Variable) fail("S0212", left->position, left->value);
            auto n = make_node(NodeType::Bind, t.position);
            n->lhs = left;
            n->rhs = expression(bp - 1);
            return n;
        }
        if (op == "@" || op == "#") {
            auto rhs = expression(bp);
            if (rhs->type != NodeType::Variable) fail("S0214", rhs->position, op);
            return binary(op == "@" ? NodeType::Focus : NodeType::Index, t, left, rhs);
        }
        if (op == "?") {
            auto n = make_node(NodeType::Condition, t.position);
            n->lhs = left;
            n->then_branch = expression(0);
            if (at(":")) {
                advance(false);
                n->else_branch = expression(0);
            }
            return n;
        }
        if (op == "?:") {
            auto n = make_node(NodeType::Elvis, t.position);
            n->lhs = left;
            n->rhs = expression(0);
            return n;
        }
        if (op == "??") {
            auto n = make_node(NodeType::Coalesce, t.position);
            n->lhs = left;
            n->rhs = expression(bp - 1);
            return n;
        }
        if (op == "~>") return binary(NodeType::Apply, t, left, expression(bp));
        if (op == "and") return binary(NodeType::And, t, left, expression(bp));
        if (op == "or") return binary(NodeType::Or, t, left, expression(bp));
        auto n = binary(NodeType::Binary, t, left, expression(bp));
        n->op = binary_op(op);
        return n;
    }

    static NodePtr binary(NodeType type, const Token& t, NodePtr lhs, NodePtr rhs) {
        auto n = make_node(type, t.position);
        n->value = t.text;
        n->lhs = std::move(lhs);
        n->rhs = std::move(rhs);
        return n;
    }

    NodePtr call(const Token& t, const NodePtr& left) {
        auto n = make_node(NodeType::Call, t.position);
        n->procedure = left;
        if (!at(")")) {
            for (;;) {
                if (at("?")) {
                    n->type = NodeType::Partial;
                    n->items.push_back(make_node(NodeType::Placeholder, tok_.position));
                    advance(true);
                } else {
                    n->items.push_back(expression(0));
                }
                if (!at(",")) break;
                advance(false);
            }
        }
        expect(")", true);
        if (left->type == NodeType::Name && (left->value == "function" || left->value == "\xCE\xBB")) {
            n->type = NodeType::Lambda;
            for (std::size_t i = 0; i < n->items.size(); ++i) {
                const auto& arg = n->items[i];
                if (arg->type != NodeType::Variable) fail("S0208", arg->position, arg->value, std::to_string(i + 1));
                n->params.push_back(arg->value);
            }
            n->items.clear();
            if (at("<")) {
                std::size_t sig_pos = tok_.position;
                std::string sig = "<";
                int depth = 1;
                advance(false);
                while (tok_.kind != TokenKind::End && !at("{")) {
                    if (at(">")) --depth;
                    else if (at("<")) ++depth;
                    sig += tok_.kind == TokenKind::Variable ? "$" + tok_.text : tok_.text;
                    if (depth == 0) break;
                    advance(false);
                }
                expect(">");
                n->signature = parse_signature(sig, sig_pos);
            }
            expect("{");
            n->body = expression(0);
            expect("}", true);
        }
        return n;
    }

    static constexpr int kMaxNesting = 1000;
    Lexer lexer_;
    Token tok_;
    int depth_ = 0;
};

}  // namespace

NodePtr parse_expression(std::string_view text) {
    Parser parser(text);
    return post_process(parser.parse_all());
}

}  // namespace sfn::jsonata::detail
