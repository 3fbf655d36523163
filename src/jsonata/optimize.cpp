// Post-processing of the raw parse tree into evaluable form, following the reference semantics:
// `a.b.c` becomes one path of steps, predicates attach to steps as stages, `@`/`#` turn steps into
// tuple-producing steps, `%` is resolved to the step whose context it names, and lambda bodies get
// tail calls wrapped as thunks so deep recursion runs in a loop.
#include "jsonata/detail_ast.hpp"
#include "jsonata/detail_error.hpp"

namespace sfn::jsonata::detail {
namespace {

class PostProcessor {
public:
    NodePtr run(const NodePtr& e) {
        NodePtr r = process(e);
        if (r->type == NodeType::Parent || r->has_seeking) fail("S0217", r->position, "%");
        return r;
    }

private:
    static void push_ancestry(Node& result, const Node& value) {
        if (!value.has_seeking && value.type != NodeType::Parent) return;
        std::vector<std::shared_ptr<Slot>> slots = value.seeking_parent;
        if (value.type == NodeType::Parent) slots.push_back(value.slot);
        result.seeking_parent.insert(result.seeking_parent.end(), slots.begin(), slots.end());
        result.has_seeking = true;
    }

    std::shared_ptr<Slot> seek_parent(Node& node, std::shared_ptr<Slot> slot) {
        switch (node.type) {
        case NodeType::Name:
        case NodeType::Wildcard:
            slot->level--;
            if (slot->level == 0) {
                if (!node.ancestor) {
                    node.ancestor = slot;
                } else {
                    // reuse the existing label
                    ancestry_[static_cast<std::size_t>(slot->index)]->label = node.ancestor->label;
                    node.ancestor = slot;
                }
                node.tuple = true;
            }
            break;
        case NodeType::Parent: slot->level++; break;
        case NodeType::Block:
            if (!node.items.empty()) {
                node.tuple = true;
                slot = seek_parent(*node.items.back(), slot);
            }
            break;
        case NodeType::Path: {
            node.tuple = true;
            auto index = static_cast<long>(node.items.size()) - 1;
            slot = seek_parent(*node.items[static_cast<std::size_t>(index--)], slot);
            while (slot->level > 0 && index >= 0) slot = seek_parent(*node.items[static_cast<std::size_t>(index--)], slot);
            break;
        }
        default: fail("S0217", node.position, "%");
        }
        return slot;
    }

    void resolve_ancestry(Node& path) {
        Node& last = *path.items.back();
        std::vector<std::shared_ptr<Slot>> slots = last.seeking_parent;
        if (last.type == NodeType::Parent) slots.push_back(last.slot);
        for (auto slot : slots) {
            auto index = static_cast<long>(path.items.size()) - 2;
            while (slot->level > 0) {
                if (index < 0) {
                    path.seeking_parent.push_back(slot);
                    path.has_seeking = true;
                    break;
                }
                Node* step = path.items[static_cast<std::size_t>(index--)].get();
                while (index >= 0 && !step->focus.empty() && !path.items[static_cast<std::size_t>(index)]->focus.empty())
                    step = path.items[static_cast<std::size_t>(index--)].get();
                slot = seek_parent(*step, slot);
            }
        }
    }

    static NodePtr as_path(NodePtr n) {
        if (n->type == NodeType::Path) return n;
        auto p = make_node(NodeType::Path, n->position);
        p->items.push_back(std::move(n));
        return p;
    }

    static NodePtr tail_call_optimize(NodePtr e) {
        if (e->type == NodeType::Call && e->predicates.empty()) {
            auto thunk = make_node(NodeType::Lambda, e->position);
            thunk->thunk = true;
            thunk->body = e;
            return thunk;
        }
        if (e->type == NodeType::Condition) {
            e->then_branch = tail_call_optimize(e->then_branch);
            if (e->else_branch) e->else_branch = tail_call_optimize(e->else_branch);
        } else if (e->type == NodeType::Block && !e->items.empty()) {
            e->items.back() = tail_call_optimize(e->items.back());
        }
        return e;
    }

