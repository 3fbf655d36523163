// sfn deploy FILE --name N --role-arn A [--type EXPRESS] [--tag K=V]... [--publish [--version-description D]
//   [--alias A]] [--diff]: create or update a state machine from an ASL file (JSON or YAML).
#include "cli/command.hpp"
#include "cli/files.hpp"
#include "sfn/aws/errors.hpp"
#include "sfn/core/text.hpp"
#include "sfn/core/value.hpp"
#include "sfn/session/state_machine.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace {

std::function<int()> setup(CLI::App& app) {
    auto opts = std::make_shared<std::map<std::string, std::string>>();
    auto tags = std::make_shared<std::vector<std::string>>();
    auto flags = std::make_shared<std::map<std::string, bool>>();
    app.description("create or update a state machine from an ASL file (on AWS, an endpoint, or locally)");
    app.add_option("file", (*opts)["file"], "ASL definition (.json, .asl.json, .yaml, .yml, .asl.yaml)")->required();
    app.add_option("--name", (*opts)["name"], "state machine name")->required();
    app.add_option("--role-arn", (*opts)["role"], "IAM role ARN")->required();
    app.add_option("--type", (*opts)["type"], "STANDARD or EXPRESS")->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
    app.add_option("--tag", *tags, "tag KEY=VALUE (repeatable)");
    auto* publish = app.add_flag("--publish", (*flags)["publish"], "publish a version");
    app.add_option("--version-description", (*opts)["version"], "description of the published version")->needs(publish);
    app.add_option("--alias", (*opts)["alias"], "point this alias at the published version")->needs(publish);
    app.add_flag("--diff", (*flags)["diff"], "print the JSON diff against the deployed definition");
    sfn::cli::add_target_options(app, *opts);
    app.add_flag("--json", (*flags)["json"], "print the result as JSON");
    return [opts, tags, flags]() -> int {
        auto& o = *opts;
        // JSON or YAML; what cannot be read or parsed is named with its file and place.
        const auto asl = sfn::cli::read_definition_document(o["file"]);
        if (!asl.is_object()) {
            throw sfn::aws::ConfigError(o["file"] + ": not a JSON object (an ASL definition is expected)");
        }
        // Step Functions refuses definitions over 1 MiB (the Definition shape's maximum length).
        constexpr std::size_t max_definition = 1'048'576;
        if (const auto size = asl.dump().size(); size > max_definition) {
            throw sfn::aws::ConfigError(o["file"] + ": the definition is " + std::to_string(size) +
                                        " characters long; Step Functions accepts at most 1048576 (1 MiB)");
        }
        sfn::StateMachine sm{.name = o["name"], .workflow = asl, .role_arn = o["role"]};
        if (o["type"] == "EXPRESS") sm.set_type_as_express();
        for (const auto& tag : *tags) {
            auto eq = tag.find('=');
            if (eq == std::string::npos) throw sfn::aws::ConfigError("--tag '" + tag + "': expected KEY=VALUE");
            sm.tags[tag.substr(0, eq)] = tag.substr(eq + 1);
        }
        const bool json_out = (*flags)["json"];
        if (json_out) sm.logger = sfn::session::null_logger();
        sfn::session::DeployOptions options;
        options.publish = (*flags)["publish"];
        options.version_description = o["version"];
        if (!o["alias"].empty()) options.alias = o["alias"];
        options.show_diff = (*flags)["diff"];
        auto session = sfn::session::Session::for_target(sfn::cli::target_of(o));
        auto result = sm.deploy(session, options);
        if (json_out) {
            nlohmann::json j = {{"action", result.action == sfn::session::DeployResult::Action::Created ? "create" : "update"},
                                {"stateMachineArn", result.state_machine_arn}};
            if (result.version_arn) j["stateMachineVersionArn"] = *result.version_arn;
            if (result.alias_arn) j["stateMachineAliasArn"] = *result.alias_arn;
            if (options.show_diff) j["diff"] = result.diff;
            std::cout << j.dump(2) << std::endl;
        }
        return 0;
    };
}

sfn::cli::Registration reg{"deploy", setup};

}  // namespace
