// AWS shared config and credentials files (the CLI's INI dialect) from untrusted text. The input holds the
// config file, a NUL, the credentials file, a NUL and a profile name. Both files are parsed directly, then
// written to a private temporary directory so region, endpoint and profile resolution read them as the CLI
// would. Credential resolution itself is not run: `credential_process` would execute the fuzzer's commands.
#include "fuzz_support.hpp"

#include "aws/detail_ini.hpp"
#include "sfn/aws/credentials.hpp"
#include "sfn/aws/errors.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace {

struct Files {
    std::filesystem::path config;
    std::filesystem::path credentials;
};

const Files& files() {
    static const Files f = [] {
        auto dir = std::filesystem::temp_directory_path() / ("sfn-fuzz-aws-config-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        return Files{dir / "config", dir / "credentials"};
    }();
    return f;
}

void write(const std::filesystem::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parts = sfn::fuzz::split_parts(sfn::fuzz::as_text(data, size), 3);
    for (const auto part : {parts[0], parts[1]}) {
        try {
            (void)sfn::aws::detail::parse_ini(part, "fuzz");
        } catch (const sfn::aws::ConfigError&) {
            // malformed lines name file and line
        }
    }
    write(files().config, parts[0]);
    write(files().credentials, parts[1]);
    const auto env = sfn::aws::Environment::from_map({{"AWS_CONFIG_FILE", files().config.string()},
                                                       {"AWS_SHARED_CREDENTIALS_FILE", files().credentials.string()}});
    sfn::aws::ProfileSelection selection;
    if (!parts[2].empty()) selection.profile = std::string(parts[2]);
    try {
        (void)sfn::aws::resolve_profile_name(selection, env);
        (void)sfn::aws::aws_configuration_present(env);
        (void)sfn::aws::resolve_endpoint_url(selection, env);
        (void)sfn::aws::resolve_region(selection, env);
    } catch (const sfn::aws::ConfigError&) {
        // no region, or a malformed file
    }
    return 0;
}
