#pragma once
// `--integrations aws` and `--connections FILE` of `sfn run`, `sfn serve` and `sfn console`: the task handler that
// calls real services (Lambda, the optimised integrations, aws-sdk:*, the HTTP Task and, for `sfn run`, nested
// executions through the Step Functions endpoint), installed as the registry's fallback.

#include "sfn/engine/handlers.hpp"
#include "sfn/engine/objects.hpp"
#include "sfn/session/session.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <vector>
#include <string>

namespace sfn::cli {

struct IntegrationsChoice {
    std::string integrations;  ///< "" (off) or "aws"
    std::string connections;   ///< the local connections file of HTTP Tasks ("" = none)
    std::vector<std::string> s3_dirs;  ///< `--s3-dir BUCKET=DIR`: buckets served from local directories
};

/// Adds `--s3-dir` to a command.
void add_s3_dir_option(CLI::App& app, IntegrationsChoice& choice);

/// Where Distributed Maps read and write: the `--s3-dir` directories when any is given, else S3 itself
/// (its configured endpoint) with `--integrations aws`, else none. \throws sfn::Error (sfn.engine.E031) for a
/// malformed --s3-dir.
std::shared_ptr<const engine::ObjectStore> make_object_store(const IntegrationsChoice& choice, const std::string& region);

/// Checks the choice. \throws sfn::Error (sfn.cli.E020) for an unknown --integrations value or --connections
/// without --integrations aws.
void check_integrations(const IntegrationsChoice& choice);

/// The fallback handler of the choice (empty when --integrations is off): endpoints and credentials as the AWS CLI
/// resolves them, in `region` (empty: AWS_REGION, the profile's, else us-east-1). `sfn_api` (for `sfn run`, which
/// has no local service) makes states:startExecution start children through that session's Step Functions
/// endpoint; null leaves nested executions to the handler the local service registers.
[[nodiscard]] engine::TaskHandler integrations_handler(const IntegrationsChoice& choice, const std::string& region,
                                                       const session::Session* sfn_api);

}  // namespace sfn::cli