    NodePtr process_dot(const NodePtr& expr) {
        NodePtr lstep = process(expr->lhs);
        NodePtr result = as_path(lstep);
        if (lstep->type == NodeType::Parent) {
            result->seeking_parent = {lstep->slot};
            result->has_seeking = true;
        }
        NodePtr rest = process(expr->rhs);
        if (rest->type == NodeType::Path) {
            result->items.insert(result->items.end(), rest->items.begin(), rest->items.end());
        } else {
            if (!rest->predicates.empty()) {
                for (auto& p : rest->predicates) rest->stages.push_back(Stage{false, p, {}});
                rest->predicates.clear();
            }
            result->items.push_back(rest);
        }
        for (auto& step : result->items) {
            if (step->type == NodeType::Literal) {
                if (!step->literal.is_string()) fail("S0213", step->position, step->value);
                step->type = NodeType::Name;
                step->value = step->literal.as_string();
            }
            if (step->keep_array) result->keep_singleton_array = true;
        }
        auto& first = result->items.front();
        if (first->type == NodeType::ArrayCtor) first->cons_array = true;
        auto& last = result->items.back();
        if (last->type == NodeType::ArrayCtor) last->cons_array = true;
        resolve_ancestry(*result);
        return result;
    }

    NodePtr process(const NodePtr& expr) {
        NodePtr result;
        switch (expr->type) {
        case NodeType::Dot: result = process_dot(expr); break;
        case NodeType::Predicate: {
            result = process(expr->lhs);
            Node* step = result.get();
            bool stages = false;
            if (result->type == NodeType::Path) {
                step = result->items.back().get();
                stages = true;
            }
            if (step->group) fail("S0209", expr->position);
            NodePtr predicate = process(expr->rhs);
            if (predicate->has_seeking) {
                for (auto& slot : predicate->seeking_parent) {
                    if (slot->level == 1) seek_parent(*step, slot);
                    else slot->level--;
                }
                push_ancestry(*step, *predicate);
            }
            if (stages) step->stages.push_back(Stage{false, predicate, {}});
            else step->predicates.push_back(predicate);
            break;
        }
        case NodeType::Group: {
            result = process(expr->lhs);
            if (result->group) fail("S0210", expr->position);
            result->group = std::make_unique<GroupSpec>();
            result->group->position = expr->position;
            for (auto& [k, v] : expr->pairs) result->group->pairs.emplace_back(process(k), process(v));
            break;
        }
        case NodeType::OrderBy: {
            result = as_path(process(expr->lhs));
            auto sort = make_node(NodeType::Sort, expr->position);
            for (auto& term : expr->terms) {
                NodePtr e = process(term.expr);
                push_ancestry(*sort, *e);
                sort->terms.push_back(SortTerm{term.descending, e});
            }
            result->items.push_back(sort);
            resolve_ancestry(*result);
            break;
        }
        case NodeType::Bind: {
            result = make_node(NodeType::Bind, expr->position);
            result->lhs = process(expr->lhs);
            result->rhs = process(expr->rhs);
            push_ancestry(*result, *result->rhs);
            break;
        }
        case NodeType::Focus: {
            result = process(expr->lhs);
            Node* step = result.get();
            if (result->type == NodeType::Path) step = result->items.back().get();
            if (!step->stages.empty() || !step->predicates.empty()) fail("S0215", expr->position, "@");
            if (step->type == NodeType::Sort) fail("S0216", expr->position, "@");
            if (expr->keep_array) step->keep_array = true;
            step->focus = expr->rhs->value;
            step->tuple = true;
            break;
        }
        case NodeType::Index: {
            result = process(expr->lhs);
            Node* step = result.get();
            if (result->type == NodeType::Path) {
                step = result->items.back().get();
            } else {
                result = as_path(result);
                for (auto& p : step->predicates) step->stages.push_back(Stage{false, p, {}});
                step->predicates.clear();
            }
            if (step->stages.empty()) step->index = expr->rhs->value;
            else step->stages.push_back(Stage{true, nullptr, expr->rhs->value});
            step->tuple = true;
            break;
        }
        case NodeType::Apply: {
            result = make_node(NodeType::Apply, expr->position);
            result->value = "~>";
            result->lhs = process(expr->lhs);
            result->rhs = process(expr->rhs);
            result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
            break;
        }
        case NodeType::Binary:
        case NodeType::And:
        case NodeType::Or:
        case NodeType::Coalesce:
        case NodeType::Elvis: {
            result = make_node(expr->type, expr->position);
            result->value = expr->value;
            result->op = expr->op;
            result->lhs = process(expr->lhs);
            result->rhs = process(expr->rhs);
            push_ancestry(*result, *result->lhs);
            push_ancestry(*result, *result->rhs);
            break;
        }
        case NodeType::ArrayCtor: {
            result = make_node(NodeType::ArrayCtor, expr->position);
            for (auto& item : expr->items) {
                NodePtr v = process(item);
                push_ancestry(*result, *v);
                result->items.push_back(v);
            }
            break;
        }
        case NodeType::ObjectCtor: {
            result = make_node(NodeType::ObjectCtor, expr->position);
            for (auto& [k, v] : expr->pairs) {
                NodePtr key = process(k);
                push_ancestry(*result, *key);
                NodePtr value = process(v);
                push_ancestry(*result, *value);
                result->pairs.emplace_back(key, value);
            }
            break;
        }
        case NodeType::Negate: {
            NodePtr operand = process(expr->lhs);
            if (operand->type == NodeType::Literal && operand->literal.is_number()) {
                result = make_node(NodeType::Literal, operand->position);
                result->literal = Value::number(-operand->literal.as_number());
            } else {
                result = make_node(NodeType::Negate, expr->position);
                result->lhs = operand;
                push_ancestry(*result, *operand);
            }
            break;
        }
        case NodeType::Call:
        case NodeType::Partial: {
            result = make_node(expr->type, expr->position);
            for (auto& arg : expr->items) {
                NodePtr a = process(arg);
                push_ancestry(*result, *a);
                result->items.push_back(a);
            }
            result->procedure = process(expr->procedure);
            break;
        }
        case NodeType::Lambda: {
            result = make_node(NodeType::Lambda, expr->position);
            result->params = expr->params;
            result->signature = expr->signature;
            result->body = tail_call_optimize(process(expr->body));
            break;
        }
        case NodeType::Condition: {
            result = make_node(NodeType::Condition, expr->position);
            result->lhs = process(expr->lhs);
            push_ancestry(*result, *result->lhs);
            result->then_branch = process(expr->then_branch);
            push_ancestry(*result, *result->then_branch);
            if (expr->else_branch) {
                result->else_branch = process(expr->else_branch);
                push_ancestry(*result, *result->else_branch);
            }
            break;
        }
        case NodeType::Transform: {
            result = make_node(NodeType::Transform, expr->position);
            result->pattern = process(expr->pattern);
            result->update = process(expr->update);
            if (expr->remove) result->remove = process(expr->remove);
            break;
        }
        case NodeType::Block: {
            result = make_node(NodeType::Block, expr->position);
            for (auto& item : expr->items) {
                NodePtr part = process(item);
                push_ancestry(*result, *part);
                if (part->cons_array || (part->type == NodeType::Path && part->items.front()->cons_array))
                    result->cons_array = true;
                result->items.push_back(part);
            }
            break;
        }
        case NodeType::Name: {
            result = make_node(NodeType::Path, expr->position);
            result->items.push_back(expr);
            if (expr->keep_array) result->keep_singleton_array = true;
            break;
        }
        case NodeType::Parent: {
            result = make_node(NodeType::Parent, expr->position);
            result->slot = std::make_shared<Slot>(Slot{"!" + std::to_string(next_label_++), 1, static_cast<int>(ancestry_.size())});
            ancestry_.push_back(result->slot);
            break;
        }
        case NodeType::Operator: {
            auto name = make_node(NodeType::Name, expr->position);
            name->value = expr->value;
            name->keep_array = expr->keep_array;
            result = process(name);
            break;
        }
        case NodeType::Placeholder:
        case NodeType::Literal:
        case NodeType::Wildcard:
        case NodeType::Descendant:
        case NodeType::Variable:
        case NodeType::RegexLit: result = expr; break;
        default: fail("S0206", expr->position, expr->value);
        }
        if (expr->keep_array) result->keep_array = true;
        return result;
    }

    int next_label_ = 0;
    std::vector<std::shared_ptr<Slot>> ancestry_;
};

}  // namespace

NodePtr post_process(const NodePtr& raw) { return PostProcessor().run(raw); }

}  // namespace sfn::jsonata::detail
