// sfn validate FILE...: parse and validate ASL definitions (JSON or YAML). Errors fail the run; warnings
// (a literal that looks like a path, ...) are printed and fail it only with --strict.
#include "cli/command.hpp"

#include "sfn/asl/parse.hpp"
#include "sfn/asl/validate.hpp"

#include <iostream>

namespace sfn::cli {
namespace {

std::vector<asl::Diagnostic> check_file(const std::string& file, const asl::ValidateOptions& options) {
    try {
        return asl::check(asl::read_document_file(file), options);
    } catch (const asl::ParseError& e) {
        // Unreadable or malformed text is a finding about this file, not the end of the run.
        return e.diagnostics();
    }
}

std::function<int()> setup(CLI::App& app) {
    app.description("Check ASL definitions against the States Language and the service's rules");
    struct Options {
        std::vector<std::string> files;
        bool json = false;
        bool strict = false;
        std::string type = "STANDARD";
    };
    auto options = std::make_shared<Options>();
    app.add_option("files", options->files, "definition files (.json, .asl.json, .yaml, .yml, .asl.yaml)")->required();
    app.add_flag("--json", options->json, "print the results as JSON on stdout");
    app.add_flag("--strict", options->strict, "treat warnings as errors (exit 1 when any is found)");
    app.add_option("--type", options->type, "the state machine type the definitions are for (EXPRESS machines cannot "
                                            "use activities, .sync or .waitForTaskToken)")
        ->check(CLI::IsMember({"STANDARD", "EXPRESS"}));
    return [options] {
        bool all_valid = true;
        nlohmann::ordered_json report = nlohmann::ordered_json::array();
        for (const auto& file : options->files) {
            const auto diagnostics = check_file(file, {.express = options->type == "EXPRESS"});
            const bool valid = options->strict ? diagnostics.empty() : !asl::has_errors(diagnostics);
            all_valid = all_valid && valid;
            if (options->json) {
                nlohmann::ordered_json entry{{"file", file}, {"valid", valid}, {"diagnostics", nlohmann::ordered_json::array()}};
                for (const auto& d : diagnostics) {
                    entry["diagnostics"].push_back({{"severity", d.severity == asl::Severity::Error ? "ERROR" : "WARNING"},
                                                    {"code", d.code},
                                                    {"awsCode", std::string(asl::aws_code(d.code))},
                                                    {"message", d.message},
                                                    {"location", d.pointer}});
                }
                report.push_back(std::move(entry));
            } else {
                for (const auto& d : diagnostics) {
                    std::cerr << file << ": " << (d.severity == asl::Severity::Warning ? "warning: " : "")
                              << asl::to_string(d) << "\n";
                }
            }
        }
        if (options->json) std::cout << report.dump(2) << "\n";
        return all_valid ? 0 : 1;
    };
}

const Registration reg{"validate", setup};

}  // namespace
}  // namespace sfn::cli
