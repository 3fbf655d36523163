// sfn resources FILE [--json]: every Task state's Resource and whether `--integrations aws` handles it (Lambda,
// optimised, aws-sdk:*, nested executions, the HTTP Task), as the integrations component answers; activities are
// served by workers of the local service, not by integrations.
#include "cli/command.hpp"
#include "cli/files.hpp"
#include "core/detail_overloaded.hpp"

#include "sfn/asl/parse.hpp"
#include "sfn/integrations/aws.hpp"
#include "sfn/model/state_machine.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <string>
#include <vector>

namespace sfn::cli {
namespace {

using namespace sfn::model;

struct TaskResource {
    std::string state;  ///< JSON pointer of the state
    std::string resource;
    std::string handled_by;  ///< "lambda", "optimized", "aws-sdk", "nested", "http", "activity" or "" (nothing)
};

/// Who serves `resource` once `--integrations aws` is on (the integrations component answers).
std::string handled_by(const std::string& resource) {
    if (resource.find(":activity:") != std::string::npos) return "activity";
    if (!integrations::handles_resource(resource)) return "";
    const auto name = integrations::parse_resource(resource);
    switch (name.kind) {
        case integrations::ResourceKind::Lambda: return "lambda";
        case integrations::ResourceKind::Optimized:
            return name.service == "states" && name.action == "startExecution" ? "nested" : "optimized";
        case integrations::ResourceKind::Sdk: return "aws-sdk";
        case integrations::ResourceKind::Http: return "http";
        case integrations::ResourceKind::Unknown: break;
    }
    return "";
}

void collect(const std::vector<NamedState>& states, const std::string& scope, std::vector<TaskResource>& out) {
    for (const auto& named : states) {
        const std::string pointer = scope + "/States/" + named.name;
        std::visit(sfn::detail::Overloaded{
                       [&](const Task& t) { out.push_back({pointer, t.resource, handled_by(t.resource)}); },
                       [&](const Parallel& p) {
                           for (std::size_t i = 0; i < p.branches.size(); ++i)
                               collect(p.branches[i].states, pointer + "/Branches/" + std::to_string(i), out);
                       },
                       [&](const Map& m) {
                           if (m.item_processor) collect(m.item_processor->states, pointer + "/ItemProcessor", out);
                           if (m.iterator) collect(m.iterator->states, pointer + "/Iterator", out);
                       },
                       [](const auto&) {},
                   },
                   named.state);
    }
}

std::function<int()> setup(CLI::App& app) {
    app.description("List each Task state's Resource and whether --integrations aws handles it");
    struct Options {
        std::string file;
        bool json = false;
    };
    auto options = std::make_shared<Options>();
    app.add_option("file", options->file, "definition file (.json, .asl.json, .yaml, .yml, .asl.yaml)")->required();
    app.add_flag("--json", options->json, "One JSON array: [{state, resource, handled, by}]");
    return [options] {
        const auto machine = parse_definition_file(options->file);
        std::vector<TaskResource> tasks;
        collect(machine.states, "", tasks);
        bool all = true;
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (const auto& t : tasks) {
            const bool handled = !t.handled_by.empty() && t.handled_by != "activity";
            all = all && handled;
            rows.push_back({{"state", t.state}, {"resource", t.resource}, {"handled", handled}, {"by", t.handled_by}});
        }
        if (options->json) {
            std::cout << rows.dump(1) << "\n";
        } else {
            for (const auto& t : tasks) {
                const std::string by = t.handled_by.empty() ? "not handled"
                                       : t.handled_by == "activity" ? "activity (served by a worker)"
                                                                    : t.handled_by;
                std::cout << t.state << "\t" << t.resource << "\t" << by << "\n";
            }
        }
        // Exit status 0 when every Task resource is handled, 1 otherwise (for scripts).
        return all ? 0 : 1;
    };
}

const Registration reg{"resources", setup};

}  // namespace
}  // namespace sfn::cli
