// sfn graph FILE --format dot|mermaid|svg: draw a definition. States are nodes; Next, Choice rules,
// Default and Catch are edges (rules and catchers labelled); Parallel branches and Map item
// processors are clusters.
#include "cli/command.hpp"
#include "cli/files.hpp"
#include "core/detail_overloaded.hpp"

#include "sfn/asl/graph.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/model/state_machine.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <unistd.h>

namespace sfn::cli {
namespace {

using namespace sfn::model;
using asl::catch_label;
using asl::rule_text;

using sfn::detail::Overloaded;

/// A drawing independent of the output syntax: clusters hold nodes; edges may carry labels.
struct Graph {
    struct Node {
        std::string id, label, type;
    };
    struct Edge {
        std::string from, to, label;
        bool dashed = false;
    };
    struct Cluster {
        std::string id, label;
        std::vector<Node> nodes;
        std::vector<Cluster> children;
    };
    Cluster root;
    std::vector<Edge> edges;
    int counter = 0;

    std::string fresh() { return "n" + std::to_string(counter++); }

    // Adds one scope's states to `cluster`; returns the id of its StartAt node. States that end the scope
    // (End, Succeed, Fail) get an edge to `end_id` when one is given (the top level's End).
    std::string add_scope(Cluster& cluster, const std::string& start_at, const std::vector<NamedState>& states,
                          const std::string& end_id = {}) {
        std::map<std::string, std::string> ids;
        for (const auto& s : states) ids[s.name] = fresh();
        auto id_of = [&](const std::string& name) {
            auto it = ids.find(name);
            if (it != ids.end()) return it->second;
            auto id = fresh();  // a dangling target: still drawn, so the mistake is visible
            cluster.nodes.push_back({id, name + " (missing)", "Missing"});
            return ids[name] = id;
        };
        for (const auto& named : states) {
            const auto& name = named.name;
            const auto& state = named.state;
            const auto id = ids[name];
            cluster.nodes.push_back({id, name, std::string(type_name(state))});
            const auto& c = common(state);
            if (c.next) edges.push_back({id, id_of(*c.next), ""});
            else if (!end_id.empty() && !std::holds_alternative<Choice>(state)) edges.push_back({id, end_id, ""});
            std::visit(Overloaded{
                           [&](const Choice& ch) {
                               for (const auto& r : ch.choices) edges.push_back({id, id_of(r.next), rule_text(r.rule)});
                               if (ch.default_) edges.push_back({id, id_of(*ch.default_), "Default"});
                           },
                           [&](const Parallel& p) {
                               Cluster group{fresh(), "Parallel: " + name, {}, {}};
                               for (std::size_t i = 0; i < p.branches.size(); ++i) {
                                   Cluster branch{fresh(), "Branch " + std::to_string(i + 1), {}, {}};
                                   const auto start = add_scope(branch, p.branches[i].start_at, p.branches[i].states);
                                   edges.push_back({id, start, "", true});
                                   group.children.push_back(std::move(branch));
                               }
                               cluster.children.push_back(std::move(group));
                           },
                           [&](const Map& m) {
                               const auto& processor = m.item_processor ? m.item_processor : m.iterator;
                               if (!processor) return;
                               Cluster group{fresh(), "Map: " + name, {}, {}};
                               const auto start = add_scope(group, processor->start_at, processor->states);
                               edges.push_back({id, start, "each item", true});
                               cluster.children.push_back(std::move(group));
                           },
                           [](const auto&) {},
                       },
                       state);
            for (const auto& k : catchers(state)) edges.push_back({id, id_of(k.next), catch_label(k.error_equals), true});
        }
        return id_of(start_at);
    }
};

std::string dot_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

const char* dot_shape(const std::string& type) {
    if (type == "Choice") return "diamond";
    if (type == "Succeed" || type == "Fail") return "doubleoctagon";
    if (type == "Missing") return "plaintext";
    return "box";
}

void write_dot_cluster(std::ostream& out, const Graph::Cluster& cluster, int depth) {
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
    for (const auto& n : cluster.nodes)
        out << pad << n.id << " [label=" << dot_quote(n.label + "\n" + n.type) << ", shape=" << dot_shape(n.type) << "];\n";
    for (const auto& child : cluster.children) {
        out << pad << "subgraph cluster_" << child.id << " {\n" << pad << "  label=" << dot_quote(child.label) << ";\n";
        write_dot_cluster(out, child, depth + 1);
        out << pad << "}\n";
    }
}

std::string to_dot(const Graph& g) {
    std::ostringstream out;
    out << "digraph StateMachine {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n  __start [shape=circle, label=\"Start\"];\n"
        << "  __end [shape=doublecircle, label=\"End\"];\n";
    write_dot_cluster(out, g.root, 1);
    for (const auto& e : g.edges) {
        out << "  " << e.from << " -> " << e.to;
        std::vector<std::string> attrs;
        if (!e.label.empty()) attrs.push_back("label=" + dot_quote(e.label));
        if (e.dashed) attrs.push_back("style=dashed");
        if (!attrs.empty()) {
            out << " [";
            for (std::size_t i = 0; i < attrs.size(); ++i) out << (i ? ", " : "") << attrs[i];
            out << "]";
        }
        out << ";\n";
    }
    out << "}\n";
    return out.str();
}

std::string mermaid_text(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '"') out += "#quot;";
        else if (c == '|') out += "#124;";
        else out += c;
    }
    return out;
}

