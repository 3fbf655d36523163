// `sfn serve`: the local Step Functions service over HTTP, for the AWS CLI and SDKs (--endpoint-url), with the
// web console on the same port (GET / in a browser; --no-console turns it off).
#include "cli/command.hpp"
#include "cli/serve.hpp"

namespace {

std::function<int()> setup(CLI::App& app) {
    auto args = std::make_shared<sfn::cli::ServeArgs>();
    app.description(
        "Run the local Step Functions service over HTTP (AWS JSON 1.0) for the AWS CLI and SDKs, "
        "with the web console at /");
    sfn::cli::add_serve_options(app, *args, true);
    return [args] { return sfn::cli::serve(*args, "sfn serve"); };
}

sfn::cli::Registration reg{"serve", setup};

}  // namespace
