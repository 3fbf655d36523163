// sfn fmt FILE: rewrite a definition in canonical field order and indentation.
#include "cli/command.hpp"
#include "cli/files.hpp"

#include "sfn/asl/parse.hpp"
#include "sfn/asl/serialize.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace sfn::cli {
namespace {

using Json = nlohmann::ordered_json;

void emit_yaml(YAML::Emitter& out, const Json& value) {
    switch (value.type()) {
        case Json::value_t::object:
            out << YAML::BeginMap;
            for (auto it = value.begin(); it != value.end(); ++it) {
                out << YAML::Key << it.key() << YAML::Value;
                emit_yaml(out, *it);
            }
            out << YAML::EndMap;
            break;
        case Json::value_t::array:
            out << YAML::BeginSeq;
            for (const auto& item : value) emit_yaml(out, item);
            out << YAML::EndSeq;
            break;
        case Json::value_t::string: {
            // Quote strings that YAML would otherwise read as another type (true, 12, null...).
            const auto& s = value.get_ref<const std::string&>();
            auto reread = asl::read_document("x: " + s, asl::Syntax::Yaml);
            if (!reread.is_object() || reread["x"] != value) out << YAML::DoubleQuoted;
            out << s;
            break;
        }
        case Json::value_t::null: out << YAML::Null; break;
        default: out << value.dump(); break;
    }
}

bool is_yaml(const std::string& file) {
    return file.ends_with(".yaml") || file.ends_with(".yml");
}

std::string read_text(const std::string& file);

std::string formatted(const std::string& file) {
    const Json canonical = asl::serialize(parse_definition_file(file));
    // The formatted text would keep one of two equal keys: fmt never drops a field.
    if (!is_yaml(file)) {
        if (auto duplicate = asl::duplicate_json_key(read_text(file)))
            throw sfn::Error("sfn.cli.E024", file + ": " + *duplicate + "; fmt would keep only one of them");
    }
    if (!is_yaml(file)) return canonical.dump(2) + "\n";
    YAML::Emitter out;
    emit_yaml(out, canonical);
    return std::string(out.c_str()) + "\n";
}

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::function<int()> setup(CLI::App& app) {
    app.description("Print a definition in canonical field order (2-space JSON, or YAML for .yaml files)");
    struct Options {
        std::string file;
        bool write = false;
        bool check = false;
    };
    auto options = std::make_shared<Options>();
    app.add_option("file", options->file, "definition file (.json, .asl.json, .yaml, .yml, .asl.yaml)")->required();
    app.add_flag("-w,--write", options->write, "write the result back to the file");
    app.add_flag("--check", options->check,
                 "exit 1 when the file is not formatted (naming it on stderr; nothing on stdout)");
    return [options] {
        const auto text = formatted(options->file);
        if (options->check) {
            const bool same = read_text(options->file) == text;
            if (!same) std::cerr << options->file << ": not in canonical format (run `sfn fmt -w " << options->file << "`)\n";
            return same ? 0 : 1;
        }
        if (options->write) {
            replace_file(options->file, text, "the definition");
            return 0;
        }
        std::cout << text;
        return 0;
    };
}

const Registration reg{"fmt", setup};

}  // namespace
}  // namespace sfn::cli