void write_mermaid_cluster(std::ostream& out, const Graph::Cluster& cluster, int depth) {
    const std::string pad(static_cast<std::size_t>(depth) * 2, ' ');
    for (const auto& n : cluster.nodes) {
        const auto label = "\"" + mermaid_text(n.label) + "<br/><i>" + n.type + "</i>\"";
        if (n.type == "Choice") out << pad << n.id << "{" << label << "}\n";
        else if (n.type == "Succeed" || n.type == "Fail") out << pad << n.id << "([" << label << "])\n";
        else out << pad << n.id << "[" << label << "]\n";
    }
    for (const auto& child : cluster.children) {
        out << pad << "subgraph " << child.id << " [\"" << mermaid_text(child.label) << "\"]\n";
        write_mermaid_cluster(out, child, depth + 1);
        out << pad << "end\n";
    }
}

std::string to_mermaid(const Graph& g) {
    std::ostringstream out;
    out << "flowchart TD\n  __start((Start))\n  __end(((End)))\n";
    write_mermaid_cluster(out, g.root, 1);
    for (const auto& e : g.edges) {
        const char* arrow = e.dashed ? "-.->" : "-->";
        out << "  " << e.from << " " << arrow;
        if (!e.label.empty()) out << "|\"" << mermaid_text(e.label) << "\"|";
        out << " " << e.to << "\n";
    }
    return out.str();
}

std::string run_dot(const std::string& dot_source) {
    if (std::system("command -v dot >/dev/null 2>&1") != 0)
        throw std::runtime_error("--format svg needs graphviz `dot` on PATH (apt-get install graphviz), or use --format dot");
    const auto input = std::filesystem::temp_directory_path() / ("sfn-graph-" + std::to_string(::getpid()) + ".dot");
    {
        std::ofstream f(input);
        f << dot_source;
    }
    std::string svg;
    if (FILE* pipe = ::popen(("dot -Tsvg " + input.string()).c_str(), "r")) {
        char buffer[4096];
        std::size_t n = 0;
        while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) svg.append(buffer, n);
        const int status = ::pclose(pipe);
        std::filesystem::remove(input);
        if (status != 0) throw std::runtime_error("graphviz `dot` failed with status " + std::to_string(status));
    }
    return svg;
}

std::function<int()> setup(CLI::App& app) {
    app.description("Draw a definition as Graphviz dot, Mermaid, or SVG (needs graphviz)");
    struct Options {
        std::string file;
        std::string format = "dot";
    };
    auto options = std::make_shared<Options>();
    app.add_option("file", options->file, "definition file (.json, .asl.json, .yaml, .yml, .asl.yaml)")->required();
    app.add_option("--format", options->format, "dot, mermaid or svg")->check(CLI::IsMember({"dot", "mermaid", "svg"}));
    return [options] {
        const auto machine = parse_definition_file(options->file);
        Graph g;
        const auto start = g.add_scope(g.root, machine.start_at, machine.states, "__end");
        g.edges.insert(g.edges.begin(), Graph::Edge{"__start", start, ""});
        if (options->format == "mermaid")
            std::cout << to_mermaid(g);
        else if (options->format == "svg")
            std::cout << run_dot(to_dot(g));
        else
            std::cout << to_dot(g);
        return 0;
    };
}

const Registration reg{"graph", setup};

}  // namespace
}  // namespace sfn::cli
